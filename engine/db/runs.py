"""Audit runs in the database: storing a run, listing runs, loading one back as a Report, comparing two."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from fzcheck.engine.db.database import json_dumps, writer
from fzcheck.engine.db.schema import audit_counts, audit_outcomes, audit_rules, audit_runs, waivers
from fzcheck.engine.results import Citation, InputIssue, Outcome, Report, RulesetInfo, SourceRef

#: Outcome counts by (ruleset, rule id, record kind, agency, month, outcome).
CountKey = tuple[str, str, str, str | None, str | None, str]


class RunNotFound(LookupError):
    def __init__(self, run_id: Any):
        super().__init__(f"no audit run {run_id}; see `fzcheck audit list`")


@dataclass
class AuditReport(Report):
    """A Report whose passing outcomes are counted, not listed (an audit has millions of them)."""

    pass_count: int = 0
    #: every outcome (passes included) by CountKey: the summary tables and charts
    counts: Counter = field(default_factory=Counter)
    #: (kind, record id) -> (agency, month) of the records with listed outcomes
    placement: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)
    run_id: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    duration_seconds: float | None = None
    subjects: int = 0
    packs_recorded: bool = False
    #: the provisional passes among ``counts`` (CountKeys of outcome "pass"); ``unlisted_provisional``
    #: is their sum — kept by key so that a part of a stored run counts its own
    provisional_passes: Counter = field(default_factory=Counter)

    def summary(self) -> dict[str, int]:
        counts = super().summary()
        counts["pass"] += self.pass_count
        return counts


def start_run(engine: Engine, as_of: dt.date, parameters: dict[str, Any], tool_version: str) -> int:
    with writer(engine).begin() as connection:
        return connection.execute(insert(audit_runs).values(
            started_at=dt.datetime.now(), status="running", as_of=as_of, parameters=parameters,
            tool_version=tool_version)).inserted_primary_key[0]


def fail_run(engine: Engine, run_id: int, reason: str) -> None:
    with writer(engine).begin() as connection:
        connection.execute(update(audit_runs).where(audit_runs.c.id == run_id).values(
            status="failed", finished_at=dt.datetime.now(), warnings=[{"message": reason}]))


_OUTCOME_COLUMNS = ("run_id", "seq", "outcome", "rule_id", "ruleset", "severity", "record_kind", "record_id",
                    "region_code", "agency", "month", "source_file", "source_line", "messages", "evidence", "waiver")
_OUTCOME_INSERT = (f"INSERT INTO {audit_outcomes.name} ({', '.join(_OUTCOME_COLUMNS)}) "
                   f"VALUES ({', '.join('?' for _ in _OUTCOME_COLUMNS)})")
#: outcome rows built and written at a time (a run's rows are never all held twice over)
OUTCOME_BATCH = 10_000


def _outcome_rows(report: AuditReport, run_id: int, start: int, encode_json: bool) -> list[tuple]:
    """Rows of ``audit_outcomes`` for the outcomes from ``start`` on (``seq`` is the position in the
    report); with ``encode_json`` the JSON columns are already text, as the driver takes them."""
    encode = json_dumps if encode_json else (lambda value: value)
    rows = []
    for seq, outcome in enumerate(report.outcomes[start:start + OUTCOME_BATCH], start):
        agency, month = report.placement.get((outcome.record_kind, outcome.record_id), (None, None))
        source = outcome.source
        rows.append((run_id, seq, outcome.outcome, outcome.rule_id, outcome.ruleset, outcome.severity,
                     outcome.record_kind, outcome.record_id, None, agency, month,
                     source.file if source else None, source.line if source else None,
                     encode(outcome.messages), encode(outcome.evidence),
                     None if outcome.waiver is None else encode(outcome.waiver)))
    return rows


def finish_run(engine: Engine, report: AuditReport, run_id: int, waivers_used: list) -> None:
    """Store the outcomes, counts, rules and waivers of a finished run in one transaction.

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
            connection.execute(insert(audit_counts), [
                {"run_id": run_id, "ruleset": key[0], "rule_id": key[1], "record_kind": key[2], "agency": key[3],
                 "month": key[4], "outcome": key[5], "count": count} for key, count in report.counts.items()])
        if rules:
            connection.execute(insert(audit_rules), [
                {"run_id": run_id, "ruleset": o.ruleset, "rule_id": o.rule_id, "severity": o.severity,
                 "title": o.title, "citation": o.citation.to_dict()} for o in rules.values()])
        if waivers_used:
            connection.execute(insert(waivers), [
                {"run_id": run_id, "rule": w.rule, "record": w.record, "ruleset": w.ruleset, "reason": w.reason,
                 "approver": w.approver, "expires": w.expires, "file": w.file, "line": w.line}
                for w in waivers_used])
        connection.execute(update(audit_runs).where(audit_runs.c.id == run_id).values(
            status="done", finished_at=dt.datetime.now(), duration_seconds=report.duration_seconds,
            rulesets=[info.to_dict() | {"title": info.title} for info in report.rulesets],
            records=report.records, subjects=report.subjects, summary=_stored_summary(report),
            warnings=[issue.to_dict() for issue in report.warnings]))


def _stored_summary(report: AuditReport) -> dict[str, Any]:
    """The run's summary, and its provisional passes by count key as rows
    ``[ruleset, rule id, record kind, agency, month, count]`` (for the counts of a part of the run)."""
    return {**report.summary(), "provisional_passes": [
        [*key[:5], count] for key, count in sorted(report.provisional_passes.items(), key=lambda item: str(item[0]))
        if count]}


