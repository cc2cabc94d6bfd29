"""``fzcheck calendar show`` through click's CliRunner: exact exit codes and key lines."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli

HOLIDAYS = Path(__file__).parent / "data" / "holidays"


@pytest.fixture
def runner():
    return CliRunner()


def rows(output: str) -> dict[str, list[str]]:
    """The table rows by date: the cells after the date."""
    found = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().split("│")[1:-1]]
        if cells and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[0]):
            found[cells[0]] = cells[1:]
    return found


def test_show_2027_computed_by_law(runner):
    result = runner.invoke(cli, ["calendar", "show", "2027"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "2027年：国务院放假安排尚未载入（chinesecalendar 1.11.0 收录 2004–2026 年）；"
        "法定节假日按《全国年节及纪念日放假办法 (2024年修订)》计算，暂定"
    )
    table = rows(result.output)
    assert table["2027-01-01"] == ["星期五", "休息", "元旦", "法定（计算）", ""]
    assert table["2027-02-05"] == ["星期五", "休息", "春节", "法定（计算）", ""]
    assert table["2027-02-09"] == ["星期二", "休息", "春节补假", "法定（计算）", "暂定"]
    assert table["2027-05-01"] == ["星期六", "休息", "劳动节", "法定（计算）", ""]
    assert table["2027-05-03"] == ["星期一", "休息", "劳动节补假", "法定（计算）", "暂定"]
    assert table["2027-06-09"][2] == "端午节" and table["2027-09-15"][2] == "中秋节"
    assert [d for d, cells in table.items() if cells[2] == "国庆节"] == ["2027-10-01", "2027-10-02", "2027-10-03"]
    assert len(table) == 19
    assert "共 19 个非普通日期" in lines
    assert lines[-2] == (
        "2027年的调休安排（调休上班的周末、连休的工作日）未知；调休期（每个节假日及补假前后10日）为 "
        "2026-12-22至2027-01-11、2027-01-26至2027-02-20、2027-03-26至2027-04-15、2027-04-21至2027-05-14、"
        "2027-05-30至2027-06-19、2027-09-05至2027-10-15，依赖其中标为暂定日期的结果将标记为暂定。"
        "国务院公布的放假安排可用 --holidays FILE 载入。"
    )
    assert lines[-1] == (
        "2027-12-22至2027-12-31 在2028年的调休期内（2028年放假安排尚未载入），依赖这些日期的结果将标记为暂定。"
    )


def test_show_2027_in_english(runner):
    result = runner.invoke(cli, ["calendar", "show", "2027", "--lang", "en"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        "2027: no State Council schedule loaded (chinesecalendar 1.11.0 covers 2004–2026); "
        "statutory holidays computed by law, 全国年节及纪念日放假办法 (2024年修订) — provisional"
    )
    table = rows(result.output)
    assert table["2027-10-04"] == [
        "Mon",
        "rest",
        "National Day (substitute rest day)",
        "statutory (computed)",
        "provisional",
    ]
    assert table["2027-01-01"] == ["Fri", "rest", "New Year's Day", "statutory (computed)", ""]
    assert lines[-2].startswith("The 调休 swaps of 2027 (make-up working weekends, bridge days) are not known; ")
    assert "2026-12-22 – 2027-01-11, 2027-01-26 – 2027-02-20" in lines[-2]
    assert lines[-2].endswith(
        "outcomes that depend on a day marked provisional are flagged provisional. "
        "Load the State Council's schedule, once published, with --holidays FILE."
    )


def test_show_2024_state_council(runner):
    result = runner.invoke(cli, ["calendar", "show", "2024"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2024年：国务院放假安排（chinesecalendar 1.11.0）"
    table = rows(result.output)
    assert table["2024-01-01"] == ["星期一", "休息", "元旦", "国务院安排", ""]
    assert table["2024-02-04"] == ["星期日", "工作", "春节调休上班", "国务院安排", ""]
    assert table["2024-10-12"] == ["星期六", "工作", "国庆节调休上班", "国务院安排", ""]
    assert "2024-03-09" not in table and not any(cells[4] for cells in table.values())
    assert lines[-1] == f"共 {len(table)} 个非普通日期"
    assert "调休" not in lines[-1] and "暂定" not in "".join(lines[-2:])


def test_show_2026_names_the_december_days_that_wait_for_2027(runner):
    result = runner.invoke(cli, ["calendar", "show", "2026", "--lang", "en"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "2026-12-22 – 2026-12-31 lie in the swap season of 2027, whose schedule is not loaded; "
        "outcomes that depend on these days are flagged provisional."
    )


@pytest.mark.parametrize("name", ["2031.yaml", "2031.csv"])
def test_show_with_a_user_file(runner, name):
    path = HOLIDAYS / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = runner.invoke(cli, ["calendar", "show", "2031", "--holidays", str(path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        f"2031年：用户节假日文件 {path} (sha256 {digest[:12]})；"
        "文件未列出的法定节假日按《全国年节及纪念日放假办法》计算"
    )
    table = rows(result.output)
    assert table["2031-09-28"] == ["星期日", "工作", "国庆节调休上班", "用户文件", ""]
    assert table["2031-05-01"] == ["星期四", "休息", "劳动节", "法定（计算）", ""]
    assert not any(cells[4] for cells in table.values())


def test_show_json(runner):
    result = runner.invoke(cli, ["calendar", "show", "2027", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["year"] == 2027 and data["source"] == "statutory" and data["provisional"] is True
    assert data["provenance"]["package_version"] == "1.11.0"
    assert data["provenance"]["official_years"] == [2004, 2026]
    assert data["provenance"]["statutory_rule"] == "全国年节及纪念日放假办法 (2024年修订)"
    assert data["swap_seasons"][0] == {"from": "2026-12-22", "to": "2027-01-11", "schedule_year": 2027}
    days = {d["date"]: d for d in data["days"]}
    assert days["2027-01-01"] == {
        "date": "2027-01-01",
        "working": False,
        "name": {"zh": "元旦", "en": "New Year's Day"},
        "source": "statutory",
        "provisional": False,
        "provisional_year": None,
    }
    assert days["2027-01-02"] == {
        "date": "2027-01-02",
        "working": False,
        "name": None,
        "source": "weekend",
        "provisional": True,
        "provisional_year": 2027,
    }
    assert "2027-03-10" not in days


def test_show_json_with_a_user_file_records_its_hash(runner):
    path = HOLIDAYS / "2031.yaml"
    result = runner.invoke(cli, ["calendar", "show", "2031", "--holidays", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["source"] == "user" and data["provisional"] is False
    assert data["provenance"]["user_files"] == [
        {"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "years": [2031]}
    ]


def test_unreadable_holiday_file_exits_2_naming_it(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe holidays")
    result = runner.invoke(cli, ["calendar", "show", "2027", "--holidays", str(bad)])
    assert result.exit_code == 2
    assert f"错误：{bad}: 无法读取节假日文件：" in result.output


def test_bad_date_in_holiday_file_exits_2_with_line_and_field(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,type,name\n20270230,休,元旦\n", encoding="utf-8")
    result = runner.invoke(cli, ["calendar", "show", "2027", "--holidays", str(bad)])
    assert result.exit_code == 2
    assert f"错误：{bad}:2: date: 无效日期 '20270230'（应为 YYYY-MM-DD）" in result.output
    english = runner.invoke(cli, ["calendar", "show", "2027", "--holidays", str(bad), "--lang", "en"])
    assert english.exit_code == 2
    assert f"Error: {bad}:2: date: invalid date '20270230' (expected YYYY-MM-DD)" in english.output


def test_missing_holiday_file_and_bad_year_exit_2(runner, tmp_path):
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(cli, ["calendar", "show", "2027", "--holidays", str(missing)])
    assert result.exit_code == 2 and f"错误：'--holidays' 的值无效：'{missing}' 不存在。" in result.output
    result = runner.invoke(cli, ["calendar", "show", "2027", "--holidays", str(missing), "--lang", "en"])
    assert (
        result.exit_code == 2
        and f"Error: Invalid value for '--holidays': File '{missing}' does not exist." in result.output
    )
    result = runner.invoke(cli, ["calendar", "show", "year"])
    assert result.exit_code == 2 and "错误：'YEAR' 的值无效：'year' 不是有效的数值（integer range）。" in result.output


def test_help_has_examples(runner):
    result = runner.invoke(cli, ["calendar", "show", "--help"])
    assert result.exit_code == 0
    assert "fzcheck calendar show 2027" in result.output and "--holidays FILE" in result.output
    result = runner.invoke(cli, ["--help"])
    assert "calendar" in result.output
