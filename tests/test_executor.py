"""The one executor: a pure, top-level partition function that a fresh process (as a Dask or Spark
worker would be) can call with nothing but its task."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import multiprocessing
import multiprocessing.pool
import pickle
from pathlib import Path

from fzcheck.engine.derive.calendar import LegalCalendar, default_calendar
from fzcheck.engine.evaluate import check as check_module
from fzcheck.engine.evaluate.check import check_records, records_context
from fzcheck.engine.evaluate.executor import PartitionTask, SubjectsPartition, evaluate_partition
from fzcheck.engine.evaluate.pipeline import Evaluation, RunSettings
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sources.generator import generate_records
from fzcheck.engine.sources.records import subjects_from_records
from fzcheck.models.records import parse_record

AS_OF = dt.date(2026, 11, 23)


def _records(n: int, seed: int = 11):
    return [parse_record(data, SourceRef("gen.jsonl", i + 1)) for i, data in enumerate(generate_records(n, seed=seed))]


def _keys(outcomes):
    return [(o.record_kind, o.record_id, o.ruleset, o.rule_id, o.outcome, o.messages["zh"]) for o in outcomes]


def test_a_fresh_spawned_process_evaluates_a_partition_from_its_task_alone():
    """Nothing inherited: the task is pickled to a process started with ``spawn`` and its outcomes and
    counts equal the same partition evaluated here."""
    records = _records(1500)
    subjects = subjects_from_records(records, AS_OF)
    settings = RunSettings(AS_OF, coverage_each=True)
    evaluation = Evaluation(default_catalog(), settings)
    ctx = records_context(default_calendar(), AS_OF, records, subjects, evaluation.batch_fields())
    task = PartitionTask(None, settings, SubjectsPartition(subjects, ctx))
    pickle.dumps(evaluate_partition)  # a top-level function, as a remote worker needs
    here = evaluate_partition(pickle.loads(pickle.dumps(task)))
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(evaluate_partition, task).result(timeout=300)
    assert here.outcomes and _keys(there.outcomes) == _keys(here.outcomes)
    assert there.passes == here.passes and sum(here.passes.values()) > 0
    assert there.provisional == here.provisional and there.uncovered == here.uncovered
    assert (there.subjects, there.evaluations, there.packs) == (here.subjects, here.evaluations, here.packs)


def test_check_with_two_jobs_runs_partitions_in_workers_and_changes_nothing(monkeypatch):
    """Above the threshold, ``--jobs 2`` splits the subjects into partitions evaluated by this process
    and one worker process (the spy sees them; both took some), and the report equals the
    one-process report."""
    records = _records(check_module.PARALLEL_THRESHOLD + 500, seed=5)
    one = check_records(records, as_of=AS_OF, jobs=1, pass_details=False)
    seen = []
    sent = []
    real = check_module.run_partitions_here_too
    real_apply = multiprocessing.pool.Pool.apply_async

    def spy(tasks, pool, workers):
        seen.append((len(tasks), workers))
        return real(tasks, pool, workers)

    def counting_apply(pool, function, args=(), *more, **options):
        sent.append(len(args[0].partition.subjects))
        return real_apply(pool, function, args, *more, **options)

    monkeypatch.setattr(check_module, "run_partitions_here_too", spy)
    monkeypatch.setattr(multiprocessing.pool.Pool, "apply_async", counting_apply)
    two = check_records(records, as_of=AS_OF, jobs=2, pass_details=False)
    assert seen == [(2 * check_module.PARTITIONS_PER_JOB, 1)]
    assert 0 < len(sent) < 2 * check_module.PARTITIONS_PER_JOB  # the worker took some, this process the others
    assert [o.to_dict() for o in two.outcomes] == [o.to_dict() for o in one.outcomes]
    assert two.summary() == one.summary() and two.unlisted_passes == one.unlisted_passes > 0
    assert [w.to_dict() for w in two.warnings] == [w.to_dict() for w in one.warnings]
    assert two.packs_applied == one.packs_applied


def test_a_large_check_starts_warmed_workers_before_reading_and_changes_nothing(tmp_path, monkeypatch):
    """Input files of EARLY_WORKERS_BYTES or more with ``--jobs 2``: the pool (one worker beside this
    process) is started (each worker
    loading and preparing the rules) before the files are read, the partitions run in it, and the
    report equals the one-process report."""
    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(json.dumps(data, ensure_ascii=False) + "\n" for data in generate_records(5000, seed=9)),
        encoding="utf-8",
    )
    monkeypatch.setattr(check_module, "EARLY_WORKERS_BYTES", 1000)
    events = []
    real_start, real_read = check_module.start_workers, check_module.read_paths

    def start(jobs, catalog, settings):
        events.append(("start", jobs))
        return real_start(jobs, catalog, settings)

    def read(paths, **options):
        events.append(("read", len(paths)))
        return real_read(paths, **options)

    monkeypatch.setattr(check_module, "start_workers", start)
    monkeypatch.setattr(check_module, "read_paths", read)
    two = check_module.check_files([path], as_of=AS_OF, jobs=2, pass_details=False)
    one = check_module.check_files([path], as_of=AS_OF, jobs=1, pass_details=False)
    assert events == [("start", 1), ("read", 1), ("read", 1)]  # one worker: this process is the other job
    assert [o.to_dict() for o in two.outcomes] == [o.to_dict() for o in one.outcomes] and one.outcomes
    assert two.summary() == one.summary() and two.unlisted_passes == one.unlisted_passes > 0
    assert [w.to_dict() for w in two.warnings] == [w.to_dict() for w in one.warnings]


def test_outcomes_and_sources_pickle_to_equal_objects():
    """Outcome and SourceRef pickle as plain calls (speed): every field comes back."""
    records = _records(300, seed=3)
    report = check_records(records, as_of=AS_OF)
    assert report.outcomes
    for outcome in report.outcomes[:50]:
        outcome.waiver = {"id": "w1", "reason": "test"}
        back = pickle.loads(pickle.dumps(outcome))
        assert back == outcome and back.to_dict() == outcome.to_dict()
        assert pickle.loads(pickle.dumps(outcome.source)) == outcome.source
    assert pickle.loads(pickle.dumps(SourceRef("a.csv"))) == SourceRef("a.csv", None)


def test_a_calendar_sent_to_a_process_is_its_one_calendar_of_that_content():
    """Unpickled calendars of the same content are one object (their memos shared by every partition
    a worker evaluates); the packaged one is the default calendar; different content stays apart."""
    default = default_calendar()
    assert pickle.loads(pickle.dumps(default)) is default
    extended = LegalCalendar.from_files([Path(__file__).parent / "data" / "holidays" / "2031.csv"])
    first, second = pickle.loads(pickle.dumps(extended)), pickle.loads(pickle.dumps(extended))
    assert first is second and first is not default
    assert not first.is_working_day(dt.date(2031, 1, 1)) and not first.is_working_day(dt.date(2031, 10, 2))
    assert first.sources == extended.sources and first.extra == extended.extra


def test_a_partition_failing_in_the_worker_beside_this_process_is_raised_here():
    """run_partitions_here_too: the worker takes the first task, this process the last; the worker's
    failure comes back as PartitionFailed with its traceback, and good tasks still give their results."""
    import pytest  # noqa: PLC0415

    from fzcheck.engine.evaluate.executor import (  # noqa: PLC0415
        PartitionFailed,
        run_partitions_here_too,
        start_workers,
    )
    from fzcheck.engine.subjects.subject import Subject  # noqa: PLC0415

    records = _records(400, seed=8)
    subjects = subjects_from_records(records, AS_OF)
    settings = RunSettings(AS_OF, coverage_each=True)
    evaluation = Evaluation(default_catalog(), settings)
    ctx = records_context(default_calendar(), AS_OF, records, subjects, evaluation.batch_fields())
    good = [PartitionTask(None, settings, SubjectsPartition(subjects[i::3], ctx)) for i in range(3)]
    broken = Subject("normative_document", "bad", "532301", None, None, dt.date(2024, 1, 1))
    with start_workers(1, None, settings) as pool:
        results = list(run_partitions_here_too(good, pool, 1))
        assert [_keys(r.outcomes) for r in results] == [_keys(evaluate_partition(t).outcomes) for t in good]
        failing = [PartitionTask(None, settings, SubjectsPartition([broken], ctx)), good[0]]
        with pytest.raises(PartitionFailed, match="Traceback"):
            list(run_partitions_here_too(failing, pool, 1))
