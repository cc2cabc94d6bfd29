"""Hostile and broken user files (issue #16): bounded YAML, plain message placeholders, and a
broken waiver or holiday file contained to an input error of a finished check (exit 2)."""

from __future__ import annotations

import csv
import json
import resource
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.outcomes import waivers
from fzcheck.engine.outcomes.build import _SafeFormat
from fzcheck.engine.outcomes.waivers import WaiverError, load_waivers
from fzcheck.engine.rules import packs as rulesets
from fzcheck.engine.sources import yamlsrc

BROKEN_RULES = Path(__file__).parent / "data" / "rules" / "broken"
GOOD_RULES = Path(__file__).parent / "data" / "rules" / "good"

LATE = {
    "kind": "normative_document",
    "id": "cx-nd-late",
    "region_code": "532301",
    "agency": "楚雄市人民政府",
    "doc_number": "楚市政发〔2018〕12号",
    "title": "楚雄市某某管理办法",
    "signed_on": "2018-05-30",
    "published_on": "2018-06-01",
    "filed_on": "2018-06-20",
    "status": "in_force",
}
AS_OF = "2026-11-23"

WAIVERS_NOT_APPLIED = " (waiver file not applied: no outcome in this report is waived)"
HOLIDAYS_NOT_USED = (
    " (holiday file not used: this check counts periods by the packaged State Council schedule "
    "and the statutory holidays)"
)

#: a bound on refusing a bomb: an input not refused would run for hours or exhaust memory; refusing one
#: takes well under a second alone, but CI machines are shared (5 s flaked at a load average of 10)
BOMB_SECONDS = 60


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(autouse=True)
def small_csv_fields():
    """A CSV field limit of 1,000 characters: the csv module's limit is process-wide (a reader may
    raise it), so the tests of what happens past it set their own."""
    previous = csv.field_size_limit(1000)
    yield
    csv.field_size_limit(previous)


@pytest.fixture
def docs(tmp_path, monkeypatch) -> str:
    """A record with a late filing, in the current folder (so tables show short file names)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs.jsonl").write_text(json.dumps(LATE, ensure_ascii=False) + "\n", encoding="utf-8")
    return "docs.jsonl"


def billion_laughs(indent: str = "", levels: int = 9) -> str:
    """Nine levels of nine aliases each: 9**9 (387 million) strings once expanded."""
    lines = [f"{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    for level in range(1, levels):
        name, previous = chr(97 + level), chr(96 + level)
        lines.append(f"{indent}{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n")
    return "".join(lines)


def run_json(runner, *args) -> tuple[int, dict]:
    result = runner.invoke(cli, ["check", *args, "--as-of", AS_OF, "--format", "json"])
    assert result.stdout.startswith("{"), result.output
    return result.exit_code, json.loads(result.stdout)


def filing(report: dict) -> dict:
    [outcome] = [o for o in report["outcomes"] if o["rule_id"] == "ND-FILING-DEADLINE"]
    return outcome


def in_bounded_process(*args: str, memory: int = 1 << 30, timeout: float = 30) -> subprocess.CompletedProcess:
    """``fzcheck ARGS`` in a child process that may map at most ``memory`` bytes (RLIMIT_AS)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "fzcheck", *args], preexec_fn=limit, capture_output=True, text=True, timeout=timeout
    )


# --- a broken waiver file: an input error, the check is kept --------------------------------------


