"""``fzcheck db import``: files into the records database, one transaction per file.

Every readable row of a file is either stored or quarantined with file, row, field and reason;
nothing is half-imported (an error or Ctrl-C mid-file rolls the whole file back). Records are
matched on (kind, id): same content = unchanged, different content = updated with the previous
version copied to ``record_versions`` first. Rows are written with executemany in chunks, never as
ORM objects one by one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from fzcheck.engine.db.database import writer
from fzcheck.engine.db.schema import RECORD_TABLES, imports, quarantine, record_fields, record_versions
from fzcheck.engine.readers import SUPPORTED_SUFFIXES, InputWarning, iter_rows
from fzcheck.engine.results import InputIssue, SourceRef
from fzcheck.engine.subjects import key_date
from fzcheck.models.records import RECORD_MODELS, Record, RecordError, parse_record_and_extras

CHUNK_ROWS = 2000
#: Called after each chunk with (file, rows read so far, rows expected or None).
ImportProgress = Callable[[str, int, int | None], None]


@dataclass
class FileImport:
    file: str
    import_id: int | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0

    @property
    def rows(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.quarantined


@dataclass
class ImportResult:
    files: list[FileImport] = field(default_factory=list)
    #: paths that are no file to import (missing, unsupported type); nothing of them was stored
    skipped: list[InputIssue] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(item, name) for item in self.files)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[str | InputIssue]:
    """Files to import: the given files, and the supported files under given folders (sorted)."""
    for path in map(str, paths):
        if os.path.isfile(path):
            yield path
        elif os.path.isdir(path):
            found = []
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                found += [os.path.join(folder, name) for name in names
                          if not name.startswith((".", "~$")) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES]
            yield from sorted(found, key=lambda name: Path(name).parts)
        else:
            yield InputIssue(path, None, None, "no such file or folder")


def record_data(record: Record) -> dict[str, Any]:
    """The record as JSON-ready data (English field names, ISO dates): what versions keep and hashes cover."""
    return record.model_dump(mode="json", exclude={"source"})


def content_hash(record: Record) -> str:
    """Identifies a record's content (field order is the model's, so the JSON is canonical)."""
    return hashlib.md5(record.model_dump_json(exclude={"source"}).encode()).hexdigest()


def record_row(record: Record, data: dict[str, Any]) -> dict[str, Any]:
    """Column values of the kind's table (dates as dates, lists as JSON)."""
    row = {"record_id": record.id, "region_code": record.region_code, "agency": record.agency,
           "key_date": key_date(record.kind, record, None)}
    for name, type_ in record_fields(record.kind).items():
        row[name] = data[name] if type_ == "list" else getattr(record, name)
    return row


def record_from_row(kind: str, row: Any) -> Record:
    """Rebuild the record a table row holds (validated again, so derived values are the model's)."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    values = {name: mapping[name] for name in record_fields(kind) if mapping[name] is not None}
    values.update(kind=kind, id=mapping["record_id"], region_code=mapping["region_code"],
                  source=SourceRef(mapping["source_file"], mapping["source_line"]) if mapping["source_file"] else None)
    if mapping["agency"] is not None:
        values["agency"] = mapping["agency"]
    return RECORD_MODELS[kind].model_validate(values)


def _rows_expected(file: str) -> int | None:
    """Lines in a line-based file (a close upper bound of its rows), for the progress bar."""
    if Path(file).suffix.lower() not in (".jsonl", ".ndjson", ".csv"):
        return None
    count = 0
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _sha256(file: str) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass
class StoredRow:
    """A valid record as table columns (with its content hash), parsed in a worker process."""

    kind: str
    record_id: str
    source: SourceRef
    row: dict[str, Any]
    raw: dict[str, Any]


@dataclass
class RejectedRow:
    kind: str | None
    issues: list[InputIssue]
    raw: Any


ParsedRow = StoredRow | RejectedRow


def parse_rows(items: list[tuple[dict[str, Any], SourceRef]]) -> list[ParsedRow]:
    """Validate raw rows into table rows; runs in the import's worker processes."""
    parsed: list[ParsedRow] = []
    for data, source in items:
        try:
            record, _unknown = parse_record_and_extras(data, source)
        except RecordError as exc:
            kind = data.get("kind") if isinstance(data.get("kind"), str) else None
            parsed.append(RejectedRow(kind, exc.issues, _jsonable(data)))
            continue
        row = record_row(record, record_data(record))
        row["content_hash"] = content_hash(record)
        parsed.append(StoredRow(record.kind, record.id, source, row, data))
    return parsed


