"""Batch audits of the records database: the check pipeline over a run's snapshot, in parallel
processes, stored as a run.

The database is the source (``sources/database.py``: the snapshot, the work units, each unit's
subjects and batch facts); each unit is a partition evaluated by the one executor
(``executor.evaluate_partition``, in this process or in workers) with the same pipeline as ``check``
(``pipeline.Evaluation``), counting passes instead of listing them and coverage per reason instead of
per record (a million records of a year no local pack covers make one line). The parent merges the
partitions, applies waivers (``outcomes/waivers.py``, as ``check`` does) and stores the run with the
holiday data it used.

Lifecycle (``store/runs.py``). The run is stored ``running`` with this process's pid and host, and a
heartbeat thread renews it every few seconds with the progress; it is ``done`` in the transaction
that commits its last outcome. SIGTERM and SIGINT stop it between two units: the workers are
terminated, the outcomes of the units finished so far are stored and the run is marked
``interrupted`` (:class:`AuditInterrupted` is raised); an error stores it ``failed`` the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ... import __version__
from ..backends import backend_name
from ..outcomes.counts import CountKey
from ..outcomes.results import InputIssue, RulesetInfo
from ..outcomes.waivers import apply_waivers
from ..rules.packs import default_catalog, load_catalog
from ..sources.database import SUBJECT_KINDS, AuditScope, DatabaseSource, Snapshot, current_snapshot, plan_units
from ..speed.collector import batch_collection
from ..store import runs as run_store
from ..store.runs import AuditReport, finish_run, start_run, stop_run
from .coverage import coverage_warnings
from .executor import (
    EXECUTORS,
    DatabaseUnit,
    ExecutorUnavailable,
    PartitionTask,
    UnitFailed,
    open_executor,
    run_calendar,
)
from .pipeline import PartitionResult, RunSettings, choose_packs

AuditProgress = Callable[[int, int], None]


__all__ = ["AuditScope", "Snapshot", "UnitFailed", "current_snapshot"]


@dataclass
class AuditParams:
    """Everything a run depends on; stored with the run."""

    as_of: dt.date
    scope: AuditScope = field(default_factory=AuditScope)
    rulesets: tuple[str, ...] = ()
    rules_dir: str | None = None
    holidays: str | None = None
    waivers: str | None = None
    #: a required step with no record: "indeterminate", or "violation" (records.md, Outcomes)
    absent_steps: str = "indeterminate"
    #: the backend that runs the rules (``engine/backends``; None: the default, by its name from then
    #: on); every one gives the same outcomes
    engine: str | None = None
    #: where the partitions were evaluated (``executor.EXECUTORS``) and, for ``dask``, the scheduler's
    #: address (None: a local cluster); the same outcomes either way. Stored only when not ``local``,
    #: so a local run's parameters are as before, and a run stored before they existed reads as local
    executor: str = "local"
    scheduler: str | None = None

    def __post_init__(self) -> None:
        self.engine = backend_name(self.engine)
        if self.executor not in EXECUTORS:
            raise ValueError(f"unknown executor {self.executor!r} (one of {', '.join(EXECUTORS)})")
        if self.executor == "local":
            self.scheduler = None

    def settings(self, lang: str = "zh") -> RunSettings:
        """The pipeline's settings for this run: passes counted, coverage counted per reason."""
        return RunSettings(
            self.as_of, self.rulesets, self.absent_steps, list_passes=False, lang=lang, engine=self.engine
        )

    def to_dict(self) -> dict[str, Any]:
        how = {"executor": self.executor, "scheduler": self.scheduler} if self.executor != "local" else {}
        return {
            "as_of": self.as_of.isoformat(),
            "region": self.scope.region,
            "year": self.scope.year,
            "kinds": list(self.scope.kinds),
            "rulesets": list(self.rulesets),
            "rules_dir": self.rules_dir,
            "holidays": self.holidays,
            "waivers": self.waivers,
            "absent_steps": self.absent_steps,
            "engine": self.engine,
            **how,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditParams:
        """The parameters of a stored run (runs stored before ``absent_steps`` existed: indeterminate)."""
        return cls(
            as_of=dt.date.fromisoformat(data["as_of"]),
            scope=AuditScope(data.get("region"), data.get("year"), tuple(data.get("kinds") or ())),
            rulesets=tuple(data.get("rulesets") or ()),
            rules_dir=data.get("rules_dir"),
            holidays=data.get("holidays"),
            waivers=data.get("waivers"),
            absent_steps=data.get("absent_steps") or "indeterminate",
            engine=data.get("engine"),
            executor=data.get("executor") or "local",
            scheduler=data.get("scheduler"),
        )


class AuditInterrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT stopped a run; it is stored ``interrupted`` with the outcomes of the units
    finished before (``run_id``, ``progress``). A KeyboardInterrupt, so that callers that stop on
    Ctrl-C stop on it."""

    def __init__(self, signum: int):
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        self.run_id: int | None = None
        self.progress: dict[str, int] | None = None
        self.stored = False
        super().__init__(f"audit interrupted by {self.signal_name}")

    @property
    def exit_code(self) -> int:
        """What a shell reports for a process ended by the signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


#: the signals that interrupt a run
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _StopSignals:
    """SIGTERM and SIGINT handlers for a run's duration (only the main thread can have them). In the
    collecting loop (``deferred``) a signal is noted and the loop stops after the unit at hand, so the
    work kept is made of whole units; anywhere else it raises AuditInterrupted at once."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.deferred = False
        self.done = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        if self.done and self.received is not None:
            signal.raise_signal(self.received)  # came after the run was done: as if we had no handler

    def completed(self) -> None:
        """The run is done: a signal from now on no longer interrupts it, and is delivered afterwards."""
        self.deferred = self.done = True

    def _handle(self, signum, _frame) -> None:
        self.received = self.received or signum
        if not self.deferred:
            raise AuditInterrupted(signum)

    def check(self) -> None:
        if self.received is not None:
            raise AuditInterrupted(self.received)


class _Heartbeat(threading.Thread):
    """Renews the run's heartbeat and progress every ``runs.HEARTBEAT_SECONDS`` from a thread of its
    own: a SQLite write may wait behind an import's transaction, and the audit must not."""

    def __init__(self, engine: Engine, run_id: int):
        super().__init__(name=f"fzcheck-audit-{run_id}-heartbeat", daemon=True)
        self.engine = engine
        self.run_id = run_id
        #: replaced (never changed in place) by the collecting loop
        self.progress: dict[str, int] = {"done": 0, "total": 0}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(run_store.HEARTBEAT_SECONDS):
            try:
                run_store.heartbeat(self.engine, self.run_id, self.progress)
            except Exception:  # a busy or vanished database: the next beat tries again
                continue

    def stop(self) -> None:
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=2)


