"""Evaluate subjects (records and synthetic subjects) against packs: derive -> backend -> outcomes.

The values the conditions read are derived here, a backend (``engine/backends``) says which branch
of each rule held first, and ``outcomes/build.py`` makes the outcomes of those branches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..backends import get_backend
from ..backends.base import Backend, CompiledRules, Prepared, Row
from ..derive.calendar import Deadline, LegalCalendar
from ..derive.context import DeriveContext, context_reader
from ..derive.declare import DeriveFunction
from ..derive.marks import MOVED_SUFFIX, PROVISIONAL_MARK, PROVISIONAL_SUFFIX
from ..derive.registry import REGISTRY
from ..outcomes import build
from ..outcomes.results import Outcome
from ..rules.ir import CompiledRule, compile_rule, fact_names_used
from ..rules.packs import Pack, Rule
from ..subjects.kinds import BUILTIN_NAMES
from ..subjects.subject import Subject


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
    """The compiled rules of one pack for one record kind, prepared on a backend once per process."""

    def __init__(
        self,
        pack: Pack,
        kind: str,
        backend: str | Backend | None = None,
        pass_details: bool = True,
        *,
        chosen_by_date: bool = True,
        absent_steps: str = "indeterminate",
    ):
        """``backend``: what runs the compiled rules, by name (``engine/backends``) or itself; None,
        the default backend. ``chosen_by_date``: the pack was chosen for these subjects by region
        and date, so its rules bind from its issue date; False for a what-if check (``--ruleset``),
        where only the rules' own sources' dates limit them."""
        self.backend = get_backend(backend)
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
            for key, _, _ in entries
            for derived in (key, key + PROVISIONAL_SUFFIX, key + MOVED_SUFFIX)
        }
        self._prepared: Prepared | None = None
        #: what the prepared rules depend on beyond the pack's rules for the kind (see ``prepared``)
        self._prepared_key = (id(pack), pack.sha256, kind, chosen_by_date, absent_steps)

    @property
    def prepared(self) -> Prepared:
        """The rules prepared on the backend on first use, in the process that evaluates (a forked
        worker prepares its own; the backend may share them with every evaluator of the same rules).
        A rule the backend cannot run raises before anything is kept."""
        if self._prepared is None:
            self._prepared = self.backend.prepare(
                CompiledRules(self.pack, self.kind, self.compiled, self._prepared_key)
            )
        return self._prepared

    @property
    def batch_size(self) -> int:
        """How many subjects one ``fire`` best takes (the backend's hint)."""
        return self.backend.batch_size

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
        subject_id = subject.id
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
                        year for read in self._reads.get(key, ()) for year in values.get(read + PROVISIONAL_SUFFIX, ())
                    }
                    if years:
                        values[key + PROVISIONAL_SUFFIX] = tuple(sorted(years))
        if provisional:
            values[PROVISIONAL_MARK] = True

    def provisional_years(
        self, compiled: CompiledRule, branch_index: int, values: dict[str, Any], subject: Subject
    ) -> tuple[int, ...]:
        """The years whose unknown holiday schedule could change this outcome (``build.provisional_years``)."""
        return build.provisional_years(compiled, branch_index, values, subject)

    def derived_only(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """``values`` without the subject's own fields (what outcomes need; smaller to send between processes)."""
        if values is None:
            return None
        return {key: value for key, value in values.items() if key in self._derived_keys}

    def fire(
        self, subjects: list[Subject], ctx: DeriveContext, as_of: dt.date
    ) -> tuple[list[dict[str, Any] | None], list[dict[int, int]]]:
        """Derive and run the backend: per subject, rule index -> first branch that held.

        Derived values are kept only where an outcome will show them (not for all-pass subjects
        unless pass details are wanted), so results stay small when sent between processes.
        """
        if not self.compiled or not subjects:
            return [], []
        rows = [Row(self.derive_for_facts(subject, ctx, as_of), subject) for subject in subjects]
        first_branches = self.prepared.first_branches(rows)
        #: a subject's derived values, or None once it is known to need none shown
        derived: list[dict[str, Any] | None] = [row.values for row in rows]
        for index, first_branch in enumerate(first_branches):
            values = derived[index]
            assert values is not None  # every subject's values were derived above
            if (
                not self.pass_details
                and PROVISIONAL_MARK not in values
                and all(self.compiled[r].branches[b].outcome == "pass" for r, b in first_branch.items())
            ):
                derived[index] = None
            elif self.outcome_derivations:
                self._derive_into(values, subjects[index], ctx, self.outcome_derivations)
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
                outcomes.append(
                    build.build_outcome(
                        subject,
                        values or {},
                        compiled,
                        first_branch[rule_index],
                        pass_details=self.pass_details,
                        draft=self.pack.is_draft,
                    )
                )
        return outcomes


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
        resolve = _resolver(rule)
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
        resolve = _resolver(rule)
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


def _resolver(rule: CompiledRule) -> Callable[[str], Resolved]:
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
    and a constant) are held to the general path by tests/test_evaluate.py."""
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
