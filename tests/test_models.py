import datetime as dt

import pytest

from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.models.records import (
    AGENCY_KIND_LABELS,
    ENUM_LABELS_ZH,
    ENUM_VALUES,
    FIELD_ALIASES,
    FIELD_LABELS_ZH,
    FIELD_TYPES,
    KIND_LABELS,
    RECORD_MODELS,
    Basis,
    EnforcementCase,
    InlineOfficer,
    NormativeDocument,
    RecordError,
    TrainingSession,
    parse_record,
    parse_record_and_extras,
    record_warnings,
)

SOURCE = SourceRef("docs.jsonl", 7)
COMMON = {"id": "r-1", "region_code": "532300"}

EXAMPLE = {
    "kind": "normative_document",
    "id": "cx-nd-1",
    "region_code": "532300",
    "agency": "楚雄州人民政府",
    "doc_number": "楚政发〔2018〕12号",
    "title": "楚雄州某某管理暂行办法",
    "published_on": "2018-06-01",
    "filed_on": "2018-06-10",
    "status": "in_force",
}


def issues(data, source=SOURCE):
    with pytest.raises(RecordError) as caught:
        parse_record(data, source)
    return [(issue.file, issue.line, issue.field, issue.message) for issue in caught.value.issues]


def test_example_record():
    record = parse_record(EXAMPLE, SOURCE)
    assert isinstance(record, NormativeDocument)
    assert record.source == SOURCE
    assert record.published_on == dt.date(2018, 6, 1)
    assert record.effective_from == dt.date(2018, 6, 1)
    assert record.interim is True
    assert record.doc_number_normalized == "楚政发〔2018〕12号"
    assert record.status == "in_force"


def test_chinese_keys_and_labels():
    record = parse_record(
        {
            "类型": "规范性文件",
            "编号": "cx-nd-2",
            "行政区划代码": "532301",
            "机关": "楚雄市人民政府",
            "文号": "楚市政发[2017]５号",
            "标题": "楚雄市某某办法",
            "公布日期": "2017年3月1日",
            "施行日期": "2017年4月1日",
            "有效期年限": "5",
            "暂行试行": "否",
            "设定处罚": "是",
            "状态": "已废止",
        }
    )
    assert record.kind == "normative_document"
    assert record.doc_number == "楚市政发[2017]５号"
    assert record.doc_number_normalized == "楚市政发〔2017〕5号"
    assert record.effective_from == dt.date(2017, 4, 1)
    assert record.validity_years == 5.0
    assert record.interim is False
    assert record.sets_penalty is True
    assert record.status == "repealed"


def test_models_accept_field_names_and_aliases_directly():
    by_alias = NormativeDocument.model_validate({"编号": 12, "行政区划代码": 532300, "公布日期": "2018-06-01"})
    by_name = NormativeDocument.model_validate({"id": "12", "region_code": "532300", "published_on": "2018-06-01"})
    assert by_alias == by_name
    assert by_alias.id == "12"


@pytest.mark.parametrize("raw_id", [12, 12.0, "12", " 12 "])
def test_numeric_ids_from_excel_become_strings(raw_id):
    assert parse_record({**EXAMPLE, "id": raw_id}).id == "12"


@pytest.mark.parametrize(
    "title, interim", [("某某暂行办法", True), ("某某办法（试行）", True), ("某某办法", False), (None, None)]
)
def test_interim_defaults_from_title(title, interim):
    data = {"kind": "normative_document", **COMMON, "title": title}
    assert parse_record(data).interim is interim


def test_stated_interim_and_effective_date_win():
    record = parse_record({**EXAMPLE, "interim": "N", "effective_from": "2018-07-01"})
    assert record.interim is False
    assert record.effective_from == dt.date(2018, 7, 1)


def test_blank_values_are_absent():
    record = parse_record({**EXAMPLE, "filed_on": "  ", "comment_exempt": "", "agency": None, "valid_until": "\u3000"})
    assert record.filed_on is None and record.comment_exempt is None and record.agency is None
    assert record.valid_until is None


