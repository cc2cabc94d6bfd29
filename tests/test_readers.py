import datetime as dt
import json
import os
import shutil
from pathlib import Path

import openpyxl

from fzcheck.engine.outcomes.results import InputIssue, SourceRef
from fzcheck.engine.sources.files import InputWarning, iter_rows, read_paths
from fzcheck.models.records import AGENCY_KIND_LABELS

DATA = Path(__file__).parent / "data" / "readers"


def where(issues, lang=None):
    """(file name, line, field, message): the message as its English str value, or in ``lang``."""
    return [
        (Path(issue.file).name, issue.line, issue.field, issue.text(lang) if lang else issue.message)
        for issue in issues
    ]


def ids(result):
    return [(record.id, Path(record.source.file).name, record.source.line) for record in result.records]


def test_csv_utf8_with_bom_and_chinese_headers():
    result = read_paths([DATA / "docs_utf8_bom.csv"])
    assert ids(result) == [("cx-nd-1", "docs_utf8_bom.csv", 2), ("cx-nd-3", "docs_utf8_bom.csv", 4)]
    first, third = result.records
    assert first.kind == "normative_document" and first.agency == "楚雄州人民政府"
    assert first.published_on == dt.date(2018, 6, 1) and first.filed_on == dt.date(2018, 6, 10)
    assert first.doc_number == "楚政发[2018]12号" and first.doc_number_normalized == "楚政发〔2018〕12号"
    assert first.interim is True and first.status == "in_force"
    assert third.published_on == dt.date(2017, 3, 17) and third.status == "repealed"
    assert third.doc_number_normalized == "楚市政发〔2017〕5号"
    assert where(result.errors) == [("docs_utf8_bom.csv", 3, "公布日期", "invalid date '2019-02-30'")]
    assert result.errors[0].record_id == "cx-nd-2"
    assert where(result.warnings) == [("docs_utf8_bom.csv", 1, "备注", "unknown column '备注' ignored")]


def test_csv_gb18030_from_chinese_excel():
    result = read_paths([DATA / "cases_gb18030.csv"])
    assert ids(result) == [("cx-ec-1", "cases_gb18030.csv", 2)]
    case = result.records[0]
    assert case.action_type == "penalty" and case.major is False and case.fine_amount == 5000
    assert case.officers == ["cx-off-1", "cx-off-2"]
    assert case.recorded_stages == ["filing", "investigation", "decision"]
    assert [(basis.type, basis.ref_normalized) for basis in case.basis] == [
        ("law", "《中华人民共和国行政处罚法》"),
        ("normative_document", "楚政发〔2018〕12号"),
    ]
    assert where(result.errors) == [
        (
            "cases_gb18030.csv",
            3,
            "执法类别",
            "unknown action type '罚款'; expected one of penalty, license, compulsion, levy, inspection, other",
        ),
        ("cases_gb18030.csv", 3, "罚款金额", "expected a number, got '一千元'"),
    ]
    assert result.warnings == []


