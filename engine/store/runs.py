"""Audit runs in the database: storing a run, listing runs, loading one back as a Report, comparing two.

A run's lifecycle. ``start_run`` stores it ``running`` with the process that runs it (pid, host) and a
heartbeat the process renews every few seconds (``heartbeat``) with its progress. It becomes ``done``
in the transaction that commits its last outcome (``finish_run``); ``interrupted`` when SIGTERM or
SIGINT stopped it, ``failed`` when an error did — both with the outcomes of the work finished so far,
labelled as such. A run still marked ``running`` whose process is gone (a SIGKILL, a power cut) is
*shown* as interrupted (``run_state``): on this host when its pid is no longer alive (or is another
process's now), on another host when its heartbeat is older than ``STALE_SECONDS``. Only a ``done``
run is an audit's result: ``diff_runs`` refuses the others (``RunIncomplete``), and its report's exit
code is 2.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ...messages import message_data, stored_message
from ..outcomes.counts import NO_PLACEMENT, CountKey, Placement
from ..outcomes.results import EXIT_INPUT_ERRORS, Citation, InputIssue, Outcome, Report, RulesetInfo, SourceRef
from .database import inserted_id, json_dumps, writer
from .schema import audit_counts, audit_outcomes, audit_rules, audit_runs, waivers

#: running (its process is at work), done (every outcome committed), interrupted (SIGTERM, SIGINT, or
#: its process is gone), failed (an error stopped it)
RUN_STATUSES = ("running", "done", "interrupted", "failed")
#: how often a running audit renews its heartbeat (``FZCHECK_HEARTBEAT_SECONDS`` overrides it)
HEARTBEAT_SECONDS = float(os.environ.get("FZCHECK_HEARTBEAT_SECONDS") or 5)
#: a run of another host whose heartbeat is older than this is taken as interrupted (well above the
#: heartbeat: a SQLite write may wait up to its busy timeout behind an import)
STALE_SECONDS = 900
STATUS_LABELS = {
    "zh": {"running": "运行中", "done": "已完成", "interrupted": "已中断", "failed": "失败"},
    "en": {"running": "running", "done": "done", "interrupted": "interrupted", "failed": "failed"},
}


class RunNotFound(LookupError):
    def __init__(self, run_id: Any):
        super().__init__(f"no audit run {run_id}; see `fzcheck audit list`")


def utcnow() -> dt.datetime:
    """Heartbeats are UTC (naive, as the column holds them): hosts of one database may differ in zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RunState:
    """A run's status as shown: the stored one, except that a run marked running whose process is
    gone is interrupted. ``reason``: "signal" or "error" (``detail`` names it), "process_gone",
    "heartbeat" (none for ``STALE_SECONDS``), or None."""

    run_id: int
    status: str
    stored: str
    reason: str | None = None
    detail: str | None = None
    pid: int | None = None
    host: str | None = None
    heartbeat_at: dt.datetime | None = None
    progress: dict[str, int] | None = None

    @property
    def finished(self) -> bool:
        return self.status == "done"

    def percent(self) -> int | None:
        """Share of the run's work done (rows of its work units), when known."""
        progress = self.progress or {}
        if not progress.get("total"):
            return None
        return int(100 * progress.get("done", 0) / progress["total"])

    def describe(self, lang: str = "zh") -> str:
        """Why the run is not done, in words: 收到 SIGTERM, 进程 123（host）已不存在, …"""
        zh = lang == "zh"
        if self.reason == "signal":
            return f"收到 {self.detail}" if zh else f"received {self.detail}"
        if self.reason == "error":
            first = (self.detail or "").strip().splitlines()[0] if (self.detail or "").strip() else "?"
            return f"出错：{first}" if zh else f"error: {first}"
        if self.reason == "process_gone":
            return f"进程 {self.pid}（{self.host}）已不存在" if zh else f"its process {self.pid} on {self.host} is gone"
        if self.reason == "heartbeat":
            since = self.heartbeat_at.strftime("%Y-%m-%d %H:%M:%S") if self.heartbeat_at else "?"
            return (
                f"进程 {self.pid}（{self.host}）自 {since}（UTC）起无心跳"
                if zh
                else f"no heartbeat from process {self.pid} on {self.host} since {since} UTC"
            )
        if self.status == "running":
            return (
                f"进程 {self.pid}（{self.host}）仍在运行" if zh else f"process {self.pid} on {self.host} still at work"
            )
        return ""


