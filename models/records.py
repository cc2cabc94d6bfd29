"""The six record kinds of records.md as pydantic models, and :func:`parse_record`.

Input keys may be the English field names or their Chinese aliases (the headers of agencies'
registers); enum values may be the English codes or Chinese labels. :func:`parse_record`
turns one input mapping into a record, or raises :class:`RecordError` with one plain-language
:class:`InputIssue` per bad field (pydantic's own wording never reaches the user).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Annotated, Any, Literal, Protocol, cast

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    InstanceOf,
    Tag,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails

from ..messages import Items, Msg, Term
from .fields import (
    doc_number_ocr_warning,
    doc_number_suspect,
    looks_like_doc_number,
    normalize_doc_number,
    parse_bool,
    parse_date,
    parse_date_text,
    split_list,
)
from .issues import InputIssue, SourceRef
from .kinds import AGENCY_KINDS, KINDS, RECORD_KINDS


class _Type:
    """Marks a field's value type for FIELD_TYPES (what the rule condition checker sees)."""

    def __init__(self, name: str):
        self.name = name


class _Minimum:
    """Marks a number field's least allowed value for FIELD_MINIMUMS (the import's fast lane checks it too)."""

    def __init__(self, value: int):
        self.value = value


class _Bounds:
    """Marks a number field's allowed range for FIELD_BOUNDS (the import's fast lane checks it too)."""

    def __init__(self, low: float, high: float | None):
        self.low, self.high = low, high


def _optional(parse):
    def validate(value: Any) -> Any:
        return None if value is None else parse(value)

    return validate


#: Whole numbers a float holds exactly (2**53): beyond it a float's digits are no longer the ones written.
_EXACT_FLOAT = 1 << 53


def _identifier(value: Any) -> Any:
    """Ids arrive from Excel as numbers: 12 and 12.0 both mean "12". A float too large to hold its
    digits exactly (Excel keeps 15 significant digits) would give an id with other digits: refused."""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= _EXACT_FLOAT:
            raise ValueError(Msg("value.lost_digits", value=f"{value:.17g}"))
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_REGION_CODE = re.compile(r"\d{6}")


def _region_code(value: Any) -> Any:
    text = _identifier(value)
    if not isinstance(text, str) or not _REGION_CODE.fullmatch(text.strip()):
        raise ValueError(Msg("value.region_code", value=value))
    return text.strip()


#: enum code -> its Chinese label, for messages shown in Chinese (filled by _enum_parser)
ENUM_LABELS_ZH: dict[str, str] = {}


class EnumParser(Protocol):
    """What :func:`_enum_parser` makes: a function with its codes, labels and the validator of optional values."""

    codes: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]
    optional: Callable[[Any], str | None]

    def __call__(self, value: Any) -> str: ...


def _enum_parser(what: str, labels: dict[str, tuple[str, ...]]) -> EnumParser:
    """A validator mapping English codes and Chinese labels (any case, spaces ignored) to the code."""
    lookup = {code: code for code in labels}
    lookup.update({label: code for code, names in labels.items() for label in names})
    expected = Items(Term(f"{code}（{names[0]}）" if names else code, code) for code, names in labels.items())

    def to_code(value: Any) -> str:
        if isinstance(value, str):
            code = lookup.get(value) or lookup.get(value.strip().lower())
            if code is not None:
                return code
        raise ValueError(Msg("value.enum", what=Term.of(what), value=value, expected=expected))

    def optional(value: Any) -> str | None:
        code = lookup.get(value) if value.__class__ is str else None
        return code if code is not None or value is None else to_code(value)

    parser = cast(EnumParser, to_code)
    parser.codes = tuple(labels)
    parser.labels = labels
    parser.optional = optional
    ENUM_LABELS_ZH.update({code: names[0] for code, names in labels.items() if names})
    return parser


