"""Cross-record findings name whom and what they rest on, in both languages and every format.

EC-OFFICER-CERTIFIED said "uncertified: 1" without naming whom. Each cross-record rule's evidence
now lists the officers (id and name), the cited 文号 or the training sessions behind its count; its
message names them too, the first ten and then "等N人" / "and N more (N officers)"
(engine/outcomes/evidence_lists.py). JSON keeps the whole list.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest

from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.evidence_lists import bounded_list
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.output import RenderOptions, render, render_report
from fzcheck.engine.output.display import evidence_text
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import load_run
from fzcheck.models.records import parse_record

sys.path.insert(0, str(Path(__file__).parent))
from test_cross_record import (
    DOC_IN_FORCE,
    DOC_REPEALED,
    OFFICER_EXPIRED,
    OFFICER_OK,
    case,
    rec,
    training,
)

AS_OF = dt.date(2026, 11, 23)


def check(records):
    parsed = [parse_record(data, SourceRef("mem.json", index + 1)) for index, data in enumerate(records)]
    report = check_records(parsed, as_of=AS_OF)
    return report, {(o.record_id, o.rule_id, o.ruleset): o for o in report.outcomes}


# --------------------------------------------------------------------------- bounded lists


def test_a_short_list_is_joined_in_the_language():
    assert bounded_list(["a", "b"], "zh", "uncertified_officers") == "a、b"
    assert bounded_list(["a", "b"], "en", "uncertified_officers") == "a, b"
    assert bounded_list([], "zh") == "—"


def test_a_long_list_shows_ten_and_how_many_in_all():
    names = [f"of-{index}" for index in range(1, 13)]
    assert bounded_list(names, "zh", "uncertified_officers") == "、".join(names[:10]) + "等12人"
    assert bounded_list(names, "en", "uncertified_officers") == ", ".join(names[:10]) + " and 2 more (12 officers)"
    assert bounded_list(names, "zh", "docs_unknown_refs").endswith("等12件")
    assert bounded_list(names, "en", "session_ids").endswith("(12 sessions)")


def test_report_cells_bound_the_lists_and_label_them():
    names = [f"of-{index}" for index in range(1, 13)]
    zh = evidence_text({"uncertified": 12, "uncertified_officers": names}, "zh", "enforcement_case")
    assert zh == "无有效执法证人数：12；无有效执法证的执法人员：" + "、".join(names[:10]) + "等12人"
    en = evidence_text({"uncertified_officers": names}, "en", "enforcement_case")
    assert en == "uncertified officers: " + ", ".join(names[:10]) + " and 2 more (12 officers)"


# --------------------------------------------------------------------------- EC-OFFICER-CERTIFIED


def test_officer_certified_names_the_uncertified_officer():
    _, outcomes = check([OFFICER_OK, OFFICER_EXPIRED, case("c2", ["off-ok", "off-old"], [])])
    found = outcomes[("c2", "EC-OFFICER-CERTIFIED", "chuxiong-2016")]
    assert found.outcome == "violation"
    assert found.evidence["uncertified"] == 1 and found.evidence["uncertified_officers"] == ["off-old（王芳）"]
    assert found.message("zh").endswith("：off-old（王芳）")
    assert found.message("en").endswith(": off-old（王芳）")


def test_officer_certified_names_the_ids_without_a_record():
    _, outcomes = check([OFFICER_OK, case("c3", ["off-ok", "nobody", "ghost"], [])])
    found = outcomes[("c3", "EC-OFFICER-CERTIFIED", "chuxiong-2016")]
    assert found.outcome == "indeterminate"
    assert found.evidence["unknown_officer_ids"] == ["nobody", "ghost"]
    assert found.message("zh").endswith("找不到：nobody、ghost")
    assert found.message("en").endswith("records checked: nobody, ghost")


def test_officer_certified_names_an_inline_officer_and_bounds_a_long_list():
    expired = [
        dict(OFFICER_EXPIRED, id=f"old-{index:02}", name=f"员{index:02}", cert_number=f"5323010{index:04}")
        for index in range(1, 13)
    ]
    inline = {"name": "赵六", "cert_number": "9", "cert_valid_until": "2018-01-01"}
    report, outcomes = check([*expired, case("c9", [*(o["id"] for o in expired), inline], [])])
    found = outcomes[("c9", "EC-OFFICER-CERTIFIED", "chuxiong-2016")]
    names = [f"old-{index:02}（员{index:02}）" for index in range(1, 13)] + ["赵六"]
    assert found.evidence["uncertified_officers"] == names  # JSON keeps them all
    assert found.message("zh").endswith("：" + "、".join(names[:10]) + "等13人")
    assert found.message("en").endswith(": " + ", ".join(names[:10]) + " and 3 more (13 officers)")
    [shown] = [
        o
        for o in json.loads(render(report, "json", RenderOptions(lang="en")))["outcomes"]
        if o["record_id"] == "c9" and o["rule_id"] == "EC-OFFICER-CERTIFIED" and o["ruleset"] == "chuxiong-2016"
    ]
    assert shown["evidence"]["uncertified_officers"] == names


# --------------------------------------------------------------------------- EC-BASIS-IN-FORCE


def test_basis_in_force_names_the_documents_as_cited():
    _, outcomes = check(
        [
            OFFICER_OK,
            DOC_IN_FORCE,
            DOC_REPEALED,
            case("k2", ["off-ok", "off-ok"], ["楚市政发（2016）9号", "楚市政发[2017]3号"]),
            case("k3", ["off-ok", "off-ok"], ["楚市政发〔2018〕99号"]),
        ]
    )
    repealed = outcomes[("k2", "EC-BASIS-IN-FORCE", "chuxiong-2016")]
    assert repealed.outcome == "violation"
    assert repealed.evidence["docs_not_in_force_refs"] == ["楚市政发（2016）9号"]
    assert repealed.message("zh").endswith("已废止：楚市政发（2016）9号")
    assert repealed.message("en").endswith("on 2018-06-15: 楚市政发（2016）9号")
    unknown = outcomes[("k3", "EC-BASIS-IN-FORCE", "chuxiong-2016")]
    assert unknown.outcome == "indeterminate" and unknown.evidence["docs_unknown_refs"] == ["楚市政发〔2018〕99号"]
    assert unknown.message("zh").endswith("记录中：楚市政发〔2018〕99号")


# --------------------------------------------------------------------------- training (officer-years)


def test_training_evidence_names_the_officer_and_the_sessions():
    officer = dict(OFFICER_OK, region_code="430582", cert_issued_on="2023-01-01", cert_valid_until="2023-12-31")
    sessions = [
        training("t1", "off-ok", "2023-03-01", "2023-03-05", hours=40, kind="legal"),
        training("t2", "off-ok", "2023-05-01", "2023-05-05", hours=None, kind="professional"),
    ]
    _, outcomes = check([officer, *sessions])
    hours = outcomes[("off-ok/2023", "TR-HOURS", "hunan-2021")]
    assert hours.outcome == "indeterminate"
    assert hours.evidence["name"] == "李明" and hours.evidence["session_ids"] == ["t1", "t2"]
    assert hours.evidence["sessions_without_hours_ids"] == ["t2"]
    assert hours.message("zh").endswith("未填写学时：t2") and hours.message("en").endswith("have no hours: t2")


def test_panjin_training_days_evidence_names_the_sessions():
    officer = dict(OFFICER_OK, region_code="211102", cert_issued_on="2012-01-01", cert_valid_until="2012-12-31")
    _, outcomes = check([officer, training("t1", "off-ok", "2012-03-05", "2012-03-08")])
    days = outcomes[("off-ok/2012", "TR-DAYS", "panjin-2010")]
    assert days.outcome == "violation" and days.evidence["session_ids"] == ["t1"] and days.evidence["name"] == "李明"


# --------------------------------------------------------------------------- an audit, HTML and XLSX


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The same case audited from the records database: the officer's name is loaded with the join."""
    folder = tmp_path_factory.mktemp("names")
    path = folder / "records.jsonl"
    records = [OFFICER_OK, OFFICER_EXPIRED, case("c2", ["off-ok", "off-old", "nobody"], [])]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    engine = connect(str(folder / "names.db"), create=True)
    import_paths(engine, [path])
    run = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    return load_run(engine, run.run_id)


