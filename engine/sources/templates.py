"""Blank registers (台账模板) a clerk fills in and ``fzcheck check`` reads back with no warning.

:func:`write_xlsx` writes a workbook whose first sheet is the register — a 类型 column (a one-item
dropdown holding the kind's Chinese label, which every row must carry), then one column per input
field of the kind headed by its Chinese name (the first Chinese alias of models/records.py), the
header row bold and frozen, dropdowns (data validation) for enums (their Chinese labels) and
booleans (是/否), date columns formatted ``yyyy-mm-dd`` with a date validation, number columns with
their bounds — and whose second sheet 说明 explains each column: English name, type, meaning (the
wording of records.md's tables when the spec is found, else a short built-in text) and the formats
accepted. :func:`write_csv` writes the header row only (UTF-8 with BOM, as Excel opens it).

Computed fields (``doc_number_normalized``, ``doc_number_suspect``, ``source``) are no columns.
The reader reads the first sheet only and warns about any other sheet whose first row holds a
value, except the 说明 sheet (``readers.INSTRUCTIONS_SHEET``), which it passes over by its name: its
title is on row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ...models.records import (
    EARLIEST_DATE,
    ENUM_VALUES,
    FIELD_BOUNDS,
    FIELD_LABELS_ZH,
    FIELD_TYPES,
    KIND_LABELS,
    LATEST_EVENT_DATE,
    RECORD_MODELS,
    _basis_type,
    _kind_code,
    _recorded_stage,
)
from .files import INSTRUCTIONS_SHEET

#: Fields the models fill in themselves: never a column of a template.
COMPUTED_FIELDS = frozenset({"source", "doc_number_normalized", "doc_number_suspect"})
#: Fields whose cell holds several items.
LIST_SEPARATOR = "、"
#: A validity end may be written as 9999-12-31 (长期有效); other dates end at LATEST_EVENT_DATE.
END_DATE_FIELDS = frozenset({"valid_until", "cert_valid_until"})
#: Columns kept as text in Excel (an id typed as 010 would otherwise lose its zero).
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

_BUILTIN_MEANINGS = {
    "kind": "record kind; every row carries the kind's Chinese label",
    "id": "unique within its kind",
    "region_code": "GB/T 2260 code (6 digits) of the government the record belongs to",
    "agency": "issuing / handling agency",
    "name": "the officer's name",
    "exam_passed_on": "day the officer passed the enforcement qualification exam",
    "cert_number": "enforcement certificate number",
    "cert_issued_on": "day the certificate was issued",
    "cert_valid_until": "last day the certificate is valid, inclusive",
    "officer_id": "id of the trained officer (an officer record's 编号)",
    "start_on": "first day of the training, inclusive",
    "end_on": "last day of the training, inclusive",
    "days": "training days; when empty, calendar days from start to end inclusive",
    "hours": "class hours (学时)",
    "training_kind": "subject of the training",
    "received_on": "day the application was accepted (受理)",
    "extension_approved": "the decision period was lawfully extended",
    "handlers": "names of the staff handling the case",
    "major": "major or complex case / decision",
    "procedure": "simple or ordinary procedure; empty = ordinary",
    "suspended_days": "days the case was suspended (中止), not counted in the decision period",
    "decided_on": "day of the decision",
}


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    type: str  # str, int, number, date, bool, enum, list
    meaning: str
    formats: str
    choices: tuple[str, ...] = ()


def kind_code(value: str) -> str | None:
    """The kind a code or Chinese label names (``officer``, ``行政执法人员``, ``执法人员``…), else None."""
    try:
        return _kind_code(value)
    except ValueError:
        return None


def kinds_listing() -> str:
    return ", ".join(f"{code} ({label})" for code, label in KIND_LABELS.items())


_SPEC_ROW = re.compile(r"^\|\s*(.+?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$")
_SPEC_FIELD = re.compile(r"`([a-z_]+)`")
_SPEC_KIND = re.compile(r"^##\s+`([a-z_]+)`")


def spec_meanings(path: Path | None = None) -> dict[str, dict[str, str]]:
    """kind ("*" for the common fields) -> field -> meaning, from the tables of records.md; {} when
    the spec is not found. A row naming several fields (`comment_start`, `comment_end`) gives its
    meaning to each; an empty meaning is left out."""
    if path is None:
        path = Path(__file__).resolve().parents[3] / "shared" / "spec" / "records.md"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, dict[str, str]] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            match = _SPEC_KIND.match(line)
            section = match.group(1) if match else ("*" if "Common" in line else None)
            continue
        row = _SPEC_ROW.match(line)
        if section is None or row is None or row.group(1) in ("field", "---"):
            continue
        meaning = row.group(3).replace("`", "").strip()
        if not meaning or set(meaning) <= set("-"):
            continue
        for name in _SPEC_FIELD.findall(row.group(1)):
            found.setdefault(section, {})[name] = meaning
    return found


def _enum_parser(kind: str, name: str):
    info = RECORD_MODELS[kind].model_fields[name]
    return next(item for item in info.metadata if hasattr(item, "codes"))


def columns(kind: str, meanings: dict[str, dict[str, str]] | None = None) -> list[Column]:
    """The template's columns for ``kind`` (a code), in the models' field order, 类型 first."""
    if meanings is None:
        meanings = spec_meanings()
    labels, enums = FIELD_LABELS_ZH[kind], ENUM_VALUES[kind]
    result = []
    for name, type_name in FIELD_TYPES[kind].items():
        if name in COMPUTED_FIELDS:
            continue
        meaning = (
            meanings.get(kind, {}).get(name)
            or meanings.get("*", {}).get(name)
            or _BUILTIN_MEANINGS.get(name)
            or labels.get(name, name)
        )
        choices: tuple[str, ...] = ()
        if name == "kind":
            column_type, choices = "enum", (KIND_LABELS[kind],)
            meaning = _BUILTIN_MEANINGS["kind"]
            formats = f"填写“{KIND_LABELS[kind]}”（下拉选择）"
        elif name in enums:
            parser = _enum_parser(kind, name)
            column_type = "enum"
            choices = tuple(parser.labels[code][0] for code in parser.codes)
            formats = "下拉选择：" + "、".join(choices) + "（也可填英文代码：" + ", ".join(parser.codes) + "）"
        elif type_name == "bool":
            column_type, choices = "bool", ("是", "否")
            formats = "下拉选择：是 / 否（也可填 true/false、1/0、Y/N）"
        elif type_name == "date":
            column_type = "date"
            latest = "9999-12-31（长期有效）" if name in END_DATE_FIELDS else LATEST_EVENT_DATE.isoformat()
            formats = (
                f"日期单元格，显示为 yyyy-mm-dd，{EARLIEST_DATE.isoformat()} 至 {latest}；"
                "也可填文本 2019-03-04、2019年3月4日、2019/3/4、20190304"
            )
        elif type_name == "list":
            column_type = "list"
            formats = _list_formats(name)
        elif type_name in ("int", "number"):
            column_type = type_name
            low, high = FIELD_BOUNDS[kind].get(name, (None, None))
            what = "整数" if type_name == "int" else "数字"
            if low is not None and high is not None:
                formats = f"{what}，{low:g} 至 {high:,.0f}"
            elif low is not None:
                formats = f"{what}，不小于 {low:g}"
            else:
                formats = what
        else:
            column_type = "str"
            formats = "文本" + ("，6位数字，如 532301" if name == "region_code" else "")
        result.append(Column(name, labels.get(name, name), column_type, meaning, formats, choices))
    return result


def _list_formats(name: str) -> str:
    if name == "basis":
        types = "、".join(names[0] for names in _basis_type.labels.values())
        return (
            f"多项以“{LIST_SEPARATOR}”分隔，每项写作“类型:引用”，如 法律:中华人民共和国行政处罚法{LIST_SEPARATOR}"
            f"规范性文件:楚市政发〔2018〕12号；类型为 {types}；只写文号时视为规范性文件"
        )
    if name == "recorded_stages":
        stages = LIST_SEPARATOR.join(names[0] for names in _recorded_stage.labels.values())
        return f"多项以“{LIST_SEPARATOR}”分隔，取自 {stages}"
    if name == "officers":
        return f"执法人员编号（执法人员台账的编号），多项以“{LIST_SEPARATOR}”分隔，如 cx-off-1{LIST_SEPARATOR}cx-off-2"
    return f"多项以“{LIST_SEPARATOR}”分隔，如 张三{LIST_SEPARATOR}李四"


def csv_text(kind: str) -> str:
    """The CSV template: the header row (the BOM is added when written)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([column.header for column in columns(kind)])
    return buffer.getvalue()


