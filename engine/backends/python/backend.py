"""The pure-Python backend: each rule's branches evaluated in order, per subject, until one holds.

It has no limits (a rule that loads runs) and nothing to register: preparing keeps the conditions.
It is the definition of what the compiled rules mean (``rules/language.evaluate``: a comparison
with a missing side is false, ``present``/``missing`` test for ``None``), so the differential tests
hold every other backend to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...rules.language import evaluate
from ...rules.packs import Rule
from ..base import CompiledRules, Row


class PythonPrepared:
    def __init__(self, rules: CompiledRules):
        self.rules = [(rule.index, [branch.condition for branch in rule.branches]) for rule in rules.rules]

    def first_branches(self, rows: Sequence[Row]) -> list[dict[int, int]]:
        found: list[dict[int, int]] = []
        for row in rows:
            first_branch: dict[int, int] = {}
            for rule_index, conditions in self.rules:
                for branch_index, condition in enumerate(conditions):
                    if evaluate(condition, row):
                        first_branch[rule_index] = branch_index
                        break
            found.append(first_branch)
        return found


class PythonBackend:
    name = "python"
    #: a subject costs the same in a batch of any size: this keeps the executor's slices as they are
    batch_size = 1000

    def prepare(self, rules: CompiledRules) -> PythonPrepared:
        return PythonPrepared(rules)

    def limit_problems(self, rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
        return []
