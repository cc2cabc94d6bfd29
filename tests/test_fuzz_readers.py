"""Fuzzing the readers (issue #16): random bytes and structured mutations of valid JSON Lines, CSV, YAML,
JSON and XLSX files — truncation, inserted quotes, NUL bytes, byte order marks, huge numbers, deep
nesting, flipped bytes.

Whatever the file holds: no exception escapes ``read_paths`` (every problem is an InputIssue), every
record of a line-oriented file is accounted for (each non-blank JSON Lines line, each non-blank CSV row
is a record or an error with its line, never both, never neither), the import's row parser never raises
either, and each example is read within the hypothesis deadline. Kept small for CI: 100–150 examples a
test, a few seconds each.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fzcheck.engine.outcomes.results import InputIssue
from fzcheck.engine.sources.files import InputWarning, jsonl_blocks, read_paths
from fzcheck.engine.sources.generator import generate_records
from fzcheck.engine.store.importer import parse_rows

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BOM = b"\xef\xbb\xbf"

RECORDS = list(generate_records(12, seed=5))
FLAT_DOCS = [
    {key: value for key, value in record.items() if not isinstance(value, (list, dict))}
    for record in generate_records(60, seed=6)
    if record["kind"] == "normative_document"
][:8]


def _csv_text(rows: list[dict]) -> str:
    columns = sorted({key for row in rows for key in row})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else str(row[column]) for column in columns])
    return out.getvalue()


VALID = {
    ".jsonl": "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in RECORDS).encode(),
    ".json": json.dumps(RECORDS, ensure_ascii=False, indent=1).encode(),
    ".yaml": yaml.safe_dump(RECORDS, allow_unicode=True, sort_keys=False).encode(),
    ".csv": _csv_text(FLAT_DOCS).encode(),
}


@pytest.fixture(scope="module")
def folder():
    path = Path(tempfile.mkdtemp(prefix="fzcheck-fuzz-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# --- mutations ---------------------------------------------------------------------------------------------


def _at(data: bytes, where: float) -> int:
    return int(where * len(data))


MUTATIONS = {
    "truncate": lambda data, where, n: data[: _at(data, where)],
    "quote": lambda data, where, n: data[: _at(data, where)] + b'"' + data[_at(data, where) :],
    "nul": lambda data, where, n: data[: _at(data, where)] + b"\0" * (1 + n % 4) + data[_at(data, where) :],
    "bom": lambda data, where, n: (BOM + data) if n % 2 else data[: _at(data, where)] + BOM + data[_at(data, where) :],
    "huge number": lambda data, where, n: (
        data[: _at(data, where)] + b"9" * (19 + n * 7 % 5000) + data[_at(data, where) :]
    ),
    "deep": lambda data, where, n: (
        data[: _at(data, where)] + b"[" * (n * 13 % 3000) + b"]" * (n * 13 % 3000) + data[_at(data, where) :]
    ),
    "newline": lambda data, where, n: (
        data[: _at(data, where)] + (b"\n", b"\r", b"\r\n", b",")[n % 4] + data[_at(data, where) :]
    ),
    "delete": lambda data, where, n: data[: _at(data, where)] + data[_at(data, where) + 1 + n % 40 :],
    "flip": lambda data, where, n: (
        (data[: _at(data, where)] + bytes([(data[_at(data, where)] + 1 + n) % 256]) + data[_at(data, where) + 1 :])
        if _at(data, where) < len(data)
        else data
    ),
    "duplicate line": lambda data, where, n: (
        data[: _at(data, where)] + data[_at(data, where) :].split(b"\n", 1)[0] + b"\n" + data[_at(data, where) :]
    ),
    "alias bomb": lambda data, where, n: (
        b"- &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            b"- &a%d [%s]\n" % (i, b", ".join([b"*a" if i == 1 else b"*a%d" % (i - 1)] * 10))
            for i in range(1, 2 + n % 8)
        )
        + data
    ),
}

mutation = st.tuples(st.sampled_from(sorted(MUTATIONS)), st.floats(0, 1), st.integers(0, 10_000))


def mutate(data: bytes, steps: list[tuple[str, float, int]]) -> bytes:
    for name, where, n in steps:
        data = MUTATIONS[name](data, where, n)
    return data


# --- properties --------------------------------------------------------------------------------------------


def read(folder: Path, suffix: str, data: bytes):
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    result = read_paths([path])  # must not raise, whatever the bytes
    for issue in [*result.errors, *result.warnings]:
        assert isinstance(issue, InputIssue) and issue.file == str(path) and issue.message
    assert all(record.source.file == str(path) for record in result.records)
    return path, result


def assert_jsonl_accounted(data: bytes, result) -> None:
    """Each non-blank line is one record or has its errors; nothing else, nothing twice."""
    expected = set()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw.startswith(BOM):
            raw = raw[3:]
        if raw.strip():
            expected.add(number)
    record_lines = [record.source.line for record in result.records]
    error_lines = {error.line for error in result.errors}
    assert None not in error_lines
    assert len(record_lines) == len(set(record_lines))
    assert set(record_lines).isdisjoint(error_lines)
    assert set(record_lines) | error_lines == expected


def _decoded(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def assert_csv_accounted(data: bytes, result) -> None:
    """A file that cannot be read is one error; else each non-blank row after the header is one record or
    has its errors, the rows being the csv module's (when no quote is left open: then the lines after the
    quote are rows of their own, checked for being disjoint only)."""
    whole_file = [error for error in result.errors if error.line is None]
    if whole_file:
        assert len(result.errors) == 1 and result.records == []
        return
    text = _decoded(data)
    assert text is not None
    record_rows = [record.source.line for record in result.records]
    error_rows = {error.line for error in result.errors}
    assert len(record_rows) == len(set(record_rows)) and set(record_rows).isdisjoint(error_rows)
    if any("unclosed quote" in error.message for error in result.errors):
        return
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = {
        number for number, cells in enumerate(rows, start=1) if number > 1 and any(cell.strip() for cell in cells)
    }
    assert set(record_rows) | error_rows == expected


def assert_accounted(suffix: str, data: bytes, result) -> None:
    if suffix == ".jsonl":
        assert_jsonl_accounted(data, result)
    elif suffix == ".csv":
        assert_csv_accounted(data, result)
    else:  # JSON, YAML: whole documents, each problem with its place
        assert all(error.line is None or error.line >= 1 for error in result.errors)


def assert_import_parses(path: Path) -> None:
    """The import's worker-side parser (fast lane, full parse) takes every JSON Lines block without raising."""
    for block in jsonl_blocks(path):
        for parsed in parse_rows(str(path), block, driver_rows=True):
            assert len(parsed) in (4, 7)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".yaml", ".json", ".xlsx"])