def _list_of(item_parser=None):
    """A list field: a real list, or one cell of text split on ; ； 、 , ， and new lines."""

    def validate(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            items: list = split_list(value)
        elif isinstance(value, (list, tuple)):
            items = [_identifier(item) for item in value]
        else:
            raise ValueError(Msg("value.not_list", value=value))
        return [item_parser(item) for item in items] if item_parser else items

    return validate


#: the agency registry and the registers of agency-level obligations: their Chinese names (models/kinds.py)
AGENCY_KIND_LABELS = {code: KINDS[code].names_zh for code in AGENCY_KINDS}
#: record kind -> its Chinese name
KIND_LABELS = {code: KINDS[code].name_zh for code in RECORD_KINDS}
_kind_code = _enum_parser("kind", {code: KINDS[code].names_zh for code in RECORD_KINDS})
_status = _enum_parser(
    "status",
    {
        "draft": ("草稿", "征求意见稿"),
        "in_force": ("现行有效", "有效"),
        "expired": ("失效", "已失效"),
        "repealed": ("废止", "已废止"),
    },
)
_action_type = _enum_parser(
    "action type",
    {
        "penalty": ("处罚", "行政处罚"),
        "license": ("许可", "行政许可"),
        "compulsion": ("强制", "行政强制"),
        "levy": ("征收", "行政征收"),
        "inspection": ("检查", "行政检查"),
        "other": ("其他",),
    },
)
_training_kind = _enum_parser(
    "training kind",
    {
        "legal": ("法律知识", "法律"),
        "professional": ("业务知识", "业务"),
        "political": ("政治理论", "政治"),
        "other": ("其他",),
    },
)
_risk_level = _enum_parser(
    "risk level", {"none": ("未评估",), "low": ("低", "低风险"), "medium": ("中", "中风险"), "high": ("高", "高风险")}
)
_basis_type = _enum_parser(
    "basis type",
    {
        "law": ("法律",),
        "regulation": ("行政法规", "地方性法规", "法规"),
        "rule": ("规章", "部门规章", "政府规章"),
        "normative_document": ("规范性文件", "行政规范性文件"),
        "meeting_minutes": ("会议纪要",),
        "other": ("其他",),
    },
)
_procedure = _enum_parser(
    "procedure", {"simple": ("简易程序", "当场处罚", "简易"), "ordinary": ("普通程序", "一般程序", "普通")}
)
_recorded_stage = _enum_parser(
    "recorded stage",
    {
        "filing": ("立案",),
        "investigation": ("调查", "调查取证"),
        "decision": ("决定", "审查决定"),
        "execution": ("执行",),
    },
)

#: Dates an event of a register can have: date arithmetic (deadlines, anniversaries) stays far from
#: Python's year 1–9999 limits, so a typo such as 9999-12-31 for a decision is an input error, not a crash.
EARLIEST_DATE, LATEST_EVENT_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
#: a validity end may be written far ahead (长期有效 as 9999-12-31): it is only compared, never counted from
LATEST_END_DATE = dt.date.max


def date_in_range(day: dt.date, latest: dt.date = LATEST_EVENT_DATE) -> dt.date:
    """``day`` if a register can hold it, else ValueError naming the range (the fast lane calls it too)."""
    if day < EARLIEST_DATE or day > latest:
        raise ValueError(
            Msg(
                "value.date_range", value=day.isoformat(), earliest=EARLIEST_DATE.isoformat(), latest=latest.isoformat()
            )
        )
    return day


@lru_cache(maxsize=1 << 16)
def _event_date_text(value: str) -> dt.date:
    return date_in_range(parse_date_text(value))


@lru_cache(maxsize=1 << 12)
def _end_date_text(value: str) -> dt.date:
    return date_in_range(parse_date_text(value), LATEST_END_DATE)


def _date(value: Any) -> dt.date | None:
    """One Python frame per date field: texts go straight to a cache (most dates repeat)."""
    if value.__class__ is str:
        return _event_date_text(value)
    return None if value is None else date_in_range(parse_date(value))


def _end_date(value: Any) -> dt.date | None:
    if value.__class__ is str:
        return _end_date_text(value)
    return None if value is None else date_in_range(parse_date(value), LATEST_END_DATE)


Date = Annotated[dt.date | None, BeforeValidator(_date), _Type("date")]
EndDate = Annotated[dt.date | None, BeforeValidator(_end_date), _Type("date")]
Bool = Annotated[bool | None, BeforeValidator(_optional(parse_bool)), _Type("bool")]
Text = Annotated[str | None, _Type("str")]
Number = Annotated[float | None, _Type("number")]
Int = Annotated[int | None, _Type("int")]
Identifier = Annotated[str | None, BeforeValidator(_identifier), _Type("str")]


def _shown_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _in_range(unit: str, low: float, high: float | None):
    """A validator refusing numbers below ``low`` or above ``high`` (None: no upper bound), naming the
    unit: a negative fine, day count or number of hours is an input error, and so is a count of days
    so large that date arithmetic with it would overflow."""

    def check(value: float | None) -> float | None:
        if value is None:
            return None
        if value < low:
            raise ValueError(
                Msg("value.at_least", low=_shown_number(low), unit=Term.of(unit), value=_shown_number(value))
            )
        if high is not None and value > high:
            raise ValueError(Msg("value.at_most", high=high, unit=Term.of(unit), value=_shown_number(value)))
        return value

    return check


#: Upper bounds: beyond them a value is a typo or hostile, never a register's (a training session of
#: more than a year, a reconsideration suspended for more than ten years, a document valid for more than
#: a century, a fine of more than ten trillion yuan); day and year counts this large would also overflow
#: the date arithmetic of the rules (``validity_years: 20171116`` ended a run). Hours are only added up
#: and compared: no upper bound.
MAX_TRAINING_DAYS = 366
MAX_SUSPENDED_DAYS = 3650
MAX_VALIDITY_YEARS = 100
MAX_FINE_AMOUNT = 10_000_000_000_000


def _bounded(type_name: str, unit: str, low: float, high: float | None, *markers: Any) -> tuple[Any, ...]:
    """The markers of a number field within [low, high] (``Annotated[int | None, *_bounded(...)]``)."""
    return (AfterValidator(_in_range(unit, low, high)), _Type(type_name), _Bounds(low, high), *markers)


#: A count of days a case was suspended: a whole number, 0 to 3650 (outside it an input error naming the field).
Days = Annotated[int | None, *_bounded("int", "days", 0, MAX_SUSPENDED_DAYS, _Minimum(0))]
TrainingDays = Annotated[int | None, *_bounded("int", "days", 0, MAX_TRAINING_DAYS)]
Hours = Annotated[float | None, *_bounded("number", "hours", 0, None)]
Years = Annotated[float | None, *_bounded("number", "years", 0, MAX_VALIDITY_YEARS)]
Yuan = Annotated[float | None, *_bounded("number", "yuan", 0, MAX_FINE_AMOUNT)]


def _enum(parser: EnumParser) -> tuple[Any, ...]:
    """The markers of an enum field (``Annotated[str | None, *_enum(parser)]``): codes or labels in, the code out."""
    return (BeforeValidator(parser.optional), _Type("str"), parser)


def zh(*aliases: str, default: Any = None) -> Any:
    """A field that also accepts the given Chinese keys (and, by populate_by_name, its own name)."""
    return Field(default, validation_alias=AliasChoices(*aliases))


_CONFIG = ConfigDict(
    populate_by_name=True, extra="ignore", coerce_numbers_to_str=True, str_strip_whitespace=True, allow_inf_nan=False
)


#: Validation context of input that :func:`parse_record` has already cleared of blanks.
_CLEANED = {"blanks_dropped": True}


def _drop_blanks(data: Any) -> Any:
    """Empty strings and None mean "absent": optional fields stay None, required ones are missing."""
    if isinstance(data, dict):
        return {
            key: value
            for key, value in data.items()
            if value is not None and not (value.__class__ is str and not value.strip())
        }
    return data


class InlineOfficer(BaseModel):
    """An officer named on a case without an officer record of their own."""

    model_config = _CONFIG
    name: Text = zh("姓名")
    cert_number: Text = zh("执法证号")
    cert_valid_until: EndDate = zh("证件有效期至")

    _blanks = model_validator(mode="before")(_drop_blanks)


_BASIS_SEPARATOR = re.compile(r"[:：]")


def _basis_from_text(text: str) -> dict[str, str]:
    """``类型:引用`` / ``type:ref``; plain text is a normative document if shaped like a 文号, else other."""
    parts = _BASIS_SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 2:
        return {"type": parts[0].strip(), "ref": parts[1].strip()}
    return {"ref": text.strip()}


class Basis(BaseModel):
    """One legal basis of an enforcement decision."""

    model_config = _CONFIG
    type: Annotated[str | None, *_enum(_basis_type)] = zh("类型", "依据类型")
    ref: str = zh("引用", "依据", "名称", default=...)
    ref_normalized: Annotated[str | None, _Type("str")] = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return _basis_from_text(data) if isinstance(data, str) else _drop_blanks(data)

    @model_validator(mode="after")
    def _derive(self) -> Basis:
        derive_basis_values(self.__dict__)
        return self


def derive_basis_values(values: dict[str, Any]) -> None:
    """A basis item's derived values, in place: its type when not given (a 文号-shaped ref is a
    normative document, anything else "other") and the normalised ref. Shared with the import's
    fast lane, which fills the same keys of a JSON-ready dict."""
    if values["type"] is None:
        values["type"] = "normative_document" if looks_like_doc_number(values["ref"]) else "other"
    values["ref_normalized"] = normalize_doc_number(values["ref"])


_OFFICER_REF_TAGS = ("id", "inline")


def _officer_ref_tag(value: Any) -> str:
    return "inline" if isinstance(value, (dict, InlineOfficer)) else "id"


OfficerRef = Annotated[
    Annotated[str, Tag("id")] | Annotated[InlineOfficer, Tag("inline")], Discriminator(_officer_ref_tag)
]


def _drop_blanks_unless_cleaned(data: Any, info: ValidationInfo) -> Any:
    return data if info.context is _CLEANED else _drop_blanks(data)


class Record(BaseModel):
    """Fields common to every kind.

    ``id`` is a string; numbers (ids typed into Excel) are converted, 12 and 12.0 both to "12".
    ``source`` is set by the reader, never taken from the input.
    """

    model_config = _CONFIG
    kind: str
    id: Annotated[str, BeforeValidator(_identifier), _Type("str")] = zh("编号", default=...)
    region_code: Annotated[str, BeforeValidator(_region_code), _Type("str")] = zh(
        "行政区划代码", "区划代码", default=...
    )
    agency: Text = zh("机关", "制定机关", "执法机关", "复议机关", "决策机关")
    source: InstanceOf[SourceRef] | None = Field(default=None, exclude=True)

    _blanks = model_validator(mode="before")(_drop_blanks_unless_cleaned)


#: the markers of every model's ``kind`` field (``Annotated[Literal["officer"], *_KIND]``): a label in, the code out
_KIND = (BeforeValidator(_kind_code), _Type("str"))


class NormativeDocument(Record):
    kind: Annotated[Literal["normative_document"], *_KIND] = "normative_document"
    doc_number: Text = zh("文号", "发文字号")
    doc_number_normalized: Annotated[str | None, _Type("str")] = None
    doc_number_suspect: Annotated[bool | None, _Type("bool")] = None
    title: Text = zh("标题", "文件名称")
    interim: Bool = zh("暂行试行")
    comment_start: Date = zh("征求意见开始日期")
    comment_end: Date = zh("征求意见结束日期")
    comment_exempt: Text = zh("免于征求意见理由")
    comment_shortened_reason: Text = zh("缩短征求意见期限理由")
    legality_review_on: Date = zh("合法性审查日期")
    legality_review_passed: Bool = zh("合法性审查结论")
    collective_discussion_on: Date = zh("集体讨论日期")
    hearing_required: Bool = zh("需听证")
    hearing_on: Date = zh("听证日期")
    sets_license: Bool = zh("设定许可")
    sets_penalty: Bool = zh("设定处罚")
    sets_compulsion: Bool = zh("设定强制")
    signed_on: Date = zh("成文日期")
    published_on: Date = zh("公布日期")
    effective_from: Date = zh("施行日期")
    valid_until: EndDate = zh("有效期至")
    validity_years: Years = zh("有效期年限")
    filed_on: Date = zh("报送备案日期", "备案日期")
    status: Annotated[str | None, *_enum(_status)] = zh("状态")

    @model_validator(mode="after")
    def _derive(self) -> NormativeDocument:
        derive_document_values(self.__dict__)  # plain stores skip pydantic's per-assignment machinery
        return self


def derive_document_values(values: dict[str, Any]) -> None:
    """records.md defaults, in place: interim from the title, effective_from = published_on; the
    normalised 文号 and whether it looks damaged by OCR (``doc_number_suspect``: letters for digits,
    :func:`~fzcheck.models.fields.doc_number_ocr_suspects`; never corrected). Shared with the import's
    fast lane, which fills the same keys of a JSON-ready dict (dates as ISO text: the rules only copy
    and test them for presence)."""
    if values["doc_number"] is not None:
        values["doc_number_normalized"] = normalize_doc_number(values["doc_number"])
        values["doc_number_suspect"] = doc_number_suspect(values["doc_number"])
    if values["interim"] is None and values["title"] is not None:
        values["interim"] = "暂行" in values["title"] or "试行" in values["title"]
    if values["effective_from"] is None:
        values["effective_from"] = values["published_on"]


class EnforcementCase(Record):
    """``officers`` holds officer ids or :class:`InlineOfficer` objects; a CSV/XLSX cell holds ids only."""

    kind: Annotated[Literal["enforcement_case"], *_KIND] = "enforcement_case"
    case_number: Text = zh("案号")
    action_type: Annotated[str | None, *_enum(_action_type)] = zh("执法类别")
    officers: Annotated[list[OfficerRef] | None, BeforeValidator(_list_of()), _Type("list")] = zh("执法人员")
    #: None when not given: records.md reads absent as ordinary, and the rules decide what that means
    procedure: Annotated[str | None, *_enum(_procedure)] = zh("程序类型")
    opened_on: Date = zh("立案日期")
    notified_on: Date = zh("告知日期")
    hearing_eligible: Bool = zh("可申请听证")
    hearing_waived: Bool = zh("放弃听证")
    hearing_on: Date = zh("听证日期")
    decided_on: Date = zh("决定日期")
    extension_approved: Bool = zh("延期批准")
    served_on: Date = zh("送达日期")
    published_on: Date = zh("公示日期")
    major: Bool = zh("重大执法决定")
    legal_review_on: Date = zh("法制审核日期")
    legal_review_passed: Bool = zh("法制审核结论")
    discretion_benchmark: Text = zh("裁量基准")
    recorded_stages: Annotated[list[str] | None, BeforeValidator(_list_of(_recorded_stage)), _Type("list")] = zh(
        "全过程记录环节"
    )
    basis: Annotated[list[Basis] | None, BeforeValidator(_list_of()), _Type("list")] = zh("执法依据")
    fine_amount: Yuan = zh("罚款金额")


class Officer(Record):
    kind: Annotated[Literal["officer"], *_KIND] = "officer"
    name: Text = zh("姓名")
    exam_passed_on: Date = zh("考试合格日期")
    cert_number: Text = zh("执法证号")
    cert_issued_on: Date = zh("发证日期")
    cert_valid_until: EndDate = zh("证件有效期至")


class TrainingSession(Record):
    """``days`` stays None when not given; :attr:`effective_days` counts the calendar days then."""

    kind: Annotated[Literal["training_session"], *_KIND] = "training_session"
    officer_id: Identifier = zh("执法人员编号")
    start_on: Date = zh("培训开始日期", "开始日期")
    end_on: Date = zh("培训结束日期", "结束日期")
    days: TrainingDays = zh("培训天数")
    hours: Hours = zh("学时")
    training_kind: Annotated[str | None, *_enum(_training_kind)] = zh("培训类别")

    @property
    def effective_days(self) -> int | None:
        if self.days is not None:
            return self.days
        if self.start_on is None or self.end_on is None:
            return None
        return (self.end_on - self.start_on).days + 1


class ReconsiderationCase(Record):
    kind: Annotated[Literal["reconsideration_case"], *_KIND] = "reconsideration_case"
    received_on: Date = zh("受理日期")
    decided_on: Date = zh("决定日期")
    extension_approved: Bool = zh("延期批准")
    handlers: Annotated[list[str] | None, BeforeValidator(_list_of()), _Type("list")] = zh("承办人员")
    major: Bool = zh("重大复杂")
    #: None when not given (records.md: absent = ordinary; the rules decide)
    procedure: Annotated[str | None, *_enum(_procedure)] = zh("审理程序")
    #: days the case was suspended (中止), not counted in the decision period
    suspended_days: Days = zh("中止天数")
    #: agency-level rules (hunan-2021 cl.67, cl.68): the 复议机关 by registry id, the decision's publication, and
    #: whether the dispute was substantively resolved (实质化解: no lawsuit, no repeat application, or mediated)
    agency_id: Identifier = zh("复议机关编号")
    decision_published_on: Date = zh("决定公开日期")
    dispute_resolved: Bool = zh("实质化解")


class MajorDecision(Record):
    kind: Annotated[Literal["major_decision"], *_KIND] = "major_decision"
    title: Text = zh("决策事项")
    decided_on: Date = zh("决定日期")
    public_participation: Bool = zh("公众参与")
    comment_start: Date = zh("征求意见开始日期")
    comment_end: Date = zh("征求意见结束日期")
    comment_shortened_reason: Text = zh("缩短征求意见期限理由")
    expert_review: Bool = zh("专家论证")
    risk_level: Annotated[str | None, *_enum(_risk_level)] = zh("风险等级")
    risk_mitigated: Bool = zh("风险已化解")
    legality_review_on: Date = zh("合法性审查日期")
    legality_review_passed: Bool = zh("合法性审查结论")
    collective_discussion_on: Date = zh("集体讨论日期")
    hearing_required: Bool = zh("需听证")
    hearing_on: Date = zh("听证日期")
    execution_subject: Text = zh("执行主体")
    execution_deadline: Text = zh("执行时限")
    feedback_mechanism: Text = zh("执行反馈")


# --- Agency-level registers (issue #12, rule-catalog.md "Agency-level obligations") ---------------------
# The registry of governments and departments (``agency``) and the registers an agency keeps of what it
# did in a year. Each register row names its agency by ``agency_id`` (机关编号, the registry's 编号) or, where
# the register carries only names, by ``agency`` (机关名称) within ``region_code``: engine/subjects/agency_years.py
# matches them and warns of a name it cannot tell apart (docs/agency-years.md).

_agency_level = _enum_parser(
    "agency level",
    {
        "province": ("省级", "省"),
        "city": ("市级", "市州", "市"),
        "county": ("县级", "县市区", "县"),
        "township": ("乡镇", "乡级"),
    },
)
_agency_type = _enum_parser("agency type", {"government": ("人民政府", "政府"), "department": ("政府部门", "部门")})
_lawsuit_outcome = _enum_parser(
    "lawsuit outcome",
    {
        "lost": ("败诉",),
        "won": ("胜诉", "驳回诉讼请求"),
        "withdrawn": ("撤诉",),
        "settled": ("调解", "和解"),
        "other": ("其他",),
    },
)
_appearance_role = _enum_parser(
    "appearance role",
    {
        "head": ("负责人", "正职负责人", "主要负责人"),
        "deputy": ("副职负责人", "分管负责人"),
        "staff": ("工作人员", "委托工作人员"),
        "lawyer": ("律师", "委托律师"),
        "none": ("无人出庭", "未出庭"),
    },
)
_publication_type = _enum_parser(
    "publication type",
    {
        "filing_catalogue": ("备案目录", "规范性文件备案目录"),
        "decision_catalogue": ("决策事项目录", "重大行政决策目录"),
        "cleanup_result": ("清理结果", "文件清理结果"),
        "other": ("其他",),
    },
)
_supervision_type = _enum_parser(
    "supervision type",
    {
        "case_file_review": ("案卷评查", "行政执法案卷评查"),
        "filing_inspection": ("备案检查", "制定和备案管理检查"),
        "document_cleanup": ("文件清理", "规范性文件清理"),
        "meeting_report": ("常务会议听取汇报", "听取依法行政工作汇报"),
        "other": ("其他",),
    },
)
_study_type = _enum_parser(
    "study type",
    {
        "meeting_study": ("常务会议学法", "集体学法", "理论中心组学法"),
        "lecture": ("法治专题讲座", "专题讲座"),
        "training_course": ("法治专题培训", "专题培训班"),
        "rc_training": ("复议专项培训", "行政复议业务培训"),
        "other": ("其他",),
    },
)
_counsel_type = _enum_parser("counsel type", {"legal_adviser": ("法律顾问",), "public_lawyer": ("公职律师",)})
_recommendation_type = _enum_parser("recommendation type", {"judicial": ("司法建议",), "procuratorial": ("检察建议",)})


class AgencyRecord(Record):
    """A register row that belongs to one agency of the registry: by id, else by name in its region."""

    agency_id: Identifier = zh("机关编号")


class Agency(Record):
    """One government or department of the registry; ``name`` is matched against registers' 机关 column."""

    kind: Annotated[Literal["agency"], *_KIND] = "agency"
    name: Text = zh("机关名称", "名称")
    level: Annotated[str | None, *_enum(_agency_level)] = zh("层级", "行政层级")
    agency_type: Annotated[str | None, *_enum(_agency_type)] = zh("机关类别")
    existed_from: Date = zh("设立日期")
    existed_until: EndDate = zh("撤销日期")


class AnnualReport(AgencyRecord):
    kind: Annotated[Literal["annual_report"], *_KIND] = "annual_report"
    report_year: Int = zh("报告年度")
    submitted_on: Date = zh("报送日期")
    submitted_to: Text = zh("报送机关")
    published_on: Date = zh("公开日期")


class AdministrativeLawsuit(AgencyRecord):
    kind: Annotated[Literal["administrative_lawsuit"], *_KIND] = "administrative_lawsuit"
    case_number: Text = zh("案号")
    court: Text = zh("受理法院")
    filed_on: Date = zh("立案日期")
    hearing_on: Date = zh("开庭日期")
    appearance_required: Bool = zh("应当负责人出庭")
    appeared_role: Annotated[str | None, *_enum(_appearance_role)] = zh("出庭人员身份")
    appeared_person: Text = zh("出庭人员")
    concluded_on: Date = zh("结案日期")
    lawsuit_outcome: Annotated[str | None, *_enum(_lawsuit_outcome)] = zh("裁判结果")


class Publication(AgencyRecord):
    kind: Annotated[Literal["publication"], *_KIND] = "publication"
    publication_type: Annotated[str | None, *_enum(_publication_type)] = zh("公开事项类别")
    title: Text = zh("标题")
    covers_year: Int = zh("所属年度")
    published_on: Date = zh("公开日期")


class SupervisionActivity(AgencyRecord):
    kind: Annotated[Literal["supervision_activity"], *_KIND] = "supervision_activity"
    activity_type: Annotated[str | None, *_enum(_supervision_type)] = zh("活动类别")
    title: Text = zh("活动名称")
    held_on: Date = zh("开展日期")
    finished_on: Date = zh("完成日期")


class StudySession(AgencyRecord):
    kind: Annotated[Literal["study_session"], *_KIND] = "study_session"
    study_type: Annotated[str | None, *_enum(_study_type)] = zh("学法形式")
    title: Text = zh("主题")
    held_on: Date = zh("举办日期")


class LegalCounsel(AgencyRecord):
    kind: Annotated[Literal["legal_counsel"], *_KIND] = "legal_counsel"
    counsel_name: Text = zh("顾问姓名")
    counsel_type: Annotated[str | None, *_enum(_counsel_type)] = zh("顾问类别")
    engaged_from: Date = zh("聘任开始日期")
    engaged_until: EndDate = zh("聘任结束日期")


class ReconsiderationStaff(AgencyRecord):
    kind: Annotated[Literal["reconsideration_staff"], *_KIND] = "reconsideration_staff"
    name: Text = zh("姓名")
    full_time: Bool = zh("专职")
    serving_from: Date = zh("任职开始日期")
    serving_until: EndDate = zh("任职结束日期")


class Recommendation(AgencyRecord):
    kind: Annotated[Literal["recommendation"], *_KIND] = "recommendation"
    recommendation_type: Annotated[str | None, *_enum(_recommendation_type)] = zh("建议类别")
    issued_by: Text = zh("提出机关")
    received_on: Date = zh("收到日期")
    reply_days: Annotated[int | None, *_bounded("int", "days", 1, MAX_SUSPENDED_DAYS)] = zh("回复期限天数")
    replied_on: Date = zh("书面回复日期")


class DisclosureRequest(AgencyRecord):
    kind: Annotated[Literal["disclosure_request"], *_KIND] = "disclosure_request"
    received_on: Date = zh("收到申请日期")
    extension_approved: Bool = zh("延期批准")
    answered_on: Date = zh("答复日期")


class PlanTask(AgencyRecord):
    kind: Annotated[Literal["plan_task"], *_KIND] = "plan_task"
    task_code: Text = zh("任务编号")
    title: Text = zh("任务名称")
    due_on: Date = zh("完成时限")
    done_on: Date = zh("完成日期")


AGENCY_MODELS = (
    Agency,
    AnnualReport,
    AdministrativeLawsuit,
    Publication,
    SupervisionActivity,
    StudySession,
    LegalCounsel,
    ReconsiderationStaff,
    Recommendation,
    DisclosureRequest,
    PlanTask,
)


RECORD_MODELS: dict[str, type[Record]] = {
    model.model_fields["kind"].default: model
    for model in (
        NormativeDocument,
        EnforcementCase,
        Officer,
        TrainingSession,
        ReconsiderationCase,
        MajorDecision,
        *AGENCY_MODELS,
    )
}

#: Fields filled in by the models, never read from the input.
_COMPUTED = {"source", "doc_number_normalized", "doc_number_suspect"}


def _aliases(model: type[BaseModel]) -> dict[str, str]:
    names: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if name in _COMPUTED:
            continue
        names[name] = name
        if isinstance(info.validation_alias, AliasChoices):
            names.update({alias: name for alias in info.validation_alias.choices if isinstance(alias, str)})
    names.setdefault("类型", "kind")
    return names


def _marker(info: Any, cls: type) -> Any:
    return next((item for item in info.metadata if isinstance(item, cls)), None)


FIELD_ALIASES: dict[str, dict[str, str]] = {kind: _aliases(model) for kind, model in RECORD_MODELS.items()}
#: kind -> field -> the field's Chinese name (its first Chinese alias), for messages shown in Chinese
FIELD_LABELS_ZH: dict[str, dict[str, str]] = {
    kind: {name: alias for alias, name in reversed(list(aliases.items())) if not alias.isascii()}
    for kind, aliases in FIELD_ALIASES.items()
}
FIELD_TYPES: dict[str, dict[str, str]] = {
    kind: {name: _marker(info, _Type).name for name, info in model.model_fields.items() if name != "source"}
    for kind, model in RECORD_MODELS.items()
}
#: Allowed codes of the enum fields, per kind: lets the condition checker reject `status == 'drafts'`.
ENUM_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {
        name: parser.codes
        for name, info in model.model_fields.items()
        if (parser := next((m for m in info.metadata if hasattr(m, "codes")), None)) is not None
    }
    for kind, model in RECORD_MODELS.items()
}
#: Least allowed values of number fields, per kind (the import's fast lane refuses what the models refuse).
FIELD_MINIMUMS: dict[str, dict[str, int]] = {
    kind: {
        name: marker.value
        for name, info in model.model_fields.items()
        if (marker := _marker(info, _Minimum)) is not None
    }
    for kind, model in RECORD_MODELS.items()
}
#: Allowed ranges of number fields as (least, greatest or None), per kind: what the models refuse
#: (``fine_amount`` -5, ``days`` 2**63), the import's fast lane refuses too.
FIELD_BOUNDS: dict[str, dict[str, tuple[float, float | None]]] = {
    kind: {
        name: (marker.low, marker.high)
        for name, info in model.model_fields.items()
        if (marker := _marker(info, _Bounds)) is not None
    }
    for kind, model in RECORD_MODELS.items()
}
_NESTED_ALIASES = {**_aliases(Basis), **_aliases(InlineOfficer)}
_NESTED_LABELS_ZH = {name: alias for alias, name in reversed(list(_NESTED_ALIASES.items())) if not alias.isascii()}
_KIND_KEYS = tuple(key for key, name in FIELD_ALIASES["normative_document"].items() if name == "kind")
_KEY_SPACES = re.compile(r"\s+")


