"""Reading records from files and folders: JSON, JSON Lines, YAML, CSV and XLSX.

Each record keeps its :class:`SourceRef`: the file as the user named it and the line where
the record starts (JSON, JSON Lines, YAML) or its row (CSV, XLSX; the header is row 1).
A record that cannot be read becomes an error naming file, line and field; the other
records of the same file are still returned.

XLSX: only the first sheet is read (rows would be ambiguous across sheets); other
non-empty sheets are named in a warning, except a register template's instructions sheet
(:data:`INSTRUCTIONS_SHEET`, 说明), passed over by its name. Date cells arrive as dates; a plain number in a
date column is an Excel serial when it falls in 1950-2100 (five digits), a compact date when
it has eight digits (``20171116``, as pages print dates: the models read it), otherwise an error.

Besides unknown columns, a record can carry warnings of its own
(:func:`~fzcheck.models.records.record_warnings`: a 文号 with letters where OCR misread digits);
they name file, line and field, and the record is still checked.

Nothing is lost silently, and one hostile file never ends a run: every record of a file is read or
is an error with its place (file, line or row, field), and anything that goes wrong while reading a
file — nesting too deep for the parser, an XML entity bomb in a workbook, a zip that is no workbook —
is an input error of that file or row; the other files are still read. Integers beyond 64 bits are
read exactly in JSON Lines as in JSON (orjson would turn them into floats). CSV is read row by row: a
cell over :data:`CSV_FIELD_LIMIT` or an unclosed quote is an error of its row, and the rows after it
are still read. XLSX is read without trusting the sheet's declared dimension, and a formula without a
cached value is a warning naming its cell. The limits (:data:`WHOLE_FILE_LIMIT` for the formats read
whole, :data:`JSONL_LINE_LIMIT`, the CSV cell and row limits, :data:`XLSX_EXPANDED_LIMIT`,
:data:`MAX_DEPTH`, :data:`MAX_RECORD_VALUES`) are documented in README "Records".
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import json
import os
import re
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
import yaml

from ...messages import Items, Msg, Term
from ...models.fields import excel_serial_to_date, is_compact_date_number
from ...models.records import (
    FIELD_ALIASES,
    FIELD_TYPES,
    KIND_LABELS,
    Record,
    RecordError,
    has_kind_key,
    id_given,
    kind_candidates,
    kind_given,
    missing_message,
    parse_record_and_extras,
    record_warnings,
    unknown_key_warning,
)
from ..outcomes.results import InputIssue, SourceRef
from ..speed.collector import batch_collection
from .scoped import scoped


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

#: JSON and YAML files are read whole: one larger than this (512 MiB) is no register but an error of
#: the file. JSON Lines and CSV are streamed and have no such limit.
WHOLE_FILE_LIMIT = 512 << 20
#: One JSON Lines line (one record) of more than this many bytes (64 MiB) is an error of that line.
JSONL_LINE_LIMIT = 64 << 20
#: One CSV cell of more than this many characters (10 MiB) is an error of its row.
CSV_FIELD_LIMIT = 10 << 20
#: One CSV row of more than this many characters (64 MiB) in all is an error of that row.
CSV_ROW_LIMIT = 64 << 20
#: A workbook whose parts would expand (unzipped) to more than this (2 GiB) is refused before it is opened.
XLSX_EXPANDED_LIMIT = 2 << 30
#: A record nested deeper than this (lists and objects in one another) is an error of that record.
MAX_DEPTH = 64
#: A YAML record holding more values than this, counted through its aliases, is an error of that record.
MAX_RECORD_VALUES = 100_000

if csv.field_size_limit() < CSV_FIELD_LIMIT + 1:
    csv.field_size_limit(CSV_FIELD_LIMIT + 1)  # the readers' own limit, checked first, decides


def _mib(size: int) -> Term:
    if size >= 1 << 20:
        return Term(f"{size / (1 << 20):,.0f} MiB")
    return Term(f"{size:,} 字节", f"{size:,} bytes")


def _text(path: Path) -> str:
    size = path.stat().st_size
    if size > WHOLE_FILE_LIMIT:
        raise _Unreadable(Msg("file.too_large", size=_mib(size), limit=_mib(WHOLE_FILE_LIMIT)))
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Unreadable(Msg("file.not_utf8", byte=exc.start + 1)) from None


class _Unreadable(Exception):
    """The whole file cannot be read; the message says why."""


def _too_deep(value: Any) -> bool:
    """True when lists and objects nest in one another more than :data:`MAX_DEPTH` levels (a record
    is level 1). Without recursion: a value that deep would overflow the stack of a recursive walk."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _nested(text: Any, value: Any, start: int = 0, end: int | None = None) -> bool:
    """:func:`_too_deep` for a value decoded from ``text[start:end]``, walked only when the text has
    enough brackets to nest that deep (counting them is cheap, walking every record would not be)."""
    end = len(text) if end is None else end
    opening = ("[", "{") if isinstance(text, str) else (b"[", b"{")
    if text.count(opening[0], start, end) + text.count(opening[1], start, end) <= MAX_DEPTH:
        return False
    return isinstance(value, (dict, list)) and _too_deep(value)


_TOO_DEEP = Msg("file.too_deep", depth=MAX_DEPTH)
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_JSON_SCALAR = re.compile(r"[^,\]}\s]*")


