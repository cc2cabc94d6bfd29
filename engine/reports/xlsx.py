"""The XLSX report: a summary sheet and one sheet of findings per record kind, to send back to agencies.

Each finding says whether it is provisional (it rests on a year without an official holiday
schedule; the summary counts them and explains the mark); coverage warnings (records checked against
the national rules only) are a sheet of their own, 适用范围 / Coverage, when there are any.

Every cell is written by `_row`: numbers (and dates) as numbers, all text through
`spreadsheet_safe` (text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`) and typed
as a string, so no value from a record — an agency named ``=HYPERLINK(...)`` in the summary's
counts by agency — is ever a formula; characters XML cannot hold (C0 controls) are shown as
escapes (`xml_safe`). The workbook is written in openpyxl's write-only mode, a row at a time.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fzcheck.engine.db.runs import AuditReport
from fzcheck.engine.renderers.common import (KIND_LABELS, OUTCOME_LABELS, SEVERITY_LABELS, RenderOptions,
                                            compact_json, provisional_note, spreadsheet_safe, standard_line,
                                            xml_safe)

HEADERS = {
    "zh": ["规则", "规则名称", "规则集", "严重程度", "结果", "暂定", "记录编号", "机关", "月份", "说明", "证据",
           "依据文件", "条款", "原文", "来源文件", "行"],
    "en": ["Rule", "Title", "Ruleset", "Severity", "Outcome", "Provisional", "Record", "Agency", "Month", "Message",
           "Evidence", "Document", "Clause", "Quote", "File", "Line"],
}
SUMMARY = {"zh": ("审计批次", "基准日", "记录数", "参数", "规则", "机关", "月份", "违规", "节假日数据"),
           "en": ("Audit run", "As of", "Records", "Parameters", "Rule", "Agency", "Month", "Violations", "Holiday data")}
#: the summary's counts other than outcomes (the record count has its row above them)
COUNT_LABELS = {"zh": {"errors": "输入错误", "provisional": "暂定"},
                "en": {"errors": "Input errors", "provisional": "Provisional"}}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
COVERAGE = {"zh": ("适用范围", ["记录编号", "来源文件", "行", "说明"]),
            "en": ("Coverage", ["Record", "File", "Line", "Message"])}


BOLD = Font(bold=True)


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    """A cell that is never a formula: text neutralised by `spreadsheet_safe` and typed as a
    string; numbers, dates and empty cells as they are."""
    if isinstance(value, str) or not (value is None or isinstance(value, (int, float, dt.date))):
        value = spreadsheet_safe(xml_safe(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = BOLD
    return cell


def _row(sheet, values, bold: bool = False) -> None:
    """Append a row: the only way anything is written to the workbook."""
    sheet.append([_cell(sheet, value, bold) for value in values])


def render_xlsx(report: AuditReport, lang: str = "zh") -> bytes:
    from fzcheck.engine.reports.html import violations_by

    labels = SUMMARY[lang]
    options = RenderOptions(lang=lang)
    book = Workbook(write_only=True)
    summary = book.create_sheet("汇总" if lang == "zh" else "Summary")
    summary.column_dimensions["A"].width = 36
    _row(summary, [labels[0], report.run_id])
    _row(summary, [labels[1], report.as_of])
    _row(summary, [labels[2], report.records])
    _row(summary, [labels[3], str(report.parameters)])
    if report.calendar is not None:
        _row(summary, [labels[8], compact_json(report.calendar)])
    standard = standard_line(report, options)
    if standard:
        _row(summary, [standard])
    _row(summary, [])
    for name, count in report.summary().items():
        if name != "records":
            _row(summary, [COUNT_LABELS[lang].get(name) or OUTCOME_LABELS[lang].get(name, name), count])
    note = provisional_note(report.outcomes, options)
    if note:
        _row(summary, [note])
    for title, index in ((labels[4], 1), (labels[5], 3), (labels[6], 4)):
        _row(summary, [])
        _row(summary, [title, labels[7]], bold=True)
        for key, count in violations_by(report, index, limit=None):
            _row(summary, [key, count])
    sheets = {}
    for outcome in report.outcomes:
        sheet = sheets.get(outcome.record_kind)
        if sheet is None:
            sheet = sheets[outcome.record_kind] = book.create_sheet(KIND_LABELS[lang].get(outcome.record_kind,
                                                                                          outcome.record_kind)[:31])
            sheet.freeze_panes = "A2"
            _row(sheet, HEADERS[lang], bold=True)
        agency, month = report.placement.get((outcome.record_kind, outcome.record_id), (None, None))
        citation = outcome.citation
        _row(sheet, [outcome.rule_id, outcome.rule_title(lang), outcome.ruleset,
                     SEVERITY_LABELS[lang].get(outcome.severity, outcome.severity),
                     OUTCOME_LABELS[lang].get(outcome.outcome, outcome.outcome),
                     YES_NO[lang][0 if outcome.provisional else 1], outcome.record_id, agency, month,
                     outcome.message(lang), "; ".join(f"{k}={v}" for k, v in outcome.evidence.items()),
                     citation.document + (f"（{citation.doc_number}）" if citation.doc_number else ""),
                     citation.clause, citation.quote,
                     outcome.source.file if outcome.source else None, outcome.source.line if outcome.source else None])
    coverage = report.coverage_warnings()
    if coverage:
        title, headers = COVERAGE[lang]
        sheet = book.create_sheet(title)
        sheet.column_dimensions["D"].width = 80
        _row(sheet, headers, bold=True)
        for issue in coverage:
            _row(sheet, [issue.record_id, issue.file, issue.line, issue.message])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
