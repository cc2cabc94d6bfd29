"""Absent steps by standard (records.md "Outcomes"; cli.md ``--absent-steps``).

A required step with no record (a legality review, collective discussion, hearing, notice, legal
review, 文号, a comment window with no exemption) is ``indeterminate`` ("无法判定：未见…记录") by
default, and a ``violation`` that says so under the case-file review standard
(``absent_steps="violation"``, 案卷评查口径). Data a rule needs to reason at all (a publication or
decision date, the content flags, whether a hearing was required or could be asked for) stays
``indeterminate`` under both.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.models.records import parse_record

D = dt.date.fromisoformat
AS_OF = "2026-11-23"
CHUXIONG, PANJIN, HUNAN, LVYUAN, BEIJING = "532301", "211100", "430582", "220106", "110101"

DEFAULT_PREFIX = {"zh": "无法判定：未见", "en": "Cannot tell: no record of"}
CASE_FILE_SUFFIX = {
    "zh": "（案卷评查口径：未见记录即视为未履行）",
    "en": " (case-file review standard: no record counts as not done)",
}
STANDARDS = ("indeterminate", "violation")


def rec(kind, id, region, **fields):
    return parse_record(
        {"kind": kind, "id": id, "region_code": region, "agency": "某某机关", **fields}, SourceRef("test.json", 1)
    )


def nd(region, published, **fields):
    fields.setdefault("status", "in_force")
    fields.setdefault("title", "某某管理办法")
    if published:
        fields["published_on"] = published
    return rec("normative_document", "nd-1", region, **fields)


def ec(region, **fields):
    fields.setdefault("action_type", "penalty")
    return rec("enforcement_case", "ec-1", region, **fields)


def md(region, **fields):
    fields.setdefault("title", "城区公交线网优化调整方案")
    return rec("major_decision", "md-1", region, **fields)


def outcome_of(record, rule_id, ruleset, standard="indeterminate", as_of=AS_OF, rulesets=()):
    report = check_records([record], as_of=D(as_of), rulesets=list(rulesets), absent_steps=standard)
    found = [o for o in report.outcomes if o.rule_id == rule_id and o.ruleset == ruleset]
    assert len(found) == 1, (rule_id, ruleset, [(o.rule_id, o.ruleset) for o in report.outcomes])
    return found[0]


# (id, record, rule, pack, fields that would record the step, forced rulesets, a phrase of the rule's own message)
ND_FULL = {
    "doc_number": "某政发〔2018〕1号",
    "legality_review_on": "2018-05-10",
    "legality_review_passed": True,
    "collective_discussion_on": "2018-05-20",
    "hearing_required": False,
    "comment_start": "2018-03-01",
    "comment_end": "2018-03-30",
}


def _nd(region, published, drop, **extra):
    fields = {**ND_FULL, **extra}
    for name in drop:
        fields.pop(name, None)
    if published[:4] != "2018" and "doc_number" not in drop:
        fields["doc_number"] = f"某政发〔{published[:4]}〕1号"
    return nd(region, published, **fields)


ABSENT = [
    (
        "nd-legality-cx",
        _nd(CHUXIONG, "2018-06-01", ["legality_review_on", "legality_review_passed"]),
        "ND-LEGALITY-REVIEW",
        "chuxiong-2016",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "nd-legality-pj",
        _nd(
            PANJIN,
            "2012-06-01",
            ["legality_review_on", "legality_review_passed"],
            collective_discussion_on="2012-05-20",
            comment_start="2012-03-01",
            comment_end="2012-03-30",
        ),
        "ND-LEGALITY-REVIEW",
        "panjin-2010",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "nd-legality-hn",
        _nd(
            HUNAN,
            "2023-06-01",
            ["legality_review_on", "legality_review_passed"],
            collective_discussion_on="2023-05-20",
            comment_start="2023-03-01",
            comment_end="2023-03-30",
        ),
        "ND-LEGALITY-REVIEW",
        "hunan-2021",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "nd-legality-lv",
        _nd(
            LVYUAN,
            "2023-06-01",
            ["legality_review_on", "legality_review_passed"],
            collective_discussion_on="2023-05-20",
            comment_start="2023-03-01",
            comment_end="2023-03-30",
        ),
        "ND-LEGALITY-REVIEW",
        "lvyuan-2021",
        ["legality_review_on", "legality_review_passed"],
        ("lvyuan-2021",),
        "未经合法性审查",
    ),
    (
        "nd-discussion-cx",
        _nd(CHUXIONG, "2018-06-01", ["collective_discussion_on"]),
        "ND-COLLECTIVE-DISCUSSION",
        "chuxiong-2016",
        ["collective_discussion_on"],
        (),
        "未经集体讨论决定",
    ),
    (
        "nd-discussion-pj",
        _nd(
            PANJIN,
            "2012-06-01",
            ["collective_discussion_on"],
            legality_review_on="2012-05-10",
            comment_start="2012-03-01",
            comment_end="2012-03-30",
        ),
        "ND-COLLECTIVE-DISCUSSION",
        "panjin-2010",
        ["collective_discussion_on"],
        (),
        "未经集体讨论决定",
    ),
    (
        "nd-hearing-cx",
        _nd(CHUXIONG, "2018-06-01", [], hearing_required=True),
        "ND-HEARING",
        "chuxiong-2016",
        ["hearing_on"],
        (),
        "应听证而未听证",
    ),
    (
        "nd-number-cx",
        _nd(CHUXIONG, "2018-06-01", ["doc_number"]),
        "ND-DOC-NUMBER",
        "chuxiong-2016",
        ["doc_number"],
        (),
        "未编文号",
    ),
    (
        "nd-number-pj",
        _nd(PANJIN, "2012-06-01", ["doc_number"]),
        "ND-DOC-NUMBER",
        "panjin-2010",
        ["doc_number"],
        (),
        "未编文号",
    ),
    (
        "nd-number-hn",
        _nd(HUNAN, "2023-06-01", ["doc_number"]),
        "ND-DOC-NUMBER",
        "hunan-2021",
        ["doc_number"],
        (),
        "未编文号",
    ),
    (
        "nd-comment-cx",
        _nd(CHUXIONG, "2018-06-01", ["comment_start", "comment_end"]),
        "ND-COMMENT-REQUIRED",
        "chuxiong-2016",
        ["comment_start", "comment_end"],
        (),
        "未公开征求意见",
    ),
    (
        "nd-comment-pj",
        _nd(PANJIN, "2012-06-01", ["comment_start", "comment_end"]),
        "ND-COMMENT-REQUIRED",
        "panjin-2010",
        ["comment_start", "comment_end"],
        (),
        "未公开征求意见",
    ),
    (
        "ec-notice-national",
        ec(BEIJING, opened_on="2022-03-01", decided_on="2022-04-01"),
        "EC-NOTICE-BEFORE-DECISION",
        "national",
        ["notified_on"],
        (),
        "处罚决定前未告知当事人",
    ),
    (
        "ec-notice-national-1996",
        ec(BEIJING, opened_on="2010-03-01", decided_on="2010-04-01"),
        "EC-NOTICE-BEFORE-DECISION",
        "national",
        ["notified_on"],
        (),
        "处罚决定前未告知当事人",
    ),
    (
        "ec-notice-hn",
        ec(HUNAN, opened_on="2023-03-01", decided_on="2023-04-03"),
        "EC-NOTICE-BEFORE-DECISION",
        "hunan-2021",
        ["notified_on"],
        (),
        "处罚决定前未告知当事人",
    ),
    (
        "ec-review-national",
        ec(BEIJING, major=True, opened_on="2022-03-01", decided_on="2022-04-01"),
        "EC-MAJOR-LEGAL-REVIEW",
        "national",
        ["legal_review_on", "legal_review_passed"],
        (),
        "重大执法决定未经法制审核",
    ),
    (
        "ec-review-cx",
        ec(CHUXIONG, major=True, opened_on="2018-03-01", decided_on="2018-04-02"),
        "EC-MAJOR-LEGAL-REVIEW",
        "chuxiong-2016",
        ["legal_review_on", "legal_review_passed"],
        (),
        "重大执法决定未经法制审核",
    ),
    (
        "ec-review-hn",
        ec(HUNAN, major=True, opened_on="2023-03-01", decided_on="2023-04-03"),
        "EC-MAJOR-LEGAL-REVIEW",
        "hunan-2021",
        ["legal_review_on", "legal_review_passed"],
        (),
        "重大执法决定未经法制审核",
    ),
    (
        "ec-hearing-waiver",
        ec(BEIJING, hearing_eligible=True, opened_on="2022-02-01", notified_on="2022-03-07", decided_on="2022-03-08"),
        "EC-HEARING-WINDOW",
        "national",
        ["hearing_waived"],
        (),
        "未见当事人放弃听证的记录",
    ),
    (
        "md-legality-national",
        md(BEIJING, collective_discussion_on="2020-06-08", decided_on="2020-06-10"),
        "MD-LEGALITY-REVIEW",
        "national",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "md-legality-cx",
        md(CHUXIONG, collective_discussion_on="2018-06-08", decided_on="2018-06-10"),
        "MD-LEGALITY-REVIEW",
        "chuxiong-2016",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "md-legality-hn",
        md(HUNAN, collective_discussion_on="2023-06-08", decided_on="2023-06-12"),
        "MD-LEGALITY-REVIEW",
        "hunan-2021",
        ["legality_review_on", "legality_review_passed"],
        (),
        "未经合法性审查",
    ),
    (
        "md-discussion-national",
        md(BEIJING, legality_review_on="2020-06-01", legality_review_passed=True, decided_on="2020-06-10"),
        "MD-COLLECTIVE-DISCUSSION",
        "national",
        ["collective_discussion_on"],
        (),
        "未经集体讨论决定",
    ),
    (
        "md-discussion-cx",
        md(CHUXIONG, legality_review_on="2018-06-01", legality_review_passed=True, decided_on="2018-06-11"),
        "MD-COLLECTIVE-DISCUSSION",
        "chuxiong-2016",
        ["collective_discussion_on"],
        (),
        "未经集体讨论决定",
    ),
    (
        "md-hearing-cx",
        md(CHUXIONG, hearing_required=True, collective_discussion_on="2018-06-08", decided_on="2018-06-11"),
        "MD-HEARING",
        "chuxiong-2016",
        ["hearing_on"],
        (),
        "应听证而未听证",
    ),
]


@pytest.mark.parametrize(
    "record, rule_id, pack, missing, forced, phrase", [case[1:] for case in ABSENT], ids=[case[0] for case in ABSENT]
)
def test_an_absent_step_is_indeterminate_by_default(record, rule_id, pack, missing, forced, phrase):
    found = outcome_of(record, rule_id, pack, rulesets=forced)
    assert found.outcome == "indeterminate"
    assert found.message("zh").startswith(DEFAULT_PREFIX["zh"]), found.message("zh")
    assert found.message("en").startswith(DEFAULT_PREFIX["en"]), found.message("en")
    for name in missing:
        assert f"（{name}）" in found.message("zh")
        assert name in found.message("en")
    assert "--absent-steps violation" in found.message("zh")
    assert found.evidence["absent_steps"] == "indeterminate"
    assert found.evidence["missing"] == missing


@pytest.mark.parametrize(
    "record, rule_id, pack, missing, forced, phrase", [case[1:] for case in ABSENT], ids=[case[0] for case in ABSENT]
)
def test_an_absent_step_is_a_violation_under_the_case_file_standard(record, rule_id, pack, missing, forced, phrase):
    found = outcome_of(record, rule_id, pack, standard="violation", rulesets=forced)
    assert found.outcome == "violation"
    zh, en = found.message("zh"), found.message("en")
    if pack == "lvyuan-2021":  # a draft's note comes last
        zh = zh.removesuffix("（依据为征求意见稿，尚未正式印发）")
        en = en.removesuffix(" (based on a consultation draft, not an adopted plan)")
    assert zh.endswith(CASE_FILE_SUFFIX["zh"]), zh
    assert en.endswith(CASE_FILE_SUFFIX["en"]), en
    assert phrase in zh
    assert found.evidence["absent_steps"] == "violation"
    assert found.evidence["missing"] == missing


@pytest.mark.parametrize(
    "record, rule_id, pack, missing, forced, phrase", [case[1:] for case in ABSENT], ids=[case[0] for case in ABSENT]
)
def test_the_step_on_record_passes_under_both_standards(record, rule_id, pack, missing, forced, phrase):
    values = {
        name: value
        for name, value in record.__dict__.items()
        if name not in ("source", "doc_number_normalized", "doc_number_suspect") and value is not None
    }
    day = getattr(record, "decided_on", None) or record.published_on
    filled = {
        "legality_review_on": (day - dt.timedelta(days=20)).isoformat(),
        "legality_review_passed": True,
        "collective_discussion_on": (day - dt.timedelta(days=10)).isoformat(),
        "hearing_on": (day - dt.timedelta(days=15)).isoformat(),
        "doc_number": f"某政发〔{day.year}〕1号",
        "comment_start": (day - dt.timedelta(days=60)).isoformat(),
        "comment_end": (day - dt.timedelta(days=30)).isoformat(),
        "notified_on": (day - dt.timedelta(days=10)).isoformat(),
        "legal_review_on": (day - dt.timedelta(days=5)).isoformat(),
        "legal_review_passed": True,
        "hearing_waived": True,
    }
    if "collective_discussion_on" in values and "legality_review_on" in missing:
        filled["legality_review_on"] = (values["collective_discussion_on"] - dt.timedelta(days=5)).isoformat()
    if "collective_discussion_on" in values and "hearing_on" in missing:
        filled["hearing_on"] = (values["collective_discussion_on"] - dt.timedelta(days=5)).isoformat()
    values = {
        **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()},
        **{name: filled[name] for name in missing},
    }
    complete = parse_record(values, SourceRef("test.json", 1))
    for standard in STANDARDS:
        found = outcome_of(complete, rule_id, pack, standard=standard, rulesets=forced)
        assert found.outcome == "pass", (standard, found.message("zh"))
        assert "absent_steps" not in found.evidence


# --------------------------------------------------------------------------- facts stay indeterminate


FACTS = [
    # no publication date: the rules cannot place the act at all
    (
        "nd-no-publication-filing",
        nd(CHUXIONG, None, filed_on="2018-06-10"),
        "ND-FILING-DEADLINE",
        "chuxiong-2016",
        "2018-07-01",
    ),
    (
        "nd-no-publication-review",
        nd(CHUXIONG, None, collective_discussion_on="2018-05-20"),
        "ND-LEGALITY-REVIEW",
        "chuxiong-2016",
        "2018-07-01",
    ),
    (
        "nd-no-publication-discussion",
        nd(CHUXIONG, None, legality_review_on="2018-05-10", legality_review_passed=True),
        "ND-COLLECTIVE-DISCUSSION",
        "chuxiong-2016",
        "2018-07-01",
    ),
    # content flags not recorded
    ("nd-flags-cx", nd(CHUXIONG, "2018-06-01"), "ND-PROHIBITED-CONTENT", "chuxiong-2016", AS_OF),
    (
        "nd-flags-national",
        nd(BEIJING, "2018-06-01", sets_license=False, sets_penalty=False),
        "ND-PROHIBITED-CONTENT",
        "national",
        AS_OF,
    ),
    # whether a hearing was required is a fact, not a step
    ("nd-hearing-required-unknown", nd(CHUXIONG, "2018-06-01"), "ND-HEARING", "chuxiong-2016", AS_OF),
    # a review on record without its conclusion, or without its date
    (
        "nd-review-no-conclusion",
        nd(CHUXIONG, "2018-06-01", legality_review_on="2018-05-10"),
        "ND-LEGALITY-REVIEW",
        "chuxiong-2016",
        AS_OF,
    ),
    (
        "nd-review-no-date",
        nd(CHUXIONG, "2018-06-01", legality_review_passed=True),
        "ND-LEGALITY-REVIEW",
        "chuxiong-2016",
        AS_OF,
    ),
    (
        "ec-review-no-date",
        ec(BEIJING, major=True, legal_review_passed=True, opened_on="2022-03-01", decided_on="2022-04-01"),
        "EC-MAJOR-LEGAL-REVIEW",
        "national",
        AS_OF,
    ),
    # the kind of case or the party's right to a hearing unknown
    (
        "ec-type-unknown",
        ec(BEIJING, action_type=None, opened_on="2022-03-01", decided_on="2022-04-01"),
        "EC-NOTICE-BEFORE-DECISION",
        "national",
        AS_OF,
    ),
    (
        "ec-hearing-eligible-unknown",
        ec(BEIJING, opened_on="2022-02-01", notified_on="2022-03-07", decided_on="2022-03-08"),
        "EC-HEARING-WINDOW",
        "national",
        AS_OF,
    ),
]


@pytest.mark.parametrize("record, rule_id, pack, as_of", [case[1:] for case in FACTS], ids=[case[0] for case in FACTS])
def test_missing_facts_stay_indeterminate_under_both_standards(record, rule_id, pack, as_of):
    for standard in STANDARDS:
        found = outcome_of(record, rule_id, pack, standard=standard, as_of=as_of)
        assert found.outcome == "indeterminate", (standard, found.message("zh"))
        assert "absent_steps" not in found.evidence
        assert not found.message("zh").endswith(CASE_FILE_SUFFIX["zh"])


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_missed_filing_deadline_is_a_violation_under_both_standards(standard):
    found = outcome_of(nd(CHUXIONG, "2018-06-01"), "ND-FILING-DEADLINE", "chuxiong-2016", standard=standard)
    assert found.outcome == "violation"
    assert "absent_steps" not in found.evidence


@pytest.mark.parametrize("standard", STANDARDS)
def test_an_exemption_the_source_does_not_allow_is_a_violation_under_both_standards(standard):
    found = outcome_of(
        nd(CHUXIONG, "2018-06-01", comment_exempt="时间紧迫"), "ND-COMMENT-REQUIRED", "chuxiong-2016", standard=standard
    )
    assert found.outcome == "violation"
    assert "时间紧迫" in found.message("zh")
    assert "absent_steps" not in found.evidence


@pytest.mark.parametrize("standard", STANDARDS)
def test_an_absent_waiver_after_the_window_has_passed_is_no_finding(standard):
    # notice Mon 2022-03-07, the 5th working day Mon 03-14: a decision on 03-15 needs no waiver
    record = ec(
        BEIJING, hearing_eligible=True, opened_on="2022-02-01", notified_on="2022-03-07", decided_on="2022-03-15"
    )
    assert outcome_of(record, "EC-HEARING-WINDOW", "national", standard=standard).outcome == "pass"


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_report_records_the_standard(standard):
    report = check_records([nd(CHUXIONG, "2018-06-01")], as_of=D(AS_OF), absent_steps=standard)
    assert report.absent_steps == standard


def test_the_default_standard_is_indeterminate():
    report = check_records([nd(CHUXIONG, "2018-06-01")], as_of=D(AS_OF))
    assert report.absent_steps == "indeterminate"
    found = [o for o in report.outcomes if o.rule_id == "ND-DOC-NUMBER"]
    assert [o.outcome for o in found] == ["indeterminate"]


def test_an_unknown_standard_is_rejected():
    with pytest.raises(ValueError, match="absent_steps must be one of indeterminate, violation"):
        check_records([nd(CHUXIONG, "2018-06-01")], as_of=D(AS_OF), absent_steps="guess")


def test_the_case_file_standard_changes_only_absent_steps():
    records = [nd(CHUXIONG, "2018-06-01", filed_on="2018-06-10")]
    default = check_records(records, as_of=D(AS_OF))
    strict = check_records(records, as_of=D(AS_OF), absent_steps="violation")
    before = {(o.rule_id, o.ruleset): o for o in default.outcomes}
    after = {(o.rule_id, o.ruleset): o for o in strict.outcomes}
    assert before.keys() == after.keys()
    for key, outcome in before.items():
        if "absent_steps" in outcome.evidence:
            assert (outcome.outcome, after[key].outcome) == ("indeterminate", "violation"), key
        else:
            assert after[key].outcome == outcome.outcome, key
            assert after[key].messages == outcome.messages, key
    changed = sorted(key[0] for key, o in before.items() if "absent_steps" in o.evidence)
    assert changed == ["ND-COLLECTIVE-DISCUSSION", "ND-COMMENT-REQUIRED", "ND-DOC-NUMBER", "ND-LEGALITY-REVIEW"]
