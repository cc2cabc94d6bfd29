"""The garbage collector's batch thresholds are set and restored exactly once, however runs overlap."""

from __future__ import annotations

import gc
import threading

from fzcheck.engine.speed.collector import THRESHOLDS, batch_collection


def test_batch_collection_restores_the_thresholds_after_nested_and_overlapping_runs():
    before = gc.get_threshold()
    entered, leave = threading.Barrier(2), threading.Event()

    def run():
        with batch_collection():
            entered.wait()
            leave.wait()

    other = threading.Thread(target=run)
    with batch_collection():
        other.start()
        entered.wait()
        with batch_collection():
            assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == THRESHOLDS  # the other run is still going
    leave.set()
    other.join()
    assert gc.get_threshold() == before