def test_an_audit_names_the_officer_as_check_does(audited):
    [found] = [o for o in audited.outcomes if o.rule_id == "EC-OFFICER-CERTIFIED" and o.ruleset == "chuxiong-2016"]
    assert found.evidence["uncertified_officers"] == ["off-old（王芳）"]
    assert found.evidence["unknown_officer_ids"] == ["nobody"]


@pytest.mark.parametrize(
    "lang, expected",
    [("zh", "无有效执法证的执法人员：off-old（王芳）"), ("en", "uncertified officers: off-old（王芳）")],
)
def test_html_and_xlsx_show_whom(audited, lang, expected):
    assert expected in render_report(audited, "html", lang)
    book = openpyxl.load_workbook(io.BytesIO(render_report(audited, "xlsx", lang)))
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    ]
    assert any(expected in cell for cell in cells)


@pytest.mark.parametrize("fmt", ["junit", "csv", "sarif", "table", "markdown", "github"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_names_whom(fmt, lang):
    """Text formats show the message (which names the officer); JUnit, CSV and SARIF also the evidence."""
    report, _ = check([OFFICER_OK, OFFICER_EXPIRED, case("c2", ["off-ok", "off-old"], [])])
    assert "off-old（王芳）" in render(report, fmt, RenderOptions(lang=lang))


# --------------------------------------------------------------------------- ND-DOC-NUMBER-UNIQUE


def _documents(count: int, number: str = "楚市政发〔2019〕5号", prefix: str = "nd") -> list[dict]:
    return [
        rec(
            "normative_document",
            f"{prefix}-{index:02}",
            doc_number=number,
            title=f"文件{index}",
            published_on="2019-03-01",
        )
        for index in range(1, count + 1)
    ]


def test_duplicate_doc_number_names_the_documents_sharing_it():
    _, outcomes = check([*_documents(2), *_documents(1, "楚市政发〔2019〕6号", "other")])
    found = outcomes[("nd-01", "ND-DOC-NUMBER-UNIQUE", "chuxiong-2016")]
    assert found.outcome == "violation" and found.evidence["same_number_ids"] == ["nd-01", "nd-02"]
    assert found.message("zh").endswith("共出现2次：nd-01、nd-02")
    assert found.message("en").endswith("checked together: nd-01, nd-02")
    assert outcomes[("other-01", "ND-DOC-NUMBER-UNIQUE", "chuxiong-2016")].outcome == "pass"


def test_many_duplicates_are_bounded_in_the_message_and_whole_in_the_evidence():
    _, outcomes = check(_documents(12))
    found = outcomes[("nd-05", "ND-DOC-NUMBER-UNIQUE", "chuxiong-2016")]
    ids = [f"nd-{index:02}" for index in range(1, 13)]
    assert found.evidence["same_number_ids"] == ids
    assert found.message("zh").endswith("：" + "、".join(ids[:10]) + "等12件")
    assert found.message("en").endswith(": " + ", ".join(ids[:10]) + " and 2 more (12 documents)")


def test_an_audit_names_the_documents_sharing_a_doc_number(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _documents(3)), encoding="utf-8")
    engine = connect(str(tmp_path / "docs.db"), create=True)
    import_paths(engine, [path])
    report = load_run(engine, run_audit(engine, AuditParams(as_of=AS_OF), jobs=1).run_id)
    found = [o for o in report.outcomes if o.rule_id == "ND-DOC-NUMBER-UNIQUE" and o.ruleset == "chuxiong-2016"]
    assert found and all(o.evidence["same_number_ids"] == ["nd-01", "nd-02", "nd-03"] for o in found)
