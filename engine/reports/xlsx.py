"""The XLSX report: a summary sheet and one sheet of findings per record kind, to send back to agencies."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from fzcheck.engine.db.runs import AuditReport
from fzcheck.engine.renderers.common import KIND_LABELS, OUTCOME_LABELS, SEVERITY_LABELS

HEADERS = {
    "zh": ["规则", "规则名称", "规则集", "严重程度", "结果", "记录编号", "机关", "月份", "说明", "证据", "依据文件",
           "条款", "原文", "来源文件", "行"],
    "en": ["Rule", "Title", "Ruleset", "Severity", "Outcome", "Record", "Agency", "Month", "Message", "Evidence",
           "Document", "Clause", "Quote", "File", "Line"],
}
SUMMARY = {"zh": ("审计批次", "基准日", "记录数", "参数", "规则", "机关", "月份", "违规"),
           "en": ("Audit run", "As of", "Records", "Parameters", "Rule", "Agency", "Month", "Violations")}


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
    book = Workbook()
    summary = book.active
    summary.title = "汇总" if lang == "zh" else "Summary"
    summary.append([labels[0], report.run_id])
    summary.append([labels[1], report.as_of])
    summary.append([labels[2], report.records])
    summary.append([labels[3], str(report.parameters)])
    summary.append([])
    for name, count in report.summary().items():
        summary.append([OUTCOME_LABELS[lang].get(name, name), count])
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
                      OUTCOME_LABELS[lang].get(outcome.outcome, outcome.outcome), outcome.record_id, agency, month,
                      outcome.message(lang), "; ".join(f"{k}={v}" for k, v in outcome.evidence.items()),
                      citation.document + (f"（{citation.doc_number}）" if citation.doc_number else ""),
                      citation.clause, citation.quote,
                      outcome.source.file if outcome.source else None, outcome.source.line if outcome.source else None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
