"""Hostile and malformed input files (issue #16): nothing is lost silently, one bad file or row is an input
error with its place, and neither `fzcheck check` nor `fzcheck db import` ends with exit 3.

Every case asserts the exact records and errors through ``read_paths``; the whole-run cases go through the
CLI too: `check` exits 2 naming the problem, `db import` into a temporary SQLite exits 2 with the other
files imported. The hostile files are written by the tests (tmp_path); large ones only where the real
limit is the point, else with a limit lowered by monkeypatch.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.sources import files as readers
from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths, quarantined_rows

BIG = 12345678901234567890123  # beyond 64 bits: a float would make it 12345678901234567741440
HEADER = "kind,id,region_code,title\n"
TOO_DEEP = "nested more than 64 levels deep (lists and objects in one another)"


def where(issues):
    return [(Path(issue.file).name, issue.line, issue.field, issue.message) for issue in issues]


def ids(result):
    return [(record.id, record.source.line) for record in result.records]


def doc_rows(start, count):
    return "".join(f"normative_document,nd-{i},532301,标题{i}\n" for i in range(start, start + count))


def good_jsonl(tmp_path, name="good.jsonl"):
    path = tmp_path / name
    path.write_text(json.dumps({"kind": "officer", "id": "ok-1", "region_code": "532301"}) + "\n", encoding="utf-8")
    return path


def check(*paths):
    """`fzcheck check --format json --lang en`: (exit code, parsed report), messages in English as the
    readers' str values are (tests/test_messages.py holds the Chinese default)."""
    result = CliRunner().invoke(
        cli, ["check", *map(str, paths), "--as-of", "2024-01-01", "--format", "json", "--lang", "en"]
    )
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, json.loads(result.stdout)


def cli_errors(report):
    return [(Path(error["file"]).name, error["line"], error["field"], error["message"]) for error in report["errors"]]


