"""The Dask executor (``audit --executor dask``): the one partition function on the workers of a real
2-worker ``LocalCluster`` (processes), giving the local executor's results; its failures, interruption
and CLI errors."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster  # the `test` extra installs it; fzcheck runs without it
from pg_reset import drop_every_table

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate import dask_executor
from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.evaluate.executor import (
    DatabaseUnit,
    ExecutorUnavailable,
    PartitionTask,
    UnitFailed,
    open_executor,
)
from fzcheck.engine.output import render
from fzcheck.engine.sources.database import AuditScope, current_snapshot, plan_units
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import list_runs, load_run

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def cluster():
    """One 2-worker cluster of processes for the module (started once: ~2-5 s)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """3,000 generated records of all kinds (as tests/test_audit.py)."""
    path = tmp_path_factory.mktemp("dask-sample") / "sample.jsonl"
    write_sample(path, 3000, seed=11)
    return path


@pytest.fixture(scope="module")
def database(tmp_path_factory, sample):
    """The sample in a SQLite records database."""
    folder = tmp_path_factory.mktemp("dask")
    engine = connect(str(folder / "audit.db"), create=True)
    import_paths(engine, [sample])
    yield engine
    engine.dispose()


def _json(report) -> str:
    """The report as JSON (a run's timing, id and parameters are not in it; the test asserts that)."""
    text = render(report, "json")
    for field in ("duration", "run_id", "executor", "scheduler"):
        assert f'"{field}"' not in text
    return text


def test_an_audit_on_a_two_worker_cluster_equals_the_local_audit(database, cluster):
    """Differential: the same audit on the local executor (2 processes) and on Dask (2 workers) gives
    the same report byte for byte, the same counts, and stored runs that read back the same; the stored
    parameters differ only in how the run was made."""
    local = run_audit(database, AuditParams(AS_OF), jobs=2)
    dask = run_audit(database, AuditParams(AS_OF, executor="dask", scheduler=cluster), jobs=2)
    assert local.outcomes and dask.records == local.records == 3000
    assert _json(dask) == _json(local)
    assert dask.counts == local.counts and dask.summary() == local.summary()
    stored_local, stored_dask = load_run(database, local.run_id), load_run(database, dask.run_id)
    assert _json(stored_dask) == _json(stored_local)
    assert "executor" not in stored_local.parameters  # a local run's parameters are as before
    assert {k: v for k, v in stored_dask.parameters.items() if k not in ("executor", "scheduler")} == (
        stored_local.parameters
    )
    assert (stored_dask.parameters["executor"], stored_dask.parameters["scheduler"]) == ("dask", cluster)


PG_URL = os.environ.get("FZCHECK_TEST_PG_URL")


@pytest.mark.skipif(
    not PG_URL, reason="FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)"
)
def test_an_audit_of_postgresql_on_dask_equals_the_local_audit_of_sqlite(database, sample, cluster):
    """The workers read their units from PostgreSQL themselves: the report equals SQLite's, local."""
    drop_every_table(PG_URL)
    pg = connect(PG_URL, create=True)
    try:
        import_paths(pg, [sample])
        on_dask = run_audit(pg, AuditParams(AS_OF, executor="dask", scheduler=cluster), jobs=2)
        here = run_audit(database, AuditParams(AS_OF), jobs=2)
        assert on_dask.outcomes and _json(on_dask) == _json(here) and on_dask.counts == here.counts
    finally:
        pg.dispose()


def _units(engine):
    snapshot = current_snapshot(engine)
    units, _records = plan_units(engine, AuditScope(), AS_OF, snapshot)
    url = engine.url.render_as_string(hide_password=False)
    settings = AuditParams(AS_OF).settings()
    return [PartitionTask(None, settings, DatabaseUnit(url, AuditScope(), snapshot, unit)) for unit in units]