def test_broken_waiver_file_keeps_the_finished_check(runner, docs):
    Path("bad.yaml").write_text(
        "waivers:\n  - rule: ND-FILING-DEADLINE\n    record: cx-nd-late\n    reason: 补报\n"
        "    approver: 张三\n    expires: 2019-02-30\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check", docs, "--as-of", AS_OF, "--waivers", "bad.yaml"])
    assert result.exit_code == 2
    table = " ".join(result.output.split())  # the columns' widths and wrapping aside
    assert (
        "违规 错误 ND-FILING-DEADLINE 备案逾期：2018-06-01公布，最迟应于2018-06-19" in table
    )  # the outcomes are rendered
    assert "bad.yaml 6 expires 日期“2019-02-30”无效（豁免文件未应用：本报告中没有任何结果被豁免）" in table
    assert "豁免 0" in table and "输入错误 1" in table
    assert (
        result.stderr
        == "错误：bad.yaml:6: expires: 日期“2019-02-30”无效（豁免文件未应用：本报告中没有任何结果被豁免）\n"
    )
    code, report = run_json(runner, docs, "--waivers", "bad.yaml", "--lang", "en")
    assert code == 2
    assert report["errors"] == [
        {
            "file": "bad.yaml",
            "line": 6,
            "field": "expires",
            "message": "invalid date '2019-02-30'" + WAIVERS_NOT_APPLIED,
        }
    ]
    assert filing(report)["outcome"] == "violation" and report["summary"]["waived"] == 0
    assert report["summary"]["records"] == 1


