"""Compile resolved rules into the intermediate form, and that into durable-rules JSON.

The intermediate form of a rule is an *ordered* list of branches over one fact,
read like SQL's ``CASE WHEN``: the first branch that holds gives the outcome, and
when none holds (the rule's scope is false) the rule does not apply. Branches are
positive conditions, never complements of each other, so nothing grows
exponentially when compiled to durable-rules' DNF. Names are bound to fact
keys (rule-local derived values get a ``d<n>__`` prefix; parameters become
literals), so the branches can be evaluated by any backend that can test
presence and compare scalars: durable-rules today, SQL later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from fzcheck.engine import conditions as cond
from fzcheck.engine.rulesets import ACT_DATE, IN_FORCE_FROM, Rule, value_type

#: keep every durable-rules ruleset well under the 512-conditions-per-node hang (notes/durable-rules.md)
MAX_CONDITIONS_PER_RULESET = 300
HAS_PREFIX = "has__"
RESERVED_FACT_KEYS = {"id", "sid", "$s"}


@dataclass(frozen=True)
class CompiledBranch:
    outcome: str
    condition: dict
    message: dict[str, str] | None
    #: the step fields whose absence this branch is about, and the standard that decided its outcome
    absent_step: tuple[str, ...] = ()
    #: "act-date-unknown": the act's date is missing, so which source was in force is unknown
    reason: str | None = None


@dataclass
class CompiledRule:
    """One rule bound to fact keys: exclusive branches plus what the fact must carry."""

    rule: Rule
    index: int
    branches: list[CompiledBranch]
    fact_names: dict[str, str]
    #: per-rule constants conditions and derive expressions may read (``in_force_from``)
    constants: dict[str, Any] = field(default_factory=dict)
    absent_steps: str = "indeterminate"

    def fact_key(self, name: str) -> str:
        return self.fact_names.get(name, name)

    @property
    def evidence_names(self) -> list[str]:
        return self.rule.evidence or [*self.rule.needs, *self.rule.derived_names]


def derived_key(rule_index: int, name: str) -> str:
    return f"d{rule_index}__{name}"


ABSENT_STEPS = ("indeterminate", "violation")


def compile_rule(rule: Rule, index: int, *, starts_on: dt.date | None = None,
                 absent_steps: str = "indeterminate") -> CompiledRule:
    """One rule as ordered branches. ``starts_on`` is the first act date the rule binds (its own
    sources' date, and its pack's issue date when the pack was chosen by region and date);
    ``absent_steps`` is the standard for a step with no record (records.md, Outcomes)."""
    if absent_steps not in ABSENT_STEPS:
        raise ValueError(f"absent_steps must be one of {', '.join(ABSENT_STEPS)}, got {absent_steps!r}")
    fact_names = {name: derived_key(index, name) for name in rule.derived_names}
    constants = {IN_FORCE_FROM: starts_on}

    def bind(node: dict) -> dict:
        return _bind(node, fact_names, {**rule.params, **constants})

    applies = bind(rule.applies) if rule.applies is not None else {"op": "const", "value": True}
    act_key = fact_names[ACT_DATE]
    dated_scope = []
    if starts_on is not None:
        dated_scope.append(_cmp(act_key, ">=", starts_on))
    if rule.ends_on is not None:
        dated_scope.append(_cmp(act_key, "<=", rule.ends_on))
    scope = cond.conjoin(applies, *dated_scope)
    needs_present = cond.conjoin(*[{"op": "present", "name": fact_names.get(n, n)} for n in rule.needs])
    any_need_missing = cond.negate(needs_present)

    branches: list[CompiledBranch] = []
    if dated_scope:
        branches.append(CompiledBranch("indeterminate", cond.conjoin(applies, {"op": "missing", "name": act_key}),
                                       None, reason="act-date-unknown"))
    if rule.needs:
        branches.append(CompiledBranch("indeterminate", cond.conjoin(scope, any_need_missing), None))
    for branch in rule.branches:
        outcome, message = branch.outcome, branch.message
        if branch.absent_step:
            outcome, message = absent_step_outcome(branch.absent_step, message, rule.kind, absent_steps)
        branches.append(CompiledBranch(outcome, cond.conjoin(scope, needs_present, bind(branch.condition)),
                                       message, branch.absent_step))
    branches.append(CompiledBranch("pass", cond.conjoin(scope, needs_present), None))
    branches = [b for b in branches if b.condition != {"op": "const", "value": False}]
    for branch in branches:
        reserved = cond.names_in(branch.condition) & RESERVED_FACT_KEYS
        if reserved:
            raise ValueError(f"{rule.id}: conditions cannot test {', '.join(sorted(reserved))} (reserved by durable-rules)")
    return CompiledRule(rule, index, branches, fact_names, constants, absent_steps)


#: what the default standard says of a step with no record, and what the case-file standard adds
ABSENT_TEXT = {
    "indeterminate": {
        "zh": "无法判定：未见{steps}记录，无法确认是否履行（按案卷评查口径 --absent-steps violation，未见记录即视为未履行）",
        "en": "Cannot tell: no record of {steps}, so whether it was done is unknown "
              "(under the case-file review standard, --absent-steps violation, no record counts as not done)",
    },
    "violation": {
        "zh": "（案卷评查口径：未见记录即视为未履行）",
        "en": " (case-file review standard: no record counts as not done)",
    },
}


def absent_step_outcome(steps: tuple[str, ...], message: dict[str, str], kind: str, standard: str
                        ) -> tuple[str, dict[str, str]]:
    """The outcome and message of a branch that holds because a step has no record."""
    if standard == "violation":
        return "violation", {lang: text + ABSENT_TEXT["violation"][lang] for lang, text in message.items()}
    from fzcheck.models.records import FIELD_LABELS_ZH

    labels = FIELD_LABELS_ZH.get(kind, {})
    names = {"zh": "、".join(f"{labels.get(step, step)}（{step}）" for step in steps),
             "en": ", ".join(steps)}
    return "indeterminate", {lang: ABSENT_TEXT["indeterminate"][lang].format(steps=names[lang])
                             for lang in ("zh", "en")}


def _cmp(name: str, op: str, value: dt.date) -> dict:
    return {"op": "cmp", "cmp": op, "left": {"name": name}, "right": {"value": value, "type": "date"}}


def _bind(node: Any, fact_names: dict[str, str], params: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_bind(item, fact_names, params) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("op") in ("present", "missing"):
        name = node["name"]
        if name in params:
            return {"op": "const", "value": (params[name] is not None) == (node["op"] == "present")}
        return {"op": node["op"], "name": fact_names.get(name, name)}
    if set(node) == {"name"}:
        name = node["name"]
        if name in params:
            value = params[name]
            return {"value": value, "type": value_type(value)}
        return {"name": fact_names.get(name, name)}
    bound = {key: _bind(value, fact_names, params) for key, value in node.items()}
    if bound.get("op") == "cmp" and "value" in bound["left"] and "value" in bound["right"]:
        return {"op": "const", "value": cond.evaluate(bound, {})}
    if bound.get("op") == "and":
        return cond.conjoin(*bound["args"])
    if bound.get("op") == "or":
        return cond.disjoin(*bound["args"])
    return bound


def fact_names_used(compiled: list[CompiledRule]) -> set[str]:
    names: set[str] = set()
    for rule in compiled:
        for branch in rule.branches:
            names |= cond.names_in(branch.condition)
    return names


# --------------------------------------------------------------------------- durable-rules JSON


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
        return parts[0] if len(parts) == 1 else {f"${op}": parts}
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


#: durable-rules keeps field-to-field comparisons ($m) of one rule in a sequence of at most 32
#: expressions, operators included (MAX_SEQUENCE_EXPRESSIONS, error 113); stay well below it.
MAX_FIELD_COMPARISONS = 8


def count_field_comparisons(expression: Any) -> int:
    if isinstance(expression, dict):
        return sum(1 if key == "$m" else count_field_comparisons(value) for key, value in expression.items())
    if isinstance(expression, list):
        return sum(count_field_comparisons(item) for item in expression)
    return 0


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


def durable_rulesets(kind: str, compiled: list[CompiledRule],
                     keys: dict[str, tuple[str, str]] | None = None) -> list[dict[str, dict]]:
    """Durable ruleset definitions (without actions) for one (pack, kind), split to stay under the node limits.

    Every condition carries a positive test on ``kind`` (the state document the engine re-asserts
    has no kind, so nothing can fire forever on it), and every ruleset has a catch-all so a fact
    is never "not handled".
    """
    chunks: list[dict[str, dict]] = []
    current: dict[str, dict] = {}
    size = 0
    for rule in compiled:
        rule_defs: dict[str, dict] = {}
        rule_size = 0
        for branch_index, branch in enumerate(rule.branches):
            test = to_durable(branch.condition, keys)
            if count_field_comparisons(test) > MAX_FIELD_COMPARISONS:
                raise ValueError(f"{rule.rule.id if rule.rule else rule.index}: a branch compares more than "
                                 f"{MAX_FIELD_COMPARISONS} pairs of fields; derive a value instead")
            pattern = {"kind": kind} if test is None else {"$and": [{"kind": kind}, test]}
            rule_defs[branch_name(rule.index, branch_index)] = {"all": [{"m": pattern}]}
            rule_size += 1 + count_conditions(test)
        if current and size + rule_size > MAX_CONDITIONS_PER_RULESET:
            chunks.append(current)
            current, size = {}, 0
        current.update(rule_defs)
        size += rule_size
    if current or not chunks:
        chunks.append(current)
    for chunk in chunks:
        chunk["catch_all"] = {"all": [{"m": {"kind": kind}}]}
    return chunks
