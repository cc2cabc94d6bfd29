"""`github`: GitHub Actions workflow commands, which the runner turns into annotations.

The job log shows them, and renders ANSI colours: record content goes through `terminal_safe`
(an escape sequence or a bidi override is shown as ``\\x1b[31m``, ``\\u202e``), then through the
workflow-command escaping, so no value can end the command or start another one.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..outcomes.results import InputIssue, Outcome, Report
from .common import (
    RenderOptions,
    forward_slashes,
    kind_label,
    mark_provisional,
    outcome_label,
    short_citation,
    terminal_safe,
    text,
)

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Message escaping as in @actions/core: `%`, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Property escaping as in @actions/core: the message escapes plus `:` and `,`."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, file: str | None = None, line: int | None = None, title: str | None = None) -> str:
    """A workflow command; the values are made `terminal_safe`, then escaped."""
    props = []
    if file:
        props.append(f"file={escape_property(terminal_safe(forward_slashes(file)))}")
        if line is not None:
            props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(terminal_safe(title))}")
    joined = " " + ",".join(props) if props else ""
    return f"::{name}{joined}::{escape_data(terminal_safe(message))}"


def _annotation(o: Outcome, options: RenderOptions) -> str:
    if o.outcome == "violation":
        name, title = COMMANDS.get(o.severity, "warning"), o.rule_id
    else:
        name, title = "notice", f"{o.rule_id} ({outcome_label(o.outcome, options)})"
    message = (
        f"{kind_label(o.record_kind, options)} {o.record_id}{text(options, 'colon')}"
        f"{mark_provisional(o.message(options.lang), o, options)} [{short_citation(o.citation, options.lang)}]"
    )
    return command(name, message, o.source.file if o.source else None, o.source.line if o.source else None, title)


def _issue(issue: InputIssue, name: str, title_key: str, options: RenderOptions) -> str:
    message = f"{issue.field}: {issue.text(options.lang)}" if issue.field else issue.text(options.lang)
    if issue.code == "coverage":
        title_key = "coverage"
    return command(name, message, issue.file, issue.line, text(options, title_key))


def iter_github(report: Report, options: RenderOptions) -> Iterator[str]:
    """Violations, pending and indeterminate outcomes (a provisional one marked in its message);
    waived and passing ones need no annotation. Input warnings, coverage warnings among them
    (titled as such), are warning annotations. A line at a time."""
    for o in report.outcomes:
        if o.outcome in ("violation", "pending", "indeterminate"):
            yield _annotation(o, options) + "\n"
    for e in report.errors:
        yield _issue(e, "error", "input_error", options) + "\n"
    for w in report.warnings:
        yield _issue(w, "warning", "input_warning", options) + "\n"


def render_github(report: Report, options: RenderOptions) -> str:
    return "".join(iter_github(report, options))