WAIVER = "  - {rule: ND-FILING-DEADLINE, record: cx-nd-late, reason: 补报, approver: 张三, expires: 2027-06-30}\n"
BROKEN_WAIVERS = {
    "feb_30": (
        "w.yaml",
        "waivers:\n  - {rule: ND-*, record: cx-nd-*, reason: r, approver: a,\n     expires: 2019-02-30}\n",
        3,
        "expires",
        "invalid date '2019-02-30'",
    ),
    "bad_date": (
        "w.yaml",
        "- {rule: ND-*, record: x, reason: r, approver: a, expires: 下个月}\n",
        1,
        "expires",
        "invalid date '下个月'",
    ),
    "compact_bad_date": (
        "w.csv",
        "rule,record,reason,approver,expires\nND-*,x,r,a,20190230\n",
        2,
        "expires",
        "invalid date '20190230'",
    ),
    "missing_field": (
        "w.yaml",
        "waivers:\n" + WAIVER + "  - rule: ND-HEARING\n    record: x\n    reason: r\n    expires: 2027-01-01\n",
        3,
        "approver",
        "required",
    ),
    "empty_field": ("w.csv", "rule,record,reason,approver,expires\nND-*,x,,a,2027-01-01\n", 2, "reason", "required"),
    "not_a_mapping": ("w.yaml", "waivers:\n" + WAIVER + "  - ND-HEARING\n", 3, None, "each waiver must be a mapping"),
    "value_not_text": (
        "w.yaml",
        "- {rule: [ND-A, ND-B], record: x, reason: r, approver: a, expires: 2027-01-01}\n",
        1,
        "rule",
        "must be text, not a list",
    ),
    "unknown_field": (
        "w.yaml",
        "- {rule: ND-A, recrod: x, reason: r, approver: a, expires: 2027-01-01}\n",
        1,
        None,
        "unknown field 'recrod'; allowed: approver, expires, reason, record, rule, ruleset",
    ),
    "field_twice": ("w.yaml", "- {rule: ND-A, 规则编号: ND-B, record: x}\n", 1, "rule", "given twice (as '规则编号')"),
    "waivers_not_a_list": ("w.yaml", "waivers:\n  rule: ND-A\n", 2, None, "'waivers' must be a list"),
    "other_top_key": (
        "w.yaml",
        "waivers: []\nexceptions: []\n",
        2,
        None,
        "expected a list or a mapping with the single key 'waivers'",
    ),
    "scalar": ("w.yaml", "ND-FILING-DEADLINE\n", 1, None, "expected a list or a mapping with the single key 'waivers'"),
    "yaml_syntax": (
        "w.yaml",
        "waivers: [\n  {rule: ND-A\n",
        3,
        None,
        "not valid YAML: did not find expected ',' or '}'",
    ),
    "two_documents": (
        "w.yaml",
        "- " + WAIVER.strip()[2:] + "\n---\n- {}\n",
        2,
        None,
        "not valid YAML: but found another document",
    ),
    "not_utf8": (
        "w.csv",
        b"rule,record,reason,approver,expires\nND-*,x," + "补报".encode("gb18030") + b",a,2027-01-01\n",
        2,
        None,
        "not UTF-8: byte 0xb2 cannot be decoded; save the file as UTF-8",
    ),
    "csv_cells": (
        "w.csv",
        "rule,record,reason,approver,expires\nND-*,x,r,a,2027-01-01,more\n",
        2,
        None,
        "6 cells but 5 columns in the header",
    ),
    "csv_field_limit": (
        "w.csv",
        "rule,record,reason,approver,expires\nND-*,x," + "理" * 2000 + ",a,2027-01-01\n",
        2,
        None,
        "not valid CSV: field larger than field limit (1000)",
    ),
    "csv_old_mac_lines": (
        "w.csv",
        "rule,record,reason,approver,expires\rND-*,x,r,a,2027-02-30\r",
        2,
        "expires",
        "invalid date '2027-02-30'",
    ),
    "alias": (
        "w.yaml",
        "waivers:\n  - rule: ND-*\n    record: &r cx-nd-late\n    reason: *r\n",
        3,
        None,
        "aliases (&anchor / *alias) are not allowed in waiver files: '&r'",
    ),
    "merge_key": (
        "w.yaml",
        "- <<: *base\n  rule: ND-*\n",
        1,
        None,
        "aliases (&anchor / *alias) are not allowed in waiver files: '*base'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_WAIVERS))
def test_each_broken_waiver_file_is_an_input_error_of_the_kept_check(runner, docs, case):
    name, content, line, field, message = BROKEN_WAIVERS[case]
    path = Path(name)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, report = run_json(runner, docs, "--waivers", name, "--lang", "en")
    assert code == 2
    assert report["errors"] == [{"file": name, "line": line, "field": field, "message": message + WAIVERS_NOT_APPLIED}]
    assert filing(report)["outcome"] == "violation" and filing(report)["message"].startswith("Filed late")
    assert report["summary"]["waived"] == 0 and report["summary"]["violation"] >= 1
    with pytest.raises(WaiverError) as info:
        load_waivers(path)
    where = f"{name}:{line}" if line else name
    assert str(info.value) == (f"{where}: {field}: {message}" if field else f"{where}: {message}")


def test_unreadable_waiver_file_is_an_input_error(runner, docs, monkeypatch):
    Path("w.yaml").write_text("waivers:\n" + WAIVER, encoding="utf-8")
    with pytest.raises(WaiverError, match="^nope.yaml: cannot read waiver file: No such file or directory$"):
        load_waivers("nope.yaml")

    def refuse(path, what, limit=yamlsrc.MAX_FILE_BYTES):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(waivers, "read_limited", refuse)  # the name the waiver reader calls
    code, report = run_json(runner, docs, "--waivers", "w.yaml", "--lang", "en")
    assert code == 2
    assert report["errors"] == [
        {
            "file": "w.yaml",
            "line": None,
            "field": None,
            "message": "cannot read waiver file: Permission denied" + WAIVERS_NOT_APPLIED,
        }
    ]
    assert filing(report)["outcome"] == "violation"


def test_oversized_waiver_file_is_refused_unread(runner, docs):
    with open("big.yaml", "w", encoding="utf-8") as handle:
        handle.write("# padding\n" * (yamlsrc.MAX_FILE_BYTES // 10 + 1))
    code, report = run_json(runner, docs, "--waivers", "big.yaml", "--lang", "en")
    assert code == 2
    assert report["errors"] == [
        {
            "file": "big.yaml",
            "line": None,
            "field": None,
            "message": "file too large (10.0 MB): waiver files are limited to 10 MB" + WAIVERS_NOT_APPLIED,
        }
    ]


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "w.yaml",
            "waivers:\n  - {rule: 'ND-*', record: cx-nd-late, reason: 补报, approver: 张三, expires: 20270630}\n",
        ),
        ("w.yaml", "- {rule: 'ND-*', record: cx-nd-late, reason: 补报, approver: 张三, expires: '2027年6月30日'}\n"),
        ("w.csv", "规则编号,记录编号,理由,批准人,有效期至\nND-*,cx-nd-late,补报,张三,20270630\n"),
        ("w.csv", "rule,record,reason,approver,expires,\nND-*,cx-nd-late,补报,张三,2027/6/30,\n"),
    ],
)
def test_waiver_dates_as_everywhere(runner, docs, name, content):
    Path(name).write_text(content, encoding="utf-8")
    code, report = run_json(runner, docs, "--waivers", name)
    assert report["errors"] == [] and code == 0
    assert filing(report)["outcome"] == "waived" and filing(report)["waiver"]["expires"] == "2027-06-30"


def test_waiver_values_are_taken_as_written(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(
        "- {rule: ND-A, record: 010, reason: 'yes', approver: 1.5, expires: 2027-01-01, ruleset: ~}\n", encoding="utf-8"
    )
    [waiver] = load_waivers(path)
    assert (waiver.record, waiver.reason, waiver.approver, waiver.ruleset) == ("010", "yes", "1.5", None)


# --- a broken holiday file: the check runs with the packaged calendar -----------------------------


def test_broken_holiday_file_is_an_input_error_and_the_packaged_calendar_is_used(runner, docs):
    Path("h.yaml").write_text("holidays:\n  - 2018-06-19\n  - 2018-02-30\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", docs, "--as-of", AS_OF, "--holidays", "h.yaml"])
    assert result.exit_code == 2
    table = " ".join(result.output.split())
    assert "违规 错误 ND-FILING-DEADLINE 备案逾期：2018-06-01公布，最迟应于2018-06-19" in table
    assert "h.yaml 3 holidays.date 无效日期 '2018-02-30'" in table
    assert "（未使用该节假日文件：本次检查按内置的国务院放假安排和法定节假日计算期限）" in table
    assert result.stderr.startswith("错误：h.yaml:3: holidays.date: 无效日期 '2018-02-30'")
    code, report = run_json(runner, docs, "--holidays", "h.yaml", "--lang", "en")
    assert code == 2
    assert report["errors"] == [
        {
            "file": "h.yaml",
            "line": 3,
            "field": "holidays.date",
            "message": "invalid date '2018-02-30' (expected YYYY-MM-DD)" + HOLIDAYS_NOT_USED,
        }
    ]
    # the file's 2018-06-19 holiday was not used: the due day is the packaged calendar's
    assert filing(report)["evidence"]["due_on"] == "2018-06-19" and report["calendar"]["user_files"] == []
    Path("h.yaml").write_text("holidays:\n  - 2018-06-19\n", encoding="utf-8")
    code, report = run_json(runner, docs, "--holidays", "h.yaml", "--all")
    assert code == 1 and report["errors"] == [] and filing(report)["evidence"]["due_on"] == "2018-06-20"


@pytest.mark.parametrize(
    "name, content, line, zh, en",
    [
        (
            "h.yaml",
            "holidays:\n  - 2031-01-01\n  - &a [lol, lol, lol]\n  - [*a, *a, *a]\n",
            3,
            "节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'&a'",
            "aliases (&anchor / *alias) are not allowed in holiday files: '&a'",
        ),
        (
            "h.yaml",
            "holidays:\n  - &d 2031-01-01\nworkdays:\n  - *d\n",
            2,
            "节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'&d'",
            "aliases (&anchor / *alias) are not allowed in holiday files: '&d'",
        ),
        (
            "h.yaml",
            "holidays: " + "[" * 500 + "]" * 500 + "\n",
            1,
            "嵌套过深：节假日文件至多嵌套 100 层",
            "nested too deeply: holiday files may nest at most 100 levels",
        ),
        (
            "h.csv",
            "date,type,name\n2031-01-01,休," + "元" * 2000 + "\n",
            2,
            "CSV 格式错误：field larger than field limit (1000)",
            "not valid CSV: field larger than field limit (1000)",
        ),
    ],
)
def test_hostile_holiday_files(runner, docs, name, content, line, zh, en):
    Path(name).write_text(content, encoding="utf-8")
    started = time.perf_counter()
    code, report = run_json(runner, docs, "--holidays", name, "--lang", "en")
    assert time.perf_counter() - started < BOMB_SECONDS
    assert code == 2
    assert report["errors"] == [{"file": name, "line": line, "field": None, "message": en + HOLIDAYS_NOT_USED}]
    assert filing(report)["outcome"] == "violation"
    code, report = run_json(runner, docs, "--holidays", name)
    assert (
        report["errors"][0]["message"]
        == zh + "（未使用该节假日文件：本次检查按内置的国务院放假安排和法定节假日计算期限）"
    )


def test_billion_laughs_holiday_file_without_a_waiting_key(tmp_path):
    """The bomb where a date list is expected: refused at its first anchor, not composed."""
    from fzcheck.engine.derive.calendar import HolidayFileError, load_holiday_file

    path = tmp_path / "h.yaml"
    path.write_text("holidays: &a [2031-01-01, 2031-01-02]\nworkdays: [*a, *a]\n", encoding="utf-8")
    with pytest.raises(HolidayFileError) as info:
        load_holiday_file(path)
    assert (info.value.line, info.value.message("en")) == (
        1,
        "aliases (&anchor / *alias) are not allowed in holiday files: '&a'",
    )


# --- billion laughs: refused quickly and within bounded memory -------------------------------------


def _bombs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    (tmp_path / "lol-waivers.yaml").write_text(
        "waivers:\n  - rule: ND-FILING-DEADLINE\n    record: cx-nd-late\n    approver: 张三\n    expires: 2027-01-01\n"
        "    reason:\n" + billion_laughs("      "),
        encoding="utf-8",
    )
    (tmp_path / "lol-holidays.yaml").write_text(
        "holidays: [2031-01-01]\nlol:\n" + billion_laughs("  "), encoding="utf-8"
    )
    return {
        "waivers": (
            ["--waivers", "lol-waivers.yaml"],
            "lol-waivers.yaml:7: 豁免文件中不允许使用别名（&锚点 / *别名）：“&a”",
        ),
        "holidays": (
            ["--holidays", "lol-holidays.yaml"],
            "lol-holidays.yaml:3: 节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'&a'",
        ),
        "rules": (
            ["--rules-dir", str(BROKEN_RULES / "alias_bomb")],
            f"{BROKEN_RULES / 'alias_bomb'}/templates/normative_document.yaml:25: YAML 无效：别名“*e”展开过多："
            "规则文件最多 250,000 个值（别名展开后计）",
        ),
    }


@pytest.mark.parametrize("which", ["waivers", "holidays", "rules"])
def test_billion_laughs_is_refused_quickly(runner, docs, tmp_path, which):
    args, message = _bombs(tmp_path)[which]
    started = time.perf_counter()
    result = runner.invoke(cli, ["check", docs, "--as-of", AS_OF, *args])
    assert time.perf_counter() - started < BOMB_SECONDS
    assert result.exit_code == 2
    if which == "rules":  # rules load before anything is checked: a load error
        assert "规则文件有误" in result.output and message in result.output
    else:
        code, report = run_json(runner, docs, *args)
        assert code == 2 and filing(report)["outcome"] == "violation"
        file, line, problem = message.split(":", 2)
        [error] = report["errors"]
        assert (error["file"], error["line"]) == (file, int(line))
        assert error["message"].startswith(problem.strip())


@pytest.mark.parametrize("which", ["waivers", "holidays", "rules"])
def test_billion_laughs_runs_in_bounded_memory(docs, tmp_path, which):
    args, message = _bombs(tmp_path)[which]
    started = time.perf_counter()
    result = in_bounded_process("check", docs, "--as-of", AS_OF, "--format", "json", *args)
    assert time.perf_counter() - started < BOMB_SECONDS  # a fresh process: start-up and, for rules, a cold catalog
    assert result.returncode == 2, result.stderr
    if which == "rules":
        assert message.split(": ", 1)[1] in result.stderr
    else:
        report = json.loads(result.stdout)
        assert message.split(": ", 1)[1] in report["errors"][0]["message"]
        assert filing(report)["outcome"] == "violation"


# --- rule files -------------------------------------------------------------------------------------

FORMAT_SPECS = "placeholders take a plain name: {name}; format specs and conversions are not allowed"
FORMAT_SPECS_ZH = "占位符只能是简单名称：{name}；不允许格式说明和转换"
BROKEN_CASES = {
    "alias_bomb": (
        "templates/normative_document.yaml:25: not valid YAML: alias '*e' expands too far: rule files may "
        "hold at most 250,000 values with aliases expanded"
    ),
    "recursive_alias": "templates/normative_document.yaml:7: not valid YAML: recursive alias '*needs' (inside its own anchor)",
    "placeholder_format_spec": (
        "templates/normative_document.yaml:13: templates[0].outcomes[0].message.zh: "
        f"{FORMAT_SPECS}: '{{title:>300000000}}'"
    ),
    "placeholder_conversion": (
        f"templates/normative_document.yaml:13: templates[0].outcomes[0].message.en: {FORMAT_SPECS}: '{{title!r}}'"
    ),
    "placeholder_nested_spec": (
        "templates/normative_document.yaml:13: templates[0].outcomes[0].message.zh: "
        f"{FORMAT_SPECS}: '{{days_late:{{limit_days}}}}'"
    ),
}


BROKEN_CASES_ZH = {
    "alias_bomb": (
        "templates/normative_document.yaml:25: YAML 无效：别名“*e”展开过多：规则文件最多 250,000 个值（别名展开后计）"
    ),
    "recursive_alias": "templates/normative_document.yaml:7: YAML 无效：递归别名“*needs”（在其自身的锚点之内）",
    "placeholder_format_spec": (
        f"templates/normative_document.yaml:13: templates[0].outcomes[0].message.zh: {FORMAT_SPECS_ZH}：“{{title:>300000000}}”"
    ),
    "placeholder_conversion": (
        f"templates/normative_document.yaml:13: templates[0].outcomes[0].message.en: {FORMAT_SPECS_ZH}：“{{title!r}}”"
    ),
    "placeholder_nested_spec": (
        "templates/normative_document.yaml:13: templates[0].outcomes[0].message.zh: "
        f"{FORMAT_SPECS_ZH}：“{{days_late:{{limit_days}}}}”"
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_each_hostile_rule_file_names_file_line_and_path(runner, case):
    result = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(BROKEN_RULES / case), "--lang", "en"])
    assert result.exit_code == 2
    assert "rule files are invalid:" in result.output
    assert BROKEN_CASES[case] in result.output.replace(str(BROKEN_RULES / case) + "/", "")
    chinese = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(BROKEN_RULES / case)])
    assert chinese.exit_code == 2
    assert "规则文件有误" in chinese.output
    assert BROKEN_CASES_ZH[case] in chinese.output.replace(str(BROKEN_RULES / case) + "/", "")


