"""The one executor: partitions of a run evaluated by a pure, top-level function, here or in worker
processes.

:func:`evaluate_partition` takes a :class:`PartitionTask` — which catalog, the run's settings and
calendar, and the partition (subjects held in memory with their batch facts, or a key range of the
records database) — and returns the partition's outcomes and counts. Everything it needs is in the
task (picklable, no module state set beforehand, no reliance on ``fork``), so a local process pool
calls it as a Dask or Spark worker would. A process keeps what is costly to rebuild between tasks of
one run — the loaded catalog, the prepared rules, a database source with the region's counts — in
caches keyed by what the task names, which change nothing but the time.

Where the partitions run is the run's *executor* (:func:`open_executor`): ``local``, worker processes
from ``speed/processes.py`` (a ``spawn`` pool, which ``db import`` uses too); or ``dask``, the workers
of a Dask cluster (``dask_executor.py``, the optional extra ``fzcheck[dask]``), which read their own
key ranges from the database. Both yield the same results from the same tasks (docs/scale.md).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..derive.calendar import LegalCalendar, default_calendar
from ..derive.context import DeriveContext
from ..rules.packs import Catalog, default_catalog, load_catalog
from ..speed.processes import worker_pool
from ..subjects.subject import Subject
from .pipeline import Evaluation, PartitionResult, RunSettings

if TYPE_CHECKING:  # the database layer (SQLAlchemy) is loaded by an audit's units, not by `check`
    from ..sources.database import AuditScope, DatabaseSource, Snapshot


@dataclass(frozen=True)
class SubjectsPartition:
    """Subjects held in memory (``check``), with the derive context holding their batch facts: the
    counts over all the records checked together and the case joins."""

    subjects: list[Subject]
    ctx: DeriveContext

    @property
    def rows(self) -> int:
        return len(self.subjects)

    def load(self, task: PartitionTask) -> tuple[list[Subject], DeriveContext]:
        return self.subjects, self.ctx


@dataclass(frozen=True)
class DatabaseUnit:
    """A key range of the records database (``audit``): read by the worker itself, from the run's snapshot."""

    url: str
    scope: AuditScope
    snapshot: Snapshot
    unit: tuple[str, int, int, int]
    holidays: str | None = None

    @property
    def rows(self) -> int:
        return self.unit[3]

    def load(self, task: PartitionTask) -> tuple[list[Subject], DeriveContext]:
        evaluation = _evaluation(task.catalog, task.settings)
        fields = evaluation.batch_fields(_table_kinds())
        source = _database_source(self.url, self.scope, task.settings.as_of, self.holidays, self.snapshot, fields)
        return source.unit(self.unit)


@dataclass(frozen=True)
class PartitionTask:
    """One partition of a run. ``catalog``: a loaded catalog, or the rules directory to load (None:
    the packaged rulesets)."""

    catalog: Catalog | str | None
    settings: RunSettings
    partition: SubjectsPartition | DatabaseUnit


class PartitionFailed(RuntimeError):
    """A partition failed in a worker; carries the worker's traceback as text (always picklable)."""


class UnitFailed(PartitionFailed):
    """A unit of an audit (a key range of the records database) failed."""


def evaluate_partition(task: PartitionTask) -> PartitionResult:
    """Evaluate one partition: ``(catalog, settings, partition) -> (outcomes, counts)``."""
    try:
        subjects, ctx = task.partition.load(task)
        result = _evaluation(task.catalog, task.settings).evaluate(subjects, ctx)
        result.rows = task.partition.rows
        return result
    except Exception as exc:
        failed = f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc()}"
        if isinstance(task.partition, DatabaseUnit):
            raise UnitFailed(f"audit unit {task.partition.unit[:3]} failed: {failed}") from None
        raise PartitionFailed(f"a partition of {len(task.partition.subjects)} subjects failed: {failed}") from None


def _catalog_key(catalog: Catalog | str | None) -> tuple:
    """What identifies a catalog across processes: its directory, or its packs' contents."""
    if catalog is None or isinstance(catalog, str):
        return ("dir", catalog)
    return ("packs", tuple(sorted((pack_id, pack.sha256) for pack_id, pack in catalog.packs.items())))


_EVALUATIONS: dict[tuple, Evaluation] = {}
_CACHE_LOCK = threading.Lock()


def _evaluation(catalog: Catalog | str | None, settings: RunSettings) -> Evaluation:
    """This process's prepared rules for a catalog and settings (cache: rules are prepared once per
    process, as a registration in durable-rules is never given back)."""
    key = (_catalog_key(catalog), settings)
    with _CACHE_LOCK:
        if key not in _EVALUATIONS:
            if isinstance(catalog, Catalog):
                loaded = catalog
            else:
                loaded = load_catalog(catalog) if catalog else default_catalog()
            _EVALUATIONS[key] = Evaluation(loaded, settings)
            while len(_EVALUATIONS) > 16:
                _EVALUATIONS.pop(next(iter(_EVALUATIONS)))
        return _EVALUATIONS[key]


def warm_worker(catalog: Catalog | str | None, settings: RunSettings) -> None:
    """Load the rules and prepare every (pack, kind) of them in this process, before the first task
    of a run arrives (``speed/processes.py``: a pool's ``warm``). A failure is left for the task that
    meets it to report with its partition (here it would only end the worker, which the pool would
    start again and again)."""
    with contextlib.suppress(Exception):
        _evaluation(catalog, settings).prepare_all()


def start_workers(jobs: int, catalog: Catalog | str | None, settings: RunSettings):
    """A pool of ``jobs`` workers for a run's partitions, each loading and preparing the run's rules as
    it starts: started before the input is read, they are ready when it is (a context manager that
    terminates them; pass it to :func:`run_partitions_here_too`)."""
    return worker_pool(jobs, warm=(warm_worker, (catalog, settings)))


