"""Reports an auditor hands in: ``render_report(report, fmt)`` for html, xlsx, csv, json and markdown.

HTML and XLSX are written here; csv, json and markdown are the check renderers' output. ``fmt``
"xlsx" returns bytes, every other format text.
"""

from __future__ import annotations

from fzcheck.engine.db.runs import AuditReport
from fzcheck.engine.renderers import RenderOptions, render

REPORT_FORMATS = ("html", "xlsx", "csv", "json", "markdown")


def render_report(report: AuditReport, fmt: str, lang: str = "zh") -> str | bytes:
    if fmt == "html":
        from fzcheck.engine.reports.html import render_html

        return render_html(report, lang)
    if fmt == "xlsx":
        from fzcheck.engine.reports.xlsx import render_xlsx

        return render_xlsx(report, lang)
    if fmt in REPORT_FORMATS:
        return render(report, fmt, RenderOptions(lang=lang))
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
