"""The inputs of one run's derive functions beyond their arguments, and how a call gets them.

A function declares what it reads (``declare.derive(uses=...)``); :func:`context_reader` gives it
exactly that, for the subject being derived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .batch import BatchCounts
from .calendar import LegalCalendar
from .declare import DeriveFunction
from .joins import JoinResult


@dataclass(frozen=True)
class DeriveContext:
    """What a run's derive functions may read besides their arguments; one per set of subjects
    derived together (a check partition, an audit unit), never changed once made."""

    calendar: LegalCalendar
    as_of: dt.date
    counts: BatchCounts = field(default_factory=BatchCounts)
    joins: JoinResult = field(default_factory=JoinResult)


def context_reader(function: DeriveFunction) -> Callable[[DeriveContext, str], tuple]:
    """What to pass ahead of the arguments: the declared inputs, read from a context for one subject."""
    readers: list[Callable[[DeriveContext, str], Any]] = []
    for name in function.uses:
        if name == "calendar":
            readers.append(lambda ctx, subject_id: ctx.calendar)
        elif name == "counts":
            readers.append(lambda ctx, subject_id: ctx.counts)
        else:
            readers.append(lambda ctx, subject_id: ctx.joins.of(subject_id))
    if not readers:
        return lambda ctx, subject_id: ()
    if len(readers) == 1:
        (read,) = readers
        return lambda ctx, subject_id: (read(ctx, subject_id),)
    return lambda ctx, subject_id: tuple(read(ctx, subject_id) for read in readers)


def call(function: DeriveFunction, ctx: DeriveContext | None, *args: Any, subject_id: str = "") -> Any:
    """Call a derive function as a rule would (tests, helpers): its declared inputs from ``ctx``."""
    lead = context_reader(function)(ctx, subject_id) if function.uses else ()  # type: ignore[arg-type]
    return function.impl(*lead, *args)
