"""The XLSX report: a summary sheet and one sheet of findings per record kind, to send back to agencies.

Each finding says whether it is provisional (it rests on a year without an official holiday
schedule; the summary counts them and explains the mark); coverage warnings (records checked against
the national rules only) are a sheet of their own, 适用范围 / Coverage, when there are any.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from fzcheck.engine.db.runs import AuditReport
from fzcheck.engine.renderers.common import (KIND_LABELS, OUTCOME_LABELS, SEVERITY_LABELS, RenderOptions,
                                            compact_json, provisional_note, standard_line)

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


def _append(sheet, values) -> None:
    """Append a row; text that looks like a formula (``=...``) stays text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _bold_row(sheet, values):
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def render_xlsx(report: AuditReport, lang: str = "zh") -> bytes:
    from fzcheck.engine.reports.html import violations_by

    labels = SUMMARY[lang]
    options = RenderOptions(lang=lang)
    book = Workbook()
    summary = book.active
    summary.title = "汇总" if lang == "zh" else "Summary"
    summary.append([labels[0], report.run_id])
    summary.append([labels[1], report.as_of])
    summary.append([labels[2], report.records])
    summary.append([labels[3], str(report.parameters)])
    if report.calendar is not None:
        summary.append([labels[8], compact_json(report.calendar)])
    standard = standard_line(report, options)
    if standard:
        summary.append([standard])
    summary.append([])
    for name, count in report.summary().items():
        if name != "records":
            summary.append([COUNT_LABELS[lang].get(name) or OUTCOME_LABELS[lang].get(name, name), count])
    note = provisional_note(report.outcomes, options)
    if note:
        summary.append([note])
    for title, index in ((labels[4], 1), (labels[5], 3), (labels[6], 4)):
        summary.append([])
        _bold_row(summary, [title, labels[7]])
        for key, count in violations_by(report, index, limit=None):
            summary.append([key, count])
    summary.column_dimensions["A"].width = 36
    sheets = {}
    for outcome in report.outcomes:
        sheet = sheets.get(outcome.record_kind)
        if sheet is None:
            sheet = sheets[outcome.record_kind] = book.create_sheet(KIND_LABELS[lang].get(outcome.record_kind,
                                                                                          outcome.record_kind)[:31])
            _bold_row(sheet, HEADERS[lang])
            sheet.freeze_panes = "A2"
        agency, month = report.placement.get((outcome.record_kind, outcome.record_id), (None, None))
        citation = outcome.citation
        _append(sheet, [outcome.rule_id, outcome.rule_title(lang), outcome.ruleset,
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
        _bold_row(sheet, headers)
        for issue in coverage:
            _append(sheet, [issue.record_id, issue.file, issue.line, issue.message])
        sheet.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
