"""The IR (``rules/ir.py``) as durable-rules JSON: one durable rule per branch, facts keyed short.

Every branch of rule ``r`` becomes the durable rule ``b<r>_<branch>``, whose pattern tests the fact's
``kind`` and the branch's condition; a fact carries, per name the conditions read, a value key and a
presence flag (``short_keys``), since durable-rules has no test for "missing" and no date type.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...rules import language as cond
from ...rules.ir import CompiledRule, condition_names

HAS_PREFIX = "has__"
#: fact properties durable-rules sets itself (the fact and session ids, its state): no condition may test them
RESERVED_FACT_KEYS = {"id", "sid", "$s"}


def check_reserved(rule: CompiledRule) -> None:
    """Raise a ValueError naming the rule when a condition tests a name durable-rules reserves."""
    for branch in rule.branches:
        reserved = condition_names(branch.condition) & RESERVED_FACT_KEYS
        if reserved:
            raise ValueError(
                f"{rule.rule.id}: conditions cannot test {', '.join(sorted(reserved))} (reserved by durable-rules)"
            )


def encode_value(value: Any) -> Any:
    """Fact values as durable-rules compares them: dates as day numbers (no date type there)."""
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def short_keys(names: set[str]) -> dict[str, tuple[str, str]]:
    """Fact key and presence-flag key per name: short keys keep the facts durable-rules hands back small."""
    return {name: (f"v{index}", f"h{index}") for index, name in enumerate(sorted(names))}


def to_durable(node: dict, keys: dict[str, tuple[str, str]] | None = None) -> dict | None:
    """IR -> durable-rules expression; ``None`` for a constant-true node (no test needed).

    ``keys`` maps IR names to (value key, presence key) in the fact; by default the name itself and
    ``has__<name>``.
    """
    if keys is None:
        keys = _DefaultKeys()
    op = node["op"]
    if op == "const":
        if node["value"]:
            return None
        raise ValueError("constant-false branches are dropped before compiling")
    if op in ("and", "or"):
        parts = [to_durable(arg, keys) for arg in node["args"]]
        if op == "and":
            parts = [p for p in parts if p is not None]
            if not parts:
                return None
        elif any(p is None for p in parts):
            return None
        # an $and in an $and is the same chain of tests, an $or in an $or the same alternatives:
        # flat, they take no expression slots (and no join node)
        key = f"${op}"
        parts = [q for p in parts if p is not None for q in p.get(key, [p])]
        return parts[0] if len(parts) == 1 else {key: parts}
    if op == "present":
        return {keys[node["name"]][1]: True}
    if op == "missing":
        return {keys[node["name"]][1]: False}
    left, right, cmp = node["left"], node["right"], node["cmp"]
    if "name" not in left:
        left, right, cmp = right, left, cond.FLIPPED[cmp]
    left_key, left_has = keys[left["name"]]
    if "name" in right:
        # durable-rules matches a field-to-field comparison when the referenced field is absent: guard both sides
        right_key, right_has = keys[right["name"]]
        test = {left_key: {"$m": right_key}} if cmp == "==" else {_DURABLE_OPS[cmp]: {left_key: {"$m": right_key}}}
        return {"$and": [{left_has: True}, {right_has: True}, test]}
    target = encode_value(right["value"])
    if cmp == "==":
        return {left_key: target}
    return {_DURABLE_OPS[cmp]: {left_key: target}}


class _DefaultKeys(dict):
    def __missing__(self, name: str) -> tuple[str, str]:
        return name, HAS_PREFIX + name


_DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


def count_conditions(expression: Any) -> int:
    if isinstance(expression, dict):
        if any(key in ("$and", "$or") for key in expression):
            return sum(count_conditions(part) for value in expression.values() for part in value)
        return 1
    return 0


def branch_name(rule_index: int, branch_index: int) -> str:
    return f"b{rule_index}_{branch_index}"


_BRANCH_NAME = re.compile(r"^b(\d+)_(\d+)$")


def parse_branch_name(name: str) -> tuple[int, int] | None:
    match = _BRANCH_NAME.match(name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def rule_definitions(kind: str, rule: CompiledRule, keys: dict[str, tuple[str, str]] | None = None) -> dict[str, dict]:
    """One durable rule per branch: ``kind == <kind>`` and the branch's test, in one ``$and``."""
    definitions: dict[str, dict] = {}
    for branch_index, branch in enumerate(rule.branches):
        test = to_durable(branch.condition, keys)
        pattern: dict[str, Any]
        if test is None:
            pattern = {"kind": kind}
        elif "$and" in test:  # one $and, not two: each takes two of a pattern's expression slots
            pattern = {"$and": [{"kind": kind}, *test["$and"]]}
        else:
            pattern = {"$and": [{"kind": kind}, test]}
        definitions[branch_name(rule.index, branch_index)] = {"all": [{"m": pattern}]}
    return definitions
