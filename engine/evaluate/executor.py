"""Run the rule engine over groups of subjects, in this process or in forked worker processes.

The rule engine may never release the GIL (durable-rules does not: notes/durable-rules.md), so
parallelism means processes.
Workers are forked after the batch is indexed, so every worker sees every record checked
together (cross-record rules stay exact) without pickling the inputs; each evaluates a slice
of one (pack, kind) group and sends back only first-branch indexes and the derived values that
outcomes will show. The parent builds the outcomes, so the report is the same for any ``jobs``.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
from collections.abc import Callable, Iterator

from ..backends import get_backend
from ..derive.functions import DeriveContext
from .evaluator import PackKindEvaluator, Subject

#: subjects per call into the default backend (its batch size hint)
CHUNK = get_backend().batch_size

#: below this many subjects, forking costs more than it saves
PARALLEL_THRESHOLD = 4 * CHUNK

GroupKey = tuple[str, str]
_WORK: dict = {}


def _fire_slice(task: tuple[GroupKey, int, int]):
    key, start, end = task
    evaluator: PackKindEvaluator = _WORK["evaluators"][key]
    members = _WORK["groups"][key][start:end]
    derived, first_branches = evaluator.fire(members, _WORK["ctx"], _WORK["as_of"])
    return key, start, [evaluator.derived_only(values) for values in derived], first_branches


def _slices(groups: dict[GroupKey, list[Subject]], size: int) -> list[tuple[GroupKey, int, int]]:
    return [
        (key, start, min(start + size, len(members)))
        for key, members in sorted(groups.items())
        for start in range(0, len(members), size)
    ]


def fire_groups(
    evaluators: dict[GroupKey, PackKindEvaluator],
    groups: dict[GroupKey, list[Subject]],
    ctx: DeriveContext,
    as_of: dt.date,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[GroupKey, list[Subject], int, list, list]]:
    """Yield (group key, group members, slice start, derived values, first branches) per slice.

    ``progress(done, total)`` counts (subject, pack) evaluations.
    """
    total = sum(len(members) for members in groups.values())
    parallel = jobs > 1 and total >= PARALLEL_THRESHOLD and "fork" in multiprocessing.get_all_start_methods()
    tasks = _slices(groups, CHUNK * 2)
    if not parallel:
        for key, start, end in tasks:
            members = groups[key]
            derived, first_branches = evaluators[key].fire(members[start:end], ctx, as_of)
            if progress:
                progress(end - start, total)
            yield key, members, start, derived, first_branches
        return
    _WORK.update(evaluators=evaluators, groups=groups, ctx=ctx, as_of=as_of)
    # Objects made before the fork move to a permanent generation, so the workers' garbage collector
    # never writes to their pages and copy-on-write keeps them shared with the parent.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for key, start, derived, first_branches in pool.imap_unordered(_fire_slice, tasks):
                if progress:
                    progress(len(first_branches), total)
                yield key, groups[key], start, derived, first_branches
    finally:
        _WORK.clear()
        gc.unfreeze()
