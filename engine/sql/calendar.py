"""The legal calendar as a table, so that "N日内" and "N个工作日" are integer arithmetic and equality
lookups in SQL (issue #11).

The table is built at run start from the same :class:`~fzcheck.engine.derive.calendar.LegalCalendar`
the Python path uses (State Council schedule, ``--holidays`` files, the statutory fallback and its
provisional days), one row per day of the span the run needs:

- ``day``: the day number (``date.toordinal``, as ``values.py`` holds dates), and its ``year``,
  ``month`` and ``day_of_month`` (no dialect-free SQL turns a day number into a date's parts);
- ``working``: 1 on a working day (a make-up working day included), else 0;
- ``working_index``: how many working days there are from the span's first day through this one, so
  the n-th working day after ``d`` is the working day whose index is ``working_index(d) + n``;
- ``next_working``: the first working day on or after this one (a period's last day moved past rest
  days and holidays);
- ``provisional``: 1 when whether the day is worked rests on a schedule not yet official, and
  ``provisional_through``: how many such days there are through this one, so "does the period touch
  a provisional day" is a difference of two lookups.

The lowerings below are scalar subqueries on ``day`` (the primary key), which SQLite answers by
index and DuckDB and PostgreSQL decorrelate into joins. A day outside the table gives NULL, like a
missing value; :func:`span_needed` says which span a run's dates need, and :func:`calendar_rows`
refuses to build less.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlglot import exp

from ..derive.calendar import LegalCalendar

TABLE = "legal_calendar"
COLUMNS = (
    "day",
    "year",
    "month",
    "day_of_month",
    "working",
    "working_index",
    "next_working",
    "provisional",
    "provisional_through",
)

#: the longest run of consecutive rest days the calendar has had (the 1999-2007 Golden Weeks with
#: their weekends: 9 days) with room to spare: how far past a period's nominal last day the table
#: must reach for ``next_working`` to be known
REST_RUN_MARGIN = 31

_DDL = (
    f"CREATE TABLE {TABLE} (day BIGINT PRIMARY KEY, year BIGINT NOT NULL, month BIGINT NOT NULL, "
    "day_of_month BIGINT NOT NULL, working BIGINT NOT NULL, "
    "working_index BIGINT NOT NULL, "
    "next_working BIGINT, provisional BIGINT NOT NULL, provisional_through BIGINT NOT NULL)"
)


#: "the n-th working day after" looks a day up by its working-day index (``nth_working_day_after``):
#: without this index SQLite scans the whole table for each subject (measured by
#: bench/bench_engines.py: 2,682 enforcement cases took 10 s, with the index 0.02 s). Plain SQL that
#: SQLite, DuckDB and PostgreSQL take as it is (sqlglot would add SQLite's NULLS LAST).
INDEX_STATEMENT = f"CREATE INDEX {TABLE}_working_index ON {TABLE} (working_index, working)"


def create_statement(dialect: str) -> str:
    """The table's ``CREATE TABLE`` in one dialect (sqlglot's name: sqlite, duckdb, postgres, spark)."""
    return exp.maybe_parse(_DDL, dialect="duckdb").sql(dialect=dialect)


def span_needed(first_start: dt.date, last_start: dt.date, longest_period_days: int) -> tuple[dt.date, dt.date]:
    """The days the table must hold for periods starting between the two days and lasting at most
    ``longest_period_days`` calendar days (a working-day period of n days lasts at most about
    ``2 * n + REST_RUN_MARGIN`` calendar days: pass that)."""
    return first_start, last_start + dt.timedelta(days=longest_period_days + REST_RUN_MARGIN)


def calendar_rows(
    calendar: LegalCalendar, first: dt.date, last: dt.date
) -> list[tuple[int, int, int, int, int, int, int | None, int, int]]:
    """One row per day from ``first`` through ``last`` (``COLUMNS``). ``next_working`` is NULL for the
    last days when no working day follows them inside the span: build the span :func:`span_needed`
    gives, which never leaves a period's day there."""
    if last < first:
        raise ValueError(f"the calendar span ends ({last}) before it starts ({first})")
    days: list[dt.date] = []
    day = first
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=1)
    working = [calendar.is_working_day(day) for day in days]
    provisional = [calendar.day_info(day).provisional for day in days]
    next_working: list[int | None] = [None] * len(days)
    upcoming: int | None = None
    for position in range(len(days) - 1, -1, -1):
        if working[position]:
            upcoming = days[position].toordinal()
        next_working[position] = upcoming
    rows = []
    working_index = provisional_through = 0
    for position, day in enumerate(days):
        working_index += working[position]
        provisional_through += provisional[position]
        rows.append(
            (
                day.toordinal(),
                day.year,
                day.month,
                day.day,
                int(working[position]),
                working_index,
                next_working[position],
                int(provisional[position]),
                provisional_through,
            )
        )
    return rows


