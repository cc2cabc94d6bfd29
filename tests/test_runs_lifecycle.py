"""Audit runs with an honest lifecycle and one consistent snapshot (issue #16).

A run is done only when its last outcome is committed; SIGTERM and SIGINT store it interrupted with
the work done; a run whose process is gone is shown as interrupted; `audit show`, `report` and `diff`
of a run that did not finish exit 2 (`--partial` shows the stored part, labelled); `audit rerun`
runs it again. A run reads one snapshot of the records, whatever is imported alongside. Read-only
databases can be read; a bad URL, an unreachable server or a missing file is exit 2.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_reset import drop_every_table
from sqlalchemy import insert, select, text, update

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate import audit
from fzcheck.engine.evaluate.audit import AuditInterrupted, AuditParams, AuditScope, Snapshot, run_audit
from fzcheck.engine.evaluate.executor import run_calendar
from fzcheck.engine.evaluate.pipeline import Evaluation
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sources import database
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store import runs
from fzcheck.engine.store.database import connect, open_engine
from fzcheck.engine.store.importer import import_paths, record_from_row
from fzcheck.engine.store.runs import (
    RunIncomplete,
    diff_runs,
    list_runs,
    load_run,
    load_state,
    process_alive,
    run_state,
)
from fzcheck.engine.store.schema import RECORD_TABLES, audit_runs

AS_OF = dt.date(2026, 11, 23)
PG_URL = os.environ.get("FZCHECK_TEST_PG_URL")
needs_pg = pytest.mark.skipif(
    not PG_URL, reason="FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)"
)
FZCHECK = [sys.executable, "-m", "fzcheck"]
#: heartbeats of the audits started here: often, so that a test sees progress soon
FAST_HEARTBEAT = {**os.environ, "FZCHECK_HEARTBEAT_SECONDS": "0.2"}


def outcome_keys(outcomes):
    return sorted(
        (
            o.record_kind,
            o.record_id,
            o.ruleset,
            o.rule_id,
            o.outcome,
            o.message("zh"),
            json.dumps(o.evidence, sort_keys=True),
            str(o.source),
        )
        for o in outcomes
        if o.outcome != "pass"
    )


def fresh_pg():
    drop_every_table(PG_URL)
    return connect(PG_URL, create=True)


# --- a year big enough that an audit takes seconds -------------------------------------------------


@pytest.fixture(scope="module")
def year_files(tmp_path_factory):
    """30,000 records (an audit with two workers takes a few seconds), and a quarter's changes to
    them (only the changed and the new records)."""
    folder = tmp_path_factory.mktemp("year-files")
    sample = folder / "year.jsonl"
    write_sample(sample, 30_000, seed=5)
    changes = folder / "changes.jsonl"
    changed_copy(sample, changes, only_changed=True, every=10)  # a quick import: ~3,000 rows
    return {"sample": sample, "changes": changes}


@pytest.fixture(scope="module")
def year(tmp_path_factory, year_files):
    """The year in SQLite, and a finished run of it."""
    folder = tmp_path_factory.mktemp("year")
    engine = connect(str(folder / "year.db"), create=True)
    import_paths(engine, [year_files["sample"]])
    full = run_audit(engine, AuditParams(as_of=AS_OF), jobs=2)
    engine.dispose()
    return {"db": str(folder / "year.db"), "full": full}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2 :].split()[0] in ("Z", "X")


def start_audit(db: str, *args: str, folder: Path | None = None) -> tuple[subprocess.Popen, int, Path]:
    """A real `fzcheck audit` process, once its heartbeat says it has done a first unit: returns the
    process, its run id and its standard error file (in ``folder``, else beside the database)."""
    before = {run["id"] for run in list_runs(open_engine(db, readonly=True))}
    stderr = (folder or Path(db).parent) / f"audit-{time.monotonic_ns()}.err"
    process = subprocess.Popen(
        [*FZCHECK, "audit", "--db", db, "--as-of", AS_OF.isoformat(), "--jobs", "2", *args],
        stdout=subprocess.DEVNULL,
        stderr=stderr.open("w"),
        env=FAST_HEARTBEAT,
    )
    deadline = time.monotonic() + 120
    engine = open_engine(db, readonly=True)
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, stderr.read_text()
            new = [run for run in list_runs(engine) if run["id"] not in before]
            if new and (new[0]["progress"] or {}).get("done"):
                assert new[0]["status"] == "running"
                return process, new[0]["id"], stderr
            time.sleep(0.05)
    finally:
        engine.dispose()
    process.kill()
    raise AssertionError("the audit made no progress in 120 s")


@pytest.mark.parametrize("signum, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_midway_stores_the_run_interrupted_with_the_work_done(year, signum, code, name):
    db = year["db"]
    process, run_id, stderr = start_audit(db)
    workers = _children(process.pid)
    assert workers  # the pool's processes
    process.send_signal(signum)
    assert process.wait(timeout=60) == code
    said = stderr.read_text()
    assert f"审计运行 {run_id} 已中断（收到 {name}）：已保存已完成部分（约 " in said
    assert (
        f"的结果，不能作为审计结论；查看：fzcheck audit show {run_id} --partial；重新运行：fzcheck audit rerun {run_id}"
        in said
    )
    deadline = time.monotonic() + 20
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in workers), "the workers were not terminated"

    engine = open_engine(db, readonly=True)
    run = next(run for run in list_runs(engine) if run["id"] == run_id)
    assert run["status"] == "interrupted" and run["state"].stored == "interrupted"
    assert run["status_detail"] == name and run["state"].reason == "signal"
    assert 0 < run["progress"]["done"] < run["progress"]["total"]
    # what was stored is the work done: outcomes of the full run, fewer of them
    partial = load_run(engine, run_id)
    full = year["full"]
    assert partial.partial and partial.status == "interrupted" and partial.exit_code() == 2
    assert partial.outcomes and set(outcome_keys(partial.outcomes)) < set(outcome_keys(full.outcomes))
    assert all(count <= full.counts[key] for key, count in partial.counts.items())
    assert 0 < partial.subjects < full.subjects
    engine.dispose()

    runner = CliRunner()
    shown = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db])
    assert shown.exit_code == 2 and shown.stdout == ""
    assert shown.stderr == (
        f"错误：运行 {run_id} 未完成（已中断：收到 {name}）：结果不完整，不能作为审计结论；"
        f"可用 --partial 查看已保存部分，或重新运行：fzcheck audit rerun {run_id}\n"
    )
    english = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db, "--lang", "en"])
    assert english.exit_code == 2
    assert english.stderr == (
        f"Error: run {run_id} did not finish (interrupted: received {name}): its results are "
        f"incomplete and are no audit conclusion; use --partial to see the part stored, or run "
        f"it again: fzcheck audit rerun {run_id}\n"
    )
    percent = int(100 * run["progress"]["done"] / run["progress"]["total"])
    notice = (
        f"部分结果：运行 {run_id} 未完成（已中断：收到 {name}），只含已完成部分（约 {percent}%）的结果，"
        f"不能作为审计结论"
    )
    as_json = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db, "--partial", "--format", "json"])
    assert as_json.exit_code == 2
    data = json.loads(as_json.stdout)
    assert data["partial"] is True and data["run"]["status"] == "interrupted" and data["run"]["notice"] == notice
    assert data["summary"]["violation"] == partial.summary()["violation"] < full.summary()["violation"]
    assert as_json.stderr == notice + "\n"
    table = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db, "--partial"])
    assert table.exit_code == 2
    assert table.stdout.startswith(notice + "\n\n")
    assert table.stdout.rstrip().endswith("结论：运行未完成，结果不完整，不能作为审计结论")
    assert "检查不通过" not in table.stdout and "没有严重程度" not in table.stdout

    for args in (["audit", "diff", "1", str(run_id)], ["audit", "diff", str(run_id), "1"]):
        diff = runner.invoke(cli, [*args, "--db", db])
        assert diff.exit_code == 2 and "已整改" not in diff.stdout
        assert diff.stderr == (
            f"错误：运行 {run_id} 未完成（已中断：收到 {name}）：结果不完整，不能用于比较"
            f"（未检查到的违规会被算作“已整改”）；请重新运行：fzcheck audit rerun {run_id}\n"
        )
    with pytest.raises(RunIncomplete):
        diff_runs(open_engine(db, readonly=True), 1, run_id)


def test_sigkill_leaves_a_run_shown_as_interrupted_because_its_process_is_gone(year):
    db = year["db"]
    process, run_id, _stderr = start_audit(db)
    process.kill()
    assert process.wait(timeout=60) == -signal.SIGKILL
    engine = open_engine(db, readonly=True)
    run = next(run for run in list_runs(engine) if run["id"] == run_id)
    assert run["state"].stored == "running"  # nobody could say otherwise
    assert run["status"] == "interrupted" and run["state"].reason == "process_gone"
    assert run["pid"] == process.pid and run["host"] == socket.gethostname()
    engine.dispose()
    runner = CliRunner()
    listed = runner.invoke(cli, ["audit", "list", "--db", db])
    assert listed.exit_code == 0
    line = next(line for line in listed.stdout.splitlines() if line.startswith(f"│ {run_id} "))
    assert "interrupted" in line and f"its process {process.pid} on {socket.gethostname()} is gone" in line
    shown = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db])
    assert shown.exit_code == 2
    assert shown.stderr == (
        f"错误：运行 {run_id} 未完成（已中断：进程 {process.pid}（{socket.gethostname()}）已不存在）："
        f"结果不完整，不能作为审计结论；可用 --partial 查看已保存部分，或重新运行：fzcheck audit rerun "
        f"{run_id}\n"
    )
    partial = runner.invoke(cli, ["audit", "show", str(run_id), "--db", db, "--partial", "--format", "json"])
    assert partial.exit_code == 2
    data = json.loads(partial.stdout)
    assert data["outcomes"] == [] and data["partial"] is True
    assert data["run"]["notice"].endswith("没有保存任何结果，不能作为审计结论")
    report = runner.invoke(
        cli,
        [
            "report",
            str(run_id),
            "--db",
            db,
            "--format",
            "json",
            "-o",
            str(Path(db).with_name("killed.json")),
            "--partial",
        ],
    )
    assert report.exit_code == 2 and "没有保存任何结果" in report.stderr
    diff = runner.invoke(cli, ["audit", "diff", "1", str(run_id), "--db", db, "--lang", "en"])
    assert diff.exit_code == 2
    assert diff.stderr.startswith(f"Error: run {run_id} did not finish (interrupted: its process {process.pid} on ")


def test_rerun_runs_a_stored_run_again_as_a_new_run(year, tmp_path):
    db = year["db"]
    process, run_id, _stderr = start_audit(db, "--region", "53")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    rerun = CliRunner().invoke(
        cli,
        [
            "audit",
            "rerun",
            str(run_id),
            "--db",
            db,
            "--jobs",
            "2",
            "--format",
            "json",
            "-o",
            str(tmp_path / "rerun.json"),
        ],
    )
    assert rerun.exit_code == 1, rerun.output  # the region's violations, as for `audit`
    new_id = max(run["id"] for run in list_runs(open_engine(db, readonly=True)))
    assert f"audit run {new_id} (rerun of run {run_id}): " in rerun.stderr
    engine = open_engine(db, readonly=True)
    new = load_run(engine, new_id)
    assert new.status == "done" and new.rerun_of == run_id
    assert new.parameters == load_run(engine, run_id).parameters and new.parameters["region"] == "53"
    region = [o for o in year["full"].outcomes if o.record_id.startswith("53")]
    assert outcome_keys(new.outcomes) == outcome_keys(region)
    listed = CliRunner().invoke(cli, ["audit", "list", "--db", db])
    assert f"rerun of {run_id}" in next(line for line in listed.stdout.splitlines() if line.startswith(f"│ {new_id} "))
    # and a finished run exits as before
    shown = CliRunner().invoke(cli, ["audit", "show", str(new_id), "--db", db, "--format", "json"])
    assert shown.exit_code == 1 and "partial" not in json.loads(shown.stdout)
    assert CliRunner().invoke(cli, ["audit", "show", str(new_id), "--db", db, "--fail-on", "never"]).exit_code == 0
    missing = CliRunner().invoke(cli, ["audit", "rerun", "999", "--db", db])
    assert missing.exit_code == 2 and "no audit run 999" in missing.output
    engine.dispose()


def test_audit_help_documents_rerun_and_the_statuses():
    runner = CliRunner()
    group = runner.invoke(cli, ["audit", "--help"])
    assert "fzcheck audit rerun RUN" in group.output and "interrupted" in group.output
    rerun = runner.invoke(cli, ["audit", "rerun", "--help"])
    assert rerun.exit_code == 0 and "stored parameters, as a new run" in rerun.output
    assert "--partial" in runner.invoke(cli, ["audit", "show", "--help"]).output
    assert "--partial" in runner.invoke(cli, ["report", "--help"]).output


# --- the same in-process, on both databases --------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    before = folder / "before.jsonl"
    write_sample(before, 3000, seed=11)
    after = folder / "after.jsonl"
    changed_copy(before, after)
    return {"before": before, "after": after}


def changed_copy(before: Path, after: Path, only_changed: bool = False, every: int = 3) -> None:
    """The same registers a quarter later: every third record of each kind changed (its agency
    renamed, and a value its rules read), a few moved to another region, and new cases; with
    ``only_changed`` just the changed and new records."""
    rows = [json.loads(line) for line in before.read_text(encoding="utf-8").splitlines()]
    seen: dict[str, int] = {}
    changed = []
    for row in rows:
        kind = row["kind"]
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] % every == 0:
            row = dict(row)
            row["agency"] = (row.get("agency") or "") + "（更名）"
            if kind == "normative_document" and row.get("published_on"):
                row["filed_on"] = (dt.date.fromisoformat(row["published_on"]) + dt.timedelta(days=90)).isoformat()
            elif kind == "enforcement_case":
                row["officers"] = []
                if seen[kind] % (10 * every) == 0 and row["region_code"] == "532301":
                    row["region_code"] = "430582"
            elif kind == "training_session":
                row["hours"] = 1
            elif kind == "reconsideration_case":
                row["handlers"] = ["张伟"]
        elif only_changed:
            continue
        changed.append(row)
    cases = [row for row in rows if row["kind"] == "enforcement_case"][:40]
    changed += [{**row, "id": f"new-{row['id']}"} for row in cases]
    after.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in changed), encoding="utf-8")


@pytest.fixture(scope="module")
def references(sample, tmp_path_factory):
    """Runs on the data before the second import and after it (on SQLite: the same outcomes as on
    PostgreSQL, tests/test_audit.py)."""
    folder = tmp_path_factory.mktemp("references")
    engine = connect(str(folder / "before.db"), create=True)
    import_paths(engine, [sample["before"]])
    before = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    result = import_paths(engine, [sample["after"]])
    assert result.total("quarantined") == 0 and result.total("updated") > 900 and result.total("inserted") == 40
    after = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    engine.dispose()
    assert outcome_keys(before.outcomes) != outcome_keys(after.outcomes) and before.counts != after.counts
    return {"before": before, "after": after}


@pytest.fixture(params=["sqlite", "postgresql", "duckdb"])
def db(request, tmp_path, sample):
    """A database holding the sample's first import, on SQLite, on PostgreSQL and on DuckDB."""
    if request.param == "sqlite":
        engine = connect(str(tmp_path / "runs.db"), create=True)
    elif request.param == "duckdb":
        engine = connect(f"duckdb:///{tmp_path / 'runs.duckdb'}", create=True)
    elif not PG_URL:
        pytest.skip("FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)")
    else:
        engine = fresh_pg()
    import_paths(engine, [sample["before"]])
    yield engine
    engine.dispose()


