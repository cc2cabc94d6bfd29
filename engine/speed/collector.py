"""The cyclic garbage collector tuned for batch runs (audits, imports, large checks).

A batch run allocates millions of short-lived objects that reference counting frees, next to
long-lived ones (catalog, compiled rules, caches, the outcomes listed so far). With CPython's
default thresholds the collector runs every 700 allocations and its older generations rescan the
long-lived objects again and again: measured at a quarter of an audit worker's CPU. With these
thresholds collections still run, less often; a worker also freezes what it loaded at start-up.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

THRESHOLDS = (100_000, 50, 100)


_lock = threading.Lock()
_active = 0
_previous: tuple[int, ...] = ()


@contextlib.contextmanager
def batch_collection() -> Iterator[None]:
    """Collect less often for the duration of a batch run in this process. Runs may nest or overlap
    in threads (two audits at once): the thresholds are set by the first and restored by the last."""
    global _active, _previous
    with _lock:
        if _active == 0:
            _previous = gc.get_threshold()
            gc.set_threshold(*THRESHOLDS)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_previous)


def worker_collection() -> None:
    """For a worker process once initialised: its start-up objects frozen, collections less often."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
