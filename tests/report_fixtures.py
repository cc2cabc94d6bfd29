"""A hand-built Report covering every outcome, an input error, a warning and a record without a line;
provisional outcomes (a violation, and a pass listed only with --all), a coverage warning and the
calendar provenance.

The renderer golden files are rendered from it, never from live rule output, so they stay stable
when rule messages or the engine change; the tool version is fixed for the same reason.

The provisional outcomes fall in 2019, the year the fixture's calendar has no official schedule for
(as a run with a holiday table ending in 2018 would): published 2019-04-16, a filing period of 15
days ends on 2019-05-01, a statutory holiday by law; whether the next days were off as well is what
the State Council's schedule for 2019 (unknown here) decides.
"""

from __future__ import annotations

import datetime as dt

from fzcheck.engine.outcomes.counts import Placement
from fzcheck.engine.outcomes.results import (
    Citation,
    InputIssue,
    Outcome,
    Report,
    RulesetInfo,
    SourceRef,
)

TOOL_VERSION = "0.0.0-golden"

CHUXIONG_DOC = "楚雄州法治政府建设规划暨实施方案(2016—2020年)"
CHUXIONG_NUMBER = "楚委〔2016〕31号"


def chuxiong(clause: str, quote: str) -> Citation:
    return Citation(document=CHUXIONG_DOC, doc_number=CHUXIONG_NUMBER, clause=clause, quote=quote)


FILING = chuxiong("措施18", "制定机关在规范性文件公布或者印发之日起15日内依法报送上级行政机关备案")
COMMENT_PERIOD = chuxiong("措施16", "坚持通过网络、报纸等媒体向社会公开征求意见，期限一般不少于30日")
LEGALITY = chuxiong("措施17", "把规范性文件合法性审查、集体讨论决定等确定为规范性文件制定的必经程序")
CERTIFIED = chuxiong("措施32", "凡未经考试或者考试不合格的，一律不得颁发行政执法证，不得上岗执法")
TRAINING = chuxiong("措施32", "培训时间每年不少于2次，每次不少于3天")
PUBLISH = Citation(
    document="国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见",
    doc_number="国办发〔2018〕118号",
    clause="二、（六）加强事后公开",
    quote="行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开",
)
OFFICERS_MIN = Citation(
    document="中华人民共和国行政处罚法",
    doc_number=None,
    clause="第四十二条",
    quote="执法人员不得少于两人，法律另有规定的除外",
)

DOC_SOURCE = SourceRef("docs.jsonl", 3)
CASE_SOURCE = SourceRef("台账/执法案件 2019.xlsx", 5)
OFFICER_SOURCE = SourceRef("officers.yaml", None)
PROVISIONAL_DOC_SOURCE = SourceRef("docs.jsonl", 5)
UNCOVERED_CASE_SOURCE = SourceRef("kunming/cases.csv", 4)

#: the message of the fixture's coverage warning
COVERAGE_MESSAGE = "km-ec-3 仅按国家规则检查：没有适用于行政区划530102的地方规则集"

#: where the fixture's holiday data came from (LegalCalendar.provenance() of a run)
CALENDAR = {
    "package": "chinesecalendar",
    "package_version": "0.0.0-golden",
    "official_years": [2004, 2018],
    "user_files": [],
}


def outcome(
    outcome_name: str,
    rule_id: str,
    record: tuple[str, str, SourceRef | None],
    messages: dict[str, str],
    evidence: dict,
    citation: Citation,
    *,
    ruleset: str = "chuxiong-2016",
    severity: str = "error",
    title: dict[str, str] | None = None,
    waiver: dict | None = None,
) -> Outcome:
    kind, record_id, source = record
    return Outcome(
        outcome=outcome_name,
        rule_id=rule_id,
        ruleset=ruleset,
        severity=severity,
        record_kind=kind,
        record_id=record_id,
        source=source,
        messages=messages,
        evidence=evidence,
        citation=citation,
        title=title or {},
        waiver=waiver,
    )


