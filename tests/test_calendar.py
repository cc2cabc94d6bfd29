import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.calendar import (
    Deadline,
    HolidayFileError,
    LegalCalendar,
    default_calendar,
    load_holiday_file,
)

D = dt.date.fromisoformat
HOLIDAYS = Path(__file__).parent / "data" / "holidays"
CAL = default_calendar()


# --- the State Council schedule -------------------------------------------------------------

@pytest.mark.parametrize("day, working", [
    ("2018-06-15", True),    # Friday before 端午 2018 (6/16–6/18)
    ("2018-06-16", False),
    ("2018-06-18", False),   # Monday, 端午 itself
    ("2018-06-19", True),
    ("2018-09-29", True),    # Saturday, make-up working day for 国庆 2018
    ("2019-09-29", True),    # Sunday, make-up working day for 国庆 2019
    ("2019-10-07", False),   # Monday inside 国庆 2019
    ("2019-10-12", True),    # Saturday, make-up working day
    ("2022-04-24", True),    # Sunday, make-up working day for 劳动节 2022
    ("2022-04-30", False),
    ("2022-05-02", False),
    ("2022-05-04", False),   # Wednesday inside 劳动节 2022
    ("2022-05-05", True),
    ("2022-05-07", True),    # Saturday, make-up working day
    ("2022-05-08", False),
])
def test_state_council_schedule(day, working):
    assert CAL.is_working_day(D(day)) is working


def test_period_ending_inside_duanwu_2018_moves_to_next_working_day():
    assert CAL.deadline_after(D("2018-06-01"), 15) == Deadline(D("2018-06-19"), False, D("2018-06-16"))


def test_period_ending_inside_guoqing_2019():
    assert CAL.deadline_after(D("2019-09-20"), 15) == Deadline(D("2019-10-08"), False, D("2019-10-05"))


def test_period_ending_on_make_up_working_weekend_is_not_moved():
    assert CAL.deadline_after(D("2019-09-14"), 15) == Deadline(D("2019-09-29"), False, None)
    assert CAL.deadline_after(D("2018-09-19"), 10) == Deadline(D("2018-09-29"), False, None)


def test_period_ending_inside_labour_day_2022():
    assert CAL.deadline_after(D("2022-04-15"), 15) == Deadline(D("2022-05-05"), False, D("2022-04-30"))
    assert CAL.deadline_after(D("2022-04-22"), 15) == Deadline(D("2022-05-07"), False, None)


def test_period_on_working_day_is_not_moved():
    assert CAL.deadline_after(D("2018-06-01"), 14) == Deadline(D("2018-06-15"), False, None)


def test_zero_and_negative_periods():
    assert CAL.deadline_after(D("2022-05-01"), 0) == Deadline(D("2022-05-05"), False, D("2022-05-01"))
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


# --- beyond the data ------------------------------------------------------------------------

def test_beyond_the_data_falls_back_to_weekends():
    assert not CAL.covers(D("2031-10-01"))
    assert CAL.covers(D("2022-10-01"))
    assert CAL.is_working_day(D("2031-10-01"))          # a Wednesday: 国庆 unknown to the fallback
    assert not CAL.is_working_day(D("2031-10-04"))
    assert CAL.deadline_after(D("2031-09-19"), 15) == Deadline(D("2031-10-06"), True, D("2031-10-04"))
    assert CAL.deadline_after(D("2031-09-16"), 15) == Deadline(D("2031-10-01"), True, None)
    assert CAL.nth_working_day_after(D("2031-09-26"), 1) == Deadline(D("2031-09-29"), True)


def test_fallback_only_when_a_judged_day_is_beyond_the_data():
    last_year = max(y for y in range(2000, 2100) if CAL.covers(dt.date(y, 1, 1)))
    start = dt.date(last_year, 12, 1)
    assert not CAL.deadline_after(start, 10).fallback
    assert CAL.deadline_after(start, 40).fallback
    assert CAL.nth_working_day_after(start, 30).fallback


@pytest.mark.parametrize("name", ["2031.yaml", "2031.csv"])
def test_user_holiday_file_extends_2031(name):
    extra = load_holiday_file(HOLIDAYS / name)
    cal = LegalCalendar(extra)
    assert cal.covers(D("2031-03-01"))
    assert not cal.is_working_day(D("2031-10-01"))
    assert cal.is_working_day(D("2031-09-28"))           # make-up Sunday
    assert not cal.is_working_day(D("2031-03-01"))       # plain Saturday, year covered by the file
    assert cal.deadline_after(D("2031-09-16"), 15) == Deadline(D("2031-10-08"), False, D("2031-10-01"))
    assert cal.nth_working_day_after(D("2031-09-26"), 1) == Deadline(D("2031-09-28"), False)
    assert cal.is_working_day(D("2019-09-29"))           # the packaged data still applies


def test_yaml_and_csv_files_agree():
    extra = load_holiday_file(HOLIDAYS / "2031.yaml")
    assert extra == load_holiday_file(HOLIDAYS / "2031.csv")
    assert extra[D("2031-01-01")] is False and extra[D("2031-10-11")] is True
    assert len(extra) == 8


def test_user_file_overrides_packaged_data():
    cal = LegalCalendar({D("2019-10-08"): False, D("2019-10-05"): True})
    assert cal.deadline_after(D("2019-09-20"), 15) == Deadline(D("2019-10-05"), False, None)
    assert cal.deadline_after(D("2019-09-21"), 15) == Deadline(D("2019-10-09"), False, D("2019-10-06"))


# --- bad holiday files ----------------------------------------------------------------------

@pytest.mark.parametrize("suffix, text, line, field", [
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
])
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
EXTENDED = LegalCalendar(load_holiday_file(HOLIDAYS / "2031.yaml"))
calendars = st.sampled_from([CAL, EXTENDED])


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
    assert result.fallback == any(not cal.covers(d) for d in [*between, result.due_on])


@settings(max_examples=400)
@given(cal=calendars, start=starts, n=st.integers(min_value=1, max_value=40))
def test_nth_working_day_properties(cal, start, n):
    result = cal.nth_working_day_after(start, n)
    assert cal.is_working_day(result.due_on)
    counted = [start + dt.timedelta(days=i) for i in range(1, (result.due_on - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in counted) == n
    assert result.fallback == any(not cal.covers(d) for d in counted)
    assert result.moved_from is None
