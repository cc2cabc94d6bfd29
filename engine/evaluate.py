"""Evaluate subjects (records and synthetic subjects) against packs: derive -> facts -> durable-rules -> outcomes."""

from __future__ import annotations

import datetime as dt
import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fzcheck.engine.compiler import (
    HAS_PREFIX,
    CompiledRule,
    compile_rule,
    durable_rulesets,
    encode_value,
    fact_names_used,
)
from fzcheck.engine.durable_backend import DurableRuleset, new_host
from fzcheck.engine.functions import REGISTRY, DeriveContext
from fzcheck.engine.results import OUTCOME_RANK, Outcome, SourceRef
from fzcheck.engine.rulesets import Pack, Rule

MISSING_TEXT = "—"


@dataclass
class Subject:
    """What a rule is checked against: a record, or a synthetic subject such as an officer-year."""

    kind: str
    id: str
    region_code: str | None
    source: SourceRef | None
    values: Any  # a record model (attribute access) or a dict
    key_date: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name in self.extra:
            return self.extra[name]
        if isinstance(self.values, dict):
            return self.values.get(name)
        return getattr(self.values, name, None)


class _SafeFormat(dict):
    def __missing__(self, key: str) -> str:
        return MISSING_TEXT


BOOLEAN_TEXT = {"zh": ("否", "是"), "en": ("no", "yes")}


