import csv
import datetime as dt
import hashlib
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.derive.calendar import (
    REST_DAY,
    SWAP_SEASON_DAYS,
    DayInfo,
    Deadline,
    HolidayFileError,
    LegalCalendar,
    default_calendar,
    load_holiday_file,
    read_holiday_file,
    revision_in_force,
    statutory_year,
)

D = dt.date.fromisoformat
HOLIDAYS = Path(__file__).parent / "data" / "holidays"
CAL = default_calendar()
NEW_YEAR = {"zh": "元旦", "en": "New Year's Day"}
NATIONAL_DAY = {"zh": "国庆节", "en": "National Day"}
LABOUR_DAY = {"zh": "劳动节", "en": "Labour Day"}
DRAGON_BOAT = {"zh": "端午节", "en": "Dragon Boat Festival"}


# --- the State Council schedule -------------------------------------------------------------


@pytest.mark.parametrize(
    "day, working",
    [
        ("2018-06-15", True),  # Friday before 端午 2018 (6/16–6/18)
        ("2018-06-16", False),
        ("2018-06-18", False),  # Monday, 端午 itself
        ("2018-06-19", True),
        ("2018-09-29", True),  # Saturday, make-up working day for 国庆 2018
        ("2019-09-29", True),  # Sunday, make-up working day for 国庆 2019
        ("2019-10-07", False),  # Monday inside 国庆 2019
        ("2019-10-12", True),  # Saturday, make-up working day
        ("2022-04-24", True),  # Sunday, make-up working day for 劳动节 2022
        ("2022-04-30", False),
        ("2022-05-02", False),
        ("2022-05-04", False),  # Wednesday inside 劳动节 2022
        ("2022-05-05", True),
        ("2022-05-07", True),  # Saturday, make-up working day
        ("2022-05-08", False),
    ],
)
def test_state_council_schedule(day, working):
    assert CAL.is_working_day(D(day)) is working


def test_period_ending_inside_duanwu_2018_moves_to_next_working_day():
    # chinesecalendar lists only the Monday of 6/16–6/18: the Saturday is a plain rest day
    assert CAL.deadline_after(D("2018-06-01"), 15) == Deadline(D("2018-06-19"), False, D("2018-06-16"), REST_DAY)


def test_period_ending_inside_guoqing_2019():
    assert CAL.deadline_after(D("2019-09-20"), 15) == Deadline(D("2019-10-08"), False, D("2019-10-05"), NATIONAL_DAY)


def test_period_ending_on_make_up_working_weekend_is_not_moved():
    assert CAL.deadline_after(D("2019-09-14"), 15) == Deadline(D("2019-09-29"), False, None)
    assert CAL.deadline_after(D("2018-09-19"), 10) == Deadline(D("2018-09-29"), False, None)


def test_period_ending_inside_labour_day_2022():
    assert CAL.deadline_after(D("2022-04-15"), 15) == Deadline(D("2022-05-05"), False, D("2022-04-30"), LABOUR_DAY)
    assert CAL.deadline_after(D("2022-04-22"), 15) == Deadline(D("2022-05-07"), False, None)


def test_period_on_working_day_is_not_moved():
    assert CAL.deadline_after(D("2018-06-01"), 14) == Deadline(D("2018-06-15"), False, None)


def test_zero_and_negative_periods():
    assert CAL.deadline_after(D("2022-05-01"), 0) == Deadline(D("2022-05-05"), False, D("2022-05-01"), LABOUR_DAY)
    with pytest.raises(ValueError):
        CAL.deadline_after(D("2022-05-01"), -1)
    with pytest.raises(ValueError):
        CAL.nth_working_day_after(D("2022-05-01"), 0)


def test_working_days_count_make_up_weekends():
    # 2022-04-29 (Fri) -> 4/30–5/4 off -> 5/5, 5/6, 5/7 (make-up Saturday)
    assert CAL.nth_working_day_after(D("2022-04-29"), 3) == Deadline(D("2022-05-07"), False)
    # 2019-09-27 (Fri) -> 9/29 (make-up Sunday), 9/30, then 国庆 -> 10/8
    assert CAL.nth_working_day_after(D("2019-09-27"), 3) == Deadline(D("2019-10-08"), False)
    assert CAL.nth_working_day_after(D("2018-06-15"), 1) == Deadline(D("2018-06-19"), False)