@pytest.mark.parametrize(
    "kind_label, kind",
    [
        ("行政规范性文件", "normative_document"),
        ("规范性文件", "normative_document"),
        ("行政执法案件", "enforcement_case"),
        ("执法人员", "officer"),
        ("执法人员培训", "training_session"),
        ("行政复议案件", "reconsideration_case"),
        ("重大行政决策", "major_decision"),
        (" Officer ", "officer"),
    ],
)
def test_kind_labels(kind_label, kind):
    assert type(parse_record({"kind": kind_label, **COMMON})) is RECORD_MODELS[kind]


@pytest.mark.parametrize(
    "field, label, code",
    [
        ("status", "草稿", "draft"),
        ("status", "现行有效", "in_force"),
        ("status", "有效", "in_force"),
        ("status", "失效", "expired"),
        ("status", "废止", "repealed"),
        ("status", "IN_FORCE", "in_force"),
    ],
)
def test_status_labels(field, label, code):
    assert getattr(parse_record({"kind": "normative_document", **COMMON, field: label}), field) == code


@pytest.mark.parametrize(
    "label, code",
    [
        ("处罚", "penalty"),
        ("行政处罚", "penalty"),
        ("许可", "license"),
        ("行政强制", "compulsion"),
        ("征收", "levy"),
        ("检查", "inspection"),
        ("其他", "other"),
    ],
)
def test_action_type_labels(label, code):
    assert parse_record({"kind": "enforcement_case", **COMMON, "执法类别": label}).action_type == code


@pytest.mark.parametrize(
    "label, code", [("法律知识", "legal"), ("业务知识", "professional"), ("政治理论", "political"), ("其他", "other")]
)
def test_training_kind_labels(label, code):
    assert parse_record({"kind": "training_session", **COMMON, "培训类别": label}).training_kind == code


@pytest.mark.parametrize(
    "label, code", [("未评估", "none"), ("低", "low"), ("中", "medium"), ("高", "high"), ("none", "none")]
)
def test_risk_level_labels(label, code):
    assert parse_record({"kind": "major_decision", **COMMON, "风险等级": label}).risk_level == code


def test_enforcement_case_lists_from_one_cell():
    record = parse_record(
        {
            "kind": "enforcement_case",
            **COMMON,
            "执法人员": "cx-off-1、cx-off-2；cx-off-3",
            "全过程记录环节": "立案,调查取证，决定\n执行",
            "执法依据": "法律：《中华人民共和国行政处罚法》;规章:《某某办法》、楚政发（2018）12号;局务会议纪要",
            "罚款金额": "5000.50",
        }
    )
    assert record.officers == ["cx-off-1", "cx-off-2", "cx-off-3"]
    assert record.recorded_stages == ["filing", "investigation", "decision", "execution"]
    assert [(b.type, b.ref) for b in record.basis] == [
        ("law", "《中华人民共和国行政处罚法》"),
        ("rule", "《某某办法》"),
        ("normative_document", "楚政发（2018）12号"),
        ("other", "局务会议纪要"),
    ]
    assert record.basis[2].ref_normalized == "楚政发〔2018〕12号"
    assert record.fine_amount == 5000.5


def test_enforcement_case_structured_lists():
    record = parse_record(
        {
            "kind": "enforcement_case",
            **COMMON,
            "officers": ["off-1", 17, {"姓名": "张三", "执法证号": "53001", "证件有效期至": "2022年12月31日"}],
            "basis": [
                {"type": "meeting_minutes", "ref": "纪要"},
                {"类型": "法规", "引用": "条例"},
                {"ref": "湘政发[2020]3号"},
            ],
            "recorded_stages": ["filing", "decision"],
        }
    )
    assert record.officers[:2] == ["off-1", "17"]
    assert record.officers[2] == InlineOfficer(name="张三", cert_number="53001", cert_valid_until=dt.date(2022, 12, 31))
    assert [b.type for b in record.basis] == ["meeting_minutes", "regulation", "normative_document"]
    assert record.basis[2] == Basis(
        type="normative_document", ref="湘政发[2020]3号", ref_normalized="湘政发〔2020〕3号"
    )


def test_an_empty_officer_list_is_kept():
    assert parse_record({"kind": "enforcement_case", **COMMON, "officers": []}).officers == []


def test_reconsideration_handlers():
    record = parse_record(
        {
            "kind": "reconsideration_case",
            **COMMON,
            "承办人员": "王五、赵六",
            "重大复杂": "是",
            "受理日期": "2019.02.01",
            "决定日期": "二〇一九年三月二十日",
        }
    )
    assert record.handlers == ["王五", "赵六"]
    assert record.major is True
    assert record.decided_on == dt.date(2019, 3, 20)


