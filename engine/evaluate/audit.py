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
PackKindEvaluator and its backend's prepared rules under the run's absent-steps standard, DeriveContext
with the join index) and returns its non-pass outcomes, its pass counts (and among them the
provisional ones), and its coverage warnings aggregated by reason: a count and a few example ids
per reason, not one warning per record (a million records of a year no local pack covers make one
line). The parent merges them, applies waivers and stores the run with the holiday data it used.

One snapshot. Every read of a run — the plan, each worker's counts, each unit's records and the
records its cases refer to — sees the records as the imports finished at the run's start left them
(``Snapshot``), whatever is imported meanwhile: an import is one transaction per file, each row keeps
the import that wrote it (``import_id``) and an update keeps the row it replaced in
``record_versions`` (``superseded_by_import``). A read takes the rows written by the snapshot's
imports, plus the kept versions that a later import superseded (``_Overlay``), in one transaction
(REPEATABLE READ on PostgreSQL), so it gives the snapshot's records whenever it runs.

Lifecycle (``engine.db.runs``). The run is stored ``running`` with this process's pid and host, and a
heartbeat thread renews it every few seconds with the progress; it is ``done`` in the transaction
that commits its last outcome. SIGTERM and SIGINT stop it between two units: the workers are
terminated, the outcomes of the units finished so far are stored and the run is marked
``interrupted`` (:class:`AuditInterrupted` is raised); an error stores it ``failed`` the same way.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import datetime as dt
import multiprocessing
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.engine import Connection, Engine

from ... import __version__
from ..derive.calendar import LegalCalendar, default_calendar
from ..derive.functions import DeriveContext
from ..derive.joins import REFERENCE_FIELDS, case_reference_keys, lookup_case_references
from ..outcomes.results import InputIssue, Outcome, RulesetInfo
from ..rules.packs import load_catalog
from ..speed.collector import batch_collection, worker_collection
from ..store import runs as run_store
from ..store.database import open_engine
from ..store.importer import record_from_row, table_values
from ..store.runs import AuditReport, CountKey, Placement, finish_run, start_run, stop_run
from ..store.schema import RECORD_TABLES, imports, record_fields, record_versions
from ..subjects.kinds import key_date
from ..subjects.officer_years import officer_year_subjects
from .check import BatchIndex, choose_packs, locally_ruled_kinds
from .coverage import coverage_reason, packs_for
from .evaluator import PackKindEvaluator, Subject, batch_fields

UNIT_SIZE = 2000
#: keys per IN (...) lookup, well under SQLite's limit on bound parameters
REFERENCE_BATCH = 500
#: reference keys (officer ids, 文号) a worker keeps read records for, oldest dropped first
REFERENCE_CACHE = 100_000
SUBJECT_KINDS = (*RECORD_TABLES, "officer_year", "agency_year")
#: yearly subjects and the table whose rows they are built from (a unit of officers or of agencies)
YEAR_KINDS = {"officer_year": "officer", "agency_year": "agency"}
_REFERENCE_TYPES = {
    kind: collections.namedtuple(f"{kind}_reference", ("kind", "id", *fields))
    for kind, fields in REFERENCE_FIELDS.items()
}
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
        )


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


def _in_region(values, region: str | None) -> bool:
    return not region or (values["region_code"] or "").startswith(region)


def _in_year(values, scope: AuditScope, as_of: dt.date) -> bool:
    """``_year_filter`` for a record held in Python."""
    if scope.year is None:
        return True
    day = values["key_date"]
    if day is None:
        return scope.year == as_of.year
    return day.year == scope.year


@dataclass(frozen=True)
class Snapshot:
    """The data a run reads: the records as the imports finished at its start left them — imports
    up to ``import_id`` less ``excluded`` (ids not finished then: in progress, or rolled back, which
    on PostgreSQL leaves a gap in the ids). ``import_id`` None: there was no import."""

    import_id: int | None = None
    excluded: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"import_id": self.import_id, "excluded": list(self.excluded)}

    def includes(self, import_id: int | None) -> bool:
        return import_id is None or (
            self.import_id is not None and import_id <= self.import_id and import_id not in self.excluded
        )

    def visible(self, column):
        """Rows written by an import of the snapshot (or by none)."""
        if self.import_id is None:
            return column.is_(None)
        inside = column <= self.import_id
        if self.excluded:
            inside = and_(inside, column.not_in(self.excluded))
        return or_(column.is_(None), inside)

    def later(self, column):
        """Imports that are not the snapshot's."""
        if self.import_id is None:
            return true()
        later = column > self.import_id
        return or_(later, column.in_(self.excluded)) if self.excluded else later


