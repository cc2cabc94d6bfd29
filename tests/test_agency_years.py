"""Agency-years (issue #12): every registry agency for every year in scope, register rows matched by
id or by name within the region, ambiguity an input warning, and the check CLI end to end."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.subjects.agency_years import agency_year_subjects, match_agencies
from fzcheck.models.records import parse_record

GOV = {
    "kind": "agency",
    "id": "gov",
    "region_code": "532301",
    "name": "楚雄市人民政府",
    "level": "county",
    "agency_type": "government",
}
DEPT = {
    "kind": "agency",
    "id": "sfj",
    "region_code": "532301",
    "name": "楚雄市司法局",
    "level": "county",
    "agency_type": "department",
}


def records(*rows):
    return [parse_record(row, SourceRef("regs.jsonl", index + 1)) for index, row in enumerate(rows)]


def test_every_agency_gets_every_year_in_scope_including_those_that_recorded_nothing():
    batch = records(
        GOV,
        DEPT,
        {
            "kind": "study_session",
            "id": "s1",
            "region_code": "532301",
            "agency_id": "gov",
            "study_type": "lecture",
            "held_on": "2017-05-01",
        },
    )
    subjects, warnings = agency_year_subjects(batch, dt.date(2019, 6, 30))
    assert [s.id for s in subjects] == ["gov/2017", "gov/2018", "gov/2019", "sfj/2017", "sfj/2018", "sfj/2019"]
    assert warnings == []
    by_id = {s.id: s.values for s in subjects}
    assert (by_id["gov/2017"]["lectures"], by_id["sfj/2017"]["lectures"], by_id["gov/2018"]["lectures"]) == (1, 0, 0)


def test_years_are_cut_to_the_agency_existence_and_no_registry_means_no_agency_years():
    batch = records({**DEPT, "existed_from": "2019-01-01"}, {**GOV, "existed_until": "2017-12-31"})
    subjects, _ = agency_year_subjects(batch, dt.date(2019, 6, 30))
    assert [s.id for s in subjects] == ["sfj/2019"]
    assert agency_year_subjects(
        records(
            {
                "kind": "study_session",
                "id": "s1",
                "region_code": "532301",
                "agency": "楚雄市人民政府",
                "held_on": "2018-01-01",
            }
        ),
        dt.date(2019, 1, 1),
    ) == ([], [])


def test_rows_match_by_id_then_by_name_in_the_region_and_ambiguity_is_a_warning_naming_the_row():
    twin = {**DEPT, "id": "sfj-2"}
    other_region = {**DEPT, "id": "sfj-x", "region_code": "532322"}
    rows = records(
        GOV,
        DEPT,
        twin,
        other_region,
        {"kind": "annual_report", "id": "r1", "region_code": "532301", "agency_id": "gov", "report_year": 2018},
        {"kind": "annual_report", "id": "r2", "region_code": "532301", "agency": "楚雄市 人民政府"},
        {"kind": "annual_report", "id": "r3", "region_code": "532301", "agency": "楚雄市司法局"},
        {"kind": "annual_report", "id": "r4", "region_code": "532301", "agency_id": "nobody"},
        {"kind": "annual_report", "id": "r5", "region_code": "532301", "agency": "楚雄市财政局"},
        {"kind": "annual_report", "id": "r6", "region_code": "532322", "agency": "楚雄市司法局"},
    )
    matched, warnings = match_agencies([r for r in rows if r.kind == "agency"], rows)
    assert {agency: [r.id for r in found] for agency, found in matched.items()} == {
        "gov": ["r1", "r2"],
        "sfj-x": ["r6"],
    }
    assert [(w.file, w.line, w.field, w.record_id) for w in warnings] == [
        ("regs.jsonl", 7, "agency", "r3"),
        ("regs.jsonl", 8, "agency_id", "r4"),
        ("regs.jsonl", 9, "agency", "r5"),
    ]
    assert warnings[0].message == (
        "agency name '楚雄市司法局' is ambiguous in region 532301 (registry ids sfj, sfj-2); "
        "give the agency id; the row counts for no agency"
    )
    assert warnings[1].message == "agency id 'nobody' is not in the agency registry; the row counts for no agency"
    # Chinese by default, with the same detail (issue #14)
    assert warnings[0].text("zh") == (
        "机关名称“楚雄市司法局”在行政区划532301内不唯一（名录编号 sfj, sfj-2）；请填写机关编号；该行不计入任何机关"
    )
    assert warnings[2].text("zh") == "行政区划532301的机关“楚雄市财政局”不在机关名录中；该行不计入任何机关"


def test_a_name_shared_by_a_body_and_its_successor_goes_to_the_one_that_existed_on_the_row_date():
    old = {**DEPT, "id": "old", "existed_until": "2018-12-31"}
    new = {**DEPT, "id": "new", "existed_from": "2019-01-01"}
    rows = records(
        old,
        new,
        {
            "kind": "study_session",
            "id": "s1",
            "region_code": "532301",
            "agency": "楚雄市司法局",
            "held_on": "2019-03-01",
        },
    )
    matched, warnings = match_agencies(rows[:2], rows)
    assert ({key: [r.id for r in value] for key, value in matched.items()}, warnings) == ({"new": ["s1"]}, [])


def test_rates_carry_numerator_denominator_and_the_minimum_sample():
    cases = [
        {
            "kind": "reconsideration_case",
            "id": f"rc{i}",
            "region_code": "430102",
            "agency_id": "gov",
            "received_on": "2023-01-05",
            "decided_on": "2023-03-01",
            "dispute_resolved": i < 6,
        }
        for i in range(10)
    ]
    batch = records({**GOV, "region_code": "430102"}, *cases)
    report = check_records(batch, as_of=dt.date(2024, 1, 10), rulesets=["hunan-2021"])
    [rate] = [o for o in report.outcomes if o.rule_id == "AY-RC-RESOLUTION-RATE" and o.record_id == "gov/2023"]
    assert rate.outcome == "violation"
    assert {
        key: rate.evidence[key]
        for key in ("rc_resolved", "rc_resolution_judged", "rc_resolution_rate", "min_rate", "min_sample")
    } == {"rc_resolved": 6, "rc_resolution_judged": 10, "rc_resolution_rate": 60.0, "min_rate": 70, "min_sample": 10}


#: a lecture of the government, and one of an agency the registry does not name (a matching warning)
STUDY_SESSIONS = [
    {
        "kind": "study_session",
        "id": "s1",
        "region_code": "532301",
        "agency_id": "gov",
        "study_type": "lecture",
        "held_on": "2018-05-01",
    },
    {
        "kind": "study_session",
        "id": "s2",
        "region_code": "532301",
        "agency": "楚雄市某局",
        "study_type": "lecture",
        "held_on": "2018-05-02",
    },
]


@pytest.mark.parametrize(
    "lang, message",
    [
        ("zh", "2018年度本部门法治（法律知识）培训0次，少于每年2次"),
        ("en", "0 rule-of-law training(s) of the department in 2018, at least 2 required"),
    ],
)
def test_check_cli_reads_the_registry_with_the_registers_and_names_the_agency_that_did_nothing(tmp_path, lang, message):
    path = tmp_path / "regs.jsonl"
    rows = [GOV, DEPT, *STUDY_SESSIONS]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2019-01-10", "--format", "json", "--lang", lang])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    study = {o["record_id"]: o for o in report["outcomes"] if o["rule_id"] == "AY-STUDY-SESSIONS"}
    assert study["sfj/2018"]["outcome"] == "violation"
    assert study["sfj/2018"]["message"] == message
    assert study["gov/2018"]["outcome"] == "violation"  # one lecture of the two, no training course
    assert [(w["line"], w["field"], w["record_id"]) for w in report["warnings"]] == [(4, "agency", "s2")]


def test_audit_from_the_database_gives_the_agency_years_check_gives(tmp_path):
    """`audit` builds the agency-years from the records database as `check` does from the files."""
    from pathlib import Path

    from fzcheck.engine.evaluate.audit import AuditParams, AuditScope, run_audit
    from fzcheck.engine.evaluate.check import check_files
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.importer import import_paths

    folder = Path(__file__).resolve().parent.parent / "sample_cases" / "agency_years" / "chuxiong-2016"
    as_of = dt.date(2019, 6, 30)
    engine = connect(str(tmp_path / "audit.db"), create=True)
    import_paths(engine, [folder])

    def keys(outcomes):
        return sorted(
            (
                o.record_kind,
                o.record_id,
                o.ruleset,
                o.rule_id,
                o.outcome,
                o.message("zh"),
                json.dumps(o.evidence, sort_keys=True, default=str),
            )
            for o in outcomes
            if o.outcome != "pass"
        )

    checked = check_files([folder], as_of=as_of)
    audited = run_audit(engine, AuditParams(as_of=as_of))
    agency_years = [key for key in keys(audited.outcomes) if key[0] == "agency_year"]
    assert agency_years and agency_years == [key for key in keys(checked.outcomes) if key[0] == "agency_year"]
    assert audited.summary() == checked.summary()
    one_year = run_audit(engine, AuditParams(as_of=as_of, scope=AuditScope(year=2018, kinds=("agency_year",))))
    assert {o.record_id for o in one_year.outcomes} == {"cx-gov/2018", "cx-sfj/2018", "cx-gsj/2018"}
    engine.dispose()

    from fzcheck.engine.output.html import render_html

    page = render_html(one_year, "zh")
    table = page.split('<table id="agency-years">', 1)[1].split("</table>", 1)[0]
    header = table.split("</thead>", 1)[0]
    columns = header.count("<th title=")
    assert columns == len({o.rule_id for o in one_year.outcomes if o.outcome != "pass"})
    sfj = table.split("<tr><td>cx-sfj/2018</td>", 1)[1].split("</tr>", 1)[0]
    assert sfj.count('<td class="violation">违规</td>') == 3  # late report, counsel gap, one training of two
    assert "<tr><td>cx-gov/2018</td>" in table and "<tr><td>cx-scj/2018</td>" not in table
    assert '<table id="agency-years">' not in render_html(
        run_audit(engine_for_empty(tmp_path), AuditParams(as_of=as_of))
    )

    import io

    import openpyxl

    from fzcheck.engine.output.xlsx import render_xlsx

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(one_year, "zh")), read_only=True)
    matrix = [list(row) for row in book["机关年度义务（矩阵）"].iter_rows(values_only=True)]
    assert matrix[0][0] == "机关/年度" and [row[0] for row in matrix[1:]] == [
        "cx-gov/2018",
        "cx-gsj/2018",
        "cx-sfj/2018",
    ]
    assert [cell for cell in matrix[3][1:] if cell].count("违规") == 3


def engine_for_empty(tmp_path):
    from fzcheck.engine.store.database import connect

    return connect(str(tmp_path / "empty.db"), create=True)


def test_generated_agency_registers_are_valid_deterministic_and_give_findings(tmp_path):
    from fzcheck.engine.sources.files import read_paths
    from fzcheck.engine.sources.generator import generate_agency_records

    first, second = list(generate_agency_records(5)), list(generate_agency_records(5))
    assert first == second
    kinds = {row["kind"] for row in first}
    assert {
        "agency",
        "annual_report",
        "study_session",
        "supervision_activity",
        "publication",
        "legal_counsel",
        "reconsideration_staff",
        "administrative_lawsuit",
        "recommendation",
        "disclosure_request",
    } <= kinds
    result = CliRunner().invoke(
        cli,
        [
            "sample",
            "generate",
            "--records",
            "50",
            "-o",
            str(tmp_path / "s.jsonl"),
            "--agencies",
            str(tmp_path / "agencies.jsonl"),
            "--seed",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{len(first)} agency records written to {tmp_path / 'agencies.jsonl'}" in result.output
    read = read_paths([tmp_path / "agencies.jsonl"])
    assert (len(read.records), read.errors) == (len(first), [])
    report = check_records(read.records, as_of=dt.date(2024, 6, 30))
    assert any(o.record_kind == "agency_year" and o.outcome == "violation" for o in report.outcomes)


def test_audit_warns_of_the_register_rows_check_warns_of(tmp_path):
    """A register row matched to no agency is warned of by `audit` as by `check` — once per run, with
    its file and row — never silently dropped from the agency-years (issue #12)."""
    from fzcheck.engine.evaluate.audit import AuditParams, run_audit
    from fzcheck.engine.evaluate.check import check_files
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.importer import import_paths

    path = tmp_path / "regs.jsonl"
    rows = [
        GOV,
        DEPT,
        *STUDY_SESSIONS,
        {
            "kind": "study_session",
            "id": "s3",
            "region_code": "532301",
            "agency_id": "nobody",
            "study_type": "lecture",
            "held_on": "2018-05-03",
        },
    ]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    as_of = dt.date(2019, 1, 10)
    checked = check_files([path], as_of=as_of)
    engine = connect(str(tmp_path / "audit.db"), create=True)
    import_paths(engine, [path])
    audited = run_audit(engine, AuditParams(as_of=as_of), jobs=1)
    engine.dispose()

    def told(report):
        return [(w.file, w.line, w.field, w.record_id, w.text("zh")) for w in report.warnings if w.code != "coverage"]

    assert [(line, record_id) for _, line, _, record_id, _ in told(checked)] == [(4, "s2"), (5, "s3")]
    assert told(audited) == told(checked)