def _chunks(file: str) -> Iterator[list[tuple[dict[str, Any], SourceRef]] | InputIssue]:
    """The file's rows in chunks for the workers; read errors pass through on their own."""
    chunk: list[tuple[dict[str, Any], SourceRef]] = []
    for item in iter_rows(file):
        if isinstance(item, InputWarning):
            continue
        if isinstance(item, InputIssue):
            yield item
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _FileWriter:
    """Stores one file's rows inside the caller's transaction."""

    def __init__(self, connection: Connection, counts: FileImport):
        self.connection = connection
        self.counts = counts
        self.pending: list[tuple[Record, SourceRef]] = []
        self.seen: dict[tuple[str, str], SourceRef] = {}

    def quarantine(self, issues: list[InputIssue], raw: Any, kind: str | None, record_id: str | None) -> None:
        self.connection.execute(insert(quarantine), [
            {"import_id": self.counts.import_id, "file": issue.file, "line": issue.line, "field": issue.field,
             "reason": issue.message, "record_kind": kind, "record_id": record_id or issue.record_id,
             "raw": _jsonable(raw)} for issue in issues])
        self.counts.quarantined += 1

    def add(self, parsed: ParsedRow) -> None:
        if isinstance(parsed, RejectedRow):
            self.quarantine(parsed.issues, parsed.raw, parsed.kind, None)
            return
        first = self.seen.setdefault((parsed.kind, parsed.record_id), parsed.source)
        if first != parsed.source:
            self.quarantine([InputIssue(parsed.source.file, parsed.source.line, "id",
                                        f"duplicate id '{parsed.record_id}' (first at {first})", parsed.record_id)],
                            parsed.raw, parsed.kind, parsed.record_id)
            return
        self.pending.append(parsed)
        if len(self.pending) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        by_kind: dict[str, list[StoredRow]] = {}
        for parsed in self.pending:
            by_kind.setdefault(parsed.kind, []).append(parsed)
        self.pending = []
        for kind, items in by_kind.items():
            self._store(kind, items)

    def _store(self, kind: str, items: list[StoredRow]) -> None:
        table = RECORD_TABLES[kind]
        existing = {row.record_id: row for row in self.connection.execute(
            select(table.c.pk, table.c.record_id, table.c.content_hash, table.c.version)
            .where(table.c.record_id.in_([item.record_id for item in items])))}
        inserts, updates = [], []
        for item in items:
            row = item.row
            row.update(source_file=item.source.file, source_line=item.source.line, import_id=self.counts.import_id)
            old = existing.get(item.record_id)
            if old is None:
                inserts.append({**row, "version": 1})
            elif old.content_hash == row["content_hash"]:
                self.counts.unchanged += 1
            else:
                updates.append({**row, "version": old.version + 1, "_pk": old.pk})
        if inserts:
            self.connection.execute(insert(table), inserts)
            self.counts.inserted += len(inserts)
        if updates:
            self._keep_versions(kind, [row["_pk"] for row in updates])
            values = {name: bindparam(name) for name in updates[0] if name != "_pk"}
            self.connection.execute(update(table).where(table.c.pk == bindparam("_pk")).values(values), updates)
            self.counts.updated += len(updates)

    def _keep_versions(self, kind: str, pks: list[int]) -> None:
        table = RECORD_TABLES[kind]
        rows = self.connection.execute(select(table).where(table.c.pk.in_(pks))).all()
        self.connection.execute(insert(record_versions), [
            {"kind": kind, "record_id": row.record_id, "version": row.version, "content_hash": row.content_hash,
             "data": record_data(record_from_row(kind, row)), "source_file": row.source_file,
             "source_line": row.source_line, "import_id": row.import_id,
             "superseded_by_import": self.counts.import_id} for row in rows])


