"""Batch audits of the records database with the check engine, in parallel processes.

Scope. ``region`` (a code prefix) chooses the registers; ``year`` chooses which subjects are
evaluated (records whose key date — the date that picks the pack — falls in the year, records
without one count in the as-of year; officer-years of that year); ``kinds`` narrows the evaluated
subject kinds (``officer_year`` included). Cross-record rules always see every officer and
normative document of the region, whatever the year or kinds — exactly what ``check`` sees when
given all the region's files together — and ``count_same`` counts over all records of the kind in
the region.

Partitioning. Cross-record rules only ever look up *reference* records — officers (by id) and
normative documents (by 文号) — plus whole-kind counts (``count_same``). So every worker process
loads the counts once, at start-up, and then evaluates work units, reading for each unit the
region's reference records its cases' keys can match (indexed lookups by officer id and 文号):
ranges of records of one kind (loaded by primary key), or ranges of officers for whom it builds
the officer-year subjects from their trainings (each officer in exactly one unit, so each
officer-year is computed once). Partitioning by kind or region alone would be wrong for joins
(a case's officers and cited documents would be missing); this is correct for any split.

Joins. ``check`` joins the records given together on durable-rules; here the records database
does it, with the indexed lookups above: each officer id and normalised 文号 a unit's cases hold is
looked up once, and the join index is built from what came back (``joins.lookup_case_references``,
the same LEFT JOIN; ``tests/test_cross_record.py`` holds the two equal).

Each unit runs the same pieces as ``check_records`` (pack choice per subject with ``packs_for``,
PackKindEvaluator and its durable-rules rulesets under the run's absent-steps standard, DeriveContext
with the join index) and returns its non-pass outcomes, its pass counts (and among them the
provisional ones), and its coverage warnings aggregated by reason: a count and a few example ids
per reason, not one warning per record (a million records of a year no local pack covers make one
line). The parent merges them, applies waivers and stores the run with the holiday data it used.
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from fzcheck import __version__
from fzcheck.engine.collector import batch_collection, worker_collection
from fzcheck.engine.calendar import LegalCalendar, default_calendar
from fzcheck.engine.check import BatchIndex, choose_packs, locally_ruled_kinds
from fzcheck.engine.coverage import coverage_reason, packs_for
from fzcheck.engine.db.database import open_engine
from fzcheck.engine.db.importer import record_from_row
from fzcheck.engine.db.runs import AuditReport, fail_run, finish_run, start_run
from fzcheck.engine.db.schema import RECORD_TABLES
from fzcheck.engine.evaluate import PackKindEvaluator, Subject, batch_fields
from fzcheck.engine.functions import DeriveContext
from fzcheck.engine.joins import REFERENCE_FIELDS, case_reference_keys, lookup_case_references
from fzcheck.engine.officer_years import officer_year_subjects
from fzcheck.engine.results import InputIssue, Outcome, RulesetInfo
from fzcheck.engine.rulesets import load_catalog
from fzcheck.engine.subjects import key_date

UNIT_SIZE = 2000
#: keys per IN (...) lookup, well under SQLite's limit on bound parameters
REFERENCE_BATCH = 500
#: reference keys (officer ids, 文号) a worker keeps read records for, oldest dropped first
REFERENCE_CACHE = 100_000
SUBJECT_KINDS = (*RECORD_TABLES, "officer_year")
_REFERENCE_TYPES = {kind: collections.namedtuple(f"{kind}_reference", ("kind", "id", *fields))
                    for kind, fields in REFERENCE_FIELDS.items()}
AuditProgress = Callable[[int, int], None]
#: example record ids a coverage warning of an audit names
COVERAGE_EXAMPLES = 5
COVERAGE_TEXT = {
    "zh": "{n} 条记录仅按国家规则检查：{reason}（如 {ids}）",
    "en": "{n} records checked against national rules only: {reason} (e.g. {ids})",
}


@dataclass(frozen=True)
class AuditScope:
    region: str | None = None
    year: int | None = None
    kinds: tuple[str, ...] = ()

    def evaluates(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


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

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "region": self.scope.region, "year": self.scope.year,
                "kinds": list(self.scope.kinds), "rulesets": list(self.rulesets), "rules_dir": self.rules_dir,
                "holidays": self.holidays, "waivers": self.waivers, "absent_steps": self.absent_steps}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditParams:
        """The parameters of a stored run (runs stored before ``absent_steps`` existed: indeterminate)."""
        return cls(as_of=dt.date.fromisoformat(data["as_of"]),
                   scope=AuditScope(data.get("region"), data.get("year"), tuple(data.get("kinds") or ())),
                   rulesets=tuple(data.get("rulesets") or ()), rules_dir=data.get("rules_dir"),
                   holidays=data.get("holidays"), waivers=data.get("waivers"),
                   absent_steps=data.get("absent_steps") or "indeterminate")


def audit_calendar(params: AuditParams) -> LegalCalendar:
    """The legal calendar of a run: the packaged schedule, extended by ``--holidays``."""
    return LegalCalendar.from_files([params.holidays]) if params.holidays else default_calendar()


def _region_filter(table, region: str | None):
    return table.c.region_code.like(f"{region}%") if region else True


def _year_filter(table, scope: AuditScope, as_of: dt.date):
    if scope.year is None:
        return True
    in_year = table.c.key_date.between(dt.date(scope.year, 1, 1), dt.date(scope.year, 12, 31))
    return or_(in_year, table.c.key_date.is_(None)) if scope.year == as_of.year else in_year


Unit = tuple[str, int, int, int]


def plan_units(engine: Engine, params: AuditParams) -> tuple[list[Unit], int]:
    """Work units (kind, first pk, last pk, rows) of at most UNIT_SIZE rows, and the records in scope.

    The database numbers the rows in scope and returns every UNIT_SIZE-th primary key: a unit runs
    from one of them to just before the next (a million rows are never read here)."""
    units: list[Unit] = []
    records = 0
    scope = params.scope
    with engine.connect() as connection:
        for kind, table in RECORD_TABLES.items():
            wanted = [(kind, kind)] if scope.evaluates(kind) else []
            if kind == "officer" and scope.evaluates("officer_year"):
                wanted.append(("officer_year", None))
            for unit_kind, _ in wanted:
                where = _region_filter(table, scope.region)
                if unit_kind != "officer_year":
                    where = and_(where, _year_filter(table, scope, params.as_of))
                count, last = connection.execute(select(func.count(), func.max(table.c.pk)).where(where)).one()
                if unit_kind != "officer_year":
                    records += count
                numbered = select(table.c.pk, func.row_number().over(order_by=table.c.pk).label("n")) \
                    .where(where).subquery()
                firsts = connection.execute(select(numbered.c.pk).where((numbered.c.n - 1) % UNIT_SIZE == 0)
                                            .order_by(numbered.c.pk)).scalars().all()
                ends = [next_first - 1 for next_first in firsts[1:]] + [last]
                units += [(unit_kind, first, end, min(UNIT_SIZE, count - index * UNIT_SIZE))
                          for index, (first, end) in enumerate(zip(firsts, ends))]
    return units, records


class _Worker:
    """One process's state: its connection, the batch counts and the evaluators."""

    def __init__(self, url: str, params: AuditParams):
        self.engine = open_engine(url)
        self.params = params
        self.catalog = load_catalog(params.rules_dir) if params.rules_dir else _default_catalog()
        self.forced = choose_packs(self.catalog, params.rulesets)
        #: kinds whose subjects get a coverage warning when no local pack covers them (none for --ruleset)
        self.locally_ruled = locally_ruled_kinds(self.catalog) if self.forced is None else set()
        self.ctx = DeriveContext(audit_calendar(params), params.as_of)
        region = params.scope.region
        with self.engine.connect() as connection:
            for kind, name in sorted({(kind, name) for pack in self.catalog.packs.values()
                                      for kind in SUBJECT_KINDS if kind in RECORD_TABLES
                                      for rule in pack.rules_for(kind) for name in batch_fields(rule)}):
                table = RECORD_TABLES[kind]
                self.ctx.index_batch(kind, name, connection.execute(
                    select(table.c[name]).where(_region_filter(table, region))).scalars())
        self.evaluators: dict[tuple[str, str], PackKindEvaluator] = {}
        self.host = None
        self.reference_cache: dict[str, dict[str, list]] = {"officer": {}, "normative_document": {}}

    def evaluator(self, pack_id: str, kind: str) -> PackKindEvaluator:
        if (pack_id, kind) not in self.evaluators:
            from fzcheck.engine.durable_backend import new_host

            self.host = self.host or new_host()
            self.evaluators[(pack_id, kind)] = PackKindEvaluator(
                self.catalog.packs[pack_id], kind, self.host, pass_details=False,
                chosen_by_date=self.forced is None, absent_steps=self.params.absent_steps)
        return self.evaluators[(pack_id, kind)]

    def subjects(self, unit: Unit) -> list[Subject]:
        kind, first, last, _rows = unit
        as_of, scope = self.params.as_of, self.params.scope
        table = RECORD_TABLES["officer" if kind == "officer_year" else kind]
        where = and_(table.c.pk.between(first, last), _region_filter(table, scope.region))
        with self.engine.connect() as connection:
            if kind != "officer_year":
                where = and_(where, _year_filter(table, scope, as_of))
                records = [record_from_row(kind, row) for row in connection.execute(select(table).where(where))]
                return [Subject(kind=r.kind, id=r.id, region_code=r.region_code, source=r.source, values=r,
                                key_date=key_date(r.kind, r, as_of)) for r in records]
            officers = [record_from_row("officer", row) for row in connection.execute(select(table).where(where))]
            sessions = RECORD_TABLES["training_session"]
            trainings = [record_from_row("training_session", row) for row in connection.execute(
                select(sessions).where(sessions.c.officer_id.in_([o.id for o in officers]),
                                       _region_filter(sessions, scope.region)))]
        years = officer_year_subjects([*officers, *trainings], as_of)
        return [s for s in years if scope.year is None or s.values["year"] == scope.year]

    def join_index(self, subjects: list[Subject]) -> BatchIndex:
        """The check's join index for these cases. The records database does the join: each key a case
        holds is looked up by index (officers by id, documents by normalised 文号, in the region), which
        is the LEFT JOIN ``durable_joins`` computes over the records checked together
        (``tests/test_cross_record.py`` holds the two equal)."""
        keys = case_reference_keys(s.values for s in subjects if s.kind == "enforcement_case")
        officer_ids = {officer_id for _, officer_ids, _ in keys for officer_id in officer_ids}
        refs = {ref for _, _, case_refs in keys for ref in case_refs}
        return BatchIndex(joined=lookup_case_references(
            keys, self.reference_records("officer", "record_id", officer_ids),
            self.reference_records("normative_document", "doc_number_normalized", refs)))

    def reference_records(self, kind: str, key: str, values: set[str]) -> dict[str, list]:
        """The region's records of ``kind`` by ``key`` (each of ``values`` -> the records holding it),
        read when a unit needs them (indexed lookups) and kept in a bounded cache, so a worker never
        holds a whole region's officers and documents yet reads a popular one once. Only the columns
        the join functions read are loaded (``REFERENCE_FIELDS``), as small named tuples."""
        table, cache, slim = RECORD_TABLES[kind], self.reference_cache[kind], _REFERENCE_TYPES[kind]
        missing = sorted(value for value in values if value not in cache)
        columns = [table.c.record_id, *(table.c[name] for name in REFERENCE_FIELDS[kind])]
        position = 0 if key == "record_id" else REFERENCE_FIELDS[kind].index(key) + 1
        with self.engine.connect() as connection:
            for start in range(0, len(missing), REFERENCE_BATCH):
                batch = missing[start:start + REFERENCE_BATCH]
                found: dict[str, list] = {value: [] for value in batch}
                where = and_(table.c[key].in_(batch), _region_filter(table, self.params.scope.region))
                for row in connection.execute(select(*columns).where(where)):
                    found[row[position]].append(slim(kind, *row))
                cache.update(found)
        records = {value: cache[value] for value in values}
        while len(cache) > REFERENCE_CACHE:
            cache.pop(next(iter(cache)))
        return records

    def run(self, unit: Unit) -> UnitResult:
        """Evaluate one unit."""
        subjects = self.subjects(unit)
        self.ctx.batch = self.join_index(subjects)
        groups: dict[tuple[str, str], list[Subject]] = defaultdict(list)
        coverage: dict[tuple[str, str], CoverageCount] = {}
        for subject in subjects:
            for pack in packs_for(self.catalog, subject, self.forced):
                groups[(pack.id, subject.kind)].append(subject)
            if subject.kind in self.locally_ruled:
                reason = coverage_reason(self.catalog, subject)
                if reason is not None:
                    coverage.setdefault((reason["zh"], reason["en"]), CoverageCount()).add(subject.id)
        placement = {(s.kind, s.id): (s.get("agency"), s.key_date.isoformat()[:7] if s.key_date else None)
                     for s in subjects}
        listed: list[Outcome] = []
        passes: Counter = Counter()
        provisional: Counter = Counter()
        for (pack_id, kind), members in sorted(groups.items()):
            evaluator = self.evaluator(pack_id, kind)
            derived, first_branches = evaluator.fire(members, self.ctx, self.params.as_of)
            for subject, values, first_branch in zip(members, derived, first_branches):
                agency, month = placement[(subject.kind, subject.id)]
                for rule_index, branch_index in first_branch.items():
                    compiled = evaluator.compiled[rule_index]
                    if compiled.branches[branch_index].outcome == "pass":
                        key = (compiled.rule.pack, compiled.rule.id, kind, agency, month, "pass")
                        passes[key] += 1
                        if values is not None and _provisional_pass(evaluator, subject, values, rule_index,
                                                                    branch_index):
                            provisional[key] += 1
            listed += evaluator.outcomes(members, derived, first_branches, keep_pass=False)
        used = {pack_id for pack_id, _ in groups}
        shown = {key: placement[key] for key in {(o.record_kind, o.record_id) for o in listed}}
        return UnitResult(len(subjects), listed, passes, provisional, shown, used, coverage)


