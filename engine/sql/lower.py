"""Derive functions lowered to SQL: each takes its arguments as SQL expressions and gives the SQL
expression of its value, dates as day numbers (``values.py``), the legal calendar as the table of
``calendar.py`` (issue #11).

A lowering means what the Python function means, missing values included: a function that needs all
its arguments (``needs_all``) is NULL when one is NULL, which SQL arithmetic and the calendar lookups
are by themselves; one that does not (``later_of``) says what it does with a NULL. A function listed
in :data:`NOT_LOWERED` has no lowering yet, with the reason; a rule that calls one cannot run in SQL
(:func:`functions_without_lowering`, shown by ``rules show``). tests/test_sql_lowering.py holds every
lowering to its Python function on SQLite and DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlglot import exp

from ..derive.registry import REGISTRY
from . import calendar

Lowering = Callable[..., exp.Expression]


def _paren(expression: exp.Expression) -> exp.Expression:
    return exp.Paren(this=expression.copy())


def _deadline_after(start: exp.Expression, days: exp.Expression) -> exp.Expression:
    return calendar.deadline_after(start, days)


def _working_days_after(start: exp.Expression, n: exp.Expression) -> exp.Expression:
    return calendar.nth_working_day_after(start, n)


def _period_end(start: exp.Expression, n: exp.Expression, working_days: exp.Expression) -> exp.Expression:
    return (
        exp.Case()
        .when(exp.Is(this=working_days.copy(), expression=exp.Null()), exp.Null())
        .when(
            exp.EQ(this=working_days.copy(), expression=exp.Literal.number(1)), calendar.nth_working_day_after(start, n)
        )
        .else_(calendar.deadline_after(start, n))
    )


def _add_days(day: exp.Expression, n: exp.Expression) -> exp.Expression:
    return _paren(exp.Add(this=_paren(day), expression=_paren(n)))


def _days_between(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return _paren(exp.Sub(this=_paren(b), expression=_paren(a)))


def _window_days(start: exp.Expression, end: exp.Expression) -> exp.Expression:
    return _paren(exp.Add(this=_days_between(start, end), expression=exp.Literal.number(1)))


def _later_of(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return (
        exp.Case()
        .when(exp.Is(this=a.copy(), expression=exp.Null()), b.copy())
        .when(exp.Is(this=b.copy(), expression=exp.Null()), a.copy())
        .when(exp.GT(this=a.copy(), expression=b.copy()), a.copy())
        .else_(b.copy())
    )


def _year_of(day: exp.Expression) -> exp.Expression:
    return calendar.year_of(day)


def _coalesce(*values: exp.Expression) -> exp.Expression:
    if len(values) == 1:  # SQLite's COALESCE takes two or more
        return values[0].copy()
    return exp.Coalesce(this=values[0].copy(), expressions=[value.copy() for value in values[1:]])


def _day_in_year(year: exp.Expression, month: exp.Expression, day: exp.Expression) -> exp.Expression:
    return calendar.day_in_year(year, month, day)


#: function name -> lowering (arguments in the function's order, after what it ``uses``)
LOWERINGS: dict[str, Lowering] = {
    "deadline_after": _deadline_after,
    "working_days_after": _working_days_after,
    "period_end": _period_end,
    "add_days": _add_days,
    "days_between": _days_between,
    "window_days": _window_days,
    "later_of": _later_of,
    "year_of": _year_of,
    "coalesce": _coalesce,
    "day_in_year": _day_in_year,
}

_LISTS = "list fields are JSON in the records database: lowering needs each dialect's JSON functions"
_DOC_NUMBERS = "the 文号 grammar is a Python parser: SQL needs its parts stored as columns at import"
_COUNTS = "counts over the records checked together: to be a window COUNT(*) OVER (PARTITION BY ...)"
_JOINS = "cross-record lookups of officers and cited documents: to be LEFT JOINs on the records' tables"
_ANNIVERSARY = "anniversaries need month arithmetic the calendar table does not hold yet"

#: the functions with no lowering yet, and why (tests/test_sql_lowering.py: every derive function is
#: in one of the two tables)
NOT_LOWERED: dict[str, str] = {
    "validity_limit": _ANNIVERSARY,
    "stated_validity_end": _ANNIVERSARY,
    "dated_value": "dated parameters are bound per record date, not yet as a SQL lookup",
    "reason_mentions": _LISTS,
    "count_items": _LISTS,
    "count_missing": _LISTS,
    "count_basis_type": _LISTS,
    "count_sessions_min_days": _LISTS,
    "doc_number_well_formed": _DOC_NUMBERS,
    "doc_number_year": _DOC_NUMBERS,
    "count_same": _COUNTS,
    "same_value_ids": _COUNTS,
    "officers_uncertified": _JOINS,
    "officers_unknown": _JOINS,
    "officers_uncertified_names": _JOINS,
    "officers_unknown_ids": _JOINS,
    "basis_docs_not_in_force": _JOINS,
    "basis_docs_unknown": _JOINS,
    "basis_docs_not_in_force_refs": _JOINS,
    "basis_docs_unknown_refs": _JOINS,
}


def lowering_of(name: str) -> Lowering | None:
    return LOWERINGS.get(name)


def _calls(tree: Any) -> Iterable[str]:
    if isinstance(tree, dict):
        if "call" in tree:
            yield tree["call"]
        for value in tree.values():
            yield from _calls(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _calls(item)


def functions_without_lowering(derive: Iterable[tuple[str, dict, str]]) -> list[str]:
    """The functions a rule's ``derive`` (``Rule.derive``: name, tree, text) calls that have no SQL
    lowering, sorted."""
    return sorted({name for _, tree, _ in derive for name in _calls(tree) if name not in LOWERINGS})


def unknown_names() -> set[str]:
    """Names in the tables here that are not derive functions (a rename the tables missed)."""
    return (set(LOWERINGS) | set(NOT_LOWERED)) - set(REGISTRY)
