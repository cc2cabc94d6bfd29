"""Audits: same outcomes as `check`, stored runs, history and diff, waivers, concurrency, PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_reset import drop_every_table

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.audit import AuditParams, AuditScope, run_audit, summary_table
from fzcheck.engine.evaluate.check import check_files
from fzcheck.engine.outcomes.waivers import load_waivers
from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import diff_runs, list_runs, load_run

AS_OF = dt.date(2026, 11, 23)
FZCHECK = [sys.executable, "-m", "fzcheck"]


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


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    write_sample(path, 3000, seed=11)
    return path


@pytest.fixture(params=["sqlite", "duckdb"])
def engine(request, tmp_path, sample):
    """The sample imported into a SQLite file, and into a DuckDB file (PostgreSQL: the last test)."""
    if request.param == "sqlite":
        engine = connect(str(tmp_path / "audit.db"), create=True)
    else:
        engine = connect(f"duckdb:///{tmp_path / 'audit.duckdb'}", create=True)
    import_paths(engine, [sample])
    yield engine
    engine.dispose()


def cli_url(engine) -> str:
    """What ``--db`` is given for the engine's database: a SQLite file's path, a DuckDB file's URL."""
    return str(engine.url.database) if engine.dialect.name == "sqlite" else engine.url.render_as_string()


def coverage_by_reason(report):
    """Coverage warnings as reason -> (records, example ids): an audit's aggregated lines, or one line
    per record (`check`) counted the way an audit counts them."""
    found = {}
    for issue in report.coverage_warnings():
        aggregated = re.fullmatch(r"(\d+) 条记录仅按国家规则检查：(.*)（如 (.*)）", issue.message)
        if aggregated:
            found[aggregated[2]] = (int(aggregated[1]), aggregated[3].split("、"))
        else:
            reason = issue.message.split(" 仅按国家规则检查：", 1)[1]
            count, ids = found.get(reason, (0, []))
            found[reason] = (count + 1, sorted({*ids, issue.record_id})[:5])
    return found


