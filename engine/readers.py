"""Reading records from files and folders: JSON, JSON Lines, YAML, CSV and XLSX.

Each record keeps its :class:`SourceRef`: the file as the user named it and the line where
the record starts (JSON, JSON Lines, YAML) or its row (CSV, XLSX; the header is row 1).
A record that cannot be read becomes an error naming file, line and field; the other
records of the same file are still returned.

XLSX: only the first sheet is read (rows would be ambiguous across sheets); other
non-empty sheets are named in a warning. Date cells arrive as dates; a plain number in a
date column is an Excel serial when it falls in 1950-2100 (five digits), a compact date when
it has eight digits (``20171116``, as pages print dates: the models read it), otherwise an error.

Besides unknown columns, a record can carry warnings of its own
(:func:`~fzcheck.models.records.record_warnings`: a 文号 with letters where OCR misread digits);
they name file, line and field, and the record is still checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from fzcheck.engine.collector import batch_collection
from fzcheck.engine.results import InputIssue, SourceRef
from fzcheck.models.fields import excel_serial_to_date, is_compact_date_number
from fzcheck.models.records import (FIELD_ALIASES, FIELD_TYPES, Record, RecordError, parse_record_and_extras,
                                    record_warnings)


@dataclass(frozen=True)
class InputWarning(InputIssue):
    """An issue that loses nothing the checks need (an ignored column, a skipped file)."""


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    errors: list[InputIssue] = field(default_factory=list)
    warnings: list[InputIssue] = field(default_factory=list)


Row = tuple[dict[str, Any], SourceRef]

_WHITESPACE = re.compile(r"[ \t\r\n]*")


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"not UTF-8 text (byte {exc.start + 1})") from None


class _Unreadable(Exception):
    """The whole file cannot be read; the message says why."""


def _not_a_record(file: str, line: int | None, value: Any) -> InputIssue:
    got = type(value).__name__ if not isinstance(value, list) else "a list"
    return InputIssue(file, line, None, f"expected an object (one record), got {got}")


def _json_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """One object or a list of objects; each object's line is found from its offset in the text."""
    text = _text(path)
    decoder = json.JSONDecoder()
    line, counted_to = 1, 0

    def line_at(offset: int) -> int:
        nonlocal line, counted_to
        line += text.count("\n", counted_to, offset)
        counted_to = offset
        return line

    def one(start: int) -> tuple[Row | InputIssue, int]:
        value, end = decoder.raw_decode(text, start)
        where = line_at(start)
        if isinstance(value, dict):
            return (value, SourceRef(file, where)), end
        return _not_a_record(file, where, value), end

    try:
        pos = _WHITESPACE.match(text).end()
        if text.startswith("[", pos):
            pos = _WHITESPACE.match(text, pos + 1).end()
            if text.startswith("]", pos):
                return
            while True:
                item, pos = one(pos)
                yield item
                pos = _WHITESPACE.match(text, pos).end()
                if text.startswith(",", pos):
                    pos = _WHITESPACE.match(text, pos + 1).end()
                elif text.startswith("]", pos):
                    pos += 1
                    break
                else:
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        else:
            item, pos = one(pos)
            yield item
        pos = _WHITESPACE.match(text, pos).end()
        if pos < len(text):
            raise json.JSONDecodeError("Extra data", text, pos)
    except json.JSONDecodeError as exc:
        yield InputIssue(file, exc.lineno, None, f"invalid JSON at column {exc.colno}: {exc.msg}")


#: A run of whole lines of a JSON Lines file: (bytes, number of its first line, file offset of its first byte)
JsonlBlock = tuple[bytes, int, int]


def jsonl_blocks(path: str | Path, size: int = 1 << 20, digest: Any = None) -> Iterator[JsonlBlock]:
    """The file in blocks of about ``size`` bytes cut at line ends: streamed (a register of a million
    lines is never held whole), and cheap to hand to another process, which splits the lines.
    A ``hashlib`` object given as ``digest`` is updated with every byte on the way."""
    line, offset = 1, 0
    with open(path, "rb") as handle:
        while block := handle.read(size):
            if not block.endswith(b"\n"):
                block += handle.readline()
            if digest is not None:
                digest.update(block)
            yield block, line, offset
            line += block.count(b"\n")
            offset += len(block)


