"""``fzcheck template``: blank registers that read back, once filled, with no error and no warning."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.sources.templates import (
    COMPUTED_FIELDS,
    DATE_FORMAT,
    build_workbook,
    columns,
    spec_meanings,
    write_csv,
    write_xlsx,
)
from fzcheck.models.records import ENUM_VALUES, FIELD_LABELS_ZH, FIELD_TYPES, KIND_LABELS, RECORD_MODELS

KINDS = list(RECORD_MODELS)

_TEXTS = {"id": "010", "region_code": "532301", "doc_number": "楚市政发〔2018〕12号", "officer_id": "off-1"}
_LISTS = {
    "officers": ("off-1、off-2", ["off-1", "off-2"]),
    "handlers": ("张三、李四", ["张三", "李四"]),
    "recorded_stages": ("立案、调查、决定", ["filing", "investigation", "decision"]),
}
_NUMBERS = {"int": (3, 3), "number": (24.5, 24.5)}


def _row(kind: str, as_text: bool) -> tuple[list, dict]:
    """One filled row of the kind's template (cell values) and the field values it should read as."""
    cells, expected = [], {}
    for number, column in enumerate(columns(kind)):
        name = column.field
        if name == "kind":
            cell, value = KIND_LABELS[kind], kind
        elif column.type == "enum":
            choice = number % len(column.choices)
            cell, value = column.choices[choice], ENUM_VALUES[kind][name][choice]
        elif column.type == "bool":
            cell, value = ("是", True) if number % 2 else ("否", False)
        elif column.type == "date":
            value = dt.date(2019, 3, 1) + dt.timedelta(days=number)
            cell = value.isoformat() if as_text else value
        elif column.type in _NUMBERS:
            cell, value = _NUMBERS[column.type]
            cell = str(cell) if as_text else cell
        elif name == "basis":
            cell, value = "法律:中华人民共和国行政处罚法、规范性文件:楚市政发〔2018〕12号", None
        elif name in _LISTS:
            cell, value = _LISTS[name]
        else:
            cell = value = _TEXTS.get(name, f"{column.header}内容")
        cells.append(cell)
        expected[name] = value
    return cells, expected


