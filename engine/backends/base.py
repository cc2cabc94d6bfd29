"""What a backend is: an engine that runs the compiled rules (the IR of ``rules/ir.py``).

The IR of a rule is an ordered list of branches over one subject's values; the first branch that
holds gives the outcome, and when none holds the rule does not apply. A backend takes the compiled
rules of one pack for one subject kind once (``Backend.prepare``) and then answers, for batches of
subjects, which branch of each rule held first (``Prepared.first_branches``). Deriving the values
before (``derive/plan.py``) and building outcomes after (``evaluate/evaluator.py``) are the same for
every backend.

A backend also says what keeps a rule from running on it (``Backend.limit_problems``: loading and
``rules lint`` reject or warn of such rules) and how many subjects it best takes per call
(``Backend.batch_size``: the executor sizes its work by it). Each backend is one folder under
``engine/backends/`` whose package exports ``BACKEND``; the registry (``engine/backends/__init__``)
finds them by folder name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..rules.ir import CompiledRule
from ..rules.packs import Pack, Rule


class Fallback(Protocol):
    def get(self, name: str) -> Any: ...


class Row:
    """What the conditions read of one subject: its values by fact key (its fields, the builtins
    and the values derived for it), then what the subject itself has under a name (``fallback``:
    a record model's computed attributes). ``None`` is a missing value."""

    __slots__ = ("values", "fallback")

    def __init__(self, values: dict[str, Any], fallback: Fallback):
        self.values, self.fallback = values, fallback

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.values:
            return self.values[key]
        value = self.fallback.get(key)
        return default if value is None else value


@dataclass(eq=False)
class CompiledRules:
    """The compiled rules of one pack for one subject kind: what a backend prepares."""

    pack: Pack
    kind: str
    rules: list[CompiledRule]
    #: what the compiled rules depend on beyond the pack's rules for the kind (the pack object's id and
    #: hash, the kind, chosen by date, the absent-steps standard): equal keys, equal compiled rules, so
    #: a backend may prepare them once per process and share them
    key: tuple

    def describe(self, rules: Sequence[CompiledRule] | None = None) -> str:
        """``pack <id> (<kind>): rules <id> (<file>:<line>), ...``: what errors name."""
        chosen = self.rules if rules is None else rules
        return f"pack {self.pack.id} ({self.kind}): rules " + ", ".join(
            f"{rule.rule.id} ({rule.rule.origin})" for rule in chosen
        )


class Prepared(Protocol):
    """The compiled rules of one pack and kind, ready on a backend."""

    def first_branches(self, rows: Sequence[Row]) -> list[dict[int, int]]:
        """Per row, in order: rule index -> index of the first of its branches that held (a rule
        none of whose branches held is absent), by ascending rule index."""
        ...


class Backend(Protocol):
    #: the registry's name for it (its folder)
    name: str
    #: how many subjects one call of ``first_branches`` best takes (the executor slices work by it)
    batch_size: int

    def prepare(self, rules: CompiledRules) -> Prepared:
        """Ready the rules for ``first_branches``. A rule the backend cannot run raises a ValueError
        naming it (loading rejects such rules first: ``limit_problems``)."""
        ...

    def limit_problems(self, rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
        """What keeps one rule from running on this backend, as sentences (none: it runs). With
        ``share`` < 1, the limits of the backend the rule uses more than that share of."""
        ...