def same_run(report, reference) -> bool:
    return (
        outcome_keys(report.outcomes) == outcome_keys(reference.outcomes)
        and report.counts == reference.counts
        and report.summary() == reference.summary()
    )


def test_an_import_between_two_units_does_not_tear_the_run(db, sample, references, monkeypatch):
    """The second import commits after the run's first unit: the run reads the data before it."""
    monkeypatch.setattr(database, "UNIT_SIZE", 150)
    url = db.url.render_as_string(hide_password=False)
    imported = []

    def import_once(done, total):
        if not imported:
            other = open_engine(url)
            imported.append(import_paths(other, [sample["after"]]))
            other.dispose()

    report = run_audit(db, AuditParams(as_of=AS_OF), jobs=1, progress=import_once)
    assert imported and imported[0].total("updated") > 900
    stored = load_run(db, report.run_id)
    assert same_run(report, references["before"]) and same_run(stored, references["before"])
    assert stored.snapshot == {"import_id": 1, "excluded": []}
    # the next run reads what is there now
    assert same_run(run_audit(db, AuditParams(as_of=AS_OF), jobs=1), references["after"])


def test_without_the_snapshot_the_same_interleaving_tears_the_run(tmp_path, sample, references, monkeypatch):
    """The control: reading whatever is committed when each unit runs gives a run that matches
    neither the data before nor after — what the snapshot prevents."""
    monkeypatch.setattr(database, "UNIT_SIZE", 150)
    monkeypatch.setattr(audit, "current_snapshot", lambda engine: Snapshot(10**9))
    engine = connect(str(tmp_path / "torn.db"), create=True)
    import_paths(engine, [sample["before"]])
    imported = []

    def import_once(done, total):
        if not imported:
            imported.append(import_paths(open_engine(str(tmp_path / "torn.db")), [sample["after"]]))

    torn = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1, progress=import_once)
    assert not same_run(torn, references["before"]) and not same_run(torn, references["after"])
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_import_running_alongside_an_audit_in_another_process(backend, year, year_files, tmp_path, monkeypatch):
    """`fzcheck db import` in a process of its own while the audit's two workers evaluate the
    year: the stored run equals the run on the data before (the import began after the run did),
    and the run after it reads the new data. The control — the same without the snapshot — gives a
    run that matches neither: the import really lands while the workers read."""
    if backend == "postgresql" and not PG_URL:
        pytest.skip("FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)")

    def loaded():
        if backend == "sqlite":
            path = tmp_path / f"year-{time.monotonic_ns()}.db"
            engine = connect(str(path), create=True)
        else:
            engine = fresh_pg()
        import_paths(engine, [year_files["sample"]])
        return engine

    def audit_with_an_import_alongside(engine):
        url = engine.url.render_as_string(hide_password=False)
        importer = []

        def import_alongside(done, total):
            if not importer:  # the workers go on with the queued units while this waits
                importer.append(
                    subprocess.run(
                        [*FZCHECK, "db", "import", str(year_files["changes"]), "--db", url],
                        capture_output=True,
                        text=True,
                        timeout=300,
                    )
                )
                assert importer[0].returncode == 0, importer[0].stderr
                importer.append(done)

        report = run_audit(engine, AuditParams(as_of=AS_OF), jobs=2, progress=import_alongside)
        assert importer and importer[1] < report.subjects  # the import ended before the run did
        return load_run(engine, report.run_id)

    before = year["full"]
    engine = loaded()
    stored = audit_with_an_import_alongside(engine)
    after = run_audit(engine, AuditParams(as_of=AS_OF), jobs=2)
    engine.dispose()
    assert not same_run(after, before)
    assert same_run(stored, before) or same_run(stored, after)
    assert same_run(stored, before)

    monkeypatch.setattr(audit, "current_snapshot", lambda engine: Snapshot(10**9))
    engine = loaded()
    torn = audit_with_an_import_alongside(engine)
    engine.dispose()
    assert not same_run(torn, after)
    assert not same_run(torn, before), "the import ended after the workers had read everything: no overlap to test"


