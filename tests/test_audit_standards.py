"""Audits judge as `check` does: the absent-steps standard, coverage warnings (aggregated by reason),
provisional outcomes and the holiday data used — and a stored run gives them all back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.audit import AuditParams, AuditScope, run_audit
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.evaluate.coverage import coverage_reason
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import OutcomeFilter, list_runs, load_run

AS_OF = dt.date(2028, 3, 1)
BEIJING = {"region_code": "110105", "agency": "朝阳区人民政府"}
RECORDS = [
    # collective discussion, no legality review on record: indeterminate, or a violation under the
    # case-file review standard
    {
        "kind": "major_decision",
        "id": "md-1",
        **BEIJING,
        "title": "城区公交线网优化调整方案",
        "collective_discussion_on": "2023-09-01",
        "decided_on": "2023-09-05",
    },
    # 楚雄市, published after the chuxiong-2016 plan's period: national rules only, with a warning
    {
        "kind": "normative_document",
        "id": "cx-nd-2024",
        "region_code": "532301",
        "agency": "楚雄市人民政府",
        "doc_number": "楚市政发〔2024〕3号",
        "title": "楚雄市某管理办法",
        "published_on": "2024-03-01",
        "filed_on": "2024-03-10",
        "validity_years": 5,
        "legality_review_on": "2024-02-01",
        "legality_review_passed": True,
        "collective_discussion_on": "2024-02-20",
    },
    # decision deadlines at the turn of 2027/2028, years without a State Council schedule: provisional
    {
        "kind": "reconsideration_case",
        "id": "rc-a",
        **BEIJING,
        "received_on": "2027-11-01",
        "decided_on": "2027-12-20",
        "handlers": ["张伟", "王芳"],
    },
    {
        "kind": "reconsideration_case",
        "id": "rc-b",
        **BEIJING,
        "received_on": "2027-11-01",
        "decided_on": "2027-12-20",
        "handlers": ["张伟"],
    },
    {
        "kind": "reconsideration_case",
        "id": "rc-c",
        **BEIJING,
        "received_on": "2027-11-01",
        "decided_on": "2028-01-20",
        "handlers": ["张伟", "王芳"],
    },
]


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


@pytest.fixture
def records_file(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


@pytest.fixture
def engine(tmp_path, records_file):
    engine = connect(str(tmp_path / "audit.db"), create=True)
    import_paths(engine, [records_file])
    yield engine
    engine.dispose()


def checked(records_file, **options):
    read = read_paths([records_file])
    return check_records(read.records, as_of=AS_OF, pass_details=False, **options)


@pytest.mark.parametrize("absent_steps", ["indeterminate", "violation"])
def test_audit_judges_absent_steps_provisional_days_and_coverage_as_check_does(engine, records_file, absent_steps):
    check = checked(records_file, absent_steps=absent_steps)
    audit = run_audit(engine, AuditParams(as_of=AS_OF, absent_steps=absent_steps), jobs=1)
    assert outcome_keys(audit.outcomes) == outcome_keys(check.outcomes)
    assert audit.summary() == check.summary()
    review = next(o for o in audit.outcomes if o.rule_id == "MD-LEGALITY-REVIEW")
    assert review.outcome == absent_steps and review.evidence["absent_steps"] == absent_steps
    # one provisional violation (rc-c) and provisional passes of the deadline rule
    assert audit.summary()["provisional"] == check.summary()["provisional"] >= 2
    assert [o.record_id for o in audit.outcomes if o.provisional] == ["rc-c"]
    assert sum(audit.provisional_passes.values()) == audit.summary()["provisional"] - 1
    assert {key[1] for key in audit.provisional_passes} == {"RC-DECISION-DEADLINE"}
    assert audit.calendar == check.calendar


def test_provisional_passes_of_subjects_that_pass_everything_are_counted(engine, records_file):
    """A subject that passes every rule keeps its derived values when one is provisional, so its
    provisional passes are counted in `check` without --all as in audits."""
    listed = check_records(read_paths([records_file]).records, as_of=AS_OF, pass_details=True)
    assert "rc-a" in {o.record_id for o in listed.outcomes if o.outcome == "pass" and o.provisional}
    audit = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    assert audit.summary()["provisional"] == listed.summary()["provisional"]


def test_coverage_warning_names_the_record_and_the_period_of_its_regions_pack(engine, records_file):
    catalog = default_catalog()
    chuxiong = catalog.packs["chuxiong-2016"].meta
    report = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    document = next(s for s in _subjects(records_file) if s.id == "cx-nd-2024")
    reason = coverage_reason(catalog, document)["zh"]
    assert "chuxiong-2016" in reason and "2024-03-01" in reason
    assert f"{chuxiong.binds_from.isoformat()}至{chuxiong.period.to.isoformat()}" in reason
    messages = [issue.message for issue in report.coverage_warnings()]
    assert f"1 条记录仅按国家规则检查：{reason}（如 cx-nd-2024）" in messages
    # the records of a region no local pack has, in one line with their count and ids
    beijing = next(m for m in messages if "110105" in m)
    assert beijing.startswith("4 条记录仅按国家规则检查：") and beijing.endswith("（如 md-1、rc-a、rc-b、rc-c）")
    assert len(messages) == 2 and all(issue.code == "coverage" for issue in report.coverage_warnings())
    stored = load_run(engine, report.run_id)
    assert [w.to_dict() for w in stored.warnings] == [w.to_dict() for w in report.warnings]
    assert stored.coverage_warnings() == report.coverage_warnings()
    # a what-if run names its packs: no coverage to warn about
    forced = run_audit(engine, AuditParams(as_of=AS_OF, rulesets=("chuxiong-2016", "national")), jobs=1)
    assert forced.coverage_warnings() == []
    english = run_audit(engine, AuditParams(as_of=AS_OF, scope=AuditScope("5323")), jobs=1, lang="en")
    assert [w.message for w in english.coverage_warnings()] == [
        f"1 records checked against national rules only: {coverage_reason(catalog, document)['en']} (e.g. cx-nd-2024)"
    ]


def _subjects(records_file):
    from fzcheck.engine.sources.records import subjects_from_records

    return subjects_from_records(read_paths([records_file]).records, AS_OF)


def test_a_stored_run_gives_back_its_standard_calendar_coverage_and_provisional_counts(engine, tmp_path):
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text("holidays:\n  - 2031-01-01\n", encoding="utf-8")
    params = AuditParams(as_of=AS_OF, holidays=str(holidays), absent_steps="violation")
    live = run_audit(engine, params, jobs=1)
    stored = load_run(engine, live.run_id)
    assert stored.absent_steps == "violation" and stored.calendar == live.calendar
    assert [f["file"] for f in stored.calendar["user_files"]] == [str(holidays)]
    assert stored.summary() == live.summary() and stored.summary()["provisional"] >= 2
    assert stored.provisional_passes == live.provisional_passes
    assert [w.to_dict() for w in stored.warnings] == [w.to_dict() for w in live.warnings]
    assert stored.parameters == live.parameters == params.to_dict()
    assert AuditParams.from_dict(stored.parameters) == params
    runs = list_runs(engine)
    assert runs[-1]["parameters"]["calendar"] == live.calendar  # the run's record of its holiday data
    # a part of the run counts its own provisional outcomes
    deadline = load_run(engine, live.run_id, OutcomeFilter(rules=("RC-DECISION-DEADLINE",)))
    assert deadline.summary()["provisional"] == live.summary()["provisional"]
    assert load_run(engine, live.run_id, OutcomeFilter(kinds=("major_decision",))).summary()["provisional"] == 0
    violations = load_run(engine, live.run_id, OutcomeFilter(outcomes=("violation",)))
    assert violations.summary()["provisional"] == 1 and violations.summary()["pass"] == 0
    agency = load_run(engine, live.run_id, OutcomeFilter(agency="朝阳区"))
    assert agency.summary()["provisional"] == live.summary()["provisional"]
    assert load_run(engine, live.run_id, OutcomeFilter(month="2027-12")).summary()["provisional"] == sum(
        count for key, count in live.provisional_passes.items() if key[4] == "2027-12"
    ) + sum(1 for o in live.outcomes if o.provisional and live.placement[(o.record_kind, o.record_id)][1] == "2027-12")


def test_cli_audit_show_json_is_the_live_runs_report(engine, tmp_path):
    url = str(engine.url.database)
    runner = CliRunner()
    live = runner.invoke(
        cli,
        [
            "audit",
            "--db",
            url,
            "--as-of",
            AS_OF.isoformat(),
            "--jobs",
            "1",
            "--absent-steps",
            "violation",
            "--format",
            "json",
        ],
    )
    assert live.exit_code == 1, live.output
    shown = runner.invoke(cli, ["audit", "show", "1", "--db", url, "--format", "json"])
    assert shown.exit_code == 1, shown.output
    live_report = json.loads(live.stdout)
    shown_report = json.loads(shown.output)
    assert shown_report == live_report
    assert shown_report["absent_steps"] == "violation" and shown_report["calendar"]["package"] == "chinesecalendar"
    assert shown_report["summary"]["provisional"] >= 2
    assert {w["code"] for w in shown_report["warnings"]} == {"coverage"}
    written = runner.invoke(cli, ["report", "1", "--db", url, "--format", "json", "-o", str(tmp_path / "r.json")])
    assert written.exit_code == 0, written.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == live_report
    table = runner.invoke(cli, ["audit", "show", "1", "--db", url]).output.replace("\n", "")
    assert f"暂定 {shown_report['summary']['provisional']}；" in table
    assert "（如 cx-nd-2024）" in table and "chuxiong-2016" in table and "案卷评查口径" in table


def test_cli_audit_absent_steps_exit_codes(engine, tmp_path, records_file):
    url = str(engine.url.database)
    runner = CliRunner()
    default = runner.invoke(
        cli, ["audit", "--db", url, "--as-of", AS_OF.isoformat(), "--jobs", "1", "--kind", "major_decision"]
    )
    assert default.exit_code == 0, default.output
    strict = runner.invoke(
        cli,
        [
            "audit",
            "--db",
            url,
            "--as-of",
            AS_OF.isoformat(),
            "--jobs",
            "1",
            "--kind",
            "major_decision",
            "--absent-steps",
            "violation",
        ],
    )
    assert strict.exit_code == 1, strict.output
    assert "MD-LEGALITY-REVIEW" in strict.output and "案卷评查口径" in strict.output
    assert "案卷评查口径" not in default.output
    # as `check` exits on the same records
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS if r["kind"] == "major_decision"),
        encoding="utf-8",
    )
    for standard, code in (("indeterminate", 0), ("violation", 1)):
        check = runner.invoke(cli, ["check", str(decisions), "--as-of", AS_OF.isoformat(), "--absent-steps", standard])
        assert check.exit_code == code, check.output
    assert (
        runner.invoke(
            cli,
            [
                "audit",
                "--db",
                url,
                "--as-of",
                AS_OF.isoformat(),
                "--jobs",
                "1",
                "--absent-steps",
                "violation",
                "--fail-on",
                "never",
            ],
        ).exit_code
        == 0
    )
    assert [run["parameters"]["absent_steps"] for run in list_runs(engine)] == [
        "indeterminate",
        "violation",
        "violation",
    ]
    bad = runner.invoke(cli, ["audit", "--db", url, "--absent-steps", "sometimes"])
    assert bad.exit_code == 2 and "sometimes" in bad.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("holidays: [2031-02-30]\n", encoding="utf-8")
    unreadable = runner.invoke(cli, ["audit", "--db", url, "--as-of", AS_OF.isoformat(), "--holidays", str(broken)])
    assert unreadable.exit_code == 2, unreadable.output
    assert len(list_runs(engine)) == 3  # nothing stored for a run that could not start


def test_cli_audit_summary_counts_provisional_and_lists_coverage(engine):
    url = str(engine.url.database)
    result = CliRunner().invoke(
        cli, ["audit", "--db", url, "--as-of", AS_OF.isoformat(), "--jobs", "1", "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    report = load_run(engine, 1)
    flat = result.output.replace("\n", "")
    assert f"暂定 {report.summary()['provisional']}" in flat
    assert "1 条记录仅按国家规则检查" in flat and "（如 cx-nd-2024）" in flat