def _run_end(pattern: re.Pattern[str], text: str, start: int) -> int:
    """Where the run of ``pattern`` at ``start`` ends (a pattern that matches the empty text too)."""
    match = pattern.match(text, start)
    assert match is not None  # it matches the empty text
    return match.end()


def _json_value_end(text: str, start: int) -> int:
    """Where the JSON value at ``start`` ends, found without decoding it (nor recursing): the value
    that made the decoder fail can be passed over and the values after it read."""
    if text[start] not in "[{":
        return _run_end(_JSON_SCALAR, text, start)
    depth = 0
    for token in _JSON_TOKEN.finditer(text, start):
        char = token.group()
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return len(text)


#: The standard library decoder's messages (json/decoder.py, json/scanner.py) in Chinese
_JSON_MESSAGES_ZH = {
    "Expecting ',' delimiter": "缺少分隔符“,”",
    "Expecting ':' delimiter": "缺少分隔符“:”",
    "Expecting value": "此处应有一个值",
    "Extra data": "多余的数据",
    "Expecting property name enclosed in double quotes": "此处应有用双引号括起的字段名",
    "Unterminated string starting at": "字符串未闭合",
    "Invalid control character at": "字符串中有无效的控制字符",
    "Invalid \\escape": "无效的转义符“\\”",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "数组末尾多了逗号",
}


def _json_detail(text: str) -> Term:
    """A decoder message in both languages (the English as the decoder wrote it)."""
    return Term(_JSON_MESSAGES_ZH.get(text, text), text)


def _json_failure(exc: Exception) -> Msg:
    """The message for what stops the standard library's decoder besides a syntax error."""
    if isinstance(exc, RecursionError):
        return _TOO_DEEP
    if "integer string conversion" in str(exc):
        return Msg("json.long_number", digits=sys.get_int_max_str_digits())
    return Msg("json.invalid", detail=str(exc))


def _not_a_record(file: str, line: int | None, value: Any) -> InputIssue:
    got = Msg("shown.list") if isinstance(value, list) else type(value).__name__
    return InputIssue(file, line, None, Msg("json.not_object", got=got))


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
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as exc:  # too deep for the decoder, a number of 5,000 digits
            return InputIssue(file, line_at(start), None, _json_failure(exc)), _json_value_end(text, start)
        where = line_at(start)
        if _nested(text, value, start, end):
            return InputIssue(file, where, None, _TOO_DEEP), end
        if isinstance(value, dict):
            return (value, SourceRef(file, where)), end
        return _not_a_record(file, where, value), end

    try:
        pos = _run_end(_WHITESPACE, text, 0)
        if text.startswith("[", pos):
            pos = _run_end(_WHITESPACE, text, pos + 1)
            if text.startswith("]", pos):
                return
            while True:
                item, pos = one(pos)
                yield item
                pos = _run_end(_WHITESPACE, text, pos)
                if text.startswith(",", pos):
                    pos = _run_end(_WHITESPACE, text, pos + 1)
                elif text.startswith("]", pos):
                    pos += 1
                    break
                else:
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        else:
            item, pos = one(pos)
            yield item
        pos = _run_end(_WHITESPACE, text, pos)
        if pos < len(text):
            raise json.JSONDecodeError("Extra data", text, pos)
    except json.JSONDecodeError as exc:
        yield InputIssue(file, exc.lineno, None, Msg("json.invalid_at", column=exc.colno, detail=_json_detail(exc.msg)))


#: A run of whole lines of a JSON Lines file: (bytes, number of its first line, file offset of its first byte)
JsonlBlock = tuple[bytes | bytearray, int, int]


#: Stands for a line over :data:`JSONL_LINE_LIMIT`, followed by its length, in a block of its own that
#: is a ``bytearray`` (what the file holds comes as ``bytes``, so no line of it reads as this):
#: :func:`decode_jsonl_line` makes it the line's error.
_LONG_LINE = b"\xff\x00fzcheck-long-line:"


def _is_long_line(raw: Any) -> bool:
    return raw.__class__ is bytearray and raw.startswith(_LONG_LINE)


def jsonl_blocks(path: str | Path, size: int = 1 << 20, digest: Any = None) -> Iterator[JsonlBlock]:
    """The file in blocks of about ``size`` bytes cut at line ends: streamed (a register of a million
    lines is never held whole), and cheap to hand to another process, which splits the lines.
    A ``hashlib`` object given as ``digest`` is updated with every byte on the way. A line longer than
    :data:`JSONL_LINE_LIMIT` is never held whole either: it comes as a block of its own that
    :func:`decode_jsonl_line` reports as too long (line numbers and offsets stay those of the file)."""
    line, offset = 1, 0
    limit = JSONL_LINE_LIMIT
    with open(path, "rb") as handle:
        while block := handle.read(size):
            tail = block.rfind(b"\n") + 1  # where the block's last, unfinished line starts
            if tail < len(block):
                block += handle.readline(max(limit + 1 - (len(block) - tail), 1))
            if not block.endswith(b"\n") and len(block) - tail > limit:
                whole, long, newline = block[:tail], len(block) - tail, 0
                if digest is not None:
                    digest.update(block)
                while piece := handle.readline(1 << 20):
                    if digest is not None:
                        digest.update(piece)
                    long += len(piece)
                    if piece.endswith(b"\n"):
                        newline = 1
                        break
                if whole:
                    yield whole, line, offset
                    line += whole.count(b"\n")
                    offset += len(whole)
                yield bytearray(_LONG_LINE + str(long - newline).encode() + b"\n"), line, offset
                line += 1
                offset += long
                continue
            if digest is not None:
                digest.update(block)
            yield block, line, offset
            line += block.count(b"\n")
            offset += len(block)


