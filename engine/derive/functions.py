"""The derive-function registry: the only computations a rule file can ask for (``derive:``).

Each function takes record fields, derived values, parameters or literals and returns ``None``
when an input it needs is missing, so the derived value is missing and every comparison on it
is false (docs/rule-format.md). ``impl(ctx, *args)`` is called with one :class:`DeriveContext`
per evaluation run; batch functions (``count_same``) are called ``impl(ctx, kind, field, value)``
— the record kind and field name the rule names, then the field's value — and read the counts
the engine stored beforehand with :meth:`DeriveContext.index_batch`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...models.fields import normalize_doc_number
from ..rules.packs import value_in_force
from .calendar import Deadline, LegalCalendar

ARG_TYPES = ("date", "int", "number", "bool", "str", "list", "any", "literal_list")
RETURN_TYPES = ("date", "int", "number", "bool", "str", "any")

#: GB/T 9704-2012 7.2.4: 发文机关代字 + 〔年份全称〕 + 序号 (no leading zeros) + 号.
DOC_NUMBER_PATTERN = re.compile(r"^[\u4e00-\u9fff]+〔([0-9]{4})〕([1-9][0-9]*)号$")


@dataclass(frozen=True)
class DeriveFunction:
    name: str
    arg_types: tuple[str, ...]
    returns: str
    impl: Callable[..., Any]
    variadic: bool = False
    batch: bool = False
    doc: str = ""
    #: the function itself: ``impl`` is it wrapped to return None when an argument is (``needs_all``)
    plain: Callable[..., Any] | None = None
    needs_all: bool = True


class DeriveContext:
    """State shared by one evaluation run: the calendar, the as-of date, notes and batch counts."""

    def __init__(self, calendar: LegalCalendar, as_of: dt.date):
        self.calendar = calendar
        self.as_of = as_of
        #: deadlines computed since the evaluator last looked that rest on a provisional day or were
        #: moved past a rest day or holiday (the evaluator turns them into evidence and messages)
        self.flagged_deadlines: list[Deadline] = []
        #: the joins of the subjects being derived (``derive.joins.BatchIndex``), set by the source
        self.batch: Any = None
        #: the subject being derived, set by the evaluator before its derivations run
        self.subject: Any = None
        self._batch: dict[tuple[str, str], Counter] = {}
        #: (kind, field) -> value -> the ids of the records holding it, for values held more than once
        self._batch_ids: dict[tuple[str, str], dict[Any, list[str]]] = {}

    def index_batch(self, kind: str, field: str, values: Iterable, ids: Iterable[str] | None = None) -> None:
        """Store the values of ``field`` over all records of ``kind`` checked together (replaces any earlier
        index); with ``ids`` (the records' ids, in the same order) also which records share a value, so
        evidence can name them (``same_value_ids``), kept only for values held more than once (duplicates
        are few; the ids of unique values are dropped once counted)."""
        if ids is None:
            self._batch[(kind, field)] = Counter(
                key for key in (_batch_key(field, v) for v in values) if key is not None
            )
            return
        counts: Counter = Counter()
        holders: dict[Any, list[str]] = {}
        for value, record_id in zip(values, ids):
            key = _batch_key(field, value)
            if key is None:
                continue
            counts[key] += 1
            holders.setdefault(key, []).append(record_id)
        self._batch[(kind, field)] = counts
        # sorted: an audit reads the rows in the database's order, a check in the input's; both name them alike
        self._batch_ids[(kind, field)] = {key: sorted(set(kept)) for key, kept in holders.items() if counts[key] > 1}

    def batch_ids(self, kind: str, field: str, value) -> list[str]:
        """The ids of the records holding ``value``, when it is held more than once (else none)."""
        if (kind, field) not in self._batch_ids:
            raise LookupError(f"batch ids not indexed for {kind}.{field}; call index_batch with ids first")
        key = _batch_key(field, value)
        return list(self._batch_ids[(kind, field)].get(key, [])) if key is not None else []

    def batch_count(self, kind: str, field: str, value) -> int:
        try:
            counts = self._batch[(kind, field)]
        except KeyError:
            raise LookupError(f"batch not indexed for {kind}.{field}; call index_batch first") from None
        key = _batch_key(field, value)
        return counts[key] if key is not None else 0

    def deadline(self, deadline: Deadline) -> dt.date:
        if deadline.provisional or deadline.moved_from is not None:
            self.flagged_deadlines.append(deadline)
        return deadline.due_on


def _batch_key(field: str, value):
    if field == "doc_number" and isinstance(value, str):
        return normalize_doc_number(value)
    return value


REGISTRY: dict[str, DeriveFunction] = {}


def _register(
    arg_types: tuple[str, ...], returns: str, *, needs_all: bool = True, variadic: bool = False, batch: bool = False
):
    """Add the decorated impl; with ``needs_all`` it returns None as soon as any argument is None."""

    def add(impl: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(ctx: DeriveContext, *args):
            return None if None in args else impl(ctx, *args)

        REGISTRY[impl.__name__] = DeriveFunction(
            impl.__name__,
            arg_types,
            returns,
            guarded if needs_all else impl,
            variadic,
            batch,
            (impl.__doc__ or "").strip(),
            impl,
            needs_all,
        )
        return impl

    return add


def _years_to_months(years: float) -> int:
    return round(years * 12)


@functools.lru_cache(maxsize=1 << 16)
def _day_before_anniversary(start: dt.date, months: int) -> dt.date:
    """Last day of a term of ``months`` that includes ``start``.

    The anniversary of a day the target month lacks (Feb 29, the 31st) is the 1st of the next
    month, so the term ends on that month's last day: 2016-02-29 + 5 years → 2021-02-28.
    """
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    month_length = calendar.monthrange(year, month0 + 1)[1]
    if start.day > month_length:
        return dt.date(year, month0 + 1, month_length)
    return dt.date(year, month0 + 1, start.day) - dt.timedelta(days=1)


@_register(("date", "int"), "date")
def deadline_after(ctx: DeriveContext, start: dt.date, days: int) -> dt.date:
    """ "N日内": start + days calendar days; a last day on a rest day or holiday moves to the next working day."""
    return ctx.deadline(ctx.calendar.deadline_after(start, days))


@_register(("date", "int"), "date")
def working_days_after(ctx: DeriveContext, start: dt.date, n: int) -> dt.date:
    """The n-th working day after start (start itself not counted)."""
    return ctx.deadline(ctx.calendar.nth_working_day_after(start, n))


@_register(("date", "int", "bool"), "date")
def period_end(ctx: DeriveContext, start: dt.date, n: int, working_days: bool) -> dt.date:
    """The last day of "N日内" after start: working days when ``working_days`` (行政处罚法 Art. 85),
    else calendar days moved past a rest day or holiday — for a parameter whose unit changed by date."""
    if working_days:
        return ctx.deadline(ctx.calendar.nth_working_day_after(start, n))
    return ctx.deadline(ctx.calendar.deadline_after(start, n))


@_register(("date", "int"), "date")
def add_days(ctx: DeriveContext, d: dt.date, n: int) -> dt.date:
    """d + n calendar days."""
    return d + dt.timedelta(days=n)


@_register(("date", "number"), "date")
def validity_limit(ctx: DeriveContext, effective: dt.date, years: float) -> dt.date:
    """Last day allowed for a validity of at most `years` from `effective`: the day before the anniversary.

    A fractional number of years counts as round(years × 12) months.
    """
    return _day_before_anniversary(effective, _years_to_months(years))


@_register(("date", "number", "date"), "date", needs_all=False)
def stated_validity_end(
    ctx: DeriveContext, valid_until: dt.date | None, validity_years: float | None, effective: dt.date | None
) -> dt.date | None:
    """`valid_until` when given, else effective + validity_years − 1 day; missing when neither is stated."""
    if valid_until is not None:
        return valid_until
    if validity_years is None or effective is None:
        return None
    return _day_before_anniversary(effective, _years_to_months(validity_years))


@_register(("date", "date"), "int")
def days_between(ctx: DeriveContext, a: dt.date, b: dt.date) -> int:
    """b − a in days."""
    return (b - a).days


@_register(("date", "date"), "int")
def window_days(ctx: DeriveContext, start: dt.date, end: dt.date) -> int:
    """end − start + 1 (both days included)."""
    return (end - start).days + 1


@_register(("any",), "any", needs_all=False, variadic=True)
def coalesce(ctx: DeriveContext, *values: Any) -> Any:
    """The first present argument."""
    return next((v for v in values if v is not None), None)


@_register(("date", "date"), "date", needs_all=False)
def later_of(ctx: DeriveContext, a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The later of two dates; a missing one is ignored. A time limit a law introduced runs from the
    later of the period's start and the law's effective date: ``later_of(opened_on, in_force_from)``."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


@_register(("any", "date"), "any")
def dated_value(ctx: DeriveContext, history: list, day: dt.date) -> Any:
    """A dated parameter's value in force on ``day`` (history: DatedValue entries, oldest first);
    missing before the first. Rule files do not call it: ``params: {name: {date: value}}`` does."""
    entry = value_in_force(history, day)
    return None if entry is None else entry.value


@_register(("str", "list"), "bool")
def reason_mentions(ctx: DeriveContext, text: str, keywords: list) -> bool:
    """Whether a stated reason is one the source allows: any reason when ``keywords`` is empty, else
    one mentioning a keyword (措施16 exempts only drafts "依法需要保密的")."""
    return not keywords or any(keyword in text for keyword in keywords)


@_register(("date",), "int")
def year_of(ctx: DeriveContext, d: dt.date) -> int:
    """Calendar year."""
    return d.year


@_register(("str",), "bool")
def doc_number_well_formed(ctx: DeriveContext, doc_number: str) -> bool:
    """`<机关代字>〔YYYY〕N号` after normalisation (GB/T 9704-2012: full year, no leading zeros)."""
    return DOC_NUMBER_PATTERN.match(normalize_doc_number(doc_number)) is not None


@_register(("str",), "int")
def doc_number_year(ctx: DeriveContext, doc_number: str) -> int | None:
    """The YYYY in the 文号; missing when the 文号 is malformed."""
    match = DOC_NUMBER_PATTERN.match(normalize_doc_number(doc_number))
    return int(match.group(1)) if match else None


@_register(("list",), "int")
def count_items(ctx: DeriveContext, items: list) -> int:
    """Length of a list field (missing list = missing)."""
    return len(items)


@_register(("list", "literal_list"), "int", needs_all=False)
def count_missing(ctx: DeriveContext, items: list | None, wanted: list) -> int:
    """How many of the listed values the list field lacks (missing list = all lacking)."""
    present = set(items or ())
    return sum(1 for w in wanted if w not in present)


@_register(("list", "str"), "int")
def count_basis_type(ctx: DeriveContext, basis: list, basis_type: str) -> int:
    """How many `basis` entries (objects or dicts with `type` and `ref`) have that `type`."""

    def type_of(entry):
        return entry.get("type") if isinstance(entry, dict) else getattr(entry, "type", None)

    return sum(1 for entry in basis if type_of(entry) == basis_type)


@_register(("any",), "int", batch=True)
def count_same(ctx: DeriveContext, kind: str, field: str, value: Any) -> int:
    """How many records of this kind checked together have the same value of `field` (normalised 文号 for doc_number)."""
    return ctx.batch_count(kind, field, value)


@_register(("any",), "any", batch=True)
def same_value_ids(ctx: DeriveContext, kind: str, field: str, value: Any) -> list[str]:
    """The ids of the records of this kind checked together that share the value of `field` (normalised
    文号 for doc_number), this one included, when more than one does: whom ``count_same`` counted."""
    return ctx.batch_ids(kind, field, value)


# Cross-record functions (joins over the records checked together) register themselves on import.
from . import agency as _agency_functions  # noqa: E402,F401
from . import joins as _joins  # noqa: E402,F401
