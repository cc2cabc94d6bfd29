"""Cross-record rules: joins with officers and cited documents, in any order and across files; officer-years."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.models.records import parse_record

D = dt.date.fromisoformat
REGION = "532301"


def rec(kind, id, **fields):
    return {"kind": kind, "id": id, "region_code": REGION, "agency": "楚雄市市场监督管理局", **fields}


OFFICER_OK = rec(
    "officer",
    "off-ok",
    name="李明",
    exam_passed_on="2016-05-01",
    cert_number="53230100001",
    cert_issued_on="2016-06-01",
    cert_valid_until="2021-05-31",
)
OFFICER_EXPIRED = rec(
    "officer",
    "off-old",
    name="王芳",
    exam_passed_on="2012-05-01",
    cert_number="53230100002",
    cert_issued_on="2012-06-01",
    cert_valid_until="2018-03-31",
)
DOC_IN_FORCE = rec(
    "normative_document",
    "doc-1",
    doc_number="楚市政发〔2017〕3号",
    title="楚雄市市场监管办法",
    published_on="2017-03-01",
    valid_until="2022-02-28",
    status="in_force",
)
DOC_REPEALED = rec(
    "normative_document",
    "doc-2",
    doc_number="楚市政发〔2016〕9号",
    title="楚雄市旧办法",
    published_on="2016-03-01",
    valid_until="2021-02-28",
    status="repealed",
)


def case(id, officers, refs, decided="2018-06-15"):
    return rec(
        "enforcement_case",
        id,
        case_number=f"楚市监罚〔2018〕{id}号",
        action_type="penalty",
        officers=officers,
        opened_on="2018-05-02",
        notified_on="2018-06-01",
        decided_on=decided,
        basis=[{"type": "normative_document", "ref": ref} for ref in refs],
    )


def check(records, as_of="2026-11-23"):
    parsed = [parse_record(data, SourceRef("mem.json", index + 1)) for index, data in enumerate(records)]
    report = check_records(parsed, as_of=D(as_of))
    return {(o.record_id, o.rule_id, o.ruleset): o for o in report.outcomes}


@pytest.mark.parametrize("order", ["references first", "cases first"])
def test_officer_certificates_joined_in_either_order(order):
    cases = [
        case("c1", ["off-ok", "off-ok2"], []),
        case("c2", ["off-ok", "off-old"], []),
        case("c3", ["off-ok", "nobody"], []),
    ]
    officers = [OFFICER_OK, dict(OFFICER_OK, id="off-ok2", cert_number="53230100003"), OFFICER_EXPIRED]
    records = officers + cases if order == "references first" else cases + officers
    outcomes = check(records)
    rule = "EC-OFFICER-CERTIFIED"
    assert outcomes[("c1", rule, "chuxiong-2016")].outcome == "pass"
    assert outcomes[("c2", rule, "chuxiong-2016")].outcome == "violation"
    assert outcomes[("c2", rule, "chuxiong-2016")].evidence["uncertified"] == 1
    unknown = outcomes[("c3", rule, "chuxiong-2016")]
    assert unknown.outcome == "indeterminate" and unknown.evidence["unknown_officers"] == 1


def test_certificate_checked_on_opened_on_while_undecided():
    undecided = dict(case("c4", ["off-old", "off-ok"], []), decided_on=None)
    undecided.pop("decided_on")
    early = dict(undecided, id="c5", opened_on="2018-03-01")
    outcomes = check([OFFICER_OK, OFFICER_EXPIRED, undecided, early])
    assert outcomes[("c4", "EC-OFFICER-CERTIFIED", "chuxiong-2016")].outcome == "violation"  # expired 03-31
    assert outcomes[("c5", "EC-OFFICER-CERTIFIED", "chuxiong-2016")].outcome == "pass"


@pytest.mark.parametrize("order", ["documents first", "cases first"])
def test_cited_documents_matched_by_normalised_doc_number(order):
    cases = [
        case("k1", ["off-ok", "off-ok"], ["楚市政发[2017]3号"]),  # bracket variant of doc-1
        case("k2", ["off-ok", "off-ok"], ["楚市政发（2016）9号"]),  # repealed document
        case("k3", ["off-ok", "off-ok"], ["楚市政发〔2018〕99号"]),  # not among the records
        case("k4", ["off-ok", "off-ok"], ["楚市政发〔2017〕3号"], decided="2017-02-01"),  # before publication
    ]
    documents = [DOC_IN_FORCE, DOC_REPEALED]
    outcomes = check(documents + cases if order == "documents first" else cases + documents)
    rule = "EC-BASIS-IN-FORCE"
    assert outcomes[("k1", rule, "chuxiong-2016")].outcome == "pass"
    assert outcomes[("k2", rule, "chuxiong-2016")].outcome == "violation"
    assert outcomes[("k3", rule, "chuxiong-2016")].outcome == "indeterminate"
    assert outcomes[("k4", rule, "chuxiong-2016")].outcome == "violation"  # cited before it was published


def test_joins_across_files_given_together(tmp_path):
    (tmp_path / "cases.jsonl").write_text(
        json.dumps(case("f1", ["off-ok", "off-old"], ["楚市政发〔2016〕9号"]), ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "officers.json").write_text(
        json.dumps([OFFICER_OK, OFFICER_EXPIRED], ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "docs.yaml").write_text(
        "- {kind: normative_document, id: doc-2, region_code: '532301', doc_number: 楚市政发〔2016〕9号, "
        "published_on: '2016-03-01', valid_until: '2021-02-28', status: repealed}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(tmp_path / "cases.jsonl"),
            str(tmp_path / "officers.json"),
            str(tmp_path / "docs.yaml"),
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ],
    )
    outcomes = {(o["record_id"], o["rule_id"]): o for o in json.loads(result.output)["outcomes"]}
    assert outcomes[("f1", "EC-OFFICER-CERTIFIED")]["outcome"] == "violation"
    assert outcomes[("f1", "EC-BASIS-IN-FORCE")]["outcome"] == "violation"
    # the same case alone: both references unresolved
    alone = CliRunner().invoke(
        cli, ["check", str(tmp_path / "cases.jsonl"), "--as-of", "2026-11-23", "--format", "json"]
    )
    alone_outcomes = {(o["record_id"], o["rule_id"]): o for o in json.loads(alone.output)["outcomes"]}
    assert alone_outcomes[("f1", "EC-OFFICER-CERTIFIED")]["outcome"] == "indeterminate"
    assert alone_outcomes[("f1", "EC-BASIS-IN-FORCE")]["outcome"] == "indeterminate"


# --- officer-years ----------------------------------------------------------------------------------


def training(id, officer, start, end, hours=24, kind="legal", days=None):
    data = rec("training_session", id, officer_id=officer, start_on=start, end_on=end, hours=hours, training_kind=kind)
    if days is not None:
        data["days"] = days
    return data


def test_officer_years_cover_every_certificate_year_including_untrained_officers():
    officer = dict(OFFICER_OK, cert_issued_on="2017-06-01", cert_valid_until="2019-05-31")
    trainings = [
        training("t1", "off-ok", "2018-03-05", "2018-03-07"),
        training("t2", "off-ok", "2018-09-10", "2018-09-12"),
    ]
    outcomes = check([officer, *trainings], as_of="2026-11-23")
    sessions = {k[0]: v.outcome for k, v in outcomes.items() if k[1] == "TR-SESSIONS"}
    assert sessions == {"off-ok/2017": "violation", "off-ok/2018": "pass", "off-ok/2019": "violation"}
    assert outcomes[("off-ok/2017", "TR-SESSIONS", "chuxiong-2016")].evidence["sessions"] == 0


def test_session_of_two_days_does_not_count_and_explicit_days_win():
    officer = dict(OFFICER_OK, cert_issued_on="2018-01-01", cert_valid_until="2018-12-31")
    trainings = [
        training("t1", "off-ok", "2018-03-05", "2018-03-06"),  # 2 days
        training("t2", "off-ok", "2018-09-10", "2018-09-12"),
        training("t3", "off-ok", "2018-10-10", "2018-10-11", days=3),
    ]  # explicit days win
    outcomes = check([officer, *trainings])
    result = outcomes[("off-ok/2018", "TR-SESSIONS", "chuxiong-2016")]
    assert result.outcome == "pass"


def test_current_year_is_pending():
    officer = dict(OFFICER_OK, region_code="430582", cert_issued_on="2023-01-01", cert_valid_until="2027-12-31")
    outcomes = check([officer, training("t1", "off-ok", "2025-03-05", "2025-03-07", hours=20)], as_of="2025-06-30")
    assert outcomes[("off-ok/2025", "TR-HOURS", "hunan-2021")].outcome == "pending"
    assert outcomes[("off-ok/2024", "TR-HOURS", "hunan-2021")].outcome == "violation"


def test_only_legal_and_professional_hours_count():
    officer = dict(OFFICER_OK, region_code="430582", cert_issued_on="2023-01-01", cert_valid_until="2023-12-31")
    trainings = [
        training("t1", "off-ok", "2023-03-01", "2023-03-05", hours=40, kind="legal"),
        training("t2", "off-ok", "2023-05-01", "2023-05-05", hours=20, kind="professional"),
        training("t3", "off-ok", "2023-06-01", "2023-06-05", hours=40, kind="political"),
    ]
    outcomes = check([officer, *trainings])
    result = outcomes[("off-ok/2023", "TR-HOURS", "hunan-2021")]
    assert result.outcome == "pass" and result.evidence["legal_professional_hours"] == 60
    short = check([officer, *trainings[:1], trainings[2]])
    assert short[("off-ok/2023", "TR-HOURS", "hunan-2021")].outcome == "violation"


def test_panjin_training_days_per_year():
    officer = dict(OFFICER_OK, region_code="211102", cert_issued_on="2012-01-01", cert_valid_until="2012-12-31")
    four = check([officer, training("t1", "off-ok", "2012-03-05", "2012-03-08")])
    five = check([officer, training("t1", "off-ok", "2012-03-05", "2012-03-09")])
    assert four[("off-ok/2012", "TR-DAYS", "panjin-2010")].outcome == "violation"
    assert five[("off-ok/2012", "TR-DAYS", "panjin-2010")].outcome == "pass"


# --- reconsideration deadline over 劳动节 ------------------------------------------------------------------


def test_reconsideration_deadline_ending_in_labour_day_holiday_moves_to_next_working_day():
    # 2022-03-01 + 60 = 2022-04-30 (劳动节 2022-04-30..05-04): due 2022-05-05
    base = rec(
        "reconsideration_case", "rc-1", received_on="2022-03-01", handlers=["张三", "李四"], region_code="220106"
    )
    on_time = check([dict(base, decided_on="2022-05-05")])
    late = check([dict(base, decided_on="2022-05-06")])
    assert on_time[("rc-1", "RC-DECISION-DEADLINE", "national")].outcome == "pass"
    result = late[("rc-1", "RC-DECISION-DEADLINE", "national")]
    assert result.outcome == "violation" and result.evidence["due_on"] == "2022-05-05"


def test_join_functions_read_only_the_reference_fields_an_audit_loads():
    """An audit loads only REFERENCE_FIELDS of officers and documents; reading anything else would
    silently see None there."""
    import datetime as dt

    from fzcheck.engine.derive.joins import REFERENCE_FIELDS, certificate_valid_on, document_in_force_on

    class Recorder:
        def __init__(self, values):
            self.values, self.read = values, set()

        def __getattr__(self, name):
            self.read.add(name)
            return self.values.get(name)

    day = dt.date(2022, 4, 1)
    officer = Recorder(
        {
            "cert_number": "1",
            "cert_valid_until": dt.date(2025, 1, 1),
            "cert_issued_on": dt.date(2020, 1, 1),
            "exam_passed_on": dt.date(2019, 1, 1),
        }
    )
    certificate_valid_on(officer, day)
    document = Recorder({"published_on": dt.date(2020, 1, 1), "status": "in_force", "validity_years": 5})
    document_in_force_on(document, day)
    assert officer.read <= set(REFERENCE_FIELDS["officer"])
    assert document.read <= set(REFERENCE_FIELDS["normative_document"])
    assert officer.read and document.read


def test_the_database_join_of_an_audit_equals_the_join_of_records_given_together(tmp_path):
    """An audit joins by the database's indexed lookups (``DatabaseSource.join_index``); check joins
    the records it holds (``sources.records.join_records``). Both must give every case the same
    officers and documents for every key it holds: unknown ids, two documents with one 文号, a 文号
    written differently, inline officers, no basis."""
    from fzcheck.engine.evaluate.executor import run_calendar
    from fzcheck.engine.sources.database import AuditScope, DatabaseSource, current_snapshot
    from fzcheck.engine.sources.generator import generate_records
    from fzcheck.engine.sources.records import join_records, subjects_from_records
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.importer import import_paths

    same_number = dict(DOC_IN_FORCE, id="doc-1b", title="同号文件")
    edge_cases = [
        OFFICER_OK,
        OFFICER_EXPIRED,
        DOC_IN_FORCE,
        DOC_REPEALED,
        same_number,
        case(
            "c1",
            ["off-ok", "off-missing", {"name": "赵六", "cert_number": "9", "cert_valid_until": "2030-01-01"}],
            ["楚市政发[2017]3号", "楚市政发〔2016〕9号", "楚市政发〔2099〕1号"],
        ),
        case("c2", [], []),
    ]
    raw = [*edge_cases, *generate_records(3000, seed=7)]
    records = [parse_record(data, SourceRef("mem.jsonl", index + 1)) for index, data in enumerate(raw)]
    registers = tmp_path / "year.jsonl"
    registers.write_text("".join(json.dumps(data, ensure_ascii=False) + "\n" for data in raw), encoding="utf-8")
    engine = connect(str(tmp_path / "records.db"), create=True)
    import_paths(engine, [registers])
    cases = [s for s in subjects_from_records(records, dt.date(2026, 11, 23)) if s.kind == "enforcement_case"]
    assert len(cases) > 1000
    source = DatabaseSource(
        engine.url.render_as_string(hide_password=False),
        AuditScope(),
        dt.date(2026, 11, 23),
        run_calendar(None),
        (),
        current_snapshot(engine),
    )

    def ids(result):
        return (
            {
                case: {key: [r.id for r in found] for key, found in keys.items()}
                for case, keys in result.officers.items()
            },
            {
                case: {key: [r.id for r in found] for key, found in keys.items()}
                for case, keys in result.documents.items()
            },
        )

    looked_up, joined = ids(source.join_index(cases)), ids(join_records(records))
    source.close()
    engine.dispose()
    assert looked_up == joined
    assert joined[0]["c1"] == {"off-ok": ["off-ok"], "off-missing": []}
    assert joined[1]["c1"] == {
        "楚市政发〔2017〕3号": ["doc-1", "doc-1b"],
        "楚市政发〔2016〕9号": ["doc-2"],
        "楚市政发〔2099〕1号": [],
    }
    assert sum(bool(found) for keys in joined[1].values() for found in keys.values()) > 100