def test_csv_without_bom_and_with_blank_rows(tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text(
        "kind,id,region_code,name,cert_valid_until\n"
        "officer,off-1,532300,张三,2020-12-31\n"
        ",,,,\n"
        "\n"
        'officer,off-2,532300,"李\n四",\n',
        encoding="utf-8",
    )
    result = read_paths([path])
    assert [(r.id, r.source.line) for r in result.records] == [("off-1", 2), ("off-2", 5)]
    assert result.records[1].cert_valid_until is None and result.records[1].name == "李\n四"
    assert result.errors == [] and result.warnings == []


def test_csv_row_without_kind_is_an_error(tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text("id,region_code,name\noff-1,532300,张三\n", encoding="utf-8")
    result = read_paths([path])
    assert result.records == []
    assert where(result.errors) == [("officers.csv", 2, "kind", "missing kind")]


def test_csv_duplicate_header_is_an_error(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("kind,id,region_code,文号,文号\nnormative_document,a,532300,x,y\n", encoding="utf-8")
    assert where(read_paths([path]).errors) == [("docs.csv", None, None, "duplicate column '文号'")]


def test_json_list_remembers_where_each_object_starts():
    result = read_paths([DATA / "docs_list.json"])
    assert ids(result) == [("cx-nd-1", "docs_list.json", 2), ("cx-nd-2", "docs_list.json", 14)]
    assert where(result.errors) == [
        (
            "docs_list.json",
            13,
            "kind",
            "unknown kind 'notice'; expected one of normative_document, enforcement_case, "
            "officer, training_session, reconsideration_case, major_decision, " + ", ".join(AGENCY_KIND_LABELS),
        ),
        ("docs_list.json", 18, "id", f"duplicate id 'cx-nd-1' (first at {DATA / 'docs_list.json'}:2)"),
    ]
    assert where(result.warnings) == [("docs_list.json", 14, "note", "unknown key 'note' ignored")]


def test_json_single_object_and_broken_json(tmp_path):
    single = tmp_path / "one.json"
    single.write_text('\n\n  {"kind": "officer", "id": "o-1", "region_code": "532300"}\n', encoding="utf-8")
    assert ids(read_paths([single])) == [("o-1", "one.json", 3)]

    broken = tmp_path / "broken.json"
    broken.write_text(
        '[\n {"kind": "officer", "id": "o-1", "region_code": "532300"},\n'
        ' {"kind": "officer", "id": "o-2", "region_code": "532300"}\n'
        ' {"kind": "officer", "id": "o-3"}\n]',
        encoding="utf-8",
    )
    result = read_paths([broken])
    assert ids(result) == [("o-1", "broken.json", 2), ("o-2", "broken.json", 3)]
    assert where(result.errors) == [("broken.json", 4, None, "invalid JSON at column 2: Expecting ',' delimiter")]


def test_json_list_items_must_be_objects(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text('[{"kind": "officer", "id": "o-1", "region_code": "532300"},\n 5,\n [1]]', encoding="utf-8")
    result = read_paths([path])
    assert ids(result) == [("o-1", "mixed.json", 1)]
    assert where(result.errors) == [
        ("mixed.json", 2, None, "expected an object (one record), got int"),
        ("mixed.json", 3, None, "expected an object (one record), got a list"),
    ]


def test_jsonl_broken_line_does_not_stop_the_file():
    result = read_paths([DATA / "cases.jsonl"])
    assert ids(result) == [("hn-ec-1", "cases.jsonl", 1), ("hn-ec-4", "cases.jsonl", 5)]
    assert where(result.errors) == [
        ("cases.jsonl", 2, None, "invalid JSON at column 112: Unterminated string starting at"),
        ("cases.jsonl", 4, "fine_amount", "expected a number, got 'abc'"),
    ]
    case = result.records[0]
    assert case.officers[0] == "hn-off-1" and case.officers[1].cert_valid_until == dt.date(2022, 12, 31)
    assert [basis.type for basis in case.basis] == ["law", "meeting_minutes"]


def test_yaml_documents_lists_and_lines():
    result = read_paths([DATA / "people.yaml"])
    assert ids(result) == [
        ("cx-off-1", "people.yaml", 2),
        ("cx-tr-1", "people.yaml", 10),
        ("cx-md-1", "people.yaml", 28),
    ]
    officer, training, decision = result.records
    assert officer.exam_passed_on == dt.date(2015, 5, 20) and officer.cert_number == "53000001"
    assert officer.cert_valid_until == dt.date(2020, 12, 31)
    assert training.region_code == "532300" and training.effective_days == 5 and training.training_kind == "legal"
    assert decision.public_participation is True and decision.risk_level == "medium" and decision.risk_mitigated
    assert where(result.errors) == [
        ("people.yaml", 18, "id", "missing id"),
        ("people.yaml", 22, "received_on", "invalid date '2019-02-29'"),
    ]
    assert result.errors[1].record_id == "010", "YAML 1.1 octal: id 010 must stay text"


def test_broken_yaml_keeps_earlier_documents(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("kind: officer\nid: o-1\nregion_code: '532300'\n---\nkind: officer\nid: [o-2\n", encoding="utf-8")
    result = read_paths([path])
    assert ids(result) == [("o-1", "bad.yml", 1)]
    assert len(result.errors) == 1 and result.errors[0].line == 7 and "invalid YAML" in result.errors[0].message


def write_workbook(path, rows, extra_sheet=None):
    """A small XLSX as Excel writes it: typed cells (dates, numbers), header in row 1."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "规范性文件"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet(extra_sheet[0]).append(extra_sheet[1])
    book.save(path)


def test_xlsx_first_sheet_with_date_cells(tmp_path):
    path = tmp_path / "台账.xlsx"
    write_workbook(
        path,
        [
            [
                "类型",
                "编号",
                "行政区划代码",
                "文号",
                "标题",
                "公布日期",
                "报送备案日期",
                "暂行试行",
                "有效期年限",
                "说明",
            ],
            ["规范性文件", 1, 532300, "楚政发[2018]12号", "某某办法", dt.datetime(2018, 6, 1), 43261, "否", 5, None],
            [None] * 10,
            ["规范性文件", 2, 532300, "楚政发[2018]13号", "某某规定", "2018/7/1", "2019-02-30", 1, "五", "补录"],
            ["规范性文件", 3.0, "532300", None, "某某细则", dt.date(2018, 8, 1), 2018, None, None, None],
        ],
        extra_sheet=("填表说明", ["本表由法制机构填写"]),
    )
    result = read_paths([path])
    assert ids(result) == [("1", "台账.xlsx", 2)]
    record = result.records[0]
    assert record.region_code == "532300" and record.published_on == dt.date(2018, 6, 1)
    assert record.filed_on == dt.date(2018, 6, 10), "serial 43261 in a date column"
    assert record.interim is False and record.validity_years == 5
    assert where(result.errors) == [
        ("台账.xlsx", 4, "报送备案日期", "invalid date '2019-02-30'"),
        ("台账.xlsx", 4, "有效期年限", "expected a number, got '五'"),
        ("台账.xlsx", 5, "报送备案日期", "invalid date '2018'"),
    ]
    assert where(result.warnings) == [
        ("台账.xlsx", None, None, "sheet '填表说明' ignored: only the first sheet is read"),
        ("台账.xlsx", 1, "说明", "unknown column '说明' ignored"),
    ]


def test_unreadable_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    result = read_paths([path])
    assert result.records == [] and len(result.errors) == 1
    assert result.errors[0].message.startswith("not a readable XLSX workbook")


def test_iter_rows_streams_raw_rows_and_issues():
    items = list(iter_rows(DATA / "cases.jsonl"))
    rows = [item for item in items if not isinstance(item, InputIssue)]
    problems = [item for item in items if isinstance(item, InputIssue)]
    assert [source for _, source in rows] == [SourceRef(str(DATA / "cases.jsonl"), line) for line in (1, 4, 5)]
    assert rows[1][0]["fine_amount"] == "abc"
    assert [problem.line for problem in problems] == [2]


def test_iter_rows_marks_warnings(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, [["kind", "id", "region_code"], ["officer", "o-1", "532300"]], ("Sheet2", ["x"]))
    items = list(iter_rows(path))
    assert isinstance(items[0], InputWarning)
    assert items[1] == ({"kind": "officer", "id": "o-1", "region_code": "532300"}, SourceRef(str(path), 2))


def test_folders_are_read_recursively_in_sorted_order_with_relative_paths(tmp_path, monkeypatch):
    root = tmp_path / "台账"
    (root / "b").mkdir(parents=True)
    (root / "a").mkdir()
    (root / ".git").mkdir()
    shutil.copy(DATA / "people.yaml", root / "b" / "people.yaml")
    shutil.copy(DATA / "cases.jsonl", root / "a" / "cases.jsonl")
    (root / "a" / "readme.txt").write_text("说明", encoding="utf-8")
    (root / ".git" / "x.json").write_text("[", encoding="utf-8")
    (root / "a" / "~$台账.xlsx").write_bytes(b"lock")
    monkeypatch.chdir(tmp_path)

    result = read_paths(["台账"])
    files = {record.source.file for record in result.records}
    assert files == {os.path.join("台账", "a", "cases.jsonl"), os.path.join("台账", "b", "people.yaml")}
    assert [record.id for record in result.records] == ["hn-ec-1", "hn-ec-4", "cx-off-1", "cx-tr-1", "cx-md-1"]
    assert [(issue.file, issue.message) for issue in result.warnings] == [
        (
            os.path.join("台账", "a", "readme.txt"),
            "skipped: not a JSON, JSON Lines, YAML, CSV, XLSX, Word (.docx) or "
            "PDF file (a .txt file in a folder is read only when named)",
        )
    ]
    assert len(result.errors) == 4


def test_relative_file_paths_are_reported_as_given(monkeypatch):
    monkeypatch.chdir(DATA)
    result = read_paths(["./cases.jsonl"])
    assert {record.source.file for record in result.records} == {"./cases.jsonl"}
    assert {error.file for error in result.errors} == {"./cases.jsonl"}


def test_missing_path_and_unsupported_file(tmp_path):
    # .txt is read as a document's text now (engine/sources/text), so the unsupported file is a .md
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    result = read_paths([tmp_path / "nowhere.json", tmp_path / "notes.md"])
    assert where(result.errors) == [
        ("nowhere.json", None, None, "no such file or folder"),
        (
            "notes.md",
            None,
            None,
            "unsupported file type; expected one of .json, .jsonl, .ndjson, .yaml, .yml, .csv, .xlsx",
        ),
    ]


def test_duplicate_ids_across_files_and_same_id_in_other_kinds(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"kind": "officer", "id": "x-1", "region_code": "532300"}\n'
        '{"kind": "training_session", "id": "x-1", "region_code": "532300"}\n',
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text("kind,id,region_code\nofficer,x-1,532300\n", encoding="utf-8")
    result = read_paths([tmp_path / "a.jsonl", tmp_path / "b.csv"])
    assert [(r.kind, r.id) for r in result.records] == [("officer", "x-1"), ("training_session", "x-1")]
    assert [(e.file, e.line, e.field, e.message) for e in result.errors] == [
        (str(tmp_path / "b.csv"), 2, "id", f"duplicate id 'x-1' (first at {tmp_path / 'a.jsonl'}:1)")
    ]


def test_non_utf8_json_is_an_error(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes('{"kind": "officer", "name": "张三"}'.encode("gb18030"))
    result = read_paths([path])
    assert result.records == [] and result.errors[0].message.startswith("not UTF-8 text")


def test_jsonl_line_that_is_not_utf8_is_an_error_and_the_others_are_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = b'{"kind": "officer", "id": "o-1", "region_code": "532300"}\n'
    bad = '{"kind": "officer", "id": "o-2", "name": "张三"}\n'.encode("gb18030")
    path.write_bytes(b"\xef\xbb\xbf" + good + bad + good.replace(b"o-1", b"o-3"))
    result = read_paths([path])
    assert ids(result) == [("o-1", "mixed.jsonl", 1), ("o-3", "mixed.jsonl", 3)]
    offset = 3 + len(good) + bad.index("张".encode("gb18030")) + 1
    assert where(result.errors) == [("mixed.jsonl", 2, None, f"not UTF-8 text (byte {offset})")]


# --- fields added with records.md's procedure/hearing/suspension update, compact dates, 文号 as printed ---

CASE_HEADERS_EN = "kind,id,region_code,procedure,hearing_eligible,hearing_waived,hearing_on,decided_on\n"
CASE_HEADERS_ZH = "类型,编号,行政区划代码,程序类型,可申请听证,放弃听证,听证日期,决定日期\n"


def write_lines(path, rows):
    import json

    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_csv_new_case_fields_with_english_and_chinese_headers(tmp_path):
    english, chinese = tmp_path / "en.csv", tmp_path / "zh.csv"
    english.write_text(
        CASE_HEADERS_EN + "enforcement_case,ec-1,532301,simple,true,false,2019-05-06,20190510\n"
        "enforcement_case,ec-2,532301,ordinary,0,,,\n",
        encoding="utf-8",
    )
    chinese.write_text(
        CASE_HEADERS_ZH + "执法案件,ec-1,532301,当场处罚,是,否,2019年5月6日,2019-05-10\n"
        "执法案件,ec-2,532301,一般程序,否,,,\n",
        encoding="utf-8",
    )
    for path in (english, chinese):
        result = read_paths([path])
        assert result.errors == [] and result.warnings == []
        first, second = result.records
        assert (first.procedure, first.hearing_eligible, first.hearing_waived) == ("simple", True, False)
        assert (first.hearing_on, first.decided_on) == (dt.date(2019, 5, 6), dt.date(2019, 5, 10))
        assert (second.procedure, second.hearing_eligible, second.hearing_waived, second.hearing_on) == (
            "ordinary",
            False,
            None,
            None,
        )


def test_jsonl_new_fields_with_english_and_chinese_keys(tmp_path):
    path = write_lines(
        tmp_path / "new.jsonl",
        [
            {
                "kind": "enforcement_case",
                "id": "ec-1",
                "region_code": "532301",
                "procedure": "简易程序",
                "hearing_eligible": False,
                "hearing_on": 20190506,
            },
            {
                "类型": "执法案件",
                "编号": "ec-2",
                "行政区划代码": "532301",
                "程序类型": "普通",
                "可申请听证": "是",
                "放弃听证": "是",
            },
            {
                "kind": "reconsideration_case",
                "id": "rc-1",
                "region_code": "220106",
                "procedure": "simple",
                "suspended_days": 10,
            },
            {"类型": "复议案件", "编号": "rc-2", "行政区划代码": "220106", "审理程序": "普通程序", "中止天数": "0"},
            {"kind": "normative_document", "id": "nd-1", "region_code": "532301", "comment_shortened_reason": "紧急"},
            {"类型": "规范性文件", "编号": "nd-2", "行政区划代码": "532301", "缩短征求意见期限理由": "突发事件"},
        ],
    )
    result = read_paths([path])
    assert result.errors == [] and result.warnings == []
    ec1, ec2, rc1, rc2, nd1, nd2 = result.records
    assert (ec1.procedure, ec1.hearing_eligible, ec1.hearing_on) == ("simple", False, dt.date(2019, 5, 6))
    assert (ec2.procedure, ec2.hearing_eligible, ec2.hearing_waived) == ("ordinary", True, True)
    assert (rc1.procedure, rc1.suspended_days, rc2.procedure, rc2.suspended_days) == ("simple", 10, "ordinary", 0)
    assert (nd1.comment_shortened_reason, nd2.comment_shortened_reason) == ("紧急", "突发事件")


def test_bad_new_values_are_errors_naming_file_line_and_field(tmp_path):
    csv_path = tmp_path / "cases.csv"
    csv_path.write_text(
        CASE_HEADERS_ZH + "执法案件,ec-1,532301,快速,是,否,,\n执法案件,ec-2,532301,简易,也许,否,2019-02-30,\n",
        encoding="utf-8",
    )
    jsonl_path = write_lines(
        tmp_path / "rc.jsonl",
        [
            {"kind": "reconsideration_case", "id": "rc-1", "region_code": "220106", "suspended_days": -5},
            {"kind": "reconsideration_case", "id": "rc-2", "region_code": "220106", "审理程序": "特别程序"},
            {"kind": "reconsideration_case", "id": "rc-3", "region_code": "220106", "中止天数": "-1"},
        ],
    )
    result = read_paths([csv_path, jsonl_path])
    assert result.records == []
    assert where(result.errors) == [
        ("cases.csv", 2, "程序类型", "unknown procedure '快速'; expected one of simple, ordinary"),
        ("cases.csv", 3, "可申请听证", "invalid boolean '也许'; expected true/false, 是/否, 1/0, Y/N or yes/no"),
        ("cases.csv", 3, "听证日期", "invalid date '2019-02-30'"),
        ("rc.jsonl", 1, "suspended_days", "expected 0 or more days, got '-5'"),
        ("rc.jsonl", 2, "审理程序", "unknown procedure '特别程序'; expected one of simple, ordinary"),
        ("rc.jsonl", 3, "中止天数", "expected 0 or more days, got '-1'"),
    ]


def test_compact_dates_in_csv_and_jsonl(tmp_path):
    csv_path = tmp_path / "docs.csv"
    csv_path.write_text(
        "类型,编号,行政区划代码,公布日期,报送备案日期\n"
        "规范性文件,nd-1,532301,20171116,２０１７１１３０\n"
        "规范性文件,nd-2,532301,20170230,\n",
        encoding="utf-8",
    )
    jsonl_path = write_lines(
        tmp_path / "docs.jsonl",
        [
            {
                "kind": "normative_document",
                "id": "nd-3",
                "region_code": "532301",
                "published_on": "20171116",
                "filed_on": 20171130,
            },
            {"kind": "normative_document", "id": "nd-4", "region_code": "532301", "published_on": 20170230},
            {"kind": "normative_document", "id": "nd-5", "region_code": "532301", "published_on": 2017},
        ],
    )
    result = read_paths([csv_path, jsonl_path])
    assert [(r.id, r.published_on, r.filed_on) for r in result.records] == [
        ("nd-1", dt.date(2017, 11, 16), dt.date(2017, 11, 30)),
        ("nd-3", dt.date(2017, 11, 16), dt.date(2017, 11, 30)),
    ]
    assert where(result.errors) == [
        ("docs.csv", 3, "公布日期", "invalid date '20170230'"),
        ("docs.jsonl", 2, "published_on", "invalid date '20170230'"),
        ("docs.jsonl", 3, "published_on", "invalid date '2017'"),
    ]


def test_xlsx_eight_digit_number_is_a_compact_date_five_digits_a_serial(tmp_path):
    path = tmp_path / "台账.xlsx"
    write_workbook(
        path,
        [
            ["类型", "编号", "行政区划代码", "公布日期", "报送备案日期", "有效期年限"],
            ["规范性文件", "nd-1", 532301, 20171116, 43069, 5],
            ["规范性文件", "nd-2", 532301, 20170230, "20171201", None],
            ["规范性文件", "nd-3", 532301, 20171116.0, 123456, 20171116],
        ],
    )
    book = openpyxl.load_workbook(path, read_only=True)
    assert next(book.active.iter_rows(min_row=2, max_row=2, values_only=True))[3] == 20171116  # an int cell
    book.close()
    result = read_paths([path])
    assert [(r.id, r.published_on, r.filed_on, r.validity_years) for r in result.records] == [
        ("nd-1", dt.date(2017, 11, 16), dt.date(2017, 11, 30), 5)
    ]
    assert where(result.errors) == [
        ("台账.xlsx", 3, "公布日期", "invalid date '20170230'"),
        ("台账.xlsx", 4, "报送备案日期", "invalid date '123456'"),
        (
            "台账.xlsx",
            4,
            "有效期年限",
            "expected at most 100 years, got '20171116'",
        ),  # a number column keeps the number
    ]


def test_doc_number_with_traditional_characters_is_normalised_and_kept_as_written(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        "类型,编号,行政区划代码,文号\n规范性文件,nd-1,532301,楚政通〔2024〕1號\n"
        "规范性文件,nd-2,532301,湘政發[2018]３號\n",
        encoding="utf-8",
    )
    result = read_paths([path])
    assert [(r.doc_number, r.doc_number_normalized, r.doc_number_suspect) for r in result.records] == [
        ("楚政通〔2024〕1號", "楚政通〔2024〕1号", False),
        ("湘政發[2018]３號", "湘政发〔2018〕3号", False),
    ]
    assert result.warnings == [] and result.errors == []


def test_ocr_damaged_doc_numbers_are_warnings_and_the_records_are_checked(tmp_path):
    csv_path = tmp_path / "docs.csv"
    csv_path.write_text(
        "类型,编号,行政区划代码,文号\n规范性文件,nd-1,532301,楚政发〔2O18〕12号\n"
        "规范性文件,nd-2,532301,楚政发〔2018〕12号\n",
        encoding="utf-8",
    )
    jsonl_path = write_lines(
        tmp_path / "docs.jsonl",
        [
            {"kind": "normative_document", "id": "nd-3", "region_code": "532301", "doc_number": "楚政发〔2018〕13号"},
            {"kind": "normative_document", "id": "nd-4", "region_code": "432301", "doc_number": "湘政发〔2018〕l2号"},
        ],
    )
    result = read_paths([csv_path, jsonl_path])
    assert [(r.id, r.doc_number, r.doc_number_suspect) for r in result.records] == [
        ("nd-1", "楚政发〔2O18〕12号", True),
        ("nd-2", "楚政发〔2018〕12号", False),
        ("nd-3", "楚政发〔2018〕13号", False),
        ("nd-4", "湘政发〔2018〕l2号", True),
    ]
    assert result.errors == []
    assert where(result.warnings, "zh") == [
        ("docs.csv", 2, "doc_number", "文号“楚政发〔2O18〕12号”中“O”疑为识别错误（数字0？），请核对原件"),
        ("docs.jsonl", 2, "doc_number", "文号“湘政发〔2018〕l2号”中“l”疑为识别错误（数字1？），请核对原件"),
    ]
    assert all(isinstance(w, InputWarning) for w in result.warnings)
    assert [w.record_id for w in result.warnings] == ["nd-1", "nd-4"]


def test_clean_doc_numbers_give_no_warning():
    result = read_paths([DATA / "docs_utf8_bom.csv"])
    assert all(w.field != "doc_number" for w in result.warnings)
    assert all(r.doc_number_suspect is False for r in result.records if r.doc_number)


# --- issue #16: exact integers, files that are only a BOM's start, CSV row by row ---


def test_integers_beyond_64_bits_are_exact_in_every_format(tmp_path):
    big = "12345678901234567890123"
    (tmp_path / "a.jsonl").write_text(
        f'{{"kind": "officer", "id": {big}, "region_code": "532300"}}\n', encoding="utf-8"
    )
    (tmp_path / "b.json").write_text(
        f'[{{"kind": "officer", "id": {big}1, "region_code": "532300"}}]', encoding="utf-8"
    )
    (tmp_path / "c.yaml").write_text(f"kind: officer\nid: {big}2\nregion_code: '532300'\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text(f"kind,id,region_code\nofficer,{big}3,532300\n", encoding="utf-8")
    result = read_paths([tmp_path])
    assert [record.id for record in result.records] == [big, big + "1", big + "2", big + "3"]
    assert result.errors == []


def test_csv_that_is_only_the_start_of_a_byte_order_mark_is_not_text(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef")
    assert where(read_paths([path]).errors) == [("bom.csv", None, None, "not UTF-8 or GB18030 text")]


def test_csv_rows_are_those_the_csv_module_reads(tmp_path):
    import csv
    import io

    text = (
        'kind,id,region_code,name\r\nofficer,o-1,532300,"张""三"\r\n\r\nofficer,o-2,532300,"李\r\n四"\r\n'
        'officer,o-3,532300,王"五\nofficer,o-4,532300,"赵"六\n,,,\nofficer,o-5,532300'
    )
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    result = read_paths([path])
    assert [(record.id, record.name) for record in result.records] == [
        (cells[1], cells[3] if len(cells) > 3 else None) for cells in rows[1:] if any(cells)
    ]
    assert [record.source.line for record in result.records] == [2, 4, 5, 6, 8]
    assert result.errors == []


def test_json_and_yaml_records_without_kind_are_read_as_the_kind_their_keys_fit(tmp_path):
    officers = tmp_path / "officers.jsonl"
    officers.write_text(
        json.dumps(
            {"id": "off-1", "region_code": "532301", "name": "张三", "cert_number": "53000001"}, ensure_ascii=False
        )
        + "\n"
        + json.dumps(
            {"编号": "off-2", "行政区划代码": "532301", "姓名": "李四", "执法证号": "53000002"}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    yaml_file = tmp_path / "cases.yaml"
    yaml_file.write_text(
        "- {id: rc-1, region_code: '532301', received_on: 2019-03-04, decided_on: 2019-04-26}\n", encoding="utf-8"
    )
    result = read_paths([officers, yaml_file])
    assert result.errors == []
    assert [(r.kind, r.id) for r in result.records] == [
        ("officer", "off-1"),
        ("officer", "off-2"),
        ("reconsideration_case", "rc-1"),
    ]
    # said once per file and kind, at the first record read so
    assert where(result.warnings, "zh") == [
        (
            "officers.jsonl",
            1,
            None,
            "没有“类型”字段：按行政执法人员读取（依据字段 name、cert_number）；可用 --kind 指定",
        ),
        (
            "cases.yaml",
            1,
            None,
            "没有“类型”字段：按行政复议案件读取（依据字段 received_on、decided_on）；可用 --kind 指定",
        ),
    ]
    assert (
        where(result.warnings, "en")[0][3]
        == "no kind key: read as officer (keys name, cert_number); use --kind to choose"
    )


def test_json_record_whose_keys_fit_several_kinds_asks_for_kind(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps(
            {"id": "x-1", "region_code": "532301", "hearing_on": "2019-01-02", "decided_on": "2019-01-09"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = read_paths([path])
    [error] = result.errors
    assert error.field == "kind" and error.line == 1 and result.records == []
    assert error.text("en").startswith("missing kind; the keys fit ") and error.text("en").endswith(
        ": use --kind to choose"
    )
    assert error.text("zh").startswith("缺少类型；这些字段同时符合 ")