def _provisional_pass(evaluator: PackKindEvaluator, subject: Subject, values: dict, rule_index: int,
                      branch_index: int) -> bool:
    """Whether one pass rests on a day of a year without an official holiday schedule, as the
    evaluator decides it (it counts such a pass in ``unlisted_provisional``); asked rule by rule, so
    the run can count them by rule, agency and month. Only subjects whose derived values were kept
    can have one (the evaluator keeps them for provisional subjects and those with findings)."""
    before = evaluator.unlisted_provisional
    evaluator.outcomes([subject], [values], [{rule_index: branch_index}], keep_pass=False)
    return evaluator.unlisted_provisional > before


@dataclass
class CoverageCount:
    """Subjects of one coverage reason: how many, and the first few ids in id order (the same
    examples whatever the split into units and processes)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, record_id: str) -> None:
        self.count += 1
        if len(self.examples) < COVERAGE_EXAMPLES or record_id < self.examples[-1]:
            self._keep([record_id])

    def merge(self, other: CoverageCount) -> None:
        self.count += other.count
        self._keep(other.examples)

    def _keep(self, ids: list[str]) -> None:
        self.examples = sorted({*self.examples, *ids})[:COVERAGE_EXAMPLES]


@dataclass
class UnitResult:
    """What a unit sends back: subjects evaluated, non-pass outcomes, pass counts (by CountKey) and
    the provisional ones among them, placement of the listed outcomes' records, packs used, and
    coverage counts by reason (zh, en)."""

    subjects: int
    listed: list[Outcome]
    passes: Counter
    provisional: Counter
    placement: dict
    packs: set[str]
    coverage: dict[tuple[str, str], CoverageCount]


def coverage_warnings(coverage: dict[tuple[str, str], CoverageCount], lang: str = "zh") -> list[InputIssue]:
    """One warning per reason, most records first: how many records only national rules judged, why,
    and a few of their ids (cli.md: no silent gaps; a million records must not make a million lines)."""
    issues = []
    for (zh, en), counted in sorted(coverage.items(), key=lambda item: (-item[1].count, item[0])):
        separator = "、" if lang == "zh" else ", "
        message = COVERAGE_TEXT[lang].format(n=counted.count, reason=zh if lang == "zh" else en,
                                             ids=separator.join(counted.examples))
        issues.append(InputIssue("", None, None, message, code="coverage"))
    return issues


def _default_catalog():
    from fzcheck.engine.rulesets import default_catalog

    return default_catalog()


_worker: _Worker | None = None


def _init_worker(url: str, params: AuditParams) -> None:
    global _worker
    _worker = _Worker(url, params)
    worker_collection()


class UnitFailed(RuntimeError):
    """A work unit failed in a worker; carries the worker's traceback as text (always picklable)."""


