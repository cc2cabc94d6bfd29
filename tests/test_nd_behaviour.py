"""ND-* behaviour on cases written from the spec (records.md "Counting periods", rule-catalog.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.models.records import parse_record

D = dt.date.fromisoformat


def doc(**fields):
    data = {
        "kind": "normative_document",
        "id": fields.pop("id", "cx-nd-1"),
        "region_code": "532301",
        "agency": "楚雄市人民政府",
        "title": "楚雄市某某管理办法",
        "status": "in_force",
    }
    data.update(fields)
    return parse_record(data, SourceRef("test.json", 1))


def outcome_of(rule_id, records, as_of="2026-11-23", ruleset=None, record_id=None):
    records = records if isinstance(records, list) else [records]
    report = check_records(records, as_of=D(as_of), rulesets=[ruleset] if ruleset else ())
    found = [o for o in report.outcomes if o.rule_id == rule_id and (record_id is None or o.record_id == record_id)]
    assert len(found) <= 1 or record_id is None
    return found[0] if found else None


# --- ND-FILING-DEADLINE: 15 days after publication, holidays roll forward --------------------------------


@pytest.mark.parametrize(
    "published, filed, outcome, due",
    [
        # 2018-06-16 is a Saturday and 06-18 the 端午 holiday: due on Tuesday 06-19
        ("2018-06-01", "2018-06-19", "pass", "2018-06-19"),
        ("2018-06-01", "2018-06-20", "violation", "2018-06-19"),
        # 2019-10-05 falls in the 国庆 holiday (10-01..10-07): due 10-08
        ("2019-09-20", "2019-10-08", "pass", "2019-10-08"),
        ("2019-09-20", "2019-10-09", "violation", "2019-10-08"),
        # ordinary working day: 2018-03-01 + 15 = 03-16 (Friday)
        ("2018-03-01", "2018-03-16", "pass", "2018-03-16"),
        ("2018-03-01", "2018-03-17", "violation", "2018-03-16"),
    ],
)
def test_filing_deadline_counts_legal_days(published, filed, outcome, due):
    result = outcome_of("ND-FILING-DEADLINE", doc(published_on=published, filed_on=filed))
    assert result.outcome == outcome
    assert result.evidence["due_on"] == due


def test_filing_deadline_ending_on_a_make_up_working_saturday_is_not_moved():
    # 2018-09-29 (Saturday) was a make-up working day before 国庆 2018: 09-14 + 15 = 09-29 stays
    result = outcome_of("ND-FILING-DEADLINE", doc(published_on="2018-09-14", filed_on="2018-09-30"))
    assert result.outcome == "violation"
    assert result.evidence["due_on"] == "2018-09-29"
    assert result.evidence["days_late"] == 1


def test_late_filing_message_spells_out_due_date_and_days_late():
    result = outcome_of("ND-FILING-DEADLINE", doc(published_on="2018-06-01", filed_on="2018-06-20"))
    assert "2018-06-19" in result.message("zh") and "2018-06-20" in result.message("zh")
    assert "1" in result.message("zh")
    assert result.citation.clause == "措施18"
    assert "15日内" in result.citation.quote


def test_not_filed_is_pending_before_the_due_day_and_a_violation_after():
    record = doc(published_on="2018-06-01")
    assert outcome_of("ND-FILING-DEADLINE", record, as_of="2018-06-19").outcome == "pending"
    assert outcome_of("ND-FILING-DEADLINE", record, as_of="2018-06-20").outcome == "violation"


def test_missing_publication_date_is_indeterminate_never_a_violation():
    result = outcome_of("ND-FILING-DEADLINE", doc(filed_on="2018-06-01"), as_of="2018-07-01")
    assert result.outcome == "indeterminate"
    assert "published_on" in result.evidence["missing"]


def test_a_draft_is_not_held_to_publication_rules():
    draft = doc(status="draft", comment_start="2018-05-01", comment_end="2018-05-31")
    assert outcome_of("ND-FILING-DEADLINE", draft, as_of="2018-06-01") is None


# --- comment window, validity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, outcome",
    [
        ("2018-03-01", "2018-03-30", "pass"),  # 30 days, both included
        ("2018-03-01", "2018-03-29", "violation"),  # 29 days
    ],
)
def test_comment_window_is_inclusive(start, end, outcome):
    record = doc(published_on="2018-06-01", comment_start=start, comment_end=end)
    assert outcome_of("ND-COMMENT-PERIOD", record).outcome == outcome


@pytest.mark.parametrize(
    "title, valid_until, rule, outcome",
    [
        ("楚雄市某某管理办法", "2023-05-31", "ND-VALIDITY-MAX", "pass"),  # effective 2018-06-01 + 5y - 1d
        ("楚雄市某某管理办法", "2023-06-01", "ND-VALIDITY-MAX", "violation"),
        ("楚雄市某某管理暂行办法", "2021-05-31", "ND-VALIDITY-INTERIM", "pass"),  # 3 years for 暂行
        ("楚雄市某某管理暂行办法", "2021-06-01", "ND-VALIDITY-INTERIM", "violation"),
        ("楚雄市某某试行规定", "2021-06-01", "ND-VALIDITY-INTERIM", "violation"),
    ],
)
def test_validity_exactly_at_and_one_day_past_the_limit(title, valid_until, rule, outcome):
    record = doc(title=title, published_on="2018-06-01", valid_until=valid_until)
    assert outcome_of(rule, record).outcome == outcome


def test_validity_must_be_stated_only_from_2017():
    before = doc(published_on="2016-12-31")
    after = doc(published_on="2017-01-01")
    assert (
        outcome_of("ND-VALIDITY-STATED", before) is None or outcome_of("ND-VALIDITY-STATED", before).outcome == "pass"
    )
    assert outcome_of("ND-VALIDITY-STATED", after).outcome == "violation"
    stated = doc(published_on="2017-01-01", validity_years=5)
    assert outcome_of("ND-VALIDITY-STATED", stated).outcome == "pass"


def test_expired_document_still_in_force():
    record = doc(published_on="2017-06-01", valid_until="2019-05-31")
    assert outcome_of("ND-EXPIRED-IN-FORCE", record, as_of="2019-06-01").outcome == "violation"
    assert outcome_of("ND-EXPIRED-IN-FORCE", record, as_of="2019-05-31").outcome == "pass"


def test_a_document_published_before_the_plan_was_issued_is_not_judged_by_it():
    """楚委〔2016〕31号 was issued on 2016-12-29: a document of 2016-06-01 is outside it, whatever
    the plan's period (2016–2020) says."""
    record = doc(published_on="2016-06-01", valid_until="2019-05-31")
    assert outcome_of("ND-EXPIRED-IN-FORCE", record, as_of="2019-06-01") is None


