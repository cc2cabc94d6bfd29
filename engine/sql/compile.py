"""The IR (``rules/ir.py``, ``rules/language.py``) as sqlglot expressions: one ``CASE`` per rule.

A rule's branches become ``CASE WHEN <branch 0> THEN 0 WHEN <branch 1> THEN 1 ... END`` in the IR's
order, with no ``ELSE``: ``NULL`` is "no branch held", the rule does not apply. ``present``/``missing``
are ``IS NOT NULL``/``IS NULL``; a comparison is the SQL comparison of the two columns or literals.

Why SQL's three-valued logic gives the IR's two-valued answer: the IR has no negation (``negate``
rewrites a complement into comparisons and presence tests), and without ``NOT`` a formula is monotone
in the order false < unknown < true. A comparison with a ``NULL`` side is unknown in SQL where the IR
says false; so the SQL value is true exactly when the IR's is (replacing each unknown by false keeps a
true formula true, and a formula true with those comparisons false is true whatever they are), and
``CASE WHEN`` takes only true. The differential tests (tests/test_backends.py) hold every SQL backend
to the python oracle on that.

Conjunctions and disjunctions are built as balanced trees, so a rule of a thousand tests nests about
ten deep (SQLite refuses expressions nested more than 1000 deep).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlglot import exp

from ..rules.ir import CompiledRule
from .values import TEXT, kind_of

ROW_ID = "rid"
TABLE = "subjects"

_COMPARISONS: dict[str, type[exp.Expression]] = {
    "==": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}

#: how a dialect orders text when a comparison asks for an order (PostgreSQL: by the database's
#: collation unless told; the IR orders by code point, which ``COLLATE "C"`` is)
TextOrder = Callable[[exp.Expression], exp.Expression]


def rule_column(rule_index: int) -> str:
    """The result column of one rule: the index of its first branch that held, or NULL."""
    return f"r{rule_index}"


def literal(value: Any) -> exp.Expression:
    """An IR literal as SQL, encoded as ``values.encode`` holds values (dates as day numbers)."""
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, dt.date):
        day = exp.Literal.number(value.toordinal())
        day.comments = [value.isoformat()]  # what a reader of the statement wants to see
        return day
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise ValueError(f"a literal of type {type(value).__name__} has no SQL form")


def _balanced(parts: Sequence[exp.Expression], combine: type[exp.Connector]) -> exp.Expression:
    """``parts`` joined by ``combine`` as a balanced tree, each connector below it parenthesised: a
    tree built node by node is rendered as written, without the precedence of ``AND`` over ``OR`` in
    mind, and the database parses ``a AND b AND c ...`` as a chain as deep as it is long."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    halves = [_balanced(parts[:middle], combine), _balanced(parts[middle:], combine)]
    left, right = (exp.Paren(this=half) if isinstance(half, exp.Connector) else half for half in halves)
    return cast(exp.Expression, combine(this=left, expression=right))


def _value_of(where: str | exp.Expression) -> exp.Expression:
    """A column by name, or a copy of an expression that stands for the name (a derived value)."""
    return exp.column(where) if isinstance(where, str) else where.copy()


def condition(
    node: dict,
    columns: Mapping[str, str | exp.Expression],
    text_order: TextOrder | None = None,
    text_names: frozenset[str] = frozenset(),
) -> exp.Expression:
    """One IR condition over the columns (``columns``: IR name -> column, or the SQL expression of a
    value derived in the statement, ``rules.py``). ``text_order`` wraps each
    side of an ordering comparison (``<``, ``<=``, ``>``, ``>=``) of text — a text literal or a name
    in ``text_names`` — where the dialect needs it."""
    op = node["op"]
    if op in ("and", "or"):
        parts = [condition(arg, columns, text_order, text_names) for arg in node["args"]]
        return _balanced(parts, exp.And if op == "and" else exp.Or)
    if op == "const":
        return exp.true() if node["value"] else exp.false()
    if op in ("present", "missing"):
        test = exp.Is(this=_value_of(columns[node["name"]]), expression=exp.Null())
        return test if op == "missing" else exp.Not(this=test)
    if op != "cmp":
        raise ValueError(f"unknown IR node {op!r}")
    sides: list[exp.Expression] = []
    is_text = False
    for side in (node["left"], node["right"]):
        if "name" in side:
            sides.append(_value_of(columns[side["name"]]))
            is_text = is_text or side["name"] in text_names
        else:
            sides.append(literal(side["value"]))
            is_text = is_text or (not isinstance(side["value"], bool) and kind_of(side["value"]) == TEXT)
    if text_order is not None and is_text and node["cmp"] not in ("==", "!="):
        sides = [text_order(side) for side in sides]
    return _COMPARISONS[node["cmp"]](this=sides[0], expression=sides[1])


def rule_case(
    rule: CompiledRule,
    columns: Mapping[str, str | exp.Expression],
    text_order: TextOrder | None = None,
    text_names: frozenset[str] = frozenset(),
) -> exp.Case:
    """``CASE WHEN <branch> THEN <its index> ... END`` in branch order; no ELSE (NULL: not applicable)."""
    case = exp.Case()
    for branch_index, branch in enumerate(rule.branches):
        case = case.when(condition(branch.condition, columns, text_order, text_names), exp.Literal.number(branch_index))
    return case


def first_branches_query(
    rules: Sequence[CompiledRule],
    columns: Mapping[str, str | exp.Expression],
    text_order: TextOrder | None = None,
    text_names: frozenset[str] = frozenset(),
    table: str = TABLE,
) -> exp.Select:
    """``SELECT rid, CASE ... AS r<index>, ... FROM subjects ORDER BY rid``: per subject, the first
    branch that held of each rule."""
    query = exp.select(ROW_ID).from_(table)
    for rule in rules:
        query = query.select(exp.alias_(rule_case(rule, columns, text_order, text_names), rule_column(rule.index)))
    return query.order_by(ROW_ID)


def names_compared(rules: Sequence[CompiledRule]) -> set[str]:
    """The names some comparison reads (the others are only tested for presence)."""
    found: set[str] = set()
    for rule in rules:
        for branch in rule.branches:
            stack = [branch.condition]
            while stack:
                node = stack.pop()
                if node["op"] in ("and", "or"):
                    stack.extend(node["args"])
                elif node["op"] == "cmp":
                    found.update(side["name"] for side in (node["left"], node["right"]) if "name" in side)
    return found