def test_format_spec_rule_is_a_load_error_of_check(runner, docs):
    started = time.perf_counter()
    result = runner.invoke(cli, ["check", docs, "--rules-dir", str(BROKEN_RULES / "placeholder_format_spec")])
    assert time.perf_counter() - started < BOMB_SECONDS
    assert result.exit_code == 2
    assert BROKEN_CASES_ZH["placeholder_format_spec"] in result.output.replace(
        str(BROKEN_RULES / "placeholder_format_spec") + "/", ""
    )
    english = runner.invoke(
        cli, ["check", docs, "--rules-dir", str(BROKEN_RULES / "placeholder_format_spec"), "--lang", "en"]
    )
    assert english.exit_code == 2
    assert BROKEN_CASES["placeholder_format_spec"] in english.output.replace(
        str(BROKEN_RULES / "placeholder_format_spec") + "/", ""
    )


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{title:>300000000}", "'{title:>300000000}'"),
        ("{title!r}", "'{title!r}'"),
        ("{title!s:>9}", "'{title!s:>9}'"),
        ("{basis[0]}", "'{basis[0]}'"),
        ("{basis.type}", "'{basis.type}'"),
        ("{due_on:{limit_days}}", "'{due_on:{limit_days}}'"),
        ("{}", "'{}'"),
        ("{0}", "'{0}'"),
        ("{ due_on }", "'{ due_on }'"),
    ],
)
def test_placeholders_take_a_plain_name(text, problem):
    with pytest.raises(ValueError) as info:
        rulesets._placeholders(f"逾期 {text} 日")
    assert str(info.value) == f"{FORMAT_SPECS}: {problem}"