def _display(value: Any, lang: str = "zh") -> str:
    if value is None:
        return MISSING_TEXT
    if isinstance(value, bool):
        return BOOLEAN_TEXT[lang][value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return {k: _jsonable(v) for k, v in value.model_dump(exclude_none=True).items()}
    return value


def batch_fields(rule: Rule) -> list[str]:
    """Fields a rule's batch functions (count_same, ...) count over the records checked together."""
    found: list[str] = []

    def walk(tree: dict) -> None:
        if "call" in tree:
            function = REGISTRY[tree["call"]]
            if function.batch and tree["args"] and "name" in tree["args"][0]:
                found.append(tree["args"][0]["name"])
            for arg in tree["args"]:
                walk(arg)

    for _, tree, _ in rule.derive:
        walk(tree)
    return found


class PackKindEvaluator:
    """The compiled rules of one pack for one record kind, registered on durable-rules once per run."""

    def __init__(self, pack: Pack, kind: str, host=None):
        self.pack = pack
        self.kind = kind
        self.compiled: list[CompiledRule] = [compile_rule(rule, index) for index, rule in enumerate(pack.rules_for(kind))]
        host = host or new_host()
        self.rulesets: list[tuple[DurableRuleset, set[str]]] = []
        for definition in durable_rulesets(kind, self.compiled):
            indexes = {int(name[1:].split("_")[0]) for name in definition if name != "catch_all"}
            names = fact_names_used([rule for rule in self.compiled if rule.index in indexes])
            self.rulesets.append((DurableRuleset(host, definition, indexes), names))

    def derive(self, subject: Subject, ctx: DeriveContext, as_of: dt.date) -> dict[str, Any]:
        """All values the rules read, by fact key: fields, builtins and each rule's derived values."""
        values: dict[str, Any] = {"as_of": as_of, "key_date": subject.key_date}
        ctx.subject = subject
        for rule in self.compiled:
            local = _RuleScope(subject, values, rule.rule.params)
            for name, tree, _ in rule.rule.derive:
                ctx.notes.discard("calendar-fallback")
                value = evaluate_derive(tree, local, ctx, self.kind)
                local.derived[name] = value
                values[rule.fact_key(name)] = value
                if "calendar-fallback" in ctx.notes:
                    values[f"d{rule.index}__calendar_fallback"] = True
        return values

    def evaluate(self, subjects: list[Subject], ctx: DeriveContext, as_of: dt.date) -> list[Outcome]:
        if not self.compiled or not subjects:
            return []
        derived = [self.derive(subject, ctx, as_of) for subject in subjects]
        fired: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ruleset, names in self.rulesets:
            facts = [self._fact(index, subject, values, names) for index, (subject, values) in enumerate(zip(subjects, derived))]
            for fact_id, pairs in ruleset.run(facts).items():
                fired[fact_id].extend(pairs)
        outcomes: list[Outcome] = []
        for index, subject in enumerate(subjects):
            first_branch: dict[int, int] = {}
            for rule_index, branch_index in fired[f"f{index}"]:
                first_branch[rule_index] = min(branch_index, first_branch.get(rule_index, branch_index))
            for rule_index in sorted(first_branch):
                outcomes.append(self._outcome(subject, derived[index], self.compiled[rule_index],
                                              first_branch[rule_index]))
        return outcomes

    def _fact(self, index: int, subject: Subject, values: dict[str, Any], names: set[str]) -> dict[str, Any]:
        fact: dict[str, Any] = {"id": f"f{index}", "kind": self.kind}
        for name in names:
            value = values[name] if name in values else subject.get(name)
            present = value is not None
            fact[HAS_PREFIX + name] = present
            if present:
                fact[name] = encode_value(value)
        return fact

    def _outcome(self, subject: Subject, values: dict[str, Any], compiled: CompiledRule,
                 branch_index: int) -> Outcome:
        """The outcome of the first branch that held (no branch held: the rule does not apply)."""
        branch = compiled.branches[branch_index]
        rule = compiled.rule
        scope = {name: values.get(compiled.fact_key(name), subject.get(name)) if name not in rule.params
                 else rule.params[name] for name in rule.name_types}
        scope["as_of"], scope["key_date"] = values["as_of"], values["key_date"]
        evidence_names = rule.evidence or [*rule.needs, *rule.derived_names]
        evidence = {name: _jsonable(scope.get(name)) for name in evidence_names}
        if values.get(f"d{compiled.index}__calendar_fallback"):
            evidence["calendar"] = "weekend-fallback"
        if branch.message is not None:
            messages = {
                lang: string.Formatter().vformat(
                    text, (), _SafeFormat({name: _display(value, lang) for name, value in scope.items()}))
                for lang, text in branch.message.items()}
        elif branch.outcome == "indeterminate":
            missing = [name for name in rule.needs if scope.get(name) is None]
            evidence["missing"] = missing
            messages = {"zh": f"缺少{'、'.join(missing)}，无法判定", "en": f"cannot tell: missing {', '.join(missing)}"}
        else:
            messages = {"zh": f"符合：{rule.title.get('zh', rule.id)}", "en": f"complies: {rule.title.get('en', rule.id)}"}
        return Outcome(
            outcome=branch.outcome,
            rule_id=rule.id,
            ruleset=rule.pack,
            severity=rule.severity,
            record_kind=subject.kind,
            record_id=subject.id,
            source=subject.source,
            messages=messages,
            evidence=evidence,
            citation=rule.citation,
            title=rule.title,
        )


class _RuleScope(dict):
    """Name lookup for one rule's derive expressions: its derived values, its params, then the subject."""

    def __init__(self, subject: Subject, values: dict[str, Any], params: dict[str, Any]):
        super().__init__()
        self.subject, self.values, self.params, self.derived = subject, values, params, {}

    def lookup(self, name: str) -> Any:
        if name in self.derived:
            return self.derived[name]
        if name in self.params:
            return self.params[name]
        if name in self.values:
            return self.values[name]
        return self.subject.get(name)


def evaluate_derive(tree: dict, scope: _RuleScope, ctx: DeriveContext, kind: str) -> Any:
    if "call" in tree:
        function = REGISTRY[tree["call"]]
        if function.batch:
            field_name = tree["args"][0]["name"]
            return function.impl(ctx, kind, field_name, scope.lookup(field_name))
        args = [evaluate_derive(arg, scope, ctx, kind) for arg in tree["args"]]
        return function.impl(ctx, *args)
    if "list" in tree:
        return list(tree["list"])
    if "name" in tree:
        return scope.lookup(tree["name"])
    return tree["value"]


def merge_worst(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Keep one outcome per (record, rule, pack): the worst, when a subject produced several."""
    best: dict[tuple[str, str, str, str], Outcome] = {}
    for outcome in outcomes:
        key = (outcome.record_kind, outcome.record_id, outcome.ruleset, outcome.rule_id)
        current = best.get(key)
        if current is None or OUTCOME_RANK.get(outcome.outcome, 0) > OUTCOME_RANK.get(current.outcome, 0):
            best[key] = outcome
    return list(best.values())


ProgressCallback = Callable[[int], None]
