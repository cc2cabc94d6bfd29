"""Evaluate subjects (records and synthetic subjects) against packs: derive -> backend -> outcomes.

The values the conditions read are derived by the pack's derivation plan (``derive/plan.py``), a
backend (``engine/backends``) says which branch of each rule held first, and ``outcomes/build.py``
makes the outcomes of those branches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..backends import get_backend
from ..backends.base import Backend, CompiledRules, Prepared, Row
from ..derive.context import DeriveContext
from ..derive.marks import PROVISIONAL_MARK
from ..derive.plan import DerivationPlan
from ..outcomes import build
from ..outcomes.results import Outcome
from ..rules.ir import CompiledRule, compile_rule
from ..rules.packs import Pack
from ..subjects.subject import Subject


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
        self.kind = kind
        pack_start = pack.meta.binds_from if chosen_by_date else None
        self.compiled: list[CompiledRule] = [
            compile_rule(rule, index, starts_on=rule.binds_from(pack_start), absent_steps=absent_steps)
            for index, rule in enumerate(pack.rules_for(kind))
        ]
        self.plan = DerivationPlan(self.compiled, kind)
        #: per rule index, the indices of its branches whose outcome is a pass
        self.pass_branches: list[frozenset[int]] = [
            frozenset(index for index, branch in enumerate(compiled.branches) if branch.outcome == "pass")
            for compiled in self.compiled
        ]
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
        self.plan.derive_into(values, subject.id, ctx, self.plan.for_facts)
        return values

    def provisional_years(
        self, compiled: CompiledRule, branch_index: int, values: dict[str, Any], subject: Subject
    ) -> tuple[int, ...]:
        """The years whose unknown holiday schedule could change this outcome (``build.provisional_years``)."""
        return build.provisional_years(compiled, branch_index, values, subject)

    def derived_only(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """``values`` without the subject's own fields (what outcomes need; smaller to send between processes)."""
        if values is None:
            return None
        return {key: value for key, value in values.items() if key in self.plan.derived_keys}

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
        passing = self.pass_branches
        for index, first_branch in enumerate(first_branches):
            values = derived[index]
            assert values is not None  # every subject's values were derived above
            if (
                not self.pass_details
                and PROVISIONAL_MARK not in values
                and all(b in passing[r] for r, b in first_branch.items())
            ):
                derived[index] = None
            elif self.plan.for_outcomes:
                self.plan.derive_into(values, subjects[index].id, ctx, self.plan.for_outcomes)
        return derived, first_branches

    def outcomes(
        self,
        subjects: list[Subject],
        derived: list[dict[str, Any] | None],
        first_branches: list[dict[int, int]],
        keep_pass: bool = True,
    ) -> list[Outcome]:
        """Outcome objects; with ``keep_pass=False`` none for passes (the pipeline counts those)."""
        outcomes: list[Outcome] = []
        passing = self.pass_branches
        for subject, values, first_branch in zip(subjects, derived, first_branches):
            for rule_index in sorted(first_branch):
                compiled = self.compiled[rule_index]
                if not keep_pass and first_branch[rule_index] in passing[rule_index]:
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