@pytest.mark.parametrize(
    "days, start, end, expected",
    [
        (None, "2018-03-05", "2018-03-09", 5),
        ("3", "2018-03-05", "2018-03-09", 3),
        (None, "2018-03-05", None, None),
        (None, "2018-02-27", "2018-03-01", 3),
    ],
)
def test_training_days(days, start, end, expected):
    record = parse_record({"kind": "training_session", **COMMON, "days": days, "start_on": start, "end_on": end})
    assert isinstance(record, TrainingSession)
    assert record.days == (int(days) if days else None)
    assert record.effective_days == expected


def test_unknown_keys_are_returned_not_rejected():
    record, extras = parse_record_and_extras({**EXAMPLE, "备注": "已归档", "note": "x", "empty": ""}, SOURCE)
    assert record.id == "cx-nd-1"
    assert extras == ["备注", "note"]


def test_unknown_keys_of_a_bad_record_are_still_named():
    with pytest.raises(RecordError) as caught:
        parse_record({**EXAMPLE, "filed_on": "2019-02-30", "备注": "x"})
    assert caught.value.unknown_keys == ["备注"]


def test_headers_with_spaces_or_capitals_still_match():
    record, extras = parse_record_and_extras(
        {**EXAMPLE, " 公布 日期 ": "2018-06-02", "published_on": None, "status": "", "Status": "draft"}, SOURCE
    )
    assert record.published_on == dt.date(2018, 6, 2) and record.status == "draft" and extras == []


@pytest.mark.parametrize(
    "data, expected",
    [
        ({**EXAMPLE, "published_on": "2019-02-30"}, ("published_on", "invalid date '2019-02-30'")),
        ({**EXAMPLE, "公布日期": "2019-02-30", "published_on": ""}, ("公布日期", "invalid date '2019-02-30'")),
        (
            {**EXAMPLE, "kind": "foo"},
            (
                "kind",
                "unknown kind 'foo'; expected one of normative_document, "
                "enforcement_case, officer, training_session, reconsideration_case, "
                "major_decision, " + ", ".join(AGENCY_KIND_LABELS),
            ),
        ),
        ({k: v for k, v in EXAMPLE.items() if k != "kind"}, ("kind", "missing kind")),
        ({k: v for k, v in EXAMPLE.items() if k != "id"}, ("id", "missing id")),
        ({**EXAMPLE, "id": " "}, ("id", "missing id")),
        (
            {**EXAMPLE, "region_code": "5323"},
            ("region_code", "invalid region code '5323'; expected 6 digits (GB/T 2260)"),
        ),
        ({**EXAMPLE, "validity_years": "abc"}, ("validity_years", "expected a number, got 'abc'")),
        ({**EXAMPLE, "有效期年限": "五年"}, ("有效期年限", "expected a number, got '五年'")),
        (
            {**EXAMPLE, "interim": "maybe"},
            ("interim", "invalid boolean 'maybe'; expected true/false, 是/否, 1/0, Y/N or yes/no"),
        ),
        (
            {**EXAMPLE, "状态": "作废", "status": None},
            ("状态", "unknown status '作废'; expected one of draft, in_force, expired, repealed"),
        ),
        ({**EXAMPLE, "filed_on": 43262}, ("filed_on", "invalid date '43262'")),
        ({"kind": "training_session", **COMMON, "days": "2.5"}, ("days", "expected a whole number, got '2.5'")),
        ({"kind": "reconsideration_case", **COMMON, "handlers": 5}, ("handlers", "expected a list, got '5'")),
        (
            {"kind": "enforcement_case", **COMMON, "basis": [{"type": "法令", "ref": "x"}]},
            (
                "basis",
                "item 1 type: unknown basis type '法令'; expected one of law, regulation, rule, normative_document, "
                "meeting_minutes, other",
            ),
        ),
        (
            {"kind": "enforcement_case", **COMMON, "basis": "法律:行政处罚法;文件:某某"},
            (
                "basis",
                "item 2 type: unknown basis type '文件'; expected one of law, regulation, rule, normative_document, "
                "meeting_minutes, other",
            ),
        ),
        ({"kind": "enforcement_case", **COMMON, "basis": [{"type": "law"}]}, ("basis", "item 1: missing ref")),
        (
            {
                "kind": "enforcement_case",
                **COMMON,
                "officers": ["a", {"name": "张三", "cert_valid_until": "2020-13-01"}],
            },
            ("officers", "item 2 cert_valid_until: invalid date '2020-13-01'"),
        ),
        (
            {"kind": "enforcement_case", **COMMON, "全过程记录环节": "立案、归档"},
            (
                "全过程记录环节",
                "unknown recorded stage '归档'; expected one of filing, investigation, decision, execution",
            ),
        ),
        ({**EXAMPLE, "文号": "楚政发〔2018〕13号"}, ("文号", "given twice, as 'doc_number' and '文号'")),
    ],
)
def test_errors_name_file_line_field_in_plain_words(data, expected):
    assert issues(data) == [("docs.jsonl", 7, *expected)]


