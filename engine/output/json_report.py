"""`json` (the report object of cli.md) and `jsonl` (one outcome object per line).

Both are written a piece at a time (`iter_json`, `iter_jsonl`): a report with 100,000s of findings
is never held as one text or one dict. JSON keeps the data exact: the encoder escapes control
characters (ESC as ``\u001b``), other characters are written as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..outcomes.results import Report
from .common import RenderOptions, compact_json, json_default


def report_dict(report: Report, options: RenderOptions, *, outcomes: bool = True) -> dict[str, Any]:
    """cli.md's keys in cli.md's order; then `warnings` (coverage warnings among them, with their
    `code`), `packs` (record "kind:id" -> pack ids), `calendar` (the holiday data used, or null) and
    `absent_steps` (the standard for a step with no record: "indeterminate" or "violation").

    With ``outcomes=False`` the `outcomes` value is None, kept in its place (`iter_json` streams it)."""
    return {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "as_of": report.as_of.isoformat(),
        "rulesets": [ruleset.to_dict() for ruleset in report.rulesets],
        "summary": report.summary(),
        "outcomes": (
            [o.to_dict(options.lang) for o in report.shown_outcomes(options.include_pass)] if outcomes else None
        ),
        "errors": [issue.to_dict(options.lang) for issue in report.errors],
        "warnings": [issue.to_dict(options.lang) for issue in report.warnings],
        "packs": report.packs_applied,
        "calendar": report.calendar,
        "absent_steps": report.absent_steps,
    }


def _dumps(value: Any, level: int) -> str:
    """``json.dumps(value, indent=2)`` as it reads nested ``level`` deep in an indented document: the
    encoder never writes a newline inside a string, so every newline is one of its own."""
    encoded = json.dumps(value, ensure_ascii=False, indent=2, default=json_default)
    return encoded.replace("\n", "\n" + "  " * level) if level else encoded


class Streamed:
    """A list (or, ``mapping``, a dict given as its (key, value) items) that `iter_indented` writes an
    item at a time: the values of a document that grow with the findings."""

    __slots__ = ("items", "mapping")

    def __init__(self, items: Iterable[Any], *, mapping: bool = False) -> None:
        self.items, self.mapping = items, mapping


def _holds_stream(value: Any) -> bool:
    if isinstance(value, Streamed):
        return True
    if isinstance(value, dict):
        return any(_holds_stream(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_stream(v) for v in value)
    return False


def iter_indented(value: Any, level: int = 0) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` in pieces, with every `Streamed` in
    ``value`` written an item at a time; the parts without one are encoded whole."""
    if not _holds_stream(value):
        yield _dumps(value, level)
        return
    if isinstance(value, Streamed):
        items: Iterable[Any] = value.items
        mapping = value.mapping
    elif isinstance(value, dict):
        items, mapping = value.items(), True
    else:
        items, mapping = value, False
    inner = "\n" + "  " * (level + 1)
    opening, closing = ("{", "}") if mapping else ("[", "]")
    empty = True
    for item in items:
        yield opening + inner if empty else "," + inner
        empty = False
        if mapping:
            key, item = item
            yield json.dumps(str(key), ensure_ascii=False) + ": "
        yield from iter_indented(item, level + 1)
    yield opening + closing if empty else "\n" + "  " * level + closing


def iter_json(report: Report, options: RenderOptions) -> Iterator[str]:
    """The JSON report in pieces, an outcome (and a record's packs) at a time, never held whole: the
    text is exactly ``json.dumps(report_dict(...), ensure_ascii=False, indent=2)`` and a newline."""
    data = report_dict(report, options, outcomes=False)
    data["outcomes"] = Streamed(o.to_dict(options.lang) for o in report.shown_outcomes(options.include_pass))
    data["packs"] = Streamed(report.packs_applied.items(), mapping=True)
    yield from iter_indented(data)
    yield "\n"


def render_json(report: Report, options: RenderOptions) -> str:
    return "".join(iter_json(report, options))


#: characters that end a line for some readers (Python's str.splitlines, JavaScript) though JSON
#: lets them stand in a string: JSON Lines writes them as escapes, which decode to the same text
_LINE_BREAKING = re.compile("[\x85\u2028\u2029]")


def _escape_line_breaking(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def iter_jsonl(report: Report, options: RenderOptions) -> Iterator[str]:
    """The outcomes only, as in `outcomes` of the JSON report (`"provisional": true` included); one
    line each, whatever a reader takes for a line break (U+0085, U+2028, U+2029 escaped)."""
    for outcome in report.outcomes:
        if options.include_pass or outcome.outcome != "pass":
            yield _LINE_BREAKING.sub(_escape_line_breaking, compact_json(outcome.to_dict(options.lang))) + "\n"


def render_jsonl(report: Report, options: RenderOptions) -> str:
    return "".join(iter_jsonl(report, options))
