"""The durable-rules backend: the compiled rules of a pack and kind registered as durable rulesets
once per process, subjects asserted as facts, the first branch per rule read from what fired."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ...rules.ir import fact_names_used
from ...rules.packs import Rule
from ..base import CompiledRules, Row
from .host import CHUNK, DurableRuleset, new_host
from .limits import durable_rulesets, engine_limit_problems
from .translate import check_reserved, encode_value, parse_branch_name, short_keys

_ABSENT = object()
#: fact values durable-rules compares as they are (dates become day numbers: ``encode_value``)
_PLAIN_FACT_TYPES = frozenset({str, int, float, bool})

#: durable rulesets registered in this process (with their pack), by (pid, *CompiledRules.key):
#: ``DurableBackend.prepare``
_PREPARED: dict[tuple, tuple[Any, DurablePrepared]] = {}
_PREPARED_LOCK = threading.Lock()


class DurablePrepared:
    """The rules of one pack and kind registered on durable-rules, split into rulesets within its
    limits; each ruleset with the (name, value key, presence key) of the names its facts carry."""

    def __init__(self, rules: CompiledRules):
        """A rule the engine cannot take raises limits.EngineLimitError (naming it) before anything is
        registered; an error code from durable-rules raises host.RuleEngineError naming the rules of
        the ruleset it refused, with their files and lines."""
        host = new_host()
        self.kind = rules.kind
        for rule in rules.rules:
            check_reserved(rule)
        self.rulesets: list[tuple[DurableRuleset, list[tuple[str, str, str]]]] = []
        keys = short_keys(fact_names_used(rules.rules))
        for definition in durable_rulesets(rules.kind, rules.rules, keys):
            indexes = {parsed[0] for parsed in map(parse_branch_name, definition) if parsed}
            chunk = [rule for rule in rules.rules if rule.index in indexes]
            names = [(name, *keys[name]) for name in sorted(fact_names_used(chunk))]
            self.rulesets.append((DurableRuleset(host, definition, owner=rules.describe(chunk)), names))

    def first_branches(self, rows: Sequence[Row]) -> list[dict[int, int]]:
        fired: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ruleset, names in self.rulesets:
            facts = [self._fact(index, row, names) for index, row in enumerate(rows)]
            for fact_id, pairs in ruleset.run(facts).items():
                fired[fact_id].extend(pairs)
        first_branches: list[dict[int, int]] = []
        for index in range(len(rows)):
            first_branch: dict[int, int] = {}
            for rule_index, branch_index in fired[f"f{index}"]:
                first_branch[rule_index] = min(branch_index, first_branch.get(rule_index, branch_index))
            first_branches.append(first_branch)
        return first_branches

    def _fact(self, index: int, row: Row, names: list[tuple[str, str, str]]) -> dict[str, Any]:
        fact: dict[str, Any] = {"id": f"f{index}", "kind": self.kind}
        values, fallback = row.values, row.fallback
        for name, short, has in names:
            value = values.get(name, _ABSENT)
            if value is _ABSENT:
                value = fallback.get(name)
            if value is None:
                fact[has] = False
                continue
            fact[has] = True
            kind = value.__class__
            if kind in _PLAIN_FACT_TYPES:
                fact[short] = value
            elif kind is dt.date:
                fact[short] = value.toordinal()
            elif kind is not list and kind is not tuple:
                fact[short] = encode_value(value)
        return fact


class DurableBackend:
    name = "durable"
    #: facts asserted per durable-rules session (host.CHUNK)
    batch_size = CHUNK

    def prepare(self, rules: CompiledRules) -> DurablePrepared:
        """Registered once per process and reused by every later evaluator of the same rules (a forked
        worker registers its own): each registration holds ~2 MB in durable-rules that is never given
        back (measured: 200 checks of one draft grew a process by 370 MB), which a long-running server
        cannot afford. A registration that fails keeps nothing."""
        key = (os.getpid(), *rules.key)
        with _PREPARED_LOCK:
            if key not in _PREPARED:  # the pack is kept with them, so its id is not reused
                _PREPARED[key] = (rules.pack, DurablePrepared(rules))
            return _PREPARED[key][1]

    def limit_problems(self, rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
        return engine_limit_problems(rule, pack_start, share)