# --- legality review, 文号 ----------------------------------------------------------------------------


def test_legality_review_after_the_meeting_is_a_violation():
    record = doc(
        published_on="2018-06-01",
        collective_discussion_on="2018-05-20",
        legality_review_on="2018-05-21",
        legality_review_passed=True,
    )
    assert outcome_of("ND-LEGALITY-REVIEW", record).outcome == "violation"
    ok = doc(
        published_on="2018-06-01",
        collective_discussion_on="2018-05-20",
        legality_review_on="2018-05-20",
        legality_review_passed=True,
    )
    assert outcome_of("ND-LEGALITY-REVIEW", ok).outcome == "pass"


@pytest.mark.parametrize(
    "number, outcome",
    [
        ("楚政发〔2018〕12号", "pass"),
        ("楚政发[2018]12号", "pass"),  # bracket variant, normalised
        ("楚政发（２０１８）１２号", "pass"),  # full-width digits and brackets
        ("楚政发(2018)012号", "violation"),  # leading zero (虚位)
        ("楚政发〔2017〕12号", "violation"),  # year differs from signing year
        ("2018年第12号", "violation"),
    ],
)
def test_doc_number_form_and_year(number, outcome):
    record = doc(doc_number=number, signed_on="2018-05-30", published_on="2018-06-01")
    assert outcome_of("ND-DOC-NUMBER", record).outcome == outcome


def test_duplicate_doc_numbers_across_records_are_both_violations():
    first = doc(id="a", doc_number="楚政发〔2018〕12号", published_on="2018-06-01")
    second = doc(id="b", doc_number="楚政发[2018]12号", published_on="2018-07-01")
    third = doc(id="c", doc_number="楚政发〔2018〕13号", published_on="2018-07-01")
    report = check_records([first, second, third], as_of=D("2026-11-23"))
    unique = {o.record_id: o.outcome for o in report.outcomes if o.rule_id == "ND-DOC-NUMBER-UNIQUE"}
    assert unique == {"a": "violation", "b": "violation", "c": "pass"}


def test_prohibited_content_is_national():
    record = parse_record(
        {
            "kind": "normative_document",
            "id": "bj-1",
            "region_code": "110000",
            "published_on": "2019-03-01",
            "sets_penalty": True,
            "sets_license": False,
            "sets_compulsion": False,
        },
        SourceRef("t.json", 1),
    )
    report = check_records([record], as_of=D("2026-11-23"))
    assert report.packs_applied["normative_document:bj-1"] == ["national"]
    [result] = [o for o in report.outcomes if o.rule_id == "ND-PROHIBITED-CONTENT"]
    assert result.outcome == "violation" and result.ruleset == "national"


def test_pack_selection_by_region_and_period_and_forced_ruleset():
    in_period = doc(published_on="2018-06-01")
    after_period = doc(id="late", published_on="2021-03-01")
    report = check_records([in_period, after_period], as_of=D("2026-11-23"))
    assert report.packs_applied["normative_document:cx-nd-1"] == ["chuxiong-2016", "national"]
    assert report.packs_applied["normative_document:late"] == ["national"]
    forced = check_records([after_period], as_of=D("2026-11-23"), rulesets=["chuxiong-2016"])
    assert forced.packs_applied["normative_document:late"] == ["chuxiong-2016"]
    assert any(o.rule_id == "ND-FILING-DEADLINE" for o in forced.outcomes)


def test_parallel_and_sequential_checks_agree():
    records = [
        doc(
            id=f"d{i}",
            doc_number=f"楚政发〔2018〕{i % 4000 + 1}号",
            published_on=f"2018-0{1 + i % 9}-1{i % 10}",
            filed_on=f"2018-0{1 + i % 9}-2{i % 8}",
            validity_years=1 + i % 7,
        )
        for i in range(5000)
    ]
    one = check_records(records, as_of=D("2026-11-23"), jobs=1)
    two = check_records(records, as_of=D("2026-11-23"), jobs=2)
    assert [o.to_dict() for o in one.outcomes] == [o.to_dict() for o in two.outcomes]
    assert one.summary() == two.summary()
