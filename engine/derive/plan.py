"""Derivation planning: a rule's ``derive:`` expressions compiled once into closures over the registry.

Each pack's rules for a kind get one :class:`DerivationPlan`: the values the conditions read are
split from those only outcomes show (most audit subjects pass every rule, so their ``days_late``
and the like are never looked at), each expression is compiled to a closure that gives its
function the inputs it declares, and derivation notes beside a value why a deadline moved and
whether it rests on a provisional day (``marks.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..rules.ir import CompiledRule, fact_names_used
from ..rules.packs import Rule
from ..subjects.kinds import BUILTIN_NAMES
from .calendar import Deadline, LegalCalendar
from .context import DeriveContext, context_reader
from .declare import DeriveFunction
from .marks import MOVED_SUFFIX, PROVISIONAL_MARK, PROVISIONAL_SUFFIX
from .registry import REGISTRY


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


class DerivationPlan:
    """The derived values of one pack's rules for one kind, compiled once: those the conditions read
    (with what they are derived from), derived for every subject, and those only messages and
    evidence show, derived for the subjects whose outcomes are shown."""

    def __init__(self, compiled: list[CompiledRule], kind: str):
        self.for_facts, self.for_outcomes = split_derivations(compiled, fact_names_used(compiled), kind)
        #: fact key -> the fact keys its derivation reads: a value derived from a provisional one is provisional
        self.reads = derivation_reads(compiled)
        #: the keys derivation adds to a subject's values (the derived values and their notes)
        self.derived_keys = {"as_of", "key_date", PROVISIONAL_MARK} | {
            derived
            for derivations in (self.for_facts, self.for_outcomes)
            for _, entries in derivations
            for key, _, _ in entries
            for derived in (key, key + PROVISIONAL_SUFFIX, key + MOVED_SUFFIX)
        }

    def derive_into(
        self, values: dict[str, Any], subject_id: str, ctx: DeriveContext, derivations: Derivations
    ) -> None:
        """Derive in order. A deadline that moved past rest days, or that rests on a provisional day,
        is noted beside the value it gave (``<key>__moved``, ``<key>__provisional``); a value derived
        from a provisional one is provisional too. Nothing extra is done for the other subjects."""
        provisional = PROVISIONAL_MARK in values
        for _, rule_derivations in derivations:
            for key, function, notes in rule_derivations:
                value = function(values, ctx, subject_id)
                if notes and value is not None:
                    deadline: Deadline = value
                    values[key] = deadline.due_on
                    if deadline.provisional or deadline.moved_from is not None:
                        provisional |= _note_deadline(values, key, deadline, ctx.calendar)
                        continue
                else:
                    values[key] = value
                if provisional:
                    years = {
                        year for read in self.reads.get(key, ()) for year in values.get(read + PROVISIONAL_SUFFIX, ())
                    }
                    if years:
                        values[key + PROVISIONAL_SUFFIX] = tuple(sorted(years))
        if provisional:
            values[PROVISIONAL_MARK] = True


def _note_deadline(values: dict[str, Any], key: str, deadline: Deadline, calendar: LegalCalendar) -> bool:
    """Note, beside the value ``key`` got, its provisional years and the days its due date moved past
    (named: 休息日, 端午节…); True when it is provisional."""
    if deadline.provisional:
        values[key + PROVISIONAL_SUFFIX] = tuple(sorted(set(deadline.provisional_years) or {deadline.due_on.year}))
    if deadline.moved_from is not None:
        values[key + MOVED_SUFFIX] = (
            deadline.moved_from,
            deadline.due_on,
            _days_moved_past(calendar, deadline.moved_from, deadline.due_on),
        )
    return deadline.provisional


def derivation_reads(compiled: list[CompiledRule]) -> dict[str, frozenset[str]]:
    """Each derived value's fact key -> the fact keys of the values it is derived from."""
    reads: dict[str, frozenset[str]] = {}
    for rule in compiled:
        resolve = name_resolver(rule)
        for name, tree, _ in rule.rule.derive:
            reads[rule.fact_key(name)] = frozenset(_values_read(tree, resolve))
    return reads


def _days_moved_past(calendar: LegalCalendar, first: dt.date, due_on: dt.date) -> dict[str, str]:
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


Resolved = tuple[str, Any]  # ("key", where the subject's values hold it) | ("const", a rule parameter)
#: a compiled derive expression: the subject's values, the run's context, the subject's id -> the value
DeriveClosure = Callable[[dict, DeriveContext, str], Any]
#: (rule index, [(fact key, compiled derive expression, whether it gives a Deadline to note)]), in the
#: order the rule file gives them
Derivations = list[tuple[int, list[tuple[str, DeriveClosure, bool]]]]


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
        resolve = name_resolver(rule)
        entries = [(rule.fact_key(name), tree) for name, tree, _ in rule.rule.derive]
        own_keys = {key for key, _ in entries}
        needed = {key for key in own_keys if key in condition_names}
        for key, tree in reversed(entries):
            if key in needed:
                needed |= _values_read(tree, resolve) & own_keys
        early = [(key, compile_derive(tree, kind, resolve), _notes(tree)) for key, tree in entries if key in needed]
        late = [(key, compile_derive(tree, kind, resolve), _notes(tree)) for key, tree in entries if key not in needed]
        if early:
            for_facts.append((rule.index, early))
        if late:
            for_outcomes.append((rule.index, late))
    return for_facts, for_outcomes


