"""``fzcheck db import``: files into the records database, one transaction per file.

Every readable row of a file is either stored or quarantined with file, row, field and reason;
a stored row may also have warnings (an unknown column, a 文号 OCR may have damaged), kept in
``import_warnings`` and never a reason to quarantine it. Nothing is half-imported (an error or
Ctrl-C mid-file rolls the whole file back). Records are matched on (kind, id): same content =
unchanged, different content = updated with the previous version copied to ``record_versions`` first.
Rows are written with executemany in chunks, never as ORM objects one by one.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson
from pydantic import BaseModel
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ...messages import Msg, message_data, stored_message
from ...models.records import (
    RECORD_MODELS,
    Basis,
    InlineOfficer,
    Record,
    RecordError,
    parse_record_and_extras,
    record_warnings,
    unknown_key_warning,
)
from ..outcomes.results import InputIssue, SourceRef
from ..sources import files as readers
from ..sources.files import (
    JSONL_SUFFIXES,
    SUPPORTED_SUFFIXES,
    InputWarning,
    JsonlBlock,
    block_lines,
    decode_jsonl_line,
    iter_rows,
    jsonl_blocks,
    read_failure,
    record_failure,
)
from ..speed.clean_records import clean_record_data
from ..speed.collector import batch_collection
from ..speed.processes import worker_pool
from ..subjects.kinds import key_date
from .database import inserted_id, writer
from .schema import RECORD_TABLES, import_warnings, imports, quarantine, record_fields, record_versions

CHUNK_ROWS = 2000
#: messages of quarantined rows an import keeps in memory for its caller to show (all are stored)
QUARANTINE_KEPT = 1000
#: files of this many bytes in all are imported with worker processes by default (about 15,000 rows)
PARALLEL_IMPORT_BYTES = 8 << 20
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
    #: bad rows of this file already in the quarantine from an earlier import of the same file with
    #: the same content (sha256), row and reasons: not stored again (:meth:`_FileWriter.settle`)
    already_quarantined: int = 0
    #: the earlier imports holding those rows
    already_by: list[int] = field(default_factory=list)
    #: the messages of the rows quarantined by this import (the first :data:`QUARANTINE_KEPT`) and their number
    quarantine_issues: list[InputIssue] = field(default_factory=list)
    quarantine_messages: int = 0
    #: warnings about stored rows and the file (also in ``import_warnings``); they quarantine nothing
    warnings: list[InputIssue] = field(default_factory=list)


@dataclass
class ImportResult:
    files: list[FileImport] = field(default_factory=list)
    #: paths that are no file to import (missing, unsupported type); nothing of them was stored
    skipped: list[InputIssue] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(item, name) for item in self.files)

    @property
    def warnings(self) -> list[InputIssue]:
        return [issue for item in self.files for issue in item.warnings]


def expand_paths(paths: Iterable[str | Path]) -> Iterator[str | InputIssue]:
    """Files to import: the given files, and the supported files under given folders (sorted)."""
    for path in map(str, paths):
        if os.path.isfile(path):
            yield path
        elif os.path.isdir(path):
            found = []
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                found += [
                    os.path.join(folder, name)
                    for name in names
                    if not name.startswith((".", "~$")) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
                ]
            yield from sorted(found, key=lambda name: Path(name).parts)
        else:
            yield InputIssue(path, None, None, Msg("file.not_found"))


def record_data(record: Record) -> dict[str, Any]:
    """The record as JSON-ready data (English field names, ISO dates): what versions keep and hashes cover."""
    return record.model_dump(mode="json", exclude={"source"})


def content_hash(data: dict[str, Any]) -> str:
    """Identifies a record's content: MD5 of :func:`record_data` as compact JSON in model field order
    (byte for byte pydantic's ``model_dump_json``, so hashes stored by earlier versions still match).
    Fields added since hashes were first stored are left out while a record does not use them
    (:data:`_LATER_FIELDS`): a re-import after an upgrade finds such records unchanged."""
    later = _LATER_FIELDS.get(data["kind"])
    if later is not None:
        hashed = None
        for name, unused in later:
            value = data[name]
            if value is None or value is unused:
                if hashed is None:
                    hashed = data.copy()
                del hashed[name]
        if hashed is not None:
            data = hashed
    return hashlib.md5(orjson.dumps(data)).hexdigest()


#: kind -> fields added after the first schema (revision 0003) with the value besides None that means
#: "not used": the computed doc_number_suspect is False for every well-formed 文号.
_LATER_FIELDS: dict[str, tuple[tuple[str, Any], ...]] = {
    "normative_document": (("doc_number_suspect", False), ("comment_shortened_reason", None)),
    "enforcement_case": (
        ("procedure", None),
        ("hearing_eligible", None),
        ("hearing_waived", None),
        ("hearing_on", None),
    ),
    "reconsideration_case": (
        ("procedure", None),
        ("suspended_days", None),
        # revision 0005 (agency-level rules)
        ("agency_id", None),
        ("decision_published_on", None),
        ("dispute_resolved", None),
    ),
}


def table_values(kind: str, data: dict[str, Any], driver_rows: bool) -> tuple | dict[str, Any]:
    """The kind's table columns from a record's JSON data (:func:`record_data`): for SQLAlchemy Core
    a dict (dates as dates, lists as JSON-ready lists); for SQLite's driver a tuple in table order,
    as SQLAlchemy's Date, Boolean and JSON types would bind it (ISO text, JSON text), so rows go to
    executemany unprocessed."""
    day = key_date(kind, data, None)
    values = [data["id"], data["region_code"], data["agency"], day]
    values += [data[name] for name in record_fields(kind)]
    if driver_rows:
        for index in _LIST_POSITIONS[kind]:
            if values[index] is not None:
                values[index] = orjson.dumps(values[index]).decode()
        return tuple(values)
    for index in _DATE_POSITIONS[kind]:
        if values[index] is not None:
            values[index] = dt.date.fromisoformat(values[index])
    return dict(zip(_RECORD_COLUMNS[kind], values))


#: kind -> the columns :func:`table_values` fills, in order
_RECORD_COLUMNS = {
    kind: ("record_id", "region_code", "agency", "key_date", *record_fields(kind)) for kind in RECORD_TABLES
}
_LIST_POSITIONS = {
    kind: [4 + index for index, type_ in enumerate(record_fields(kind).values()) if type_ == "list"]
    for kind in RECORD_TABLES
}
_DATE_POSITIONS = {
    kind: [3] + [4 + index for index, type_ in enumerate(record_fields(kind).values()) if type_ == "date"]
    for kind in RECORD_TABLES
}


def record_from_row(kind: str, row: Any) -> Record:
    """Rebuild the record a table row holds.

    The row was validated on import and holds the model's own values, derived ones included, so the
    model is constructed without validating again (an audit reads a million of them); a test holds
    what comes back equal to what the parse gave.
    """
    mapping = row._mapping if hasattr(row, "_mapping") else row
    values = {name: value for name in record_fields(kind) if (value := mapping[name]) is not None}
    if kind == "enforcement_case":
        if "officers" in values:
            values["officers"] = [
                item if item.__class__ is str else _inline_officer(item) for item in values["officers"]
            ]
        if "basis" in values:
            values["basis"] = [construct(Basis, item) for item in values["basis"]]
    values.update(
        kind=kind,
        id=mapping["record_id"],
        region_code=mapping["region_code"],
        source=SourceRef(mapping["source_file"], mapping["source_line"]) if mapping["source_file"] else None,
    )
    if mapping["agency"] is not None:
        values["agency"] = mapping["agency"]
    return construct(RECORD_MODELS[kind], values)


_MODELS: tuple[type[BaseModel], ...] = (*RECORD_MODELS.values(), Basis, InlineOfficer)
_DEFAULTS = {
    model: {name: info.default for name, info in model.model_fields.items() if not info.is_required()}
    for model in _MODELS
}


def construct(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """``model.model_construct(**values)`` for these models (static defaults, no private attributes,
    no post-init), without its per-field Python loop: a tenth of the cost."""
    record = model.__new__(model)
    object.__setattr__(record, "__dict__", {**_DEFAULTS[model], **values})
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


def _inline_officer(data: dict[str, Any]) -> InlineOfficer:
    """An inline officer from its JSON (the list column keeps its date as ISO text)."""
    until = data.get("cert_valid_until")
    return construct(InlineOfficer, {**data, "cert_valid_until": dt.date.fromisoformat(until) if until else None})


def _rows_expected(file: str) -> int | None:
    """Lines in a line-based file (a close upper bound of its rows), for the progress bar."""
    if Path(file).suffix.lower() not in (".jsonl", ".ndjson", ".csv"):
        return None
    count = 0
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _jsonable(value: Any) -> Any:
    """A raw row as a JSON column holds it exactly: dates as ISO text; NaN, infinities and integers
    beyond 64 bits (which JSON readers turn into floats) as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and not -(1 << 63) <= value < (1 << 63):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


#: A valid record as (kind, record id, content hash, table values, line, where, notes), made in a worker
#: process. The values are a dict for SQLAlchemy Core, or for SQLite a tuple in table order
#: (:func:`table_values`); ``where`` finds the raw row in its chunk again (:func:`raw_row`), should
#: the writer need it; ``notes`` is None, or what to warn about as (unknown keys, (field, message) pairs
#: of :func:`~fzcheck.models.records.record_warnings`). Plain tuples cross the process pipe at a
#: quarter of a dataclass's cost.
StoredRow = tuple[str, str, str, "dict[str, Any] | tuple", "int | None", Any, Any]
#: A row that cannot be stored: (kind if known, issues, line, raw row or None).
RejectedRow = tuple["str | None", "list[InputIssue]", "int | None", Any]
ParsedRow = StoredRow | RejectedRow
#: What the workers get: raw mappings with their sources (JSON, YAML, CSV, XLSX), or a block of
#: JSON Lines that the worker splits and decodes, so the writing process does no work per line.
Chunk = list[tuple[dict[str, Any], SourceRef]] | JsonlBlock


def _chunk_rows(chunk: Chunk) -> Iterator[tuple[Any, Any, int | None, Any]]:
    """(raw bytes or mapping, its SourceRef or None, line, where) for each row of a chunk."""
    if isinstance(chunk, list):
        for index, (data, source) in enumerate(chunk):
            yield data, source, source.line, index
        return
    offset = chunk[2]
    for raw, number, start in block_lines(chunk):
        yield raw, None, number, (start - offset, start - offset + len(raw), number, start)


def raw_row(file: str, chunk: Chunk, where: Any) -> Any:
    """The raw mapping of a row of ``chunk`` (None for a line that is no JSON object)."""
    if isinstance(chunk, list):
        return chunk[where][0]
    begin, end, number, start = where
    decoded = decode_jsonl_line(chunk[0][begin:end], file, number, start)
    return None if isinstance(decoded, InputIssue) else decoded[0]


def parse_rows(file: str, chunk: Chunk, driver_rows: bool = False) -> list[ParsedRow]:
    """Validate raw rows into table rows; runs in the import's worker processes. Clean rows take
    the fast lane (:mod:`fzcheck.engine.speed.clean_records`), the others the full parse with its messages. The raw
    rows stay with the caller: only what the writer needs comes back through the pipe."""
    parsed: list[ParsedRow] = []
    for raw, source, line, where in _chunk_rows(chunk):
        try:
            parsed.append(_parse_row(file, raw, source, line, where, driver_rows))
        except Exception as exc:  # a value no validator foresaw: this row is quarantined, the import goes on
            mapping = raw if isinstance(raw, dict) else None
            kind = mapping.get("kind") if mapping is not None and isinstance(mapping.get("kind"), str) else None
            parsed.append((kind, [InputIssue(file, line, None, record_failure(exc))], line, mapping))
    return parsed


def _parse_row(
    file: str, raw: Any, source: SourceRef | None, line: int | None, where: Any, driver_rows: bool
) -> ParsedRow:
    # a line over the readers' limit takes the full path, which says so (as `check` does)
    data = clean_record_data(raw) if raw.__class__ is not bytes or len(raw) <= readers.JSONL_LINE_LIMIT else None
    unknown: Any = ()
    if data is None:
        if source is None:
            decoded = decode_jsonl_line(raw, file, line, where[3])
            if isinstance(decoded, InputIssue):
                return (None, [decoded], line, None)
            raw, source = decoded
        try:
            record, unknown = parse_record_and_extras(raw, source)
        except RecordError as exc:
            kind = raw.get("kind") if isinstance(raw.get("kind"), str) else None
            return (kind, exc.issues, line, raw)
        data = record_data(record)
    kind = data["kind"]
    warnings = record_warnings(kind, data)
    notes = (tuple(map(str, unknown)), tuple(warnings)) if unknown or warnings else None
    return (kind, data["id"], content_hash(data), table_values(kind, data, driver_rows), line, where, notes)


def _chunks(file: str, digest: Any) -> Iterator[Chunk | InputIssue]:
    """The file's rows in chunks for the workers; read errors pass through on their own. A JSON Lines
    file is hashed into ``digest`` as it is read; other files are hashed first. Whatever goes wrong
    while reading is an error of this file (:func:`~fzcheck.engine.sources.files.iter_rows` holds the other
    formats to that), never of the import."""
    if Path(file).suffix.lower() in JSONL_SUFFIXES:
        line = None
        try:
            for block in jsonl_blocks(file, digest=digest):
                line = block[1]
                yield block
        except OSError as exc:
            yield InputIssue(file, None, None, Msg("file.cannot_read", detail=str(exc.strerror or exc)))
        except Exception as exc:
            yield InputIssue(file, None, None, read_failure(exc, line))
        return
    try:
        with open(file, "rb") as handle:
            for piece in iter(lambda: handle.read(1 << 20), b""):
                digest.update(piece)
    except OSError as exc:
        yield InputIssue(file, None, None, Msg("file.cannot_read", detail=str(exc.strerror or exc)))
        return
    chunk: list[tuple[dict[str, Any], SourceRef]] = []
    for item in iter_rows(file):
        if isinstance(item, InputIssue):  # errors are quarantined, warnings kept (InputWarning)
            yield item
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Skipped(Exception):
    """A file of which nothing could be read (not UTF-8, no workbook, an entity bomb…): its transaction
    is rolled back and the file is listed as skipped with the reason; the next files are imported."""

    def __init__(self, issue: InputIssue):
        super().__init__(str(issue))
        self.issue = issue


class _FileWriter:
    """Stores one file's rows inside the caller's transaction.

    On SQLite, new rows go to the driver's executemany as tuples (``driver_rows``): binding a million
    rows through SQLAlchemy's type processors costs more than validating them.
    """

    def __init__(self, connection: Connection, counts: FileImport):
        self.connection = connection
        self.counts = counts
        self.driver_rows = connection.dialect.name == "sqlite"
        self.pending: list[StoredRow] = []
        #: (kind, id) -> the line it was first stored from
        self.seen: dict[tuple[str, str], int | None] = {}
        #: unknown keys already warned about (once per file, as the readers do)
        self.warned: set[str] = set()
        self.tabular = Path(counts.file).suffix.lower() in (".csv", ".xlsx")
        #: kinds whose table was empty when this file began: nothing there to update (a fresh load),
        #: and a repeat within the file is caught by ``seen`` before it gets here
        self.fresh = {
            kind
            for kind, table in RECORD_TABLES.items()
            if connection.execute(select(table.c.pk).limit(1)).first() is None
        }
        #: the number of quarantine rows (issues) of each quarantined row, in order (:meth:`settle`)
        self.groups: list[int] = []

    def quarantine(self, issues: list[InputIssue], raw: Any, kind: str | None, record_id: str | None) -> None:
        self.connection.execute(
            insert(quarantine),
            [
                {
                    "import_id": self.counts.import_id,
                    "file": issue.file,
                    "line": issue.line,
                    "field": issue.field,
                    "reason": str(issue.message),
                    "reason_data": message_data(issue.message),
                    "record_kind": kind,
                    "record_id": record_id or issue.record_id,
                    "raw": _jsonable(raw),
                }
                for issue in issues
            ],
        )
        self.counts.quarantined += 1
        self.groups.append(len(issues))
        self.counts.quarantine_messages += len(issues)
        room = QUARANTINE_KEPT - len(self.counts.quarantine_issues)
        if room > 0:
            self.counts.quarantine_issues.extend(issues[:room])

    def settle(self, sha256: str) -> None:
        """Keep the quarantine idempotent: a bad row that an earlier finished import of this file with
        the same content (sha256) already quarantined at the same line with the same fields and reasons
        is taken out of this import's quarantine rows and counted as ``already_quarantined``. A row
        whose reasons differ (another fzcheck version) stays quarantined anew; so do all the bad rows
        of a changed file, while the rows of its earlier imports stay as they were (history:
        ``fzcheck db quarantine --import-id K``)."""
        if not self.groups:
            return
        counts = self.counts
        earlier = [
            row.id
            for row in self.connection.execute(
                select(imports.c.id).where(
                    imports.c.file == counts.file,
                    imports.c.file_sha256 == sha256,
                    imports.c.finished_at.is_not(None),
                    imports.c.id != counts.import_id,
                )
            )
        ]
        if not earlier:
            return
        known: dict[tuple, int] = {}
        for row in self.connection.execute(
            select(quarantine.c.import_id, quarantine.c.line, quarantine.c.field, quarantine.c.reason)
            .where(quarantine.c.import_id.in_(earlier))
            .order_by(quarantine.c.id)
        ):
            known.setdefault((row.line, row.field, row.reason), row.import_id)
        if not known:
            return
        mine = self.connection.execute(
            select(
                quarantine.c.id,
                quarantine.c.file,
                quarantine.c.line,
                quarantine.c.field,
                quarantine.c.reason,
                quarantine.c.reason_data,
            )
            .where(quarantine.c.import_id == counts.import_id)
            .order_by(quarantine.c.id)
        ).all()
        drop: list[int] = []
        by: set[int] = set()
        kept: list[InputIssue] = []
        messages = 0
        start = 0
        for size in self.groups:
            group = mine[start : start + size]
            start += size
            found = [known.get((row.line, row.field, row.reason)) for row in group]
            if all(found):
                drop += [row.id for row in group]
                by.update(quarantined for quarantined in found if quarantined is not None)
                counts.already_quarantined += 1
            else:
                messages += len(group)
                if len(kept) < QUARANTINE_KEPT:
                    kept += [
                        InputIssue(row.file, row.line, row.field, stored_message(row.reason, row.reason_data))
                        for row in group
                    ]
        if not drop:
            return
        for begin in range(0, len(drop), CHUNK_ROWS):
            self.connection.execute(delete(quarantine).where(quarantine.c.id.in_(drop[begin : begin + CHUNK_ROWS])))
        counts.quarantined -= counts.already_quarantined
        counts.already_by = sorted(by)
        counts.quarantine_issues = kept[:QUARANTINE_KEPT]
        counts.quarantine_messages = messages

    def warn(self, issues: list[InputIssue], kind: str | None = None) -> None:
        """Warnings about stored rows or the file: kept with the import, the rows stay stored."""
        if not issues:
            return
        self.connection.execute(
            insert(import_warnings),
            [
                {
                    "import_id": self.counts.import_id,
                    "file": issue.file,
                    "line": issue.line,
                    "field": issue.field,
                    "message": str(issue.message),
                    "message_data": message_data(issue.message),
                    "record_kind": kind,
                    "record_id": issue.record_id,
                }
                for issue in issues
            ],
        )
        self.counts.warnings.extend(issues)

    def _notes(self, kind: str, record_id: str, line: int | None, notes: Any) -> None:
        unknown, warnings = notes
        file = self.counts.file
        issues: list[InputIssue] = []
        for key in unknown:
            if key not in self.warned:
                self.warned.add(key)
                noun, where = ("column", 1) if self.tabular else ("key", line)
                issues.append(InputWarning(file, where, key, unknown_key_warning(key, noun, kind)))
        issues += [InputWarning(file, line, name, message, record_id) for name, message in warnings]
        self.warn(issues, kind)

    def add(self, parsed: ParsedRow, chunk: Chunk) -> None:
        if len(parsed) == 4:
            kind, issues, _line, raw = parsed
            self.quarantine(issues, raw, kind, None)
            return
        kind, record_id, line = parsed[0], parsed[1], parsed[4]
        first = self.seen.setdefault((kind, record_id), line)
        if first != line:
            file = self.counts.file
            self.quarantine(
                [
                    InputIssue(
                        file,
                        line,
                        "id",
                        Msg("record.duplicate_id", id=record_id, first=str(SourceRef(file, first))),
                        record_id,
                    )
                ],
                raw_row(file, chunk, parsed[5]),
                kind,
                record_id,
            )
            return
        if parsed[6] is not None:
            self._notes(kind, record_id, line, parsed[6])
        self.pending.append(parsed)
        if len(self.pending) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        by_kind: dict[str, list[StoredRow]] = {}
        for parsed in self.pending:
            by_kind.setdefault(parsed[0], []).append(parsed)
        self.pending = []
        for kind, items in by_kind.items():
            self._store(kind, items)

    def _store(self, kind: str, items: list[StoredRow]) -> None:
        table = RECORD_TABLES[kind]
        existing = {} if kind in self.fresh else self._existing(kind, [parsed[1] for parsed in items])
        file, import_id = self.counts.file, self.counts.import_id
        inserts, updates = [], []
        for _kind, record_id, digest, values, line, _where, _notes in items:
            old = existing.get(record_id)
            if old is None:
                inserts.append((values, digest, line, 1, None))
            elif old.content_hash == digest:
                self.counts.unchanged += 1
            else:
                updates.append((values, digest, line, old.version + 1, old.pk))
        if updates:
            self._keep_versions(kind, [pk for *_, pk in updates])
        for rows, driver_sql, core_statement in (
            (inserts, _driver_insert_sql, lambda: insert(table)),
            (updates, _driver_update_sql, lambda: update(table).where(table.c.pk == bindparam("_pk"))),
        ):
            if not rows:
                continue
            if self.driver_rows:
                self.connection.exec_driver_sql(
                    driver_sql(kind),
                    [
                        (*values, version, digest, file, line, import_id, *([pk] if pk else []))
                        for values, digest, line, version, pk in rows
                    ],
                )
            else:
                self.connection.execute(
                    core_statement(),
                    [
                        {
                            **cast("dict[str, Any]", values),  # Core's rows: table_values made dicts
                            "version": version,
                            "content_hash": digest,
                            "source_file": file,
                            "source_line": line,
                            "import_id": import_id,
                            **({"_pk": pk} if pk else {}),
                        }
                        for values, digest, line, version, pk in rows
                    ],
                )
        self.counts.inserted += len(inserts)
        self.counts.updated += len(updates)

    def _existing(self, kind: str, record_ids: list[str]) -> dict[str, Any]:
        """The stored (pk, record_id, content_hash, version) of these ids; on SQLite one bound JSON
        array instead of an IN list SQLAlchemy would expand into 2,000 parameters."""
        table = RECORD_TABLES[kind]
        if self.driver_rows:
            rows = self.connection.exec_driver_sql(
                f"SELECT pk, record_id, content_hash, version FROM {table.name} "
                "WHERE record_id IN (SELECT value FROM json_each(?))",
                (orjson.dumps(record_ids).decode(),),
            )
        else:
            rows = self.connection.execute(
                select(table.c.pk, table.c.record_id, table.c.content_hash, table.c.version).where(
                    table.c.record_id.in_(record_ids)
                )
            )
        return {row.record_id: row for row in rows}

    def _keep_versions(self, kind: str, pks: list[int]) -> None:
        table = RECORD_TABLES[kind]
        rows = self.connection.execute(select(table).where(table.c.pk.in_(pks))).all()
        self.connection.execute(
            insert(record_versions),
            [
                {
                    "kind": kind,
                    "record_id": row.record_id,
                    "version": row.version,
                    "content_hash": row.content_hash,
                    "data": record_data(record_from_row(kind, row)),
                    "source_file": row.source_file,
                    "source_line": row.source_line,
                    "import_id": row.import_id,
                    "superseded_by_import": self.counts.import_id,
                }
                for row in rows
            ],
        )


_STORED_COLUMNS = {
    kind: (*columns, "version", "content_hash", "source_file", "source_line", "import_id")
    for kind, columns in _RECORD_COLUMNS.items()
}


@functools.cache
def _driver_insert_sql(kind: str) -> str:
    columns = _STORED_COLUMNS[kind]
    return f"INSERT INTO {RECORD_TABLES[kind].name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


@functools.cache
def _driver_update_sql(kind: str) -> str:
    assignments = ", ".join(f"{column} = ?" for column in _STORED_COLUMNS[kind])
    return f"UPDATE {RECORD_TABLES[kind].name} SET {assignments} WHERE pk = ?"


def import_file(engine: Engine, file: str, progress: ImportProgress | None = None, pool=None) -> FileImport:
    """Import one file in one transaction; any exception (or Ctrl-C) leaves the database as it was.

    With a ``multiprocessing`` pool, rows are validated in its workers while this process writes;
    each chunk's raw rows stay here until its result comes back (results come back in order).
    """
    counts = FileImport(file)
    expected = _rows_expected(file) if progress else None
    with writer(engine).begin() as connection:
        counts.import_id = inserted_id(
            connection.execute(
                insert(imports).values(
                    file=file, started_at=dt.datetime.now(), inserted=0, updated=0, unchanged=0, quarantined=0
                )
            )
        )
        store = _FileWriter(connection, counts)
        read = 0
        issues: list[InputIssue] = []
        file_warnings: list[InputIssue] = []
        sent: collections.deque = collections.deque()
        digest = hashlib.sha256()
        in_flight = threading.BoundedSemaphore(4)  # the pool reads ahead eagerly: bound the chunks in memory

        def chunks() -> Iterator[Chunk]:
            for chunk in _chunks(file, digest):
                if isinstance(chunk, InputWarning):
                    file_warnings.append(chunk)
                elif isinstance(chunk, InputIssue):
                    issues.append(chunk)
                else:
                    if pool is not None:
                        in_flight.acquire()
                    sent.append(chunk)
                    yield chunk

        parse = functools.partial(parse_rows, file, driver_rows=store.driver_rows)
        parsed_chunks = pool.imap(parse, chunks()) if pool is not None else map(parse, chunks())
        for parsed in parsed_chunks:
            chunk = sent.popleft()
            if pool is not None:
                in_flight.release()
            for result in parsed:
                store.add(result, chunk)
            read += len(parsed)
            if progress:
                progress(file, read, expected)
        store.flush()
        if not read and issues and all(issue.line is None for issue in issues):
            raise _Skipped(issues[0])  # the file itself is unreadable: nothing of it to quarantine
        for issue in issues:
            store.quarantine([issue], None, None, issue.record_id)
        store.warn(file_warnings)
        store.settle(digest.hexdigest())
        connection.execute(
            update(imports)
            .where(imports.c.id == counts.import_id)
            .values(
                finished_at=dt.datetime.now(),
                file_sha256=digest.hexdigest(),
                inserted=counts.inserted,
                updated=counts.updated,
                unchanged=counts.unchanged,
                quarantined=counts.quarantined,
            )
        )
    if progress:
        progress(file, read + len(issues), read + len(issues))
    return counts


def auto_jobs(files: list[str]) -> int:
    """Worker processes for an import by default: one per core once the files are big enough to
    repay starting them (about a second each), else none."""
    size = sum(os.path.getsize(file) for file in files)
    return max(1, os.cpu_count() or 1) if size >= PARALLEL_IMPORT_BYTES else 1


@batch_collection()
def import_paths(
    engine: Engine, paths: Iterable[str | Path], progress: ImportProgress | None = None, jobs: int | None = None
) -> ImportResult:
    """Import files and folders, each file in its own transaction; ``jobs`` > 1 validates in parallel
    (None: :func:`auto_jobs`)."""
    result = ImportResult()
    files = []
    for file in expand_paths(paths):
        if isinstance(file, InputIssue):
            result.skipped.append(file)
        elif Path(file).suffix.lower() not in SUPPORTED_SUFFIXES:
            result.skipped.append(
                InputIssue(file, None, None, Msg("file.unsupported", expected=", ".join(SUPPORTED_SUFFIXES)))
            )
        else:
            files.append(file)
    if jobs is None:
        jobs = auto_jobs(files)
    if jobs <= 1 or not files:
        _import_files(engine, files, progress, None, result)
        return result
    with worker_pool(jobs, ignore_interrupts=False) as pool:
        _import_files(engine, files, progress, pool, result)
    return result


def _import_files(
    engine: Engine, files: list[str], progress: ImportProgress | None, pool: Any, result: ImportResult
) -> None:
    for file in files:
        try:
            result.files.append(import_file(engine, file, progress, pool))
        except _Skipped as exc:
            result.skipped.append(exc.issue)


def quarantined_rows(engine: Engine, import_id: int | None = None, file: str | None = None) -> list[dict[str, Any]]:
    """Quarantined rows, newest import first, in file order: what the agency has to fix."""
    query = select(
        quarantine.c.import_id,
        quarantine.c.file,
        quarantine.c.line,
        quarantine.c.field,
        quarantine.c.reason,
        quarantine.c.record_kind,
        quarantine.c.record_id,
        quarantine.c.raw,
        quarantine.c.reason_data,
    ).order_by(quarantine.c.import_id.desc(), quarantine.c.id)
    if import_id is not None:
        query = query.where(quarantine.c.import_id == import_id)
    if file is not None:
        query = query.where(quarantine.c.file == file)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    for row in rows:
        row["reason"] = stored_message(row["reason"], row.pop("reason_data"))
    return rows


def import_warning_rows(engine: Engine, import_id: int | None = None, file: str | None = None) -> list[dict[str, Any]]:
    """Warnings of imports (rows stored, something to look at), newest import first, in file order."""
    query = select(
        import_warnings.c.import_id,
        import_warnings.c.file,
        import_warnings.c.line,
        import_warnings.c.field,
        import_warnings.c.message,
        import_warnings.c.record_kind,
        import_warnings.c.record_id,
        import_warnings.c.message_data,
    ).order_by(import_warnings.c.import_id.desc(), import_warnings.c.id)
    if import_id is not None:
        query = query.where(import_warnings.c.import_id == import_id)
    if file is not None:
        query = query.where(import_warnings.c.file == file)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    for row in rows:
        row["message"] = stored_message(row["message"], row.pop("message_data"))
    return rows


def record_counts(engine: Engine) -> dict[str, int]:
    """Stored records per kind."""
    with engine.connect() as connection:
        return {
            kind: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for kind, table in RECORD_TABLES.items()
        }


def record_history(engine: Engine, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Earlier versions of one record, oldest first."""
    with engine.connect() as connection:
        return [
            dict(row._mapping)
            for row in connection.execute(
                select(record_versions)
                .where(record_versions.c.kind == kind, record_versions.c.record_id == record_id)
                .order_by(record_versions.c.version)
            )
        ]