def db_import(tmp_path, *paths):
    """`fzcheck db import --lang en` into a new SQLite database: (result, engine)."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    result = CliRunner().invoke(cli, ["db", "import", *map(str, paths), "--db", url, "--lang", "en"])
    return result, connect(str(tmp_path / "records.db"))


def stored_ids(engine, table):
    with engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql(f"SELECT record_id FROM {table} ORDER BY pk")]


def quarantine(engine):
    """Quarantined rows by file name and line (the database lists the newest import first)."""
    rows = [(Path(row["file"]).name, row["line"], row["field"], row["reason"]) for row in quarantined_rows(engine)]
    return sorted(rows, key=lambda row: (row[0], row[1] or 0))


# --- (2a) integers beyond 64 bits: exact in JSON Lines as in JSON, in check and in db import ---------------


@pytest.mark.parametrize("name", ["officers.jsonl", "officers.json"])
def test_integers_beyond_64_bits_are_read_exactly(tmp_path, name):
    rows = [
        {"kind": "officer", "id": BIG, "region_code": "532301", "cert_number": BIG},
        {"kind": "officer", "id": BIG + 1, "region_code": "532301", "cert_number": -BIG},
        {"kind": "officer", "id": 18446744073709551616, "region_code": "532301"},
    ]
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    result = read_paths([path])
    assert result.errors == [], "two officers must not collide as duplicates"
    assert [record.id for record in result.records] == [
        "12345678901234567890123",
        "12345678901234567890124",
        "18446744073709551616",
    ]
    assert [record.cert_number for record in result.records] == [
        "12345678901234567890123",
        "-12345678901234567890123",
        None,
    ]

    code, report = check(path)
    assert code in (0, 1) and report["summary"]["records"] == 3 and report["errors"] == []

    imported, engine = db_import(tmp_path, path)
    assert imported.exit_code == 0, imported.output
    assert stored_ids(engine, "officers") == [
        "12345678901234567890123",
        "12345678901234567890124",
        "18446744073709551616",
    ]
    with engine.connect() as connection:
        assert [row[0] for row in connection.exec_driver_sql("SELECT cert_number FROM officers ORDER BY pk")] == [
            "12345678901234567890123",
            "-12345678901234567890123",
            None,
        ]


def test_integer_of_more_digits_than_python_converts_is_an_error_of_its_line(tmp_path):
    path = tmp_path / "digits.jsonl"
    path.write_text(
        '{"kind": "officer", "id": "o-1", "region_code": "532301"}\n'
        '{"kind": "officer", "id": ' + "7" * 5000 + ', "region_code": "532301"}\n'
        '{"kind": "officer", "id": "o-3", "region_code": "532301"}\n',
        encoding="utf-8",
    )
    as_list = tmp_path / "digits.json"
    as_list.write_text("[" + ",\n".join(path.read_text(encoding="utf-8").splitlines()) + "]", encoding="utf-8")
    for file in (path, as_list):
        result = read_paths([file])
        assert ids(result) == [("o-1", 1), ("o-3", 3)]
        assert where(result.errors) == [(file.name, 2, None, "invalid JSON: a number of more than 4,300 digits")]


# --- (2b) one CSV cell over the csv module's 131,072 characters --------------------------------------------


def test_csv_cell_over_131072_characters_is_read_and_the_rows_after_it_too(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        HEADER + "normative_document,nd-long,532301," + "长" * 140_000 + "\n" + doc_rows(1, 5), encoding="utf-8"
    )
    result = read_paths([path])
    assert ids(result) == [("nd-long", 2), ("nd-1", 3), ("nd-2", 4), ("nd-3", 5), ("nd-4", 6), ("nd-5", 7)]
    assert result.records[0].title == "长" * 140_000 and result.errors == []


def test_csv_cell_over_the_limit_is_an_error_of_its_row_naming_the_column(tmp_path):
    """The real limit (10 MiB characters): a 10 MiB + 1 cell, unquoted and quoted over several lines."""
    limit = readers.CSV_FIELD_LIMIT
    assert limit == 10 << 20
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "normative_document,nd-huge,532301," + "x" * (limit + 1) + "\n" + doc_rows(1, 2))
        handle.write('normative_document,nd-quoted,532301,"' + ("y" * (1 << 20) + "\n") * 10 + 'y"\n')
        handle.write(doc_rows(3, 3))
    result = read_paths([path])
    assert ids(result) == [("nd-1", 3), ("nd-2", 4), ("nd-3", 6), ("nd-4", 7), ("nd-5", 8)]
    assert where(result.errors) == [
        ("huge.csv", 2, "title", f"cell too large: {limit + 1:,} characters, at most {limit:,}; the row is not read"),
        (
            "huge.csv",
            5,
            "title",
            f"cell too large: {10 * ((1 << 20) + 1) + 1:,} characters, at most {limit:,}; the row is not read",
        ),
    ]


def test_csv_cell_over_the_limit_through_check_and_db_import(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CSV_FIELD_LIMIT", 1000)
    path = tmp_path / "cells.csv"
    path.write_text(HEADER + "normative_document,nd-0,532301," + "x" * 1001 + "\n" + doc_rows(1, 5), encoding="utf-8")
    message = "cell too large: 1,001 characters, at most 1,000; the row is not read"
    result = read_paths([path])
    assert ids(result) == [("nd-1", 3), ("nd-2", 4), ("nd-3", 5), ("nd-4", 6), ("nd-5", 7)]
    assert where(result.errors) == [("cells.csv", 2, "title", message)]

    code, report = check(path)
    assert (
        code == 2 and report["summary"]["records"] == 5 and cli_errors(report) == [("cells.csv", 2, "title", message)]
    )

    imported, engine = db_import(tmp_path, path)
    assert imported.exit_code == 2, imported.output
    assert stored_ids(engine, "normative_documents") == [f"nd-{i}" for i in range(1, 6)]
    assert quarantine(engine) == [("cells.csv", 2, "title", message)]


def test_csv_row_over_the_row_limit_is_an_error_of_that_row(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CSV_FIELD_LIMIT", 1000)
    monkeypatch.setattr(readers, "CSV_ROW_LIMIT", 2500)
    path = tmp_path / "wide.csv"
    path.write_text(
        HEADER
        + 'normative_document,nd-0,532301,"'
        + "x" * 900
        + '",extra,'
        + "y" * 900
        + ","
        + "z" * 900
        + "\n"
        + doc_rows(1, 2),
        encoding="utf-8",
    )
    result = read_paths([path])
    assert ids(result) == [("nd-1", 3), ("nd-2", 4)]
    assert where(result.errors) == [
        ("wide.csv", 2, None, "row too large: 2,742 characters, at most 2,500; the row is not read")
    ]


# --- (2c) an unclosed quote --------------------------------------------------------------------------------

UNCLOSED = (
    "unclosed quote: the cell opened on line {0} runs to the end of the file; this row is not read, "
    "the lines after line {0} are read as rows"
)


def test_unclosed_quote_is_an_error_naming_its_row_and_the_rows_after_it_are_read(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(HEADER + 'normative_document,nd-0,532301,"未闭合的标题\n' + doc_rows(1, 5), encoding="utf-8")
    result = read_paths([path])
    assert ids(result) == [("nd-1", 3), ("nd-2", 4), ("nd-3", 5), ("nd-4", 6), ("nd-5", 7)]
    assert where(result.errors) == [("quote.csv", 2, "title", UNCLOSED.format(2))]

    code, report = check(path)
    assert code == 2 and report["summary"]["records"] == 5
    assert cli_errors(report) == [("quote.csv", 2, "title", UNCLOSED.format(2))]

    imported, engine = db_import(tmp_path, path)
    assert imported.exit_code == 2, imported.output
    assert stored_ids(engine, "normative_documents") == [f"nd-{i}" for i in range(1, 6)]
    assert quarantine(engine) == [("quote.csv", 2, "title", UNCLOSED.format(2))]


def test_unclosed_quote_after_a_closed_multiline_cell_names_the_line_it_opened_on(tmp_path):
    """Row 2 holds a cell over two lines (closed): row 3 starts on line 4, its quote opens on line 4."""
    path = tmp_path / "quote.csv"
    path.write_text(
        HEADER + 'normative_document,nd-0,532301,"两行\n标题"\nnormative_document,nd-x,"532301\n' + doc_rows(1, 2),
        encoding="utf-8",
    )
    result = read_paths([path])
    assert ids(result) == [("nd-0", 2), ("nd-1", 4), ("nd-2", 5)]
    assert result.records[0].title == "两行\n标题"
    assert where(result.errors) == [("quote.csv", 3, "region_code", UNCLOSED.format(4))]


def test_unclosed_quote_in_the_header_is_an_error_of_the_file(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text('kind,"id,region_code\n' + doc_rows(1, 2), encoding="utf-8")
    result = read_paths([path])
    assert result.records == []
    assert where(result.errors) == [("header.csv", None, None, "invalid header (row 1): " + UNCLOSED.format(1))]


# --- (2d) XLSX whose <dimension> lies; (2e) formulas without cached values ---------------------------------

XLSX_HEADER = ["kind", "id", "region_code", "agency", "title", "doc_number", "published_on"]


def rewrite_sheet(path, change):
    """Rewrite xl/worksheets/sheet1.xml inside the workbook (what another program may have written)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)


def workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("dimension", ["A1:G3", "A1:C11", "A1:A1"])
def test_xlsx_declared_dimension_is_not_trusted(tmp_path, dimension):
    rows = [XLSX_HEADER] + [
        ["normative_document", f"nd-{i}", "532301", "某机关", "标题", f"楚政发〔2018〕{i}号", "2018-06-01"]
        for i in range(1, 11)
    ]
    path = workbook(tmp_path / "lying.xlsx", rows)
    rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), xml))
    with zipfile.ZipFile(path) as archive:
        assert f'<dimension ref="{dimension}"'.encode() in archive.read("xl/worksheets/sheet1.xml")
    result = read_paths([path])
    assert ids(result) == [(f"nd-{i}", i + 1) for i in range(1, 11)]
    assert [record.doc_number for record in result.records] == [f"楚政发〔2018〕{i}号" for i in range(1, 11)]
    assert all(record.published_on.isoformat() == "2018-06-01" for record in result.records)
    assert result.errors == [] and result.warnings == []


def test_xlsx_formula_without_cached_value_is_a_warning_naming_the_cell(tmp_path):
    path = workbook(
        tmp_path / "formulas.xlsx",
        [
            ["kind", "id", "region_code", "agency"],
            ["officer", "o-1", "532301", "=A2&B2"],  # openpyxl writes formulas without their values
            ["officer", "o-2", "532301", "=A3&B3"],
            ["officer", "o-3", "532301", "楚雄市司法局"],
        ],
    )
    # a program that calculates stores the value next to the formula: that one is read
    # (openpyxl writes the empty value as <v /> with the standard library's XML writer, <v></v> with lxml's)
    rewrite_sheet(
        path,
        lambda xml: re.sub(
            rb'<c r="D3"><f>A3&amp;B3</f>(?:<v ?/>|<v></v>)</c>',
            b'<c r="D3" t="str"><f>A3&amp;B3</f><v>officero-2</v></c>',
            xml,
        ),
    )
    result = read_paths([path])
    assert [(record.id, record.agency) for record in result.records] == [
        ("o-1", None),
        ("o-2", "officero-2"),
        ("o-3", "楚雄市司法局"),
    ]
    assert result.errors == []
    assert where(result.warnings) == [
        (
            "formulas.xlsx",
            2,
            "agency",
            "formula '=A2&B2' in cell D2 has no cached value and reads as empty "
            "(open and save the file in Excel or WPS to store the values)",
        )
    ]