def _notes(tree: dict) -> bool:
    """Whether the expression gives a Deadline (the rule checker keeps such calls outermost)."""
    return "call" in tree and REGISTRY[tree["call"]].notes


def _values_read(tree: dict, resolve: Callable[[str], Resolved]) -> set[str]:
    """The fact keys a derive expression reads from the values derived before it."""
    if "call" in tree:
        return set().union(*(_values_read(arg, resolve) for arg in tree["args"]))
    if "name" in tree:
        where, key = resolve(tree["name"])
        return {key} if where == "key" else set()
    return set()


def name_resolver(rule: CompiledRule) -> Callable[[str], Resolved]:
    """Where a name in a rule's derive expressions is read from, decided once when compiling."""

    def resolve(name: str) -> Resolved:
        if name in rule.rule.params and name not in rule.fact_names and name not in BUILTIN_NAMES:
            return "const", rule.rule.params[name]
        if name in rule.constants:
            return "const", rule.constants[name]
        return "key", rule.fact_key(name)

    return resolve


def compile_derive(tree: dict, kind: str, resolve: Callable[[str], Resolved]) -> DeriveClosure:
    """Turn a parsed derive expression into a closure over registry functions (built once per run).

    The closure takes the subject's values — its fields, the builtins and the values derived so far
    (by fact key), in one dict — the context and the subject's id, and gives each function what it
    declares (``uses``) ahead of its arguments. A call whose arguments are names or literals reads
    them itself (the common case: one closure and the function per derived value).
    """
    if "call" in tree:
        function = REGISTRY[tree["call"]]
        if function.batch:
            impl, field_name = function.impl, tree["args"][0]["name"]
            read = compile_derive(tree["args"][0], kind, resolve)
            return lambda values, ctx, subject_id: impl(ctx.counts, kind, field_name, read(values, ctx, subject_id))
        return _call(function, [_operand(arg, kind, resolve) for arg in tree["args"]])
    if "list" in tree:
        items = list(tree["list"])
        return lambda values, ctx, subject_id: list(items)
    how, what = _operand(tree, kind, resolve)
    if how == "key":
        return lambda values, ctx, subject_id: values.get(what)
    return lambda values, ctx, subject_id: what


Operand = tuple[str, Any]  # ("key", key in the values) | ("const", value) | ("expr", closure)


def _operand(tree: dict, kind: str, resolve: Callable[[str], Resolved]) -> Operand:
    if "name" in tree:
        return resolve(tree["name"])
    if "value" in tree:
        return "const", tree["value"]
    return "expr", compile_derive(tree, kind, resolve)


def _call(function: DeriveFunction, operands: list[Operand]) -> DeriveClosure:
    """The closure of one call. The fast paths (a function reading no context, one or two keys, a key
    and a constant, names only) are held to the general path by tests/test_evaluate.py."""
    plain, impl = function.plain, function.impl
    if function.needs_all and any(how == "const" and what is None for how, what in operands):
        return lambda values, ctx, subject_id: None
    hows = tuple(how for how, _ in operands)
    if not function.uses and function.needs_all:
        if hows == ("key",):
            ((_, key),) = operands
            return lambda values, ctx, subject_id: None if (value := values.get(key)) is None else plain(value)
        if hows == ("key", "key"):
            (_, first), (_, second) = operands

            def call_keys(values: dict, ctx: DeriveContext, subject_id: str) -> Any:
                a, b = values.get(first), values.get(second)
                return None if a is None or b is None else plain(a, b)

            return call_keys
        if hows == ("key", "const"):
            (_, first), (_, constant) = operands
            return lambda values, ctx, subject_id: (
                None if (value := values.get(first)) is None else plain(value, constant)
            )
    if not function.uses and hows and all(how == "key" for how in hows):  # coalesce(a, b), not needs_all
        keys = tuple(what for _, what in operands)
        if len(keys) == 2:
            first, second = keys
            return lambda values, ctx, subject_id: impl(values.get(first), values.get(second))
        return lambda values, ctx, subject_id: impl(*[values.get(key) for key in keys])
    readers = [
        (lambda values, ctx, subject_id, key=what: values.get(key))
        if how == "key"
        else (lambda values, ctx, subject_id, constant=what: constant)
        if how == "const"
        else what
        for how, what in operands
    ]
    if not function.uses:
        return lambda values, ctx, subject_id: impl(*[read(values, ctx, subject_id) for read in readers])
    inputs = context_reader(function)
    return lambda values, ctx, subject_id: impl(
        *inputs(ctx, subject_id), *[read(values, ctx, subject_id) for read in readers]
    )