def block_lines(block: JsonlBlock) -> Iterator[tuple[bytes, int, int]]:
    """The non-blank lines of a block as (bytes without the newline, line number, file offset of the
    line's first byte); a UTF-8 byte order mark opening the file is dropped."""
    text, number, start = block
    for raw in text.split(b"\n"):
        line_start, start = start, start + len(raw) + 1
        if line_start == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw, line_start = raw[3:], 3
        if raw.strip():
            yield raw, number, line_start
        number += 1


def jsonl_lines(path: str | Path) -> Iterator[tuple[bytes, int, int]]:
    """The non-blank lines of a JSON Lines file (see :func:`block_lines`)."""
    for block in jsonl_blocks(path):
        yield from block_lines(block)


def decode_jsonl_line(raw: bytes, file: str, number: int, start: int) -> Row | InputIssue:
    """One line as a record's raw mapping, or the error naming its line. orjson decodes; a line it
    refuses is decoded again by the standard library, which either reads it (NaN, integers beyond
    64 bits) or gives the message users see."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return InputIssue(file, number, None, f"not UTF-8 text (byte {start + exc.start + 1})")
        except json.JSONDecodeError as exc:
            return InputIssue(file, number, None, f"invalid JSON at column {exc.colno}: {exc.msg}")
    return (value, SourceRef(file, number)) if isinstance(value, dict) else _not_a_record(file, number, value)


def _jsonl_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """One object per line; a broken line is an error and reading goes on with the next."""
    for raw, number, start in jsonl_lines(path):
        yield decode_jsonl_line(raw, file, number, start)


_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")


class _RecordLoader(_YAML_BASE):  # type: ignore[misc, valid-type]
    """Safe YAML without two YAML 1.1 surprises: dates stay text (so a bad date is a field
    error, not a broken file) and ints are decimal only (id ``010`` stays ``"010"``, not 8)."""

    yaml_implicit_resolvers = {
        first: [(tag, _DECIMAL_INT if tag == "tag:yaml.org,2002:int" else regexp)
                for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
    }


def _yaml_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """A mapping, a list of mappings, or several documents of either; lines from the node marks."""
    loader = _RecordLoader(_text(path))
    try:
        while loader.check_node():
            node = loader.get_node()
            value = loader.construct_document(node)
            if value is None:
                continue
            if isinstance(node, yaml.SequenceNode):
                pairs = zip(value, node.value)
            else:
                pairs = [(value, node)]
            for item, item_node in pairs:
                where = item_node.start_mark.line + 1
                yield (item, SourceRef(file, where)) if isinstance(item, dict) else \
                    _not_a_record(file, where, item)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        yield InputIssue(file, mark.line + 1 if mark else None, None, f"invalid YAML: {problem}")
    finally:
        loader.dispose()


def _header(cells: Iterable[Any]) -> list[str]:
    """Column names; blank ones become ``column N`` so that values under them are reported."""
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    names = [name or f"column {index}" for index, name in enumerate(names, start=1)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _Unreadable(f"duplicate column '{name}'")
        seen.add(name)
    return names


def _table_row(columns: list[str], cells: Any, convert=None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index, value in enumerate(cells):
        if value is None or (value.__class__ is str and (not value or value.isspace())):
            continue
        column = columns[index] if index < len(columns) else f"column {index + 1}"
        data[column] = convert(column, value) if convert else value
    return data


def _csv_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves it; empty cells are absent."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise _Unreadable("not UTF-8 or GB18030 text") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if header is None:
            return
        columns = _header(header)
        for number, cells in enumerate(rows, start=2):
            data = _table_row(columns, cells)
            if data:
                yield data, SourceRef(file, number)
    except csv.Error as exc:
        yield InputIssue(file, rows.line_num, None, f"invalid CSV: {exc}")


#: Every header that names a date field of some kind: numbers under them are Excel serials.
_DATE_COLUMNS = frozenset(alias for kind, aliases in FIELD_ALIASES.items() for alias, name in aliases.items()
                          if FIELD_TYPES[kind][name] == "date")


def _excel_cell(column: str, value: Any) -> Any:
    """A number under a date header: an Excel serial becomes its date; an eight-digit number is a
    compact date (20171116) and stays a number for the models to read; anything else stays as it is
    (the models call it an invalid date)."""
    if column in _DATE_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
        if is_compact_date_number(value):
            return value
        try:
            return excel_serial_to_date(value)
        except ValueError:
            return value
    return value


def _xlsx_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _Unreadable(f"not a readable XLSX workbook ({exc})") from None
    try:
        sheets = book.worksheets
        if not sheets:
            return
        for sheet in sheets[1:]:
            first_row = next(sheet.iter_rows(max_row=1, values_only=True), ())
            if any(cell is not None for cell in first_row):
                yield InputWarning(file, None, None, f"sheet '{sheet.title}' ignored: only the first sheet is read")
        rows = sheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        columns = _header(header)
        for number, cells in enumerate(rows, start=2):
            data = _table_row(columns, cells, _excel_cell)
            if data:
                yield data, SourceRef(file, number)
    finally:
        book.close()


_READERS = {".json": _json_rows, ".jsonl": _jsonl_rows, ".ndjson": _jsonl_rows, ".yaml": _yaml_rows,
            ".yml": _yaml_rows, ".csv": _csv_rows, ".xlsx": _xlsx_rows}
SUPPORTED_SUFFIXES = tuple(_READERS)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_TABULAR = {".csv", ".xlsx"}


def iter_rows(path: str | Path) -> Iterator[Row | InputIssue]:
    """The raw records of one file, each with its source, in file order.

    Yields ``(mapping, SourceRef)`` per record, an :class:`InputIssue` per error (a broken line,
    an unreadable file) and an :class:`InputWarning` (a subclass) per warning. Values are as the
    format gives them; :func:`~fzcheck.models.records.parse_record` validates them.
    """
    file = str(path)
    reader = _READERS.get(Path(file).suffix.lower())
    if reader is None:
        yield InputIssue(file, None, None, f"unsupported file type; expected one of {', '.join(_READERS)}")
        return
    try:
        yield from reader(Path(file), file)
    except _Unreadable as exc:
        yield InputIssue(file, None, None, str(exc))
    except OSError as exc:
        yield InputIssue(file, None, None, f"cannot read file: {exc.strerror or exc}")


def _files(path: str | Path) -> Iterator[str | InputIssue]:
    """The files a path stands for: itself, or a folder's supported files (recursively, sorted).

    Hidden files and Excel's ``~$`` lock files are passed over silently.
    """
    given = str(path)
    if os.path.isfile(given):
        yield given
        return
    if not os.path.isdir(given):
        yield InputIssue(given, None, None, "no such file or folder")
        return
    found = []
    for folder, subfolders, names in os.walk(given):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [os.path.join(folder, name) for name in names if not name.startswith((".", "~$"))]
    for file in sorted(found, key=lambda name: Path(name).parts):
        if Path(file).suffix.lower() in _READERS:
            yield file
        else:
            yield InputWarning(file, None, None, "skipped: not a JSON, JSON Lines, YAML, CSV or XLSX file")


@batch_collection()
def read_paths(paths: Iterable[str | Path]) -> ReadResult:
    """All records in the given files and folders, with every input error and warning.

    Unknown keys/columns are warned about once per file; a second record with the id of an
    earlier one of the same kind is an error (the first one is kept).
    """
    result = ReadResult()
    first_seen: dict[tuple[str, str], SourceRef] = {}
    for path in paths:
        for file in _files(path):
            if isinstance(file, InputIssue):
                (result.warnings if isinstance(file, InputWarning) else result.errors).append(file)
            else:
                _read_file(file, result, first_seen)
    return result


def _read_file(file: str, result: ReadResult, first_seen: dict[tuple[str, str], SourceRef]) -> None:
    tabular = Path(file).suffix.lower() in _TABULAR
    warned: set[str] = set()
    for item in iter_rows(file):
        if isinstance(item, InputIssue):
            (result.warnings if isinstance(item, InputWarning) else result.errors).append(item)
            continue
        data, source = item
        try:
            record, unknown = parse_record_and_extras(data, source)
        except RecordError as exc:
            record, unknown = None, exc.unknown_keys
            result.errors.extend(exc.issues)
        for key in unknown:
            if key not in warned:
                warned.add(key)
                noun, line = ("column", 1) if tabular else ("key", source.line)
                result.warnings.append(InputWarning(file, line, str(key), f"unknown {noun} '{key}' ignored"))
        if record is None:
            continue
        first = first_seen.setdefault((record.kind, record.id), source)
        if first is not source:
            result.errors.append(InputIssue(file, source.line, "id", f"duplicate id '{record.id}' (first at {first})",
                                            record.id))
            continue
        for name, message in record_warnings(record.kind, record.__dict__):
            result.warnings.append(InputWarning(file, source.line, name, message, record.id))
        result.records.append(record)