def test_every_bad_field_is_reported():
    found = issues({**EXAMPLE, "published_on": "2019-02-30", "filed_on": "明天", "status": "x", "region_code": 5323})
    assert [field for _, _, field, _ in found] == ["region_code", "published_on", "filed_on", "status"]


def test_errors_without_source_and_record_id():
    with pytest.raises(RecordError) as caught:
        parse_record({**EXAMPLE, "filed_on": "2019-02-30"})
    issue = caught.value.issues[0]
    assert (issue.file, issue.line, issue.record_id) == ("<input>", None, "cx-nd-1")
    assert "invalid date" in str(caught.value)


def test_field_tables_cover_every_field():
    for kind, model in RECORD_MODELS.items():
        assert set(FIELD_TYPES[kind]) == set(model.model_fields) - {"source"}
        assert set(FIELD_ALIASES[kind].values()) == set(model.model_fields) - {
            "source",
            "doc_number_normalized",
            "doc_number_suspect",
        }
        assert set(FIELD_TYPES[kind].values()) <= {"date", "bool", "str", "int", "number", "list"}
        assert kind in KIND_LABELS
    assert FIELD_TYPES["normative_document"]["published_on"] == "date"
    assert FIELD_TYPES["normative_document"]["status"] == "str"
    assert FIELD_TYPES["enforcement_case"]["basis"] == "list"
    assert FIELD_TYPES["training_session"]["days"] == "int"
    assert FIELD_TYPES["enforcement_case"]["fine_amount"] == "number"
    assert FIELD_ALIASES["normative_document"]["文号"] == "doc_number"
    assert FIELD_ALIASES["enforcement_case"]["重大执法决定"] == "major"
    assert FIELD_ALIASES["reconsideration_case"]["重大复杂"] == "major"
    assert ENUM_VALUES["normative_document"]["status"] == ("draft", "in_force", "expired", "repealed")


def test_records_md_fields_are_all_modelled():
    expected = {
        "normative_document": "doc_number title interim comment_start comment_end comment_exempt legality_review_on "
        "legality_review_passed collective_discussion_on hearing_required hearing_on "
        "sets_license sets_penalty sets_compulsion signed_on published_on effective_from "
        "valid_until validity_years filed_on status comment_shortened_reason",
        "enforcement_case": "case_number action_type officers opened_on notified_on decided_on extension_approved "
        "served_on published_on major legal_review_on legal_review_passed discretion_benchmark "
        "recorded_stages basis fine_amount procedure hearing_eligible hearing_waived hearing_on",
        "officer": "name exam_passed_on cert_number cert_issued_on cert_valid_until",
        "training_session": "officer_id start_on end_on days hours training_kind",
        "reconsideration_case": "received_on decided_on extension_approved handlers major procedure suspended_days",
        "major_decision": "title decided_on public_participation comment_start comment_end comment_shortened_reason "
        "expert_review risk_level risk_mitigated legality_review_on legality_review_passed "
        "collective_discussion_on hearing_required hearing_on execution_subject "
        "execution_deadline feedback_mechanism",
    }
    for kind, names in expected.items():
        assert set(names.split()) | {"kind", "id", "region_code", "agency"} <= set(FIELD_TYPES[kind])


def test_enforcement_case_model_is_registered():
    assert RECORD_MODELS["enforcement_case"] is EnforcementCase


