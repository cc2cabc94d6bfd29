"""Evaluate subjects (records and synthetic subjects) against packs: derive -> facts -> durable-rules -> outcomes."""

from __future__ import annotations

import datetime as dt
import os
import string
import threading
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ...models.records import ENUM_LABELS_ZH, ENUM_VALUES, FIELD_LABELS_ZH
from ..backends.durable.host import DurableRuleset, new_host
from ..derive.functions import REGISTRY, DeriveContext
from ..outcomes.results import Outcome, jsonable
from ..rules import language as cond
from ..rules.ir import (
    CompiledRule,
    compile_rule,
    durable_rulesets,
    encode_value,
    fact_names_used,
    parse_branch_name,
    short_keys,
)
from ..rules.packs import ACT_DATE, IN_FORCE_FROM, Pack, Rule, value_in_force
from ..subjects.kinds import BUILTIN_NAMES
from ..subjects.subject import Subject

MISSING_TEXT = "—"
_ABSENT = object()
#: fact values durable-rules compares as they are (dates become day numbers: ``encode_value``)
_PLAIN_FACT_TYPES = frozenset({str, int, float, bool})


class _SafeFormat(dict):
    """The values a message shows, by name (display text); a name without one shows ``—``."""

    def __missing__(self, key: str) -> str:
        return MISSING_TEXT

    def render(self, text: str) -> str:
        """``text`` with each plain ``{name}`` replaced by its value. Nothing else is formatted: a
        placeholder with a format spec, conversion, index or attribute (``{title:>300000000}``,
        ``{x!r}``, ``{a[0]}``, ``{x:{y}}``) stays as written, and so does a text that is not a valid
        format string. Rule files refuse both (rulesets ``_placeholders``); this holds for a message
        that bypassed the loader."""
        return "".join(part if literal else str(self[part]) for literal, part in _message_parts(text))