@dataclass
class _Collected:
    """What the units sent back so far."""

    records: int = 0
    result: PartitionResult = field(default_factory=PartitionResult)
    #: register rows matched to no agency (or to several), as ``check`` warns of them
    agency_warnings: list[InputIssue] = field(default_factory=list)


@batch_collection()
def run_audit(
    engine: Engine,
    params: AuditParams,
    *,
    jobs: int = 2,
    progress: AuditProgress | None = None,
    waivers: Sequence = (),
    lang: str = "zh",
    rerun_of: int | None = None,
) -> AuditReport:
    """Evaluate the scope, apply waivers, store the run; returns the run's report (``run_id`` set).

    ``lang``: the language of the run's coverage warnings (stored as written). ``rerun_of``: the run
    whose stored parameters these are (``fzcheck audit rerun``). SIGTERM or SIGINT (in the main
    thread) store the run ``interrupted`` and raise :class:`AuditInterrupted`; any other exception
    stores it ``failed`` and goes on."""
    catalog = load_catalog(params.rules_dir) if params.rules_dir else default_catalog()
    choose_packs(catalog, params.rulesets)  # unknown --ruleset fails before anything is stored
    calendar = run_calendar(params.holidays)  # so does a holiday file that cannot be read
    provenance = calendar.provenance() if hasattr(calendar, "provenance") else None
    if params.executor != "local" and engine.dialect.name == "duckdb":
        raise ExecutorUnavailable(
            f"--executor {params.executor} cannot audit a DuckDB file: it is open in one process at a time "
            "(use --executor local, or a SQLite or PostgreSQL database)"
        )
    if engine.dialect.name == "duckdb":
        jobs = 1  # a DuckDB file is open in one process at a time: the units are evaluated here
    # a cluster that cannot be had (dask not installed, the scheduler unreachable) fails before a run is stored
    with open_executor(params.executor, jobs, params.scheduler) as executor, _StopSignals() as signals:
        snapshot = current_snapshot(engine)
        run_id = start_run(
            engine,
            params.as_of,
            {**params.to_dict(), "calendar": provenance},
            __version__,
            snapshot=snapshot.to_dict(),
            rerun_of=rerun_of,
        )
        beat = _Heartbeat(engine, run_id)
        beat.start()
        started = time.perf_counter()
        work = _Collected()

        def report(status: str = "done") -> AuditReport:
            return _report(work, params, catalog, provenance, run_id, waivers, lang, started, status)

        try:
            units, work.records = plan_units(engine, params.scope, params.as_of, snapshot)
            url = _worker_url(engine, params.executor)
            if any(unit[0] == "agency_year" for unit in units):
                source = DatabaseSource(url, params.scope, params.as_of, calendar, (), snapshot)
                work.agency_warnings = source.agency_warnings()
                source.close()
            total = sum(unit[3] for unit in units)
            done = 0
            beat.progress = {"done": 0, "total": total}
            settings = params.settings(lang)
            tasks = [
                PartitionTask(
                    params.rules_dir, settings, DatabaseUnit(url, params.scope, snapshot, unit, params.holidays)
                )
                for unit in units
            ]
            signals.deferred = True
            try:
                for result in executor.run(tasks, ordered=False, poll=signals.check):
                    work.result.merge(result)
                    done += result.rows
                    beat.progress = {"done": done, "total": total}
                    if progress:
                        progress(done, total)
                    signals.check()
            finally:
                signals.deferred = False
            signals.check()
            finished = report()
            if engine.dialect.name == "duckdb":
                # DuckDB refuses a row changed by two open transactions: the heartbeat's update of the
                # run would make the storing of its outcomes fail (and no other process can read the
                # file while this one has it open, so none waits for the heartbeat)
                beat.stop()
            finish_run(engine, finished, run_id, list(waivers), progress=beat.progress)
            signals.completed()
            beat.stop()
            return finished
        except BaseException as exc:
            beat.stop()
            if isinstance(exc, AuditInterrupted):
                status, detail = "interrupted", exc.signal_name
                exc.run_id, exc.progress = run_id, beat.progress
            elif isinstance(exc, KeyboardInterrupt):
                status, detail = "interrupted", "SIGINT"
            else:
                status, detail = "failed", f"{exc.__class__.__name__}: {exc}"
            stored = _store_stopped(engine, run_id, report, status, detail, beat.progress, waivers)
            if isinstance(exc, AuditInterrupted):
                exc.stored = stored
            raise