def test_placeholders_plain_names_and_literal_braces():
    assert rulesets._placeholders("应于{due_on}前（{{注}}）{days_late}日") == ["due_on", "days_late"]
    with pytest.raises(
        ValueError,
        match=r"^not a valid message: Single '\{' encountered in format string "
        r"\(write \{\{ and \}\} for a literal brace\)$",
    ):
        rulesets._placeholders("应于{due_on}前{")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("{title:>300000000}", "{title:>300000000}"),
        ("逾期{days_late}日{title!r}", "逾期3日{title!r}"),
        ("{title[0]}{title.upper}{title:{days_late}}", "{title[0]}{title.upper}{title:{days_late}}"),
        ("{{literal}} {missing} {title}", "{literal} — 楚雄"),
        ("unbalanced { brace", "unbalanced { brace"),
        ("{}{0}", "{}{0}"),
    ],
)
def test_runtime_formatting_substitutes_plain_names_only(text, shown):
    # no timing needed: a width or a conversion applied would not give ``shown`` (300,000,000 characters)
    assert _SafeFormat({"title": "楚雄", "days_late": "3"}).render(text) == shown


def test_a_message_that_bypassed_the_loader_is_shown_as_written(runner, docs, monkeypatch):
    """If a `{title:>300000000}` message reached evaluation, it would be printed, not padded to 300 MB."""

    def unchecked(text: str) -> list[str]:  # the loader's check before issue #16
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]

    monkeypatch.setattr(rulesets, "_placeholders", unchecked)
    started = time.perf_counter()
    result = runner.invoke(
        cli,
        [
            "check",
            docs,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--rules-dir",
            str(BROKEN_RULES / "placeholder_format_spec"),
        ],
    )
    assert time.perf_counter() - started < BOMB_SECONDS
    assert result.exit_code == 1, result.output
    [late] = [o for o in json.loads(result.stdout)["outcomes"] if o["rule_id"] == "T-FILING"]
    assert late["message"].startswith("备案逾期：{title:>300000000}应于2018-06-19前报送备案")
    assert len(late["message"]) < 200