CASE = {"kind": "enforcement_case", "id": "ec-1", "region_code": "532301"}
RECONSIDERATION = {"kind": "reconsideration_case", "id": "rc-1", "region_code": "220106"}


@pytest.mark.parametrize(
    "label, code",
    [
        ("simple", "simple"),
        ("简易程序", "simple"),
        ("当场处罚", "simple"),
        ("简易", "simple"),
        (" Simple ", "simple"),
        ("ordinary", "ordinary"),
        ("普通程序", "ordinary"),
        ("一般程序", "ordinary"),
        ("普通", "ordinary"),
    ],
)
def test_procedure_codes_and_labels(label, code):
    assert parse_record({**CASE, "procedure": label}).procedure == code
    assert parse_record({**CASE, "程序类型": label}).procedure == code
    assert parse_record({**RECONSIDERATION, "procedure": label}).procedure == code
    assert parse_record({**RECONSIDERATION, "审理程序": label}).procedure == code


def test_procedure_enum_is_registered_with_chinese_labels():
    assert ENUM_VALUES["enforcement_case"]["procedure"] == ("simple", "ordinary")
    assert ENUM_VALUES["reconsideration_case"]["procedure"] == ("simple", "ordinary")
    assert (ENUM_LABELS_ZH["simple"], ENUM_LABELS_ZH["ordinary"]) == ("简易程序", "普通程序")
    assert FIELD_LABELS_ZH["enforcement_case"]["procedure"] == "程序类型"
    assert FIELD_LABELS_ZH["reconsideration_case"]["procedure"] == "审理程序"


def test_absent_procedure_stays_none():
    """records.md: absent = ordinary in meaning; the rules decide, the model does not fill it in."""
    assert parse_record(CASE).procedure is None
    assert parse_record({**CASE, "procedure": ""}).procedure is None
    assert parse_record(RECONSIDERATION).procedure is None


def test_bad_procedure_names_the_field_as_written():
    assert issues({**CASE, "程序类型": "快速程序"}) == [
        ("docs.jsonl", 7, "程序类型", "unknown procedure '快速程序'; expected one of simple, ordinary")
    ]
    assert issues({**RECONSIDERATION, "procedure": 3}) == [
        ("docs.jsonl", 7, "procedure", "unknown procedure '3'; expected one of simple, ordinary")
    ]


def test_enforcement_case_hearing_fields_english_and_chinese():
    by_name = parse_record({**CASE, "hearing_eligible": True, "hearing_waived": "false", "hearing_on": "2019-05-06"})
    by_alias = parse_record({**CASE, "可申请听证": "是", "放弃听证": "否", "听证日期": "2019年5月6日"})
    assert by_name == by_alias
    assert (by_name.hearing_eligible, by_name.hearing_waived, by_name.hearing_on) == (True, False, dt.date(2019, 5, 6))
    assert issues({**CASE, "放弃听证": "也许"})[0][2:] == (
        "放弃听证",
        "invalid boolean '也许'; expected true/false, 是/否, 1/0, Y/N or yes/no",
    )
    assert issues({**CASE, "hearing_on": "20190230"})[0][2:] == ("hearing_on", "invalid date '20190230'")


@pytest.mark.parametrize("value, days", [(0, 0), (12, 12), ("12", 12), (12.0, 12), (" 7 ", 7)])
def test_suspended_days(value, days):
    assert parse_record({**RECONSIDERATION, "suspended_days": value}).suspended_days == days
    assert parse_record({**RECONSIDERATION, "中止天数": value}).suspended_days == days


@pytest.mark.parametrize(
    "value, message",
    [
        (-3, "expected 0 or more days, got '-3'"),
        ("-1", "expected 0 or more days, got '-1'"),
        (2.5, "expected a whole number, got '2.5'"),
        ("十天", "expected a whole number, got '十天'"),
    ],
)
def test_bad_suspended_days_name_the_field(value, message):
    assert issues({**RECONSIDERATION, "中止天数": value}) == [("docs.jsonl", 7, "中止天数", message)]
    assert issues({**RECONSIDERATION, "suspended_days": value}) == [("docs.jsonl", 7, "suspended_days", message)]