@lru_cache(maxsize=4096)
def _message_parts(text: str) -> tuple[tuple[bool, str], ...]:
    """A message as (literal?, text or placeholder name) parts, by ``string.Formatter().parse``."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return ((True, text),)
    parts: list[tuple[bool, str]] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            parts.append((True, literal))
        if name is None:
            continue
        if name.isidentifier() and not spec and conversion is None:
            parts.append((False, name))
        else:
            parts.append(
                (
                    True,
                    "{"
                    + name
                    + (f"!{conversion}" if conversion is not None else "")
                    + (f":{spec}" if spec else "")
                    + "}",
                )
            )
    return tuple(parts)


BOOLEAN_TEXT = {"zh": ("否", "是"), "en": ("no", "yes")}


def _display(value: Any, lang: str = "zh", name: str | None = None) -> str:
    if value is None:
        return MISSING_TEXT
    if isinstance(value, (list, tuple)):
        from ..outcomes.evidence_lists import bounded_list

        return bounded_list(value, lang, name, show=lambda item: _display(item, lang))
    if isinstance(value, bool):
        return BOOLEAN_TEXT[lang][value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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


#: durable rulesets registered in this process (with their pack), by (pid, id of the pack object, its
#: hash, kind, chosen by date, absent-steps standard): ``PackKindEvaluator.rulesets``
_PREPARED: dict[tuple, list] = {}
_PREPARED_LOCK = threading.Lock()


class PackKindEvaluator:
    """The compiled rules of one pack for one record kind, registered on durable-rules once per run."""

    def __init__(
        self,
        pack: Pack,
        kind: str,
        host=None,
        pass_details: bool = True,
        *,
        chosen_by_date: bool = True,
        absent_steps: str = "indeterminate",
    ):
        """``chosen_by_date``: the pack was chosen for these subjects by region and date, so its rules
        bind from its issue date; False for a what-if check (``--ruleset``), where only the rules'
        own sources' dates limit them."""
        self.pack = pack
        self.pass_details = pass_details
        self.unlisted_passes = 0
        self.unlisted_provisional = 0
        self.kind = kind
        pack_start = pack.meta.binds_from if chosen_by_date else None
        self.compiled: list[CompiledRule] = [
            compile_rule(rule, index, starts_on=rule.binds_from(pack_start), absent_steps=absent_steps)
            for index, rule in enumerate(pack.rules_for(kind))
        ]
        self.fact_derivations, self.outcome_derivations = split_derivations(
            self.compiled, fact_names_used(self.compiled), kind
        )
        #: fact key -> the fact keys its derivation reads: a value derived from a provisional one is provisional
        self._reads = derivation_reads(self.compiled)
        self._derived_keys = {"as_of", "key_date", PROVISIONAL_MARK} | {
            derived
            for derivations in (self.fact_derivations, self.outcome_derivations)
            for _, entries in derivations
            for key, _ in entries
            for derived in (key, key + PROVISIONAL_SUFFIX, key + MOVED_SUFFIX)
        }
        self._host = host
        self._rulesets: list[tuple[DurableRuleset, list[tuple[str, str, str]]]] | None = None
        #: what the registered rulesets depend on beyond the pack's rules for the kind (see ``rulesets``)
        self._prepared_key = (id(pack), pack.sha256, kind, chosen_by_date, absent_steps)

    @property
    def rulesets(self) -> list[tuple[DurableRuleset, list[tuple[str, str, str]]]]:
        """Registered on first use, in the process that evaluates (a forked worker builds its own).

        A rule the engine cannot take raises compiler.EngineLimitError (naming it) before anything is
        registered; an error code from durable-rules raises durable_backend.RuleEngineError naming
        the rules of the ruleset it refused, with their files and lines."""
        if self._rulesets is None and self._host is None:
            # registered once per process and reused by every later evaluator of the same rules: each
            # registration holds ~2 MB in durable-rules that is never given back (measured: 200 checks of
            # one draft grew a process by 370 MB), which a long-running server cannot afford
            key = (os.getpid(), *self._prepared_key)
            with _PREPARED_LOCK:
                if key not in _PREPARED:  # the pack is kept with them, so its id is not reused
                    _PREPARED[key] = (self.pack, self._register(new_host()))
                self._rulesets = _PREPARED[key][1]
        if self._rulesets is None:
            self._rulesets = self._register(self._host)
        return self._rulesets

    def _register(self, host) -> list[tuple[DurableRuleset, list[tuple[str, str, str]]]]:
        rulesets = []
        keys = short_keys(fact_names_used(self.compiled))
        for definition in durable_rulesets(self.kind, self.compiled, keys):
            indexes = {parsed[0] for parsed in map(parse_branch_name, definition) if parsed}
            chunk = [rule for rule in self.compiled if rule.index in indexes]
            used = fact_names_used(chunk)
            names = [(name, *keys[name]) for name in sorted(used)]
            owner = f"pack {self.pack.id} ({self.kind}): rules " + ", ".join(
                f"{rule.rule.id} ({rule.rule.origin})" for rule in chunk
            )
            rulesets.append((DurableRuleset(host, definition, owner=owner), names))
        return rulesets

    def derive_for_facts(self, subject: Subject, ctx: DeriveContext, as_of: dt.date) -> dict[str, Any]:
        """The builtins and the derived values the conditions read (and what those are derived from)."""
        fields = subject.values if isinstance(subject.values, dict) else subject.values.__dict__
        values: dict[str, Any] = {**fields, "as_of": as_of, "key_date": subject.key_date}
        self._derive_into(values, subject, ctx, self.fact_derivations)
        return values

    def _derive_into(
        self, values: dict[str, Any], subject: Subject, ctx: DeriveContext, derivations: Derivations
    ) -> None:
        """Derive in order. A deadline that moved past rest days, or that rests on a provisional day,
        is noted beside the value it gave (``<key>__moved``, ``<key>__provisional``); a value derived
        from a provisional one is provisional too. Nothing extra is done for the other subjects."""
        ctx.subject = subject
        flagged = ctx.flagged_deadlines
        flagged.clear()
        provisional = PROVISIONAL_MARK in values
        for _, rule_derivations in derivations:
            for key, function in rule_derivations:
                values[key] = function(values, ctx)
                if flagged:
                    provisional |= _note_deadlines(values, key, flagged, ctx.calendar)
                    flagged.clear()
                elif provisional:
                    years = {
                        year for read in self._reads.get(key, ()) for year in values.get(read + PROVISIONAL_SUFFIX, ())
                    }
                    if years:
                        values[key + PROVISIONAL_SUFFIX] = tuple(sorted(years))
        if provisional:
            values[PROVISIONAL_MARK] = True

    def provisional_years(
        self, compiled: CompiledRule, branch_index: int, values: dict[str, Any], subject: Subject
    ) -> tuple[int, ...]:
        """The years whose unknown holiday schedule could change this outcome: the branches up to the
        one that held, evaluated with the provisional values unknown, must all stay decided."""
        prefix = f"d{compiled.index}__"
        uncertain = {
            key[: -len(PROVISIONAL_SUFFIX)]: years
            for key, years in values.items()
            if key.startswith(prefix) and key.endswith(PROVISIONAL_SUFFIX)
        }
        if not uncertain:
            return ()
        lookup = _Lookup(values, subject)
        names = frozenset(uncertain)
        for index, branch in enumerate(compiled.branches[: branch_index + 1]):
            if cond.evaluate_uncertain(branch.condition, lookup, names) is None:
                return tuple(sorted({year for years in uncertain.values() for year in years}))
        return ()

    def derived_only(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """``values`` without the subject's own fields (what outcomes need; smaller to send between processes)."""
        if values is None:
            return None
        return {key: value for key, value in values.items() if key in self._derived_keys}

    def evaluate(self, subjects: list[Subject], ctx: DeriveContext, as_of: dt.date) -> list[Outcome]:
        derived, first_branches = self.fire(subjects, ctx, as_of)
        return self.outcomes(subjects, derived, first_branches)

    def fire(
        self, subjects: list[Subject], ctx: DeriveContext, as_of: dt.date
    ) -> tuple[list[dict[str, Any] | None], list[dict[int, int]]]:
        """Derive and run durable-rules: per subject, rule index -> first branch that held.

        Derived values are kept only where an outcome will show them (not for all-pass subjects
        unless pass details are wanted), so results stay small when sent between processes.
        """
        if not self.compiled or not subjects:
            return [], []
        derived = [self.derive_for_facts(subject, ctx, as_of) for subject in subjects]
        fired: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ruleset, names in self.rulesets:
            facts = [
                self._fact(index, subject, values, names)
                for index, (subject, values) in enumerate(zip(subjects, derived))
            ]
            for fact_id, pairs in ruleset.run(facts).items():
                fired[fact_id].extend(pairs)
        first_branches: list[dict[int, int]] = []
        for index in range(len(subjects)):
            first_branch: dict[int, int] = {}
            for rule_index, branch_index in fired[f"f{index}"]:
                first_branch[rule_index] = min(branch_index, first_branch.get(rule_index, branch_index))
            first_branches.append(first_branch)
            if (
                not self.pass_details
                and PROVISIONAL_MARK not in derived[index]
                and all(self.compiled[r].branches[b].outcome == "pass" for r, b in first_branch.items())
            ):
                derived[index] = None
            elif self.outcome_derivations:
                self._derive_into(derived[index], subjects[index], ctx, self.outcome_derivations)
        return derived, first_branches

    def outcomes(
        self,
        subjects: list[Subject],
        derived: list[dict[str, Any] | None],
        first_branches: list[dict[int, int]],
        keep_pass: bool = True,
    ) -> list[Outcome]:
        """Outcome objects; with ``keep_pass=False`` passes are only counted in ``unlisted_passes``."""
        outcomes: list[Outcome] = []
        for subject, values, first_branch in zip(subjects, derived, first_branches):
            for rule_index in sorted(first_branch):
                compiled = self.compiled[rule_index]
                if not keep_pass and compiled.branches[first_branch[rule_index]].outcome == "pass":
                    self.unlisted_passes += 1
                    if (
                        values
                        and PROVISIONAL_MARK in values
                        and self.provisional_years(compiled, first_branch[rule_index], values, subject)
                    ):
                        self.unlisted_provisional += 1
                    continue
                outcomes.append(self._outcome(subject, values or {}, compiled, first_branch[rule_index]))
        return outcomes

    def _fact(
        self, index: int, subject: Subject, values: dict[str, Any], names: list[tuple[str, str, str]]
    ) -> dict[str, Any]:
        fact: dict[str, Any] = {"id": f"f{index}", "kind": self.kind}
        for name, short, has in names:
            value = values.get(name, _ABSENT)
            if value is _ABSENT:
                value = subject.get(name)
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

    def _outcome(self, subject: Subject, values: dict[str, Any], compiled: CompiledRule, branch_index: int) -> Outcome:
        """The outcome of the first branch that held (no branch held: the rule does not apply)."""
        branch = compiled.branches[branch_index]
        rule = compiled.rule
        if branch.outcome == "pass" and not self.pass_details:
            return Outcome(
                "pass",
                rule.id,
                rule.pack,
                rule.severity,
                subject.kind,
                subject.id,
                subject.source,
                _pass_messages(rule),
                {},
                rule.citation,
                rule.title,
            )

        def value_of(name: str) -> Any:
            if name in rule.params:
                return rule.params[name]
            if name in compiled.constants:
                return compiled.constants[name]
            key = compiled.fact_key(name)
            return values[key] if key in values else subject.get(name)

        act_date = values.get(compiled.fact_key(ACT_DATE))
        evidence = {name: jsonable(value_of(name)) for name in compiled.evidence_names}
        for name, history in rule.dated_params.items():
            entry = value_in_force(history, act_date)
            evidence.setdefault("dated_parameters", {})[name] = {
                "value": jsonable(value_of(name)),
                "from": jsonable(entry.since if entry else None),
            }
        provisional_years = (
            self.provisional_years(compiled, branch_index, values, subject) if PROVISIONAL_MARK in values else ()
        )
        if provisional_years:
            evidence["provisional"] = True
            evidence["provisional_years"] = list(provisional_years)
        if branch.absent_step:
            evidence["absent_steps"] = compiled.absent_steps
            evidence["missing"] = list(branch.absent_step)
        if branch.reason == "act-date-unknown":
            messages = _act_date_unknown_messages(rule, compiled, subject.kind)
            evidence = {
                "missing": _act_date_fields(rule),
                "in_force_from": jsonable(compiled.constants.get(IN_FORCE_FROM)),
            }
        elif branch.message is not None:
            shown = {name: value_of(name) for name in _placeholder_names(branch.message)}
            enums = ENUM_VALUES.get(subject.kind, {})
            messages = {
                lang: _SafeFormat(
                    {
                        name: ENUM_LABELS_ZH.get(value, value)
                        if lang == "zh" and name in enums
                        else _display(value, lang, name)
                        for name, value in shown.items()
                    }
                ).render(text)
                for lang, text in branch.message.items()
            }
        elif branch.outcome == "indeterminate":
            missing = [name for name in rule.needs if value_of(name) is None]
            evidence["missing"] = missing
            labels = FIELD_LABELS_ZH.get(subject.kind, {})
            missing_zh = "、".join(f"{labels[name]}（{name}）" if name in labels else name for name in missing)
            messages = {"zh": f"缺少{missing_zh}，无法判定", "en": f"cannot tell: missing {', '.join(missing)}"}
        else:
            messages = _pass_messages(rule)
        if branch.outcome != "pass":
            moved = next(
                (
                    values[compiled.fact_key(name) + MOVED_SUFFIX]
                    for name in _placeholder_names(branch.message or {})
                    if compiled.fact_key(name) + MOVED_SUFFIX in values
                ),
                None,
            )
            if moved is not None and branch.outcome in ("violation", "pending"):
                messages = _with_moved_note(messages, moved)
            if provisional_years:
                messages = _with_suffix(
                    messages,
                    PROVISIONAL_NOTE,
                    years="、".join(map(str, provisional_years)),
                    years_en=", ".join(map(str, provisional_years)),
                )
            if self.pack.is_draft:
                messages = _with_suffix(messages, DRAFT_NOTE)
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
            citation=rule.citation_on(act_date),
            title=rule.title,
        )


PROVISIONAL_SUFFIX = "__provisional"
MOVED_SUFFIX = "__moved"
#: set in a subject's values when any of its derived values is provisional
PROVISIONAL_MARK = "__provisional__"


def _note_deadlines(values: dict[str, Any], key: str, flagged: list, calendar) -> bool:
    """Note, beside the value ``key`` got, its provisional years and the days its due date moved past
    (named: 休息日, 端午节…); True when it is provisional."""
    provisional = False
    for deadline in flagged:
        if deadline.provisional:
            provisional = True
            known = values.get(key + PROVISIONAL_SUFFIX) or ()
            values[key + PROVISIONAL_SUFFIX] = tuple(
                sorted({*known, *deadline.provisional_years} or {deadline.due_on.year})
            )
        if deadline.moved_from is not None and key + MOVED_SUFFIX not in values:
            values[key + MOVED_SUFFIX] = (
                deadline.moved_from,
                deadline.due_on,
                _days_moved_past(calendar, deadline.moved_from, deadline.due_on),
            )
    return provisional


class _Lookup:
    """A subject's values as the IR reads them (``get`` only, no copy): derived values by fact key,
    fields by name."""

    def __init__(self, values: dict[str, Any], subject: Subject):
        self.values, self.subject = values, subject

    def get(self, key, default=None):
        if key in self.values:
            return self.values[key]
        value = self.subject.get(key)
        return default if value is None else value