def test_the_snapshot_gives_back_the_records_as_they_were(db, sample, monkeypatch):
    """Records the second import changed, moved to another region or added are read as the first
    import left them: equal to what the tables held then, region and year filters included."""
    monkeypatch.setattr(database, "UNIT_SIZE", 97)
    url = db.url.render_as_string(hide_password=False)
    with db.connect() as connection:
        then = {
            (kind, row.record_id): record_from_row(kind, row)
            for kind, table in RECORD_TABLES.items()
            for row in connection.execute(select(table))
        }
    snapshot = audit.current_snapshot(db)
    import_paths(db, [sample["after"]])
    for scope in (AuditScope(), AuditScope("53"), AuditScope("43", 2023)):
        params = AuditParams(as_of=AS_OF, scope=scope)
        units, records = database.plan_units(db, scope, AS_OF, snapshot)
        fields = Evaluation(default_catalog(), params.settings()).batch_fields(RECORD_TABLES)
        worker = database.DatabaseSource(url, scope, AS_OF, run_calendar(None), fields, snapshot)
        read = {}
        for unit in units:
            if unit[0] != "officer_year":
                read.update({(s.kind, s.id): s.values for s in worker.subjects(unit)})
        expected = {
            key: record
            for key, record in then.items()
            if record.region_code.startswith(scope.region or "")
            and database._in_year({"key_date": database.key_date(key[0], record, AS_OF)}, scope, AS_OF)
        }
        assert read == expected and records == len(expected)
        assert worker.overlay  # the changed records came from their kept versions
        worker.engine.dispose()