class Connection(Protocol):
    """A DB-API connection (sqlite3, duckdb)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


def install(connection: Connection, dialect: str, calendar: LegalCalendar, first: dt.date, last: dt.date) -> int:
    """Create the table in ``connection`` (sqlglot's dialect name) and fill it for ``first`` through
    ``last``; the number of days. The rows go in as one ``INSERT ... VALUES`` of integers this module
    computed (DuckDB takes parameters row by row, about a millisecond each), then the index of the
    working-day lookups."""
    rows = calendar_rows(calendar, first, last)
    connection.execute(create_statement(dialect))
    values = ", ".join(
        "(" + ", ".join("NULL" if value is None else str(int(value)) for value in row) + ")" for row in rows
    )
    connection.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES {values}")
    connection.execute(INDEX_STATEMENT)
    return len(rows)


def _lookup(column: str, day: exp.Expression) -> exp.Expression:
    """``(SELECT <column> FROM legal_calendar WHERE day = <day>)``. Every use of an argument is a copy:
    a sqlglot node belongs to one parent, and the lowerings read their arguments more than once."""
    return exp.Subquery(
        this=exp.select(column).from_(TABLE).where(exp.EQ(this=exp.column("day"), expression=day.copy()))
    )


def year_of(day: exp.Expression) -> exp.Expression:
    """The calendar year of a day number."""
    return _lookup("year", day)


def day_in_year(year: exp.Expression, month: exp.Expression, day_of_month: exp.Expression) -> exp.Expression:
    """The day number of a date given by its parts (NULL for a date that does not exist)."""
    query = (
        exp.select("day")
        .from_(TABLE)
        .where(
            exp.and_(
                exp.column("year").eq(year.copy()),
                exp.column("month").eq(month.copy()),
                exp.column("day_of_month").eq(day_of_month.copy()),
            )
        )
    )
    return exp.Subquery(this=query)


def _plus(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return exp.Paren(this=exp.Add(this=left.copy(), expression=right.copy()))


def deadline_after(start: exp.Expression, days: exp.Expression) -> exp.Expression:
    """ "N日内": the day number of ``start + days``, moved forward past rest days and holidays
    (``LegalCalendar.deadline_after``)."""
    return _lookup("next_working", _plus(start, days))


def deadline_after_provisional(start: exp.Expression, days: exp.Expression) -> exp.Expression:
    """1 when a day from the nominal last day through the moved one is provisional, else 0."""
    last = _plus(start, days)
    through_due = _lookup("provisional_through", deadline_after(start, days))
    before_last = exp.Paren(
        this=exp.Sub(this=_lookup("provisional_through", last), expression=_lookup("provisional", last))
    )
    return _positive(exp.Sub(this=through_due, expression=before_last))


def nth_working_day_after(start: exp.Expression, n: exp.Expression) -> exp.Expression:
    """ "N个工作日": the n-th working day after ``start``, ``start`` not counted
    (``LegalCalendar.nth_working_day_after``).

    One subquery correlated only by ``day = start``: the start's row joined to the working day whose
    index is n more. (The lookup of the index nested inside the condition, as it was, made DuckDB
    join every distinct start day with the whole calendar before filtering: 17,838 cases took 0.39 s,
    this form 0.05 s, the same days; bench/bench_engines.py.)"""
    since, due = f"{TABLE}_since", f"{TABLE}_due"
    query = (
        exp.select(exp.column("day", table=due))
        .from_(exp.alias_(exp.to_table(TABLE), since, table=True))
        .join(
            exp.alias_(exp.to_table(TABLE), due, table=True),
            on=exp.and_(
                exp.EQ(
                    this=exp.column("working_index", table=due),
                    expression=_plus(exp.column("working_index", table=since), n),
                ),
                exp.column("working", table=due).eq(1),
            ),
        )
        .where(exp.EQ(this=exp.column("day", table=since), expression=start.copy()))
    )
    return exp.Subquery(this=query)


def nth_working_day_provisional(start: exp.Expression, n: exp.Expression) -> exp.Expression:
    """1 when a day after ``start`` through the n-th working day is provisional, else 0."""
    through_due = _lookup("provisional_through", nth_working_day_after(start, n))
    return _positive(exp.Sub(this=through_due, expression=_lookup("provisional_through", start)))


def _positive(count: exp.Expression) -> exp.Expression:
    """1 when ``count`` > 0, 0 when it is 0, NULL when unknown (a day outside the table). A tree built
    node by node is rendered as written: the caller parenthesises what binds looser than it reads."""
    return (
        exp.Case()
        .when(exp.GT(this=count, expression=exp.Literal.number(0)), exp.Literal.number(1))
        .else_(exp.Case().when(exp.Is(this=count, expression=exp.Null()), exp.Null()).else_(exp.Literal.number(0)))
    )
