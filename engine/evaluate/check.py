"""``check``: records held in memory through the one pipeline, into a Report.

read (``sources/files.py``) → subjects and batch facts (``sources/records.py``) → the pipeline
(``pipeline.Evaluation``: packs chosen per subject, rules evaluated, outcomes) — here, or split into
partitions for the executor's worker processes — → waivers (``outcomes/waivers.py``) → Report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from ... import __version__
from ..derive.batch import BatchCounts
from ..derive.calendar import LegalCalendar, default_calendar
from ..derive.context import DeriveContext
from ..outcomes.results import InputIssue, Report, RulesetInfo, SourceRef
from ..outcomes.waivers import Waiver, apply_waivers
from ..rules.packs import Catalog, default_catalog
from ..sources.files import no_records_issue, read_paths
from ..sources.records import batch_values, join_records, subjects_from_records
from ..sources.text.intake import meta_file_for_reads
from ..sources.text.messages import language
from ..speed.collector import batch_collection
from ..subjects.subject import Subject
from .executor import PartitionTask, SubjectsPartition, open_executor, run_partitions_here_too, start_workers
from .pipeline import Evaluation, PartitionResult, RunSettings, UnknownRuleset, choose_packs

__all__ = ["UnknownRuleset", "check_files", "check_records", "choose_packs"]

#: below this many subjects, starting worker processes costs more than it saves
PARALLEL_THRESHOLD = 4000
#: partitions per worker process: progress is reported as each one finishes
PARTITIONS_PER_JOB = 4
#: input files at least this large together start the worker processes before they are read (a
#: JSON Lines record is ~500 bytes: about PARALLEL_THRESHOLD records)
EARLY_WORKERS_BYTES = 2_000_000


def check_settings(
    as_of: dt.date,
    rulesets: Sequence[str] = (),
    absent_steps: str = "indeterminate",
    pass_details: bool = True,
    lang: str = "zh",
    engine: str | None = None,
) -> RunSettings:
    """A check's run settings: coverage told per subject, passes listed unless ``pass_details`` is False."""
    return RunSettings(
        as_of, tuple(rulesets), absent_steps, list_passes=pass_details, coverage_each=True, lang=lang, engine=engine
    )


def records_context(
    calendar: LegalCalendar, as_of: dt.date, records: Sequence, subjects: Sequence[Subject], fields: Iterable
) -> DeriveContext:
    """The derive context of records checked together: the value counts ``count_same`` reads over all
    the subjects of each kind, and every case joined with the officers and documents among the records."""
    counts = BatchCounts()
    for (kind, name), (values, ids) in batch_values(subjects, fields).items():
        counts.index(kind, name, values, ids)
    return DeriveContext(calendar, as_of, counts, join_records(records))