def test_a_signal_in_process_stops_between_units_and_restores_the_handlers(db, monkeypatch):
    monkeypatch.setattr(database, "UNIT_SIZE", 300)
    previous = signal.getsignal(signal.SIGTERM)
    calls = []

    def terminate_once(done, total):
        calls.append(done)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(AuditInterrupted) as raised:
        run_audit(db, AuditParams(as_of=AS_OF), jobs=1, progress=terminate_once)
    exc = raised.value
    assert exc.signal_name == "SIGTERM" and exc.exit_code == 143 and exc.stored
    assert exc.progress["done"] == calls[-1] < exc.progress["total"]  # stopped after the unit at hand
    assert signal.getsignal(signal.SIGTERM) == previous
    state = load_state(db, exc.run_id)
    assert (state.status, state.stored, state.detail) == ("interrupted", "interrupted", "SIGTERM")
    stored = load_run(db, exc.run_id)
    assert stored.partial and stored.exit_code("never") == 2 and stored.subjects == exc.progress["done"]
    # SIGINT before the first unit (while planning) interrupts at once; nothing done, nothing lost
    planned = audit.plan_units

    def interrupted_plan(*args):
        os.kill(os.getpid(), signal.SIGINT)
        return planned(*args)

    monkeypatch.setattr(audit, "plan_units", interrupted_plan)
    with pytest.raises(AuditInterrupted) as raised:
        run_audit(db, AuditParams(as_of=AS_OF), jobs=1)
    assert raised.value.exit_code == 130
    stored = load_run(db, raised.value.run_id)
    assert stored.status == "interrupted" and stored.outcomes == [] and stored.state.detail == "SIGINT"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_failed_run_keeps_the_work_done_and_is_no_result(db, monkeypatch):
    monkeypatch.setattr(database, "UNIT_SIZE", 300)
    original = database.DatabaseSource.unit
    done = []

    def failing(self, unit):
        if len(done) == 3:
            raise ValueError("disk on fire")
        done.append(unit)
        return original(self, unit)

    monkeypatch.setattr(database.DatabaseSource, "unit", failing)
    with pytest.raises(audit.UnitFailed):
        run_audit(db, AuditParams(as_of=AS_OF), jobs=1)
    run = list_runs(db)[-1]
    assert run["status"] == "failed" and run["status_detail"].startswith("UnitFailed: audit unit")
    stored = load_run(db, run["id"])
    assert stored.partial and stored.subjects == sum(unit[3] for unit in done) > 0
    result = CliRunner().invoke(
        cli, ["audit", "show", str(run["id"]), "--db", db.url.render_as_string(hide_password=False)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：运行 {run['id']} 未完成（失败：出错：UnitFailed: audit unit ")
    assert "Traceback" not in result.stderr


def test_a_run_is_done_only_when_its_outcomes_are_committed(db, monkeypatch):
    """A failure while the outcomes are stored leaves no done run with part of them."""
    from fzcheck.engine.store import runs as run_store

    original = run_store._outcome_rows
    calls = []

    def failing_rows(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(run_store, "OUTCOME_BATCH", 50)
    monkeypatch.setattr(run_store, "_outcome_rows", failing_rows)
    with pytest.raises(OSError):
        run_audit(db, AuditParams(as_of=AS_OF), jobs=1)
    run = list_runs(db)[-1]
    assert run["status"] == "failed" and run["status_detail"] == "OSError: disk full"


def test_the_status_of_a_run_whose_process_is_gone(db):
    """Same host: the pid (a zombie or another process with the pid is no run's process); another
    host: the heartbeat."""
    here = socket.gethostname()
    now = runs.utcnow()
    started = dt.datetime.now()
    base = {
        "id": 1,
        "status": "running",
        "started_at": started,
        "status_detail": None,
        "progress": None,
        "warnings": None,
    }
    assert run_state({**base, "pid": os.getpid(), "host": here, "heartbeat_at": now}).status == "running"
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while not _gone(child.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not process_alive(child.pid)  # a zombie: exited, not yet reaped
    child.wait()
    gone = run_state({**base, "pid": child.pid, "host": here, "heartbeat_at": now})
    assert (gone.status, gone.stored, gone.reason) == ("interrupted", "running", "process_gone")
    # this process did not start an hour ago: its pid was given to it after that run's process ended
    reused = run_state(
        {**base, "pid": os.getpid(), "host": here, "heartbeat_at": now, "started_at": started - dt.timedelta(hours=1)}
    )
    assert reused.status == "interrupted"
    elsewhere = {**base, "pid": 4242, "host": "another-host"}
    assert run_state({**elsewhere, "heartbeat_at": now - dt.timedelta(seconds=30)}).status == "running"
    stale = run_state({**elsewhere, "heartbeat_at": now - dt.timedelta(seconds=runs.STALE_SECONDS + 1)})
    assert (stale.status, stale.reason) == ("interrupted", "heartbeat")
    assert "no heartbeat from process 4242 on another-host since" in stale.describe("en")
    # a run left running by an fzcheck without heartbeats (stored before revision 0004)
    with db.begin() as connection:
        old = connection.execute(
            insert(audit_runs).values(
                started_at=started - dt.timedelta(days=3),
                status="running",
                as_of=AS_OF,
                parameters={},
                tool_version="0.0.9",
            )
        ).inserted_primary_key[0]
    state = load_state(db, old)
    assert (state.status, state.reason) == ("interrupted", "heartbeat")
    with db.begin() as connection:  # and one whose heartbeat another host renews
        connection.execute(
            update(audit_runs)
            .where(audit_runs.c.id == old)
            .values(pid=4242, host="another-host", heartbeat_at=runs.utcnow())
        )
    assert load_state(db, old).status == "running"
    runner = CliRunner()
    url = db.url.render_as_string(hide_password=False)
    running = runner.invoke(cli, ["audit", "show", str(old), "--db", url])
    assert running.exit_code == 2
    assert running.stderr == (
        f"错误：运行 {old} 未完成（运行中：进程 4242（another-host）仍在运行）：结果不完整，"
        f"不能作为审计结论；可用 --partial 查看已保存部分，或待其完成后再查看\n"
    )


def test_a_running_run_renews_its_heartbeat(db, monkeypatch):
    monkeypatch.setattr(runs, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(database, "UNIT_SIZE", 300)
    seen = []

    def look(done, total):
        time.sleep(0.2)
        with db.connect() as connection:
            seen.append(
                connection.execute(
                    select(audit_runs.c.heartbeat_at, audit_runs.c.progress, audit_runs.c.pid).order_by(
                        audit_runs.c.id.desc()
                    )
                ).first()
            )

    report = run_audit(db, AuditParams(as_of=AS_OF), jobs=1, progress=look)
    assert len({beat for beat, _, _ in seen}) > 1 and all(pid == os.getpid() for _, _, pid in seen)
    assert any(progress and 0 < progress["done"] < progress["total"] for _, progress, _ in seen)
    final = load_state(db, report.run_id)
    assert final.status == "done" and final.progress["done"] == final.progress["total"]


# --- partial reports, labelled in every format -------------------------------------------------------


@pytest.fixture
def partial_run(tmp_path, sample, monkeypatch):
    """A SQLite database with a finished run 1 and a run 2 interrupted after two units."""
    path = tmp_path / "partial.db"
    engine = connect(str(path), create=True)
    import_paths(engine, [sample["before"]])
    run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    monkeypatch.setattr(database, "UNIT_SIZE", 300)
    calls = []

    def terminate(done, total):
        calls.append(done)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(AuditInterrupted):
        run_audit(engine, AuditParams(as_of=AS_OF), jobs=1, progress=terminate)
    engine.dispose()
    return str(path)


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown", "junit", "sarif", "github"])
def test_audit_show_partial_labels_every_format(partial_run, fmt, tmp_path):
    runner = CliRunner()
    refused = runner.invoke(cli, ["audit", "show", "2", "--db", partial_run, "--format", fmt])
    assert refused.exit_code == 2 and refused.stdout == ""
    result = runner.invoke(cli, ["audit", "show", "2", "--db", partial_run, "--format", fmt, "--partial"])
    assert result.exit_code == 2, result.output
    out = result.stdout
    notice = result.stderr.strip()
    assert notice.startswith("部分结果：运行 2 未完成（已中断：收到 SIGTERM），只含已完成部分（约 ")
    if fmt == "table":
        assert out.startswith(notice) and "结论：运行未完成，结果不完整，不能作为审计结论" in out
    elif fmt == "json":
        assert json.loads(out)["partial"] is True
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.splitlines()]
        assert lines and all(line["partial"] is True for line in lines)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
        assert rows[0][-1] == "partial" and len(rows) > 1 and {row[-1] for row in rows[1:]} == {"true"}
    elif fmt == "markdown":
        assert out.startswith("# fzcheck 检查报告（部分结果：运行未完成）\n\n> **部分结果：运行 2 未完成")
        assert "**结论：运行未完成，结果不完整，不能作为审计结论**" in out
    elif fmt == "junit":
        root = ET.fromstring(out)
        error = root.find("testsuite[@name='audit-run']/testcase/error")
        assert error is not None and error.get("message") == notice
        _validate_junit(out)
    elif fmt == "sarif":
        log = json.loads(out)
        invocation = log["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        assert invocation["toolExecutionNotifications"][0]["message"]["text"] == notice
        _validate_sarif(log)
    elif fmt == "github":
        assert out.startswith("::error title=部分结果：运行未完成::部分结果：运行 2 未完成")
    # the English label
    english = runner.invoke(
        cli, ["audit", "show", "2", "--db", partial_run, "--format", fmt, "--partial", "--lang", "en"]
    )
    assert english.exit_code == 2
    assert english.stderr.startswith(
        "partial results: run 2 did not finish (interrupted: received SIGTERM); only "
        "the outcomes of the work done (about "
    )


SCHEMAS = Path(__file__).resolve().parent.parent / "engine" / "output" / "schemas"


def _validate_junit(text_: str) -> None:
    import xmlschema

    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text_)


def _validate_sarif(log: dict) -> None:
    import jsonschema

    jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(
        log
    )


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv", "json", "markdown"])
def test_report_partial_says_partial_in_its_title_and_summary(partial_run, fmt, tmp_path):
    runner = CliRunner()
    out = tmp_path / f"r.{fmt}"
    refused = runner.invoke(cli, ["report", "2", "--db", partial_run, "--format", fmt, "-o", str(out)])
    assert refused.exit_code == 2 and not out.exists()
    assert "运行 2 未完成（已中断：收到 SIGTERM）" in refused.stderr
    written = runner.invoke(cli, ["report", "2", "--db", partial_run, "--format", fmt, "-o", str(out), "--partial"])
    assert written.exit_code == 2, written.output
    notice = written.stderr.splitlines()[-1]
    assert notice.startswith("部分结果：运行 2 未完成")
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert "<h1>法治政府建设合规审计报告（部分结果：运行未完成）</h1>" in page
        assert "（部分结果：运行未完成）</title>" in page and f">{notice}</p>" in page
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert book.worksheets[0]["A1"].value == notice
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0][-1] == "partial"
    elif fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["run"]["notice"] == notice
    else:
        assert out.read_text(encoding="utf-8").startswith("# fzcheck 检查报告（部分结果：运行未完成）")
    finished = runner.invoke(cli, ["report", "1", "--db", partial_run, "--format", fmt, "-o", str(out)])
    assert finished.exit_code == 0 and "部分结果" not in finished.output


def test_partial_on_a_finished_run_changes_nothing(partial_run):
    runner = CliRunner()
    plain = runner.invoke(cli, ["audit", "show", "1", "--db", partial_run, "--format", "json"])
    flagged = runner.invoke(cli, ["audit", "show", "1", "--db", partial_run, "--format", "json", "--partial"])
    assert plain.exit_code == flagged.exit_code == 1 and plain.stdout == flagged.stdout
    assert runner.invoke(cli, ["audit", "diff", "1", "1", "--db", partial_run]).exit_code == 0


# --- read-only databases, bad URLs, missing files ----------------------------------------------------


@contextlib.contextmanager
def read_only(*paths: Path):
    """Make files and folders read-only for this process — for root too (the immutable attribute),
    as an auditor's copy on read-only media is; skips where that cannot be done."""
    modes = {path: path.stat().st_mode for path in paths}
    immutable = []
    try:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        if os.geteuid() == 0 and shutil.which("chattr"):
            for path in paths:
                if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0:
                    immutable.append(path)
        for path in paths:
            probe = path / ".probe" if path.is_dir() else path
            try:
                with open(probe, "ab"):
                    pass
            except OSError:
                continue
            if path.is_dir():
                probe.unlink()
            pytest.skip(f"{path} cannot be made read-only here (root without chattr)")
        yield
    finally:
        for path in immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.fixture(params=["sqlite", "duckdb"])
def audited(request, tmp_path, sample):
    """A database file with a finished run 1, alone in its folder: (file, its URL, a second way to
    name it on the command line — a SQLite file's path and URL)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if request.param == "sqlite":
        path = folder / "audit.db"
        urls = (str(path), f"sqlite:///{path}")
    else:
        path = folder / "audit.duckdb"
        urls = (f"duckdb:///{path}",) * 2
    engine = connect(urls[0], create=True)
    import_paths(engine, [sample["before"]])
    run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    engine.dispose()
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # the WAL checkpointed and removed
    return path, *urls


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_can_still_be_listed_shown_and_reported(audited, what, tmp_path):
    audited, url, other_url = audited
    digest = hashlib.sha256(audited.read_bytes()).hexdigest()
    engine = connect(url)
    expected = load_run(engine, 1)
    engine.dispose()
    paths = (audited,) if what == "file" else (audited, audited.parent)
    with read_only(*paths):
        runner = CliRunner()
        listed = runner.invoke(cli, ["audit", "list", "--db", url])
        assert listed.exit_code == 0, listed.output
        assert "│ 1   │" in listed.stdout and "done" in listed.stdout
        shown = runner.invoke(cli, ["audit", "show", "1", "--db", other_url, "--format", "json"])
        assert shown.exit_code == 1, shown.output
        data = json.loads(shown.stdout)
        assert data["summary"] == expected.summary() and len(data["outcomes"]) == len(expected.outcomes)
        report = runner.invoke(
            cli, ["report", "1", "--db", url, "--format", "json", "-o", str(tmp_path / "report.json")]
        )
        assert report.exit_code == 0, report.output
        assert runner.invoke(cli, ["audit", "diff", "1", "1", "--db", url]).exit_code == 0
        drill = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--outcome", "violation"])
        assert drill.exit_code == 1
    assert hashlib.sha256(audited.read_bytes()).hexdigest() == digest
    if what == "folder":
        assert sorted(p.name for p in audited.parent.iterdir()) == [audited.name]


UNSUPPORTED_ZH = (
    "错误：不支持的数据库 URL mysql://auditor:***@db.example/fz：fzcheck 只支持 SQLite、PostgreSQL 和 DuckDB；"
    "请使用 sqlite:///文件（或文件路径）、postgresql://用户名:密码@主机/数据库名 或 duckdb:///文件\n"
)
UNSUPPORTED_EN = (
    "Error: unsupported database URL mysql://auditor:***@db.example/fz: "
    "fzcheck works with SQLite, PostgreSQL and DuckDB; use sqlite:///FILE (or a file path), "
    "postgresql://USER:PASSWORD@HOST/DB or duckdb:///FILE\n"
)


def test_an_unsupported_or_unreachable_database_is_exit_2_without_its_password(tmp_path):
    """Said in the command's --lang (Chinese by default; `audit list` takes the audit group's), and
    in both languages by the commands that have no --lang (`user`, `serve`)."""
    runner = CliRunner()
    for args, english in (
        (["audit", "list"], ["audit", "--lang", "en", "list"]),
        (["audit", "show", "1"], ["audit", "show", "1", "--lang", "en"]),
        (["report", "1"], ["report", "1", "--lang", "en"]),
        (["audit", "--as-of", "2026-11-23"], ["audit", "--as-of", "2026-11-23", "--lang", "en"]),
        (["audit", "diff", "1", "2"], ["audit", "diff", "1", "2", "--lang", "en"]),
        (["db", "init"], ["db", "init", "--lang", "en"]),
        (["db", "upgrade"], ["db", "upgrade", "--lang", "en"]),
        (["db", "status"], ["db", "status", "--lang", "en"]),
        (["db", "quarantine"], ["db", "quarantine", "--lang", "en"]),
        (["user", "list"], None),
    ):
        mysql = runner.invoke(cli, [*args, "--db", "mysql://auditor:s3cret@db.example/fz"])
        assert mysql.exit_code == 2, (args, mysql.output)
        down = runner.invoke(cli, [*args, "--db", "postgresql://auditor:s3cret@127.0.0.1:1/fz"])
        assert down.exit_code == 2, (args, down.output)
        assert "s3cret" not in mysql.output + down.output and "Traceback" not in down.output
        if english is None:
            assert mysql.stderr == UNSUPPORTED_ZH.removesuffix("\n") + " / " + UNSUPPORTED_EN.removeprefix("Error: ")
            continue
        assert mysql.stderr == UNSUPPORTED_ZH
        assert down.stderr.startswith("错误：无法连接数据库 postgresql://auditor:***@127.0.0.1:1/fz：")
        mysql = runner.invoke(cli, [*english, "--db", "mysql://auditor:s3cret@db.example/fz"])
        assert mysql.exit_code == 2 and mysql.stderr == UNSUPPORTED_EN, (english, mysql.output)
        down = runner.invoke(cli, [*english, "--db", "postgresql://auditor:s3cret@127.0.0.1:1/fz"])
        assert down.exit_code == 2, (english, down.output)
        assert down.stderr.startswith("Error: cannot connect to database postgresql://auditor:***@127.0.0.1:1/fz: ")


def test_read_commands_on_a_missing_sqlite_or_duckdb_file_do_not_create_it(tmp_path):
    missing = tmp_path / "nowhere" / "audit.db"
    runner = CliRunner()
    for args in (
        ["audit", "list"],
        ["audit", "show", "1"],
        ["report", "1"],
        ["audit", "diff", "1", "2"],
        ["audit", "--as-of", "2026-11-23"],
        ["audit", "rerun", "1"],
    ):
        for url in (str(missing), f"sqlite:///{missing}", f"duckdb:///{missing}"):
            result = runner.invoke(cli, [*args, "--db", url])
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr == f"错误：数据库不存在：{missing}；请用 fzcheck db init 创建\n"
            english = ["audit", "--lang", "en", "list"] if args == ["audit", "list"] else [*args, "--lang", "en"]
            result = runner.invoke(cli, [*english, "--db", url])
            assert result.exit_code == 2, (english, result.output)
            assert result.stderr == f"Error: database not found: {missing}; create it with fzcheck db init\n"
    assert not missing.parent.exists()
    # the default database too
    env_db = tmp_path / "home" / "fzcheck.db"
    listed = runner.invoke(cli, ["audit", "list"], env={"FZCHECK_DB": str(env_db)})
    assert listed.exit_code == 2 and not env_db.parent.exists()
    init = runner.invoke(cli, ["db", "init", "--db", str(missing)])
    assert init.exit_code == 0 and missing.exists()
    duck = tmp_path / "elsewhere" / "audit.duckdb"
    init = runner.invoke(cli, ["db", "init", "--db", f"duckdb:///{duck}"])
    assert init.exit_code == 0 and duck.is_file()
    engine = connect(f"duckdb:///{duck}")  # a DuckDB database at the schema's head
    assert engine.dialect.name == "duckdb"
    engine.dispose()


def test_migration_0004_adds_the_lifecycle_columns_and_back(tmp_path):
    from alembic import command

    from fzcheck.engine.store.database import _alembic_config, current_revision, upgrade

    engine = open_engine(str(tmp_path / "old.db"))
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_runs (id, started_at, status, as_of, parameters, tool_version) "
                "VALUES (1, '2024-01-01 00:00:00', 'running', '2023-12-31', '{}', '0.0.9')"
            )
        )
    upgrade(engine, "0004")
    assert current_revision(engine) == "0004"
    with engine.connect() as connection:
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(audit_runs)"))}
    assert {
        "pid",
        "host",
        "heartbeat_at",
        "progress",
        "status_detail",
        "snapshot_import",
        "snapshot_excluded",
        "rerun_of",
    } <= columns
    assert load_state(engine, 1).status == "interrupted"  # left running by an earlier fzcheck
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0003")
    with engine.connect() as connection:
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(audit_runs)"))}
        assert connection.execute(text("SELECT status FROM audit_runs")).scalar_one() == "running"
    assert "heartbeat_at" not in columns and "pid" not in columns
    engine.dispose()


@needs_pg
def test_sigkill_on_postgresql_is_shown_as_interrupted(tmp_path):
    """The lifecycle on PostgreSQL: a killed `fzcheck audit` process leaves a run shown interrupted;
    SIGTERM stores it interrupted with the work done."""
    engine = fresh_pg()
    sample = tmp_path / "year.jsonl"
    write_sample(sample, 15_000, seed=7)
    import_paths(engine, [sample])
    engine.dispose()
    for signum, stored in ((signal.SIGKILL, "running"), (signal.SIGTERM, "interrupted")):
        process, run_id, _stderr = start_audit(PG_URL, folder=tmp_path)
        process.send_signal(signum)
        process.wait(timeout=60)
        engine = open_engine(PG_URL)
        state = load_state(engine, run_id)
        assert (state.status, state.stored) == ("interrupted", stored)
        result = CliRunner().invoke(cli, ["audit", "show", str(run_id), "--db", PG_URL])
        assert result.exit_code == 2 and f"运行 {run_id} 未完成（已中断：" in result.stderr
        engine.dispose()