@FUZZ
@given(data=st.binary(max_size=3000))
@example(data=b"\xef")  # the start of a byte order mark, and no more (found by a longer run)
@example(data=b"\xef\xbb")
@example(data=b"\xef\xbb\xbf")
def test_random_bytes_never_escape_read_paths(folder, suffix, data):
    _path, result = read(folder, suffix, data)
    if suffix in (".jsonl", ".csv"):
        assert_accounted(suffix, data, result)


@pytest.mark.parametrize("suffix", sorted(VALID))
@FUZZ
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_valid_files_are_read_or_errors_with_their_place(folder, suffix, steps):
    data = mutate(VALID[suffix], steps)
    path, result = read(folder, suffix, data)
    assert_accounted(suffix, data, result)
    if suffix == ".jsonl":
        assert_import_parses(path)


@FUZZ
@given(text=st.text(st.sampled_from(list('ab,"\r\n x\x00\ufeff一')), max_size=200))
def test_csv_rows_are_the_csv_modules_rows_or_errors(folder, text):
    data = text.encode("utf-8")
    _path, result = read(folder, ".csv", data)
    assert_csv_accounted(data, result)


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.just('{"kind": "officer", "id": "o", "region_code": "532301"}'),
            st.integers(-(10**30), 10**30).map(lambda n: f'{{"kind": "officer", "id": {n}, "region_code": "532301"}}'),
            st.integers(0, 3000).map(lambda n: '{"kind": "officer", "id": "d", "name": ' + "[" * n + "]" * n + "}"),
            st.text(max_size=30).map(json.dumps),
            st.just(""),
            st.just("\ufeff{}"),
            st.just('{"a": NaN}'),
            st.just("\x00"),
        ),
        max_size=20,
    )
)
def test_jsonl_lines_of_every_shape(folder, lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    path, result = read(folder, ".jsonl", data)
    assert_jsonl_accounted(data, result)
    assert_import_parses(path)
    written = {
        line[26 : line.index(",", 26)]
        for line in lines
        if line.startswith('{"kind": "officer", "id": ') and line[26:27] in "-0123456789"
    }
    numeric = {record.id for record in result.records if record.id.lstrip("-").isdigit()}
    assert numeric <= written, "an integer id is read exactly, never through a float"


def _workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kind", "id", "region_code", "title", "published_on"])
    for index in range(5):
        sheet.append(["normative_document", f"nd-{index}", "532301", f"标题{index}", "2019-03-04"])
    sheet["F2"] = "=A2&B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _workbook_bytes()


@settings(max_examples=100, deadline=5000, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["flip", "truncate", "delete", "nul"]), st.floats(0, 1), st.integers(0, 10_000)),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_workbooks_are_read_or_errors(folder, steps):
    _path, result = read(folder, ".xlsx", mutate(XLSX, steps))
    assert len(result.records) <= 5
    assert all(isinstance(warning, InputWarning) for warning in result.warnings)
