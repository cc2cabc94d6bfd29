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

Each unit runs the same pieces as ``check_records`` (pack choice per subject, PackKindEvaluator and
its durable-rules rulesets, DeriveContext with the join index) and returns its non-pass outcomes
and its pass counts. The parent applies waivers and stores the run.
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
from fzcheck.engine.check import BatchIndex, choose_packs
from fzcheck.engine.db.database import open_engine
from fzcheck.engine.db.importer import record_from_row
from fzcheck.engine.db.runs import AuditReport, fail_run, finish_run, start_run
from fzcheck.engine.db.schema import RECORD_TABLES
from fzcheck.engine.evaluate import PackKindEvaluator, Subject, batch_fields
from fzcheck.engine.functions import DeriveContext
from fzcheck.engine.joins import REFERENCE_FIELDS, case_reference_keys, lookup_case_references
from fzcheck.engine.officer_years import officer_year_subjects
from fzcheck.engine.results import Outcome, RulesetInfo
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

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "region": self.scope.region, "year": self.scope.year,
                "kinds": list(self.scope.kinds), "rulesets": list(self.rulesets), "rules_dir": self.rules_dir,
                "holidays": self.holidays, "waivers": self.waivers}


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
        calendar = LegalCalendar.from_files([params.holidays]) if params.holidays else default_calendar()
        self.ctx = DeriveContext(calendar, params.as_of)
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
            self.evaluators[(pack_id, kind)] = PackKindEvaluator(self.catalog.packs[pack_id], kind, self.host,
                                                                 pass_details=False)
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

    def run(self, unit: Unit) -> tuple[int, list[Outcome], Counter, dict, set[str]]:
        """Evaluate one unit: (subjects, non-pass outcomes, pass counts, placement, packs used)."""
        subjects = self.subjects(unit)
        self.ctx.batch = self.join_index(subjects)
        groups: dict[tuple[str, str], list[Subject]] = defaultdict(list)
        for subject in subjects:
            candidates = self.forced if self.forced is not None else [
                pack for pack in self.catalog.packs.values() if pack.covers(subject.region_code, subject.key_date)]
            for pack in candidates:
                if pack.rules_for(subject.kind):
                    groups[(pack.id, subject.kind)].append(subject)
        placement = {(s.kind, s.id): (s.get("agency"), s.key_date.isoformat()[:7] if s.key_date else None)
                     for s in subjects}
        listed: list[Outcome] = []
        passes: Counter = Counter()
        for (pack_id, kind), members in sorted(groups.items()):
            evaluator = self.evaluator(pack_id, kind)
            derived, first_branches = evaluator.fire(members, self.ctx, self.params.as_of)
            for subject, first_branch in zip(members, first_branches):
                agency, month = placement[(subject.kind, subject.id)]
                for rule_index, branch_index in first_branch.items():
                    compiled = evaluator.compiled[rule_index]
                    if compiled.branches[branch_index].outcome == "pass":
                        passes[(compiled.rule.pack, compiled.rule.id, kind, agency, month, "pass")] += 1
            listed += evaluator.outcomes(members, derived, first_branches, keep_pass=False)
        used = {pack_id for pack_id, _ in groups}
        shown = {key: placement[key] for key in {(o.record_kind, o.record_id) for o in listed}}
        return len(subjects), listed, passes, shown, used


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
              waivers: Sequence = ()) -> AuditReport:
    """Evaluate the scope, apply waivers, store the run; returns the run's report (``run_id`` set)."""
    from fzcheck.engine.waivers import apply_waivers

    catalog = load_catalog(params.rules_dir) if params.rules_dir else _default_catalog()
    choose_packs(catalog, params.rulesets)  # unknown --ruleset fails before anything is stored
    run_id = start_run(engine, params.as_of, params.to_dict(), __version__)
    started = time.perf_counter()
    try:
        units, records = plan_units(engine, params)
        url = engine.url.render_as_string(hide_password=False)
        total = sum(unit[3] for unit in units)
        outcomes: list[Outcome] = []
        counts: Counter = Counter()
        placement: dict = {}
        used: set[str] = set()
        subjects = done = 0

        def collect(result) -> None:
            nonlocal subjects
            count, listed, passes, shown, packs = result
            subjects += count
            outcomes.extend(listed)
            counts.update(passes)
            placement.update(shown)
            used.update(packs)

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
            records=records, outcomes=outcomes, pass_count=sum(counts.values()), placement=placement,
            run_id=run_id, parameters=params.to_dict(), subjects=subjects)
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