def test_rule_files_may_share_values_with_anchors(tmp_path):
    """The packaged templates share outcome lists between rules (&name / *name): expanded; a value
    reached through an alias has the lines of its anchor, where it is written."""
    path = tmp_path / "t.yaml"
    path.write_text("a: &shared\n  - x: 1\n  - y: [2, 3]\nb: *shared\n", encoding="utf-8")
    data, lines = yamlsrc.load_yaml(path)
    assert data == {"a": [{"x": 1}, {"y": [2, 3]}], "b": [{"x": 1}, {"y": [2, 3]}]}
    assert lines.line_of(("a", 1, "y")) == 3 and lines.line_of(("b", 1, "y")) == 3


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "x: " + "[" * 500 + "]" * 500 + "\n",
            "line 1: nested too deeply: rule files may nest at most 100 levels with aliases expanded",
        ),
        (
            "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 50 + "*a" + "]" * 50 + "\n",
            "line 2: alias '*a' expands too far: rule files may nest at most 100 levels with aliases expanded",
        ),
        (
            "a: &a " + "x" * 3_000_000 + "\nb: [*a, *a, *a, *a]\n",
            "line 2: alias '*a' expands too far: rule files may hold at most 10,485,760 characters of text with aliases "
            "expanded",
        ),
        (
            "v: [" + "1, " * 260_000 + "]\n",
            "line 1: too many values: rule files may hold at most 250,000 values with aliases expanded",
        ),
    ],
)
def test_rule_file_limits(tmp_path, content, message):
    path = tmp_path / "t.yaml"
    path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(yamlsrc.BoundedYAMLError) as info:
        yamlsrc.load_yaml(path)
    assert time.perf_counter() - started < BOMB_SECONDS
    assert str(info.value) == message


