"""Worker processes, the one way fzcheck starts them: a ``spawn`` pool (nothing inherited from this
process: each worker imports fzcheck and gets all it needs in its tasks), with the garbage collector
tuned for batch work. durable-rules never releases the GIL (notes/durable-rules.md), so parallel work
means processes. The executor's partitions (``evaluate/executor.py``) and ``db import``'s row
validation run in it."""

from __future__ import annotations

import multiprocessing
import signal

from .collector import worker_collection


def _init_worker(ignore_interrupts: bool) -> None:
    if ignore_interrupts:  # Ctrl-C reaches the whole process group: the parent stops the run and ends us
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_collection()


def worker_pool(jobs: int, *, ignore_interrupts: bool = True):
    """A pool of ``jobs`` worker processes started with ``spawn``. ``ignore_interrupts``: workers
    leave SIGINT to the parent, which stops the work and terminates them."""
    return multiprocessing.get_context("spawn").Pool(jobs, _init_worker, (ignore_interrupts,))