def test_results_in_task_order_and_a_failed_unit_raises_the_workers_unit_failed(database, cluster, tmp_path):
    """``ordered`` yields the tasks' results in their order (each equals the local executor's); a unit
    whose database cannot be read fails on the worker as UnitFailed, with the worker's traceback."""
    tasks = _units(database)[:4]
    with open_executor("dask", 2, cluster) as executor:
        there = list(executor.run(tasks, ordered=True))
    here = list(open_executor("local", 1).run(tasks, ordered=True))
    assert [r.rows for r in there] == [t.partition.rows for t in tasks]
    assert [sorted((o.record_id, o.rule_id, o.outcome) for o in r.outcomes) for r in there] == [
        sorted((o.record_id, o.rule_id, o.outcome) for o in r.outcomes) for r in here
    ]
    assert [r.passes for r in there] == [r.passes for r in here]
    empty = tmp_path / "empty.db"
    empty.touch()
    broken = PartitionTask(None, tasks[0].settings, DatabaseUnit(f"sqlite:///{empty}", *_fields(tasks[0])))
    with open_executor("dask", 2, cluster) as executor, pytest.raises(UnitFailed) as failed:
        list(executor.run([tasks[1], broken], ordered=True))
    message = str(failed.value)
    assert f"audit unit {broken.partition.unit[:3]} failed" in message and "Traceback" in message


def _fields(task):
    unit = task.partition
    return unit.scope, unit.snapshot, unit.unit, unit.holidays


def test_a_poll_that_raises_cancels_the_futures_and_the_cluster_serves_the_next_run(database, cluster):
    """Interruption: ``poll`` raising (a stop signal) ends the run; the futures not finished are
    cancelled, and the cluster is left with no task of it."""
    tasks = _units(database)

    def stop():
        raise KeyboardInterrupt

    with open_executor("dask", 2, cluster) as executor:
        with pytest.raises(KeyboardInterrupt):
            for _result in executor.run(tasks, ordered=False, poll=stop):
                pass
        assert isinstance(executor, dask_executor.DaskExecutor)
        deadline = time.monotonic() + 10
        while (left := executor.client.run_on_scheduler(_tasks_held)) and time.monotonic() < deadline:
            time.sleep(0.1)  # the scheduler forgets a cancelled task shortly after
        assert left == 0
        assert sum(r.rows for r in executor.run(tasks[:2])) == sum(t.partition.rows for t in tasks[:2])


def _tasks_held(dask_scheduler) -> int:
    return len(dask_scheduler.tasks)


def test_cli_audit_on_dask_then_rerun_where_it_ran_and_show_says_how(database, cluster, tmp_path):
    """``--executor dask --scheduler`` exits as a local audit does (1: violations) with the same JSON;
    the run's parameters (HTML report) name the executor; ``audit rerun`` runs on the stored
    scheduler, and ``--executor local`` overrides it."""
    db = str(database.url.database)
    runner = CliRunner()
    local_out, dask_out = tmp_path / "local.json", tmp_path / "dask.json"
    base = ["audit", "--db", db, "--as-of", AS_OF.isoformat(), "--format", "json"]
    local = runner.invoke(cli, [*base, "-o", str(local_out)])
    dask = runner.invoke(cli, [*base, "-o", str(dask_out), "--executor", "dask", "--scheduler", cluster])
    assert (local.exit_code, dask.exit_code) == (1, 1), dask.output
    assert dask_out.read_bytes() == local_out.read_bytes()
    run_id = int(dask.output.split("audit run ")[1].split(":")[0])
    html = tmp_path / "run.html"
    shown = runner.invoke(cli, ["report", str(run_id), "--db", db, "--format", "html", "-o", str(html)])
    assert shown.exit_code == 0, shown.output
    assert "执行器" in html.read_text(encoding="utf-8") and cluster in html.read_text(encoding="utf-8")
    again = runner.invoke(cli, ["audit", "rerun", str(run_id), "--db", db, "--format", "json", "-o", str(dask_out)])
    assert again.exit_code == 1, again.output
    runs = {run["id"]: run for run in list_runs(database)}
    rerun = max(runs)
    assert load_run(database, rerun).parameters["scheduler"] == cluster
    here = runner.invoke(cli, ["audit", "rerun", str(run_id), "--db", db, "--executor", "local", "--fail-on", "never"])
    assert here.exit_code == 0, here.output
    assert "executor" not in load_run(database, max(r["id"] for r in list_runs(database))).parameters
    assert json.loads(dask_out.read_text(encoding="utf-8")) == json.loads(local_out.read_text(encoding="utf-8"))


def test_cli_audit_on_a_local_cluster_it_starts_itself(database):
    """``--executor dask`` without a scheduler starts a LocalCluster of --jobs worker processes."""
    result = CliRunner().invoke(
        cli,
        ["audit", "--db", str(database.url.database), "--as-of", AS_OF.isoformat(), "--executor", "dask", "-j", "2"],
    )
    assert result.exit_code == 1, result.output
    assert "audit run" in result.output and "3000 records" in result.output