def derivation_reads(compiled: list[CompiledRule]) -> dict[str, frozenset[str]]:
    """Each derived value's fact key -> the fact keys of the values it is derived from."""
    reads: dict[str, frozenset[str]] = {}
    for rule in compiled:
        resolve = _resolver(rule)
        for name, tree, _ in rule.rule.derive:
            reads[rule.fact_key(name)] = frozenset(_values_read(tree, resolve))
    return reads


def _days_moved_past(calendar, first: dt.date, due_on: dt.date) -> dict[str, str]:
    """ "2018-06-16至2018-06-17为休息日、2018-06-18为端午节": the non-working days a due date moved
    past, consecutive days of one kind as a range."""
    runs: list[tuple[dt.date, dt.date, dict[str, str]]] = []
    day = first
    while day < due_on:
        info = calendar.day_info(day)
        name = info.name if info.name and not info.working else {"zh": "休息日", "en": "a rest day"}
        if runs and runs[-1][2] == name and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
        day += dt.timedelta(days=1)

    def span(start: dt.date, end: dt.date, joiner: str) -> str:
        return start.isoformat() if start == end else f"{start.isoformat()}{joiner}{end.isoformat()}"

    return {
        "zh": "、".join(f"{span(a, b, '至')}为{name['zh']}" for a, b, name in runs),
        "en": ", ".join(f"{span(a, b, ' to ')} {'were' if a != b else 'was'} {name['en']}" for a, b, name in runs),
    }


