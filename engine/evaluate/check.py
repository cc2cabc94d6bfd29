"""The check pipeline in one line: read -> validate -> choose packs -> compile -> evaluate -> outcomes -> Report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ... import __version__
from ..derive.calendar import LegalCalendar, default_calendar
from ..derive.functions import DeriveContext
from ..derive.joins import JoinResult
from ..outcomes.results import InputIssue, Outcome, Report, RulesetInfo
from ..rules.packs import Catalog, Pack, default_catalog
from ..speed.collector import batch_collection
from ..subjects.kinds import key_date
from .coverage import coverage_warning, packs_for
from .evaluator import PackKindEvaluator, Subject, batch_fields
from .executor import fire_groups


class UnknownRuleset(ValueError):
    def __init__(self, ruleset_id: str, known: Iterable[str]):
        from ...messages import Msg

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


def subjects_from_records(records: Iterable, as_of: dt.date, warnings: list[InputIssue] | None = None) -> list[Subject]:
    """Records as subjects, with the officer-years and agency-years they make; the warnings of
    register rows matched to no agency go to ``warnings`` when given."""
    from ..subjects.agency_years import agency_year_subjects
    from ..subjects.officer_years import officer_year_subjects

    records = list(records)
    subjects = [
        Subject(
            kind=record.kind,
            id=record.id,
            region_code=record.region_code,
            source=record.source,
            values=record,
            key_date=key_date(record.kind, record, as_of),
        )
        for record in records
    ]
    subjects.extend(officer_year_subjects(records, as_of))
    agency_years, unmatched = agency_year_subjects(records, as_of)
    subjects.extend(agency_years)
    if warnings is not None:
        warnings.extend(unmatched)
    return subjects


@batch_collection()
def check_records(
    records: Iterable,
    *,
    as_of: dt.date,
    catalog: Catalog | None = None,
    rulesets: Sequence[str] = (),
    calendar: LegalCalendar | None = None,
    errors: Sequence[InputIssue] = (),
    warnings: Sequence[InputIssue] = (),
    progress: Callable[[int, int], None] | None = None,
    extra_subjects: Sequence[Subject] = (),
    pass_details: bool = True,
    jobs: int = 1,
    absent_steps: str = "indeterminate",
    lang: str = "zh",
) -> Report:
    """Check records together. ``pass_details=False`` counts passing checks without keeping them as
    outcomes (large runs that do not list passes); the summary's counts are the same.
    ``absent_steps``: the standard for a required step with no record (records.md, Outcomes);
    ``lang``: the language of the coverage warnings."""
    catalog = catalog or default_catalog()
    forced = choose_packs(catalog, rulesets)
    records = list(records)
    agency_warnings: list[InputIssue] = []
    subjects = [*subjects_from_records(records, as_of, agency_warnings), *extra_subjects]
    calendar = calendar or default_calendar()
    ctx = DeriveContext(calendar, as_of)
    ctx.batch = BatchIndex(records)

    groups: dict[tuple[str, str], list[Subject]] = defaultdict(list)
    packs_applied: dict[str, list[str]] = {}
    coverage: list[InputIssue] = []
    locally_ruled = locally_ruled_kinds(catalog)
    for subject in subjects:
        applied = [pack.id for pack in packs_for(catalog, subject, forced)]
        if applied:
            packs_applied[f"{subject.kind}:{subject.id}"] = applied
        for pack_id in applied:
            groups[(pack_id, subject.kind)].append(subject)
        if forced is None and subject.kind in locally_ruled:
            warning = coverage_warning(catalog, subject, lang)
            if warning is not None:
                coverage.append(warning)

    indexed: set[tuple[str, str]] = set()
    for pack_id, kind in groups:
        for rule in catalog.packs[pack_id].rules_for(kind):
            for field_name in batch_fields(rule):
                if (kind, field_name) not in indexed:
                    same_kind = [s for s in subjects if s.kind == kind]
                    ctx.index_batch(kind, field_name, [s.get(field_name) for s in same_kind], [s.id for s in same_kind])
                    indexed.add((kind, field_name))

    evaluators = {
        key: PackKindEvaluator(
            catalog.packs[key[0]], key[1], None, pass_details, chosen_by_date=forced is None, absent_steps=absent_steps
        )
        for key in groups
    }
    outcomes: list[Outcome] = []
    for key, members, start, derived, first_branches in fire_groups(
        evaluators, groups, ctx, as_of, jobs=jobs, progress=progress
    ):
        outcomes.extend(
            evaluators[key].outcomes(
                members[start : start + len(first_branches)], derived, first_branches, keep_pass=pass_details
            )
        )
    order = {id(subject): index for index, subject in enumerate(subjects)}
    position = {(s.kind, s.id): order[id(s)] for s in subjects}
    outcomes.sort(key=lambda o: (position.get((o.record_kind, o.record_id), 0), o.ruleset, o.rule_id))
    used = sorted({pack_id for pack_id, _ in groups})
    return Report(
        tool_version=__version__,
        as_of=as_of,
        rulesets=[
            RulesetInfo(p, catalog.packs[p].meta.version, catalog.packs[p].sha256, catalog.packs[p].meta.title)
            for p in used
        ],
        records=len(records),
        outcomes=outcomes,
        errors=list(errors),
        warnings=[*warnings, *agency_warnings, *coverage],
        packs_applied=packs_applied,
        unlisted_passes=sum(evaluator.unlisted_passes for evaluator in evaluators.values()),
        unlisted_provisional=sum(evaluator.unlisted_provisional for evaluator in evaluators.values()),
        calendar=calendar.provenance() if hasattr(calendar, "provenance") else None,
        absent_steps=absent_steps,
    )


def locally_ruled_kinds(catalog: Catalog) -> set[str]:
    """Subject kinds some local pack has rules for: only those can miss a local pack."""
    return {rule.kind for pack in catalog.packs.values() if pack.meta.region_prefix for rule in pack.rules}


def check_paths(paths: Sequence[str | Path], *, as_of: dt.date, **options) -> Report:
    from ..sources.files import read_paths

    read = read_paths(paths)
    return check_records(read.records, as_of=as_of, errors=read.errors, warnings=read.warnings, **options)


class BatchIndex:
    """The records checked together, joined for cross-record rules (see durable_joins)."""

    def __init__(self, records: Iterable = (), joined: JoinResult | None = None):
        if joined is None:
            from ..backends.durable.joins import join_case_references

            joined = join_case_references(list(records))
        self.case_officers = joined.officers
        self.case_documents = joined.documents