@pytest.mark.parametrize("absent_steps", ["indeterminate", "violation"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_audit_gives_the_outcomes_of_check_on_the_same_files(engine, sample, jobs, absent_steps):
    checked = check_files([sample], as_of=AS_OF, absent_steps=absent_steps)
    audited = run_audit(engine, AuditParams(as_of=AS_OF, absent_steps=absent_steps), jobs=jobs)
    assert outcome_keys(audited.outcomes) == outcome_keys(checked.outcomes)
    assert audited.summary() == checked.summary()
    assert any(o.rule_id == "EC-OFFICER-CERTIFIED" and o.outcome == "violation" for o in audited.outcomes)
    assert any(o.rule_id == "EC-BASIS-IN-FORCE" and o.outcome == "violation" for o in audited.outcomes)
    absent = [o for o in audited.outcomes if o.evidence.get("absent_steps")]
    assert absent and {o.outcome for o in absent} == {absent_steps}
    assert audited.absent_steps == checked.absent_steps == absent_steps
    assert audited.calendar == checked.calendar and audited.calendar["package"] == "chinesecalendar"
    # the same coverage as check's one warning per record, in a few lines of counts and examples
    coverage = coverage_by_reason(audited)
    assert coverage == coverage_by_reason(checked)
    assert sum(count for count, _ in coverage.values()) == len(checked.coverage_warnings()) > 100
    assert len(audited.coverage_warnings()) == len(coverage) < 10
    assert all(issue.file == "" and issue.line is None for issue in audited.coverage_warnings())


@pytest.mark.parametrize("rule_engine", ["sqlite", "duckdb"])
def test_an_audit_on_the_sql_engines_gives_durables_outcomes_and_stores_its_engine(engine, rule_engine):
    durable = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    on_sql = run_audit(engine, AuditParams(as_of=AS_OF, engine=rule_engine), jobs=2)
    assert outcome_keys(on_sql.outcomes) == outcome_keys(durable.outcomes) != []
    assert on_sql.summary() == durable.summary()
    assert (durable.parameters["engine"], on_sql.parameters["engine"]) == ("durable", rule_engine)
    assert load_run(engine, on_sql.run_id).parameters["engine"] == rule_engine
    old = AuditParams.from_dict({"as_of": "2026-11-23"})  # a run stored before --engine: the default
    assert old.engine == "durable" and old.to_dict()["engine"] == "durable"


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_an_audit_of_a_duckdb_file_evaluates_in_its_own_process(engine, sample, monkeypatch):
    """Workers could not open the file this process holds: `--jobs 2` on DuckDB starts no pool, and
    gives what one process gives on SQLite."""
    from fzcheck.engine.evaluate import executor

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for a DuckDB database")

    monkeypatch.setattr(executor, "worker_pool", no_pool)
    report = run_audit(engine, AuditParams(as_of=AS_OF), jobs=2)
    checked = check_files([sample], as_of=AS_OF)
    assert outcome_keys(report.outcomes) == outcome_keys(checked.outcomes)
    assert load_run(engine, report.run_id).status == "done"


def test_small_units_and_a_small_reference_cache_change_nothing(engine, monkeypatch):
    """Units of a few rows (boundaries falling inside every kind and region) and a reference cache
    that keeps dropping records give the outcomes of one run with the defaults."""
    from fzcheck.engine.sources import database

    default = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    region = run_audit(engine, AuditParams(as_of=AS_OF, scope=AuditScope("53")), jobs=1)
    monkeypatch.setattr(database, "UNIT_SIZE", 37)
    monkeypatch.setattr(database, "REFERENCE_BATCH", 5)
    monkeypatch.setattr(database, "REFERENCE_CACHE", 20)
    units, records = database.plan_units(engine, AuditScope(), AS_OF)
    assert records == 3000 and len(units) > 3000 // 37 and all(rows <= 37 for *_, rows in units)
    small = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    assert outcome_keys(small.outcomes) == outcome_keys(default.outcomes)
    assert small.summary() == default.summary() and small.counts == default.counts
    small_region = run_audit(engine, AuditParams(as_of=AS_OF, scope=AuditScope("53")), jobs=1)
    assert outcome_keys(small_region.outcomes) == outcome_keys(region.outcomes)
    assert small_region.summary() == region.summary() and 0 < small_region.records < 3000


def test_stored_run_loads_back_identically_and_renders(engine, monkeypatch):
    from fzcheck.engine.store import runs

    monkeypatch.setattr(runs, "OUTCOME_BATCH", 7)  # rows written in many batches
    report = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    stored = load_run(engine, report.run_id)
    assert len(report.outcomes) > 7 * 10
    assert outcome_keys(stored.outcomes) == outcome_keys(report.outcomes)
    assert [(o.record_id, o.rule_id) for o in stored.outcomes] == [(o.record_id, o.rule_id) for o in report.outcomes]
    assert stored.summary() == report.summary()
    assert [r.to_dict() for r in stored.rulesets] == [r.to_dict() for r in report.rulesets]
    assert stored.counts == report.counts
    runs = list_runs(engine)
    assert runs[-1]["status"] == "done" and runs[-1]["records"] == 3000
    by_rule = dict(summary_table(stored, "rule"))
    assert sum(row.get("violation", 0) for row in by_rule.values()) == stored.summary()["violation"]


def test_scope_by_region_year_and_kind(engine, sample):
    report = run_audit(engine, AuditParams(as_of=AS_OF, scope=AuditScope("43", 2023, ("enforcement_case",))), jobs=1)
    assert report.outcomes and {o.record_id[:6] for o in report.outcomes} == {"430582"}
    assert {o.record_kind for o in report.outcomes} == {"enforcement_case"}
    in_2023 = {
        r.id
        for r in read_paths([sample]).records
        if r.kind == "enforcement_case"
        and r.region_code.startswith("43")
        and (r.decided_on or r.opened_on).year == 2023
    }
    hunan = [
        o
        for o in check_files([sample], as_of=AS_OF).outcomes
        if o.record_kind == "enforcement_case" and o.record_id in in_2023
    ]
    assert outcome_keys(report.outcomes) == outcome_keys(hunan)


def test_waivers_and_diff(engine, tmp_path):
    first = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    target = next(o for o in first.outcomes if o.outcome == "violation")
    waiver_file = tmp_path / "waivers.yaml"
    waiver_file.write_text(
        f"waivers:\n  - rule: {target.rule_id}\n    record: '{target.record_id}'\n"
        f"    reason: 已整改\n    approver: 张三\n    expires: 2027-12-31\n",
        encoding="utf-8",
    )
    second = run_audit(
        engine, AuditParams(as_of=AS_OF, waivers=str(waiver_file)), jobs=1, waivers=load_waivers(waiver_file)
    )
    assert second.summary()["waived"] >= 1
    assert second.summary()["violation"] == first.summary()["violation"] - second.summary()["waived"]
    diff = diff_runs(engine, first.run_id, second.run_id)
    assert (target.record_id, target.rule_id) in {(o.record_id, o.rule_id) for o in diff.resolved}
    assert not diff.new
    assert len(diff.persisting) == first.summary()["violation"] - len(diff.resolved)
    rules = {row[0]: row[1:] for row in diff.by("rule")}
    assert rules[target.rule_id][1] >= 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_two_audits_at_once_on_one_sqlite_file_both_finish(engine, tmp_path):
    url = cli_url(engine)
    command = [
        sys.executable,
        "-m",
        "fzcheck",
        "audit",
        "--db",
        url,
        "--as-of",
        AS_OF.isoformat(),
        "--jobs",
        "1",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: subprocess.run(command, capture_output=True, text=True), range(2)))
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    summaries = [json.loads(r.stdout)["summary"] for r in results]
    assert summaries[0] == summaries[1]
    runs = list_runs(engine)
    assert [run["status"] for run in runs] == ["done", "done"]


#: a process that opens a DuckDB file and keeps it open until its standard input is closed
HOLD_DUCKDB = "import sys, duckdb; kept = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_a_duckdb_file_open_in_another_process_is_refused_naming_that_process(engine):
    """DuckDB locks its file for the one process that has it open: an audit (a writer) and an
    `audit list` (a reader) meanwhile are refused in either language, naming the process; once it has
    closed the file, the audit runs."""
    url, path = cli_url(engine), engine.url.database
    engine.dispose()
    audit = [*FZCHECK, "audit", "--db", url, "--as-of", AS_OF.isoformat(), "--format", "json", "--fail-on", "never"]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DUCKDB, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "open\n"
        zh = subprocess.run(audit, capture_output=True, text=True)
        en = subprocess.run([*FZCHECK, "audit", "--lang", "en", "list", "--db", url], capture_output=True, text=True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    program = Path(os.path.realpath(sys.executable)).name
    assert (zh.returncode, zh.stdout) == (2, "")
    assert zh.stderr == (
        f"错误：数据库 {url} 正被另一个进程（{program}，PID {holder.pid}）打开：DuckDB 文件同一时间只能由一个进程打开；"
        "请等该进程结束后再试，多个进程同时使用请改用 PostgreSQL\n"
    )
    assert (en.returncode, en.stdout) == (2, "")
    assert en.stderr == (
        f"Error: database {url} is open in another process ({program}, PID {holder.pid}): a DuckDB file can be "
        "open in only one process at a time; try again when that process has finished, or use PostgreSQL for "
        "several processes at once\n"
    )
    after = subprocess.run(audit, capture_output=True, text=True)
    assert after.returncode == 0, after.stderr[-2000:]
    assert json.loads(after.stdout)["summary"]["violation"] > 0


def test_cli_audit_exit_codes_and_history(engine):
    url = cli_url(engine)
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "--db", url, "--as-of", "2026-11-23", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert "EC-OFFICER-CERTIFIED" in result.output
    assert (
        runner.invoke(
            cli, ["audit", "--db", url, "--as-of", "2026-11-23", "--jobs", "1", "--fail-on", "never"]
        ).exit_code
        == 0
    )
    assert runner.invoke(cli, ["audit", "--db", url, "--ruleset", "nope"]).exit_code == 2
    listed = runner.invoke(cli, ["audit", "list", "--db", url])
    assert listed.exit_code == 0 and "done" in listed.output
    shown = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--format", "json"])
    assert json.loads(shown.output)["summary"]["violation"] > 0
    assert "仍存在" in runner.invoke(cli, ["audit", "diff", "1", "2", "--db", url]).output
    assert runner.invoke(cli, ["audit", "show", "99", "--db", url]).exit_code == 2


def test_drill_down_shows_a_part_of_a_run_with_its_own_counts(engine):
    from fzcheck.engine.store.runs import OutcomeFilter

    report = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    agency = next(
        report.placement[(o.record_kind, o.record_id)][0]
        for o in report.outcomes
        if o.outcome == "violation" and report.placement[(o.record_kind, o.record_id)][0]
    )
    part = agency[:4]
    shown = OutcomeFilter(kinds=("enforcement_case",), outcomes=("violation",), agency=part)
    narrowed = load_run(engine, report.run_id, shown)

    def inside(kind, agency):
        return kind == "enforcement_case" and part in (agency or "")

    expected = [
        o
        for o in report.outcomes
        if o.outcome == "violation" and inside(o.record_kind, report.placement[(o.record_kind, o.record_id)][0])
    ]
    assert expected and outcome_keys(narrowed.outcomes) == outcome_keys(expected)
    assert narrowed.counts == {
        key: count for key, count in report.counts.items() if inside(key[2], key[3]) and key[5] == "violation"
    }
    assert narrowed.summary()["pass"] == 0 and narrowed.parameters["shown"]["agency"] == part
    month = OutcomeFilter(rules=("EC-OFFICER-CERTIFIED",), month="2023-07")
    by_month = load_run(engine, report.run_id, month)
    assert (
        by_month.summary()["pass"]
        == sum(
            count
            for key, count in report.counts.items()
            if key[1] == "EC-OFFICER-CERTIFIED" and key[4] == "2023-07" and key[5] == "pass"
        )
        > 0
    )
    assert {o.rule_id for o in by_month.outcomes} <= {"EC-OFFICER-CERTIFIED"}
    assert load_run(engine, report.run_id, OutcomeFilter(agency="%")).outcomes == []  # LIKE escaped


def test_cli_drill_down_options_and_exit_codes(engine, tmp_path):
    url = cli_url(engine)
    runner = CliRunner()
    assert runner.invoke(cli, ["audit", "--db", url, "--as-of", "2026-11-23", "--jobs", "1"]).exit_code == 1
    violations = runner.invoke(
        cli,
        ["audit", "show", "1", "--db", url, "--outcome", "violation", "--kind", "enforcement_case", "--format", "json"],
    )
    assert violations.exit_code == 1
    shown = json.loads(violations.output)
    assert shown["outcomes"] and {o["outcome"] for o in shown["outcomes"]} == {"violation"}
    assert {o["record_kind"] for o in shown["outcomes"]} == {"enforcement_case"}
    assert shown["summary"]["indeterminate"] == 0
    pending = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--outcome", "indeterminate", "--format", "json"])
    assert pending.exit_code == 0 and json.loads(pending.output)["summary"]["violation"] == 0
    markdown = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--outcome", "violation", "--format", "markdown"])
    assert markdown.exit_code == 1 and "## 行政执法案件" in markdown.output
    assert "适用规则集" not in markdown.output  # a stored run does not keep the packs of each record
    bad_month = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--month", "2023-13"])
    assert bad_month.exit_code == 2
    assert "“2023-13”不是 YYYY-MM 格式的月份，例如 2023-07" in bad_month.output
    out = tmp_path / "part.json"
    written = runner.invoke(
        cli, ["report", "1", "--db", url, "--format", "json", "--rule", "EC-OFFICER-CERTIFIED", "-o", str(out)]
    )
    assert written.exit_code == 0, written.output
    part = json.loads(out.read_text(encoding="utf-8"))
    assert {o["rule_id"] for o in part["outcomes"]} == {"EC-OFFICER-CERTIFIED"}


PG_URL = os.environ.get("FZCHECK_TEST_PG_URL")


@pytest.mark.skipif(
    not PG_URL, reason="FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)"
)
def test_sqlite_and_postgresql_give_identical_outcomes(engine, sample):
    drop_every_table(PG_URL)
    pg = connect(PG_URL, create=True)
    result = import_paths(pg, [sample])
    assert result.total("inserted") == 3000
    assert import_paths(pg, [sample]).total("unchanged") == 3000
    on_pg = run_audit(pg, AuditParams(as_of=AS_OF), jobs=2)
    on_sqlite = run_audit(engine, AuditParams(as_of=AS_OF), jobs=2)
    assert outcome_keys(on_pg.outcomes) == outcome_keys(on_sqlite.outcomes)
    assert outcome_keys(load_run(pg, on_pg.run_id).outcomes) == outcome_keys(on_sqlite.outcomes)
    assert on_pg.counts == on_sqlite.counts
    stored = load_run(pg, on_pg.run_id)
    assert stored.summary() == on_sqlite.summary()
    assert [w.to_dict() for w in stored.warnings] == [w.to_dict() for w in on_sqlite.warnings]
    assert stored.calendar == on_sqlite.calendar and stored.absent_steps == on_sqlite.absent_steps
    pg.dispose()