# --- (3) one hostile file never ends the run -----------------------------------------------------------------


def deep(levels):
    return "[" * levels + "]" * levels


def test_deeply_nested_json_is_an_error_of_that_record(tmp_path):
    whole = tmp_path / "deep.json"
    whole.write_text(deep(10_000), encoding="utf-8")
    assert where(read_paths([whole]).errors) == [("deep.json", 1, None, TOO_DEEP)]

    listed = tmp_path / "listed.json"
    listed.write_text(
        '[{"kind": "officer", "id": "o-1", "region_code": "532301"},\n'
        '{"kind": "officer", "id": "o-2", "region_code": "532301", "name": ' + deep(10_000) + "},\n"
        '{"kind": "officer", "id": "o-3", "region_code": "532301", "name": ' + deep(100) + "},\n"
        '{"kind": "officer", "id": "o-4", "region_code": "532301", "name": "' + "[" * 100 + '"}]',
        encoding="utf-8",
    )
    result = read_paths([listed])
    assert ids(result) == [("o-1", 1), ("o-4", 4)]
    assert where(result.errors) == [("listed.json", 2, None, TOO_DEEP), ("listed.json", 3, None, TOO_DEEP)]

    lines = tmp_path / "deep.jsonl"
    lines.write_text(
        '{"kind": "officer", "id": "o-1", "region_code": "532301"}\n'
        '{"kind": "officer", "id": "o-2", "name": ' + deep(10_000) + "}\n" + deep(10_000) + "\n"
        '{"kind": "officer", "id": "o-4", "region_code": "532301"}\n',
        encoding="utf-8",
    )
    result = read_paths([lines])
    assert ids(result) == [("o-1", 1), ("o-4", 4)]
    assert where(result.errors) == [("deep.jsonl", 2, None, TOO_DEEP), ("deep.jsonl", 3, None, TOO_DEEP)]

    good = good_jsonl(tmp_path)
    code, report = check(whole, lines, good)
    assert code == 2 and report["summary"]["records"] == 3
    assert cli_errors(report) == [
        ("deep.json", 1, None, TOO_DEEP),
        ("deep.jsonl", 2, None, TOO_DEEP),
        ("deep.jsonl", 3, None, TOO_DEEP),
    ]

    imported, engine = db_import(tmp_path, whole, lines, good)
    assert imported.exit_code == 2, imported.output
    assert stored_ids(engine, "officers") == ["o-1", "o-4", "ok-1"]
    assert quarantine(engine) == [
        ("deep.json", 1, None, TOO_DEEP),
        ("deep.jsonl", 2, None, TOO_DEEP),
        ("deep.jsonl", 3, None, TOO_DEEP),
    ]