# --- beyond the data: the statutory holidays computed by law --------------------------------


def test_statutory_holidays_2027():
    law = statutory_year(2027)
    assert {d.isoformat(): keys for d, keys in law.holidays.items()} == {
        "2027-01-01": ("new_years_day",),  # Friday
        "2027-02-05": ("spring_festival",),  # 除夕 (Friday) .. 初三 (Monday)
        "2027-02-06": ("spring_festival",),
        "2027-02-07": ("spring_festival",),
        "2027-02-08": ("spring_festival",),
        "2027-04-05": ("tomb_sweeping_day",),  # the solar term 清明, Monday
        "2027-05-01": ("labour_day",),  # Saturday
        "2027-05-02": ("labour_day",),  # Sunday
        "2027-06-09": ("dragon_boat_festival",),  # 五月初五, Wednesday
        "2027-09-15": ("mid_autumn_festival",),  # 八月十五, Wednesday
        "2027-10-01": ("national_day",),  # Friday .. Sunday
        "2027-10-02": ("national_day",),
        "2027-10-03": ("national_day",),
    }
    # 补假 (Art. 6): each weekend holiday day gives the next free weekday, provisionally
    assert {d.isoformat(): key for d, key in law.substitutes.items()} == {
        "2027-02-09": "spring_festival",
        "2027-02-10": "spring_festival",
        "2027-05-03": "labour_day",
        "2027-05-04": "labour_day",
        "2027-10-04": "national_day",
        "2027-10-05": "national_day",
    }
    assert law.revisions == ("全国年节及纪念日放假办法 (2024年修订)",)


def test_statutory_days_in_the_calendar_2027():
    assert CAL.day_info(D("2027-01-01")) == DayInfo(D("2027-01-01"), False, NEW_YEAR, "statutory")
    assert CAL.day_info(D("2027-05-03")) == DayInfo(
        D("2027-05-03"), False, {"zh": "劳动节补假", "en": "Labour Day (substitute rest day)"}, "statutory", True, 2027
    )
    assert CAL.day_info(D("2027-01-02")) == DayInfo(D("2027-01-02"), False, None, "weekend", True, 2027)
    assert CAL.day_info(D("2027-03-10")) == DayInfo(D("2027-03-10"), True, None, "weekday")
    assert CAL.day_info(D("2027-03-13")) == DayInfo(D("2027-03-13"), False, None, "weekend")
    assert not CAL.is_working_day(D("2027-10-01")) and not CAL.is_working_day(D("2027-10-05"))
    assert CAL.is_working_day(D("2027-10-06"))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_law_reproduces_the_state_council_holidays(year):
    law = statutory_year(year)
    for day, keys in law.holidays.items():
        assert chinese_calendar.get_holiday_detail(day) == (True, chinese_calendar.Holiday[keys[0]].value)
    # the schedule's other weekday holidays are the 补假 days the model picks and the 调休 bridge days
    others = {d for d in chinese_calendar.holidays if d.year == year and d.weekday() < 5 and d not in law.holidays}
    assert set(law.substitutes) == others - set(chinese_calendar.in_lieu_days)


def test_every_revision_reproduces_the_packaged_holidays_2004_to_2026():
    for year in range(2004, 2027):
        for day in statutory_year(year).holidays:
            # chinesecalendar leaves out 端午 2012, a Saturday inside 6/22–6/24
            assert day in chinese_calendar.holidays or day == D("2012-06-23"), day