#: appended to findings that rest on a day whose holiday schedule is not official
PROVISIONAL_NOTE = {
    "zh": "（暂定：{years}年国务院放假安排尚未载入，按法定节假日推算，调休可能改变结论）",
    "en": " (provisional: the State Council holiday schedule for {years_en} is not loaded; statutory "
    "holidays were computed by law, and make-up working days could change this)",
}
#: appended to findings of a pack built from a consultation draft
DRAFT_NOTE = {
    "zh": "（依据为征求意见稿，尚未正式印发）",
    "en": " (based on a consultation draft, not an adopted plan)",
}
MOVED_NOTE = {
    "zh": "（期限末日{moved_from}起，{because}，依法顺延至{due_on}）",
    "en": " (from the period's last day {moved_from}: {because_en}; so it ran to {due_on})",
}


def _with_suffix(messages: dict[str, str], note: dict[str, str], **fields: str) -> dict[str, str]:
    return {lang: text + note.get(lang, note["zh"]).format(**fields) for lang, text in messages.items()}


def _with_moved_note(messages: dict[str, str], moved: tuple) -> dict[str, str]:
    moved_from, due_on, because = moved
    return _with_suffix(
        messages,
        MOVED_NOTE,
        moved_from=moved_from.isoformat(),
        due_on=due_on.isoformat(),
        because=because.get("zh", ""),
        because_en=because.get("en", ""),
    )