def _partition_context(ctx: DeriveContext, subjects: Sequence[Subject]) -> DeriveContext:
    """The batch's context for some of its subjects: the same counts, the joins of their cases only
    (what a worker is sent)."""
    ids = {subject.id for subject in subjects if subject.kind == "enforcement_case"}
    return dataclasses.replace(ctx, joins=ctx.joins.only(ids))


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
    waivers: Sequence[Waiver] | None = None,
    engine: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers=None,
) -> Report:
    """Check records together. ``pass_details=False`` counts passing checks without keeping them as
    outcomes (large runs that do not list passes); the summary's counts are the same.
    ``absent_steps``: the standard for a required step with no record (records.md, Outcomes);
    ``lang``: the language of the coverage warnings; ``waivers``: applied to the outcomes;
    ``engine``: the backend that runs the rules (None: the default). ``executor``: where the
    partitions run (``executor.EXECUTORS``; ``dask``: always split into partitions, on the cluster at
    ``scheduler`` or a local one of ``jobs`` processes; :class:`ExecutorUnavailable` if it cannot be had).
    ``progress(done, total)`` counts (subject, pack) evaluations, or subjects when they are split
    over worker processes. ``workers``: a pool started before (``executor.start_workers`` with these
    settings), used when the subjects are many enough to split."""
    #: what a worker is sent to find the rules by: None for the packaged ones (each worker loads them
    #: once), else the loaded catalog itself
    catalog_ref = catalog
    catalog = catalog or default_catalog()
    settings = check_settings(as_of, rulesets, absent_steps, pass_details, lang, engine)
    evaluation = Evaluation(catalog, settings)  # an unknown --ruleset fails here
    records = list(records)
    agency_warnings: list[InputIssue] = []
    subjects = [*subjects_from_records(records, as_of, agency_warnings), *extra_subjects]
    calendar = calendar or default_calendar()
    ctx = records_context(calendar, as_of, records, subjects, evaluation.batch_fields({s.kind for s in subjects}))
    if executor != "local" or ((jobs > 1 or workers is not None) and len(subjects) >= PARALLEL_THRESHOLD):
        result = PartitionResult()
        size = max(1, -(-len(subjects) // (jobs * PARTITIONS_PER_JOB)))
        parts = [subjects[start : start + size] for start in range(0, len(subjects), size)]
        tasks = [
            PartitionTask(catalog_ref, settings, SubjectsPartition(part, _partition_context(ctx, part)))
            for part in parts
        ]
        with contextlib.ExitStack() as stack:
            if executor != "local":
                results = stack.enter_context(open_executor(executor, jobs, scheduler)).run(tasks, ordered=True)
            else:  # this process and jobs - 1 workers (started before the input was read, or now)
                pool = workers or stack.enter_context(start_workers(jobs - 1, catalog_ref, settings))
                results = run_partitions_here_too(tasks, pool, jobs - 1)
            for partial in results:
                result.merge(partial)
                if progress:
                    progress(partial.subjects, len(subjects))
    else:
        result = evaluation.evaluate(subjects, ctx, progress=progress)
    order = {id(subject): index for index, subject in enumerate(subjects)}
    position = {(s.kind, s.id): order[id(s)] for s in subjects}
    outcomes = sorted(
        result.outcomes, key=lambda o: (position.get((o.record_kind, o.record_id), 0), o.ruleset, o.rule_id)
    )
    report = Report(
        tool_version=__version__,
        as_of=as_of,
        rulesets=[
            RulesetInfo(p, catalog.packs[p].meta.version, catalog.packs[p].sha256, catalog.packs[p].meta.title)
            for p in sorted(result.packs)
        ],
        records=len(records),
        outcomes=outcomes,
        errors=list(errors),
        warnings=[*warnings, *agency_warnings, *result.uncovered],
        packs_applied=result.packs_applied,
        unlisted_passes=sum(result.passes.values()),
        unlisted_provisional=sum(result.provisional.values()),
        calendar=calendar.provenance() if hasattr(calendar, "provenance") else None,
        absent_steps=absent_steps,
    )
    if waivers is not None:
        apply_waivers(report, list(waivers), as_of)
    return report


def check_files(
    paths: Sequence[str | Path],
    *,
    as_of: dt.date,
    kind: str | None = None,
    meta_file: Path | None = None,
    display_names: Mapping[str, str] | None = None,
    extra_errors: Sequence[InputIssue] = (),
    lang: str = "zh",
    **options,
) -> Report:
    """Read the files (documents read as text speak ``lang``; ``meta_file``: their side file) and check
    their records together. An input holding no record at all is an input error (cli.md).
    ``display_names``: file path -> the name the report shows it under (an upload's own name);
    ``extra_errors``: input errors found before (a holiday or waiver file that could not be read)."""
    with contextlib.ExitStack() as stack:
        workers = None
        jobs = options.get("jobs", 1)
        if jobs > 1 and options.get("executor", "local") == "local" and _input_bytes(paths) >= EARLY_WORKERS_BYTES:
            # the settings check_records will make of the same options (check_settings' defaults are theirs)
            given = {
                name: options[name]
                for name in ("rulesets", "absent_steps", "pass_details", "engine")
                if name in options
            }
            settings = check_settings(as_of, lang=lang, **given)
            # this process is one of the jobs: it evaluates too (executor.run_partitions_here_too)
            workers = stack.enter_context(start_workers(jobs - 1, options.get("catalog"), settings))
        with language(lang), meta_file_for_reads(meta_file), batch_collection():
            read = read_paths(paths, kind=kind)
        errors = list(read.errors)
        if not read.records and not errors:
            errors.append(no_records_issue(paths, lang, display_names))
        errors += extra_errors
        report = check_records(
            read.records, as_of=as_of, errors=errors, warnings=read.warnings, lang=lang, workers=workers, **options
        )
    if display_names is not None:
        relabel_sources(report, display_names)
    return report


def _input_bytes(paths: Sequence[str | Path]) -> int:
    """How large the input files are together (directories walked; what cannot be read counts 0)."""
    total = 0
    for path in map(Path, paths):
        try:
            if path.is_dir():
                total += sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
            elif path.is_file():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def relabel_sources(report: Report, names: Mapping[str, str]) -> None:
    """Show each file under the name given for it (an upload's own name, never the server's folder)."""

    def label(file: str) -> str:
        return names.get(file, Path(file).name if file else file)

    for outcome in report.outcomes:
        if outcome.source is not None:
            outcome.source = SourceRef(label(outcome.source.file), outcome.source.line)
    report.errors = [dataclasses.replace(issue, file=label(issue.file)) for issue in report.errors]
    report.warnings = [dataclasses.replace(issue, file=label(issue.file)) for issue in report.warnings]
