"""`json` (the report object of cli.md) and `jsonl` (one outcome object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fzcheck.engine.results import Report

from .common import RenderOptions, compact_json, json_default


def report_dict(report: Report, options: RenderOptions) -> dict[str, Any]:
    """cli.md's keys in cli.md's order; then `warnings` (coverage warnings among them, with their
    `code`), `packs` (record "kind:id" -> pack ids), `calendar` (the holiday data used, or null) and
    `absent_steps` (the standard for a step with no record: "indeterminate" or "violation")."""
    return {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "as_of": report.as_of.isoformat(),
        "rulesets": [ruleset.to_dict() for ruleset in report.rulesets],
        "summary": report.summary(),
        "outcomes": [o.to_dict(options.lang) for o in report.shown_outcomes(options.include_pass)],
        "errors": [issue.to_dict() for issue in report.errors],
        "warnings": [issue.to_dict() for issue in report.warnings],
        "packs": report.packs_applied,
        "calendar": report.calendar,
        "absent_steps": report.absent_steps,
    }


def render_json(report: Report, options: RenderOptions) -> str:
    return json.dumps(report_dict(report, options), ensure_ascii=False, indent=2,
                      default=json_default) + "\n"


def iter_jsonl(report: Report, options: RenderOptions) -> Iterator[str]:
    """The outcomes only, as in `outcomes` of the JSON report (`"provisional": true` included)."""
    for outcome in report.outcomes:
        if options.include_pass or outcome.outcome != "pass":
            yield compact_json(outcome.to_dict(options.lang)) + "\n"


def render_jsonl(report: Report, options: RenderOptions) -> str:
    return "".join(iter_jsonl(report, options))