def test_deep_and_exploding_yaml_are_errors_of_their_records(tmp_path):
    bomb = "\n".join(
        [f"- &a0 [{', '.join(['x'] * 10)}]"] + [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    )
    path = tmp_path / "bombs.yaml"
    path.write_text(
        "kind: officer\nid: o-1\nregion_code: '532301'\n"
        "---\n" + bomb + "\n"
        "- {kind: officer, id: o-2, region_code: '532301', name: *a8}\n"
        "- {kind: officer, id: o-3, region_code: '532301', name: *a3}\n"
        "- &self {kind: officer, id: o-4, region_code: '532301', name: *self}\n"
        "---\n"
        "kind: officer\nid: o-5\nregion_code: '532301'\n",
        encoding="utf-8",
    )
    result = read_paths([path])
    assert ids(result) == [("o-1", 1), ("o-5", 18)]
    values = "more than 100,000 values, counted through its YAML aliases"
    assert where(result.errors) == [
        *[("bombs.yaml", line, None, "expected an object (one record), got a list") for line in range(5, 9)],
        *[("bombs.yaml", line, None, values) for line in range(9, 15)],  # a4 (111,111 values) to a8, and o-2
        ("bombs.yaml", 15, "name", "expected text, got a list"),  # o-3: 11,111 values, read and refused
        ("bombs.yaml", 16, None, "contains itself through a YAML alias"),
    ]

    nested = tmp_path / "deep.yaml"
    nested.write_text("kind: officer\nid: o-1\nregion_code: '532301'\nname: " + deep(70) + "\n", encoding="utf-8")
    assert where(read_paths([nested]).errors) == [("deep.yaml", 1, None, TOO_DEEP)]
    very = tmp_path / "very_deep.yaml"
    very.write_text(deep(10_000), encoding="utf-8")
    [error] = read_paths([very]).errors
    assert (error.line, error.message) == (1, "invalid YAML: exceeded maximum nesting depth")

    code, report = check(path, very)
    assert code == 2 and report["summary"]["records"] == 2 and len(report["errors"]) == 13


def entity_bomb(tmp_path, part="xl/worksheets/sheet1.xml"):
    """A workbook whose XML declares nested entities (a billion laughs)."""
    path = workbook(tmp_path / "bomb.xlsx", [["kind", "id", "region_code"], ["officer", "o-1", "532301"]])
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    declaration = f'<?xml version="1.0"?><!DOCTYPE bomb [{entities}]>'.encode()
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                data = declaration + re.sub(rb"^<\?xml[^>]*\?>", b"", data).replace(b"<t>o-1</t>", b"<t>&a9;</t>")
            target.writestr(info, data)
    return path


ENTITIES_REFUSED = (
    "not a readable XLSX workbook: its XML declares entities, which are refused (an entity bomb "
    "would expand without bound: EntitiesForbidden(name='a0', system_id=None, public_id=None))"
)


def test_defusedxml_is_what_openpyxl_parses_with():
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import iterparse

    assert DEFUSEDXML is True and iterparse.__module__.startswith("defusedxml")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"])
def test_xlsx_entity_bomb_is_an_error_of_that_file(tmp_path, part):
    result = read_paths([entity_bomb(tmp_path, part)])
    assert result.records == [] and where(result.errors) == [("bomb.xlsx", None, None, ENTITIES_REFUSED)]


def test_xlsx_entity_bomb_through_check_and_db_import(tmp_path):
    bomb, good = entity_bomb(tmp_path), good_jsonl(tmp_path, "zz_after.jsonl")
    result = read_paths([bomb, good])
    assert ids(result) == [("ok-1", 1)] and where(result.errors) == [("bomb.xlsx", None, None, ENTITIES_REFUSED)]

    code, report = check(bomb, good)
    assert code == 2 and report["summary"]["records"] == 1
    assert cli_errors(report) == [("bomb.xlsx", None, None, ENTITIES_REFUSED)]

    imported, engine = db_import(tmp_path, bomb, good)
    assert imported.exit_code == 2, imported.output
    assert f"skipped: {bomb}: {ENTITIES_REFUSED}" in imported.stderr
    assert stored_ids(engine, "officers") == ["ok-1"] and quarantine(engine) == []


def test_zip_that_is_no_workbook_and_a_zip_bomb(tmp_path, monkeypatch):
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    bomb = tmp_path / "zeros.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))  # 20 MiB in about 20 KB
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(readers, "XLSX_EXPANDED_LIMIT", 16 << 20)
    result = read_paths([other, bomb])
    assert result.records == []
    assert where(result.errors) == [
        (
            "other.xlsx",
            None,
            None,
            "not a readable XLSX workbook (\"There is no item named '[Content_Types].xml' in the archive\")",
        ),
        (
            "zeros.xlsx",
            None,
            None,
            "not read: the workbook would expand to 20 MiB when unzipped, more than the 16 MiB "
            "a register may have (a zip bomb?)",
        ),
    ]


def test_zip_declaring_more_than_the_real_limit_is_refused_before_it_is_opened(tmp_path):
    path = workbook(tmp_path / "declared.xlsx", [["kind", "id", "region_code"], ["officer", "o-1", "532301"]])
    data = bytearray(path.read_bytes())
    # the sheet's central directory entry: its uncompressed size (offset 24) set to 3 GiB
    entry = data.find(b"PK\x01\x02")
    while (
        data[entry + 46 : entry + 46 + int.from_bytes(data[entry + 28 : entry + 30], "little")]
        != b"xl/worksheets/sheet1.xml"
    ):
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (3 << 30).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    [error] = read_paths([path]).errors
    assert error.message.startswith(
        "not read: the workbook would expand to 3,072 MiB when unzipped, more than the 2,048 MiB a register may have"
    )


def test_integers_that_would_overflow_the_checks_are_errors_naming_the_field(tmp_path):
    path = tmp_path / "counts.jsonl"
    rows = [
        {
            "kind": "officer",
            "id": "o-1",
            "region_code": "211100",
            "cert_issued_on": "2011-01-01",
            "cert_valid_until": "2014-12-31",
        },
        {
            "kind": "training_session",
            "id": "t-1",
            "region_code": "211100",
            "officer_id": "o-1",
            "start_on": "2012-10-15",
            "days": 2**63,
            "training_kind": "legal",
        },
        {
            "kind": "training_session",
            "id": "t-2",
            "region_code": "211100",
            "officer_id": "o-1",
            "start_on": "2012-10-15",
            "days": -2,
            "hours": -8,
            "training_kind": "legal",
        },
        {
            "kind": "reconsideration_case",
            "id": "r-1",
            "region_code": "220106",
            "received_on": "2022-03-01",
            "decided_on": "2022-05-05",
            "suspended_days": 2**63,
        },
        {
            "kind": "normative_document",
            "id": "n-1",
            "region_code": "532301",
            "published_on": "2018-06-01",
            "validity_years": 20171116,
        },
        {
            "kind": "enforcement_case",
            "id": "e-1",
            "region_code": "532301",
            "decided_on": "2019-05-06",
            "fine_amount": -5000,
        },
        {
            "kind": "enforcement_case",
            "id": "e-2",
            "region_code": "532301",
            "decided_on": "2019-05-06",
            "fine_amount": 1e300,
        },
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    expected = [
        ("counts.jsonl", 2, "days", "expected at most 366 days, got '9223372036854775808'"),
        ("counts.jsonl", 3, "days", "expected 0 or more days, got '-2'"),
        ("counts.jsonl", 3, "hours", "expected 0 or more hours, got '-8'"),
        ("counts.jsonl", 4, "suspended_days", "expected at most 3,650 days, got '9223372036854775808'"),
        ("counts.jsonl", 5, "validity_years", "expected at most 100 years, got '20171116'"),
        ("counts.jsonl", 6, "fine_amount", "expected 0 or more yuan, got '-5000'"),
        ("counts.jsonl", 7, "fine_amount", "expected at most 10,000,000,000,000 yuan, got '1e+300'"),
    ]
    result = read_paths([path])
    assert ids(result) == [("o-1", 1)] and where(result.errors) == expected

    code, report = check(path)
    assert code == 2 and report["summary"]["records"] == 1 and cli_errors(report) == expected

    imported, engine = db_import(tmp_path, path)
    assert imported.exit_code == 2, imported.output
    assert stored_ids(engine, "officers") == ["o-1"] and quarantine(engine) == expected


def test_hostile_files_in_a_folder_with_good_ones(tmp_path):
    """The whole batch: every file's problems are input errors, the good records are checked and imported."""
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "a_deep.json").write_text(deep(10_000), encoding="utf-8")
    (folder / "b_quote.csv").write_text(
        HEADER + 'normative_document,nd-0,532301,"x\n' + doc_rows(1, 2), encoding="utf-8"
    )
    entity_bomb(tmp_path).rename(folder / "c_bomb.xlsx")
    (folder / "d_not_utf8.yaml").write_bytes("kind: officer\nname: 张三\n".encode("gb18030"))
    good_jsonl(folder, "e_good.jsonl")
    result = read_paths([folder])
    assert sorted(record.id for record in result.records) == ["nd-1", "nd-2", "ok-1"]
    assert [(name, line) for name, line, _field, _message in where(result.errors)] == [
        ("a_deep.json", 1),
        ("b_quote.csv", 2),
        ("c_bomb.xlsx", None),
        ("d_not_utf8.yaml", None),
    ]

    code, report = check(folder)
    assert code == 2 and report["summary"]["records"] == 3 and len(report["errors"]) == 4

    imported, engine = db_import(tmp_path, folder)
    assert imported.exit_code == 2, imported.output
    assert stored_ids(engine, "normative_documents") == ["nd-1", "nd-2"] and stored_ids(engine, "officers") == ["ok-1"]
    assert [row[:2] for row in quarantine(engine)] == [("a_deep.json", 1), ("b_quote.csv", 2)]
    assert "skipped: " in imported.stderr and "c_bomb.xlsx" in imported.stderr and "d_not_utf8.yaml" in imported.stderr


# --- input size limits -------------------------------------------------------------------------------------


def test_json_and_yaml_files_over_the_whole_file_limit_are_errors(tmp_path, monkeypatch):
    assert readers.WHOLE_FILE_LIMIT == 512 << 20
    monkeypatch.setattr(readers, "WHOLE_FILE_LIMIT", 1000)
    for name in ("big.json", "big.yaml"):
        (tmp_path / name).write_text("[" + ", ".join(['{"kind": "officer"}'] * 60) + "]", encoding="utf-8")
    result = read_paths([tmp_path / "big.json", tmp_path / "big.yaml"])
    message = (
        "file too large: 1,260 bytes; JSON and YAML files are read whole and may have at most 1,000 bytes "
        "(split it, or write JSON Lines, which is read line by line)"
    )
    assert where(result.errors) == [("big.json", None, None, message), ("big.yaml", None, None, message)]


def test_jsonl_line_over_the_line_limit_is_an_error_of_that_line(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "JSONL_LINE_LIMIT", 1 << 20)
    path = tmp_path / "long.jsonl"
    good = '{"kind": "officer", "id": "o-%d", "region_code": "532301"}\n'
    long = '{"kind": "officer", "id": "o-2", "region_code": "532301", "name": "' + "x" * (3 << 20) + '"}\n'
    short_but_over = '{"kind": "officer", "id": "o-4", "region_code": "532301", "name": "' + "y" * (1 << 20) + '"}\n'
    path.write_text(good % 1 + long + good % 3 + short_but_over + good % 5, encoding="utf-8")
    result = read_paths([path])
    assert ids(result) == [("o-1", 1), ("o-3", 3), ("o-5", 5)]
    assert where(result.errors) == [
        ("long.jsonl", 2, None, "line too long: 3 MiB; a JSON Lines record may have at most 1 MiB"),
        ("long.jsonl", 4, None, "line too long: 1 MiB; a JSON Lines record may have at most 1 MiB"),
    ]
    engine = connect(str(tmp_path / "records.db"), create=True)
    imported = import_paths(engine, [path])
    assert (imported.total("inserted"), imported.total("quarantined")) == (3, 2)
    assert [row[:2] for row in quarantine(engine)] == [("long.jsonl", 2), ("long.jsonl", 4)]
    assert imported.files[0].import_id is not None


def test_a_failure_no_reader_foresaw_is_an_error_of_that_file(tmp_path, monkeypatch):
    """Whatever a reader raises stays with its file (here: a bug simulated in the CSV reader)."""

    def broken(path, encoding):
        yield 1, ["kind", "id", "region_code"]
        yield 2, ["officer", "o-1", "532301"]
        raise MemoryError

    monkeypatch.setattr(readers, "_csv_records", broken)
    path = tmp_path / "broken.csv"
    path.write_text("kind,id,region_code\nofficer,o-1,532301\n", encoding="utf-8")
    good = good_jsonl(tmp_path)
    result = read_paths([path, good])
    assert ids(result) == [("o-1", 2), ("ok-1", 1)]
    assert where(result.errors) == [("broken.csv", None, None, "cannot read the file past line 2: out of memory")]
    code, report = check(path, good)
    assert code == 2 and report["summary"]["records"] == 2


def test_a_record_no_validator_foresaw_is_an_error_of_that_row(tmp_path, monkeypatch):
    """A failure inside validation (simulated) is that row's error in check, and its quarantine in db import."""
    from fzcheck.engine.store import importer
    from fzcheck.models import records

    original = records.parse_record_and_extras

    def fragile(data, source):
        if data.get("id") == "o-2":
            raise OverflowError("date value out of range")
        return original(data, source)

    monkeypatch.setattr(readers, "parse_record_and_extras", fragile)
    monkeypatch.setattr(importer, "parse_record_and_extras", fragile)
    path = tmp_path / "people.jsonl"
    path.write_text(
        "".join(
            json.dumps({"kind": "officer", "id": f"o-{i}", "region_code": "532301", "name": " padded "}) + "\n"
            for i in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    message = "cannot read this record: OverflowError: date value out of range"
    result = read_paths([path])
    assert ids(result) == [("o-1", 1), ("o-3", 3)] and where(result.errors) == [("people.jsonl", 2, None, message)]

    engine = connect(str(tmp_path / "records.db"), create=True)
    imported = import_paths(engine, [path])
    assert (imported.total("inserted"), imported.total("quarantined")) == (2, 1)
    assert quarantine(engine) == [("people.jsonl", 2, None, message)]