def _worker_url(engine: Engine, executor: str) -> str:
    """The database's URL as the units' workers open it: a SQLite file's path made absolute for a
    cluster's workers (their working folder need not be ours)."""
    url = engine.url
    if (
        executor != "local"
        and engine.dialect.name == "sqlite"
        and url.database
        and url.database != ":memory:"
        and not url.database.startswith("file:")
    ):
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=False)


def _report(
    work: _Collected,
    params: AuditParams,
    catalog,
    provenance,
    run_id: int,
    waivers: Sequence,
    lang: str,
    started: float,
    status: str = "done",
) -> AuditReport:
    """The run's report from what the units sent back: outcomes in order, waivers applied, every
    outcome counted by rule, agency and month. ``status`` other than done: the part done so far."""
    result = work.result
    outcomes = sorted(
        result.outcomes, key=lambda o: (SUBJECT_KINDS.index(o.record_kind), o.record_id, o.ruleset, o.rule_id)
    )
    counts = Counter(result.passes)
    report = AuditReport(
        tool_version=__version__,
        as_of=params.as_of,
        rulesets=[
            RulesetInfo(p, catalog.packs[p].meta.version, catalog.packs[p].sha256, catalog.packs[p].meta.title)
            for p in sorted(result.packs)
        ],
        records=work.records,
        outcomes=outcomes,
        warnings=[*work.agency_warnings, *coverage_warnings(result.coverage, lang)],
        unlisted_provisional=sum(result.provisional.values()),
        calendar=provenance,
        absent_steps=params.absent_steps,
        pass_count=sum(counts.values()),
        placement=result.placement,
        run_id=run_id,
        parameters=params.to_dict(),
        subjects=result.subjects,
        provisional_passes=Counter(result.provisional),
        status=status,
    )
    if waivers:
        apply_waivers(report, list(waivers), params.as_of)
        if status != "done":  # a waiver may match an outcome of the part not done
            report.warnings = [w for w in report.warnings if getattr(w.message, "id", None) != "waiver.matched_none"]
    for outcome in outcomes:
        agency, month, region_code = result.placement[(outcome.record_kind, outcome.record_id)]
        counts[
            CountKey(outcome.ruleset, outcome.rule_id, outcome.record_kind, agency, month, outcome.outcome, region_code)
        ] += 1
    report.counts = counts
    report.duration_seconds = time.perf_counter() - started
    return report


def _store_stopped(
    engine: Engine,
    run_id: int,
    report: Callable[[str], AuditReport],
    status: str,
    detail: str,
    progress: dict[str, int],
    waivers: Sequence,
) -> bool:
    """Store a run that did not finish, with the outcomes of the units done (True); if that fails too
    (another signal, the database), at least its status (False); if not even that, nothing — its
    process being gone, it is then shown as interrupted."""
    try:
        finish_run(engine, report(status), run_id, list(waivers), status=status, detail=detail, progress=progress)
        return True
    except BaseException:
        with contextlib.suppress(BaseException):
            stop_run(engine, run_id, status, detail, progress)
        return False


def summary_table(report: AuditReport, by: str) -> list[tuple[str, dict[str, int]]]:
    """Outcome counts grouped ``by`` "rule", "agency" or "month", most violations first."""
    index = {"rule": 1, "agency": 3, "month": 4}[by]
    table: dict[str, Counter] = defaultdict(Counter)
    for key, count in report.counts.items():
        table[key[index] or "—"][key[5]] += count
    rows = sorted(table.items(), key=lambda item: (-item[1]["violation"], item[0]))
    return (
        [(name, dict(counts)) for name, counts in rows]
        if by != "month"
        else sorted(((name, dict(counts)) for name, counts in table.items()), key=lambda item: item[0])
    )


def record_path(value: str | Path | None) -> str | None:
    return str(Path(value).resolve()) if value else None