def _loose_key(key: Any) -> str:
    return _KEY_SPACES.sub("", str(key)).lower()


_LOOSE_KIND_KEYS = {_loose_key(key) for key in _KIND_KEYS}
_LOOSE_ALIASES = {
    kind: {_loose_key(key): name for key, name in aliases.items()} for kind, aliases in FIELD_ALIASES.items()
}


class RecordError(ValueError):
    """A record that cannot be read; ``issues`` names each bad field, ``unknown_keys`` the ignored ones."""

    def __init__(self, issues: list[InputIssue], unknown_keys: list[str] | None = None):
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues
        self.unknown_keys = unknown_keys or []


def _blank(value: Any) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _shown(value: Any) -> Msg:
    if isinstance(value, dict):
        return Msg("shown.object")
    if isinstance(value, list):
        return Msg("shown.list")
    return Msg("shown.value", value=value)


def field_term(name: str, kind: str | None = None) -> Term:
    """A field as messages name it: its Chinese label (models' first Chinese alias) in Chinese, its
    name in English; a name no kind has is itself in both."""
    kinds = [kind] if kind in FIELD_LABELS_ZH else list(FIELD_LABELS_ZH)
    label = next((FIELD_LABELS_ZH[each][name] for each in kinds if name in FIELD_LABELS_ZH[each]), None)
    if label is None:
        label = _NESTED_LABELS_ZH.get(name)
    return Term(label or name, name)