def write_csv(kind: str, path: Path) -> None:
    path.write_text(csv_text(kind), encoding="utf-8-sig", newline="")


#: Rows of the register sheet that get the dropdowns and validations (Excel applies them as typed).
VALIDATED_ROWS = 5000


def _serial(day: dt.date) -> int:
    from openpyxl.utils.datetime import to_excel  # noqa: PLC0415 (openpyxl loaded only when a template is written)

    return int(to_excel(day))


def build_workbook(kind: str):
    """The template as an openpyxl workbook (register sheet first, 说明 second)."""
    from openpyxl import Workbook  # noqa: PLC0415 (openpyxl loaded only when a template is written)
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415 (openpyxl loaded only when a template is written)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (openpyxl loaded only when a template is written)
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415 (openpyxl loaded only when a template is written)

    cols = columns(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{KIND_LABELS[kind]}台账"[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last = VALIDATED_ROWS + 1
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(10, _display_width(column.header) + 4)
        area = f"{letter}2:{letter}{last}"
        validation = None
        if column.type in ("enum", "bool"):
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True, errorStyle="stop"
            )
            validation.error = "请从下拉列表中选择：" + "、".join(column.choices)
        elif column.type == "date":
            latest = dt.date(9999, 12, 31) if column.field in END_DATE_FIELDS else LATEST_EVENT_DATE
            validation = DataValidation(
                type="date",
                operator="between",
                formula1=str(_serial(EARLIEST_DATE)),
                formula2=str(_serial(latest)),
                allow_blank=True,
                errorStyle="warning",
            )
            validation.error = "请填写日期，如 2019-03-04"
            dimension.width = max(dimension.width, 12)
            dimension.number_format = DATE_FORMAT
        elif column.type in ("int", "number"):
            low, high = FIELD_BOUNDS[kind].get(column.field, (0, None))
            kind_of = "whole" if column.type == "int" else "decimal"
            if high is None:
                validation = DataValidation(
                    type=kind_of,
                    operator="greaterThanOrEqual",
                    formula1=f"{low:g}",
                    allow_blank=True,
                    errorStyle="stop",
                )
            else:
                validation = DataValidation(
                    type=kind_of,
                    operator="between",
                    formula1=f"{low:g}",
                    formula2=f"{high:.0f}",
                    allow_blank=True,
                    errorStyle="stop",
                )
            validation.error = column.formats
        else:
            dimension.number_format = TEXT_FORMAT
        if validation is not None:
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            validation.promptTitle = column.header
            validation.prompt = column.formats[:255]
            validation.showInputMessage = True
            validation.add(area)
            sheet.add_data_validation(validation)
        elif column.type in ("list", "str"):
            hint = DataValidation(
                allow_blank=True, showInputMessage=True, promptTitle=column.header, prompt=column.formats[:255]
            )
            hint.add(area)
            sheet.add_data_validation(hint)
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(INSTRUCTIONS_SHEET)  # passed over by the reader by this name
    notes.cell(row=1, column=1, value=f"{KIND_LABELS[kind]}台账填写说明").font = Font(bold=True, size=14)
    notes.cell(
        row=3,
        column=1,
        value=(
            f"第一个工作表为台账，每行一条记录；每行的“类型”列须填“{KIND_LABELS[kind]}”。fzcheck 只读取第一个工作表，"
            f"本说明页不被读取。检查：fzcheck check 文件名.xlsx"
        ),
    )
    headings = ("列名", "字段名", "类型", "含义（records.md）", "可填写的格式")
    for index, heading in enumerate(headings, start=1):
        cell = notes.cell(row=5, column=index, value=heading)
        cell.font, cell.fill = bold, fill
    type_names = {
        "str": "文本 str",
        "int": "整数 int",
        "number": "数字 number",
        "date": "日期 date",
        "bool": "是/否 bool",
        "enum": "选项 enum",
        "list": "列表 list",
    }
    for row, column in enumerate(cols, start=6):
        for index, value in enumerate(
            (column.header, column.field, type_names[column.type], column.meaning, column.formats), start=1
        ):
            notes.cell(row=row, column=index, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (18, 26, 12, 60, 70)):
        notes.column_dimensions[letter].width = width
    notes.freeze_panes = "A6"
    return book


def _display_width(text: str) -> int:
    return sum(1 if ch.isascii() else 2 for ch in text)


def write_xlsx(kind: str, path: Path) -> None:
    build_workbook(kind).save(path)