def import_file(engine: Engine, file: str, progress: ImportProgress | None = None, pool=None) -> FileImport:
    """Import one file in one transaction; any exception (or Ctrl-C) leaves the database as it was.

    With a ``multiprocessing`` pool, rows are validated in its workers while this process writes.
    """
    counts = FileImport(file)
    expected = _rows_expected(file) if progress else None
    with writer(engine).begin() as connection:
        counts.import_id = connection.execute(insert(imports).values(
            file=file, file_sha256=_sha256(file), started_at=dt.datetime.now(),
            inserted=0, updated=0, unchanged=0, quarantined=0)).inserted_primary_key[0]
        store = _FileWriter(connection, counts)
        read = 0
        issues: list[InputIssue] = []

        in_flight = threading.BoundedSemaphore(4)  # the pool reads ahead eagerly: bound the chunks in memory

        def chunks() -> Iterator[list[tuple[dict[str, Any], SourceRef]]]:
            for chunk in _chunks(file):
                if isinstance(chunk, InputIssue):
                    issues.append(chunk)
                else:
                    if pool is not None:
                        in_flight.acquire()
                    yield chunk

        parsed_chunks = pool.imap(parse_rows, chunks()) if pool is not None else map(parse_rows, chunks())
        for parsed in parsed_chunks:
            if pool is not None:
                in_flight.release()
            for item in parsed:
                store.add(item)
            read += len(parsed)
            if progress:
                progress(file, read, expected)
        store.flush()
        for issue in issues:
            store.quarantine([issue], None, None, issue.record_id)
        connection.execute(update(imports).where(imports.c.id == counts.import_id).values(
            finished_at=dt.datetime.now(), inserted=counts.inserted, updated=counts.updated,
            unchanged=counts.unchanged, quarantined=counts.quarantined))
    if progress:
        progress(file, read + len(issues), read + len(issues))
    return counts


def import_paths(engine: Engine, paths: Iterable[str | Path], progress: ImportProgress | None = None,
                 jobs: int = 1) -> ImportResult:
    """Import files and folders, each file in its own transaction; ``jobs`` > 1 validates in parallel."""
    result = ImportResult()
    files = []
    for file in expand_paths(paths):
        if isinstance(file, InputIssue):
            result.skipped.append(file)
        elif Path(file).suffix.lower() not in SUPPORTED_SUFFIXES:
            result.skipped.append(InputIssue(file, None, None, "unsupported file type; expected one of "
                                             + ", ".join(SUPPORTED_SUFFIXES)))
        else:
            files.append(file)
    if jobs <= 1 or not files:
        result.files = [import_file(engine, file, progress) for file in files]
        return result
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        result.files = [import_file(engine, file, progress, pool) for file in files]
    return result


def quarantined_rows(engine: Engine, import_id: int | None = None, file: str | None = None) -> list[dict[str, Any]]:
    """Quarantined rows, newest import first, in file order: what the agency has to fix."""
    query = (select(quarantine.c.import_id, quarantine.c.file, quarantine.c.line, quarantine.c.field,
                    quarantine.c.reason, quarantine.c.record_kind, quarantine.c.record_id, quarantine.c.raw)
             .order_by(quarantine.c.import_id.desc(), quarantine.c.id))
    if import_id is not None:
        query = query.where(quarantine.c.import_id == import_id)
    if file is not None:
        query = query.where(quarantine.c.file == file)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def record_counts(engine: Engine) -> dict[str, int]:
    """Stored records per kind."""
    with engine.connect() as connection:
        return {kind: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for kind, table in RECORD_TABLES.items()}


def record_history(engine: Engine, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Earlier versions of one record, oldest first."""
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(record_versions).where(record_versions.c.kind == kind, record_versions.c.record_id == record_id)
            .order_by(record_versions.c.version))]