def missing_message(name: str, kind: str | None = None) -> Msg:
    """``缺少编号`` / ``missing id``."""
    return Msg("value.missing", field=field_term(name, kind))


def _message(error: ErrorDetails, field: str, kind: str | None = None) -> Msg:
    """Pydantic's error, translated from its error type, as a catalog message (the field named by its
    Chinese label in Chinese): pydantic's own wording never reaches the user."""
    error_type, value = error["type"], error.get("input")
    if error_type == "missing":
        return missing_message(field, kind)
    if error_type == "value_error":
        raised = error["ctx"]["error"]
        given = raised.args[0] if getattr(raised, "args", None) else None
        return given if isinstance(given, Msg) else Msg("value.invalid", value=Msg("shown.value", value=value))
    if error_type.startswith("int_"):
        return Msg("value.int", value=_shown(value))
    if error_type.startswith(("float_", "finite_", "decimal_")):
        return Msg("value.number", value=_shown(value))
    if error_type.startswith("string_"):
        return Msg("value.text", value=_shown(value))
    if error_type in ("list_type", "iterable_type"):
        return Msg("value.list", value=_shown(value))
    if error_type in ("model_type", "model_attributes_type", "dict_type"):
        return Msg("value.object", value=_shown(value))
    if error_type == "literal_error":
        return Msg("value.literal", value=_shown(value), expected=error["ctx"]["expected"])
    return Msg("value.invalid", value=_shown(value))