def _table_kinds() -> tuple[str, ...]:
    from ..store.schema import RECORD_TABLES  # noqa: PLC0415 (SQLAlchemy loaded only by an audit)

    return tuple(RECORD_TABLES)


_SOURCES: dict[tuple, DatabaseSource] = {}


def _database_source(url: str, scope: AuditScope, as_of, holidays, snapshot: Snapshot, batch_fields) -> DatabaseSource:
    """This process's source for a run's snapshot (its connection and the region's counts, read once)."""
    from ..sources.database import DatabaseSource  # noqa: PLC0415 (SQLAlchemy loaded only by an audit)

    key = (url, scope, as_of, holidays, snapshot, batch_fields)
    with _CACHE_LOCK:
        if key not in _SOURCES:
            while len(_SOURCES) >= 4:
                _SOURCES.pop(next(iter(_SOURCES))).close()
            _SOURCES[key] = DatabaseSource(url, scope, as_of, run_calendar(holidays), batch_fields, snapshot)
        return _SOURCES[key]


def run_calendar(holidays: str | None) -> LegalCalendar:
    """The legal calendar of a run: the packaged schedule, extended by ``--holidays``."""
    return LegalCalendar.from_files([holidays]) if holidays else default_calendar()


def close_sources() -> None:
    """Close the database sources this process opened (an in-process run, once it is over)."""
    with _CACHE_LOCK:
        while _SOURCES:
            _SOURCES.popitem()[1].close()


#: the executors: where a run's partitions are evaluated
EXECUTORS = ("local", "dask")


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot run: its optional package is not installed, or its scheduler
    cannot be reached (the message says which, naming the address)."""


class Executor:
    """Where a run's partitions are evaluated: ``jobs`` worker processes here (the default). A
    context manager: workers or a cluster it started are stopped when it is closed."""

    name = "local"

    def __init__(self, jobs: int = 1):
        self.jobs = jobs

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop what this executor started (the local pool is started and ended by each ``run``)."""

    def run(
        self, tasks: Iterable[PartitionTask], *, ordered: bool = True, poll: Callable[[], None] | None = None
    ) -> Iterator[PartitionResult]:
        """Evaluate the tasks: results in task order (``ordered``) or as they finish; ``poll`` as for
        :func:`run_partitions`."""
        return run_partitions(tasks, self.jobs, ordered=ordered, poll=poll)


def open_executor(name: str = "local", jobs: int = 1, scheduler: str | None = None) -> Executor:
    """The executor ``name`` (one of :data:`EXECUTORS`) with ``jobs`` workers; for ``dask``, connected
    to the cluster at ``scheduler`` (None: a local cluster of ``jobs`` worker processes, started here).
    Raises :class:`ExecutorUnavailable` when dask is not installed or the scheduler cannot be reached."""
    if name == "local":
        return Executor(jobs)
    if name != "dask":
        raise ValueError(f"unknown executor {name!r} (one of {', '.join(EXECUTORS)})")
    try:
        from . import dask_executor  # noqa: PLC0415 (dask, an optional extra, loaded only for --executor dask)
    except ImportError as exc:
        raise ExecutorUnavailable(
            f"--executor dask needs dask.distributed, which is not installed ({exc}); "
            "install it with: pip install 'fzcheck[dask]'"
        ) from exc
    return dask_executor.DaskExecutor(jobs, scheduler)


def run_partitions_here_too(tasks: Sequence[PartitionTask], pool, workers: int) -> Iterator[PartitionResult]:
    """Evaluate the tasks in the ``workers`` processes of ``pool`` and in this process too, which is
    one of a check's ``--jobs`` processes rather than a third party waiting for two (on 2 cores, 2
    busy processes, not 3; and what this process evaluates is never pickled). Workers take tasks from
    the front, this process from the back, each worker with a second task queued so it never waits
    for this one; results in task order."""
    results: list[PartitionResult | None] = [None] * len(tasks)
    front, back = 0, len(tasks)
    in_flight: dict[int, Any] = {}
    while front < back or in_flight:
        while front < back and len(in_flight) < 2 * workers:
            in_flight[front] = pool.apply_async(evaluate_partition, (tasks[front],))
            front += 1
        for index in [index for index, pending in in_flight.items() if pending.ready()]:
            results[index] = in_flight.pop(index).get()
        if front < back:
            back -= 1
            results[back] = evaluate_partition(tasks[back])
        elif in_flight:
            index = min(in_flight)
            results[index] = in_flight.pop(index).get()
    for result in results:
        assert result is not None  # every task was evaluated above
        yield result


def run_partitions(
    tasks: Iterable[PartitionTask],
    jobs: int = 1,
    *,
    ordered: bool = True,
    poll: Callable[[], None] | None = None,
) -> Iterator[PartitionResult]:
    """Evaluate the tasks, here (``jobs`` 1) or in ``jobs`` worker processes; results in task order
    (``ordered``) or as they finish. ``poll`` is called while waiting (at most every half second): a
    signal handler's check, which may raise to stop the run (the pool is then terminated)."""
    if jobs <= 1:
        try:
            for task in tasks:
                yield evaluate_partition(task)
                if poll:
                    poll()
        finally:
            close_sources()
        return
    pool = worker_pool(jobs)
    try:
        results = pool.imap(evaluate_partition, tasks) if ordered else pool.imap_unordered(evaluate_partition, tasks)
        while True:
            try:
                yield results.next(timeout=0.5)
            except multiprocessing.TimeoutError:
                if poll:
                    poll()
            except StopIteration:
                return
    finally:
        pool.terminate()