def block_lines(block: JsonlBlock) -> Iterator[tuple[bytes | bytearray, int, int]]:
    """The non-blank lines of a block as (bytes without the newline, line number, file offset of the
    line's first byte); a UTF-8 byte order mark opening the file is dropped."""
    text, number, start = block
    if _is_long_line(text):
        yield text[:-1], number, start
        return
    for raw in text.split(b"\n"):
        line_start, start = start, start + len(raw) + 1
        if line_start == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw, line_start = raw[3:], 3
        if raw.strip():
            yield raw, number, line_start
        number += 1


def jsonl_lines(path: str | Path) -> Iterator[tuple[bytes | bytearray, int, int]]:
    """The non-blank lines of a JSON Lines file (see :func:`block_lines`)."""
    for block in jsonl_blocks(path):
        yield from block_lines(block)


#: A line's shape in one pass of ``bytes.translate`` (a regular expression over every line costs six
#: times more): digits as ``0``, ``[`` and ``{`` as ``[``, all else ``.``. Nineteen ``0`` in a row are an
#: integer orjson may not hold exactly (it makes floats of integers beyond 64 bits); more than
#: :data:`MAX_DEPTH` ``[`` are a line that may nest too deep.
_SHAPE = bytes(48 if 48 <= byte <= 57 else 91 if byte in (91, 123) else 46 for byte in range(256))
_LONG_DIGITS = b"0" * 19


def decode_jsonl_line(raw: bytes | bytearray, file: str, number: int | None, start: int) -> Row | InputIssue:
    """One line as a record's raw mapping, or the error naming its line. orjson decodes; a line it
    refuses, or one with a run of 19 digits (orjson turns integers beyond 64 bits into floats, so
    ``12345678901234567890123`` would become ``12345678901234567741440``), is decoded by the standard
    library, which either reads it exactly (NaN, integers of any size) or gives the message users see."""
    if len(raw) > JSONL_LINE_LIMIT or _is_long_line(raw):
        length = int(raw[len(_LONG_LINE) :]) if _is_long_line(raw) else len(raw)
        return InputIssue(
            file, number, None, Msg("jsonl.line_too_long", size=_mib(length), limit=_mib(JSONL_LINE_LIMIT))
        )
    shape = raw.translate(_SHAPE)
    try:
        if _LONG_DIGITS in shape:
            raise ValueError("exact integers")
        value = orjson.loads(raw)
    except ValueError:  # orjson.JSONDecodeError is one
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return InputIssue(file, number, None, Msg("file.not_utf8", byte=start + exc.start + 1))
        except json.JSONDecodeError as exc:
            return InputIssue(
                file, number, None, Msg("json.invalid_at", column=exc.colno, detail=_json_detail(exc.msg))
            )
        except (RecursionError, ValueError) as exc:
            return InputIssue(file, number, None, _json_failure(exc))
    if shape.count(b"[") > MAX_DEPTH and isinstance(value, (dict, list)) and _too_deep(value):
        return InputIssue(file, number, None, _TOO_DEEP)
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
        first: [
            (tag, _DECIMAL_INT if tag == "tag:yaml.org,2002:int" else regexp)
            for tag, regexp in resolvers
            if tag != "tag:yaml.org,2002:timestamp"
        ]
        for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
    }


def _yaml_children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


class _Cyclic(Exception):
    """A YAML node that contains itself through an alias."""