class RunIncomplete(Exception):
    """A run that did not finish, asked for where only a finished run will do (a diff)."""

    def __init__(self, state: RunState):
        self.state = state
        super().__init__(f"run {state.run_id} did not finish ({state.status})")


def run_state(row: Any, *, now: dt.datetime | None = None, host: str | None = None) -> RunState:
    """The status of a stored run (a row of ``audit_runs``) as it is: see the module's docstring."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    stored = mapping["status"]
    common = {
        "run_id": mapping["id"],
        "stored": stored,
        "pid": mapping.get("pid"),
        "host": mapping.get("host"),
        "heartbeat_at": mapping.get("heartbeat_at"),
        "progress": mapping.get("progress"),
    }
    detail = mapping.get("status_detail")
    if stored == "interrupted":
        return RunState(status=stored, reason="signal" if detail else None, detail=detail, **common)
    if stored == "failed":
        if detail is None:  # stored before status_detail: the reason was the run's one warning
            detail = next((w.get("message") for w in mapping.get("warnings") or []), None)
        return RunState(status=stored, reason="error", detail=detail, **common)
    if stored != "running":
        return RunState(status=stored, **common)
    host = host or socket.gethostname()
    now = now or utcnow()
    pid, started = mapping.get("pid"), mapping.get("started_at")
    if pid is not None and mapping.get("host") == host:
        alive = process_alive(pid, started)
        return RunState(
            status="running" if alive else "interrupted", reason=None if alive else "process_gone", **common
        )
    # another host (or a run stored before runs had a heartbeat): the heartbeat is all there is
    last = mapping.get("heartbeat_at")
    if last is None and started is not None:
        last = started.astimezone(dt.UTC).replace(tzinfo=None)
    if last is None or (now - last).total_seconds() > STALE_SECONDS:
        return RunState(status="interrupted", reason="heartbeat", **common)
    return RunState(status="running", **common)


def process_alive(pid: int, started_at: dt.datetime | None = None) -> bool:
    """Whether process ``pid`` of this host lives and is still the one that started a run at
    ``started_at`` (local time): on Linux a zombie is dead, and a process that started later has
    only been given the same pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the pid is all we know
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return False
    if started_at is not None:
        try:
            boot = next(
                int(line.split()[1])
                for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime ")
            )
            begun = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        except (OSError, StopIteration, ValueError, IndexError):
            return True
        if begun > started_at.timestamp() + 2:  # btime has whole seconds
            return False
    return True


@dataclass
class AuditReport(Report):
    """A Report whose passing outcomes are counted, not listed (an audit has millions of them)."""

    pass_count: int = 0
    #: every outcome (passes included) by CountKey: the summary tables and charts
    counts: Counter = field(default_factory=Counter)
    #: (kind, record id) -> (agency, month) of the records with listed outcomes
    placement: dict[tuple[str, str], Placement] = field(default_factory=dict)
    run_id: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    duration_seconds: float | None = None
    subjects: int = 0
    packs_recorded: bool = False
    #: the provisional passes among ``counts`` (CountKeys of outcome "pass"); ``unlisted_provisional``
    #: is their sum — kept by key so that a part of a stored run counts its own
    provisional_passes: Counter[CountKey] = field(default_factory=Counter)
    #: "done", or the status of a run that did not finish (its outcomes are those of the work done)
    status: str = "done"
    #: the stored run's state (load_run); None for a report made by this process
    state: RunState | None = None
    rerun_of: int | None = None
    #: the imports the run read: {"import_id": highest, "excluded": [ids not finished at its start]}
    snapshot: dict[str, Any] | None = None

    def summary(self) -> dict[str, int]:
        counts = super().summary()
        counts["pass"] += self.pass_count
        return counts

    @property
    def partial(self) -> bool:
        return self.status != "done"

    def exit_code(self, fail_on: str = "error") -> int:
        """A run that did not finish is no result (2), whatever the part of it that was stored holds."""
        return EXIT_INPUT_ERRORS if self.partial else super().exit_code(fail_on)


