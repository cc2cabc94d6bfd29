"""`markdown`: a summary table and one table per record, for pasting into reports and issues.

Every value goes through `cell` (or `heading`): control characters and bidi overrides shown as
escapes (`terminal_safe`), `|` and `\\` escaped, line breaks as <br>. Written a record at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..outcomes.results import Report
from .common import (
    SUMMARY_ORDER,
    RenderOptions,
    display_message,
    input_warnings,
    kind_label,
    outcome_label,
    outcome_text,
    packs_for,
    provisional_note,
    quoted_citation,
    severity_label,
    standard_line,
    terminal_safe,
    text,
    verdict,
)

_NEWLINES = re.compile(r"\r\n|\r|\n")


def cell(value: object) -> str:
    """A table cell: control characters shown as escapes, `|` escaped, line breaks as <br>, so one
    value never breaks the row nor reaches a viewer as an escape sequence or a bidi override."""
    escaped = terminal_safe(value).replace("\\", "\\\\").replace("|", "\\|")
    return _NEWLINES.sub("<br>", escaped)


def _row(values: Sequence[object]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]], align: list[str] | None = None) -> list[str]:
    rule = "| " + " | ".join(align or ["---"] * len(header)) + " |"
    return [_row(header), rule, *(_row(r) for r in rows)]


def heading(level: int, value: str) -> str:
    """A heading, capitalised for English; `|` and line breaks escaped like cells."""
    return f"{'#' * level} {cell(value[:1].upper() + value[1:])}"


def iter_markdown(report: Report, options: RenderOptions) -> Iterator[str]:
    """The Markdown text a record at a time (lines joined by newlines, no newline at the end)."""

    def t(key: str) -> str:
        return text(options, key)

    lines = [f"# {t('title')}", ""]
    rulesets = ", ".join(f"{r.id} {r.version}" for r in report.rulesets) or t("none")
    lines += [
        f"- {t('version')}{t('colon')}fzcheck {cell(report.tool_version)}",
        f"- {t('as_of')}{t('colon')}{report.as_of.isoformat()}",
        f"- {t('rulesets')}{t('colon')}{cell(rulesets)}",
    ]
    standard = standard_line(report, options)
    if standard:
        lines.append(f"- {cell(standard)}")
    lines.append("")

    counts = report.summary()
    header = [
        t("records"),
        *(outcome_label(name, options) for name in SUMMARY_ORDER),
        t("provisional"),
        t("errors"),
        t("warnings"),
    ]
    values = [
        counts["records"],
        *(counts[name] for name in SUMMARY_ORDER),
        counts["provisional"],
        counts["errors"],
        len(report.warnings),
    ]
    lines += [
        heading(2, t("summary")),
        "",
        *_table(header, [values], ["---:"] * len(header)),
        "",
        f"**{verdict(report, options)}**",
        "",
    ]

    grouped = report.by_record(options.include_pass)
    for (kind, record_id), outcomes in grouped.items():
        yield "\n".join(lines) + "\n"
        lines = []
        source = next((o.source for o in outcomes if o.source is not None), None)
        where = f" ({source})" if source is not None else ""
        lines += [heading(2, f"{kind_label(kind, options)} {record_id}{where}"), ""]
        packs = packs_for(report, kind, record_id)
        if packs is not None:
            lines += [f"{t('packs')}{t('colon')}{cell(', '.join(packs) or t('none'))}", ""]
        rows: list[list[object]] = [
            [
                outcome_text(o, options),
                severity_label(o.severity, options),
                o.rule_id,
                display_message(o, options),
                quoted_citation(o.citation, options.lang),
            ]
            for o in outcomes
        ]
        lines += [*_table([t("outcome"), t("severity"), t("rule"), t("message"), t("citation")], rows), ""]
    if not grouped and report.records:
        lines += [t("no_findings"), ""]
    note = provisional_note((o for outcomes in grouped.values() for o in outcomes), options)
    if note:
        lines += [cell(note), ""]

    coverage = report.coverage_warnings()
    if coverage:
        rows = [[i.file, "" if i.line is None else i.line, i.text(options.lang)] for i in coverage]
        lines += [heading(2, t("coverage")), "", *_table([t("file"), t("line"), t("message")], rows), ""]
    for key, issues in (("errors", report.errors), ("warnings", input_warnings(report))):
        if issues:
            rows = [[i.file, "" if i.line is None else i.line, i.field or "", i.text(options.lang)] for i in issues]
            lines += [heading(2, t(key)), "", *_table([t("file"), t("line"), t("field"), t("message")], rows), ""]
    yield "\n".join(lines)


def render_markdown(report: Report, options: RenderOptions) -> str:
    return "".join(iter_markdown(report, options))