def _issues(
    exc: ValidationError,
    model_aliases: dict[str, str],
    written: dict[str, str],
    where: SourceRef | None,
    record_id: str | None,
    kind: str | None = None,
) -> list[InputIssue]:
    file, line = (where.file, where.line) if where else ("<input>", None)
    issues = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        name = model_aliases.get(str(loc[0]), str(loc[0])) if loc else None  # a field's name
        field = written.get(name, name) if name else None
        items: list[Msg | Term] = [Msg("value.item", index=part + 1) for part in loc[1:] if isinstance(part, int)]
        subfields = [
            _NESTED_ALIASES.get(part, part)
            for part in loc[1:]
            if isinstance(part, str) and part not in _OFFICER_REF_TAGS
        ]
        if error["type"] == "missing" and subfields:
            message, inside = missing_message(subfields.pop()), items
        else:
            message = _message(error, name or "value", kind)
            inside = items + [field_term(subfield) for subfield in subfields]
        if inside:
            message = Msg("value.inside", where=Items(inside, separator=" "), message=message)
        issues.append(InputIssue(file, line, field, message, record_id))
    return issues


def parse_record_and_extras(data: Mapping[str, Any], source: SourceRef | None) -> tuple[Record, list[str]]:
    """Like :func:`parse_record`, also returning the input keys that are no field of the record's kind.

    Unknown keys are ignored (the reader warns about them); blank values count as absent.
    """
    file, line = (source.file, source.line) if source else ("<input>", None)
    kind_key = next((key for key in _KIND_KEYS if not _blank(data.get(key))), None)
    if kind_key is None:
        kind_key = next(
            (key for key, value in data.items() if _loose_key(key) in _LOOSE_KIND_KEYS and not _blank(value)), None
        )
    raw_id = next((data[key] for key in ("id", "编号") if not _blank(data.get(key))), None)
    try:
        record_id = _identifier(raw_id) if raw_id is not None else None
        record_id = str(record_id) if record_id is not None else None
    except ValueError:  # a float id that lost digits, an integer too long to print: the id field's error says so
        record_id = None
    if kind_key is None:
        raise RecordError([InputIssue(file, line, "kind", missing_message("kind"), record_id)])
    try:
        kind = _kind_code(data[kind_key])
    except ValueError as exc:
        raise RecordError([InputIssue(file, line, kind_key, exc.args[0], record_id)]) from None

    model, aliases = RECORD_MODELS[kind], FIELD_ALIASES[kind]
    values: dict[str, Any] = {"kind": kind}
    written: dict[str, str] = {"kind": kind_key}
    extras: list[str] = []
    conflicts: list[InputIssue] = []
    for key, name in _field_names(kind, tuple(data)):
        value = data[key]
        if value is None or (value.__class__ is str and not value.strip()):
            if name is not None:
                written.setdefault(name, key)
            continue
        if name is None:
            extras.append(key)
        elif name == "kind":
            continue
        elif name in values:
            conflicts.append(
                InputIssue(file, line, key, Msg("record.given_twice", first=written[name], second=key), record_id)
            )
        else:
            values[name] = sys.intern(value) if name in _SHARED_TEXT_FIELDS and value.__class__ is str else value
            written[name] = key
    values["source"] = source
    try:
        record = model.model_validate(values, context=_CLEANED)
    except ValidationError as exc:
        found = conflicts + _issues(exc, aliases, written, source, record_id, kind)
        column: dict[str | None, int] = {key: index for index, key in enumerate(data)}
        raise RecordError(sorted(found, key=lambda issue: column.get(issue.field, len(column))), extras) from None
    if conflicts:
        raise RecordError(conflicts, extras)
    _share_fields_set(record)
    return record, extras