def sample_report() -> Report:
    doc = ("normative_document", "cx-nd-late", DOC_SOURCE)
    case = ("enforcement_case", "cx-ec-007", CASE_SOURCE)
    officer_year = ("officer_year", "cx-off-1/2019", OFFICER_SOURCE)
    provisional_doc = ("normative_document", "cx-nd-0416", PROVISIONAL_DOC_SOURCE)
    uncovered_case = ("enforcement_case", "km-ec-3", UNCOVERED_CASE_SOURCE)
    outcomes = [
        outcome(
            "violation",
            "ND-FILING-DEADLINE",
            doc,
            {
                "zh": "备案逾期：2018-06-01公布，最迟应于2018-06-19（含当日，公布后15日内）报送备案，实际2018-06-20报送（逾期1日）",
                "en": "Filed late: published on 2018-06-01, to be filed no later than 2018-06-19 (inclusive; 15 days after publication), filed on 2018-06-20 (1 day late)",
            },
            {
                "published_on": dt.date(2018, 6, 1),
                "due_on": "2018-06-19",
                "filed_on": "2018-06-20",
                "days_late": 1,
                "limit_days": 15,
            },
            FILING,
            title={"zh": "规范性文件备案期限", "en": "Filing deadline"},
        ),
        outcome(
            "waived",
            "ND-COMMENT-PERIOD",
            doc,
            {"zh": "征求意见期限20日，少于30日", "en": "Comment window 20 days, under 30"},
            {"comment_days": 20, "min_days": 30},
            COMMENT_PERIOD,
            title={"zh": "征求意见期限", "en": "Comment period"},
            waiver={
                "reason": "防汛应急，经州政府批准缩短征求意见期限",
                "approver": "州司法局",
                "expires_on": "2019-12-31",
            },
        ),
        outcome(
            "pass",
            "ND-LEGALITY-REVIEW",
            doc,
            {"zh": "已于公布前通过合法性审查", "en": "Legality review passed before publication"},
            {"legality_review_on": "2018-05-20", "published_on": "2018-06-01"},
            LEGALITY,
        ),
        outcome(
            "indeterminate",
            "EC-OFFICER-CERTIFIED",
            case,
            {
                "zh": "执法人员 cx-off-9 没有人员记录，无法判定其执法证在2019-03-02是否有效",
                "en": "Officer cx-off-9 has no officer record; cannot tell whether the certificate "
                "was valid on 2019-03-02",
            },
            {"officer": "cx-off-9", "decided_on": "2019-03-02"},
            CERTIFIED,
            title={"zh": "执法人员持证上岗"},
        ),
        outcome(
            "violation",
            "EC-OFFICERS-MIN",
            case,
            {
                "zh": "执法人员仅1人（应不少于2人）|笔录签名：张三\n另附说明：100%未到场",
                "en": "Only 1 officer (at least 2 required) | record signed: Zhang San\nnote: 100% absent, see file",
            },
            {"officers": ["cx-off-1"], "min_officers": 2},
            OFFICERS_MIN,
            ruleset="national",
            title={"zh": "执法人员人数", "en": "Number of officers"},
        ),
        outcome(
            "pending",
            "TR-SESSIONS",
            officer_year,
            {
                "zh": "2019年度尚未结束：已参加培训1次（每年应不少于2次，每次不少于3天）",
                "en": "Year 2019 not over: 1 session so far (at least 2 of 3 days each required)",
            },
            {"year": 2019, "sessions": 1, "min_sessions": 2, "min_days": 3},
            TRAINING,
            severity="warning",
            title={"zh": "年度培训次数", "en": "Training sessions per year"},
        ),
        outcome(
            "violation",
            "ND-FILING-DEADLINE",
            provisional_doc,
            {
                "zh": "备案逾期：2019-04-16公布，最迟应于2019-05-02（含当日，公布后15日内）报送备案，实际2019-05-06报送（逾期4日）",
                "en": "Filed late: published on 2019-04-16, to be filed no later than 2019-05-02 (inclusive; 15 days after publication), filed on 2019-05-06 (4 days late)",
            },
            {
                "published_on": "2019-04-16",
                "due_on": "2019-05-02",
                "filed_on": "2019-05-06",
                "days_late": 4,
                "limit_days": 15,
                "provisional": True,
                "provisional_years": [2019],
            },
            FILING,
            title={"zh": "规范性文件备案期限", "en": "Filing deadline"},
        ),
        outcome(
            "pass",
            "EC-PUBLISH-DEADLINE",
            uncovered_case,
            {
                "zh": "已于2019-05-06公示，最迟应于2019-05-07（含当日）公示",
                "en": "Published on 2019-05-06, due no later than 2019-05-07 (inclusive)",
            },
            {
                "decided_on": "2019-04-25",
                "due_on": "2019-05-07",
                "published_on": "2019-05-06",
                "limit_working_days": 7,
                "provisional": True,
                "provisional_years": [2019],
            },
            PUBLISH,
            ruleset="national",
            title={
                "zh": "行政处罚、行政许可决定7个工作日内公示",
                "en": "Penalty and licence decisions published within 7 working days",
            },
        ),
    ]
    return Report(
        tool_version=TOOL_VERSION,
        as_of=dt.date(2019, 11, 23),
        rulesets=[
            RulesetInfo("chuxiong-2016", "1.0.0", "a" * 64, "楚雄州2016—2020"),
            RulesetInfo("national", "1.0.0", "b" * 64, "国家法律法规"),
        ],
        records=6,
        outcomes=outcomes,
        errors=[InputIssue("bad.jsonl", 1, "published_on", "无法识别的日期 '2019-02-30'")],
        warnings=[
            InputIssue("docs.jsonl", 3, "备注", "未知字段，已忽略", record_id="cx-nd-late"),
            InputIssue(
                UNCOVERED_CASE_SOURCE.file,
                UNCOVERED_CASE_SOURCE.line,
                None,
                COVERAGE_MESSAGE,
                record_id="km-ec-3",
                code="coverage",
            ),
        ],
        packs_applied={
            "normative_document:cx-nd-late": ["chuxiong-2016", "national"],
            "enforcement_case:cx-ec-007": ["chuxiong-2016", "national"],
            "officer_year:cx-off-1/2019": ["chuxiong-2016"],
            "normative_document:cx-nd-0416": ["chuxiong-2016", "national"],
            "enforcement_case:km-ec-3": ["national"],
        },
        calendar=CALENDAR,
    )


