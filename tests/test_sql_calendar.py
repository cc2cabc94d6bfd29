"""The legal calendar as a table (engine/sql/calendar.py) computes, in SQLite and in DuckDB, the
deadlines and provisional flags the Python calendar computes (issue #11): random periods over 1999-2031,
with the packaged schedule and with a user holiday file, and at the edges (a period ending on the last
day of a Golden Week, a make-up working day, a year whose schedule is not official)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from fzcheck.engine.derive.calendar import LegalCalendar, default_calendar
from fzcheck.engine.sql import calendar as table

HOLIDAYS = Path(__file__).resolve().parent / "data" / "holidays" / "2031.yaml"
FIRST, LAST = dt.date(1999, 1, 1), dt.date(2031, 12, 31)
SPAN = table.span_needed(FIRST, LAST, 2 * 30 + 60)


def _holiday_calendar() -> LegalCalendar:
    """The packaged schedule and a user file's 2031 (a year the package does not have)."""
    calendar = LegalCalendar.from_files([HOLIDAYS])
    assert calendar.official(2031) and not default_calendar().official(2031)
    return calendar


CALENDARS = {"packaged": default_calendar, "with-holiday-file": _holiday_calendar}


class _Database:
    def __init__(self, engine: str, calendar: LegalCalendar):
        self.dialect = engine
        self.connection = sqlite3.connect(":memory:") if engine == "sqlite" else duckdb.connect(":memory:")
        assert table.install(self.connection, engine, calendar, *SPAN) == (SPAN[1] - SPAN[0]).days + 1

    def value(self, expression: exp.Expression):
        return self.connection.execute(exp.select(expression).sql(dialect=self.dialect)).fetchone()[0]


@pytest.fixture(scope="module", params=[(engine, name) for engine in ("sqlite", "duckdb") for name in CALENDARS])
def database(request):
    engine, name = request.param
    calendar = CALENDARS[name]()
    return _Database(engine, calendar), calendar


def _day(value: dt.date) -> exp.Expression:
    return exp.Literal.number(value.toordinal())


def _n(value: int) -> exp.Expression:
    return exp.Literal.number(value)


def _check_deadline(database, calendar, start: dt.date, days: int) -> None:
    expected = calendar.deadline_after(start, days)
    assert database.value(table.deadline_after(_day(start), _n(days))) == expected.due_on.toordinal()
    assert database.value(table.deadline_after_provisional(_day(start), _n(days))) == int(expected.provisional)


def _check_working_days(database, calendar, start: dt.date, n: int) -> None:
    expected = calendar.nth_working_day_after(start, n)
    assert database.value(table.nth_working_day_after(_day(start), _n(n))) == expected.due_on.toordinal()
    assert database.value(table.nth_working_day_provisional(_day(start), _n(n))) == int(expected.provisional)


@settings(max_examples=150, deadline=None)
@given(start=st.dates(FIRST, LAST), days=st.integers(0, 60))
def test_days_periods_match_the_python_calendar(database, start, days):
    _check_deadline(*database, start, days)


@settings(max_examples=150, deadline=None)
@given(start=st.dates(FIRST, LAST), n=st.integers(1, 30))
def test_working_day_periods_match_the_python_calendar(database, start, n):
    _check_working_days(*database, start, n)


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (dt.date(2019, 9, 16), 15),  # ends 2019-10-01, National Day: moved to 10-08
        (dt.date(2019, 9, 27), 2),  # ends on 2019-09-29, a make-up working Sunday: not moved
        (dt.date(2031, 9, 20), 15),  # a year whose schedule is not official: provisional
        (dt.date(2020, 1, 1), 0),
    ],
)
def test_edges_of_days_periods(database, start, days):
    _check_deadline(*database, start, days)
    _check_working_days(*database, start, max(days, 1))


def test_the_provisional_edges_are_really_exercised():
    calendar = default_calendar()
    assert calendar.deadline_after(dt.date(2031, 9, 20), 15).provisional
    assert not calendar.deadline_after(dt.date(2019, 9, 16), 15).provisional
    assert calendar.deadline_after(dt.date(2019, 9, 16), 15).due_on == dt.date(2019, 10, 8)


def test_a_day_outside_the_table_is_null_and_a_reversed_span_is_refused():
    database = _Database("sqlite", default_calendar())
    outside = dt.date(1990, 1, 1)
    assert database.value(table.deadline_after(_day(outside), _n(3))) is None
    assert database.value(table.nth_working_day_provisional(_day(outside), _n(3))) is None
    with pytest.raises(ValueError, match="ends"):
        table.calendar_rows(default_calendar(), dt.date(2020, 1, 2), dt.date(2020, 1, 1))


def test_the_nth_working_day_is_looked_up_by_index_on_sqlite():
    """Without the index SQLite scans the whole calendar for each subject's working-day deadline
    (bench/bench_engines.py: 2,682 cases took 10 s, with it 0.02 s)."""
    connection = sqlite3.connect(":memory:")
    table.install(connection, "sqlite", default_calendar(), *SPAN)
    start = exp.Literal.number(dt.date(2024, 9, 27).toordinal())
    query = exp.select(table.nth_working_day_after(start, exp.Literal.number(7))).sql(dialect="sqlite")
    plan = " ".join(str(row[-1]) for row in connection.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert (
        f"USING COVERING INDEX {table.TABLE}_working_index" in plan
        or f"USING INDEX {table.TABLE}_working_index" in plan
    ), plan
    assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan
