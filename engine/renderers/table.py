"""`table`: the terminal view, grouped by record, rendered with rich."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fzcheck.engine.results import InputIssue, Outcome, Report

from .common import (RenderOptions, counts_line, display_message, input_warnings, kind_label,
                     outcome_text, packs_for, provisional_note, severity_label, short_title,
                     standard_line, text, verdict)

OUTCOME_STYLES = {"violation": "bold red", "pending": "yellow", "indeterminate": "magenta",
                  "waived": "cyan", "pass": "green"}
SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "blue"}


def _record_header(kind: str, record_id: str, outcomes: list[Outcome], report: Report,
                   options: RenderOptions) -> Text:
    source = next((o.source for o in outcomes if o.source is not None), None)
    packs = packs_for(report, kind, record_id)
    header = Text()
    header.append(kind_label(kind, options), style="bold")
    header.append(" ")
    header.append(record_id, style="bold underline")
    if source is not None:
        header.append(f"  {source}", style="dim")
    if packs is not None:
        header.append(f"  {text(options, 'packs')}{text(options, 'colon')}{', '.join(packs) or text(options, 'none')}",
                      style="dim")
    return header


def _citation_cell(o: Outcome) -> str:
    """文号 (else the short title) and clause on lines of their own: the message keeps the width."""
    source = o.citation.doc_number or f"《{short_title(o.citation.document)}》"
    return f"{source}\n{o.citation.clause}" if o.citation.clause else source


def _outcome_table(outcomes: list[Outcome], options: RenderOptions) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(text(options, "outcome"), no_wrap=True)
    table.add_column(text(options, "severity"), no_wrap=True)
    table.add_column(text(options, "rule"), no_wrap=True)
    table.add_column(text(options, "message"), overflow="fold", ratio=4)
    table.add_column(text(options, "citation"), overflow="fold", ratio=1, max_width=20)
    for o in outcomes:
        table.add_row(
            Text(outcome_text(o, options), style=OUTCOME_STYLES.get(o.outcome, "")),
            Text(severity_label(o.severity, options), style=SEVERITY_STYLES.get(o.severity, "")),
            Text(o.rule_id),
            Text(display_message(o, options)),
            Text(_citation_cell(o)),
        )
    return table


def _coverage_table(issues: list[InputIssue], options: RenderOptions) -> Table:
    """Coverage warnings: where the record is and why only the national rules applied."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(text(options, "file"), overflow="fold")
    table.add_column(text(options, "line"), justify="right", no_wrap=True)
    table.add_column(text(options, "message"), overflow="fold")
    for issue in issues:
        table.add_row(Text(issue.file), Text("" if issue.line is None else str(issue.line)),
                      Text(issue.message))
    return table


def _issue_table(issues: list[InputIssue], options: RenderOptions) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(text(options, "file"), overflow="fold")
    table.add_column(text(options, "line"), justify="right", no_wrap=True)
    table.add_column(text(options, "field"), overflow="fold")
    table.add_column(text(options, "message"), overflow="fold")
    for issue in issues:
        table.add_row(Text(issue.file), Text("" if issue.line is None else str(issue.line)),
                      Text(issue.field or ""), Text(issue.message))
    return table


def render_table(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=options.width, highlight=False, emoji=False,
                      color_system="truecolor" if options.color else None,
                      force_terminal=options.color, legacy_windows=False)
    standard = standard_line(report, options)
    if standard:
        console.print(Text(standard, style="bold"))
        console.print()
    grouped = report.by_record(options.include_pass)
    for (kind, record_id), outcomes in grouped.items():
        console.print(_record_header(kind, record_id, outcomes, report, options))
        console.print(_outcome_table(outcomes, options))
        console.print()
    if not grouped:
        console.print(text(options, "no_findings"))
        console.print()
    note = provisional_note((o for outcomes in grouped.values() for o in outcomes), options)
    if note:
        console.print(Text(note, style="dim"))
        console.print()
    coverage = report.coverage_warnings()
    if coverage:
        console.print(Text(f"{text(options, 'coverage')} ({len(coverage)})", style="bold yellow"))
        console.print(_coverage_table(coverage, options))
        console.print()
    for key, issues, style in (("errors", report.errors, "bold red"),
                               ("warnings", input_warnings(report), "bold yellow")):
        if issues:
            console.print(Text(f"{text(options, key)} ({len(issues)})", style=style))
            console.print(_issue_table(issues, options))
            console.print()
    console.print(Text(counts_line(report, options)))
    console.print(Text(verdict(report, options), style="bold"))
    output = buffer.getvalue()
    if options.color:
        return output
    return "".join(line.rstrip() + "\n" for line in output.splitlines())