_KEY_PLANS: dict[tuple[str, tuple], tuple[tuple[Any, str | None], ...]] = {}


def _field_names(kind: str, keys: tuple) -> tuple[tuple[Any, str | None], ...]:
    """Each input key with the field it names (None: no field of the kind). Cached per key tuple,
    since every row of a register has the same headers."""
    plan = _KEY_PLANS.get((kind, keys))
    if plan is None:
        if len(_KEY_PLANS) > 4096:
            _KEY_PLANS.clear()
        aliases, loose = FIELD_ALIASES[kind], _LOOSE_ALIASES[kind]
        plan = _KEY_PLANS[(kind, keys)] = tuple(
            (key, aliases.get(key) if key in aliases else loose.get(_loose_key(key))) for key in keys
        )
    return plan


_FIELDS_SETS: dict[frozenset, set] = {}
#: text fields whose values repeat across a register: one shared string each
_SHARED_TEXT_FIELDS = frozenset({"region_code", "agency", "officer_id"})


def _share_fields_set(record: Record) -> None:
    """Records are never changed after parsing, so records given the same keys can share one
    fields-set object: it is the largest part of a model instance (about 2 KB of 3.5 KB), which
    matters for batches of 100,000 records."""
    fields_set = record.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(fields_set), fields_set)
    object.__setattr__(record, "__pydantic_fields_set__", shared)


