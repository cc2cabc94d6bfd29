"""Renderers: golden files for every format, schema validation for SARIF and JUnit, escaping rules;
provisional outcomes, coverage warnings and the absent-steps standard in every format.

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
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from fzcheck.engine.outcomes.results import Report
from fzcheck.engine.output import (
    CHUNK_CHARS,
    RENDERERS,
    RenderOptions,
    batched,
    render,
    render_chunks,
)
from fzcheck.engine.output.common import quoted_citation, short_citation, short_quote, short_title
from fzcheck.engine.output.csv_report import BOM, COLUMNS
from fzcheck.engine.output.github import command, escape_data, escape_property
from fzcheck.engine.output.markdown import cell
from fzcheck.engine.output.sarif import artifact_uri

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import (
    CALENDAR,
    COVERAGE_MESSAGE,
    FILING,
    TOOL_VERSION,
    sample_report,
)

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).resolve().parent.parent / "engine" / "output" / "schemas"
UPDATE = os.environ.get("FZCHECK_UPDATE_GOLDEN") == "1"

GOLDEN_CASES = [
    ("table", "zh", "report.table.zh.txt"),
    ("table", "zh --all", "report.table.zh.all.txt"),
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
OUTCOME_KEYS = [
    "outcome",
    "rule_id",
    "ruleset",
    "severity",
    "record_kind",
    "record_id",
    "source",
    "message",
    "evidence",
    "citation",
]


def empty_report() -> Report:
    return Report(tool_version=TOOL_VERSION, as_of=dt.date(2019, 11, 23), rulesets=[], records=0, outcomes=[])


def only_passes() -> Report:
    report = sample_report()
    report.outcomes = [o for o in report.outcomes if o.outcome == "pass"]
    report.errors, report.warnings = [], []
    return report


@pytest.mark.parametrize(("fmt", "lang", "name"), GOLDEN_CASES)
def test_golden(fmt: str, lang: str, name: str) -> None:
    lang, _, flag = lang.partition(" ")
    output = render(sample_report(), fmt, RenderOptions(lang=lang, include_pass=flag == "--all"))
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with FZCHECK_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as golden:
        assert output == golden.read()


def test_registry_has_every_cli_format() -> None:
    assert set(RENDERERS) == {"table", "json", "jsonl", "csv", "markdown", "junit", "sarif", "github"}
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render(sample_report(), "html", RenderOptions())


# --- json / jsonl ---------------------------------------------------------------------------


def test_json_has_cli_md_shape() -> None:
    data = json.loads(render(sample_report(), "json"))
    assert list(data)[: len(CLI_KEYS)] == CLI_KEYS
    assert data["tool"] == {"name": "fzcheck", "version": TOOL_VERSION}
    assert data["as_of"] == "2019-11-23"
    assert data["rulesets"][0] == {"id": "chuxiong-2016", "version": "1.0.0", "sha256": "a" * 64}
    assert data["summary"] == {
        "records": 6,
        "pass": 2,
        "violation": 3,
        "pending": 1,
        "indeterminate": 1,
        "waived": 1,
        "errors": 1,
        "provisional": 2,
    }
    assert all(list(o)[: len(OUTCOME_KEYS)] == OUTCOME_KEYS for o in data["outcomes"])
    assert "pass" not in {o["outcome"] for o in data["outcomes"]}
    assert data["outcomes"][0]["evidence"]["published_on"] == "2018-06-01"
    assert data["errors"] == [
        {"file": "bad.jsonl", "line": 1, "field": "published_on", "message": "无法识别的日期 '2019-02-30'"}
    ]
    assert data["warnings"][0]["field"] == "备注"
    assert data["packs"]["officer_year:cx-off-1/2019"] == ["chuxiong-2016"]
    assert list(data)[len(CLI_KEYS) :] == ["warnings", "packs", "calendar", "absent_steps"]


def test_json_include_pass_and_english() -> None:
    data = json.loads(render(sample_report(), "json", RenderOptions(lang="en", include_pass=True)))
    assert len(data["outcomes"]) == 8
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
    rows = list(csv.DictReader(io.StringIO(output[len(BOM) :], newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert [r["outcome"] for r in rows] == ["violation", "waived", "indeterminate", "violation", "pending", "violation"]
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


@given(st.lists(st.text(alphabet=st.sampled_from("ab|\\\n\r 违"), max_size=8), min_size=1, max_size=4))
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
    assert {s.get("name") for s in root.findall("testsuite")} == {"chuxiong-2016", "national", "input"}
    by_name = {c.get("name"): c for c in cases}
    assert by_name["cx-nd-late ND-LEGALITY-REVIEW"].find("*") is None
    failure = by_name["cx-nd-late ND-FILING-DEADLINE"].find("failure")
    assert failure.get("message").startswith("备案逾期") and '"days_late": 1' in failure.text
    assert by_name["cx-nd-late ND-COMMENT-PERIOD"].find("skipped").get("message").startswith("豁免: ")
    assert by_name["cx-off-1/2019 TR-SESSIONS"].find("skipped").get("message").startswith("待定: ")
    assert by_name["bad.jsonl:1 published_on"].find("error") is not None
    assert root.get("failures") == "3" and root.get("errors") == "1" and root.get("tests") == "9"
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
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@given(st.text())
def test_github_escaping_round_trips(value: str) -> None:
    data, prop = escape_data(value), escape_property(value)
    assert "\n" not in data and "\r" not in data
    assert not set(",:\r\n") & set(prop)
    assert unescape(data) == value and unescape(prop) == value


def test_github_commands() -> None:
    assert command("error", "a\nb", "dir\\a,b.csv", 3, "R-1") == "::error file=dir/a%2Cb.csv,line=3,title=R-1::a%0Ab"
    assert command("notice", "x", None, None, None) == "::notice::x"
    lines = render(sample_report(), "github").splitlines()
    assert lines[0].startswith("::error file=docs.jsonl,line=3,title=ND-FILING-DEADLINE::")
    assert any(line.startswith("::notice file=officers.yaml,title=TR-SESSIONS (待定)::") for line in lines)
    assert not any("ND-COMMENT-PERIOD" in line or "ND-LEGALITY-REVIEW" in line for line in lines)
    assert lines[-3].startswith("::error file=bad.jsonl,line=1,title=输入错误::published_on: ")
    assert lines[-2].startswith("::warning file=docs.jsonl,line=3,")


# --- provisional outcomes, coverage warnings, the absent-steps standard -----------------------
# One test per format: each fails if the provisional mark or the coverage warning vanishes.

NOTE_ZH = "标“暂定”的结果取决于尚无国务院放假安排的年份（2019）的调休，可用 --holidays 载入正式安排"
NOTE_EN = (
    'Outcomes marked "provisional" depend on the make-up working days (调休) of a year with no '
    "State Council holiday schedule yet (2019); load the official schedule with --holidays"
)
STANDARD_ZH = "判定口径：案卷评查口径（未见记录视为未履行，--absent-steps violation）"
STANDARD_EN = "Standard: case-file review (no record = not done, --absent-steps violation)"
PROVISIONAL_MESSAGE = (
    "备案逾期：2019-04-16公布，最迟应于2019-05-02（含当日，公布后15日内）报送备案，实际2019-05-06报送（逾期4日）"
)
COVERAGE_ISSUE = {
    "file": "kunming/cases.csv",
    "line": 4,
    "field": None,
    "message": COVERAGE_MESSAGE,
    "code": "coverage",
    "record_id": "km-ec-3",
}


def case_file_review() -> Report:
    report = sample_report()
    report.absent_steps = "violation"
    return report


def lines_of(report: Report, fmt: str, **options) -> list[str]:
    return render(report, fmt, RenderOptions(**options)).splitlines()


def test_table_marks_provisional_and_lists_coverage() -> None:
    zh = lines_of(sample_report(), "table", width=200)
    assert any(
        re.fullmatch(r"违规（暂定） +错误 +ND-FILING-DEADLINE +备案逾期：2019-04-16公布，最迟应于2019-05-02.*", line)
        for line in zh
    )
    assert NOTE_ZH in zh and zh.count(NOTE_ZH) == 1
    start = zh.index("适用范围提示 (1)")
    assert re.fullmatch(r"kunming/cases\.csv +4 +" + re.escape(COVERAGE_MESSAGE), zh[start + 3])
    assert start < zh.index("输入错误 (1)") < zh.index("警告 (1)")
    assert zh[-2] == "共 6 条记录：违规 3，待定 1，无法判定 1，豁免 1，通过 2；暂定 2；输入错误 1，警告 2"
    with_passes = lines_of(sample_report(), "table", width=200, include_pass=True)
    assert any(re.match(r"通过（暂定） +错误 +EC-PUBLISH-DEADLINE ", line) for line in with_passes)
    en = lines_of(sample_report(), "table", lang="en", width=200)
    assert any(re.match(r"violation \(provisional\) +error +ND-FILING-DEADLINE ", line) for line in en)
    assert NOTE_EN in en and "Coverage (1)" in en
    assert en[-2] == (
        "6 records: violation 3, pending 1, indeterminate 1, waived 1, pass 2; "
        "provisional 2; input errors 1, warnings 2"
    )


def test_table_footnote_names_the_shown_outcomes_years_only() -> None:
    report = sample_report()
    assert not any("暂定" in line for line in lines_of(only_passes(), "table")[:-2])
    shown = lines_of(only_passes(), "table", width=200, include_pass=True)
    assert "标“暂定”的结果取决于尚无国务院放假安排的年份（2019）的调休，可用 --holidays 载入正式安排" in shown
    late = report.outcomes[6]
    late.evidence = {**late.evidence, "provisional_years": [2028, 2027]}
    assert "标“暂定”的结果取决于尚无国务院放假安排的年份（2027、2028）的调休，可用 --holidays 载入正式安排" in lines_of(
        report, "table", width=200
    )
    assert " (2027, 2028); " in render(report, "table", RenderOptions(lang="en", width=300))
    report.outcomes = [o for o in report.outcomes if not o.provisional]
    assert not any("（暂定）" in line or "标“暂定”" in line for line in lines_of(report, "table", width=200))
    assert lines_of(report, "table")[-2].endswith("；暂定 0；输入错误 1，警告 2")


def test_markdown_and_table_citations_carry_the_quoted_sentence() -> None:
    """Markdown quotes the whole sentence after the clause, as JUnit, SARIF, CSV, XLSX and HTML carry
    it; the terminal table the clause and the start of the sentence, folded in its narrow column."""
    assert (
        quoted_citation(FILING)
        == quoted_citation(FILING, "en")
        == (
            "《楚雄州法治政府建设规划暨实施方案》措施18：“制定机关在规范性文件公布或者印发之日起15日内依法报送上级行政机关备案”"
        )
    )
    unquoted = dataclasses.replace(FILING, quote="")
    assert quoted_citation(unquoted) == short_citation(unquoted) == "《楚雄州法治政府建设规划暨实施方案》措施18"
    # 36 terminal cells at most: 16 characters (two cells each), the ellipsis and the quotation marks
    assert short_quote(FILING.quote) == "“制定机关在规范性文件公布或者印发…”"
    assert cell_len(short_quote(FILING.quote)) <= 36
    assert short_quote("执法人员不得少于两人") == "“执法人员不得少于两人”"
    assert short_quote("  a\n  b ") == "“a b”" and short_quote(" ") == ""
    assert short_quote("x" * 40, cells=10) == "“xxxxxxx…”" and short_quote("x" * 8, cells=10) == "“xxxxxxxx”"
    for lang in ("zh", "en"):
        markdown = lines_of(sample_report(), "markdown", lang=lang)
        assert sum(f"措施18：“{FILING.quote}” |" in line for line in markdown) == 2, lang
        table = render(sample_report(), "table", RenderOptions(lang=lang, width=120))
        assert "楚委〔2016〕31号" in table and "“制定机关在规范性文" in table and "件公布或者印发…”" in table, lang


def test_markdown_marks_provisional_and_lists_coverage() -> None:
    zh = lines_of(sample_report(), "markdown")
    assert (
        "| 违规（暂定） | 错误 | ND-FILING-DEADLINE | "
        + PROVISIONAL_MESSAGE
        + f" | 《楚雄州法治政府建设规划暨实施方案》措施18：“{FILING.quote}” |"
    ) in zh
    assert zh.count(NOTE_ZH) == 1
    assert "| 记录 | 违规 | 待定 | 无法判定 | 豁免 | 通过 | 暂定 | 输入错误 | 警告 |" in zh
    assert "| 6 | 3 | 1 | 1 | 1 | 2 | 2 | 1 | 2 |" in zh
    start = zh.index("## 适用范围提示")
    assert zh[start + 2 : start + 5] == [
        "| 文件 | 行 | 说明 |",
        "| --- | --- | --- |",
        f"| kunming/cases.csv | 4 | {COVERAGE_MESSAGE} |",
    ]
    assert start < zh.index("## 输入错误") < zh.index("## 警告")
    warnings = zh[zh.index("## 警告") :]
    assert not any(COVERAGE_MESSAGE in line for line in warnings)
    assert (
        "| 通过（暂定） | 错误 | EC-PUBLISH-DEADLINE | 已于2019-05-06公示，最迟应于2019-05-07（含当日）公示 | "
        "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
        "二、（六）加强事后公开：“行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开” |"
    ) in lines_of(sample_report(), "markdown", include_pass=True)
    en = lines_of(sample_report(), "markdown", lang="en")
    assert any(line.startswith("| violation (provisional) | error | ND-FILING-DEADLINE | ") for line in en)
    assert NOTE_EN in en and "## Coverage" in en


def test_json_provisional_coverage_and_calendar() -> None:
    data = json.loads(render(sample_report(), "json"))
    late = data["outcomes"][-1]
    assert late["record_id"] == "cx-nd-0416" and late["provisional"] is True
    assert "provisional" not in data["outcomes"][0]
    assert data["summary"]["provisional"] == 2
    assert data["warnings"][1] == COVERAGE_ISSUE
    assert data["calendar"] == CALENDAR and data["absent_steps"] == "indeterminate"
    listed = json.loads(render(sample_report(), "json", RenderOptions(include_pass=True)))["outcomes"]
    assert [o["record_id"] for o in listed if o.get("provisional")] == ["cx-nd-0416", "km-ec-3"]


def test_jsonl_marks_provisional() -> None:
    lines = [json.loads(line) for line in lines_of(sample_report(), "jsonl")]
    assert [(o["record_id"], o.get("provisional")) for o in lines][-1] == ("cx-nd-0416", True)
    assert sum(1 for o in lines if o.get("provisional")) == 1
    listed = [json.loads(line) for line in lines_of(sample_report(), "jsonl", include_pass=True)]
    assert [o["rule_id"] for o in listed if o.get("provisional")] == ["ND-FILING-DEADLINE", "EC-PUBLISH-DEADLINE"]


def test_csv_provisional_column() -> None:
    output = render(sample_report(), "csv", RenderOptions(include_pass=True))
    rows = list(csv.DictReader(io.StringIO(output[len(BOM) :], newline="")))
    # provisional came last so earlier columns kept their places; the clause label was added after it
    assert COLUMNS[-2:] == ("provisional", "citation_clause_label")
    assert COLUMNS.index("citation_quote") == 12
    assert [(r["record_id"], r["rule_id"]) for r in rows if r["provisional"] == "true"] == [
        ("cx-nd-0416", "ND-FILING-DEADLINE"),
        ("km-ec-3", "EC-PUBLISH-DEADLINE"),
    ]
    assert {r["provisional"] for r in rows} == {"true", "false"}
    assert COVERAGE_MESSAGE not in output  # CSV holds outcomes only


def test_junit_marks_provisional_and_carries_coverage(junit_schema: xmlschema.XMLSchema) -> None:
    output = render(sample_report(), "junit")
    junit_schema.validate(output)
    root = ET.fromstring(output)
    late = root.find(".//testcase[@name='cx-nd-0416 ND-FILING-DEADLINE']")
    assert late.find("failure").get("message") == PROVISIONAL_MESSAGE + "（暂定）"
    assert late.find("system-out").text == NOTE_ZH
    passed = root.find(".//testcase[@name='km-ec-3 EC-PUBLISH-DEADLINE']")
    assert passed.find("failure") is None and passed.find("system-out").text == NOTE_ZH
    assert root.find(".//testcase[@name='cx-nd-late ND-FILING-DEADLINE']/system-out") is None

    def properties(suite: str) -> list[tuple[str, str]]:
        return [
            (p.get("name"), p.get("value")) for p in root.findall(f"testsuite[@name='{suite}']/properties/property")
        ]

    assert ("provisional", "cx-nd-0416 ND-FILING-DEADLINE") in properties("chuxiong-2016")
    assert ("provisional", "km-ec-3 EC-PUBLISH-DEADLINE") in properties("national")
    assert properties("input") == [("coverage", COVERAGE_MESSAGE)]
    assert COVERAGE_MESSAGE not in root.find("testsuite[@name='input']/system-out").text
    english = ET.fromstring(render(sample_report(), "junit", RenderOptions(lang="en")))
    message = english.find(".//testcase[@name='cx-nd-0416 ND-FILING-DEADLINE']/failure").get("message")
    assert (
        message
        == "Filed late: published on 2019-04-16, to be filed no later than 2019-05-02 (inclusive; 15 days after publication), filed on 2019-05-06 (4 days late) (provisional)"
    )


def test_sarif_marks_provisional_and_notifies_coverage(sarif_validator) -> None:
    log = json.loads(render(case_file_review(), "sarif", RenderOptions(include_pass=True)))
    assert list(sarif_validator.iter_errors(log)) == []
    run = log["runs"][0]
    provisional = [r for r in run["results"] if r["properties"].get("provisional")]
    assert [r["properties"]["record_id"] for r in provisional] == ["cx-nd-0416", "km-ec-3"]
    assert provisional[0]["message"]["text"] == PROVISIONAL_MESSAGE + "（暂定）"
    assert provisional[0]["properties"]["provisional"] is True
    assert "provisional" not in run["results"][0]["properties"]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert notifications[-1] == {
        "level": "warning",
        "message": {"text": COVERAGE_MESSAGE},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": "kunming/cases.csv"}, "region": {"startLine": 4}}}
        ],
        "descriptor": {"id": "coverage"},
        "properties": {"record_id": "km-ec-3"},
    }
    assert [n["level"] for n in notifications] == ["error", "warning", "warning"]
    assert run["properties"]["calendar"] == CALENDAR
    assert run["properties"]["absent_steps"] == "violation"
    assert run["properties"]["summary"]["provisional"] == 2


def test_sarif_notification_without_a_file_has_no_location(sarif_validator) -> None:
    report = sample_report()
    report.warnings = [dataclasses.replace(report.warnings[1], file="", line=None)]
    log = json.loads(render(report, "sarif"))
    assert list(sarif_validator.iter_errors(log)) == []
    assert "locations" not in log["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1]


def test_github_marks_provisional_and_annotates_coverage() -> None:
    lines = lines_of(sample_report(), "github")
    assert (
        "::error file=docs.jsonl,line=5,title=ND-FILING-DEADLINE::行政规范性文件 cx-nd-0416："
        + PROVISIONAL_MESSAGE
        + "（暂定） [《楚雄州法治政府建设规划暨实施方案》措施18]"
    ) in lines
    assert lines[-1] == f"::warning file=kunming/cases.csv,line=4,title=适用范围提示::{COVERAGE_MESSAGE}"
    english = lines_of(sample_report(), "github", lang="en")
    assert (
        "::error file=docs.jsonl,line=5,title=ND-FILING-DEADLINE::normative document cx-nd-0416: "
        "Filed late: published on 2019-04-16, to be filed no later than 2019-05-02 (inclusive; 15 days after publication), filed on 2019-05-06 (4 days late) (provisional) "
        "[《楚雄州法治政府建设规划暨实施方案》措施18]"
    ) in english
    assert english[-1] == f"::warning file=kunming/cases.csv,line=4,title=Coverage::{COVERAGE_MESSAGE}"


def test_absent_steps_standard_is_said_once() -> None:
    report = case_file_review()
    table = lines_of(report, "table")
    assert table[0] == STANDARD_ZH and table.count(STANDARD_ZH) == 1
    assert lines_of(report, "table", lang="en")[0] == STANDARD_EN
    markdown = lines_of(report, "markdown")
    assert markdown[2:7] == [
        "- 版本：fzcheck 0.0.0-golden",
        "- 检查基准日：2019-11-23",
        "- 规则集：chuxiong-2016 1.0.0, national 1.0.0",
        f"- {STANDARD_ZH}",
        "",
    ]
    assert f"- {STANDARD_EN}" in lines_of(report, "markdown", lang="en")
    assert json.loads(render(report, "json"))["absent_steps"] == "violation"
    for fmt in ("table", "markdown"):
        assert not any("--absent-steps" in line for line in lines_of(sample_report(), fmt))


# --- streaming: every format in chunks, the same text; the table laid out as rich lays it out ------


def many_outcomes(count: int) -> Report:
    report = sample_report()
    template = report.outcomes[0]
    report.outcomes = [dataclasses.replace(template, record_id=f"cx-nd-{n:06d}") for n in range(count)]
    return report


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("report_factory", [sample_report, empty_report, only_passes, case_file_review])
def test_chunks_join_to_the_rendered_text(fmt: str, report_factory) -> None:
    for options in (RenderOptions(), RenderOptions(lang="en", include_pass=True, width=70)):
        chunks = list(render_chunks(report_factory(), fmt, options))
        assert "".join(chunks) == render(report_factory(), fmt, options)
        assert all(chunks)


def test_json_and_sarif_stream_exactly_the_documents() -> None:
    from fzcheck.engine.output.common import json_default
    from fzcheck.engine.output.json_report import report_dict
    from fzcheck.engine.output.sarif import sarif_dict

    for report in (sample_report(), empty_report(), many_outcomes(50)):
        for options in (RenderOptions(), RenderOptions(include_pass=True)):
            assert (
                render(report, "json", options)
                == json.dumps(report_dict(report, options), ensure_ascii=False, indent=2, default=json_default) + "\n"
            )
            assert (
                render(report, "sarif", options)
                == json.dumps(sarif_dict(report, options), ensure_ascii=False, indent=2, default=json_default) + "\n"
            )


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_large_reports_come_in_pieces(fmt: str) -> None:
    """The first chunk arrives long before the whole text could have been built: a few times
    CHUNK_CHARS at most, for a report whose text is many times that."""
    report = many_outcomes(3000)
    chunks = render_chunks(report, fmt)
    first = next(chunks)
    rest = sum(len(chunk) for chunk in chunks)
    assert rest > 5 * CHUNK_CHARS
    assert len(first) < 2 * CHUNK_CHARS


def test_batched() -> None:
    assert list(batched(["ab", "c", "", "def", "g"], size=3)) == ["abc", "def", "g"]
    assert list(batched(["", ""], size=3)) == []
    assert list(batched([], size=3)) == []


def test_render_chunks_rejects_an_unknown_format_at_once() -> None:
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render_chunks(sample_report(), "html")


def test_emit_report_writes_through_a_temporary_file(tmp_path, monkeypatch) -> None:
    from fzcheck.cli.common import emit_report
    from fzcheck.engine.output import CHUNK_RENDERERS

    output = tmp_path / "out" / "report.json"
    emit_report(sample_report(), "json", output, lang="zh", include_pass=False, fail_on="error")
    assert output.read_text(encoding="utf-8") == render(sample_report(), "json")
    assert [p.name for p in output.parent.iterdir()] == ["report.json"]

    def failing(report, options):
        yield "{"
        raise RuntimeError("disk full")

    monkeypatch.setitem(CHUNK_RENDERERS, "json", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        emit_report(sample_report(), "json", output, lang="zh", include_pass=False, fail_on="error")
    assert output.read_text(encoding="utf-8") == render(sample_report(), "json")
    assert [p.name for p in output.parent.iterdir()] == ["report.json"]  # the old report, no .part file


CELL_TEXT = st.lists(
    st.sampled_from(
        list("ab cd违规说明：，—-|\t\n") + ["备案逾期", "ND-FILING", "x" * 30, "字" * 25, "\u3000", "e\u0301", "😀"]
    ),
    max_size=12,
).map("".join)


@given(
    st.lists(
        st.tuples(
            CELL_TEXT,
            st.booleans(),
            st.sampled_from(["fold", "ellipsis", "crop"]),
            st.sampled_from(["left", "right"]),
            st.sampled_from([None, 5, 20]),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.lists(CELL_TEXT, min_size=5, max_size=5), max_size=4),
    st.sampled_from([10, 20, 40, 60, 80, 120]),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_plain_table_is_rich_table(columns, rows, width, boxed) -> None:
    """The plain layout and the colour one agree: rich prints the folded cells of `rich_table`
    exactly as `table_lines` lays them out, character for character; a table too wide for every
    column is cropped to the width (the colour output then prints these plain lines). ``boxed``:
    rich's default box (`audit list`)."""
    from rich.console import Console
    from rich.text import Text

    from fzcheck.engine.output.plain_table import (
        Column,
        fits,
        rich_table,
        table_lines,
    )

    specs = [
        Column(header or "h", no_wrap=no_wrap, overflow=overflow, justify=justify, max_width=max_width, whole=whole)
        for header, no_wrap, overflow, justify, max_width, whole in columns
    ]
    rows = [row[: len(specs)] for row in rows]
    lines = table_lines(None, specs, rows, width, boxed=boxed)
    assert max(cell_len(line) for line in lines) <= width
    if fits(specs, rows, width, boxed=boxed):
        buffer = io.StringIO()
        console = Console(
            file=buffer, width=width, highlight=False, emoji=False, color_system=None, legacy_windows=False
        )
        console.print(rich_table(specs, [[Text(value) for value in row] for row in rows], width, boxed=boxed))
        assert lines == [line.rstrip() for line in buffer.getvalue().splitlines()]