def _act_date_fields(rule: Rule) -> list[str]:
    tree = next(tree for name, tree, _ in rule.derive if name == ACT_DATE)
    names: list[str] = []

    def walk(node: dict) -> None:
        if "call" in node:
            for arg in node["args"]:
                walk(arg)
        elif "name" in node and node["name"] not in names:
            names.append(node["name"])

    walk(tree)
    return names


def _act_date_unknown_messages(rule: Rule, compiled: CompiledRule, kind: str) -> dict[str, str]:
    labels = FIELD_LABELS_ZH.get(kind, {})
    fields = _act_date_fields(rule)
    start = compiled.constants.get(IN_FORCE_FROM)
    zh_fields = "、".join(f"{labels.get(name, name)}（{name}）" for name in fields)
    since = f"（本规则自{start.isoformat()}起适用）" if start else ""
    since_en = f" (the rule applies from {start.isoformat()})" if start else ""
    return {
        "zh": f"无法判定：缺少{zh_fields}，无法确定行为发生时本规则是否已施行{since}",
        "en": f"Cannot tell: {', '.join(fields)} missing, so whether the rule was in force for the act "
        f"is unknown{since_en}",
    }


@lru_cache(maxsize=None)
def _pass_messages_cached(rule_id: str, zh: str, en: str) -> dict[str, str]:
    return {"zh": f"符合：{zh}", "en": f"complies: {en}"}


def _pass_messages(rule: Rule) -> dict[str, str]:
    return _pass_messages_cached(rule.id, rule.title.get("zh", rule.id), rule.title.get("en", rule.id))


@lru_cache(maxsize=None)
def _placeholder_names_cached(texts: tuple[str, ...]) -> tuple[str, ...]:
    names: list[str] = []
    for text in texts:
        for _, name, _, _ in string.Formatter().parse(text):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _placeholder_names(message: dict[str, str]) -> tuple[str, ...]:
    return _placeholder_names_cached(tuple(message.values()))


Resolved = tuple[str, Any]  # ("key", where the subject's values hold it) | ("const", a rule parameter)
#: (rule index, [(fact key, compiled derive expression)]) in the order the rule file gives them
Derivations = list[tuple[int, list[tuple[str, Callable[[dict, DeriveContext], Any]]]]]


def split_derivations(
    compiled: list[CompiledRule], condition_names: set[str], kind: str
) -> tuple[Derivations, Derivations]:
    """Each rule's derived values in two parts: those the conditions read, with what they are derived
    from, and the rest, which only messages and evidence show. The engine needs only the first part
    for every subject; the second is computed for the subjects whose outcomes are shown (most audit
    subjects pass every rule, so their ``days_late`` and the like are never looked at)."""
    for_facts: Derivations = []
    for_outcomes: Derivations = []
    for rule in compiled:
        if not rule.rule.derive:
            continue
        resolve = _resolver(rule)
        entries = [(rule.fact_key(name), tree) for name, tree, _ in rule.rule.derive]
        own_keys = {key for key, _ in entries}
        needed = {key for key in own_keys if key in condition_names}
        for key, tree in reversed(entries):
            if key in needed:
                needed |= _values_read(tree, resolve) & own_keys
        early = [(key, compile_derive(tree, kind, resolve)) for key, tree in entries if key in needed]
        late = [(key, compile_derive(tree, kind, resolve)) for key, tree in entries if key not in needed]
        if early:
            for_facts.append((rule.index, early))
        if late:
            for_outcomes.append((rule.index, late))
    return for_facts, for_outcomes


