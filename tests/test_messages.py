"""The message catalog (fzcheck/messages.py): every error and warning in Chinese by default and in
English with ``--lang en``, with the same detail in both (issue #14)."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.sources.files import read_paths
from fzcheck.messages import CATALOG, Items, Msg, Term, from_data, placeholders
from fzcheck.models.records import RecordError, _message, parse_record

BAD_INPUT = Path(__file__).resolve().parent.parent / "sample_cases" / "bad_input"
#: two English words in a row: what an untranslated sentence shows (codes, names and values are single tokens)
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
#: the messages a Chinese template may leave without a Chinese character: punctuation around parameters
NO_WORDS = {"value.inside", "shown.value"}


@pytest.mark.parametrize("message_id", sorted(CATALOG))
def test_every_entry_has_both_languages_with_the_same_placeholders(message_id):
    zh, en = CATALOG[message_id]
    assert zh.strip() and en.strip()
    assert placeholders(zh) == placeholders(en), message_id
    if message_id not in NO_WORDS:
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{message_id}: no Chinese in {zh!r}"
    assert not ENGLISH_WORDS.search(
        re.sub(
            r"\{[^}]*\}|--\w+|`?fzcheck \w+ \w+`?|JSON Lines|true/false|yes/no"
            r"|GB/T|&\w+ / \*\w+",
            "",
            zh,
        )
    ), f"{message_id}: English in {zh!r}"


def test_a_message_renders_in_either_language_and_its_str_is_the_english():
    message = Msg("value.at_least", low="0", unit=Term.of("days"), value="-3")
    assert message.text("zh") == "应不少于 0 日，实际为“-3”"
    assert message.text("en") == str(message) == "expected 0 or more days, got '-3'"
    with pytest.raises(KeyError):
        Msg("no.such.message")


def test_messages_cross_processes_and_the_database_unchanged():
    inner = Msg("value.enum", what=Term.of("status"), value="drafts", expected=Items([Term("草稿", "draft"), "x"]))
    message = Msg("value.inside", where=Items([Msg("value.item", index=2)], separator=" "), message=inner)
    for copy in (pickle.loads(pickle.dumps(message)), from_data(json.loads(json.dumps(message.to_data())))):
        assert (copy.text("zh"), copy.text("en"), copy.id) == (message.text("zh"), message.text("en"), message.id)
    assert message.text("zh") == "第 2 项：未知的状态“drafts”；应为以下之一：草稿、x"


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        ({"type": "missing", "loc": ("published_on",)}, "缺少公布日期", "missing published_on"),
        ({"type": "int_parsing", "input": "五"}, "应为整数，实际为“五”", "expected a whole number, got '五'"),
        ({"type": "float_parsing", "input": "五年"}, "应为数字，实际为“五年”", "expected a number, got '五年'"),
        ({"type": "string_type", "input": [1]}, "应为文本，实际为一个列表", "expected text, got a list"),
        ({"type": "list_type", "input": {}}, "应为列表，实际为一个对象", "expected a list, got an object"),
        (
            {"type": "literal_error", "input": "x", "ctx": {"expected": "'officer'"}},
            "取值“x”无效；应为 'officer'",
            "invalid value 'x'; expected 'officer'",
        ),
        ({"type": "date_from_datetime_parsing", "input": "tomorrow"}, "取值“tomorrow”无效", "invalid value 'tomorrow'"),
    ],
)
def test_pydantic_errors_are_translated_from_their_type(error, zh, en):
    message = _message(error, error["loc"][0] if "loc" in error else "value", "normative_document")
    assert (message.text("zh"), message.text("en")) == (zh, en)


def test_a_record_error_names_the_field_by_its_chinese_label_in_chinese():
    with pytest.raises(RecordError) as raised:
        parse_record(
            {"kind": "normative_document", "id": "nd-1", "legality_review_passed": "待定", "published_on": "2019-02-30"}
        )
    messages = {issue.field: issue for issue in raised.value.issues}
    assert (messages["region_code"].text("zh"), messages["region_code"].text("en")) == (
        "缺少行政区划代码",
        "missing region_code",
    )
    assert messages["published_on"].text("zh") == "日期“2019-02-30”无效"
    assert messages["published_on"].text("en") == "invalid date '2019-02-30'"
    assert messages["legality_review_passed"].text("zh").startswith("是/否取值“待定”无效")


def test_bad_input_samples_speak_chinese_by_default_and_english_with_lang_en():
    runner = CliRunner()
    default = runner.invoke(cli, ["check", str(BAD_INPUT), "--format", "json", "--as-of", "2026-12-01"])
    english = runner.invoke(cli, ["check", str(BAD_INPUT), "--format", "json", "--as-of", "2026-12-01", "--lang", "en"])
    assert default.exit_code == english.exit_code == 2
    zh_issues = json.loads(default.output)["errors"] + json.loads(default.output)["warnings"]
    en_issues = json.loads(english.output)["errors"] + json.loads(english.output)["warnings"]
    assert len(zh_issues) == len(en_issues) == 7
    for zh, en in zip(zh_issues, en_issues):
        assert (zh["file"], zh["line"], zh["field"]) == (en["file"], en["line"], en["field"])
        assert not ENGLISH_WORDS.search(zh["message"]), zh["message"]
        assert re.search(r"[\u4e00-\u9fff]", zh["message"]), zh["message"]
        assert ENGLISH_WORDS.search(en["message"]), en["message"]
        # equal detail: the same numbers in both
        assert sorted(re.findall(r"\d+", zh["message"])) == sorted(re.findall(r"\d+", en["message"]))
    assert [issue["message"] for issue in zh_issues if issue["field"] == "id"] == ["缺少编号"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "github", "sarif", "junit"])
def test_bad_input_errors_are_chinese_in_every_format(fmt):
    result = CliRunner().invoke(cli, ["check", str(BAD_INPUT), "--format", fmt, "--as-of", "2026-12-01"])
    assert result.exit_code == 2
    for english in (
        "invalid date",
        "missing id",
        "invalid JSON",
        "expected a number",
        "unknown kind",
        "invalid boolean",
    ):
        assert english not in result.output, (fmt, english)
    assert "日期“2019-02-30”无效" in result.output and "缺少编号" in result.output
    english = CliRunner().invoke(
        cli, ["check", str(BAD_INPUT), "--format", fmt, "--as-of", "2026-12-01", "--lang", "en"]
    )
    assert "invalid date '2019-02-30'" in english.output and "missing id" in english.output


def test_unknown_columns_and_missing_path_in_both_languages(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("类型,编号,行政区划代码,发布日期\n规范性文件,nd-1,532301,2019-01-02\n", encoding="utf-8")
    [warning] = read_paths([path]).warnings
    assert warning.text("zh") == "未知列“发布日期”，已忽略；是否应为“公布日期”（published_on）？"
    assert warning.text("en") == "unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?"
    missing = read_paths([tmp_path / "nothing"]).errors[0]
    assert (missing.text("zh"), missing.text("en")) == ("文件或文件夹不存在", "no such file or folder")


def test_waiver_and_holiday_file_errors_follow_lang(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps({"kind": "normative_document", "id": "nd-1", "region_code": "532301"}) + "\n", encoding="utf-8"
    )
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "- rule: ND-HEARING\n  record: nd-1\n  reason: r\n  approver: a\n  expires: 2019-02-30\n", encoding="utf-8"
    )
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text("holidays: [2018-02-30]\n", encoding="utf-8")
    runner = CliRunner()
    args = ["check", str(docs), "--waivers", str(waivers), "--holidays", str(holidays), "--format", "json"]
    zh = json.loads(runner.invoke(cli, args).stdout)["errors"]
    en = json.loads(runner.invoke(cli, [*args, "--lang", "en"]).stdout)["errors"]
    assert [e["message"] for e in zh] == [
        "无效日期 '2018-02-30'（应为 YYYY-MM-DD）（未使用该节假日文件：本次检查按内置的国务院放假安排和法定节假日计算期限）",
        "日期“2019-02-30”无效（豁免文件未应用：本报告中没有任何结果被豁免）",
    ]
    assert [e["message"] for e in en] == [
        (
            "invalid date '2018-02-30' (expected YYYY-MM-DD) (holiday file not used: this check counts periods by the "
            "packaged State Council schedule and the statutory holidays)"
        ),
        "invalid date '2019-02-30' (waiver file not applied: no outcome in this report is waived)",
    ]


# --- rule files (engine/rules): file, line and path, then the message in the command's --lang ---------


def _rules_dir(tmp_path: Path, rule_lines: str) -> Path:
    """The good fixture rules with ``rule_lines`` added to the first pack rule."""
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "data" / "rules" / "good", root)
    rules = root / "demo" / "normative_document.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  - id: T-FILING\n", "  - id: T-FILING\n" + rule_lines, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("lines", "zh", "en"),
    [
        (
            "    severity: fatal\n",
            "rules[0].severity: 取值无效；应为 'error'、'warning'、'info'（实际为 'fatal'）",
            "rules[0].severity: Input should be 'error', 'warning' or 'info' (got 'fatal')",
        ),
        (
            "    effective_from: someday\n",
            "rules[0].effective_from: 应为日期（YYYY-MM-DD）（实际为 'someday'）",
            "rules[0].effective_from: Input should be a valid date or datetime, input is too short (got 'someday')",
        ),
        (
            "    params: {limit_days: [{from: 2016-01-01, until: 2015-01-01, value: 3}]}\n",
            "rules[0].params.limit_days[0]: until 2015-01-01 早于 from 2016-01-01",
            "rules[0].params.limit_days[0]: until 2015-01-01 is before from 2016-01-01",
        ),
    ],
)
def test_rule_file_errors_follow_lang(tmp_path, lines, zh, en):
    from fzcheck.engine.rules.packs import RuleFileErrors, load_catalog

    root = _rules_dir(tmp_path, lines)
    with pytest.raises(RuleFileErrors) as raised:
        load_catalog(root)
    [error] = raised.value.errors
    where = f"{root / 'demo' / 'normative_document.yaml'}:{error.line}: "
    assert (error.text("zh"), error.text("en"), str(error)) == (where + zh, where + en, where + en)
    runner = CliRunner()
    chinese = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(root)])
    assert (chinese.exit_code, chinese.output) == (2, f"错误：规则文件有误：\n  {where}{zh}\n")
    english = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(root), "--lang", "en"])
    assert (english.exit_code, english.output) == (2, f"Error: rule files are invalid:\n  {where}{en}\n")


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (
            "filed_on >> due_on",
            "应为名称或字面量，实际为 '>'（表达式 'filed_on >> due_on' 第 11 列）",
            "expected a name or a literal, found '>' at column 11 in 'filed_on >> due_on'",
        ),
        (
            "present(filed_on",
            "应为 )，实际为 表达式结尾（表达式 'present(filed_on' 第 17 列）",
            "expected ), found end of expression at column 17 in 'present(filed_on'",
        ),
        (
            "present(3)",
            "应为 字段名，实际为 3（表达式 'present(3)' 第 9 列）",
            "expected a field name, found 3 at column 9 in 'present(3)'",
        ),
        ("a < 3 b", "多余的 'b'（表达式 'a < 3 b' 第 7 列）", "unexpected 'b' at column 7 in 'a < 3 b'"),
        ("a = 3", "意外的字符 '='（表达式 'a = 3' 第 3 列）", "unexpected character '=' at column 3 in 'a = 3'"),
        (
            "a < 2019-02-30",
            "日期 2019-02-30 无效（表达式 'a < 2019-02-30' 第 5 列）",
            "invalid date 2019-02-30 at column 5 in 'a < 2019-02-30'",
        ),
        ("3", "应为比较式（表达式 '3' 第 2 列）", "expected a comparison at column 2 in '3'"),
        (
            "(" * 65 + "a",
            f"嵌套超过 64 层（括号、not、函数调用）（表达式 '{'(' * 65}a' 第 66 列）",
            f"nested more than 64 levels deep (parentheses, not, calls) at column 66 in '{'(' * 65}a'",
        ),
    ],
)
def test_condition_syntax_errors_in_both_languages(text, zh, en):
    from fzcheck.engine.rules import language

    with pytest.raises(language.ConditionSyntaxError) as raised:
        language.parse_condition(text)
    assert (raised.value.message.text("zh"), raised.value.message.text("en"), str(raised.value)) == (zh, en, en)


def test_rules_which_bad_region_follows_lang():
    runner = CliRunner()
    zh = runner.invoke(cli, ["rules", "which", "--region", "53", "--date", "2020-01-01"])
    assert zh.exit_code == 2 and "错误：--region 的值无效：“53”不是 6 位数字的行政区划代码" in zh.output
    en = runner.invoke(cli, ["rules", "which", "--region", "53", "--date", "2020-01-01", "--lang", "en"])
    assert en.exit_code == 2 and "Invalid value for --region: '53' is not a 6-digit region code" in en.output
