"""Compile resolved rules into the intermediate form (IR) every backend runs.

The intermediate form of a rule is an *ordered* list of branches over one fact,
read like SQL's ``CASE WHEN``: the first branch that holds gives the outcome, and
when none holds (the rule's scope is false) the rule does not apply. Branches are
positive conditions, never complements of each other, so nothing grows
exponentially when a backend compiles them to disjunctive normal form. Names are
bound to fact keys (rule-local derived values get a ``d<n>__`` prefix; parameters
become literals), so the branches can be evaluated by any backend that can test
presence and compare scalars (``engine/backends``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...models.records import FIELD_LABELS_ZH
from . import language as cond
from .packs import ACT_DATE, IN_FORCE_FROM, Rule, value_type


@dataclass(frozen=True)
class CompiledBranch:
    outcome: str
    condition: dict
    message: dict[str, str] | None
    #: the step fields whose absence this branch is about, and the standard that decided its outcome
    absent_step: tuple[str, ...] = ()
    #: "act-date-unknown": the act's date is missing, so which source was in force is unknown
    reason: str | None = None
    #: where in the rule the branch comes from (for messages): ``outcomes[1] (violation)``, ``needs``...
    source: str | None = None


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


def compile_rule(
    rule: Rule, index: int, *, starts_on: dt.date | None = None, absent_steps: str = "indeterminate"
) -> CompiledRule:
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
        branches.append(
            CompiledBranch(
                "indeterminate",
                cond.conjoin(applies, {"op": "missing", "name": act_key}),
                None,
                reason="act-date-unknown",
                source="the act-date-unknown branch (applies)",
            )
        )
    if rule.needs:
        branches.append(
            CompiledBranch(
                "indeterminate",
                cond.conjoin(scope, any_need_missing),
                None,
                source="the missing-needs branch (applies, needs)",
            )
        )
    for position, branch in enumerate(rule.branches):
        outcome, message = branch.outcome, branch.message
        if branch.absent_step:
            outcome, message = absent_step_outcome(branch.absent_step, message, rule.kind, absent_steps)
        branches.append(
            CompiledBranch(
                outcome,
                cond.conjoin(scope, needs_present, bind(branch.condition)),
                message,
                branch.absent_step,
                source=f"outcomes[{position}] ({branch.outcome})",
            )
        )
    branches.append(
        CompiledBranch("pass", cond.conjoin(scope, needs_present), None, source="the pass branch (applies, needs)")
    )
    branches = [b for b in branches if b.condition != {"op": "const", "value": False}]
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


def absent_step_outcome(
    steps: tuple[str, ...], message: dict[str, str], kind: str, standard: str
) -> tuple[str, dict[str, str]]:
    """The outcome and message of a branch that holds because a step has no record."""
    if standard == "violation":
        return "violation", {lang: text + ABSENT_TEXT["violation"][lang] for lang, text in message.items()}
    labels = FIELD_LABELS_ZH.get(kind, {})
    names = {"zh": "、".join(f"{labels.get(step, step)}（{step}）" for step in steps), "en": ", ".join(steps)}
    return "indeterminate", {
        lang: ABSENT_TEXT["indeterminate"][lang].format(steps=names[lang]) for lang in ("zh", "en")
    }


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
            names |= condition_names(branch.condition)
    return names


def condition_names(node: dict) -> set[str]:
    """The names a condition (IR) reads: ``conditions.names_in`` for conditions only, faster."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        op = item["op"]
        if op == "cmp":
            for side in (item["left"], item["right"]):
                if "name" in side:
                    found.add(side["name"])
        elif op in ("and", "or"):
            stack.extend(item["args"])
        elif op in ("present", "missing"):
            found.add(item["name"])
    return found
