"""Dated parameters: a rule's number that changed by law on a date (a time limit of 7 days, then 5 working days).

The entries come from ``params: {name: {date: value}}`` in a rule file; the derive function
``dated_value`` and the evidence read the entry in force on the act's date alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..outcomes.results import jsonable


@dataclass(frozen=True)
class DatedValue:
    """One value of a dated parameter: in force for acts from ``since`` to ``until`` (inclusive; None = open)."""

    since: dt.date
    until: dt.date | None
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.since.isoformat(), "until": jsonable(self.until), "value": jsonable(self.value)}

    def holds_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


def value_in_force(history: list[DatedValue], day: dt.date | None) -> DatedValue | None:
    """The entry of a dated parameter in force on ``day`` (None before the first, after the last, or
    with no day): the derive function ``dated_value`` and the evidence read the same entry."""
    if day is None:
        return None
    return next((entry for entry in history if entry.holds_on(day)), None)
