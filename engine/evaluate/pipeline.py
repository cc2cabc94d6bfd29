"""The one pipeline of ``check`` and ``audit``: subjects in, outcomes and counts out.

A source (files in memory, ``sources/records.py``; the records database, ``sources/database.py``)
gives subjects and the batch facts cross-record rules read (value counts, case joins) in a
:class:`~fzcheck.engine.derive.context.DeriveContext`. Here, for every subject: the packs that
judge it are chosen (region and date, or ``--ruleset``), a missing local pack becomes a coverage
warning, the subjects are grouped by (pack, kind), each group is evaluated by the pack's compiled
rules for the kind (``PackKindEvaluator``: derive, backend, outcomes), and the outcomes are listed
or counted. ``check`` and ``audit`` differ only in settings — whether passes are listed, whether
coverage is told per record or counted per reason — and in how they merge and store the results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ...messages import Msg
from ..derive.context import DeriveContext
from ..derive.marks import PROVISIONAL_MARK
from ..derive.plan import batch_fields
from ..outcomes.counts import CountKey, CoverageCount, Placement
from ..outcomes.results import InputIssue, Outcome
from ..rules.packs import Catalog, Pack
from ..speed.pack_choice import PackChoices
from ..subjects.subject import Subject
from .coverage import coverage_issue
from .evaluator import PackKindEvaluator

#: subjects evaluated at a time within one (pack, kind) group: the unit of progress
SLICE = 2000


class UnknownRuleset(ValueError):
    def __init__(self, ruleset_id: str, known: Iterable[str]):
        self.message = Msg("cli.unknown_ruleset", id=ruleset_id, known=", ".join(sorted(known)))
        super().__init__(self.message)
        self.ruleset_id = ruleset_id


def choose_packs(catalog: Catalog, forced: Sequence[str] = ()) -> list[Pack] | None:
    """The packs named by ``--ruleset`` (what-if checks), or None to choose per record."""
    if not forced:
        return None
    packs = []
    for ruleset_id in forced:
        if ruleset_id not in catalog.packs:
            raise UnknownRuleset(ruleset_id, catalog.packs)
        packs.append(catalog.packs[ruleset_id])
    return packs


def locally_ruled_kinds(catalog: Catalog) -> set[str]:
    """Subject kinds some local pack has rules for: only those can miss a local pack."""
    return {rule.kind for pack in catalog.packs.values() if pack.meta.region_prefix for rule in pack.rules}


@dataclass(frozen=True)
class RunSettings:
    """What a run's outcomes depend on besides its subjects, catalog and calendar (picklable)."""

    as_of: dt.date
    #: packs forced by ``--ruleset`` (what-if), else none: chosen per subject by region and date
    rulesets: tuple[str, ...] = ()
    #: a required step with no record: "indeterminate", or "violation" (records.md, Outcomes)
    absent_steps: str = "indeterminate"
    #: list passing checks as outcomes (``check --all``, JUnit); else count them
    list_passes: bool = False
    #: one coverage warning per subject no local pack covers (``check``); else counted per reason (``audit``)
    coverage_each: bool = False
    #: the language coverage warnings are written in
    lang: str = "zh"
    #: the backend that runs the compiled rules (``engine/backends``; None: the default)
    engine: str | None = None


def placement_of(subject: Subject) -> Placement:
    """Where a subject's outcomes are counted: its agency, the month of its key date, its region."""
    month = subject.key_date.isoformat()[:7] if subject.key_date else None
    return Placement(subject.get("agency"), month, subject.region_code)


@dataclass
class PartitionResult:
    """What evaluating some subjects gives: listed outcomes; passes not listed, counted by CountKey
    (and among them the provisional ones); the placement of the listed outcomes' subjects; the packs
    used; coverage — warnings per subject (``coverage_each``) or counts by reason (zh, en); and, per
    subject, the packs applied (``coverage_each``: what ``check`` reports)."""

    subjects: int = 0
    #: the size of the partition in its source's terms (a unit's rows), for progress
    rows: int = 0
    #: (subject, pack) evaluations made
    evaluations: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    passes: Counter = field(default_factory=Counter)
    provisional: Counter = field(default_factory=Counter)
    placement: dict[tuple[str, str], Placement] = field(default_factory=dict)
    packs: set[str] = field(default_factory=set)
    coverage: dict[tuple[str, str], CoverageCount] = field(default_factory=dict)
    uncovered: list[InputIssue] = field(default_factory=list)
    packs_applied: dict[str, list[str]] = field(default_factory=dict)

    def merge(self, other: PartitionResult) -> None:
        """Add another partition's results (partitions merged in order keep their subjects' order)."""
        self.subjects += other.subjects
        self.rows += other.rows
        self.evaluations += other.evaluations
        self.outcomes.extend(other.outcomes)
        self.passes.update(other.passes)
        self.provisional.update(other.provisional)
        self.placement.update(other.placement)
        self.packs.update(other.packs)
        for reason, counted in other.coverage.items():
            self.coverage.setdefault(reason, CoverageCount()).merge(counted)
        self.uncovered.extend(other.uncovered)
        self.packs_applied.update(other.packs_applied)


