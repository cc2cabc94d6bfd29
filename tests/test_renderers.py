"""Renderers: golden files for every format, schema validation for SARIF and JUnit, escaping rules.

Regenerate the golden files with `FZCHECK_UPDATE_GOLDEN=1 pytest tests/test_renderers.py`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from fzcheck.engine.renderers import RENDERERS, RenderOptions, render
from fzcheck.engine.renderers.common import short_citation, short_title
from fzcheck.engine.renderers.csv_report import BOM, COLUMNS
from fzcheck.engine.renderers.github import command, escape_data, escape_property
from fzcheck.engine.renderers.markdown import cell
from fzcheck.engine.renderers.sarif import artifact_uri
from fzcheck.engine.results import Report

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import FILING, TOOL_VERSION, sample_report  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).resolve().parent.parent / "engine" / "schemas"
UPDATE = os.environ.get("FZCHECK_UPDATE_GOLDEN") == "1"

GOLDEN_CASES = [
    ("table", "zh", "report.table.zh.txt"),
    ("table", "en", "report.table.en.txt"),
    ("markdown", "zh", "report.markdown.zh.md"),
    ("markdown", "en", "report.markdown.en.md"),
    ("json", "zh", "report.zh.json"),
    ("jsonl", "zh", "report.zh.jsonl"),
    ("csv", "zh", "report.zh.csv"),
    ("junit", "zh", "report.junit.zh.xml"),
    ("sarif", "zh", "report.zh.sarif"),
    ("github", "zh", "report.github.zh.txt"),
]

CLI_KEYS = ["tool", "as_of", "rulesets", "summary", "outcomes", "errors"]
OUTCOME_KEYS = ["outcome", "rule_id", "ruleset", "severity", "record_kind", "record_id", "source",
                "message", "evidence", "citation"]


def empty_report() -> Report:
    return Report(tool_version=TOOL_VERSION, as_of=dt.date(2019, 11, 23), rulesets=[], records=0,
                  outcomes=[])


def only_passes() -> Report:
    report = sample_report()
    report.outcomes = [o for o in report.outcomes if o.outcome == "pass"]
    report.errors, report.warnings = [], []
    return report


@pytest.mark.parametrize(("fmt", "lang", "name"), GOLDEN_CASES)
def test_golden(fmt: str, lang: str, name: str) -> None:
    output = render(sample_report(), fmt, RenderOptions(lang=lang))
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with FZCHECK_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as golden:
        assert output == golden.read()


def test_registry_has_every_cli_format() -> None:
    assert set(RENDERERS) == {"table", "json", "jsonl", "csv", "markdown", "junit", "sarif",
                              "github"}
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render(sample_report(), "html", RenderOptions())


# --- json / jsonl ---------------------------------------------------------------------------

def test_json_has_cli_md_shape() -> None:
    data = json.loads(render(sample_report(), "json"))
    assert list(data)[:len(CLI_KEYS)] == CLI_KEYS
    assert data["tool"] == {"name": "fzcheck", "version": TOOL_VERSION}
    assert data["as_of"] == "2019-11-23"
    assert data["rulesets"][0] == {"id": "chuxiong-2016", "version": "1.0.0", "sha256": "a" * 64}
    assert data["summary"] == {"records": 4, "pass": 1, "violation": 2, "pending": 1,
                               "indeterminate": 1, "waived": 1, "errors": 1}
    assert all(list(o)[:len(OUTCOME_KEYS)] == OUTCOME_KEYS for o in data["outcomes"])
    assert "pass" not in {o["outcome"] for o in data["outcomes"]}
    assert data["outcomes"][0]["evidence"]["published_on"] == "2018-06-01"
    assert data["errors"] == [{"file": "bad.jsonl", "line": 1, "field": "published_on",
                               "message": "无法识别的日期 '2019-02-30'"}]
    assert data["warnings"][0]["field"] == "备注"
    assert data["packs"]["officer_year:cx-off-1/2019"] == ["chuxiong-2016"]


def test_json_include_pass_and_english() -> None:
    data = json.loads(render(sample_report(), "json", RenderOptions(lang="en", include_pass=True)))
    assert len(data["outcomes"]) == 6
    assert data["outcomes"][0]["message"].startswith("Filed late")


def test_jsonl_lines_are_the_json_outcomes() -> None:
    report = sample_report()
    for include_pass in (False, True):
        options = RenderOptions(include_pass=include_pass)
        lines = render(report, "jsonl", options).splitlines()
        assert [json.loads(line) for line in lines] == json.loads(render(report, "json", options))["outcomes"]
    assert render(empty_report(), "jsonl") == ""


# --- csv --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_reads_back(lang: str) -> None:
    output = render(sample_report(), "csv", RenderOptions(lang=lang))
    assert output.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(output[len(BOM):], newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert [r["outcome"] for r in rows] == [
        "violation", "waived", "indeterminate", "violation", "pending"]
    assert json.loads(rows[0]["evidence"])["days_late"] == 1
    assert rows[3]["message"].count("\n") == 1
    assert rows[4]["line"] == "" and rows[4]["file"] == "officers.yaml"
    assert rows[0]["citation_clause"] == "措施18"
    assert rows[0]["message"].startswith("备案逾期" if lang == "zh" else "Filed late")


def test_csv_of_empty_report_is_header_only() -> None:
    assert render(empty_report(), "csv") == BOM + ",".join(COLUMNS) + "\r\n"


# --- markdown ---------------------------------------------------------------------------------

def split_markdown_row(row: str) -> list[str]:
    """Split a GFM table row the way GitHub does: a backslash escapes the next character."""
    assert row.startswith("| ") and row.endswith(" |")
    cells, current, chars = [], [], iter(row[2:-2])
    for char in chars:
        if char == "\\":
            current.append(next(chars))
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return cells


@given(st.lists(st.text(alphabet=st.sampled_from("ab|\\\n\r 违"), max_size=8), min_size=1,
                max_size=4))
def test_markdown_cells_never_break_the_row(values: list[str]) -> None:
    row = "| " + " | ".join(cell(v) for v in values) + " |"
    assert "\n" not in row and "\r" not in row
    expected = [re.sub(r"\r\n|\r|\n", "<br>", v).strip() for v in values]
    assert split_markdown_row(row) == expected


def test_markdown_lists_passes_only_when_asked() -> None:
    report = only_passes()
    assert "ND-LEGALITY-REVIEW" not in render(report, "markdown")
    assert "未发现需要关注的结果" in render(report, "markdown")
    shown = render(report, "markdown", RenderOptions(include_pass=True))
    assert "| 通过 | 错误 | ND-LEGALITY-REVIEW |" in shown


# --- table ------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [60, 80, 120])
def test_table_fits_width(width: int) -> None:
    output = render(sample_report(), "table", RenderOptions(width=width))
    assert max(cell_len(line) for line in output.splitlines()) <= width
    assert "\x1b[" not in output


def test_table_colour_and_labels() -> None:
    coloured = render(sample_report(), "table", RenderOptions(color=True))
    assert "\x1b[" in coloured
    english = render(sample_report(), "table", RenderOptions(lang="en"))
    assert "normative document cx-nd-late" in english and "violation" in english
    assert "违规" not in english
    assert "officer year cx-off-1/2019  officers.yaml" in english
    assert "结论：没有严重程度不低于“错误”的违规" in render(only_passes(), "table")
    assert "未设置失败阈值" in render(only_passes(), "table", RenderOptions(fail_on="never"))


def test_table_fail_on_threshold() -> None:
    report = sample_report()
    report.errors = []
    report.outcomes = [o for o in report.outcomes if o.severity == "warning"]
    report.outcomes[0] = dataclasses.replace(report.outcomes[0], outcome="violation")
    assert "没有严重程度不低于“错误”的违规" in render(report, "table")
    warning_threshold = RenderOptions(fail_on="warning")
    assert "存在 1 项严重程度不低于“警告”的违规" in render(report, "table", warning_threshold)


def test_short_citation() -> None:
    assert short_title("楚雄州法治政府建设规划暨实施方案(2016—2020年)") == "楚雄州法治政府建设规划暨实施方案"
    assert short_title("《湖南省法治政府建设实施方案（2021-2025年）》") == "湖南省法治政府建设实施方案"
    assert short_title("重大行政决策程序暂行条例") == "重大行政决策程序暂行条例"
    assert short_title("(2016年)") == "(2016年)"
    assert short_citation(FILING) == "《楚雄州法治政府建设规划暨实施方案》措施18"


# --- junit ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.mark.parametrize("report_factory", [sample_report, empty_report, only_passes])
def test_junit_validates(junit_schema: xmlschema.XMLSchema, report_factory) -> None:
    junit_schema.validate(render(report_factory(), "junit"))


def test_junit_schema_rejects_bad_documents(junit_schema: xmlschema.XMLSchema) -> None:
    assert not junit_schema.is_valid("<testsuites><testsuite name='x'/></testsuites>")


def test_junit_renders_every_outcome() -> None:
    report = sample_report()
    root = ET.fromstring(render(report, "junit", RenderOptions(include_pass=False)))
    cases = root.findall(".//testcase")
    assert len(cases) == len(report.outcomes) + len(report.errors)
    assert {s.get("name") for s in root.findall("testsuite")} == {"chuxiong-2016", "national",
                                                                  "input"}
    by_name = {c.get("name"): c for c in cases}
    assert by_name["cx-nd-late ND-LEGALITY-REVIEW"].find("*") is None
    failure = by_name["cx-nd-late ND-FILING-DEADLINE"].find("failure")
    assert failure.get("message").startswith("备案逾期") and '"days_late": 1' in failure.text
    assert by_name["cx-nd-late ND-COMMENT-PERIOD"].find("skipped").get("message").startswith("豁免: ")
    assert by_name["cx-off-1/2019 TR-SESSIONS"].find("skipped").get("message").startswith("待定: ")
    assert by_name["bad.jsonl:1 published_on"].find("error") is not None
    assert root.get("failures") == "2" and root.get("errors") == "1" and root.get("tests") == "7"
    english = ET.fromstring(render(report, "junit", RenderOptions(lang="en")))
    waived = english.find(".//testcase[@name='cx-nd-late ND-COMMENT-PERIOD']/skipped")
    assert waived.get("message") == "waived: 防汛应急，经州政府批准缩短征求意见期限"


# --- sarif ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("report_factory", [sample_report, empty_report, only_passes])
@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(lang="en", include_pass=True)])
def test_sarif_validates(sarif_validator, report_factory, options: RenderOptions) -> None:
    errors = list(sarif_validator.iter_errors(json.loads(render(report_factory(), "sarif", options))))
    assert errors == [], [e.message for e in errors]


def test_sarif_schema_rejects_a_bad_level(sarif_validator) -> None:
    log = json.loads(render(sample_report(), "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not sarif_validator.is_valid(log)


def test_sarif_content() -> None:
    run = json.loads(render(sample_report(), "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "fzcheck"
    assert len({(r["properties"]["ruleset"], r["id"]) for r in rules}) == len(rules)
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["properties"]["ruleset"] == result["properties"]["ruleset"]
        if result["kind"] != "fail":
            assert result["level"] == "none"
    by_outcome = {}
    for result in run["results"]:
        by_outcome.setdefault(result["properties"]["outcome"], result)
    assert by_outcome["pending"]["kind"] == "review"
    assert by_outcome["indeterminate"]["kind"] == "open"
    assert by_outcome["waived"]["suppressions"][0]["status"] == "accepted"
    assert "region" not in by_outcome["pending"]["locations"][0]["physicalLocation"]
    location = by_outcome["violation"]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "docs.jsonl"}, "region": {"startLine": 3}}
    assert rules[0]["fullDescription"]["text"] == FILING.quote
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_uri() -> None:
    assert artifact_uri("data\\2019\\docs.jsonl") == "data/2019/docs.jsonl"
    assert artifact_uri("台账/a b.xlsx") == "%E5%8F%B0%E8%B4%A6/a%20b.xlsx"
    assert artifact_uri("100%.csv") == "100%25.csv"


# --- github -----------------------------------------------------------------------------------

def unescape(value: str) -> str:
    return (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


@given(st.text())
def test_github_escaping_round_trips(value: str) -> None:
    data, prop = escape_data(value), escape_property(value)
    assert "\n" not in data and "\r" not in data
    assert not set(",:\r\n") & set(prop)
    assert unescape(data) == value and unescape(prop) == value


def test_github_commands() -> None:
    assert command("error", "a\nb", "dir\\a,b.csv", 3, "R-1") == \
        "::error file=dir/a%2Cb.csv,line=3,title=R-1::a%0Ab"
    assert command("notice", "x", None, None, None) == "::notice::x"
    lines = render(sample_report(), "github").splitlines()
    assert lines[0].startswith("::error file=docs.jsonl,line=3,title=ND-FILING-DEADLINE::")
    assert any(line.startswith("::notice file=officers.yaml,title=TR-SESSIONS (待定)::")
               for line in lines)
    assert not any("ND-COMMENT-PERIOD" in line or "ND-LEGALITY-REVIEW" in line for line in lines)
    assert lines[-2].startswith("::error file=bad.jsonl,line=1,title=输入错误::published_on: ")
    assert lines[-1].startswith("::warning file=docs.jsonl,line=3,")