@pytest.mark.parametrize(
    "year, spring, labour, lunar, revisions",
    [
        (1999, ["02-16", "02-17", "02-18"], ["05-01"], False, ("(1949年)", "(1999年修订)")),  # 1999 text from 9/18
        (2003, ["02-01", "02-02", "02-03"], ["05-01", "05-02", "05-03"], False, ("(1999年修订)",)),
        (2008, ["02-06", "02-07", "02-08"], ["05-01"], True, ("(2007年修订)",)),  # 除夕–初二
        (2013, ["02-09", "02-10", "02-11"], ["05-01"], True, ("(2007年修订)",)),
        (2014, ["01-31", "02-01", "02-02"], ["05-01"], True, ("(2013年修订)",)),  # 初一–初三
        (2025, ["01-28", "01-29", "01-30", "01-31"], ["05-01", "05-02"], True, ("(2024年修订)",)),
    ],
)
def test_each_revision(year, spring, labour, lunar, revisions):
    law = statutory_year(year)
    keys = {key for ks in law.holidays.values() for key in ks}
    assert [d.strftime("%m-%d") for d, ks in law.holidays.items() if "spring_festival" in ks] == spring
    assert [d.strftime("%m-%d") for d, ks in law.holidays.items() if "labour_day" in ks] == labour
    assert ("mid_autumn_festival" in keys) is lunar and ("dragon_boat_festival" in keys) is lunar
    assert [title.split(" ")[1] for title in law.revisions] == list(revisions)
    assert len([d for d, ks in law.holidays.items() if "national_day" in ks]) == (2 if year < 1999 else 3)


def test_revision_in_force():
    assert revision_in_force(D("2024-12-31")).title == "全国年节及纪念日放假办法 (2013年修订)"
    assert revision_in_force(D("2025-01-01")).title == "全国年节及纪念日放假办法 (2024年修订)"
    assert revision_in_force(D("1930-01-01")).title == "全国年节及纪念日放假办法 (1949年)"


def _swap_days():
    """Every 调休 swap in the packaged data: make-up working days and weekday holidays the law does not give."""
    return sorted(
        {
            *chinese_calendar.workdays,
            *(d for d in chinese_calendar.holidays if d.weekday() < 5 and d not in statutory_year(d.year).holidays),
        }
    )


def test_every_packaged_swap_lies_in_a_swap_season():
    """The 10-day window covers every make-up working day and bridge day of 2004–2026."""
    one_off = {D("2015-09-03"), D("2015-09-04"), D("2015-09-06")}  # the 70th anniversary, decided that year
    swaps = _swap_days()
    assert len(swaps) > 300 and swaps[0].year == 2004 and swaps[-1].year == 2026
    farthest = {}
    for day in swaps:
        anchors = [
            a
            for year in (day.year - 1, day.year, day.year + 1)
            for a in (*statutory_year(year).holidays, *statutory_year(year).substitutes)
        ]
        distance = min(abs((day - a).days) for a in anchors)
        in_season = any(day in statutory_year(year).season for year in (day.year - 1, day.year, day.year + 1))
        assert in_season == (distance <= SWAP_SEASON_DAYS)
        if day not in one_off:
            farthest[day] = distance
            assert in_season, (day, distance)
        else:
            assert not in_season
    assert max(farthest.values()) == SWAP_SEASON_DAYS  # 2024-05-11, a make-up Saturday after 劳动节
    assert D("2018-12-29") in farthest and D("2018-12-31") in farthest  # 元旦 2019 swaps, set in December


def test_boundary_of_the_packaged_data_new_year_2027():
    """15 days after 2026-12-17 is 元旦 2027: due on Monday 2027-01-04, provisional (a swap could make the
    weekend 01-02/01-03 a working day, or 01-04 a rest day)."""
    due = CAL.deadline_after(D("2026-12-17"), 15)
    assert due == Deadline(D("2027-01-04"), True, D("2027-01-01"), NEW_YEAR, (2027,))
    assert due.fallback is True and due.moved_because["zh"] == "元旦"


def test_far_from_any_holiday_is_certain():
    assert CAL.deadline_after(D("2027-02-25"), 15) == Deadline(D("2027-03-12"), False)
    assert CAL.deadline_after(D("2027-02-27"), 15) == Deadline(D("2027-03-15"), False, D("2027-03-14"), REST_DAY)
    assert CAL.nth_working_day_after(D("2027-03-05"), 5) == Deadline(D("2027-03-12"), False)


def test_december_before_an_unscheduled_year_is_provisional():
    # 2026 is scheduled, but the 2027 notice settles the days before 元旦 (as 2018-12-29/31 for 2019)
    assert CAL.day_info(D("2026-12-28")) == DayInfo(D("2026-12-28"), True, None, "weekday", True, 2027)
    assert CAL.deadline_after(D("2026-12-10"), 15) == Deadline(D("2026-12-25"), True, provisional_years=(2027,))
    assert CAL.deadline_after(D("2026-12-01"), 15) == Deadline(D("2026-12-16"), False)
    assert CAL.swap_seasons(2026) == [(D("2026-12-22"), D("2026-12-31"), 2027)]


