"""The records database as a source of subjects: a run's snapshot of the imported registers, its
work units (key ranges), and for each unit its subjects and the batch facts cross-record rules read.

Scope. ``region`` (a code prefix) chooses the registers; ``year`` chooses which subjects are
evaluated (records whose key date — the date that picks the pack — falls in the year, records
without one count in the as-of year; officer-years of that year); ``kinds`` narrows the evaluated
subject kinds (``officer_year`` included). Cross-record rules always see every officer and
normative document of the region, whatever the year or kinds — exactly what ``check`` sees when
given all the region's files together — and ``count_same`` counts over all records of the kind in
the region.

Partitioning. Cross-record rules only ever look up *reference* records — officers (by id) and
normative documents (by 文号) — plus whole-kind counts (``count_same``). So a source loads the
counts once per process, and then reads, for each unit, the region's reference records its cases'
keys can match (indexed lookups by officer id and 文号): ranges of records of one kind (loaded by
primary key), or ranges of officers for whom it builds the officer-year subjects from their
trainings (each officer in exactly one unit, so each officer-year is computed once). Partitioning by
kind or region alone would be wrong for joins (a case's officers and cited documents would be
missing); this is correct for any split.

Joins. The database does them with the indexed lookups above: each officer id and normalised 文号 a
unit's cases hold is looked up once, and the join is built from what came back with the same LEFT
JOIN as the records given to ``check`` (``derive.joins.lookup_case_references``).

One snapshot. Every read of a run — the plan, each process's counts, each unit's records and the
records its cases refer to — sees the records as the imports finished at the run's start left them
(``Snapshot``), whatever is imported meanwhile: an import is one transaction per file, each row keeps
the import that wrote it (``import_id``) and an update keeps the row it replaced in
``record_versions`` (``superseded_by_import``). A read takes the rows written by the snapshot's
imports, plus the kept versions that a later import superseded (``_Overlay``), in one transaction
(REPEATABLE READ on PostgreSQL), so it gives the snapshot's records whenever it runs.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.engine import Connection, Engine

from ..derive.batch import BatchCounts
from ..derive.calendar import LegalCalendar
from ..derive.context import DeriveContext
from ..derive.joins import REFERENCE_FIELDS, JoinResult, case_reference_keys, lookup_case_references
from ..outcomes.results import InputIssue
from ..store.database import open_engine
from ..store.importer import record_from_row, table_values
from ..store.schema import RECORD_TABLES, imports, record_fields, record_versions
from ..subjects.agency_years import MATCHED_KINDS, agency_year_subjects
from ..subjects.kinds import key_date
from ..subjects.officer_years import officer_year_subjects
from ..subjects.subject import Subject

UNIT_SIZE = 2000
#: keys per IN (...) lookup, well under SQLite's limit on bound parameters
REFERENCE_BATCH = 500
#: reference keys (officer ids, 文号) a source keeps read records for, oldest dropped first
REFERENCE_CACHE = 100_000
SUBJECT_KINDS = (*RECORD_TABLES, "officer_year", "agency_year")
#: yearly subjects and the table whose rows they are built from (a unit of officers or of agencies)
YEAR_KINDS = {"officer_year": "officer", "agency_year": "agency"}
_REFERENCE_TYPES: dict[str, Any] = {
    kind: collections.namedtuple(f"{kind}_reference", ("kind", "id", *fields))
    for kind, fields in REFERENCE_FIELDS.items()
}


@dataclass(frozen=True)
class AuditScope:
    region: str | None = None
    year: int | None = None
    kinds: tuple[str, ...] = ()

    def evaluates(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


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
    values = cast(dict[str, Any], table_values(kind, filled, driver_rows=False))  # a dict: not driver rows
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


def plan_units(
    engine: Engine, scope: AuditScope, as_of: dt.date, snapshot: Snapshot | None = None
) -> tuple[list[Unit], int]:
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
    with _read(engine) as connection:
        overlay.sync(connection)
        for kind, table in RECORD_TABLES.items():
            wanted: list[tuple[str, str | None]] = [(kind, kind)] if scope.evaluates(kind) else []
            if kind == "officer" and scope.evaluates("officer_year"):
                wanted.append(("officer_year", None))
            if kind == "agency" and scope.evaluates("agency_year"):
                wanted.append(("agency_year", None))
            for unit_kind, _ in wanted:
                where = and_(_region_filter(table, scope.region), snapshot.visible(table.c.import_id))
                if unit_kind not in YEAR_KINDS:
                    where = and_(where, _year_filter(table, scope, as_of))
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
                    if _in_region(values, scope.region) and (unit_kind in YEAR_KINDS or _in_year(values, scope, as_of))
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
    ends: list[Any] = [next_first - 1 for next_first in firsts[1:]] + [last]
    rows = [min(UNIT_SIZE, count - index * UNIT_SIZE) for index in range(len(firsts))]
    for pk in changed:
        index = max(bisect.bisect_right(firsts, pk) - 1, 0)
        firsts[0] = min(firsts[0], pk)
        ends[-1] = max(ends[-1], pk)
        rows[index] += 1
    return [(kind, first, end, n) for first, end, n in zip(firsts, ends, rows)]


class DatabaseSource:
    """One process's reading of a run's snapshot: its connection, the batch counts of the region
    (read once) and a bounded cache of reference records; ``unit(unit)`` gives a unit's subjects and
    the derive context with their joins."""

    def __init__(
        self,
        url: str,
        scope: AuditScope,
        as_of: dt.date,
        calendar: LegalCalendar,
        batch_fields: Iterable[tuple[str, str]],
        snapshot: Snapshot | None = None,
    ):
        self.engine = open_engine(url)
        self.scope = scope
        self.as_of = as_of
        self.calendar = calendar
        self.snapshot = snapshot or Snapshot()
        self.overlay = _Overlay(self.snapshot)
        self.counts = BatchCounts()
        region = scope.region
        with _read(self.engine) as connection:
            self.overlay.sync(connection)
            for kind, name in sorted(batch_fields):
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
                self.counts.index(kind, name, (value for value, _ in rows), (record_id for _, record_id in rows))
        self.reference_cache: dict[str, dict[str, list]] = {"officer": {}, "normative_document": {}}

    def close(self) -> None:
        self.engine.dispose()

    def unit(self, unit: Unit) -> tuple[list[Subject], DeriveContext]:
        """A unit's subjects, and the derive context with the region's counts and their cases' joins."""
        subjects = self.subjects(unit)
        return subjects, DeriveContext(self.calendar, self.as_of, self.counts, self.join_index(subjects))

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
        as_of, scope = self.as_of, self.scope
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

    def _region_agency_rows(self, connection: Connection) -> list:
        """The region's agency registry and agency-level registers (what agency-years are matched from)."""
        region = self.scope.region
        rows = []
        for kind in ("agency", *MATCHED_KINDS):
            table = RECORD_TABLES[kind]
            rows += [
                record_from_row(kind, row)
                for row in self._rows(
                    connection, kind, _region_filter(table, region), lambda values: _in_region(values, region)
                )
            ]
        return rows

    def agency_years(self, connection: Connection, where, keep: Callable[[dict], bool]) -> list[Subject]:
        """The agency-years of the unit's agencies: each matched against the whole registry of the
        region (a name two agencies share stays ambiguous) and the region's agency-level registers.
        The years: the scope's year, else those the registers span (subjects/agency_years.py). The
        matching warnings are the run's, told once (``agency_warnings``), not per unit."""
        scope, as_of = self.scope, self.as_of
        unit_ids = {record_from_row("agency", row).id for row in self._rows(connection, "agency", where, keep)}
        years = (scope.year, scope.year) if scope.year is not None else None
        subjects, _warnings = agency_year_subjects(self._region_agency_rows(connection), as_of, years)
        return [s for s in subjects if s.values["agency_id"] in unit_ids]

    def agency_warnings(self) -> list[InputIssue]:
        """The register rows of the region matched to no agency, or to more than one (a name two
        agencies share): the warnings ``check`` gives for the same files, naming file and row."""
        with _read(self.engine) as connection:
            self.overlay.sync(connection)
            _subjects, warnings = agency_year_subjects(self._region_agency_rows(connection), self.as_of)
        return warnings

    def join_index(self, subjects: list[Subject]) -> JoinResult:
        """These cases joined with the region's officers and documents. The records database does the
        join: each key a case holds is looked up by index (officers by id, documents by normalised 文号,
        in the region), then joined as the records given to ``check`` are (``lookup_case_references``;
        ``tests/test_cross_record.py`` holds the two equal)."""
        keys = case_reference_keys(s.values for s in subjects if s.kind == "enforcement_case")
        officer_ids = {officer_id for _, officer_ids, _ in keys for officer_id in officer_ids}
        refs = {ref for _, _, case_refs in keys for ref in case_refs}
        return lookup_case_references(
            keys,
            self.reference_records("officer", "record_id", officer_ids),
            self.reference_records("normative_document", "doc_number_normalized", refs),
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
        region = self.scope.region
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