def test_normative_document_comment_shortened_reason():
    reason = "因突发事件需要紧急出台"
    assert parse_record({**EXAMPLE, "comment_shortened_reason": reason}).comment_shortened_reason == reason
    assert parse_record({**EXAMPLE, "缩短征求意见期限理由": f" {reason} "}).comment_shortened_reason == reason
    assert parse_record(EXAMPLE).comment_shortened_reason is None


def test_doc_number_as_printed_keeps_the_original_and_normalises_traditional_characters():
    record = parse_record({**EXAMPLE, "doc_number": "楚政通〔2024〕1號"})
    assert record.doc_number == "楚政通〔2024〕1號"
    assert record.doc_number_normalized == "楚政通〔2024〕1号"
    assert record.doc_number_suspect is False
    assert record_warnings(record.kind, record.__dict__) == []


@pytest.mark.parametrize("number, char, digit", [("楚政发〔2O18〕12号", "O", "0"), ("湘政发〔2018〕l2号", "l", "1")])
def test_ocr_damaged_doc_number_is_suspect_and_warned_about_never_corrected(number, char, digit):
    record, extras = parse_record_and_extras({**EXAMPLE, "文号": number, "doc_number": None}, SOURCE)
    assert extras == []
    assert record.doc_number == number and record.doc_number_normalized == number
    assert record.doc_number_suspect is True
    [(field, message)] = record_warnings(record.kind, record.__dict__)
    assert (field, message.text("zh")) == (
        "doc_number",
        f"文号“{number}”中“{char}”疑为识别错误（数字{digit}？），请核对原件",
    )
    assert message.text("en") == f"文号 '{number}': '{char}' may be misread by OCR (digit {digit}?); check the original"


def test_doc_number_suspect_is_computed_never_read():
    record, extras = parse_record_and_extras({**EXAMPLE, "doc_number_suspect": True}, SOURCE)
    assert record.doc_number_suspect is False and extras == ["doc_number_suspect"]
    assert parse_record({k: v for k, v in EXAMPLE.items() if k != "doc_number"}).doc_number_suspect is None


def test_compact_dates_in_any_date_field():
    record = parse_record({**EXAMPLE, "published_on": "20171116", "filed_on": 20171120})
    assert (record.published_on, record.filed_on) == (dt.date(2017, 11, 16), dt.date(2017, 11, 20))
    chinese = {key: value for key, value in EXAMPLE.items() if key != "published_on"}
    assert issues({**chinese, "公布日期": "20170230"}) == [("docs.jsonl", 7, "公布日期", "invalid date '20170230'")]
    assert issues({**EXAMPLE, "published_on": 43055})[0][3] == "invalid date '43055'"


@pytest.mark.parametrize(
    "field_name, value, ok",
    [
        ("decided_on", "1900-01-01", True),
        ("decided_on", "1899-12-31", False),
        ("decided_on", "2199-12-31", True),
        ("decided_on", "2200-01-01", False),
        ("decided_on", "9999-12-31", False),
        ("opened_on", "0001-06-01", False),
    ],
)
def test_event_dates_a_register_can_hold(field_name, value, ok):
    """A decision in year 9999 is a typo, and date arithmetic on it would overflow: an input error."""
    from fzcheck.models.records import RecordError, parse_record

    data = {"kind": "enforcement_case", "id": "e1", "region_code": "110105", field_name: value}
    if ok:
        assert parse_record(data).__dict__[field_name].isoformat() == value
    else:
        with pytest.raises(RecordError, match="date out of range"):
            parse_record(data)


def test_a_validity_end_may_be_written_far_ahead():
    """长期有效 is often written 9999-12-31: a validity end is only compared, never counted from."""
    from fzcheck.models.records import parse_record

    record = parse_record(
        {"kind": "normative_document", "id": "d1", "region_code": "110105", "valid_until": "9999-12-31"}
    )
    assert record.valid_until.year == 9999


def test_the_fast_lane_refuses_what_the_full_parse_refuses():
    from fzcheck.engine.speed.clean_records import clean_record_data

    base = {"kind": "enforcement_case", "id": "e1", "region_code": "110105"}
    assert clean_record_data({**base, "decided_on": "2199-12-31"}) is not None
    assert clean_record_data({**base, "decided_on": "2200-01-01"}) is None
    assert (
        clean_record_data({"kind": "officer", "id": "o1", "region_code": "110105", "cert_valid_until": "9999-12-31"})
        is not None
    )
