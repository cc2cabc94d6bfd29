"""The XLSX report: a summary sheet and one sheet of findings per record kind, to send back to agencies.

Each finding says whether it is provisional (it rests on a year without an official holiday
schedule; the summary counts them and explains the mark); coverage warnings (records checked against
the national rules only) are a sheet of their own, 适用范围 / Coverage, when there are any.

Every cell is written by `_row`: numbers (and dates) as numbers, all text through
`spreadsheet_safe` (text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`) and typed
as a string, so no value from a record — an agency named ``=HYPERLINK(...)`` in the summary's
counts by agency — is ever a formula; characters XML cannot hold (C0 controls) are shown as
escapes (`xml_safe`). The workbook is written in openpyxl's write-only mode, a row at a time;
each sheet's rows are gathered first so its column widths can fit the content (capped at
`MAX_WIDTH`). Dates are Excel dates (yyyy-mm-dd), booleans 是/否, missing values — (`display`); the
findings sheets have a frozen header and an autofilter.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..outcomes.counts import NO_PLACEMENT
from ..store.runs import AuditReport
from .common import (
    KIND_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    RenderOptions,
    provisional_note,
    spreadsheet_safe,
    standard_line,
    xml_safe,
)
from .display import MISSING, YES_NO, calendar_sentence, evidence_text, parameters_text
from .html import agency_year_table, violations_by, violations_by_month

HEADERS = {
    "zh": [
        "规则",
        "规则名称",
        "规则集",
        "严重程度",
        "结果",
        "暂定",
        "记录编号",
        "机关",
        "月份",
        "说明",
        "证据",
        "依据文件",
        "条款",
        "原文",
        "来源文件",
        "行",
    ],
    "en": [
        "Rule",
        "Title",
        "Ruleset",
        "Severity",
        "Outcome",
        "Provisional",
        "Record",
        "Agency",
        "Month",
        "Message",
        "Evidence",
        "Document",
        "Clause",
        "Quote",
        "File",
        "Line",
    ],
}
SUMMARY = {
    "zh": ("审计批次", "基准日", "记录数", "参数", "规则", "机关", "月份", "违规", "节假日数据"),
    "en": ("Audit run", "As of", "Records", "Parameters", "Rule", "Agency", "Month", "Violations", "Holiday data"),
}
#: the summary's counts other than outcomes (the record count has its row above them)
COUNT_LABELS = {
    "zh": {"errors": "输入错误", "provisional": "暂定"},
    "en": {"errors": "Input errors", "provisional": "Provisional"},
}
COVERAGE = {
    "zh": ("适用范围", ["记录编号", "来源文件", "行", "说明"]),
    "en": ("Coverage", ["Record", "File", "Line", "Message"]),
}


BOLD = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60


def text_width(value) -> int:
    """Columns a value needs: East Asian wide characters count two; the longest line counts."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in str(value).split("\n")),
        default=0,
    )


def column_widths(rows: list[list]) -> list[float]:
    """Widths fitting each column's longest value (single-cell notes do not widen column A)."""
    widths: list[int] = []
    for row in rows:
        if len(row) == 1 and len(rows) > 1:
            continue
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], text_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def _sheet(book, title: str, rows: list[list], *, header: bool = False) -> None:
    """A sheet of ``rows`` (the first in bold when ``header``, then frozen and filtered)."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if header and rows:
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    for number, row in enumerate(rows):
        _row(sheet, row, bold=header and number == 0)


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    """A cell that is never a formula: text neutralised by `spreadsheet_safe` and typed as a
    string; numbers, dates and empty cells as they are. Line breaks are written as LF, the cell's own:
    the standard library's XML writer leaves a CR raw (read back as LF), lxml's escapes it (read back
    as CR), and the workbook must not depend on which openpyxl finds installed."""
    if isinstance(value, str) or not (value is None or isinstance(value, (int, float, dt.date))):
        value = spreadsheet_safe(xml_safe(value)).replace("\r\n", "\n").replace("\r", "\n")
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _row(sheet, values, bold: bool = False) -> None:
    """Append a row: the only way anything is written to the workbook."""
    sheet.append([_cell(sheet, value, bold) for value in values])


def _summary_sheet(book, title: str, rows: list[list], bold: set[str]) -> None:
    """The summary: widths fitted, the header rows of its count tables in bold."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        _row(sheet, row, bold=len(row) == 2 and row[1] in bold)