def test_oversized_rule_file_is_a_load_error(runner, tmp_path):
    rules = tmp_path / "rules"
    for part in ("demo", "templates"):
        (rules / part).mkdir(parents=True)
        for source in (GOOD_RULES / part).iterdir():
            (rules / part / source.name).write_bytes(source.read_bytes())
    with (rules / "templates" / "normative_document.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * (yamlsrc.MAX_FILE_BYTES // 10))
    result = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(rules), "--lang", "en"])
    assert result.exit_code == 2
    assert (
        f"{rules}/templates/normative_document.yaml: not valid YAML: file too large (10.0 MB): rule files are "
        "limited to 10 MB"
    ) in result.output
    chinese = runner.invoke(cli, ["rules", "lint", "--rules-dir", str(rules)])
    assert chinese.exit_code == 2
    assert (
        f"{rules}/templates/normative_document.yaml: YAML 无效：文件过大（10.0 MB）：规则文件最大 10 MB"
    ) in chinese.output


# --- the bounded loader other readers use ------------------------------------------------------------


@pytest.mark.parametrize("base", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_no_alias_loader_refuses_aliases_and_keeps_the_base_loader(base):
    class RecordLoader(yamlsrc.no_alias_loader(base, "record files")):
        pass

    loader = RecordLoader("---\n- {id: a, day: 2019-03-04}\n---\nid: b\n")
    documents = []
    try:
        while loader.check_node():
            documents.append(loader.construct_document(loader.get_node()))
    finally:
        loader.dispose()
    assert documents[1] == {"id": "b"} and str(documents[0][0]["day"]) == "2019-03-04"
    for text, line, token in [("- id: a\n- &x {id: b}\n", 2, "&x"), ("- id: a\n- *x\n", 2, "*x")]:
        with pytest.raises(yamlsrc.BoundedYAMLError) as info:
            yaml.load(text, Loader=RecordLoader)
        assert (info.value.kind, info.value.line, info.value.token) == ("alias", line, token)
        assert info.value.problem == f"aliases (&anchor / *alias) are not allowed in record files: '{token}'"
    with pytest.raises(yamlsrc.BoundedYAMLError, match="nested too deeply"):
        yaml.load("[" * 1000 + "]" * 1000, Loader=RecordLoader)
    with pytest.raises(yaml.YAMLError, match="expected ','"):
        yaml.load("[a, b", Loader=RecordLoader)


def test_read_limited(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 11)
    assert yamlsrc.read_limited(path, "record files", limit=11) == b"x" * 11
    with pytest.raises(yamlsrc.BoundedYAMLError) as info:
        yamlsrc.read_limited(path, "record files", limit=10)
    assert (info.value.kind, info.value.size, info.value.line) == ("size", 11, None)