def _values_read(tree: dict, resolve: Callable[[str], Resolved]) -> set[str]:
    """The fact keys a derive expression reads from the values derived before it."""
    if "call" in tree:
        return set().union(*(_values_read(arg, resolve) for arg in tree["args"]))
    if "name" in tree:
        where, key = resolve(tree["name"])
        return {key} if where == "key" else set()
    return set()


def _resolver(rule: CompiledRule) -> Callable[[str], Resolved]:
    """Where a name in a rule's derive expressions is read from, decided once when compiling."""

    def resolve(name: str) -> Resolved:
        if name in rule.rule.params and name not in rule.fact_names and name not in BUILTIN_NAMES:
            return "const", rule.rule.params[name]
        if name in rule.constants:
            return "const", rule.constants[name]
        return "key", rule.fact_key(name)

    return resolve


DeriveClosure = Callable[[dict, DeriveContext], Any]


def compile_derive(tree: dict, kind: str, resolve: Callable[[str], Resolved]) -> DeriveClosure:
    """Turn a parsed derive expression into a closure over registry functions (built once per run).

    The closure takes the subject's values — its fields, the builtins and the values derived so far
    (by fact key), in one dict — and the context. A call whose arguments are names or literals reads
    them itself (the common case: one closure and the function per derived value).
    """
    if "call" in tree:
        function = REGISTRY[tree["call"]]
        impl = function.impl
        if function.batch:
            field_name = tree["args"][0]["name"]
            read = compile_derive(tree["args"][0], kind, resolve)
            return lambda values, ctx: impl(ctx, kind, field_name, read(values, ctx))
        return _call(function, [_operand(arg, kind, resolve) for arg in tree["args"]])
    if "list" in tree:
        items = list(tree["list"])
        return lambda values, ctx: list(items)
    how, what = _operand(tree, kind, resolve)
    if how == "key":
        return lambda values, ctx: values.get(what)
    return lambda values, ctx: what


Operand = tuple[str, Any]  # ("key", key in the values) | ("const", value) | ("expr", closure)


def _operand(tree: dict, kind: str, resolve: Callable[[str], Resolved]) -> Operand:
    if "name" in tree:
        return resolve(tree["name"])
    if "value" in tree:
        return "const", tree["value"]
    return "expr", compile_derive(tree, kind, resolve)


def _call(function, operands: list[Operand]) -> DeriveClosure:
    plain, impl = function.plain, function.impl
    if function.needs_all and any(how == "const" and what is None for how, what in operands):
        return lambda values, ctx: None
    hows = tuple(how for how, _ in operands)
    if function.needs_all and hows == ("key",):
        ((_, key),) = operands
        return lambda values, ctx: None if (value := values.get(key)) is None else plain(ctx, value)
    if function.needs_all and hows == ("key", "key"):
        (_, first), (_, second) = operands

        def call_keys(values: dict, ctx: DeriveContext) -> Any:
            a, b = values.get(first), values.get(second)
            return None if a is None or b is None else plain(ctx, a, b)

        return call_keys
    if function.needs_all and hows == ("key", "const"):
        (_, first), (_, constant) = operands
        return lambda values, ctx: None if (value := values.get(first)) is None else plain(ctx, value, constant)
    readers = [
        (lambda values, ctx, key=what: values.get(key))
        if how == "key"
        else (lambda values, ctx, constant=what: constant)
        if how == "const"
        else what
        for how, what in operands
    ]
    return lambda values, ctx: impl(ctx, *[read(values, ctx) for read in readers])