def _check_read(path, kind: str, expected: dict) -> None:
    result = read_paths([path])
    assert result.errors == []
    assert result.warnings == []
    assert len(result.records) == 1
    record = result.records[0]
    assert record.kind == kind
    assert record.source.line == 2
    for name, value in expected.items():
        if name == "basis":
            assert [(item.type, item.ref) for item in record.basis] == [
                ("law", "中华人民共和国行政处罚法"),
                ("normative_document", "楚市政发〔2018〕12号"),
            ]
        else:
            assert getattr(record, name) == value, name


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_round_trip(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    write_xlsx(kind, path)
    book = openpyxl.load_workbook(path)
    cells, expected = _row(kind, as_text=False)
    book.worksheets[0].append(cells)
    book.save(path)
    _check_read(path, kind, expected)


@pytest.mark.parametrize("kind", KINDS)
def test_csv_round_trip(tmp_path, kind):
    path = tmp_path / f"{kind}.csv"
    write_csv(kind, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 1  # the header row only
    cells, expected = _row(kind, as_text=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(cells)
    _check_read(path, kind, expected)


@pytest.mark.parametrize("kind", KINDS)
def test_blank_templates_read_as_nothing(tmp_path, kind):
    write_xlsx(kind, tmp_path / "blank.xlsx")
    write_csv(kind, tmp_path / "blank.csv")
    result = read_paths([tmp_path])
    assert (result.records, result.errors, result.warnings) == ([], [], [])


@pytest.mark.parametrize("kind", KINDS)
def test_columns_are_the_input_fields_with_chinese_headers(kind):
    cols = columns(kind)
    inputs = [name for name in FIELD_TYPES[kind] if name not in COMPUTED_FIELDS]
    assert [column.field for column in cols] == inputs
    assert cols[0].header == "类型" and cols[0].choices == (KIND_LABELS[kind],)
    assert [column.header for column in cols[1:]] == [FIELD_LABELS_ZH[kind][name] for name in inputs[1:]]
    assert not COMPUTED_FIELDS & {column.field for column in cols}
    assert all(column.meaning and column.formats for column in cols)


def test_register_sheet_layout():
    book = build_workbook("normative_document")
    sheet, notes = book.worksheets
    assert notes.title == "说明"
    assert notes.cell(row=1, column=1).value == "行政规范性文件台账填写说明"  # the reader passes 说明 over by name
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["类型", "编号", "行政区划代码", "机关"]
    assert "文号" in headers and "doc_number_normalized" not in headers and "doc_number_suspect" not in headers
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    letter = {header: cell.column_letter for header, cell in zip(headers, sheet[1])}
    assert sheet.column_dimensions[letter["合法性审查结论"]].width >= 10
    assert sheet.column_dimensions[letter["公布日期"]].number_format == DATE_FORMAT
    assert sheet.column_dimensions[letter["编号"]].number_format == "@"
    lists = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    assert lists[letter["状态"] + "2"].type == "list"
    assert lists[letter["状态"] + "2"].formula1 == '"草稿,现行有效,失效,废止"'
    assert lists[letter["需听证"] + "2"].formula1 == '"是,否"'
    assert lists[letter["类型"] + "2"].formula1 == '"行政规范性文件"'
    assert lists[letter["公布日期"] + "2"].type == "date"
    assert lists[letter["有效期年限"] + "2"].type == "decimal"
    explained = {row[1]: row for row in notes.iter_rows(min_row=6, values_only=True)}
    assert set(explained) == {column.field for column in columns("normative_document")}
    assert explained["published_on"][0] == "公布日期"
    if spec_meanings():  # records.md found next to the repository: its wording
        assert explained["published_on"][3] == "published or issued (公布或者印发)"
        assert explained["status"][3] == "draft, in_force, expired, repealed"


def test_list_fields_are_explained():
    explained = {column.field: column.formats for kind in KINDS for column in columns(kind)}
    assert "类型:引用" in explained["basis"] and "、" in explained["basis"]
    for name in ("officers", "recorded_stages", "handlers"):
        assert "“、”分隔" in explained[name]


def test_spec_meanings_missing_spec_falls_back(tmp_path):
    assert spec_meanings(tmp_path / "absent.md") == {}
    cols = columns("officer", meanings={})
    assert all(column.meaning for column in cols)


def test_spec_meanings_parses_tables(tmp_path):
    spec = tmp_path / "records.md"
    spec.write_text(
        "## `officer` x\n\n| field | type | meaning |\n|---|---|---|\n"
        "| `name` (姓名), `cert_number` (执法证号) | string | who |\n| `id` | string | |\n",
        encoding="utf-8",
    )
    assert spec_meanings(spec) == {"officer": {"name": "who", "cert_number": "who"}}


# --- the command ------------------------------------------------------------------------------------


def test_cli_xlsx(tmp_path):
    out = tmp_path / "sub" / "台账.xlsx"
    result = CliRunner().invoke(cli, ["template", "行政执法案件", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [sheet.title for sheet in book.worksheets] == ["行政执法案件台账", "说明"]
    assert book.worksheets[0]["A1"].value == "类型"
    assert not list(tmp_path.glob("sub/.fzcheck-template-*"))


def test_cli_csv_file_and_stdout(tmp_path):
    out = tmp_path / "officers.csv"
    result = CliRunner().invoke(cli, ["template", "officer", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        out.read_bytes().decode("utf-8-sig")
        == "类型,编号,行政区划代码,机关,姓名,考试合格日期,执法证号,发证日期,证件有效期至\r\n"
    )
    result = CliRunner().invoke(cli, ["template", "执法人员", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes == out.read_bytes()


def test_cli_unknown_kind_lists_kinds(tmp_path):
    result = CliRunner().invoke(cli, ["template", "cases", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "未知的类型“cases”" in result.output
    english = CliRunner().invoke(cli, ["template", "cases", "-o", str(tmp_path / "x.xlsx"), "--lang", "en"])
    assert english.exit_code == 2 and "unknown kind 'cases'" in english.output
    for code, label in KIND_LABELS.items():
        assert f"{code} ({label})" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_xlsx_needs_output():
    result = CliRunner().invoke(cli, ["template", "officer"])
    assert result.exit_code == 2
    assert "--format xlsx 须用 -o FILE 指定输出文件" in result.output
    english = CliRunner().invoke(cli, ["template", "officer", "--lang", "en"])
    assert english.exit_code == 2 and "-o FILE is required" in english.output


def test_cli_unknown_format():
    result = CliRunner().invoke(cli, ["template", "officer", "--format", "ods"])
    assert result.exit_code == 2


def test_the_instructions_sheet_is_passed_over_by_name_and_other_sheets_still_warned_about(tmp_path):
    book = build_workbook("officer")
    sheet = book.worksheets[0]
    sheet.append(["行政执法人员", "off-1", "532301", "楚雄市司法局", "张三"])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    assert book.worksheets[1]["A1"].value  # 说明 has its title on row 1
    result = read_paths([path])
    assert (result.errors, result.warnings, [r.id for r in result.records]) == ([], [], ["off-1"])
    other = book.create_sheet("备注")
    other["A1"] = "某某"
    book.save(path)
    [warning] = read_paths([path]).warnings
    assert warning.text("zh") == "已忽略工作表“备注”：只读取第一个工作表"
    assert warning.text("en") == "sheet '备注' ignored: only the first sheet is read"