def _yaml_extent(node: Any, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(values, depth) of a composed YAML node, every value counted as often as aliases reach it, so an
    alias bomb (``&a [x, x]``, ``&b [*a, *a]``… 2**30 values from a few lines) is found before anything
    walks it; each node is visited once (``memo``), without recursion. Raises :class:`_Cyclic` for a node
    that contains itself."""
    if id(node) in memo:
        return memo[id(node)]
    cap = MAX_RECORD_VALUES + 1
    stack, active = [(node, False)], set()
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            children = [memo[id(child)] for child in _yaml_children(current)]
            memo[key] = (
                min(cap, 1 + sum(size for size, _ in children)),
                1 + max((depth for _, depth in children), default=0),
            )
            active.discard(key)
        elif key not in memo:
            if key in active:
                raise _Cyclic
            active.add(key)
            stack.append((current, True))
            stack.extend((child, False) for child in _yaml_children(current) if id(child) not in memo)
    return memo[id(node)]


def _yaml_item_problem(node: Any, memo: dict[int, tuple[int, int]]) -> Msg | None:
    try:
        values, depth = _yaml_extent(node, memo)
    except _Cyclic:
        return Msg("yaml.self_alias")
    if values > MAX_RECORD_VALUES:
        return Msg("yaml.too_many_values", limit=MAX_RECORD_VALUES)
    if depth > MAX_DEPTH:
        return _TOO_DEEP
    return None


def _yaml_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """A mapping, a list of mappings, or several documents of either; lines from the node marks.
    Each record is measured before it is built (:func:`_yaml_extent`): one that contains itself, nests
    too deep or expands through aliases past :data:`MAX_RECORD_VALUES` is an error of that record."""
    loader = _RecordLoader(_text(path))
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            sequence = isinstance(node, yaml.SequenceNode)
            items = node.value if sequence else [node]
            memo: dict[int, tuple[int, int]] = {}
            problems = [_yaml_item_problem(item, memo) for item in items]
            if sequence and any(problems):
                node = yaml.SequenceNode(
                    node.tag,
                    [item for item, problem in zip(items, problems) if not problem],
                    node.start_mark,
                    node.end_mark,
                    node.flow_style,
                )
            try:
                value: Any = None if problems and problems[0] and not sequence else loader.construct_document(node)
            except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
                # a key that is a list (unhashable), an integer of 5,000 digits: this document is not read
                mark = getattr(exc, "problem_mark", None) or node.start_mark
                problem = getattr(exc, "problem", None) or str(exc)
                yield InputIssue(file, mark.line + 1, None, Msg("yaml.invalid", detail=problem))
                continue
            if value is None and not any(problems):
                continue
            good = iter(value if sequence else [value])
            for item_node, problem in zip(items, problems):
                where = item_node.start_mark.line + 1
                if problem:
                    yield InputIssue(file, where, None, problem)
                    continue
                item = next(good)
                yield (item, SourceRef(file, where)) if isinstance(item, dict) else _not_a_record(file, where, item)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        yield InputIssue(file, mark.line + 1 if mark else None, None, Msg("yaml.invalid", detail=problem))
    finally:
        loader.dispose()


def _header(cells: Iterable[Any]) -> list[str]:
    """Column names; blank ones become ``column N`` so that values under them are reported."""
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    names = [name or f"column {index}" for index, name in enumerate(names, start=1)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _Unreadable(Msg("csv.duplicate_column", name=name))
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


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030, checked over the whole file in blocks before a row is
    read (a row read and then found undecodable could not be taken back)."""
    # checked as plain UTF-8 (a byte order mark is UTF-8 too): the utf-8-sig decoder fed in blocks
    # passes over a file that is only the start of a BOM (b"\xef") as if it were empty
    for encoding, reading in (("utf-8", "utf-8-sig"), ("gb18030", "gb18030")):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
            return reading
        except UnicodeDecodeError:
            continue
    raise _Unreadable(Msg("file.not_utf8_gb18030"))


class _CsvLines:
    """The physical lines of a CSV file as the csv module sees them (``newline=""``), each piece at most
    :data:`CSV_ROW_LIMIT` + 1 characters (a longer line comes in pieces), with the line numbers."""

    def __init__(self, path: Path, encoding: str):
        self.path, self.encoding = path, encoding
        self._open()

    def _open(self) -> None:
        self.handle = open(self.path, encoding=self.encoding, newline="")  # noqa: SIM115 -- open while the object reads; close() closes it
        #: the number of the line the last piece belongs to; whether that piece ends its line
        self.number, self.complete = 0, True

    def next(self) -> str | None:
        piece = self.handle.readline(CSV_ROW_LIMIT + 1)
        if not piece:
            return None
        if self.complete:
            self.number += 1
        self.complete = piece.endswith(("\n", "\r")) or len(piece) <= CSV_ROW_LIMIT
        return piece

    def restart_after(self, line: int) -> None:
        """Read on from the line after ``line`` (the file is opened again: only after an unclosed quote)."""
        self.handle.close()
        self._open()
        while self.number < line or not self.complete:
            if self.next() is None:
                break

    def close(self) -> None:
        self.handle.close()


_CSV_START, _CSV_FIELD, _CSV_QUOTED, _CSV_QUOTE_IN_QUOTED = range(4)
_CSV_FIELD_END = re.compile(r"[,\r\n]")


class _CsvScan:
    """Where a CSV record ends, as the csv module's default dialect reads it (quotes open a cell only at
    its start; ``""`` in a quoted cell is a quote; a quote closing early goes on as plain text), without
    building the cells: the lengths of the cells are measured and the line where an unclosed quote
    opened is kept, so a too-large cell or a quote running to the end of the file is an error of its row
    and the rows after it are still read."""

    def __init__(self) -> None:
        self.state, self.cell, self.length = _CSV_START, 0, 0
        self.big: tuple[int, int] | None = None  # (cell index, its length so far) of the first too-large cell
        self.quote_line = 0
        self.ended = False

    def _grow(self, count: int) -> None:
        self.length += count
        if self.length > CSV_FIELD_LIMIT and (self.big is None or self.big[0] == self.cell):
            self.big = (self.cell, self.length)

    def feed(self, text: str, line: int, complete: bool) -> None:
        pos, end = 0, len(text)
        while pos < end:
            state = self.state
            if state == _CSV_QUOTED:
                quote = text.find('"', pos)
                if quote < 0:
                    self._grow(end - pos)
                    return
                self._grow(quote - pos)
                pos, self.state = quote + 1, _CSV_QUOTE_IN_QUOTED
                continue
            if state == _CSV_QUOTE_IN_QUOTED:
                if text[pos] == '"':
                    self._grow(1)
                    pos, self.state = pos + 1, _CSV_QUOTED
                else:
                    self.state = _CSV_FIELD
                continue
            if state == _CSV_START and text[pos] == '"':
                pos, self.state, self.quote_line = pos + 1, _CSV_QUOTED, line
                continue
            found = _CSV_FIELD_END.search(text, pos)
            if found is None:
                self._grow(end - pos)
                self.state = _CSV_FIELD
                break
            self._grow(found.start() - pos)
            if found.group() != ",":
                self.ended = True
                return
            pos, self.state, self.cell, self.length = found.end(), _CSV_START, self.cell + 1, 0
        if complete and self.state != _CSV_QUOTED:
            self.ended = True  # the file's last line, without a line end


class _Feed:
    """The csv reader's input: the one text it is given to split (a record's lines joined)."""

    def __init__(self) -> None:
        self.text: str | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        text, self.text = self.text, None
        if text is None:
            raise StopIteration
        return text


#: A CSV record: (row, cells), or (row, cell index or None, message) for a row that cannot be read.
CsvRecord = tuple[int, list[str]] | tuple[int, int | None, str]


def _csv_records(path: Path, encoding: str) -> Iterator[CsvRecord]:
    """Every record of a CSV file, row by row (row 1 is the first record, a blank line is a row), streamed.

    A row whose cell is over :data:`CSV_FIELD_LIMIT` characters, or whose cells are over
    :data:`CSV_ROW_LIMIT` in all, is an error of that row (naming the cell) and reading goes on after
    it. A quote that is never closed would swallow the rest of the file into one cell: its row is an
    error naming the line where the quote opened, and reading goes on from the next line.
    """
    lines = _CsvLines(path, encoding)
    feed = _Feed()
    reader = csv.reader(feed)
    row = 0
    try:
        while (text := lines.next()) is not None:
            row += 1
            parts: list[str] | None
            if lines.complete and '"' not in text and len(text) <= CSV_FIELD_LIMIT:
                parts = [text]
            else:  # quotes (maybe over several lines), or a long line: find the record's end first
                scan, size = _CsvScan(), len(text)
                parts = [text] if size <= CSV_ROW_LIMIT else None
                scan.feed(text, lines.number, lines.complete)
                while not scan.ended:
                    more = lines.next()
                    if more is None:
                        break
                    scan.feed(more, lines.number, lines.complete)
                    size += len(more)
                    if parts is not None and size > CSV_ROW_LIMIT:
                        parts = None
                    elif parts is not None:
                        parts.append(more)
                if not scan.ended and scan.state == _CSV_QUOTED:
                    quote = scan.quote_line
                    yield row, scan.cell, Msg("csv.unclosed_quote", quote=quote)
                    lines.restart_after(quote)
                    continue
                if scan.big is not None:
                    cell, length = scan.big
                    yield row, cell, Msg("csv.cell_too_large", length=length, limit=CSV_FIELD_LIMIT)
                    continue
                if parts is None:
                    yield row, None, Msg("csv.row_too_large", size=size, limit=CSV_ROW_LIMIT)
                    continue
            feed.text = "".join(parts) if len(parts) > 1 else parts[0]
            try:
                cells = next(reader, [])
            except csv.Error as exc:
                yield row, None, Msg("csv.invalid", detail=str(exc))
                continue
            yield row, cells
    finally:
        lines.close()


def _csv_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves it; empty cells are absent.
    Read row by row (:func:`_csv_records`): one bad row is one error, the rows after it are read."""
    records = _csv_records(path, _csv_encoding(path))
    header = next(records, None)
    if header is None:
        return
    if len(header) == 3:
        raise _Unreadable(Msg("csv.invalid_header", detail=header[2]))
    columns = _header(header[1])
    for record in records:
        if len(record) == 3:
            number, cell, message = record
            column = None if cell is None else columns[cell] if cell < len(columns) else f"column {cell + 1}"
            yield InputIssue(file, number, column, message)
            continue
        number, cells = record
        data = _table_row(columns, cells)
        if data:
            yield data, SourceRef(file, number)


#: Every header that names a date field of some kind: numbers under them are Excel serials.
_DATE_COLUMNS = frozenset(
    alias
    for kind, aliases in FIELD_ALIASES.items()
    for alias, name in aliases.items()
    if FIELD_TYPES[kind][name] == "date"
)


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


def _xlsx_archive(path: Path) -> None:
    """Refuses what is no workbook, or one that would expand past :data:`XLSX_EXPANDED_LIMIT` when
    unzipped (a zip bomb), before openpyxl opens it. The sizes the zip declares are a true bound:
    :mod:`zipfile` never gives more bytes than a member declares."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _Unreadable(Msg("xlsx.unreadable", detail=str(exc))) from None
    if expanded > XLSX_EXPANDED_LIMIT:
        raise _Unreadable(Msg("xlsx.zip_bomb", size=_mib(expanded), limit=_mib(XLSX_EXPANDED_LIMIT)))
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith((".xml", ".rels")):
                _refuse_declared_entities(archive, member)


def _refuse_declared_entities(archive: zipfile.ZipFile, member: str) -> None:
    """Refuses a part whose XML declares entities, whichever parser openpyxl picks for it: with lxml
    installed openpyxl parses workbook.xml and styles.xml with lxml, not defusedxml. A DTD comes
    before the root element, so defusedxml reads each part only up to its first tag."""
    from defusedxml.ElementTree import iterparse as defused_iterparse  # noqa: PLC0415 (XLSX files only)

    try:
        with archive.open(member) as source:
            for _ in defused_iterparse(source, events=("start",)):
                break
    except (ValueError, SyntaxError, zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        # defusedxml's EntitiesForbidden… are ValueErrors, expat's ParseError a SyntaxError; the rest a
        # broken archive member: each said by _xlsx_problem
        raise _Unreadable(_xlsx_problem(exc)) from None


def _xlsx_problem(exc: BaseException) -> Msg:
    """Why openpyxl could not read a workbook, in a sentence. openpyxl wraps the parser's error in a
    ValueError of its own ("Unable to read workbook…"): the cause is looked for along the chain."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        name = type(cause).__name__
        if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
            return Msg("xlsx.entities", detail=str(cause))
        if name == "ParseError":
            return Msg("xlsx.broken_xml", detail=str(cause))
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(exc).split())
    return Msg(
        "xlsx.unreadable", detail=text if isinstance(exc, (KeyError, OSError)) else f"{type(exc).__name__}: {text}"
    )


#: An element ``<f>`` (a formula) in a sheet's XML, with or without a namespace prefix.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(path: Path, member: str) -> bool:
    """Whether the sheet's XML holds any formula, read in blocks (most registers have none, and then
    the workbook is read once)."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as source:
        tail = b""
        while block := source.read(1 << 20):
            if _FORMULA_TAG.search(tail + block):
                return True
            tail = block[-64:]
    return False


def _formula_text(cell: Any) -> str | None:
    if isinstance(cell, str) and cell.startswith("="):
        return cell
    text = getattr(cell, "text", None)  # openpyxl's ArrayFormula, DataTableFormula
    return str(text) if text is not None else None


#: The name of a register template's instructions sheet (engine/sources/templates.py): the reader
#: passes over it by its name, as it holds no records, whatever its first row says.
INSTRUCTIONS_SHEET = "说明"


def _xlsx_rows(path: Path, file: str) -> Iterator[Row | InputIssue]:
    """The first sheet, every row of it: read-only mode would stop at the sheet's declared
    ``<dimension>``, which programs writing XLSX get wrong (rows or columns past it would vanish), so
    the dimension is reset and the rows read as they are. A formula cell without a cached value (the
    file was written by a program that does not calculate) reads as empty and is a warning naming the
    cell."""
    import openpyxl  # noqa: PLC0415 (openpyxl loaded only for an Excel register)

    _xlsx_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises what its parts raise: KeyError, ParseError, defusedxml's errors…
        raise _Unreadable(_xlsx_problem(exc)) from None
    formulas_book = None
    number = 1
    try:
        sheets = book.worksheets
        if not sheets:
            return
        for sheet in sheets[1:]:
            if sheet.title == INSTRUCTIONS_SHEET:  # a register template's instructions: never records
                continue
            try:
                sheet.reset_dimensions()
                first_row = next(sheet.iter_rows(max_row=1, values_only=True), ())
                used = any(cell is not None for cell in first_row)
            except Exception:  # an unreadable sheet that is not read anyway: named as ignored
                used = True
            if used:
                yield InputWarning(file, None, None, Msg("xlsx.sheet_ignored", sheet=sheet.title))
        sheet = sheets[0]
        sheet.reset_dimensions()
        formulas = iter(())
        member = getattr(sheet, "_worksheet_path", None)
        if member and _has_formulas(path, member):
            formulas_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
            formula_sheet = formulas_book.worksheets[0]
            formula_sheet.reset_dimensions()
            formulas = formula_sheet.iter_rows(values_only=True)
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        next(formulas, None)
        if header is None:
            return
        columns = _header(header)
        for number, cells in enumerate(rows, start=2):
            written = next(formulas, None)
            if written is not None:
                for index, (value, formula) in enumerate(zip(cells, written)):
                    text = _formula_text(formula) if value is None else None
                    if text is not None:
                        column = columns[index] if index < len(columns) else f"column {index + 1}"
                        cell = f"{openpyxl.utils.get_column_letter(index + 1)}{number}"
                        yield InputWarning(file, number, column, Msg("xlsx.formula_no_value", formula=text, cell=cell))
            data = _table_row(columns, cells, _excel_cell)
            if data:
                yield data, SourceRef(file, number)
    except _Unreadable:
        raise
    except Exception as exc:  # the sheet's XML is parsed as it is read: a problem in it ends the sheet here
        yield InputIssue(
            file, number + 1 if number > 1 else None, None, Msg("xlsx.rows_before_read", problem=_xlsx_problem(exc))
        )
    finally:
        book.close()
        if formulas_book is not None:
            formulas_book.close()


_READERS = {
    ".json": _json_rows,
    ".jsonl": _jsonl_rows,
    ".ndjson": _jsonl_rows,
    ".yaml": _yaml_rows,
    ".yml": _yaml_rows,
    ".csv": _csv_rows,
    ".xlsx": _xlsx_rows,
}
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
    stdin = _STDIN.get() if file == STDIN else None
    if stdin is not None:
        yield from _stdin_rows(stdin)
        return
    if Path(file).suffix.lower() in DOCUMENT_SUFFIXES:  # a document's own text: engine/sources/text
        yield from _document_rows(file)
        return
    reader = _READERS.get(Path(file).suffix.lower())
    if reader is None:
        yield InputIssue(file, None, None, Msg("file.unsupported", expected=", ".join(_READERS)))
        return
    last: int | None = None
    try:
        for item in reader(Path(file), file):
            if item.__class__ is tuple:
                last = item[1].line
            yield item
    except _Unreadable as exc:
        yield InputIssue(file, None, None, exc.args[0])
    except OSError as exc:
        yield InputIssue(file, None, None, Msg("file.cannot_read", detail=str(exc.strerror or exc)))
    except Exception as exc:  # whatever else one hostile file does, it is an error of that file
        yield InputIssue(file, None, None, read_failure(exc, last))


#: Documents read as text. A folder's .docx and .pdf files are read too; its .txt files are not
#: (a readme.txt in a register folder is no draft): a .txt is read when named.
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".txt")
FOLDER_DOCUMENT_SUFFIXES = (".docx", ".pdf")