def test_deadline_across_two_unscheduled_years():
    # 元旦 2028 is a Saturday: 补假 on Monday 01-03 (provisional), due Tuesday
    assert CAL.deadline_after(D("2027-12-15"), 17) == Deadline(
        D("2028-01-04"), True, D("2028-01-01"), NEW_YEAR, (2028,)
    )
    assert CAL.nth_working_day_after(D("2027-09-20"), 100).provisional_years == (2027, 2028)


def test_beyond_the_data_the_law_and_the_weekend():
    assert not CAL.covers(D("2031-10-01"))
    assert CAL.covers(D("2022-10-01"))
    assert not CAL.is_working_day(D("2031-10-01"))  # 国庆 (and 中秋) by law
    assert not CAL.is_working_day(D("2031-10-04"))
    assert CAL.deadline_after(D("2031-09-19"), 15) == Deadline(
        D("2031-10-06"), True, D("2031-10-04"), REST_DAY, (2031,)
    )
    assert CAL.deadline_after(D("2031-09-16"), 15) == Deadline(
        D("2031-10-06"),
        True,
        D("2031-10-01"),
        {"zh": "中秋节、国庆节", "en": "Mid-autumn Festival, National Day"},
        (2031,),
    )
    assert CAL.nth_working_day_after(D("2031-09-26"), 1) == Deadline(D("2031-09-29"), True, provisional_years=(2031,))


def test_before_the_data():
    assert CAL.day_info(D("2003-10-01")) == DayInfo(D("2003-10-01"), False, NATIONAL_DAY, "statutory")
    # 1999 revision: 劳动节 5/1–5/3 (Thursday–Saturday), 补假 for the Saturday on Monday 5/5
    assert CAL.deadline_after(D("2003-04-16"), 15) == Deadline(
        D("2003-05-06"), True, D("2003-05-01"), LABOUR_DAY, (2003,)
    )
    assert CAL.deadline_after(D("2003-03-01"), 10) == Deadline(D("2003-03-11"), False)
    assert CAL.day_info(D("1994-06-04")).provisional  # before the five-day week


def test_provisional_only_when_a_judged_day_is_in_a_swap_season():
    last_year = max(y for y in range(2000, 2100) if CAL.covers(dt.date(y, 1, 1)))
    start = dt.date(last_year, 12, 1)
    assert not CAL.deadline_after(start, 10).provisional
    assert CAL.deadline_after(start, 40).provisional
    assert CAL.nth_working_day_after(start, 30).provisional


@pytest.mark.parametrize("name", ["2031.yaml", "2031.csv"])
def test_user_holiday_file_extends_2031(name):
    cal = LegalCalendar.from_files([HOLIDAYS / name])
    assert cal.covers(D("2031-03-01")) and cal.year_source(2031) == "user"
    assert not cal.is_working_day(D("2031-10-01"))
    assert cal.is_working_day(D("2031-09-28"))  # make-up Sunday
    assert not cal.is_working_day(D("2031-03-01"))  # plain Saturday, year covered by the file
    assert cal.deadline_after(D("2031-09-16"), 15) == Deadline(D("2031-10-08"), False, D("2031-10-01"), NATIONAL_DAY)
    assert cal.nth_working_day_after(D("2031-09-26"), 1) == Deadline(D("2031-09-28"), False)
    assert cal.is_working_day(D("2019-09-29"))  # the packaged data still applies
    # the file is the official schedule of 2031: nothing in it is provisional, the law fills what it leaves out
    assert cal.day_info(D("2031-09-28")) == DayInfo(
        D("2031-09-28"), True, {"zh": "国庆节调休上班", "en": "National Day (make-up working day)"}, "user"
    )
    assert cal.day_info(D("2031-01-01")).name == NEW_YEAR
    assert cal.day_info(D("2031-05-01")) == DayInfo(D("2031-05-01"), False, LABOUR_DAY, "statutory")
    assert not any(d.provisional for d in cal.year_days(2031) if d.date.month < 12)
    assert cal.day_info(D("2031-12-28")).provisional_year == 2032


