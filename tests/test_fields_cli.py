"""Issue #14, "which columns?": ``fzcheck fields``, "did you mean" for unknown columns, registers of
one kind without a kind column (``check --kind`` and inference from the header)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.sources.files import read_paths
from fzcheck.models.records import COLUMN_SYNONYMS, FIELD_ALIASES, RECORD_MODELS, kind_candidates, unknown_key_warning


def where(issues):
    return [(Path(i.file).name, i.line, i.field, i.message) for i in issues]


# --- did you mean -------------------------------------------------------------------------------


def test_synonym_table_holds_no_real_alias_and_points_at_real_aliases():
    every_alias = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
    assert "备案日期" in every_alias  # a real alias of filed_on, so not a synonym
    for synonym, alias in COLUMN_SYNONYMS.items():
        assert synonym not in every_alias and alias in every_alias


@pytest.mark.parametrize(
    "key, kind, message",
    [
        (
            "发布日期",
            "normative_document",
            "unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?",
        ),
        (
            "印发日期",
            "normative_document",
            "unknown column '印发日期' ignored; did you mean '公布日期' (published_on)?",
        ),
        (
            "实施日期",
            "normative_document",
            "unknown column '实施日期' ignored; did you mean '施行日期' (effective_from)?",
        ),
        (
            "公布 日期",
            "enforcement_case",
            "unknown column '公布 日期' ignored; did you mean '公示日期' (published_on)?",
        ),
        ("published_one", "normative_document", "unknown column 'published_one' ignored; did you mean 'published_on'?"),
        ("备注", "normative_document", "unknown column '备注' ignored"),
        ("发布日期", None, "unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?"),
    ],
)
def test_unknown_column_warning_proposes_the_closest_field(key, kind, message):
    assert unknown_key_warning(key, "column", kind) == message


def test_reader_warns_about_an_unknown_column_with_did_you_mean(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        "类型,编号,行政区划代码,文号,发布日期,备注\n行政规范性文件,nd-1,532301,楚政发〔2018〕3号,2018-06-01,x\n",
        encoding="utf-8",
    )
    result = read_paths([path])
    assert [r.id for r in result.records] == ["nd-1"] and result.errors == []
    assert where(result.warnings) == [
        ("docs.csv", 1, "发布日期", "unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?"),
        ("docs.csv", 1, "备注", "unknown column '备注' ignored"),
    ]


def test_json_key_gets_did_you_mean_too(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text(
        json.dumps({"kind": "normative_document", "id": "nd-1", "region_code": "532301", "publish_on": "2018-06-01"}),
        encoding="utf-8",
    )
    assert where(read_paths([path]).warnings) == [
        ("doc.json", 1, "publish_on", "unknown key 'publish_on' ignored; did you mean 'published_on'?")
    ]


# --- kind from the header or from --kind --------------------------------------------------------


def test_kind_candidates():
    assert kind_candidates(["编号", "文号", "公布日期"]) == ["normative_document"]
    assert kind_candidates(["编号", "决定日期", "延期批准"]) == ["enforcement_case", "reconsideration_case"]
    assert kind_candidates(["编号", "行政区划代码", "文号"]) == []  # one telling column is too little
    assert kind_candidates(["编号", "姓名", "决策事项"]) == []  # no kind has both


def test_register_of_one_kind_without_kind_column_is_read_as_that_kind(tmp_path):
    path = tmp_path / "nd.csv"
    path.write_text(
        "编号,行政区划代码,文号,公布日期,报送备案日期\n"
        "nd-1,532301,楚政发〔2018〕3号,2018-06-01,2018-06-20\n"
        "nd-2,532301,楚政发〔2018〕4号,2018-06-02,2018-06-21\n",
        encoding="utf-8",
    )
    result = read_paths([path])
    assert [(r.kind, r.id) for r in result.records] == [("normative_document", "nd-1"), ("normative_document", "nd-2")]
    assert result.errors == []
    assert where(result.warnings) == [
        (
            "nd.csv",
            1,
            None,
            "no kind column: read as normative_document (columns 文号, 公布日期, 报送备案日期); use --kind to choose",
        )
    ]


def test_more_than_three_telling_columns_are_shortened(tmp_path):
    path = tmp_path / "nd.csv"
    path.write_text(
        "编号,行政区划代码,文号,公布日期,施行日期,报送备案日期\n"
        "nd-1,532301,楚政发〔2018〕3号,2018-06-01,2018-06-01,2018-06-20\n",
        encoding="utf-8",
    )
    assert where(read_paths([path]).warnings) == [
        (
            "nd.csv",
            1,
            None,
            "no kind column: read as normative_document (columns 文号, 公布日期, 施行日期 …); use --kind to choose",
        )
    ]


def test_ambiguous_header_is_missing_kind_listing_the_candidates(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("编号,行政区划代码,决定日期,延期批准\nx-1,532301,2018-06-01,否\n", encoding="utf-8")
    result = read_paths([path])
    assert result.records == [] and result.warnings == []
    assert where(result.errors) == [
        (
            "cases.csv",
            2,
            "kind",
            "missing kind; the columns fit enforcement_case, reconsideration_case: use --kind to choose",
        )
    ]


def test_kind_option_of_the_reader(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("编号,行政区划代码,决定日期,延期批准\nx-1,532301,2018-06-01,否\n", encoding="utf-8")
    result = read_paths([path], kind="reconsideration_case")
    assert [(r.kind, r.id) for r in result.records] == [("reconsideration_case", "x-1")]
    assert result.errors == [] and result.warnings == []


def test_kind_column_wins_over_kind_option(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "类型,编号,行政区划代码,决定日期\n行政执法案件,x-1,532301,2018-06-01\n,x-2,532301,2018-06-02\n",
        encoding="utf-8",
    )
    result = read_paths([path], kind="reconsideration_case")
    assert [(r.kind, r.id) for r in result.records] == [("enforcement_case", "x-1"), ("reconsideration_case", "x-2")]


def test_row_missing_kind_and_id_gets_both_errors(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("行政区划代码,文号\n532301,楚政发〔2018〕3号\n", encoding="utf-8")
    assert where(read_paths([path]).errors) == [
        ("bare.csv", 2, "kind", "missing kind"),
        ("bare.csv", 2, "id", "missing id"),
    ]


def test_row_missing_id_of_an_inferred_kind_is_missing_id(tmp_path):
    path = tmp_path / "nd.csv"
    path.write_text("编号,行政区划代码,文号,公布日期\n,532301,楚政发〔2018〕3号,2018-06-01\n", encoding="utf-8")
    assert where(read_paths([path]).errors) == [("nd.csv", 2, "id", "missing id")]


@pytest.mark.parametrize("given", ["reconsideration_case", "行政复议案件", "复议案件"])
def test_check_kind_option_takes_code_or_chinese_label(tmp_path, given):
    path = tmp_path / "cases.csv"
    path.write_text("编号,行政区划代码,决定日期,延期批准\nx-1,532301,2018-06-01,否\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--kind", given, "--as-of", "2019-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == [] and report["warnings"] == []
    assert {outcome["record_id"] for outcome in report["outcomes"]} == {"x-1"}


def test_check_without_kind_option_reports_the_ambiguity(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("编号,行政区划代码,决定日期,延期批准\nx-1,532301,2018-06-01,否\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2019-01-01", "--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"] == [
        {
            "file": str(path),
            "line": 2,
            "field": "kind",
            "message": "缺少类型；这些列同时符合 行政执法案件、行政复议案件：请用 --kind 指定",
        }
    ]
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2019-01-01", "--format", "json", "--lang", "en"])
    assert json.loads(result.output)["errors"] == [
        {
            "file": str(path),
            "line": 2,
            "field": "kind",
            "message": "missing kind; the columns fit enforcement_case, reconsideration_case: use --kind to choose",
        }
    ]


def test_check_kind_option_refuses_an_unknown_kind(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("编号\nx-1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--kind", "案件"])
    assert result.exit_code == 2
    assert "错误：--kind 的值无效：未知的类型“案件”" in result.output
    result = CliRunner().invoke(cli, ["check", str(path), "--kind", "案件", "--lang", "en"])
    assert result.exit_code == 2
    assert "Invalid value for --kind: unknown kind '案件'" in result.output


# --- fzcheck fields -----------------------------------------------------------------------------


def fields(*args):
    result = CliRunner().invoke(cli, ["fields", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_fields_table_of_one_kind_in_english():
    assert fields("officer", "--lang", "en").splitlines() == [
        "dates: 2019-03-04, 2019年3月4日, 2019/3/4, 2019.3.4, 2019-03-04 00:00:00, 20190304, Excel date cell, "
        "二○一九年三月四日",
        "booleans: true/false, 是/否, 1/0, Y/N",
        "",
        "officer 行政执法人员  (kind column: officer / 行政执法人员 / 执法人员)",
        "field             type  Chinese columns                               example         accepted",
        "id                str   编号                                          off-1",
        "region_code       str   行政区划代码、区划代码                        532301",
        "agency            str   机关、制定机关、执法机关、复议机关、决策机关  楚雄州人民政府",
        "name              str   姓名                                          张三",
        "exam_passed_on    date  考试合格日期                                  2018-06-01      see above",
        "cert_number       str   执法证号                                      53230018001",
        "cert_issued_on    date  发证日期                                      2018-06-01      see above",
        "cert_valid_until  date  证件有效期至                                  2024-05-31      see above",
    ]


def test_fields_table_in_chinese_by_chinese_kind_label():
    lines = fields("行政规范性文件").splitlines()
    assert lines[0].startswith("日期：2019-03-04、2019年3月4日、") and lines[1] == "是否：true/false、是/否、1/0、Y/N"
    assert lines[3] == "normative_document 行政规范性文件  (类型列: normative_document / 行政规范性文件 / 规范性文件)"
    assert lines[4].split() == ["字段", "类型", "中文列名", "示例", "可接受的写法"]
    rows = {line.split()[0]: line.split() for line in lines[5:]}
    assert rows["published_on"] == ["published_on", "日期", "公布日期", "2018-06-01", "见上"]
    assert rows["filed_on"] == ["filed_on", "日期", "报送备案日期、备案日期", "2018-06-01", "见上"]
    assert rows["doc_number_normalized"] == ["doc_number_normalized", "文本（计算）", "—", "—"]
    assert " ".join(rows["status"]) == (
        "status 枚举 状态 草稿 draft / 草稿 / 征求意见稿, in_force / 现行有效 / 有效, "
        "expired / 失效 / 已失效, repealed / 废止 / 已废止"
    )
    assert list(rows) == [
        name for name in RECORD_MODELS["normative_document"].model_fields if name not in ("kind", "source")
    ]


def test_fields_table_lists_every_kind():
    text = fields()
    for kind in FIELD_ALIASES:
        assert f"\n{kind} " in text


def test_fields_json():
    data = json.loads(fields("reconsideration_case", "--format", "json"))
    assert data["bool_formats"] == ["true/false", "是/否", "1/0", "Y/N"]
    assert data["column_synonyms"]["发布日期"] == "公布日期"
    [kind] = data["kinds"]
    assert (kind["kind"], kind["label"], kind["kind_labels"]) == (
        "reconsideration_case",
        "行政复议案件",
        ["行政复议案件", "复议案件"],
    )
    by_name = {item["field"]: item for item in kind["fields"]}
    assert by_name["suspended_days"] == {
        "field": "suspended_days",
        "type": "int",
        "aliases": ["中止天数"],
        "formats": ["a whole number"],
        "example": "10",
        "computed": None,
        "minimum": 0,
    }
    assert by_name["procedure"]["values"] == {
        "simple": ["简易程序", "当场处罚", "简易"],
        "ordinary": ["普通程序", "一般程序", "普通"],
    }
    assert by_name["received_on"]["formats"][:2] == ["2019-03-04", "2019年3月4日"]


def test_fields_markdown_is_the_docs_file():
    """docs/records-fields.md is one cog block whose output is this text (docs/gen_fields.py)."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "records-fields.md").read_text(encoding="utf-8")
    generated = docs.partition("]]] -->\n")[2].removesuffix("<!-- [[[end]]] -->\n")
    assert fields("--format", "markdown", "--lang", "en") == generated