def list_runs(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(audit_runs.c.id, audit_runs.c.started_at, audit_runs.c.status, audit_runs.c.as_of,
                   audit_runs.c.parameters, audit_runs.c.records, audit_runs.c.duration_seconds,
                   audit_runs.c.summary).order_by(audit_runs.c.id))]


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
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in (("rules", self.rules), ("kinds", self.kinds), ("outcomes", self.outcomes),
                                    ("agency", self.agency), ("month", self.month)) if value}

    def admits(self, key: CountKey) -> bool:
        """Whether a count key belongs to the part (what ``clauses`` selects, for keys held in Python)."""
        _ruleset, rule_id, kind, agency, month, outcome = key
        return ((not self.rules or rule_id in self.rules) and (not self.kinds or kind in self.kinds)
                and (not self.outcomes or outcome in self.outcomes)
                and (not self.agency or self.agency.casefold() in (agency or "").casefold())
                and (not self.month or month == self.month))


def load_run(engine: Engine, run_id: int, shown: OutcomeFilter = OutcomeFilter()) -> AuditReport:
    """A stored run as the Report it produced (passes as counts), for every renderer; narrowed to
    ``shown`` when given (its outcomes, and the counts of its rules, kinds, agencies and months)."""
    with engine.connect() as connection:
        run = connection.execute(select(audit_runs).where(audit_runs.c.id == run_id)).first()
        if run is None:
            raise RunNotFound(run_id)
        rules = {(row.ruleset, row.rule_id): row for row in connection.execute(
            select(audit_rules).where(audit_rules.c.run_id == run_id))}
        citations = {key: Citation(**rule.citation) for key, rule in rules.items()}
        outcomes, placement = [], {}
        for row in connection.execute(select(audit_outcomes)
                                      .where(audit_outcomes.c.run_id == run_id, *shown.clauses(audit_outcomes))
                                      .order_by(audit_outcomes.c.seq)):
            outcomes.append(Outcome(
                outcome=row.outcome, rule_id=row.rule_id, ruleset=row.ruleset, severity=row.severity,
                record_kind=row.record_kind, record_id=row.record_id,
                source=SourceRef(row.source_file, row.source_line) if row.source_file else None,
                messages=row.messages, evidence=row.evidence, citation=citations[(row.ruleset, row.rule_id)],
                title=rules[(row.ruleset, row.rule_id)].title, waiver=row.waiver))
            placement[(row.record_kind, row.record_id)] = (row.agency, row.month)
        counts = Counter({(row.ruleset, row.rule_id, row.record_kind, row.agency, row.month, row.outcome): row.count
                          for row in connection.execute(select(audit_counts).where(
                              audit_counts.c.run_id == run_id, *shown.clauses(audit_counts)))})
    summary = run.summary or {}
    passes = sum(count for key, count in counts.items() if key[5] == "pass") if shown else summary.get("pass", 0)
    provisional = Counter({(*row[:5], "pass"): row[5] for row in summary.get("provisional_passes") or []})
    if shown:
        provisional = Counter({key: count for key, count in provisional.items() if shown.admits(key)})
        unlisted_provisional = sum(provisional.values())
    else:  # the run's own count (also for runs stored without the rows by key)
        unlisted_provisional = summary.get("provisional", 0) - sum(1 for o in outcomes if o.provisional)
    stored = dict(run.parameters or {})
    calendar = stored.pop("calendar", None)
    parameters = {**stored, "shown": shown.to_dict()} if shown else stored
    return AuditReport(
        tool_version=run.tool_version, as_of=run.as_of,
        rulesets=[RulesetInfo(r["id"], r["version"], r["sha256"], r.get("title", "")) for r in run.rulesets or []],
        records=run.records or 0, outcomes=outcomes,
        warnings=[InputIssue(w.get("file", ""), w.get("line"), w.get("field"), w["message"],
                             record_id=w.get("record_id"), code=w.get("code")) for w in run.warnings or []],
        unlisted_provisional=max(unlisted_provisional, 0), calendar=calendar,
        absent_steps=stored.get("absent_steps") or "indeterminate",
        pass_count=passes, counts=counts, placement=placement, run_id=run.id,
        parameters=parameters, duration_seconds=run.duration_seconds, subjects=run.subjects or 0,
        provisional_passes=provisional)


@dataclass
class RunDiff:
    """Violations of run B compared with run A, keyed by (ruleset, rule, record kind, record id)."""

    new: list[Outcome]
    resolved: list[Outcome]
    persisting: list[Outcome]
    placement: dict[tuple[str, str], tuple[str | None, str | None]]

    def by(self, what: str) -> list[tuple[str, int, int, int]]:
        """Rows (rule or agency, new, resolved, persisting), most new first."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for column, outcomes in enumerate((self.new, self.resolved, self.persisting)):
            for outcome in outcomes:
                key = outcome.rule_id if what == "rule" else \
                    (self.placement.get((outcome.record_kind, outcome.record_id), (None, None))[0] or "—")
                table[key][column] += 1
        return sorted(((key, *values) for key, values in table.items()), key=lambda row: (-row[1], -row[3], row[0]))


def diff_runs(engine: Engine, run_a: int, run_b: int) -> RunDiff:
    a, b = load_run(engine, run_a), load_run(engine, run_b)

    def violations(report: AuditReport) -> dict[tuple[str, str, str, str], Outcome]:
        return {(o.ruleset, o.rule_id, o.record_kind, o.record_id): o for o in report.outcomes
                if o.outcome == "violation"}

    before, after = violations(a), violations(b)
    return RunDiff(new=[o for key, o in after.items() if key not in before],
                   resolved=[o for key, o in before.items() if key not in after],
                   persisting=[o for key, o in after.items() if key in before],
                   placement={**a.placement, **b.placement})
