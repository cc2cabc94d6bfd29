"""Packs in force from their issue date, rules judging the date of their act, national rules from
their laws' dates, coverage warnings and provisional holidays (rule-catalog.md "Packs (rule sets)
and where they apply"; records.md "Outcomes", "Counting periods"; cli.md).

Every date-dependent expectation is checked on the day before, the day itself and the day after.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.evaluate.coverage import packs_for
from fzcheck.engine.outcomes.build import DRAFT_NOTE
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.models.records import parse_record

D = dt.date.fromisoformat
AS_OF = "2026-11-23"

CHUXIONG, PANJIN, HUNAN, LVYUAN, BEIJING = "532301", "211100", "430582", "220106", "110101"
DRAFT_SUFFIX = "（依据为征求意见稿，尚未正式印发）"


def rec(kind, id, region, **fields):
    data = {"kind": kind, "id": id, "region_code": region, "agency": "某某机关", **fields}
    return parse_record(data, SourceRef("test.json", 1))


def doc(id="nd-1", region=CHUXIONG, **fields):
    fields.setdefault("status", "in_force")
    fields.setdefault("title", "某某管理办法")
    return rec("normative_document", id, region, **fields)


def case(id="ec-1", region=BEIJING, **fields):
    fields.setdefault("action_type", "penalty")
    return rec("enforcement_case", id, region, **fields)


def decision(id="md-1", region=BEIJING, **fields):
    fields.setdefault("title", "城区公交线网优化调整方案")
    return rec("major_decision", id, region, **fields)


def check(records, as_of=AS_OF, rulesets=(), **options):
    records = records if isinstance(records, list) else [records]
    return check_records(records, as_of=D(as_of), rulesets=list(rulesets), **options)


def outcomes(report, rule_id, ruleset=None, record_id=None):
    return [
        o
        for o in report.outcomes
        if o.rule_id == rule_id
        and (ruleset is None or o.ruleset == ruleset)
        and (record_id is None or o.record_id == record_id)
    ]


def one(report, rule_id, ruleset, record_id=None):
    found = outcomes(report, rule_id, ruleset, record_id)
    assert len(found) <= 1, found
    return found[0] if found else None


def applied(report, kind, record_id):
    return report.packs_applied.get(f"{kind}:{record_id}", [])


def coverage(report):
    return report.coverage_warnings()


# =========================================================================== 1. packs in force from their issue date


@pytest.mark.parametrize(
    "pack_id, binds_from, period_end",
    [
        ("chuxiong-2016", "2016-12-29", "2020-12-31"),
        ("panjin-2010", "2011-03-17", "2014-12-31"),
        ("hunan-2021", "2022-08-16", "2025-12-31"),
    ],
)
def test_pack_binds_from_its_issue_date_to_the_end_of_its_period(pack_id, binds_from, period_end):
    meta = default_catalog().packs[pack_id].meta
    assert meta.binds_from == D(binds_from)
    assert meta.period.to == D(period_end)
    assert meta.status == "adopted"


def test_hunan_binds_from_in_force_from_not_from_its_period_start():
    meta = default_catalog().packs["hunan-2021"].meta
    assert meta.in_force_from == D("2022-08-16")
    assert meta.period.from_ == D("2021-01-01")
    assert meta.binds_from == D("2022-08-16")


@pytest.mark.parametrize(
    "pack_id, region, day, covered",
    [
        # chuxiong-2016: 楚委〔2016〕31号 issued 2016-12-29; period to 2020-12-31
        ("chuxiong-2016", CHUXIONG, "2016-01-01", False),  # the period's first day, before the issue date
        ("chuxiong-2016", CHUXIONG, "2016-12-28", False),
        ("chuxiong-2016", CHUXIONG, "2016-12-29", True),
        ("chuxiong-2016", CHUXIONG, "2016-12-30", True),
        ("chuxiong-2016", CHUXIONG, "2020-12-30", True),
        ("chuxiong-2016", CHUXIONG, "2020-12-31", True),
        ("chuxiong-2016", CHUXIONG, "2021-01-01", False),
        ("chuxiong-2016", "532300", "2018-06-01", True),  # the prefecture itself (prefix 5323)
        ("chuxiong-2016", "532400", "2018-06-01", False),  # another prefecture
        # panjin-2010: 盘政发〔2011〕10号 issued 2011-03-17; period to 2014-12-31
        ("panjin-2010", PANJIN, "2010-01-01", False),
        ("panjin-2010", PANJIN, "2011-03-16", False),
        ("panjin-2010", PANJIN, "2011-03-17", True),
        ("panjin-2010", PANJIN, "2011-03-18", True),
        ("panjin-2010", PANJIN, "2014-12-31", True),
        ("panjin-2010", PANJIN, "2015-01-01", False),
        # hunan-2021: in force from 2022-08-16; period to 2025-12-31
        ("hunan-2021", HUNAN, "2021-01-01", False),
        ("hunan-2021", HUNAN, "2022-08-15", False),
        ("hunan-2021", HUNAN, "2022-08-16", True),
        ("hunan-2021", HUNAN, "2022-08-17", True),
        ("hunan-2021", HUNAN, "2025-12-31", True),
        ("hunan-2021", HUNAN, "2026-01-01", False),
        ("hunan-2021", "430000", "2023-01-01", True),
        # lvyuan-2021 is a draft: never chosen by region and date, not even inside its period
        ("lvyuan-2021", LVYUAN, "2021-01-01", False),
        ("lvyuan-2021", LVYUAN, "2023-06-01", False),
        ("lvyuan-2021", LVYUAN, "2025-12-31", False),
    ],
)
def test_pack_covers_region_and_day(pack_id, region, day, covered):
    assert default_catalog().packs[pack_id].covers(region, D(day)) is covered


@pytest.mark.parametrize(
    "region, pack_id, published, chosen",
    [
        (CHUXIONG, "chuxiong-2016", "2016-12-28", False),
        (CHUXIONG, "chuxiong-2016", "2016-12-29", True),
        (CHUXIONG, "chuxiong-2016", "2016-12-30", True),
        (CHUXIONG, "chuxiong-2016", "2020-12-31", True),
        (CHUXIONG, "chuxiong-2016", "2021-01-01", False),
        (PANJIN, "panjin-2010", "2011-03-16", False),
        (PANJIN, "panjin-2010", "2011-03-17", True),
        (PANJIN, "panjin-2010", "2011-03-18", True),
        (PANJIN, "panjin-2010", "2014-12-31", True),
        (PANJIN, "panjin-2010", "2015-01-01", False),
        (HUNAN, "hunan-2021", "2022-08-15", False),
        (HUNAN, "hunan-2021", "2022-08-16", True),
        (HUNAN, "hunan-2021", "2022-08-17", True),
        (HUNAN, "hunan-2021", "2025-12-31", True),
        (HUNAN, "hunan-2021", "2026-01-01", False),
    ],
)
def test_a_document_is_checked_by_the_local_pack_only_from_its_issue_date(region, pack_id, published, chosen):
    report = check(doc(region=region, published_on=published, doc_number=f"某政发〔{published[:4]}〕1号"))
    packs = applied(report, "normative_document", "nd-1")
    assert (pack_id in packs) is chosen
    assert "national" in packs
    assert bool([o for o in report.outcomes if o.ruleset == pack_id]) is chosen


def test_a_draft_pack_is_never_chosen_by_region_and_date():
    record = doc(region=LVYUAN, published_on="2022-06-01", doc_number="绿政发〔2022〕1号")
    report = check(record)
    assert applied(report, "normative_document", "nd-1") == ["national"]
    assert not [o for o in report.outcomes if o.ruleset == "lvyuan-2021"]


def test_a_draft_pack_applies_when_named_and_every_finding_says_it_rests_on_a_draft():
    records = [
        doc("nd-none", region=LVYUAN, published_on="2022-06-01"),  # no legality review: indeterminate
        doc(
            "nd-late",
            region=LVYUAN,
            published_on="2022-06-01",  # reviewed after publication: violation
            legality_review_on="2022-06-02",
            legality_review_passed=True,
        ),
        doc(
            "nd-ok",
            region=LVYUAN,
            published_on="2022-06-01",  # pass
            legality_review_on="2022-05-20",
            legality_review_passed=True,
        ),
        decision("md-none", region=LVYUAN, decided_on="2022-06-10"),  # no review, no discussion, no terms
    ]
    report = check(records, rulesets=["lvyuan-2021"])
    lvyuan = [o for o in report.outcomes if o.ruleset == "lvyuan-2021"]
    assert {o.ruleset for o in report.outcomes} == {"lvyuan-2021"}
    assert {o.outcome for o in lvyuan} >= {"pass", "violation", "indeterminate"}
    for outcome in lvyuan:
        if outcome.outcome == "pass":
            assert not outcome.message("zh").endswith(DRAFT_SUFFIX), outcome
        else:
            assert outcome.message("zh").endswith(DRAFT_SUFFIX), outcome
            assert outcome.message("en").endswith(DRAFT_NOTE["en"]), outcome
    assert one(report, "ND-LEGALITY-REVIEW", "lvyuan-2021", "nd-late").outcome == "violation"
    assert one(report, "ND-LEGALITY-REVIEW", "lvyuan-2021", "nd-none").outcome == "indeterminate"
    assert one(report, "ND-LEGALITY-REVIEW", "lvyuan-2021", "nd-ok").outcome == "pass"
    # the draft's note comes after the absent-step wording, under both standards
    strict = check(records, rulesets=["lvyuan-2021"], absent_steps="violation")
    none = one(strict, "ND-LEGALITY-REVIEW", "lvyuan-2021", "nd-none")
    assert none.outcome == "violation"
    assert none.message("zh").endswith("（案卷评查口径：未见记录即视为未履行）" + DRAFT_SUFFIX)


def _officer(id, region, issued, valid_until):
    return rec(
        "officer",
        id,
        region,
        name="李明",
        exam_passed_on=issued,
        cert_number="53230100001",
        cert_issued_on=issued,
        cert_valid_until=valid_until,
    )


@pytest.mark.parametrize(
    "region, rule_id, pack_id, years, covered",
    [
        (CHUXIONG, "TR-SESSIONS", "chuxiong-2016", range(2015, 2023), {2017, 2018, 2019, 2020}),
        (PANJIN, "TR-DAYS", "panjin-2010", range(2009, 2017), {2012, 2013, 2014}),
        (HUNAN, "TR-HOURS", "hunan-2021", range(2020, 2027), {2023, 2024, 2025}),
    ],
)
def test_an_officer_year_is_checked_only_for_years_the_pack_covers_whole(region, rule_id, pack_id, years, covered):
    first, last = min(years), max(years)
    officer = _officer("off-1", region, f"{first}-01-01", f"{last}-12-31")
    report = check(officer, as_of="2027-02-01")
    for year in years:
        subject = f"off-1/{year}"
        checked = one(report, rule_id, pack_id, subject) is not None
        assert checked is (year in covered), (subject, checked)
        assert (pack_id in applied(report, "officer_year", subject)) is (year in covered)
    warned = {issue.record_id for issue in coverage(report)}
    assert warned == {f"off-1/{year}" for year in years if year not in covered}


def test_an_officer_year_of_the_issue_year_is_warned_about_the_whole_year():
    report = check(_officer("cx-off-1", CHUXIONG, "2016-01-01", "2018-12-31"), as_of="2019-02-01")
    [warning] = [issue for issue in coverage(report) if issue.record_id == "cx-off-1/2016"]
    assert "chuxiong-2016" in warning.message
    assert "2016-12-29至2020-12-31" in warning.message
    assert "年度要求须全年在适用期内" in warning.message
    assert "2016年度" in warning.message
    assert one(report, "TR-SESSIONS", "chuxiong-2016", "cx-off-1/2017") is not None


def test_a_forced_pack_checks_an_officer_year_outside_its_period():
    report = check(
        _officer("cx-off-1", CHUXIONG, "2016-01-01", "2016-12-31"), as_of="2019-02-01", rulesets=["chuxiong-2016"]
    )
    assert one(report, "TR-SESSIONS", "chuxiong-2016", "cx-off-1/2016").outcome == "violation"


def test_packs_for_an_officer_year_spanning_the_issue_day():
    catalog = default_catalog()

    class Year:
        kind, region_code = "officer_year", CHUXIONG

        def __init__(self, year):
            self.year = year

        def get(self, name):
            return self.year if name == "year" else None

    assert [p.id for p in packs_for(catalog, Year(2016), None)] == []
    assert [p.id for p in packs_for(catalog, Year(2017), None)] == ["chuxiong-2016"]
    assert [p.id for p in packs_for(catalog, Year(2020), None)] == ["chuxiong-2016"]
    assert [p.id for p in packs_for(catalog, Year(2021), None)] == []


# =========================================================================== 2. rules judge the date of their act


@pytest.mark.parametrize(
    "comment_start, judged",
    [
        ("2016-12-01", False),
        ("2016-12-28", False),
        ("2016-12-29", True),
        ("2016-12-30", True),
    ],
)
def test_chuxiong_comment_period_judges_the_windows_start_not_the_publication(comment_start, judged):
    start = D(comment_start)
    end = start + dt.timedelta(days=19)  # a 20-day window
    record = doc(published_on="2017-01-10", comment_start=comment_start, comment_end=end.isoformat())
    report = check(record)
    assert "chuxiong-2016" in applied(report, "normative_document", "nd-1")  # published inside the pack's time
    found = one(report, "ND-COMMENT-PERIOD", "chuxiong-2016")
    if judged:
        assert found.outcome == "violation"
        assert found.evidence["comment_days"] == 20
    else:
        assert found is None
    # the same act date governs ND-COMMENT-REQUIRED (there was a window, so it passes when judged)
    required = one(report, "ND-COMMENT-REQUIRED", "chuxiong-2016")
    assert (required is not None) is judged
    # a rule that judges the publication still applies: ND-FILING-DEADLINE (never filed)
    assert one(report, "ND-FILING-DEADLINE", "chuxiong-2016").outcome == "violation"


def test_a_forced_pack_judges_a_window_before_its_issue_date():
    record = doc(published_on="2017-01-10", comment_start="2016-12-01", comment_end="2016-12-20")
    report = check(record, rulesets=["chuxiong-2016"])
    assert one(report, "ND-COMMENT-PERIOD", "chuxiong-2016").outcome == "violation"


@pytest.mark.parametrize(
    "comment_start, comment_end, outcome",
    [
        ("2019-08-31", "2019-09-28", None),  # opened the day before the 条例: not judged
        ("2019-09-01", "2019-09-29", "violation"),  # 29 days, opened on its first day
        ("2019-09-02", "2019-09-30", "violation"),
        ("2019-09-02", "2019-10-01", "pass"),  # 30 days
        ("2019-07-01", "2019-07-29", None),  # decided after 2019-09-01, but the window is older
    ],
)
def test_national_md_comment_period_judges_the_windows_start(comment_start, comment_end, outcome):
    report = check(decision(comment_start=comment_start, comment_end=comment_end, decided_on="2019-11-01"))
    found = one(report, "MD-COMMENT-PERIOD", "national")
    assert (found.outcome if found else None) == outcome


@pytest.mark.parametrize(
    "opened, decided, outcome, period_start, due",
    [
        # opened before Art. 60 existed: the 90 days run from 2021-07-15, so day 90 is 2021-10-13
        ("2021-03-01", "2021-07-14", None, None, None),  # decided before the law
        ("2021-03-01", "2021-07-15", "pass", "2021-07-15", "2021-10-13"),
        ("2021-03-01", "2021-08-01", "pass", "2021-07-15", "2021-10-13"),
        ("2021-03-01", "2021-10-12", "pass", "2021-07-15", "2021-10-13"),
        ("2021-03-01", "2021-10-13", "pass", "2021-07-15", "2021-10-13"),
        ("2021-03-01", "2021-10-14", "violation", "2021-07-15", "2021-10-13"),
        ("2021-07-14", "2021-10-13", "pass", "2021-07-15", "2021-10-13"),
        ("2021-07-14", "2021-10-14", "violation", "2021-07-15", "2021-10-13"),
        ("2021-07-15", "2021-10-13", "pass", "2021-07-15", "2021-10-13"),
        ("2021-07-15", "2021-10-14", "violation", "2021-07-15", "2021-10-13"),
        ("2021-07-16", "2021-10-14", "pass", "2021-07-16", "2021-10-14"),
        ("2021-07-16", "2021-10-15", "violation", "2021-07-16", "2021-10-14"),
    ],
)
def test_decision_deadline_runs_from_the_later_of_filing_and_the_laws_effective_date(
    opened, decided, outcome, period_start, due
):
    report = check(case(opened_on=opened, decided_on=decided))
    found = one(report, "EC-DECISION-DEADLINE", "national")
    assert (found.outcome if found else None) == outcome
    if found:
        assert found.evidence["period_start"] == period_start
        assert found.evidence["due_on"] == due
    if outcome == "violation":
        assert f"期限自{period_start}起算" in found.message("zh")
        assert found.evidence["days_late"] == 1


@pytest.mark.parametrize(
    "as_of, outcome",
    [
        ("2021-07-14", None),  # the time limit not in force yet on the as-of day
        ("2021-10-13", "pending"),
        ("2021-10-14", "violation"),
    ],
)
def test_undecided_penalty_is_judged_on_the_as_of_day(as_of, outcome):
    report = check(case(opened_on="2021-03-01"), as_of=as_of)
    found = one(report, "EC-DECISION-DEADLINE", "national")
    assert (found.outcome if found else None) == outcome


def test_missing_act_date_is_indeterminate_naming_the_missing_dates():
    # a comment window with an end but no start, and no publication date: the act date of the
    # comment rules (coalesce(comment_start, published_on)) is unknown
    record = doc(comment_end="2018-03-30")
    report = check(record, as_of="2018-06-01")
    assert "chuxiong-2016" in applied(report, "normative_document", "nd-1")
    found = one(report, "ND-COMMENT-PERIOD", "chuxiong-2016")
    assert found.outcome == "indeterminate"
    assert found.evidence["missing"] == ["comment_start", "published_on"]
    message = found.message("zh")
    assert message.startswith("无法判定：缺少")
    assert "comment_start" in message and "published_on" in message
    assert "本规则自2016-12-29起适用" in message
    assert "comment_start" in found.message("en") and "published_on" in found.message("en")


def test_missing_act_date_of_a_national_rule_names_its_start():
    # MD-COMMENT-PERIOD judges coalesce(comment_start, decided_on): with only an end date, unknown
    record = decision(comment_end="2019-09-29")
    report = check(record, as_of="2019-12-01")
    found = one(report, "MD-COMMENT-PERIOD", "national")
    assert found.outcome == "indeterminate"
    assert found.evidence["missing"] == ["comment_start", "decided_on"]
    assert "本规则自2019-09-01起适用" in found.message("zh")


# =========================================================================== 3. national rules from their laws' dates


@pytest.mark.parametrize(
    "flags, published, outcome",
    [
        # penalties: 1996 行政处罚法 from 1996-10-01
        ({"sets_penalty": True}, "1996-09-30", None),
        ({"sets_penalty": True}, "1996-10-01", "violation"),
        ({"sets_penalty": True}, "1996-10-02", "violation"),
        # licences: 行政许可法 from 2004-07-01
        ({"sets_license": True, "sets_penalty": False}, "2004-06-30", "pass"),
        ({"sets_license": True, "sets_penalty": False}, "2004-07-01", "violation"),
        ({"sets_license": True, "sets_penalty": False}, "2004-07-02", "violation"),
        # compulsory measures: 行政强制法 from 2012-01-01
        ({"sets_license": False, "sets_penalty": False, "sets_compulsion": True}, "2011-12-31", "pass"),
        ({"sets_license": False, "sets_penalty": False, "sets_compulsion": True}, "2012-01-01", "violation"),
        ({"sets_license": False, "sets_penalty": False, "sets_compulsion": True}, "2012-01-02", "violation"),
        # a flag the law in force did not yet need may be missing; after its law it is needed
        ({"sets_penalty": False}, "2004-06-30", "pass"),
        ({"sets_penalty": False}, "2004-07-01", "indeterminate"),
        ({"sets_license": False, "sets_penalty": False}, "2011-12-31", "pass"),
        ({"sets_license": False, "sets_penalty": False}, "2012-01-01", "indeterminate"),
        ({"sets_license": False, "sets_penalty": False, "sets_compulsion": False}, "2012-01-01", "pass"),
    ],
)
def test_national_prohibited_content_each_flag_from_its_own_law(flags, published, outcome):
    report = check(doc(region=BEIJING, published_on=published, **flags))
    found = one(report, "ND-PROHIBITED-CONTENT", "national")
    assert (found.outcome if found else None) == outcome


OLD_LAW = "中华人民共和国行政处罚法（1996年）"
NEW_LAW = "中华人民共和国行政处罚法（2021年修订）"


@pytest.mark.parametrize(
    "decided, outcome, law",
    [
        ("1996-09-30", None, None),
        ("1996-10-01", "violation", OLD_LAW),
        ("1996-10-02", "violation", OLD_LAW),
        ("2021-07-14", "violation", OLD_LAW),
        ("2021-07-15", "violation", NEW_LAW),
        ("2021-07-16", "violation", NEW_LAW),
    ],
)
def test_officers_min_from_1996_citing_the_law_in_force_on_the_decision_day(decided, outcome, law):
    report = check(case(opened_on="1996-09-01", decided_on=decided, officers=["off-1"]))
    found = one(report, "EC-OFFICERS-MIN", "national")
    assert (found.outcome if found else None) == outcome
    if found:
        assert found.citation.document == law


@pytest.mark.parametrize(
    "notified, decided, procedure, outcome, law",
    [
        ("1996-09-29", "1996-09-30", None, None, None),  # before the 1996 law
        ("1996-09-30", "1996-10-01", None, "pass", OLD_LAW),
        ("1996-10-01", "1996-10-01", None, "violation", OLD_LAW),  # ordinary procedure, same day
        ("1996-10-02", "1996-10-01", None, "violation", OLD_LAW),  # notice after the decision
        ("1996-10-01", "1996-10-01", "simple", "pass", OLD_LAW),  # 当场处罚, same day
        ("2021-07-13", "2021-07-14", None, "pass", OLD_LAW),
        ("2021-07-14", "2021-07-14", "ordinary", "violation", OLD_LAW),
        ("2021-07-14", "2021-07-15", None, "pass", NEW_LAW),
        ("2021-07-15", "2021-07-15", None, "violation", NEW_LAW),
        ("2021-07-15", "2021-07-15", "simple", "pass", NEW_LAW),
        ("2021-07-16", "2021-07-15", "simple", "violation", NEW_LAW),
        ("2021-07-15", "2021-07-16", "ordinary", "pass", NEW_LAW),
    ],
)
def test_notice_before_decision_by_the_law_in_force(notified, decided, procedure, outcome, law):
    fields = {"procedure": procedure} if procedure else {}
    report = check(case(opened_on="1996-09-01", notified_on=notified, decided_on=decided, **fields))
    found = one(report, "EC-NOTICE-BEFORE-DECISION", "national")
    assert (found.outcome if found else None) == outcome
    if found:
        assert found.citation.document == law


def _hearing_case(notified, decided, **fields):
    fields.setdefault("hearing_eligible", True)
    fields.setdefault("hearing_waived", False)
    return case(opened_on="2019-01-02", notified_on=notified, decided_on=decided, **fields)


@pytest.mark.parametrize(
    "notified, decided, outcome, ends_on, days, law",
    [
        # from 2021-07-15: 5 working days after notice (Thu 07-15 -> Thu 07-22)
        ("2021-07-15", "2021-07-16", "violation", "2021-07-22", 5, NEW_LAW),
        ("2021-07-15", "2021-07-21", "violation", "2021-07-22", 5, NEW_LAW),
        ("2021-07-15", "2021-07-22", "violation", "2021-07-22", 5, NEW_LAW),
        ("2021-07-15", "2021-07-23", "pass", "2021-07-22", 5, NEW_LAW),
        # the 1996 law: 3 calendar days; Wed 07-14 + 3 = Sat 07-17, moved to Mon 07-19
        ("2021-07-14", "2021-07-16", "violation", "2021-07-19", 3, OLD_LAW),
        ("2021-07-14", "2021-07-19", "violation", "2021-07-19", 3, OLD_LAW),
        ("2021-07-14", "2021-07-20", "pass", "2021-07-19", 3, OLD_LAW),
        # the 1996 law on working days: Mon 2019-03-04 + 3 = Thu 03-07
        ("2019-03-04", "2019-03-06", "violation", "2019-03-07", 3, OLD_LAW),
        ("2019-03-04", "2019-03-07", "violation", "2019-03-07", 3, OLD_LAW),
        ("2019-03-04", "2019-03-08", "pass", "2019-03-07", 3, OLD_LAW),
        # working days skip 国庆 2021 (10-01..10-07) and count the make-up Saturday 10-09: Thu 09-30 -> Wed 10-13
        ("2021-09-30", "2021-10-13", "violation", "2021-10-13", 5, NEW_LAW),
        ("2021-09-30", "2021-10-14", "pass", "2021-10-13", 5, NEW_LAW),
        # the 1996 law's 3 days ending in 国庆 2019: Sat 09-28 + 3 = Tue 10-01, moved to Tue 10-08
        ("2019-09-28", "2019-10-07", "violation", "2019-10-08", 3, OLD_LAW),
        ("2019-09-28", "2019-10-08", "violation", "2019-10-08", 3, OLD_LAW),
        ("2019-09-28", "2019-10-09", "pass", "2019-10-08", 3, OLD_LAW),
        # the law's first day
        ("1996-10-01", "1996-10-02", "violation", None, 3, OLD_LAW),
    ],
)
def test_hearing_window_by_the_law_in_force_on_the_notice_day(notified, decided, outcome, ends_on, days, law):
    report = check(_hearing_case(notified, decided))
    found = one(report, "EC-HEARING-WINDOW", "national")
    assert found.outcome == outcome
    assert found.citation.document == law
    assert found.evidence["request_days"] == days
    assert found.evidence["dated_parameters"]["request_days"] == {
        "value": days,
        "from": "2021-07-15" if days == 5 else "1996-10-01",
    }
    assert found.evidence["dated_parameters"]["request_in_working_days"] == {
        "value": days == 5,
        "from": "2021-07-15" if days == 5 else "1996-10-01",
    }
    if ends_on:
        assert found.evidence["request_ends_on"] == ends_on


def test_hearing_window_before_the_1996_law_is_not_judged():
    report = check(_hearing_case("1996-09-30", "1996-10-03"))
    assert one(report, "EC-HEARING-WINDOW", "national") is None


@pytest.mark.parametrize(
    "fields, outcome",
    [
        ({"hearing_waived": True}, "pass"),  # waived: decided at once
        ({"hearing_on": "2022-03-10"}, "pass"),  # decided on the hearing day
        ({"hearing_on": "2022-03-11"}, "violation"),  # decided the day before the hearing
        ({"hearing_on": "2022-03-09"}, "pass"),  # decided the day after
        ({"hearing_eligible": False}, None),  # no hearing could be asked for
        ({"procedure": "simple"}, None),  # the simple procedure has no hearing
    ],
)
def test_hearing_window_waiver_hearing_and_scope(fields, outcome):
    # Mon 2022-03-07 notice: the 5th working day is Mon 03-14; decided 03-10 (inside the window)
    report = check(_hearing_case("2022-03-07", "2022-03-10", **fields))
    found = one(report, "EC-HEARING-WINDOW", "national")
    assert (found.outcome if found else None) == outcome


@pytest.mark.parametrize(
    "received, decided, fields, outcome, due_field, due",
    [
        # simple procedure from 2024-01-01: 30 days (2024-01-01 + 30 = Wed 01-31)
        ("2024-01-01", "2024-01-30", {"procedure": "simple"}, "pass", "simple_due_on", "2024-01-31"),
        ("2024-01-01", "2024-01-31", {"procedure": "simple"}, "pass", "simple_due_on", "2024-01-31"),
        ("2024-01-01", "2024-02-01", {"procedure": "simple"}, "violation", "simple_due_on", "2024-01-31"),
        # received the day before: the 60 days (2023-12-31 + 60 = Thu 2024-02-29)
        ("2023-12-31", "2024-02-01", {"procedure": "simple"}, "pass", "due_on", "2024-02-29"),
        ("2023-12-31", "2024-02-29", {"procedure": "simple"}, "pass", "due_on", "2024-02-29"),
        ("2023-12-31", "2024-03-01", {"procedure": "simple"}, "violation", "due_on", "2024-02-29"),
        # suspension days not counted: Mon 2024-03-11 + 4 suspended + 30 = Sun 04-14 -> Mon 04-15
        ("2024-03-11", "2024-04-10", {"procedure": "simple"}, "pass", "simple_due_on", "2024-04-10"),
        ("2024-03-11", "2024-04-11", {"procedure": "simple"}, "violation", "simple_due_on", "2024-04-10"),
        (
            "2024-03-11",
            "2024-04-14",
            {"procedure": "simple", "suspended_days": 4},
            "pass",
            "simple_due_on",
            "2024-04-15",
        ),
        (
            "2024-03-11",
            "2024-04-15",
            {"procedure": "simple", "suspended_days": 4},
            "pass",
            "simple_due_on",
            "2024-04-15",
        ),
        (
            "2024-03-11",
            "2024-04-16",
            {"procedure": "simple", "suspended_days": 4},
            "violation",
            "simple_due_on",
            "2024-04-15",
        ),
        # ordinary procedure with suspension: 2023-06-01 + 10 + 60 = Thu 08-10
        ("2023-06-01", "2023-08-10", {"suspended_days": 10}, "pass", "due_on", "2023-08-10"),
        ("2023-06-01", "2023-08-11", {"suspended_days": 10}, "violation", "due_on", "2023-08-10"),
    ],
)
def test_reconsideration_simple_procedure_and_suspension(received, decided, fields, outcome, due_field, due):
    record = rec(
        "reconsideration_case",
        "rc-1",
        BEIJING,
        received_on=received,
        decided_on=decided,
        handlers=["李明", "王芳"],
        **fields,
    )
    found = one(check(record), "RC-DECISION-DEADLINE", "national")
    assert found.outcome == outcome
    assert found.evidence[due_field] == due


@pytest.mark.parametrize(
    "decided, document",
    [
        ("2023-12-31", "中华人民共和国行政复议法（1999年）"),
        ("2024-01-01", "中华人民共和国行政复议法（2023年修订）"),
        ("2024-01-02", "中华人民共和国行政复议法（2023年修订）"),
    ],
)
def test_reconsideration_cites_the_law_in_force_on_the_decision_day(decided, document):
    record = rec(
        "reconsideration_case", "rc-1", BEIJING, received_on="2023-12-01", decided_on=decided, handlers=["李明", "王芳"]
    )
    found = one(check(record), "RC-DECISION-DEADLINE", "national")
    assert found.outcome == "pass"
    assert found.citation.document == document


@pytest.mark.parametrize(
    "received, decided, outcome",
    [
        ("1999-09-01", "1999-09-30", None),  # decided before the 1999 law
        ("1999-09-01", "1999-10-01", "pass"),
        ("1999-08-01", "1999-10-08", "violation"),  # 60 days after 08-01 end 09-30 (Thu)
    ],
)
def test_reconsideration_deadline_from_the_1999_law(received, decided, outcome):
    record = rec(
        "reconsideration_case", "rc-1", BEIJING, received_on=received, decided_on=decided, handlers=["李明", "王芳"]
    )
    found = one(check(record), "RC-DECISION-DEADLINE", "national")
    assert (found.outcome if found else None) == outcome


# =========================================================================== 6. coverage warnings


def test_coverage_warning_for_a_chuxiong_document_after_the_packs_period():
    report = check(doc("cx-2024", published_on="2024-03-01", doc_number="楚市政发〔2024〕1号"))
    [warning] = coverage(report)
    assert warning.code == "coverage" and warning.record_id == "cx-2024"
    assert "chuxiong-2016" in warning.message
    assert "2016-12-29至2020-12-31" in warning.message
    assert "2024-03-01" in warning.message
    assert applied(report, "normative_document", "cx-2024") == ["national"]


@pytest.mark.parametrize(
    "published, warned",
    [
        ("2016-12-28", True),
        ("2016-12-29", False),
        ("2016-12-30", False),
        ("2020-12-31", False),
        ("2021-01-01", True),
    ],
)
def test_coverage_warning_at_the_chuxiong_boundaries(published, warned):
    report = check(doc(published_on=published))
    assert bool(coverage(report)) is warned


@pytest.mark.parametrize("published, warned", [("2022-08-15", True), ("2022-08-16", False), ("2022-08-17", False)])
def test_coverage_warning_at_the_hunan_boundary(published, warned):
    report = check(doc(region=HUNAN, published_on=published))
    warnings = coverage(report)
    assert bool(warnings) is warned
    if warned:
        assert "hunan-2021" in warnings[0].message and "2022-08-16至2025-12-31" in warnings[0].message


def test_coverage_warning_for_lvyuan_mentions_the_draft():
    report = check(doc("lv-1", region=LVYUAN, published_on="2022-06-01"))
    [warning] = coverage(report)
    assert warning.record_id == "lv-1"
    assert "lvyuan-2021" in warning.message
    assert "征求意见稿" in warning.message
    english = check(doc("lv-1", region=LVYUAN, published_on="2022-06-01"), lang="en")
    assert "consultation draft" in coverage(english)[0].message


def test_coverage_warning_for_a_region_without_a_local_ruleset():
    report = check(doc("bj-1", region=BEIJING, published_on="2018-06-01"))
    [warning] = coverage(report)
    assert warning.record_id == "bj-1"
    assert "110101" in warning.message
    assert "没有适用于行政区划110101的地方规则集" in warning.message


def test_no_coverage_warning_for_a_chuxiong_2018_document():
    report = check(doc(published_on="2018-06-01", doc_number="楚市政发〔2018〕1号"))
    assert coverage(report) == []


def test_no_coverage_warning_when_rulesets_are_named():
    records = [
        doc("cx-2024", published_on="2024-03-01"),
        doc("lv-1", region=LVYUAN, published_on="2022-06-01"),
        doc("bj-1", region=BEIJING, published_on="2018-06-01"),
    ]
    assert len(coverage(check(records))) == 3
    assert coverage(check(records, rulesets=["chuxiong-2016"])) == []
    assert coverage(check(records, rulesets=["national"])) == []


def test_coverage_warnings_do_not_make_input_errors():
    report = check(doc("bj-1", region=BEIJING, published_on="2018-06-01"))
    assert report.errors == []
    assert report.exit_code() in (0, 1)


# =========================================================================== 7. holidays past the loaded schedules


def test_filing_due_on_new_year_2027_moves_to_monday_and_is_provisional():
    # 2026-12-17 + 15 = Fri 2027-01-01 (元旦); 01-02/01-03 weekend: the period runs to Mon 01-04
    record = doc(published_on="2026-12-17", filed_on="2027-01-04")
    assert one(check(record, as_of="2027-02-01"), "ND-FILING-DEADLINE", "chuxiong-2016") is None  # outside the period
    found = one(check(record, as_of="2027-02-01", rulesets=["chuxiong-2016"]), "ND-FILING-DEADLINE", "chuxiong-2016")
    assert found.outcome == "pass"
    assert found.evidence["due_on"] == "2027-01-04"
    assert found.provisional
    assert found.evidence["provisional_years"] == [2027]


def test_late_filing_after_a_moved_provisional_deadline_says_so():
    record = doc(published_on="2026-12-17", filed_on="2027-01-05")
    found = one(check(record, as_of="2027-02-01", rulesets=["chuxiong-2016"]), "ND-FILING-DEADLINE", "chuxiong-2016")
    assert found.outcome == "violation"
    assert found.evidence["due_on"] == "2027-01-04"
    assert found.evidence["days_late"] == 1
    message = found.message("zh")
    assert "顺延至2027-01-04" in message
    assert "暂定" in message and "2027" in message
    assert found.provisional and found.evidence["provisional_years"] == [2027]


@pytest.mark.parametrize("as_of, outcome", [("2027-01-04", "pending"), ("2027-01-05", "violation")])
def test_not_filed_against_a_moved_provisional_deadline(as_of, outcome):
    record = doc(published_on="2026-12-17")
    found = one(check(record, as_of=as_of, rulesets=["chuxiong-2016"]), "ND-FILING-DEADLINE", "chuxiong-2016")
    assert found.outcome == outcome
    assert found.provisional
    assert "2027-01-04" in found.message("zh") and "暂定" in found.message("zh")


def test_a_deadline_inside_a_loaded_schedule_is_not_provisional():
    found = one(check(doc(published_on="2018-06-01", filed_on="2018-06-19")), "ND-FILING-DEADLINE", "chuxiong-2016")
    assert found.outcome == "pass"
    assert not found.provisional
    assert "provisional_years" not in found.evidence


def test_a_published_document_without_its_date_is_matched_by_region_alone_not_by_as_of():
    """README: a record with no key date is matched to packs by region alone. Checked in 2026, a
    Chuxiong document with no publication date still meets the Chuxiong rules, which say they cannot
    tell whether they were in force — it is never silently placed in the plan of the --as-of year."""
    from fzcheck.engine.evaluate.check import check_records
    from fzcheck.models.records import parse_record

    record = parse_record(
        {
            "kind": "normative_document",
            "id": "nodate",
            "region_code": "532301",
            "status": "in_force",
            "doc_number": "楚政发〔2018〕3号",
        }
    )
    report = check_records([record], as_of=dt.date(2026, 11, 23))
    assert "chuxiong-2016" in report.packs_applied["normative_document:nodate"]
    filing = [o for o in report.outcomes if o.rule_id == "ND-FILING-DEADLINE"]
    assert [o.outcome for o in filing] == ["indeterminate"]
    assert "无法确定行为发生时本规则是否已施行" in filing[0].message("zh")
    assert not report.coverage_warnings()
