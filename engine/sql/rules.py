"""A pack's rules for a kind as one SQL statement that derives as well as decides (issue #11).

The ``sqlite`` and ``duckdb`` backends take values already derived in Python. Here the derivations
are in the statement too: each ``derive:`` expression is lowered (``lower.py``) over the subjects'
own columns (fields and the builtins ``as_of``, ``key_date``) and the legal calendar's table
(``calendar.py``), a derived value read by another is inlined into it, and the conditions read the
derived expressions where they read a derived name. That is what the audit inside the records
database will run; a rule with a function that has no lowering yet, a list literal or a parameter
SQL cannot hold is left out and named with the reason (it runs on a Python backend meanwhile).
tests/test_sql_rules.py holds the statement to the Python pipeline's first branches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from ..backends.base import Row
from ..derive.plan import Resolved, name_resolver
from ..rules.ir import CompiledRule, condition_names
from .compile import TABLE, first_branches_query, literal
from .dialects import Dialect
from .lower import LOWERINGS
from .runner import encode_rows, read_first_branches


class NotLowerable(ValueError):
    """Why one rule cannot be one SQL statement yet."""


@dataclass
class LoweredRules:
    """The statement of the rules that could be lowered, the subjects' columns it reads, and the
    rules left out with why."""

    rules: list[CompiledRule]
    #: IR name -> column (c0, c1, ...) of the subjects' table
    columns: dict[str, str]
    #: rule index -> why it was left out
    left_out: dict[int, str] = field(default_factory=dict)
    #: the derived values as SQL, by fact key (what the conditions read in their place)
    derived: dict[str, exp.Expression] = field(default_factory=dict)

    def query(self, dialect: Dialect, table: str = TABLE) -> str:
        where: dict[str, str | exp.Expression] = {**self.columns, **self.derived}
        ordered = sorted(self.rules, key=lambda rule: rule.index)
        return dialect.render(first_branches_query(ordered, where, dialect.text_order, table=table))

    def encoded_rows(self, rows: Sequence[Row]) -> list[tuple[Any, ...]]:
        """Every column read as a value: a derivation may compute with any of them."""
        return encode_rows(rows, list(self.columns), self.columns)

    def read_first_branches(self, result: Sequence[tuple[Any, ...]], subjects: int) -> list[dict[int, int]]:
        indexes = [rule.index for rule in sorted(self.rules, key=lambda rule: rule.index)]
        return read_first_branches(result, indexes, subjects, "lowered rules'")


def _sql_constant(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, (bool, int, float, str, dt.date)) and not isinstance(value, dt.datetime):
        return literal(value)
    raise NotLowerable(f"a parameter of type {type(value).__name__} has no SQL form")


def _lower_tree(
    tree: dict,
    resolve: Callable[[str], Resolved],
    derived_by_key: Callable[[str], exp.Expression | None],
    column: Callable[[str], exp.Expression],
) -> exp.Expression:
    if "call" in tree:
        lowering = LOWERINGS.get(tree["call"])
        if lowering is None:
            raise NotLowerable(f"{tree['call']} has no SQL lowering")
        return lowering(*[_lower_tree(arg, resolve, derived_by_key, column) for arg in tree["args"]])
    if "list" in tree:
        raise NotLowerable("a list literal has no SQL form")
    if "name" in tree:
        how, what = resolve(tree["name"])
        if how == "const":
            return _sql_constant(what)
        derived = derived_by_key(what)
        return derived.copy() if derived is not None else column(what)
    return _sql_constant(tree["value"])


def lower_rules(compiled: Sequence[CompiledRule]) -> LoweredRules:
    """The rules of one pack and kind (``PackKindEvaluator.compiled``) as one statement. Only the
    derived values the conditions read are lowered (those only messages show are derived in Python
    for the outcomes someone reads)."""
    columns: dict[str, str] = {}

    def column(name: str) -> exp.Expression:
        if name not in columns:
            columns[name] = f"c{len(columns)}"
        return exp.column(columns[name])

    lowered = LoweredRules([], columns)
    for rule in compiled:
        try:
            own = _lower_rule(rule, column)
        except NotLowerable as exc:
            lowered.left_out[rule.index] = str(exc)
            continue
        lowered.derived.update(own)
        lowered.rules.append(rule)
    return lowered


def _lower_rule(rule: CompiledRule, column: Callable[[str], exp.Expression]) -> dict[str, exp.Expression]:
    """The derived values one rule's conditions read, as SQL by fact key (the subjects' columns they
    read allocated through ``column``)."""
    resolve = name_resolver(rule)
    trees = {rule.fact_key(name): tree for name, tree, _ in rule.rule.derive}
    own: dict[str, exp.Expression] = {}

    def derived_by_key(key: str) -> exp.Expression | None:
        if key not in trees:
            return None
        if key not in own:
            own[key] = _lower_tree(trees[key], resolve, derived_by_key, column)
        return own[key]

    for branch in rule.branches:
        for name in sorted(condition_names(branch.condition)):
            if derived_by_key(name) is None:
                column(name)
    return own