def current_snapshot(engine: Engine) -> Snapshot:
    """The imports finished now: the snapshot a run started now reads."""
    with engine.connect() as connection:
        rows = connection.execute(select(imports.c.id, imports.c.finished_at)).all()
    if not rows:
        return Snapshot()
    highest = max(row.id for row in rows)
    finished = {row.id for row in rows if row.finished_at is not None}
    return Snapshot(highest, tuple(sorted(set(range(1, highest + 1)) - finished)))


@contextlib.contextmanager
def _read(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one committed state throughout: SQLite's deferred transaction
    (WAL), PostgreSQL at REPEATABLE READ."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        yield connection


def _version_values(kind: str, row) -> dict[str, Any]:
    """A kept version (``record_versions``) as the table row it was: the columns ``record_from_row``
    and the filters read, with the pk of the record's current row."""
    data = row.data
    fields = record_fields(kind)
    filled = {name: data.get(name) for name in fields}
    filled.update(kind=kind, id=data["id"], region_code=data["region_code"], agency=data.get("agency"))
    values = table_values(kind, filled, driver_rows=False)
    for name, type_ in fields.items():
        if values[name] is not None:
            if type_ == "number":
                values[name] = float(values[name])
            elif type_ == "int":
                values[name] = int(values[name])
    values.update(
        pk=row.pk,
        source_file=row.source_file,
        source_line=row.source_line,
        import_id=row.import_id,
        version=row.version,
        content_hash=row.content_hash,
    )
    return values


class _Overlay:
    """The snapshot's records that imports after it have changed: their kept versions, by kind and
    record id. The current tables give every other record of the snapshot (``Snapshot.visible``).

    Versions superseded by an import appear in the transaction that commits the import, so the
    overlay is brought up to date in each read transaction (``sync``): one look at the imports table,
    and the versions of any import finished since the last look."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.rows: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in RECORD_TABLES}
        #: later imports whose versions are all in ``rows`` (finished ones)
        self.known: set[int] = set()
        self._indexes: dict[tuple[str, str], dict[Any, list[dict[str, Any]]]] = {}

    def sync(self, connection: Connection) -> None:
        later = connection.execute(
            select(imports.c.id, imports.c.finished_at).where(self.snapshot.later(imports.c.id))
        ).all()
        new = [row.id for row in later if row.id not in self.known]
        if not new:
            return
        versions = record_versions
        for kind, table in RECORD_TABLES.items():
            query = (
                select(
                    versions.c.record_id,
                    versions.c.data,
                    versions.c.source_file,
                    versions.c.source_line,
                    versions.c.import_id,
                    versions.c.version,
                    versions.c.content_hash,
                    table.c.pk,
                )
                .join(table, table.c.record_id == versions.c.record_id)
                .where(
                    versions.c.kind == kind,
                    versions.c.superseded_by_import.in_(new),
                    self.snapshot.visible(versions.c.import_id),
                )
            )
            for row in connection.execute(query):
                self.rows[kind][row.record_id] = _version_values(kind, row)
        self.known.update(row.id for row in later if row.id in new and row.finished_at is not None)
        self._indexes.clear()

    def __bool__(self) -> bool:
        return any(self.rows.values())

    def records(self, kind: str) -> list[dict[str, Any]]:
        return list(self.rows[kind].values())

    def by(self, kind: str, key: str) -> dict[Any, list[dict[str, Any]]]:
        """The overlay's records of ``kind`` by the value of column ``key``."""
        if (kind, key) not in self._indexes:
            index: dict[Any, list[dict[str, Any]]] = defaultdict(list)
            for values in self.rows[kind].values():
                index[values[key]].append(values)
            self._indexes[(kind, key)] = index
        return self._indexes[(kind, key)]


Unit = tuple[str, int, int, int]


def plan_units(engine: Engine, params: AuditParams, snapshot: Snapshot | None = None) -> tuple[list[Unit], int]:
    """Work units (kind, first pk, last pk, rows) of at most UNIT_SIZE rows, and the records in scope,
    of the ``snapshot`` (default: the imports finished now).

    The database numbers the rows in scope and returns every UNIT_SIZE-th primary key: a unit runs
    from one of them to just before the next (a million rows are never read here). The snapshot's
    records that later imports changed (few, unless an import is running alongside) join the unit
    their pk falls in."""
    snapshot = snapshot or current_snapshot(engine)
    overlay = _Overlay(snapshot)
    units: list[Unit] = []
    records = 0
    scope = params.scope
    with _read(engine) as connection:
        overlay.sync(connection)
        for kind, table in RECORD_TABLES.items():
            wanted = [(kind, kind)] if scope.evaluates(kind) else []
            if kind == "officer" and scope.evaluates("officer_year"):
                wanted.append(("officer_year", None))
            if kind == "agency" and scope.evaluates("agency_year"):
                wanted.append(("agency_year", None))
            for unit_kind, _ in wanted:
                where = and_(_region_filter(table, scope.region), snapshot.visible(table.c.import_id))
                if unit_kind not in YEAR_KINDS:
                    where = and_(where, _year_filter(table, scope, params.as_of))
                count, last = connection.execute(select(func.count(), func.max(table.c.pk)).where(where)).one()
                numbered = (
                    select(table.c.pk, func.row_number().over(order_by=table.c.pk).label("n")).where(where).subquery()
                )
                firsts = (
                    connection.execute(
                        select(numbered.c.pk).where((numbered.c.n - 1) % UNIT_SIZE == 0).order_by(numbered.c.pk)
                    )
                    .scalars()
                    .all()
                )
                changed = sorted(
                    values["pk"]
                    for values in overlay.records(kind)
                    if _in_region(values, scope.region)
                    and (unit_kind in YEAR_KINDS or _in_year(values, scope, params.as_of))
                )
                if unit_kind not in YEAR_KINDS:
                    records += count + len(changed)
                units += _ranges(unit_kind, list(firsts), last, count, changed)
    return units, records


def _ranges(kind: str, firsts: list[int], last: int | None, count: int, changed: list[int]) -> list[Unit]:
    """Units from every UNIT_SIZE-th pk of the current rows, widened to take in the pks of ``changed``
    records (the overlay's), each counted in the unit it falls in."""
    if not firsts:
        return [
            (kind, chunk[0], chunk[-1], len(chunk))
            for chunk in (changed[start : start + UNIT_SIZE] for start in range(0, len(changed), UNIT_SIZE))
        ]
    ends = [next_first - 1 for next_first in firsts[1:]] + [last]
    rows = [min(UNIT_SIZE, count - index * UNIT_SIZE) for index in range(len(firsts))]
    for pk in changed:
        index = max(bisect.bisect_right(firsts, pk) - 1, 0)
        firsts[0] = min(firsts[0], pk)
        ends[-1] = max(ends[-1], pk)
        rows[index] += 1
    return [(kind, first, end, n) for first, end, n in zip(firsts, ends, rows)]


class _Worker:
    """One process's state: its connection, the batch counts and the evaluators."""

    def __init__(self, url: str, params: AuditParams, snapshot: Snapshot | None = None):
        self.engine = open_engine(url)
        self.params = params
        self.snapshot = snapshot or Snapshot()
        self.overlay = _Overlay(self.snapshot)
        self.catalog = load_catalog(params.rules_dir) if params.rules_dir else _default_catalog()
        self.forced = choose_packs(self.catalog, params.rulesets)
        #: kinds whose subjects get a coverage warning when no local pack covers them (none for --ruleset)
        self.locally_ruled = locally_ruled_kinds(self.catalog) if self.forced is None else set()
        self.ctx = DeriveContext(audit_calendar(params), params.as_of)
        region = params.scope.region
        with _read(self.engine) as connection:
            self.overlay.sync(connection)
            for kind, name in sorted(
                {
                    (kind, name)
                    for pack in self.catalog.packs.values()
                    for kind in SUBJECT_KINDS
                    if kind in RECORD_TABLES
                    for rule in pack.rules_for(kind)
                    for name in batch_fields(rule)
                }
            ):
                table = RECORD_TABLES[kind]
                changed = [
                    (values[name], values["record_id"])
                    for values in self.overlay.records(kind)
                    if _in_region(values, region)
                ]
                rows = [
                    *(
                        (value, record_id)
                        for value, record_id in connection.execute(
                            select(table.c[name], table.c.record_id).where(
                                _region_filter(table, region), self.snapshot.visible(table.c.import_id)
                            )
                        )
                    ),
                    *changed,
                ]
                self.ctx.index_batch(kind, name, (value for value, _ in rows), (record_id for _, record_id in rows))
        self.evaluators: dict[tuple[str, str], PackKindEvaluator] = {}
        self.reference_cache: dict[str, dict[str, list]] = {"officer": {}, "normative_document": {}}

    def evaluator(self, pack_id: str, kind: str) -> PackKindEvaluator:
        if (pack_id, kind) not in self.evaluators:
            self.evaluators[(pack_id, kind)] = PackKindEvaluator(
                self.catalog.packs[pack_id],
                kind,
                pass_details=False,
                chosen_by_date=self.forced is None,
                absent_steps=self.params.absent_steps,
            )
        return self.evaluators[(pack_id, kind)]

    def _rows(self, connection: Connection, kind: str, where, keep: Callable[[dict], bool]) -> list:
        """The snapshot's rows of ``kind``: current rows matching ``where`` (SQL) and the overlay's
        records ``keep`` admits (the same criteria, in Python), in pk order."""
        table = RECORD_TABLES[kind]
        rows = list(connection.execute(select(table).where(where, self.snapshot.visible(table.c.import_id))))
        changed = [values for values in self.overlay.records(kind) if keep(values)]
        if not changed:
            return rows
        return sorted([*(row._mapping for row in rows), *changed], key=lambda values: values["pk"])

    def subjects(self, unit: Unit) -> list[Subject]:
        kind, first, last, _rows = unit
        as_of, scope = self.params.as_of, self.params.scope
        table_kind = YEAR_KINDS.get(kind, kind)
        table = RECORD_TABLES[table_kind]
        where = and_(table.c.pk.between(first, last), _region_filter(table, scope.region))

        def keep(values) -> bool:
            return (
                first <= values["pk"] <= last
                and _in_region(values, scope.region)
                and (kind in YEAR_KINDS or _in_year(values, scope, as_of))
            )

        with _read(self.engine) as connection:
            self.overlay.sync(connection)
            if kind == "agency_year":
                return self.agency_years(connection, where, keep)
            if kind != "officer_year":
                where = and_(where, _year_filter(table, scope, as_of))
                records = [record_from_row(kind, row) for row in self._rows(connection, kind, where, keep)]
                return [
                    Subject(
                        kind=r.kind,
                        id=r.id,
                        region_code=r.region_code,
                        source=r.source,
                        values=r,
                        key_date=key_date(r.kind, r, as_of),
                    )
                    for r in records
                ]
            officers = [record_from_row("officer", row) for row in self._rows(connection, "officer", where, keep)]
            sessions = RECORD_TABLES["training_session"]
            ids = {o.id for o in officers}
            trainings = [
                record_from_row("training_session", row)
                for row in self._rows(
                    connection,
                    "training_session",
                    and_(sessions.c.officer_id.in_([o.id for o in officers]), _region_filter(sessions, scope.region)),
                    lambda values: values["officer_id"] in ids and _in_region(values, scope.region),
                )
            ]
        years = officer_year_subjects([*officers, *trainings], as_of)
        return [s for s in years if scope.year is None or s.values["year"] == scope.year]

    def agency_years(self, connection: Connection, where, keep: Callable[[dict], bool]) -> list[Subject]:
        """The agency-years of the unit's agencies: each matched against the whole registry of the
        region (a name two agencies share stays ambiguous) and the region's agency-level registers.
        The years: the scope's year, else those the registers span (engine/agency_years.py). The
        matching warnings of ``check`` are not repeated here: ``db import`` stored the rows as given."""
        from ..subjects.agency_years import MATCHED_KINDS, agency_year_subjects

        scope, as_of = self.params.scope, self.params.as_of
        unit_ids = {record_from_row("agency", row).id for row in self._rows(connection, "agency", where, keep)}
        region_rows = []
        for kind in ("agency", *MATCHED_KINDS):
            table = RECORD_TABLES[kind]
            region_rows += [
                record_from_row(kind, row)
                for row in self._rows(
                    connection,
                    kind,
                    _region_filter(table, scope.region),
                    lambda values: _in_region(values, scope.region),
                )
            ]
        years = (scope.year, scope.year) if scope.year is not None else None
        subjects, _warnings = agency_year_subjects(region_rows, as_of, years)
        return [s for s in subjects if s.values["agency_id"] in unit_ids]

    def join_index(self, subjects: list[Subject]) -> BatchIndex:
        """The check's join index for these cases. The records database does the join: each key a case
        holds is looked up by index (officers by id, documents by normalised 文号, in the region), which
        is the LEFT JOIN ``durable_joins`` computes over the records checked together
        (``tests/test_cross_record.py`` holds the two equal)."""
        keys = case_reference_keys(s.values for s in subjects if s.kind == "enforcement_case")
        officer_ids = {officer_id for _, officer_ids, _ in keys for officer_id in officer_ids}
        refs = {ref for _, _, case_refs in keys for ref in case_refs}
        return BatchIndex(
            joined=lookup_case_references(
                keys,
                self.reference_records("officer", "record_id", officer_ids),
                self.reference_records("normative_document", "doc_number_normalized", refs),
            )
        )

    def reference_records(self, kind: str, key: str, values: set[str]) -> dict[str, list]:
        """The region's records of ``kind`` by ``key`` (each of ``values`` -> the records holding it),
        read when a unit needs them (indexed lookups) and kept in a bounded cache, so a worker never
        holds a whole region's officers and documents yet reads a popular one once. Only the columns
        the join functions read are loaded (``REFERENCE_FIELDS``), as small named tuples."""
        table, cache, slim = RECORD_TABLES[kind], self.reference_cache[kind], _REFERENCE_TYPES[kind]
        missing = sorted(value for value in values if value not in cache)
        columns = [table.c.record_id, *(table.c[name] for name in REFERENCE_FIELDS[kind])]
        position = 0 if key == "record_id" else REFERENCE_FIELDS[kind].index(key) + 1
        region = self.params.scope.region
        with _read(self.engine) as connection:
            self.overlay.sync(connection)
            changed = self.overlay.by(kind, key) if self.overlay else {}
            for start in range(0, len(missing), REFERENCE_BATCH):
                batch = missing[start : start + REFERENCE_BATCH]
                found: dict[str, list] = {value: [] for value in batch}
                where = and_(
                    table.c[key].in_(batch), _region_filter(table, region), self.snapshot.visible(table.c.import_id)
                )
                for row in connection.execute(select(*columns).where(where)):
                    found[row[position]].append(slim(kind, *row))
                for value in batch:
                    kept = [values for values in changed.get(value, ()) if _in_region(values, region)]
                    if kept:  # the versions among the current rows, in pk order as the table gives them
                        pks = dict(
                            connection.execute(
                                select(table.c.record_id, table.c.pk).where(
                                    table.c.record_id.in_([record.id for record in found[value]])
                                )
                            ).all()
                        )
                        merged = [(pks[record.id], record) for record in found[value]]
                        merged += [
                            (
                                values["pk"],
                                slim(kind, values["record_id"], *(values[name] for name in REFERENCE_FIELDS[kind])),
                            )
                            for values in kept
                        ]
                        found[value] = [record for _, record in sorted(merged, key=lambda item: item[0])]
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
        placement = {
            (s.kind, s.id): Placement(
                s.get("agency"), s.key_date.isoformat()[:7] if s.key_date else None, s.region_code
            )
            for s in subjects
        }
        listed: list[Outcome] = []
        passes: Counter = Counter()
        provisional: Counter = Counter()
        for (pack_id, kind), members in sorted(groups.items()):
            evaluator = self.evaluator(pack_id, kind)
            derived, first_branches = evaluator.fire(members, self.ctx, self.params.as_of)
            for subject, values, first_branch in zip(members, derived, first_branches):
                agency, month, region_code = placement[(subject.kind, subject.id)]
                for rule_index, branch_index in first_branch.items():
                    compiled = evaluator.compiled[rule_index]
                    if compiled.branches[branch_index].outcome == "pass":
                        key = CountKey(compiled.rule.pack, compiled.rule.id, kind, agency, month, "pass", region_code)
                        passes[key] += 1
                        if values is not None and _provisional_pass(
                            evaluator, subject, values, rule_index, branch_index
                        ):
                            provisional[key] += 1
            listed += evaluator.outcomes(members, derived, first_branches, keep_pass=False)
        used = {pack_id for pack_id, _ in groups}
        shown = {key: placement[key] for key in {(o.record_kind, o.record_id) for o in listed}}
        return UnitResult(len(subjects), listed, passes, provisional, shown, used, coverage)


def _provisional_pass(
    evaluator: PackKindEvaluator, subject: Subject, values: dict, rule_index: int, branch_index: int
) -> bool:
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
        message = COVERAGE_TEXT[lang].format(
            n=counted.count, reason=zh if lang == "zh" else en, ids=separator.join(counted.examples)
        )
        issues.append(InputIssue("", None, None, message, code="coverage"))
    return issues


def _default_catalog():
    from ..rules.packs import default_catalog

    return default_catalog()


_worker: _Worker | None = None


def _init_worker(url: str, params: AuditParams, snapshot: Snapshot | None = None, pooled: bool = False) -> None:
    global _worker
    if pooled:  # Ctrl-C reaches the whole process group: the parent stops the run and terminates us
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = _Worker(url, params, snapshot)
    worker_collection()


def _close_worker() -> None:
    """The in-process worker of a run with one job: its connections closed once the run is over."""
    global _worker
    if _worker is not None:
        _worker.engine.dispose()
        _worker = None


class UnitFailed(RuntimeError):
    """A work unit failed in a worker; carries the worker's traceback as text (always picklable)."""


def _run_unit(unit: Unit):
    try:
        return unit[3], _worker.run(unit)
    except Exception as exc:
        import traceback

        raise UnitFailed(
            f"audit unit {unit[:3]} failed: {exc.__class__.__name__}: {exc}\n{traceback.format_exc()}"
        ) from None


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
    subjects: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    provisional: Counter = field(default_factory=Counter)
    coverage: dict[tuple[str, str], CoverageCount] = field(default_factory=dict)
    placement: dict = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def add(self, result: UnitResult) -> None:
        self.subjects += result.subjects
        self.outcomes.extend(result.listed)
        self.counts.update(result.passes)
        self.provisional.update(result.provisional)
        self.placement.update(result.placement)
        self.used.update(result.packs)
        for reason, counted in result.coverage.items():
            self.coverage.setdefault(reason, CoverageCount()).merge(counted)


def _polled(results, signals: _StopSignals) -> Iterator:
    """A pool's results, waiting at most half a second at a time so that a signal noted meanwhile
    stops the loop although no unit finishes."""
    while True:
        try:
            yield results.next(timeout=0.5)
        except multiprocessing.TimeoutError:
            signals.check()
        except StopIteration:
            return


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
    catalog = load_catalog(params.rules_dir) if params.rules_dir else _default_catalog()
    choose_packs(catalog, params.rulesets)  # unknown --ruleset fails before anything is stored
    calendar = audit_calendar(params)  # so does a holiday file that cannot be read
    provenance = calendar.provenance() if hasattr(calendar, "provenance") else None
    with _StopSignals() as signals:
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
            units, work.records = plan_units(engine, params, snapshot)
            url = engine.url.render_as_string(hide_password=False)
            total = sum(unit[3] for unit in units)
            done = 0
            beat.progress = {"done": 0, "total": total}
            pool = None
            if jobs <= 1:
                _init_worker(url, params, snapshot)
                results = map(_run_unit, units)
            else:
                pool = multiprocessing.get_context("spawn").Pool(jobs, _init_worker, (url, params, snapshot, True))
                results = _polled(pool.imap_unordered(_run_unit, units), signals)
            signals.deferred = True
            try:
                for rows, result in results:
                    work.add(result)
                    done += rows
                    beat.progress = {"done": done, "total": total}
                    if progress:
                        progress(done, total)
                    signals.check()
            finally:
                if pool is not None:
                    pool.terminate()
                else:
                    _close_worker()
                signals.deferred = False
            signals.check()
            finished = report()
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
    from ..outcomes.waivers import apply_waivers

    outcomes = sorted(
        work.outcomes, key=lambda o: (SUBJECT_KINDS.index(o.record_kind), o.record_id, o.ruleset, o.rule_id)
    )
    counts = Counter(work.counts)
    report = AuditReport(
        tool_version=__version__,
        as_of=params.as_of,
        rulesets=[
            RulesetInfo(p, catalog.packs[p].meta.version, catalog.packs[p].sha256, catalog.packs[p].meta.title)
            for p in sorted(work.used)
        ],
        records=work.records,
        outcomes=outcomes,
        warnings=coverage_warnings(work.coverage, lang),
        unlisted_provisional=sum(work.provisional.values()),
        calendar=provenance,
        absent_steps=params.absent_steps,
        pass_count=sum(counts.values()),
        placement=work.placement,
        run_id=run_id,
        parameters=params.to_dict(),
        subjects=work.subjects,
        provisional_passes=Counter(work.provisional),
        status=status,
    )
    if waivers:
        apply_waivers(report, list(waivers), params.as_of)
        if status != "done":  # a waiver may match an outcome of the part not done
            report.warnings = [w for w in report.warnings if getattr(w.message, "id", None) != "waiver.matched_none"]
    for outcome in outcomes:
        agency, month, region_code = work.placement[(outcome.record_kind, outcome.record_id)]
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
        try:
            stop_run(engine, run_id, status, detail, progress)
        except BaseException:
            pass
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