def test_user_file_provenance():
    path = HOLIDAYS / "2031.yaml"
    cal = LegalCalendar.from_files([path])
    assert cal.provenance() == {
        "package": "chinesecalendar",
        "package_version": "1.11.0",
        "official_years": [2004, 2026],
        "user_files": [{"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "years": [2031]}],
        "statutory_rule": "全国年节及纪念日放假办法 (2024年修订)",
        "statutory_revisions": [
            {"title": "全国年节及纪念日放假办法 (1949年)", "effective": "1949-12-23"},
            {"title": "全国年节及纪念日放假办法 (1999年修订)", "effective": "1999-09-18"},
            {"title": "全国年节及纪念日放假办法 (2007年修订)", "effective": "2008-01-01"},
            {"title": "全国年节及纪念日放假办法 (2013年修订)", "effective": "2014-01-01"},
            {"title": "全国年节及纪念日放假办法 (2024年修订)", "effective": "2025-01-01"},
        ],
        "lunar_package": "lunar_python",
        "lunar_package_version": "1.4.8",
        "swap_season_days": 10,
    }
    assert CAL.provenance()["user_files"] == []


def test_packaged_data_is_the_pinned_release():
    assert chinese_calendar.__version__ == "1.11.0"
    assert max(chinese_calendar.holidays).year == 2026 and min(chinese_calendar.holidays).year == 2004


def test_year_days():
    days = {d.date.isoformat(): d for d in CAL.year_days(2024)}
    assert days["2024-02-04"] == DayInfo(
        D("2024-02-04"), True, {"zh": "春节调休上班", "en": "Spring Festival (make-up working day)"}, "state-council"
    )
    assert days["2024-10-07"].source == "state-council" and not days["2024-10-07"].working
    assert "2024-03-09" not in days and not any(d.provisional for d in days.values())
    days_2027 = CAL.year_days(2027)
    listed = [d for d in days_2027 if d.source not in ("weekend", "weekday")]
    assert len(listed) == 19 and sum(d.provisional for d in listed) == 6
    assert all(d.provisional for d in days_2027 if d.source in ("weekend", "weekday"))
    assert D("2027-03-12") not in {d.date for d in days_2027} and D("2027-01-11") in {d.date for d in days_2027}


def test_yaml_and_csv_files_agree():
    extra = load_holiday_file(HOLIDAYS / "2031.yaml")
    assert extra == load_holiday_file(HOLIDAYS / "2031.csv")
    assert extra[D("2031-01-01")] is False and extra[D("2031-10-11")] is True
    assert len(extra) == 8
    assert read_holiday_file(HOLIDAYS / "2031.yaml").names[D("2031-10-11")] == "国庆节调休上班"
    assert read_holiday_file(HOLIDAYS / "2031.csv").names[D("2031-01-01")] == "元旦"


def test_compact_dates_in_holiday_files(tmp_path):
    (tmp_path / "a.csv").write_text("date,type,name\n20270101,休,元旦\n20270102,班,\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("holidays:\n  - 20270101\n  - {date: '20270104', name: 元旦}\n", encoding="utf-8")
    assert load_holiday_file(tmp_path / "a.csv") == {D("2027-01-01"): False, D("2027-01-02"): True}
    assert load_holiday_file(tmp_path / "b.yaml") == {D("2027-01-01"): False, D("2027-01-04"): False}
    cal = LegalCalendar.from_files([tmp_path / "b.yaml"])
    assert cal.deadline_after(D("2026-12-17"), 15) == Deadline(D("2027-01-05"), False, D("2027-01-01"), NEW_YEAR)


def test_later_file_wins(tmp_path):
    (tmp_path / "a.yaml").write_text("holidays: [2027-01-04]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("workdays: [2027-01-04]\n", encoding="utf-8")
    cal = LegalCalendar.from_files([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert cal.is_working_day(D("2027-01-04")) and len(cal.provenance()["user_files"]) == 2


def test_user_file_overrides_packaged_data():
    cal = LegalCalendar({D("2019-10-08"): False, D("2019-10-05"): True})
    assert cal.deadline_after(D("2019-09-20"), 15) == Deadline(D("2019-10-05"), False, None)
    assert cal.deadline_after(D("2019-09-21"), 15) == Deadline(D("2019-10-09"), False, D("2019-10-06"), NATIONAL_DAY)
    assert cal.year_source(2019) == "state-council" and cal.is_working_day(D("2019-09-29"))
    assert cal.day_info(D("2019-10-08")) == DayInfo(D("2019-10-08"), False, {"zh": "节假日", "en": "a holiday"}, "user")


# --- bad holiday files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix, text, line, field",
    [
        (".csv", "date,type,name\n2031-01-01,休,元旦\n2031-02-30,休,x\n", 3, "date"),
        (".csv", "2031-01-01,rest,元旦\n", 1, "type"),
        (".csv", "2031-01-01\n", 1, "type"),
        (".csv", "2031-01-01,休\n2031-01-01,班\n", 2, "date"),
        (".yaml", "holidays:\n  - 2031-01-01\n  - 31-01-02\n", 3, "holidays.date"),
        (".yaml", "holidays:\n  - {name: 元旦}\n", 2, "holidays.date"),
        (".yaml", "holidays:\n  - {date: 2031-01-01, nmae: 元旦}\n", 2, "holidays.nmae"),
        (".yaml", "holiday:\n  - 2031-01-01\n", 1, "holiday"),
        (".yaml", "holidays: 2031-01-01\n", 1, "holidays"),
        (".yaml", "workdays:\n  - [2031-01-01]\n", 2, "workdays.date"),
        (".yaml", "holidays:\n  - 2031-01-04\nworkdays:\n  - 2031-01-04\n", 4, "date"),
        (".yaml", "- 2031-01-01\n", 1, None),
        (".yml", "holidays: [2031-01-01\n", 2, None),
    ],
)
def test_bad_holiday_files_name_file_line_and_field(tmp_path, suffix, text, line, field):
    path = tmp_path / f"holidays{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HolidayFileError) as info:
        load_holiday_file(path)
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert str(path) in str(err)
    assert err.message("en") and err.message("zh") != err.message("en")
    assert err.issue("en").message == err.message("en")


@pytest.mark.parametrize(
    "suffix, text, line, field, zh, en",
    [
        (
            ".yaml",
            "holidays:\n  - &d 2031-01-01\nworkdays:\n  - *d\n",
            2,
            None,
            "节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'&d'",
            "aliases (&anchor / *alias) are not allowed in holiday files: '&d'",
        ),
        (
            ".yaml",
            "holidays: [2031-01-01]\nworkdays: *d\n",
            2,
            None,
            "节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'*d'",
            "aliases (&anchor / *alias) are not allowed in holiday files: '*d'",
        ),
        (
            ".yaml",
            "holidays: " + "[" * 200 + "]" * 200 + "\n",
            1,
            None,
            "嵌套过深：节假日文件至多嵌套 100 层",
            "nested too deeply: holiday files may nest at most 100 levels",
        ),
        (
            ".yaml",
            "holidays: [" + "2031-01-01, " * 250_001 + "]\n",
            1,
            None,
            "值过多：节假日文件至多含 250,000 个值",
            "too many values: holiday files may hold at most 250,000 values",
        ),
        (
            ".yaml",
            "? [holidays]\n: [2031-01-01]\n",
            1,
            None,
            "键应为 holidays 或 workdays",
            "a key must be holidays or workdays",
        ),
        (
            ".yaml",
            "holidays:\n  - {[date]: 2031-01-01}\n",
            2,
            "holidays.date",
            "字段名应为 date 或 name",
            "a field must be date or name",
        ),
        (
            ".csv",
            '2031-01-01,休,"元旦' + "元" * 1000 + '"\n',
            1,
            None,
            "CSV 格式错误：field larger than field limit (1000)",
            "not valid CSV: field larger than field limit (1000)",
        ),
    ],
)
def test_hostile_holiday_files_are_holiday_file_errors(tmp_path, suffix, text, line, field, zh, en):
    path = tmp_path / f"holidays{suffix}"
    path.write_text(text, encoding="utf-8")
    previous = csv.field_size_limit(1000)  # process-wide: a reader may have raised it
    try:
        with pytest.raises(HolidayFileError) as info:
            load_holiday_file(path)
    finally:
        csv.field_size_limit(previous)
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert (err.message("zh"), err.message("en")) == (zh, en)


def test_oversized_holiday_file_is_refused_unread(tmp_path):
    from fzcheck.engine.sources.yamlsrc import MAX_FILE_BYTES

    path = tmp_path / "holidays.csv"
    path.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(HolidayFileError) as info:
        load_holiday_file(path)
    assert (info.value.line, info.value.message("zh"), info.value.message("en")) == (
        None,
        "文件过大（10.0 MB），节假日文件不得超过 10 MB",
        "file too large (10.0 MB): holiday files are limited to 10 MB",
    )


def test_missing_holiday_file(tmp_path):
    with pytest.raises(HolidayFileError, match="无法读取"):
        load_holiday_file(tmp_path / "nope.yaml")


def test_empty_holiday_files(tmp_path):
    (tmp_path / "a.yaml").write_text("", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("holidays:\nworkdays: []\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("date,type,name\n\n# none yet\n", encoding="utf-8")
    assert all(load_holiday_file(tmp_path / n) == {} for n in ("a.yaml", "b.yaml", "c.csv"))


def test_default_calendar_is_cached():
    assert default_calendar() is default_calendar()


# --- properties -----------------------------------------------------------------------------

starts = st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2032, 12, 31))
EXTENDED = LegalCalendar.from_files([HOLIDAYS / "2031.yaml"])
calendars = st.sampled_from([CAL, EXTENDED])


def schedule_missing(cal: LegalCalendar, day: dt.date) -> int | None:
    """The rule restated: the year whose missing schedule leaves ``day`` open, if any. A day is open when it
    lies within SWAP_SEASON_DAYS of a statutory holiday or 补假 day of a year with no official schedule, and
    no official source lists it and it is not itself a statutory holiday."""
    if (
        day in cal.extra
        or day in chinese_calendar.holidays
        or day in chinese_calendar.workdays
        or day in statutory_year(day.year).holidays
    ):
        return None
    for year in (day.year, day.year + 1, day.year - 1):
        if not cal.covers(dt.date(year, 1, 1)):
            law = statutory_year(year)
            if any(abs((day - a).days) <= SWAP_SEASON_DAYS for a in (*law.holidays, *law.substitutes)):
                return year
    return None


def missing_years(cal, days):
    return tuple(sorted({y for y in (schedule_missing(cal, d) for d in days) if y}))


@settings(max_examples=400)
@given(cal=calendars, start=starts, days=st.integers(min_value=0, max_value=60))
def test_deadline_properties(cal, start, days):
    result = cal.deadline_after(start, days)
    last = start + dt.timedelta(days=days)
    assert result.due_on >= last
    assert cal.is_working_day(result.due_on)
    between = [last + dt.timedelta(days=i) for i in range((result.due_on - last).days)]
    assert not any(cal.is_working_day(d) for d in between)
    assert result.moved_from == (last if between else None)
    assert (result.moved_because is None) == (not between)
    if between:
        assert result.moved_because == (cal.day_info(last).name or REST_DAY)
    consulted = [*between, result.due_on]
    assert result.provisional_years == missing_years(cal, consulted)
    assert result.provisional == result.fallback == bool(result.provisional_years)


@settings(max_examples=400)
@given(cal=calendars, start=starts, n=st.integers(min_value=1, max_value=40))
def test_nth_working_day_properties(cal, start, n):
    result = cal.nth_working_day_after(start, n)
    assert cal.is_working_day(result.due_on)
    counted = [start + dt.timedelta(days=i) for i in range(1, (result.due_on - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in counted) == n
    assert result.provisional_years == missing_years(cal, counted)
    assert result.provisional == bool(result.provisional_years)
    assert result.moved_from is None and result.moved_because is None


@settings(max_examples=300)
@given(day=st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_day_properties(day):
    info = CAL.day_info(day)
    law = statutory_year(day.year)
    assert info.date == day and info.working == CAL.is_working_day(day)
    assert info.provisional_year == schedule_missing(CAL, day) and info.provisional == bool(info.provisional_year)
    if CAL.covers(day):
        assert info.working == chinese_calendar.is_workday(day)
        assert info.source in ("state-council", "weekend", "weekday") or day == D("2012-06-23")
    else:
        assert info.working == (day.weekday() < 5 and day not in law.holidays and day not in law.substitutes)
        assert (info.source == "statutory") == (day in law.holidays or day in law.substitutes)
        assert info.source != "statutory" or info.name
    assert (info.source == "weekend") == (info.source in ("weekend", "weekday") and day.weekday() >= 5)