def render_xlsx(report: AuditReport, lang: str = "zh") -> bytes:
    labels = SUMMARY[lang]
    options = RenderOptions(lang=lang)
    book = Workbook(write_only=True)
    rows: list[list] = [
        [labels[0], report.run_id],
        [labels[1], report.as_of],
        [labels[2], report.records],
        [labels[3], parameters_text(report.parameters, lang) or MISSING],
    ]
    if report.calendar is not None:
        rows.append([labels[8], calendar_sentence(report.calendar, lang)])
    standard = standard_line(report, options)
    if standard:
        rows.append([standard])
    rows.append([])
    for name, count in report.summary().items():
        if name != "records":
            rows.append([COUNT_LABELS[lang].get(name) or OUTCOME_LABELS[lang].get(name, name), count])
    note = provisional_note(report.outcomes, options)
    if note:
        rows.append([note])
    for title, found in (
        (labels[4], violations_by(report, 1, limit=None)),
        (labels[5], violations_by(report, 3, limit=None)),
        (labels[6], violations_by_month(report)),
    ):
        rows.append([])
        rows.append([title, labels[7]])
        rows += [[key, count] for key, count in found]
    _summary_sheet(book, "汇总" if lang == "zh" else "Summary", rows, bold={labels[7]})
    sheets: dict[str, list[list]] = {}
    for outcome in report.outcomes:
        sheet = sheets.get(outcome.record_kind)
        if sheet is None:
            sheet = sheets[outcome.record_kind] = [HEADERS[lang]]
        agency, month, _region = report.placement.get((outcome.record_kind, outcome.record_id), NO_PLACEMENT)
        citation = outcome.citation
        sheet.append(
            [
                outcome.rule_id,
                outcome.rule_title(lang) or MISSING,
                outcome.ruleset,
                SEVERITY_LABELS[lang].get(outcome.severity, outcome.severity),
                OUTCOME_LABELS[lang].get(outcome.outcome, outcome.outcome),
                YES_NO[lang][0 if outcome.provisional else 1],
                outcome.record_id,
                agency or MISSING,
                month or MISSING,
                outcome.message(lang),
                evidence_text(outcome.evidence, lang, outcome.record_kind) or MISSING,
                citation.document + (f"（{citation.doc_number}）" if citation.doc_number else ""),
                citation.clause_label(lang) or MISSING,
                citation.quote or MISSING,
                outcome.source.file if outcome.source else MISSING,
                outcome.source.line if outcome.source and outcome.source.line is not None else MISSING,
            ]
        )
    for kind, sheet_rows in sheets.items():
        _sheet(book, KIND_LABELS[lang].get(kind, kind)[:31], sheet_rows, header=True)
    matrix = agency_year_table(report, lang)
    if matrix is not None:  # agencies x obligations (issue #12); the findings are on the kind's own sheet
        outcome_labels = OUTCOME_LABELS[lang]
        _sheet(
            book,
            f"{matrix['text']['title']}（矩阵）" if lang == "zh" else "Agency-years (matrix)",
            [
                [matrix["text"]["agency_year"], *(rule for rule, _ in matrix["columns"])],
                *(
                    [subject, *(outcome_labels[o] if o else "" for o in outcomes)]
                    for subject, outcomes in matrix["rows"]
                ),
            ],
            header=True,
        )
    coverage = report.coverage_warnings()
    if coverage:
        title, headers = COVERAGE[lang]
        _sheet(
            book,
            title,
            [headers]
            + [
                [
                    issue.record_id or MISSING,
                    issue.file or MISSING,
                    MISSING if issue.line is None else issue.line,
                    issue.text(lang),
                ]
                for issue in coverage
            ],
            header=True,
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
