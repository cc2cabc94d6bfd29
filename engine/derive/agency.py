"""Derive functions of the agency-year rules: deadlines written as a day of a year (3月1日, 第一季度)."""

from __future__ import annotations

import datetime as dt

from .declare import derive


@derive(("number", "number", "number"), "date")
def day_in_year(year: int, month: int, day: int) -> dt.date:
    """The date ``year``-``month``-``day`` (a deadline such as "每年3月1日前" of the year after the one reported on)."""
    return dt.date(int(year), int(month), int(day))