def start_run(
    engine: Engine,
    as_of: dt.date,
    parameters: dict[str, Any],
    tool_version: str,
    *,
    snapshot: dict[str, Any] | None = None,
    rerun_of: int | None = None,
) -> int:
    """Store a new run, ``running`` in this process (pid, host, a first heartbeat)."""
    snapshot = snapshot or {}
    with writer(engine).begin() as connection:
        return inserted_id(
            connection.execute(
                insert(audit_runs).values(
                    started_at=dt.datetime.now(),
                    status="running",
                    as_of=as_of,
                    parameters=parameters,
                    tool_version=tool_version,
                    pid=os.getpid(),
                    host=socket.gethostname(),
                    heartbeat_at=utcnow(),
                    snapshot_import=snapshot.get("import_id"),
                    snapshot_excluded=snapshot.get("excluded"),
                    rerun_of=rerun_of,
                )
            )
        )


def heartbeat(engine: Engine, run_id: int, progress: dict[str, int] | None = None) -> None:
    """The run's process is alive (and has done this much): renews ``heartbeat_at`` of a running run."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = progress
    with writer(engine).begin() as connection:
        connection.execute(
            update(audit_runs).where(audit_runs.c.id == run_id, audit_runs.c.status == "running").values(**values)
        )


def stop_run(
    engine: Engine, run_id: int, status: str, detail: str | None, progress: dict[str, int] | None = None
) -> None:
    """Mark a running run ``interrupted`` or ``failed`` (``detail``: the signal or the error), keeping
    nothing of its outcomes; a run already done stays done."""
    values: dict[str, Any] = {"status": status, "status_detail": detail, "finished_at": dt.datetime.now()}
    if progress is not None:
        values["progress"] = progress
    with writer(engine).begin() as connection:
        connection.execute(
            update(audit_runs).where(audit_runs.c.id == run_id, audit_runs.c.status == "running").values(**values)
        )


_OUTCOME_COLUMNS = (
    "run_id",
    "seq",
    "outcome",
    "rule_id",
    "ruleset",
    "severity",
    "record_kind",
    "record_id",
    "region_code",
    "agency",
    "month",
    "source_file",
    "source_line",
    "messages",
    "evidence",
    "waiver",
)
_OUTCOME_INSERT = (
    f"INSERT INTO {audit_outcomes.name} ({', '.join(_OUTCOME_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _OUTCOME_COLUMNS)})"
)
#: outcome rows built and written at a time (a run's rows are never all held twice over)
OUTCOME_BATCH = 10_000


def _outcome_rows(report: AuditReport, run_id: int, start: int, encode_json: bool) -> list[tuple]:
    """Rows of ``audit_outcomes`` for the outcomes from ``start`` on (``seq`` is the position in the
    report); with ``encode_json`` the JSON columns are already text, as the driver takes them."""
    encode = json_dumps if encode_json else (lambda value: value)
    rows = []
    for seq, outcome in enumerate(report.outcomes[start : start + OUTCOME_BATCH], start):
        agency, month, region_code = report.placement.get((outcome.record_kind, outcome.record_id), NO_PLACEMENT)
        source = outcome.source
        rows.append(
            (
                run_id,
                seq,
                outcome.outcome,
                outcome.rule_id,
                outcome.ruleset,
                outcome.severity,
                outcome.record_kind,
                outcome.record_id,
                region_code,
                agency,
                month,
                source.file if source else None,
                source.line if source else None,
                encode(outcome.messages),
                encode(outcome.evidence),
                None if outcome.waiver is None else encode(outcome.waiver),
            )
        )
    return rows


def finish_run(
    engine: Engine,
    report: AuditReport,
    run_id: int,
    waivers_used: list,
    *,
    status: str = "done",
    detail: str | None = None,
    progress: dict[str, int] | None = None,
) -> None:
    """Store the outcomes, counts, rules and waivers of a run in one transaction, which also makes it
    ``status``: "done" for a finished run — it is done once its last outcome is committed — or
    "interrupted"/"failed" (``detail``: the signal or the error) with the outcomes of the work done.

    On SQLite the outcome rows go to the driver's executemany with their JSON columns already
    encoded (a run lists a few hundred thousand of them); PostgreSQL takes them through SQLAlchemy.
    """
    rules: dict[tuple[str, str], Outcome] = {}
    for outcome in report.outcomes:
        rules.setdefault((outcome.ruleset, outcome.rule_id), outcome)
    with writer(engine).begin() as connection:
        driver = connection.dialect.name == "sqlite"
        for start in range(0, len(report.outcomes), OUTCOME_BATCH):
            rows = _outcome_rows(report, run_id, start, encode_json=driver)
            if driver:
                connection.exec_driver_sql(_OUTCOME_INSERT, rows)
            else:
                connection.execute(insert(audit_outcomes), [dict(zip(_OUTCOME_COLUMNS, row)) for row in rows])
        if report.counts:
            connection.execute(
                insert(audit_counts),
                [
                    {"run_id": run_id, **CountKey(*key)._asdict(), "count": count}
                    for key, count in report.counts.items()
                ],
            )
        if rules:
            connection.execute(
                insert(audit_rules),
                [
                    {
                        "run_id": run_id,
                        "ruleset": o.ruleset,
                        "rule_id": o.rule_id,
                        "severity": o.severity,
                        "title": o.title,
                        "citation": o.citation.to_dict(),
                    }
                    for o in rules.values()
                ],
            )
        if waivers_used:
            connection.execute(
                insert(waivers),
                [
                    {
                        "run_id": run_id,
                        "rule": w.rule,
                        "record": w.record,
                        "ruleset": w.ruleset,
                        "reason": w.reason,
                        "approver": w.approver,
                        "expires": w.expires,
                        "file": w.file,
                        "line": w.line,
                    }
                    for w in waivers_used
                ],
            )
        stored = connection.execute(
            update(audit_runs)
            .where(audit_runs.c.id == run_id, audit_runs.c.status == "running")
            .values(
                status=status,
                status_detail=detail,
                finished_at=dt.datetime.now(),
                heartbeat_at=utcnow(),
                duration_seconds=report.duration_seconds,
                rulesets=[info.to_dict() | {"title": info.title} for info in report.rulesets],
                records=report.records,
                subjects=report.subjects,
                summary=_stored_summary(report),
                warnings=[_stored_warning(issue) for issue in report.warnings],
                **({"progress": progress} if progress is not None else {}),
            )
        )
        if stored.rowcount != 1:
            raise RuntimeError(f"audit run {run_id} is no longer running; its outcomes were not stored")


def _stored_warning(issue: InputIssue) -> dict[str, Any]:
    """A warning as a run keeps it: its dict (the message in Chinese) and, for a catalog message, its id
    and parameters, so that `audit show --lang en` says it in English."""
    data = issue.to_dict()
    stored = message_data(issue.message)
    if stored is not None:
        data["message_data"] = stored
    return data


def _stored_summary(report: AuditReport) -> dict[str, Any]:
    """The run's summary, and its provisional passes by count key as rows
    ``[ruleset, rule id, record kind, agency, month, count, region code]`` (for the counts of a part of the run)."""
    return {
        **report.summary(),
        "provisional_passes": [
            [*key[:5], count, key.region_code]
            for key, count in sorted(report.provisional_passes.items(), key=lambda item: str(item[0]))
            if count
        ],
    }


def _provisional_key(row: list) -> CountKey:
    """A stored provisional-pass row as its CountKey (rows stored before regions were counted have no
    region: six items)."""
    return CountKey(row[0], row[1], row[2], row[3], row[4], "pass", row[6] if len(row) > 6 else None)


_STATE_COLUMNS = (
    audit_runs.c.id,
    audit_runs.c.started_at,
    audit_runs.c.status,
    audit_runs.c.status_detail,
    audit_runs.c.pid,
    audit_runs.c.host,
    audit_runs.c.heartbeat_at,
    audit_runs.c.progress,
    audit_runs.c.warnings,
)


def list_runs(engine: Engine) -> list[dict[str, Any]]:
    """Every run, oldest first; ``status`` as shown (a run whose process is gone is interrupted),
    ``state`` the RunState behind it."""
    runs = []
    with engine.connect() as connection:
        for row in connection.execute(
            select(
                *_STATE_COLUMNS,
                audit_runs.c.as_of,
                audit_runs.c.parameters,
                audit_runs.c.records,
                audit_runs.c.duration_seconds,
                audit_runs.c.summary,
                audit_runs.c.rerun_of,
            ).order_by(audit_runs.c.id)
        ):
            run = dict(row._mapping)
            run["state"] = run_state(run)
            run["status"] = run["state"].status
            runs.append(run)
    return runs


def load_state(engine: Engine, run_id: int) -> RunState:
    """The state of one run (RunNotFound when there is none)."""
    with engine.connect() as connection:
        row = connection.execute(select(*_STATE_COLUMNS).where(audit_runs.c.id == run_id)).first()
    if row is None:
        raise RunNotFound(run_id)
    return run_state(row)


def stored_parameters(engine: Engine, run_id: int) -> dict[str, Any]:
    """The parameters a run was started with (its holiday data under "calendar"), for a rerun."""
    with engine.connect() as connection:
        parameters = connection.execute(select(audit_runs.c.parameters).where(audit_runs.c.id == run_id)).first()
    if parameters is None:
        raise RunNotFound(run_id)
    return dict(parameters[0] or {})


@dataclass(frozen=True)
class OutcomeFilter:
    """The part of a stored run to show (drill-down): outcomes of these rules, record kinds, outcome
    kinds, an agency whose name contains ``agency``, a month (YYYY-MM). Empty: the whole run.

    Every criterion is a column of both the outcomes and the counts tables, so the passes counted
    for the shown part are exact too.
    """

    rules: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    agency: str | None = None
    month: str | None = None

    def __bool__(self) -> bool:
        return bool(self.rules or self.kinds or self.outcomes or self.agency or self.month)

    def clauses(self, table) -> list:
        clauses = []
        for column, values in (("rule_id", self.rules), ("record_kind", self.kinds), ("outcome", self.outcomes)):
            if values:
                clauses.append(table.c[column].in_(values))
        if self.agency:
            clauses.append(table.c.agency.contains(self.agency, autoescape=True))
        if self.month:
            clauses.append(table.c.month == self.month)
        return clauses

    def to_dict(self) -> dict[str, Any]:
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in (
                ("rules", self.rules),
                ("kinds", self.kinds),
                ("outcomes", self.outcomes),
                ("agency", self.agency),
                ("month", self.month),
            )
            if value
        }

    def admits(self, key: CountKey) -> bool:
        """Whether a count key belongs to the part (what ``clauses`` selects, for keys held in Python)."""
        _ruleset, rule_id, kind, agency, month, outcome, *_region = key
        return (
            (not self.rules or rule_id in self.rules)
            and (not self.kinds or kind in self.kinds)
            and (not self.outcomes or outcome in self.outcomes)
            and (not self.agency or self.agency.casefold() in (agency or "").casefold())
            and (not self.month or month == self.month)
        )


@dataclass(frozen=True)
class Scope:
    """What one account may see of a stored run: everything, one agency's part (its name, exactly as
    the records carry it), or a region's (region codes beginning with ``region``), or both at once.

    Unlike an OutcomeFilter (what a user asks to see) a scope is who the user is: ``load_run`` applies
    it to outcomes and counts alike, and a scoped report carries nothing of the rest of the run — its
    record count is the records with outcomes in scope, and the run's coverage warnings (which name
    records of every agency) are left out.
    """

    agency: str | None = None
    region: str | None = None

    def __bool__(self) -> bool:
        return bool(self.agency or self.region)

    def clauses(self, table) -> list:
        clauses = []
        if self.agency:
            clauses.append(table.c.agency == self.agency)
        if self.region:
            clauses.append(table.c.region_code.startswith(self.region, autoescape=True))
        return clauses

    def admits(self, key: CountKey) -> bool:
        key = CountKey(*key)
        return (not self.agency or key.agency == self.agency) and (
            not self.region or (key.region_code or "").startswith(self.region)
        )

    def to_dict(self) -> dict[str, str]:
        return {name: value for name, value in (("agency", self.agency), ("region", self.region)) if value}


EVERYTHING = Scope()


def load_run(
    engine: Engine, run_id: int, shown: OutcomeFilter = OutcomeFilter(), scope: Scope = EVERYTHING
) -> AuditReport:
    """A stored run as the Report it produced (passes as counts), for every renderer; narrowed to
    ``shown`` when given (its outcomes, and the counts of its rules, kinds, agencies and months) and
    to what ``scope`` may see."""
    with engine.connect() as connection:
        run = connection.execute(select(audit_runs).where(audit_runs.c.id == run_id)).first()
        if run is None:
            raise RunNotFound(run_id)
        rules = {
            (row.ruleset, row.rule_id): row
            for row in connection.execute(select(audit_rules).where(audit_rules.c.run_id == run_id))
        }
        citations = {key: Citation(**rule.citation) for key, rule in rules.items()}
        outcomes, placement = [], {}
        for row in connection.execute(
            select(audit_outcomes)
            .where(audit_outcomes.c.run_id == run_id, *shown.clauses(audit_outcomes), *scope.clauses(audit_outcomes))
            .order_by(audit_outcomes.c.seq)
        ):
            outcomes.append(
                Outcome(
                    outcome=row.outcome,
                    rule_id=row.rule_id,
                    ruleset=row.ruleset,
                    severity=row.severity,
                    record_kind=row.record_kind,
                    record_id=row.record_id,
                    source=SourceRef(row.source_file, row.source_line) if row.source_file else None,
                    messages=row.messages,
                    evidence=row.evidence,
                    citation=citations[(row.ruleset, row.rule_id)],
                    title=rules[(row.ruleset, row.rule_id)].title,
                    waiver=row.waiver,
                )
            )
            placement[(row.record_kind, row.record_id)] = Placement(row.agency, row.month, row.region_code)
        counts = Counter(
            {
                CountKey(
                    row.ruleset, row.rule_id, row.record_kind, row.agency, row.month, row.outcome, row.region_code
                ): row.count
                for row in connection.execute(
                    select(audit_counts).where(
                        audit_counts.c.run_id == run_id, *shown.clauses(audit_counts), *scope.clauses(audit_counts)
                    )
                )
            }
        )
    state = run_state(run)
    summary = run.summary or {}
    narrowed = bool(shown) or bool(scope)
    passes = sum(count for key, count in counts.items() if key[5] == "pass") if narrowed else summary.get("pass", 0)
    provisional = Counter({_provisional_key(row): row[5] for row in summary.get("provisional_passes") or []})
    if narrowed:
        provisional = Counter(
            {key: count for key, count in provisional.items() if shown.admits(key) and scope.admits(key)}
        )
        unlisted_provisional = sum(provisional.values())
    else:  # the run's own count (also for runs stored without the rows by key)
        unlisted_provisional = summary.get("provisional", 0) - sum(1 for o in outcomes if o.provisional)
    stored = dict(run.parameters or {})
    calendar = stored.pop("calendar", None)
    parameters = {**stored, "shown": shown.to_dict()} if shown else stored
    if scope:
        parameters = {**parameters, "scope": scope.to_dict()}
    return AuditReport(
        tool_version=run.tool_version,
        as_of=run.as_of,
        rulesets=[RulesetInfo(r["id"], r["version"], r["sha256"], r.get("title", "")) for r in run.rulesets or []],
        records=len(placement) if scope else run.records or 0,
        outcomes=outcomes,
        warnings=[]
        if scope
        else [
            InputIssue(
                w.get("file", ""),
                w.get("line"),
                w.get("field"),
                stored_message(w["message"], w.get("message_data")),
                record_id=w.get("record_id"),
                code=w.get("code"),
            )
            for w in run.warnings or []
        ],
        unlisted_provisional=max(unlisted_provisional, 0),
        calendar=calendar,
        absent_steps=stored.get("absent_steps") or "indeterminate",
        pass_count=passes,
        counts=counts,
        placement=placement,
        run_id=run.id,
        parameters=parameters,
        duration_seconds=run.duration_seconds,
        subjects=len(placement) if scope else run.subjects or 0,
        provisional_passes=provisional,
        status=state.status,
        state=state,
        rerun_of=run.rerun_of,
        snapshot=None
        if run.snapshot_import is None
        else {"import_id": run.snapshot_import, "excluded": list(run.snapshot_excluded or [])},
    )


@dataclass
class RunDiff:
    """Violations of run B compared with run A, keyed by (ruleset, rule, record kind, record id)."""

    new: list[Outcome]
    resolved: list[Outcome]
    persisting: list[Outcome]
    placement: dict[tuple[str, str], Placement]

    def by(self, what: str) -> list[tuple[str, int, int, int]]:
        """Rows (rule or agency, new, resolved, persisting), most new first."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for column, outcomes in enumerate((self.new, self.resolved, self.persisting)):
            for outcome in outcomes:
                key = (
                    outcome.rule_id
                    if what == "rule"
                    else (self.placement.get((outcome.record_kind, outcome.record_id), NO_PLACEMENT).agency or "—")
                )
                table[key][column] += 1
        rows = [(key, values[0], values[1], values[2]) for key, values in table.items()]
        return sorted(rows, key=lambda row: (-row[1], -row[3], row[0]))


def diff_runs(engine: Engine, run_a: int, run_b: int, scope: Scope = EVERYTHING) -> RunDiff:
    """Compare two finished runs; a run that did not finish is ``RunIncomplete`` (a violation it never
    got to would otherwise count as resolved)."""
    for run_id in (run_a, run_b):
        state = load_state(engine, run_id)
        if not state.finished:
            raise RunIncomplete(state)
    a, b = load_run(engine, run_a, scope=scope), load_run(engine, run_b, scope=scope)

    def violations(report: AuditReport) -> dict[tuple[str, str, str, str], Outcome]:
        return {
            (o.ruleset, o.rule_id, o.record_kind, o.record_id): o for o in report.outcomes if o.outcome == "violation"
        }

    before, after = violations(a), violations(b)
    return RunDiff(
        new=[o for key, o in after.items() if key not in before],
        resolved=[o for key, o in before.items() if key not in after],
        persisting=[o for key, o in after.items() if key in before],
        placement={**a.placement, **b.placement},
    )