def record_warnings(kind: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Input problems of a valid record that lose nothing but need a look, as (field, message): a
    文号 with letters where OCR misread digits (``doc_number_suspect``). ``values`` is a record's
    ``__dict__`` or its JSON data (the import's fast lane); readers and the importer make these
    warnings with file and line, as they do for unknown columns."""
    if kind == "normative_document" and values.get("doc_number_suspect"):
        message = doc_number_ocr_warning(values["doc_number"])
        if message is not None:
            return [("doc_number", message)]
    return []


def parse_record(data: Mapping[str, Any], source: SourceRef | None = None) -> Record:
    """One input mapping (English or Chinese keys) as a validated record of its ``kind``.

    Raises :class:`RecordError` listing every bad field; unknown keys are ignored.
    """
    return parse_record_and_extras(data, source)[0]


#: Column names registers use for a field under a name that is none of its aliases: the "did you
#: mean" of an unknown column proposes these first (data, listed in docs/records-fields.md). Keys
#: that are real aliases (备案日期 of filed_on) have no place here.
COLUMN_SYNONYMS: dict[str, str] = {
    "发布日期": "公布日期",
    "印发日期": "公布日期",
    "发文日期": "公布日期",
    "生效日期": "施行日期",
    "实施日期": "施行日期",
    "失效日期": "有效期至",
    "文件标题": "标题",
    "发文机关": "制定机关",
}


def _did_you_mean(kind: str | None, key: Any) -> tuple[str, str] | None:
    """The (column, field) an unknown column probably meant: a synonym of COLUMN_SYNONYMS, else the
    closest field name or alias of the kind (of every kind when the kind is not known)."""
    kinds = [kind] if kind in FIELD_ALIASES else list(FIELD_ALIASES)
    loose: dict[str, tuple[str, str]] = {}
    for each in kinds:
        for alias, name in FIELD_ALIASES[each].items():
            loose.setdefault(_loose_key(alias), (alias, name))
    synonym = COLUMN_SYNONYMS.get(_loose_key(key))
    if synonym is not None and _loose_key(synonym) in loose:
        return loose[_loose_key(synonym)]
    close = difflib.get_close_matches(_loose_key(key), list(loose), n=1, cutoff=0.6)
    return loose[close[0]] if close else None


def unknown_key_warning(key: Any, noun: str = "column", kind: str | None = None) -> Msg:
    """``未知列“发布日期”，已忽略；是否应为“公布日期”（published_on）？`` /
    ``unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?``"""
    guess = _did_you_mean(kind, key)
    if guess is None:
        return Msg("unknown.ignored", noun=Term.of(noun), key=str(key))
    column, name = guess
    if column == name:
        return Msg("unknown.hint", noun=Term.of(noun), key=str(key), column=column)
    return Msg("unknown.hint_named", noun=Term.of(noun), key=str(key), column=column, name=name)


#: Fields every kind has: a column of them says nothing about the kind of a register.
_COMMON_FIELDS = frozenset({"kind", "id", "region_code", "agency"})


def kind_candidates(keys: Iterable[Any]) -> list[str]:
    """The kinds a header without a kind column can be read as: those that have every column that
    names a field of some kind and at least two that are not common to all kinds. One kind: the
    register is of that kind; several or none: it cannot be told."""
    known = [key for key in keys if any(_loose_key(key) in _LOOSE_ALIASES[kind] for kind in _LOOSE_ALIASES)]
    specific = [
        key
        for key in known
        if not any(_LOOSE_ALIASES[kind].get(_loose_key(key)) in _COMMON_FIELDS for kind in _LOOSE_ALIASES)
    ]
    if len(specific) < 2:  # one column is too little to tell a register's kind by
        return []
    return [kind for kind, loose in _LOOSE_ALIASES.items() if all(_loose_key(key) in loose for key in known)]


def has_kind_key(keys: Iterable[Any]) -> bool:
    """Whether a header has a kind column (类型, kind, in any case or spacing)."""
    return any(_loose_key(key) in _LOOSE_KIND_KEYS for key in keys)


def kind_given(data: Mapping[str, Any]) -> bool:
    """Whether a row has a kind value (not blank) under a kind key."""
    return any(_loose_key(key) in _LOOSE_KIND_KEYS and not _blank(value) for key, value in data.items())


def id_given(data: Mapping[str, Any]) -> bool:
    """Whether a row has an id value (not blank) under an id key."""
    return any(_loose_key(key) in _LOOSE_ID_KEYS and not _blank(value) for key, value in data.items())


_LOOSE_ID_KEYS = {_loose_key(key) for key, name in FIELD_ALIASES["normative_document"].items() if name == "id"}


#: The kind code of a code or Chinese label (行政规范性文件 → normative_document); ValueError if none.
#: ``kind_code.labels``: kind -> the Chinese labels a kind column may hold.
kind_code = _kind_code