def _is_side_file(file: str) -> bool:
    """``draft.docx.yaml`` beside ``draft.docx``: the document's side values, not a record file."""
    path = Path(file)
    stem = Path(path.stem)
    return (
        path.suffix.lower() in (".yaml", ".yml")
        and stem.suffix.lower() in DOCUMENT_SUFFIXES
        and path.with_name(stem.name).is_file()
    )


def _document_rows(file: str, data: bytes | None = None) -> Iterator[Row | InputIssue]:
    """The record extracted from a document's text, with its findings as warnings; none when an error
    keeps it from being one (:func:`fzcheck.engine.sources.text.extract_file`). ``data``: the text's
    bytes when already read (standard input)."""
    from .text import extract_file  # noqa: PLC0415 (docx/pdf readers loaded only for a document's text)

    extraction = extract_file(file, data=data)
    for line, name, text in extraction.warnings:
        yield InputWarning(file, line, name, text)
    for line, name, text in extraction.errors:
        yield InputIssue(file, line, name, text)
    if extraction.record is not None:
        title = extraction.found.get("title")
        yield dict(extraction.record), SourceRef(file, title.line if title else None)


#: what ``-`` stands for: the bytes read from standard input (the check command sets it)
_STDIN: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("fzcheck_stdin", default=None)
STDIN = "-"


