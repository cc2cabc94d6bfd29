"""Worker processes, the one way fzcheck starts them: a ``spawn`` pool (nothing inherited from this
process: each worker imports fzcheck and gets all it needs in its tasks), with the garbage collector
tuned for batch work. durable-rules never releases the GIL (notes/durable-rules.md), so parallel work
means processes. The executor's partitions (``evaluate/executor.py``) and ``db import``'s row
validation run in it.

A spawned worker imports fzcheck, loads the rules and prepares them on its backend before its first
task (about a second); ``warm`` does that as the pool starts, so a caller that starts the pool
before reading its input has the workers ready when the first task is sent. Warming changes nothing
but when the work is done: a task still carries all it needs."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from typing import Any

from .collector import worker_collection

#: what a worker runs as it starts: a top-level function and its (picklable) arguments
Warm = tuple[Callable[..., Any], tuple]


def _init_worker(ignore_interrupts: bool, warm: Warm | None = None) -> None:
    if ignore_interrupts:  # Ctrl-C reaches the whole process group: the parent stops the run and ends us
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        function, args = warm
        function(*args)
    worker_collection()  # after warming: what it loaded is frozen with the rest of the start-up


def worker_pool(jobs: int, *, ignore_interrupts: bool = True, warm: Warm | None = None):
    """A pool of ``jobs`` worker processes started with ``spawn``. ``ignore_interrupts``: workers
    leave SIGINT to the parent, which stops the work and terminates them; ``warm``: run in each
    worker as it starts (load and prepare what its tasks will need)."""
    return multiprocessing.get_context("spawn").Pool(jobs, _init_worker, (ignore_interrupts, warm))
