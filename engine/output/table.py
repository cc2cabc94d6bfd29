"""`table`: the terminal view, grouped by record; tables folded by words by `plain_table` (never inside
a date, id, 文号, field name or file name), printed as plain lines or, with colour, through rich.

Record content reaches the terminal through `terminal_safe`: an ANSI sequence or a bidi override
in an id or a message is shown as escapes (``\\x1b[31m``, ``\\u202e``), never acted on.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from rich.console import Console
from rich.text import Text

from ..outcomes.results import InputIssue, Outcome, Report
from .common import (
    RenderOptions,
    counts_line,
    display_message,
    input_warnings,
    kind_label,
    outcome_text,
    packs_for,
    provisional_note,
    severity_label,
    short_quote,
    short_title,
    standard_line,
    terminal_safe,
    text,
    verdict,
)
from .plain_table import Column, fits, rich_table, simple_line, table_lines

OUTCOME_STYLES = {
    "violation": "bold red",
    "pending": "yellow",
    "indeterminate": "magenta",
    "waived": "cyan",
    "pass": "green",
}
SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "blue"}


def _record_header(kind: str, record_id: str, outcomes: list[Outcome], report: Report, options: RenderOptions) -> Text:
    source = next((o.source for o in outcomes if o.source is not None), None)
    packs = packs_for(report, kind, record_id)
    header = Text()
    header.append(kind_label(kind, options), style="bold")
    header.append(" ")
    header.append(terminal_safe(record_id), style="bold underline")
    if source is not None:
        header.append(f"  {terminal_safe(source)}", style="dim")
    if packs is not None:
        header.append(
            f"  {text(options, 'packs')}{text(options, 'colon')}{', '.join(packs) or text(options, 'none')}",
            style="dim",
        )
    return header


def _citation_cell(o: Outcome, lang: str = "zh") -> str:
    """文号 (else the short title), clause (named as the source numbers it) and the start of the
    quoted sentence (:func:`short_quote`) on lines of their own, folded in the column: the message
    keeps the width."""
    source = o.citation.doc_number or f"《{short_title(o.citation.document)}》"
    lines = [source, o.citation.clause_label(lang), short_quote(o.citation.quote)]
    return "\n".join(line for line in lines if line)


def _outcome_columns(options: RenderOptions) -> list[Column]:
    return [
        Column(text(options, "outcome"), no_wrap=True),
        Column(text(options, "severity"), no_wrap=True),
        Column(text(options, "rule"), no_wrap=True),
        Column(text(options, "message"), overflow="fold", ratio=4),
        Column(text(options, "citation"), overflow="fold", ratio=1, max_width=20, priority=-1),
    ]


def _outcome_rows(outcomes: list[Outcome], options: RenderOptions) -> list[list[str]]:
    return [
        [
            outcome_text(o, options),
            severity_label(o.severity, options),
            terminal_safe(o.rule_id),
            terminal_safe(display_message(o, options)),
            terminal_safe(_citation_cell(o, options.lang)),
        ]
        for o in outcomes
    ]


def _outcome_styles(outcomes: list[Outcome]) -> list[list[str]]:
    return [[OUTCOME_STYLES.get(o.outcome, ""), SEVERITY_STYLES.get(o.severity, ""), "", "", ""] for o in outcomes]


def _coverage_columns(options: RenderOptions) -> list[Column]:
    """Coverage warnings: where the record is and why only the national rules applied."""
    return [
        Column(text(options, "file"), whole=True),
        Column(text(options, "line"), justify="right", no_wrap=True),
        Column(text(options, "message"), overflow="fold"),
    ]


def _coverage_rows(issues: list[InputIssue], lang: str) -> list[list[str]]:
    return [[terminal_safe(i.file), "" if i.line is None else str(i.line), terminal_safe(i.text(lang))] for i in issues]


def _issue_columns(options: RenderOptions) -> list[Column]:
    return [
        Column(text(options, "file"), whole=True),
        Column(text(options, "line"), justify="right", no_wrap=True),
        Column(text(options, "field"), overflow="fold"),
        Column(text(options, "message"), overflow="fold"),
    ]


def _issue_rows(issues: list[InputIssue], lang: str) -> list[list[str]]:
    return [
        [
            terminal_safe(i.file),
            "" if i.line is None else str(i.line),
            terminal_safe(i.field or ""),
            terminal_safe(i.text(lang)),
        ]
        for i in issues
    ]


class _Writer:
    """Prints a section at a time and hands back its text: tables without colour are laid out by
    `plain_table` (rich's layout, fast), everything with colour by rich."""

    def __init__(self, options: RenderOptions) -> None:
        self.buffer = io.StringIO()
        self.color = options.color
        self.width = options.width
        self.console = Console(
            file=self.buffer,
            width=options.width,
            highlight=False,
            emoji=False,
            color_system="truecolor" if options.color else None,
            force_terminal=options.color,
            legacy_windows=False,
        )
        self.plain: list[str] = []

    def text(self, value: Text | str = "", style: str = "") -> None:
        """A line of text (wrapped at the width as rich wraps it); ``""`` an empty line."""
        if isinstance(value, str):
            value = Text(value, style=style)
        plain = value.plain
        if self.color or not simple_line(plain, self.width):
            self.console.print(value)
        else:
            self._flush_console()
            self.plain.append(plain.rstrip() + "\n")

    def table(self, columns: list[Column], rows: list[list[str]], styles: list[list[str]] | None = None) -> None:
        if self.color and fits(columns, rows, self.width):
            given: Sequence[list[str] | None] = styles or [None] * len(rows)
            cells = [
                [Text(value, style=style) for value, style in zip(row, row_styles or [""] * len(row))]
                for row, row_styles in zip(rows, given)
            ]
            self.console.print(rich_table(columns, cells, self.width))
        else:
            # without colour, or too narrow for every column (then cropped, as rich would)
            self._flush_console()
            self.plain += [line + "\n" for line in table_lines(self.console, columns, rows, self.width)]

    def _flush_console(self) -> None:
        if self.buffer.tell():
            self.plain.append(self._console_text())

    def _console_text(self) -> str:
        output = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        if self.color:
            return output
        return "".join(line.rstrip() + "\n" for line in output.splitlines())

    def take(self) -> str:
        """Everything written since the last call."""
        self._flush_console()
        written = "".join(self.plain)
        self.plain = []
        return written


def iter_table(report: Report, options: RenderOptions) -> Iterator[str]:
    """The table view a record at a time: memory does not grow with the number of findings."""
    out = _Writer(options)
    standard = standard_line(report, options)
    if standard:
        out.text(standard, style="bold")
        out.text()
    grouped = report.by_record(options.include_pass)
    for (kind, record_id), outcomes in grouped.items():
        out.text(_record_header(kind, record_id, outcomes, report, options))
        out.table(_outcome_columns(options), _outcome_rows(outcomes, options), _outcome_styles(outcomes))
        out.text()
        yield out.take()
    if not grouped and report.records:
        # "nothing that needs attention" only when something was checked: with no record read, the
        # input errors are the whole story
        out.text(text(options, "no_findings"))
        out.text()
    note = provisional_note((o for outcomes in grouped.values() for o in outcomes), options)
    if note:
        out.text(note, style="dim")
        out.text()
    coverage = report.coverage_warnings()
    if coverage:
        out.text(f"{text(options, 'coverage')} ({len(coverage)})", style="bold yellow")
        out.table(_coverage_columns(options), _coverage_rows(coverage, options.lang))
        out.text()
    for key, issues, style, columns, rows in (
        ("errors", report.errors, "bold red", _issue_columns, _issue_rows),
        ("warnings", input_warnings(report), "bold yellow", _issue_columns, _issue_rows),
    ):
        if issues:
            out.text(f"{text(options, key)} ({len(issues)})", style=style)
            out.table(columns(options), rows(issues, options.lang))
            out.text()
    out.text(counts_line(report, options))
    out.text(verdict(report, options), style="bold")
    yield out.take()


def render_table(report: Report, options: RenderOptions) -> str:
    return "".join(iter_table(report, options))