class Evaluation:
    """A run's rules prepared in one process: the catalog, the packs forced, and one evaluator per
    (pack, kind) made when first needed and reused by every partition the process evaluates."""

    def __init__(self, catalog: Catalog, settings: RunSettings):
        self.catalog = catalog
        self.settings = settings
        self.forced = choose_packs(catalog, settings.rulesets)
        #: kinds whose subjects get a coverage warning when no local pack covers them (none for --ruleset)
        self.locally_ruled = locally_ruled_kinds(catalog) if self.forced is None else set()
        self.evaluators: dict[tuple[str, str], PackKindEvaluator] = {}
        #: the packs chosen per subject and the reasons none is local, remembered per region and date
        self.choices = PackChoices(catalog, self.forced)
        self._batch_fields: dict[frozenset[str] | None, frozenset[tuple[str, str]]] = {}

    def batch_fields(self, kinds: Iterable[str] | None = None) -> frozenset[tuple[str, str]]:
        """(kind, field) pairs whose values ``count_same`` counts over the batch, for these kinds (all)."""
        wanted = None if kinds is None else frozenset(kinds)
        if wanted not in self._batch_fields:  # asked again for every unit of an audit
            self._batch_fields[wanted] = frozenset(
                (rule.kind, name)
                for pack in self.catalog.packs.values()
                for rule in pack.rules
                if wanted is None or rule.kind in wanted
                for name in batch_fields(rule)
            )
        return self._batch_fields[wanted]

    def evaluator(self, pack_id: str, kind: str) -> PackKindEvaluator:
        key = (pack_id, kind)
        if key not in self.evaluators:
            self.evaluators[key] = PackKindEvaluator(
                self.catalog.packs[pack_id],
                kind,
                self.settings.engine,
                self.settings.list_passes,
                chosen_by_date=self.forced is None,
                absent_steps=self.settings.absent_steps,
            )
        return self.evaluators[key]

    def prepare_all(self) -> None:
        """Prepare the rules of every (pack, kind) this run may evaluate (a worker warming up)."""
        packs = self.forced if self.forced is not None else list(self.catalog.packs.values())
        for pack in packs:
            for kind in sorted({rule.kind for rule in pack.rules}):
                _ = self.evaluator(pack.id, kind).prepared

    def evaluate(
        self, subjects: Sequence[Subject], ctx: DeriveContext, progress: Callable[[int, int], None] | None = None
    ) -> PartitionResult:
        """Evaluate ``subjects`` with the batch facts of ``ctx``. ``progress(n, total)``: n more (subject,
        pack) evaluations done."""
        settings, choices = self.settings, self.choices
        result = PartitionResult(subjects=len(subjects))
        groups: dict[tuple[str, str], list[Subject]] = defaultdict(list)
        for subject in subjects:
            applied, pack_ids, reason = choices.of(subject)
            if settings.coverage_each and applied:
                result.packs_applied[f"{subject.kind}:{subject.id}"] = list(pack_ids)
            for pack in applied:
                groups[(pack.id, subject.kind)].append(subject)
            if subject.kind in self.locally_ruled:
                if reason is None:
                    continue
                if settings.coverage_each:
                    result.uncovered.append(coverage_issue(subject, reason, settings.lang))
                else:
                    result.coverage.setdefault((reason["zh"], reason["en"]), CoverageCount()).add(subject.id)
        placement = {(s.kind, s.id): placement_of(s) for s in subjects}
        total = sum(len(members) for members in groups.values())
        for (pack_id, kind), members in sorted(groups.items()):
            evaluator = self.evaluator(pack_id, kind)
            for start in range(0, len(members), SLICE):
                part = members[start : start + SLICE]
                derived, first_branches = evaluator.fire(part, ctx, settings.as_of)
                if not settings.list_passes:
                    self._count_passes(evaluator, part, derived, first_branches, placement, result)
                result.outcomes += evaluator.outcomes(part, derived, first_branches, keep_pass=settings.list_passes)
                result.evaluations += len(part)
                if progress:
                    progress(len(part), total)
        result.packs = {pack_id for pack_id, _ in groups}
        result.placement = {key: placement[key] for key in {(o.record_kind, o.record_id) for o in result.outcomes}}
        return result

    @staticmethod
    def _count_passes(evaluator, members, derived, first_branches, placement, result: PartitionResult) -> None:
        """Count each pass by rule, agency, month and region, and among them those that rest on a day
        of a year without an official holiday schedule (``provisional_years``, as an outcome would).
        Counted by (rule index, placement) first, made CountKeys once per key at the end."""
        passing = evaluator.pass_branches
        counted: Counter = Counter()
        provisional: Counter = Counter()
        for subject, values, first_branch in zip(members, derived, first_branches):
            where = placement[(subject.kind, subject.id)]
            maybe_provisional = values is not None and PROVISIONAL_MARK in values
            for rule_index, branch_index in first_branch.items():
                if branch_index not in passing[rule_index]:
                    continue
                counted[(rule_index, where)] += 1
                if maybe_provisional and evaluator.provisional_years(
                    evaluator.compiled[rule_index], branch_index, values, subject
                ):
                    provisional[(rule_index, where)] += 1
        for tally, into in ((counted, result.passes), (provisional, result.provisional)):
            for (rule_index, (agency, month, region_code)), n in tally.items():
                rule = evaluator.compiled[rule_index].rule
                into[CountKey(rule.pack, rule.id, evaluator.kind, agency, month, "pass", region_code)] += n