def test_fields_markdown_of_one_kind_in_chinese():
    assert fields("officer", "--format", "markdown").splitlines()[:6] == [
        "## `officer` 行政执法人员",
        "",
        "类型列: `officer` / 行政执法人员 / 执法人员",
        "",
        "| 字段 | 类型 | 中文列名 | 输入 / 计算 | 示例 |",
        "|---|---|---|---|---|",
    ]


def test_fields_help_has_examples():
    result = CliRunner().invoke(cli, ["fields", "--help"])
    assert result.exit_code == 0
    assert "fzcheck fields 行政规范性文件" in result.output and "--format [table|json|markdown]" in result.output


def test_fields_refuses_an_unknown_kind():
    result = CliRunner().invoke(cli, ["fields", "案件"])
    assert result.exit_code == 2 and "错误：'[KIND]' 的值无效：未知的类型“案件”；应为以下之一：" in result.output
    result = CliRunner().invoke(cli, ["fields", "案件", "--lang", "en"])
    assert (
        result.exit_code == 2 and "Invalid value for '[KIND]': unknown kind '案件'; expected one of " in result.output
    )


def test_the_kind_said_in_chinese_by_default(tmp_path):
    path = tmp_path / "nd.csv"
    path.write_text(
        "编号,行政区划代码,文号,公布日期,施行日期,报送备案日期\n"
        "nd-1,532301,楚政发〔2018〕3号,2018-06-01,2018-06-01,2018-06-20\n",
        encoding="utf-8",
    )
    [warning] = read_paths([path]).warnings
    assert (
        warning.text("zh")
        == "没有“类型”列：按行政规范性文件读取（依据列 文号、公布日期、施行日期 …）；可用 --kind 指定"
    )
    ambiguous = tmp_path / "cases.csv"
    ambiguous.write_text("编号,行政区划代码,决定日期,延期批准\nx-1,532301,2018-06-01,否\n", encoding="utf-8")
    [error] = read_paths([ambiguous]).errors
    assert error.text("zh") == "缺少类型；这些列同时符合 行政执法案件、行政复议案件：请用 --kind 指定"