def test_an_unreachable_scheduler_is_a_clear_error_with_exit_2_and_no_run_stored(database, monkeypatch):
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", "1s")
    before = len(list_runs(database))
    result = CliRunner().invoke(
        cli, ["audit", "--db", str(database.url.database), "--scheduler", "tcp://127.0.0.1:1", "--lang", "en"]
    )
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert "Traceback" not in result.output
    assert len(list_runs(database)) == before
    with pytest.raises(ExecutorUnavailable, match="tcp://127.0.0.1:1"):
        open_executor("dask", 1, "tcp://127.0.0.1:1")


def test_without_dask_installed_the_executor_is_a_clear_error(database, monkeypatch):
    """fzcheck without the `dask` extra: ``--executor dask`` says how to install it (exit 2)."""
    import fzcheck.engine.evaluate as package

    monkeypatch.setitem(sys.modules, "fzcheck.engine.evaluate.dask_executor", None)  # its import fails
    monkeypatch.delattr(package, "dask_executor")
    result = CliRunner().invoke(cli, ["audit", "--db", str(database.url.database), "--executor", "dask"])
    assert result.exit_code == 2, result.output
    assert "pip install 'fzcheck[dask]'" in result.output


def test_scheduler_with_the_local_executor_is_a_usage_error(database):
    result = CliRunner().invoke(
        cli, ["audit", "--db", str(database.url.database), "--executor", "local", "--scheduler", "tcp://x:1"]
    )
    assert result.exit_code == 2 and "--scheduler" in result.output


def test_a_run_stored_without_an_executor_reads_as_local():
    old = AuditParams(AS_OF).to_dict()
    assert "executor" not in old and AuditParams.from_dict(old).executor == "local"
    made = AuditParams(AS_OF, executor="dask", scheduler="tcp://h:8786")
    assert AuditParams.from_dict(made.to_dict()) == made
    with pytest.raises(ValueError, match="unknown executor"):
        AuditParams(AS_OF, executor="spark")


def test_dask_is_not_imported_by_a_local_audit():
    """The extra is loaded only when chosen: a local audit's modules do not import distributed."""
    import subprocess

    code = (
        "import sys; import fzcheck.engine.evaluate.audit, fzcheck.cli.audit; "
        "print('distributed' in sys.modules or 'dask' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_client_is_not_left_as_the_default(cluster):
    """The executor's client is not made the process's default client (a caller's own stays)."""
    with Client(cluster, set_as_default=True) as mine, open_executor("dask", 1, cluster):
        assert Client.current() is mine


def test_check_on_dask_equals_the_one_process_check(cluster, tmp_path, monkeypatch):
    """``check --executor dask``: the subjects split into partitions (with their batch facts) on the
    cluster give the one-process report; through the CLI, the same JSON."""
    from fzcheck.engine.evaluate.check import check_records
    from fzcheck.engine.outcomes.results import SourceRef
    from fzcheck.engine.sources.generator import generate_records
    from fzcheck.models.records import parse_record

    generated = list(generate_records(1200, seed=5))
    records = [parse_record(data, SourceRef("gen.jsonl", i + 1)) for i, data in enumerate(generated)]
    one = check_records(records, as_of=AS_OF, pass_details=False)
    there = check_records(records, as_of=AS_OF, jobs=2, pass_details=False, executor="dask", scheduler=cluster)
    assert one.outcomes and [o.to_dict() for o in there.outcomes] == [o.to_dict() for o in one.outcomes]
    assert there.summary() == one.summary() and there.unlisted_passes == one.unlisted_passes
    assert [w.to_dict() for w in there.warnings] == [w.to_dict() for w in one.warnings]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(data, ensure_ascii=False, default=str) + "\n" for data in generated[:300]))
    base = ["check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
    local = CliRunner().invoke(cli, base)
    dask = CliRunner().invoke(cli, [*base, "--scheduler", cluster, "-j", "2"])
    assert local.exit_code == dask.exit_code == 1, dask.output
    assert dask.stdout == local.stdout
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", "1s")
    unreachable = CliRunner().invoke(cli, [*base, "--scheduler", "tcp://127.0.0.1:1"])
    assert unreachable.exit_code == 2 and "tcp://127.0.0.1:1" in unreachable.output