def _run_unit(unit: Unit):
    try:
        return unit[3], _worker.run(unit)
    except Exception as exc:
        import traceback

        raise UnitFailed(f"audit unit {unit[:3]} failed: {exc.__class__.__name__}: {exc}\n"
                         f"{traceback.format_exc()}") from None


@batch_collection()
def run_audit(engine: Engine, params: AuditParams, *, jobs: int = 2, progress: AuditProgress | None = None,
              waivers: Sequence = (), lang: str = "zh") -> AuditReport:
    """Evaluate the scope, apply waivers, store the run; returns the run's report (``run_id`` set).

    ``lang``: the language of the run's coverage warnings (stored as written)."""
    from fzcheck.engine.waivers import apply_waivers

    catalog = load_catalog(params.rules_dir) if params.rules_dir else _default_catalog()
    choose_packs(catalog, params.rulesets)  # unknown --ruleset fails before anything is stored
    calendar = audit_calendar(params)  # so does a holiday file that cannot be read
    provenance = calendar.provenance() if hasattr(calendar, "provenance") else None
    run_id = start_run(engine, params.as_of, {**params.to_dict(), "calendar": provenance}, __version__)
    started = time.perf_counter()
    try:
        units, records = plan_units(engine, params)
        url = engine.url.render_as_string(hide_password=False)
        total = sum(unit[3] for unit in units)
        outcomes: list[Outcome] = []
        counts: Counter = Counter()
        provisional: Counter = Counter()
        coverage: dict[tuple[str, str], CoverageCount] = {}
        placement: dict = {}
        used: set[str] = set()
        subjects = done = 0

        def collect(result: UnitResult) -> None:
            nonlocal subjects
            subjects += result.subjects
            outcomes.extend(result.listed)
            counts.update(result.passes)
            provisional.update(result.provisional)
            placement.update(result.placement)
            used.update(result.packs)
            for reason, counted in result.coverage.items():
                coverage.setdefault(reason, CoverageCount()).merge(counted)

        if jobs <= 1:
            _init_worker(url, params)
            results = map(_run_unit, units)
        else:
            pool = multiprocessing.get_context("spawn").Pool(jobs, _init_worker, (url, params))
            results = pool.imap_unordered(_run_unit, units)
        try:
            for rows, result in results:
                collect(result)
                done += rows
                if progress:
                    progress(done, total)
        finally:
            if jobs > 1:
                pool.terminate()
        outcomes.sort(key=lambda o: (SUBJECT_KINDS.index(o.record_kind), o.record_id, o.ruleset, o.rule_id))
        report = AuditReport(
            tool_version=__version__, as_of=params.as_of,
            rulesets=[RulesetInfo(p, catalog.packs[p].meta.version, catalog.packs[p].sha256, catalog.packs[p].meta.title)
                      for p in sorted(used)],
            records=records, outcomes=outcomes, warnings=coverage_warnings(coverage, lang),
            unlisted_provisional=sum(provisional.values()), calendar=provenance, absent_steps=params.absent_steps,
            pass_count=sum(counts.values()), placement=placement, run_id=run_id, parameters=params.to_dict(),
            subjects=subjects, provisional_passes=provisional)
        if waivers:
            apply_waivers(report, list(waivers), params.as_of)
        for outcome in outcomes:
            agency, month = placement[(outcome.record_kind, outcome.record_id)]
            counts[(outcome.ruleset, outcome.rule_id, outcome.record_kind, agency, month, outcome.outcome)] += 1
        report.counts = counts
        report.duration_seconds = time.perf_counter() - started
        finish_run(engine, report, run_id, list(waivers))
        return report
    except BaseException as exc:
        fail_run(engine, run_id, f"{exc.__class__.__name__}: {exc}")
        raise


def summary_table(report: AuditReport, by: str) -> list[tuple[str, dict[str, int]]]:
    """Outcome counts grouped ``by`` "rule", "agency" or "month", most violations first."""
    index = {"rule": 1, "agency": 3, "month": 4}[by]
    table: dict[str, Counter] = defaultdict(Counter)
    for key, count in report.counts.items():
        table[key[index] or "—"][key[5]] += count
    rows = sorted(table.items(), key=lambda item: (-item[1]["violation"], item[0]))
    return [(name, dict(counts)) for name, counts in rows] if by != "month" else \
        sorted(((name, dict(counts)) for name, counts in table.items()), key=lambda item: item[0])


def record_path(value: str | Path | None) -> str | None:
    return str(Path(value).resolve()) if value else None
