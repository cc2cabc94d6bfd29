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
from collections.abc import Iterator

THRESHOLDS = (100_000, 50, 100)


@contextlib.contextmanager
def batch_collection() -> Iterator[None]:
    """Collect less often for the duration of a batch run in this process."""
    previous = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def worker_collection() -> None:
    """For a worker process once initialised: its start-up objects frozen, collections less often."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