def stdin_for_reads(data: bytes):
    """Within the block, the path ``-`` is ``data`` (standard input, read once by the caller)."""
    return scoped(_STDIN, data)


def stdin_format(data: bytes) -> str | None:
    """What standard input holds (docs/text.md, "Standard input"): records as JSON Lines (``.jsonl``: every
    non-blank line starts with ``{``) or JSON (``.json``: it starts with ``[``, or with a ``{`` that spans
    lines); None for anything else, which is a document's text (pasted from a draft or a page)."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return ".json"
    if text.startswith("{"):
        lines = [line for line in text.splitlines() if line.strip()]
        return ".jsonl" if all(line.lstrip().startswith("{") for line in lines) else ".json"
    return None


def _stdin_rows(data: bytes) -> Iterator[Row | InputIssue]:
    """The records (JSON, JSON Lines) or the document text that standard input holds, named ``-``."""
    suffix = stdin_format(data)
    if suffix is None:
        yield from _document_rows(STDIN, data)
        return
    with tempfile.TemporaryDirectory(prefix="fzcheck-stdin-") as folder:
        path = Path(folder) / f"stdin{suffix}"
        path.write_bytes(data)
        try:
            yield from _READERS[suffix](path, STDIN)
        except _Unreadable as exc:
            yield InputIssue(STDIN, None, None, exc.args[0])


def read_failure(exc: BaseException, last: int | None) -> Msg:
    """The message for a file whose reading failed in a way no reader foresaw, after line ``last``."""
    reason = (
        _TOO_DEEP
        if isinstance(exc, RecursionError)
        else Msg("file.out_of_memory")
        if isinstance(exc, MemoryError)
        else f"{type(exc).__name__}: {exc}"
    )
    return (
        Msg("file.read_failed_past", line=last, reason=reason)
        if last is not None
        else Msg("file.read_failed", reason=reason)
    )


def record_files(path: str | Path) -> list[str]:
    """The record files ``read_paths`` reads for ``path`` (a file, or a folder's record files)."""
    return [found for found in _files(path) if isinstance(found, str)]


def _files(path: str | Path) -> Iterator[str | InputIssue]:
    """The files a path stands for: itself, or a folder's supported files (recursively, sorted).

    Hidden files and Excel's ``~$`` lock files are passed over silently.
    """
    given = str(path)
    if given == STDIN and _STDIN.get() is not None:
        yield given
        return
    if os.path.isfile(given):
        yield given
        return
    if not os.path.isdir(given):
        yield InputIssue(given, None, None, Msg("file.not_found"))
        return
    found = []
    for folder, subfolders, names in os.walk(given):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [os.path.join(folder, name) for name in names if not name.startswith((".", "~$"))]
    for file in sorted(found, key=lambda name: Path(name).parts):
        if _is_side_file(file):
            continue  # draft.docx.yaml: read with its document, not as a register
        if Path(file).suffix.lower() in _READERS or Path(file).suffix.lower() in FOLDER_DOCUMENT_SUFFIXES:
            yield file
        else:
            yield InputWarning(file, None, None, Msg("file.skipped"))


def record_failure(exc: BaseException) -> Msg:
    """The message for a record whose validation failed in a way no field error describes."""
    reason = _TOO_DEEP if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
    return Msg("record.unreadable", reason=reason)


@batch_collection()
def read_paths(paths: Iterable[str | Path], kind: str | None = None) -> ReadResult:
    """All records in the given files and folders, with every input error and warning.

    Unknown keys/columns are warned about once per file; a second record with the id of an
    earlier one of the same kind is an error (the first one is kept). ``kind`` (a kind code) is the
    kind of every row without one; without it, a CSV or XLSX file with no kind column whose columns
    fit exactly one kind is read as that kind, with a warning saying so.
    """
    result = ReadResult()
    first_seen: dict[tuple[str, str], SourceRef] = {}
    for path in paths:
        for file in _files(path):
            if isinstance(file, InputIssue):
                (result.warnings if isinstance(file, InputWarning) else result.errors).append(file)
            else:
                _read_file(file, result, first_seen, kind)
    return result


def _inferred_kind(keys: list[Any]) -> tuple[str | None, list[str]]:
    """The kind a header (or a record's keys) without a kind key is read as, or None; and the kinds
    its keys fit."""
    if has_kind_key(keys):
        return None, []
    candidates = kind_candidates(keys)
    return (candidates[0] if len(candidates) == 1 else None), candidates


def _kind_warning(file: str, line: int | None, kind: str, keys: list[Any], tabular: bool) -> InputWarning:
    """Says which kind a file without a kind column (a record without a kind key) was read as, and
    by which of its columns."""
    aliases = FIELD_ALIASES[kind]
    shown = [str(key) for key in keys if aliases.get(key) not in (None, "kind", "id", "region_code", "agency")]
    more = " …" if len(shown) > 3 else ""
    columns = Term("、".join(shown[:3]) + more, ", ".join(shown[:3]) + more)
    label = Term(KIND_LABELS.get(kind, kind), kind)
    return InputWarning(
        file,
        line,
        None,
        Msg("record.kind_inferred" if tabular else "record.kind_inferred_keys", kind=label, columns=columns),
    )


def _read_file(
    file: str, result: ReadResult, first_seen: dict[tuple[str, str], SourceRef], kind: str | None = None
) -> None:
    tabular = Path(file).suffix.lower() in _TABULAR
    warned: set[str] = set()
    inferred: tuple[str | None, list[str]] | None = None
    #: kinds records of this file (JSON, YAML) were inferred as: said once per file and kind
    said: set[str] = set()
    for item in iter_rows(file):
        if isinstance(item, InputIssue):
            (result.warnings if isinstance(item, InputWarning) else result.errors).append(item)
            continue
        data, source = item
        row_kind = kind
        if row_kind is None and tabular:
            if inferred is None:
                inferred = _inferred_kind(list(data))
                if inferred[0] is not None:
                    result.warnings.append(_kind_warning(file, 1, inferred[0], list(data), True))
            row_kind = inferred[0]
        elif row_kind is None and not kind_given(data):  # JSON, YAML: each record has its own keys
            inferred = _inferred_kind(list(data))
            row_kind = inferred[0]
            if row_kind is not None and row_kind not in said:
                said.add(row_kind)
                result.warnings.append(_kind_warning(file, source.line, row_kind, list(data), False))
        if row_kind is not None and not kind_given(data):
            data = {**data, "kind": row_kind}
        try:
            record, unknown = parse_record_and_extras(data, source)
        except RecordError as exc:
            record, unknown = None, exc.unknown_keys
            issues = exc.issues
            if (
                len(issues) == 1
                and issues[0].field == "kind"
                and getattr(issues[0].message, "id", None) == "value.missing"
            ):
                if inferred is not None and len(inferred[1]) > 1:
                    fit = Items(Term(KIND_LABELS.get(each, each), each) for each in inferred[1])
                    issues = [
                        replace(
                            issues[0],
                            message=Msg(
                                "record.kind_ambiguous" if tabular else "record.kind_ambiguous_keys", kinds=fit
                            ),
                        )
                    ]
                if not id_given(data):
                    issues = issues + [InputIssue(file, source.line, "id", missing_message("id"))]
            result.errors.extend(issues)
        except Exception as exc:  # a value no validator foresaw: an error of this record, never of the run
            record, unknown = None, []
            result.errors.append(InputIssue(file, source.line, None, record_failure(exc)))
        for key in unknown:
            if key not in warned:
                warned.add(key)
                noun, line = ("column", 1) if tabular else ("key", source.line)  # the noun says which
                result.warnings.append(
                    InputWarning(
                        file,
                        line,
                        str(key),
                        unknown_key_warning(key, noun, record.kind if record is not None else row_kind),
                    )
                )
        if record is None:
            continue
        first = first_seen.setdefault((record.kind, record.id), source)
        if first is not source:
            result.errors.append(
                InputIssue(
                    file, source.line, "id", Msg("record.duplicate_id", id=record.id, first=str(first)), record.id
                )
            )
            continue
        for name, message in record_warnings(record.kind, record.__dict__):
            result.warnings.append(InputWarning(file, source.line, name, message, record.id))
        result.records.append(record)


def no_records_issue(paths, lang: str = "zh", display_names=None) -> InputIssue:
    """cli.md: an input in which no record at all could be found is an input error (exit 2) — a CI job
    pointed at the wrong folder must not pass. ``display_names``: path -> the name to show (uploads)."""
    names = display_names or {}
    where = ("、" if lang == "zh" else ", ").join(names.get(str(path), str(path)) for path in paths)
    files = [Path(found) for given in paths for found in record_files(given)]
    shown = [names.get(str(path), path.name) for path in files[:5]]
    more = "…" if len(files) > 5 else ""
    if lang == "zh":
        read = (
            f"已读取 {len(files)} 个文件（{'、'.join(shown)}{more}），其中没有记录"
            if files
            else "其中没有可读取的记录文件（JSON、JSON Lines、YAML、CSV、XLSX）"
        )
        message = f"未读到任何记录：{read}"
    else:
        read = (
            f"{len(files)} file(s) read ({', '.join(shown)}{more}), none holding a record"
            if files
            else "no readable record file (JSON, JSON Lines, YAML, CSV, XLSX)"
        )
        message = f"no records read: {read}"
    return InputIssue(where, None, None, message)
