"""The kinds of records and subjects, in one table: each kind's code, its names (Chinese, as registers
head it, then the aliases a register may use; English), its table in the records database, and the
date that places it in a pack's period (rule-catalog.md "Packs").

Record kinds (records.md) are read from registers and stored; subject kinds built from records
(``officer_year``, ``agency_year``: engine/subjects/) have no table. The record models themselves
are in ``models/records.py`` (``RECORD_MODELS``), their fields there too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    #: Chinese names: the first is how reports name the kind, every one is accepted in a kind column
    names_zh: tuple[str, ...]
    name_en: str
    #: the kind's table in the records database; None for a subject built from records
    table: str | None
    #: the fields whose first present value places a record in a pack's period
    key_dates: tuple[str, ...] = ()
    #: when the key date is the as-of day instead: a "draft" (a document not yet published) or
    #: "undated" (a decision not yet taken is judged as of today)
    as_of_when: str | None = None
    #: the record kinds a built subject is made from
    built_from: tuple[str, ...] = ()

    @property
    def name_zh(self) -> str:
        return self.names_zh[0]


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            "normative_document",
            ("行政规范性文件", "规范性文件"),
            "normative document",
            "normative_documents",
            ("published_on",),
            as_of_when="draft",
        ),
        Kind(
            "enforcement_case",
            ("行政执法案件", "执法案件"),
            "enforcement case",
            "enforcement_cases",
            ("decided_on", "opened_on"),
        ),
        Kind("officer", ("行政执法人员", "执法人员"), "officer", "officers", ("cert_issued_on", "exam_passed_on")),
        Kind("training_session", ("执法人员培训", "培训"), "training session", "training_sessions", ("start_on",)),
        Kind(
            "reconsideration_case",
            ("行政复议案件", "复议案件"),
            "reconsideration case",
            "reconsideration_cases",
            ("decided_on", "received_on"),
        ),
        Kind(
            "major_decision",
            ("重大行政决策", "重大决策"),
            "major decision",
            "major_decisions",
            ("decided_on",),
            as_of_when="undated",
        ),
        # the agency registry and the registers of agency-level obligations (rule-catalog.md
        # "Agency-level obligations"): key dates are those of the act the per-record rules judge (the
        # hearing for a court appearance, receipt for a recommendation or a disclosure request, the due
        # date for a plan task); agency-years themselves are placed by their calendar year
        Kind("agency", ("行政机关名录", "机关名录"), "agency", "agencies", ("existed_from",)),
        Kind(
            "annual_report",
            ("法治政府建设年度报告", "年度报告"),
            "annual report",
            "annual_reports",
            ("submitted_on", "published_on"),
        ),
        Kind(
            "administrative_lawsuit",
            ("行政诉讼案件", "行政应诉案件"),
            "administrative lawsuit",
            "administrative_lawsuits",
            ("hearing_on", "filed_on"),
        ),
        Kind("publication", ("公开发布事项", "公开发布"), "publication", "publications", ("published_on",)),
        Kind(
            "supervision_activity",
            ("监督检查活动", "监督活动"),
            "supervision activity",
            "supervision_activities",
            ("held_on", "finished_on"),
        ),
        Kind("study_session", ("领导干部学法", "学法活动"), "study session", "study_sessions", ("held_on",)),
        Kind("legal_counsel", ("法律顾问", "法律顾问聘任"), "legal counsel", "legal_counsels", ("engaged_from",)),
        Kind(
            "reconsideration_staff",
            ("行政复议人员", "复议人员"),
            "reconsideration staff",
            "reconsideration_staff",
            ("serving_from",),
        ),
        Kind(
            "recommendation",
            ("司法建议检察建议", "司法检察建议"),
            "recommendation",
            "recommendations",
            ("received_on",),
        ),
        Kind(
            "disclosure_request",
            ("依申请公开", "政府信息公开申请"),
            "disclosure request",
            "disclosure_requests",
            ("received_on",),
        ),
        Kind("plan_task", ("工作任务", "规划任务"), "plan task", "plan_tasks", ("due_on",)),
        # subjects built from records
        Kind(
            "officer_year",
            ("执法人员年度",),
            "officer year",
            None,
            ("year_start",),
            built_from=("officer", "training_session"),
        ),
        Kind("agency_year", ("机关年度",), "agency year", None, ("year_start",), built_from=("agency",)),
    )
}

#: kinds read from registers and stored, in records.md's order
RECORD_KINDS: tuple[str, ...] = tuple(code for code, kind in KINDS.items() if kind.table)
#: the agency registry and the agency-level registers (issue #12)
AGENCY_KINDS: tuple[str, ...] = RECORD_KINDS[RECORD_KINDS.index("agency") :]