#: (kind, record id) -> (agency, month) of the fixture's records, as an audit places them
PLACEMENT = {
    ("normative_document", "cx-nd-late"): ("楚雄州人民政府", "2018-06"),
    ("enforcement_case", "cx-ec-007"): ("楚雄市市场监督管理局", "2019-03"),
    ("officer_year", "cx-off-1/2019"): ("楚雄市市场监督管理局", "2019-12"),
    ("normative_document", "cx-nd-0416"): ("楚雄州人民政府", "2019-04"),
    ("enforcement_case", "km-ec-3"): ("五华区市场监督管理局", "2019-04"),
}


def sample_audit_report():
    """The sample report as a stored audit run has it: passes counted, not listed (the HTML and XLSX
    reports render audit runs)."""
    from collections import Counter

    from fzcheck.engine.store.runs import AuditReport

    report = sample_report()
    counts: Counter = Counter()
    for o in report.outcomes:
        agency, month = PLACEMENT[(o.record_kind, o.record_id)]
        counts[(o.ruleset, o.rule_id, o.record_kind, agency, month, o.outcome)] += 1
    passes = [o for o in report.outcomes if o.outcome == "pass"]
    listed = [o for o in report.outcomes if o.outcome != "pass"]
    return AuditReport(
        tool_version=report.tool_version,
        as_of=report.as_of,
        rulesets=report.rulesets,
        records=report.records,
        outcomes=listed,
        errors=report.errors,
        warnings=report.warnings,
        packs_applied={},
        unlisted_provisional=sum(1 for o in passes if o.provisional),
        calendar=report.calendar,
        absent_steps=report.absent_steps,
        pass_count=len(passes),
        counts=counts,
        placement={key: Placement(*value) for key, value in PLACEMENT.items()},
        run_id=7,
        parameters={"as_of": report.as_of.isoformat()},
        subjects=5,
    )
