"""Derive functions over dates: legal deadlines ("N日内", working days), validity terms, spans, years.

A deadline is computed by the run's legal calendar (``uses=("calendar",)``) and returned as the
calendar's :class:`~fzcheck.engine.derive.calendar.Deadline`, whose notes (moved past a holiday,
resting on a provisional day) the evaluator shows beside the date.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import functools
from typing import Any

from ..rules.dated import value_in_force
from .calendar import Deadline, LegalCalendar
from .declare import derive


def _years_to_months(years: float) -> int:
    return round(years * 12)


@functools.lru_cache(maxsize=1 << 16)
def _day_before_anniversary(start: dt.date, months: int) -> dt.date:
    """Last day of a term of ``months`` that includes ``start``.

    The anniversary of a day the target month lacks (Feb 29, the 31st) is the 1st of the next
    month, so the term ends on that month's last day: 2016-02-29 + 5 years → 2021-02-28.
    """
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    month_length = month_calendar.monthrange(year, month0 + 1)[1]
    if start.day > month_length:
        return dt.date(year, month0 + 1, month_length)
    return dt.date(year, month0 + 1, start.day) - dt.timedelta(days=1)


@derive(("date", "int"), "date", uses=("calendar",), notes=True)
def deadline_after(calendar: LegalCalendar, start: dt.date, days: int) -> Deadline:
    """ "N日内": start + days calendar days; a last day on a rest day or holiday moves to the next working day."""
    return calendar.deadline_after(start, days)


@derive(("date", "int"), "date", uses=("calendar",), notes=True)
def working_days_after(calendar: LegalCalendar, start: dt.date, n: int) -> Deadline:
    """The n-th working day after start (start itself not counted)."""
    return calendar.nth_working_day_after(start, n)


@derive(("date", "int", "bool"), "date", uses=("calendar",), notes=True)
def period_end(calendar: LegalCalendar, start: dt.date, n: int, working_days: bool) -> Deadline:
    """The last day of "N日内" after start: working days when ``working_days`` (行政处罚法 Art. 85),
    else calendar days moved past a rest day or holiday — for a parameter whose unit changed by date."""
    if working_days:
        return calendar.nth_working_day_after(start, n)
    return calendar.deadline_after(start, n)


@derive(("date", "int"), "date")
def add_days(d: dt.date, n: int) -> dt.date:
    """d + n calendar days."""
    return d + dt.timedelta(days=n)


@derive(("date", "number"), "date")
def validity_limit(effective: dt.date, years: float) -> dt.date:
    """Last day allowed for a validity of at most `years` from `effective`: the day before the anniversary.

    A fractional number of years counts as round(years × 12) months.
    """
    return _day_before_anniversary(effective, _years_to_months(years))


@derive(("date", "number", "date"), "date", needs_all=False)
def stated_validity_end(
    valid_until: dt.date | None, validity_years: float | None, effective: dt.date | None
) -> dt.date | None:
    """`valid_until` when given, else effective + validity_years − 1 day; missing when neither is stated."""
    if valid_until is not None:
        return valid_until
    if validity_years is None or effective is None:
        return None
    return _day_before_anniversary(effective, _years_to_months(validity_years))


@derive(("date", "date"), "int")
def days_between(a: dt.date, b: dt.date) -> int:
    """b − a in days."""
    return (b - a).days


@derive(("date", "date"), "int")
def window_days(start: dt.date, end: dt.date) -> int:
    """end − start + 1 (both days included)."""
    return (end - start).days + 1


@derive(("date", "date"), "date", needs_all=False)
def later_of(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The later of two dates; a missing one is ignored. A time limit a law introduced runs from the
    later of the period's start and the law's effective date: ``later_of(opened_on, in_force_from)``."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


@derive(("any", "date"), "any")
def dated_value(history: list, day: dt.date) -> Any:
    """A dated parameter's value in force on ``day`` (history: DatedValue entries, oldest first);
    missing before the first. Rule files do not call it: ``params: {name: {date: value}}`` does."""
    entry = value_in_force(history, day)
    return None if entry is None else entry.value


@derive(("date",), "int")
def year_of(d: dt.date) -> int:
    """Calendar year."""
    return d.year
