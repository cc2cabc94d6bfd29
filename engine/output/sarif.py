"""`sarif`: SARIF 2.1.0 for code-scanning dashboards.

Violations are `fail` results, waived ones carry an accepted suppression, pending ones are
`review` (someone must look again once the period is over) and indeterminate ones are `open`
(not enough information to decide); SARIF requires level `none` for the last two.

A provisional outcome (it rests on a year without an official holiday schedule) has
`properties.provisional: true` and the mark in its message. Input errors and warnings, coverage
warnings among them (descriptor id `coverage`), are `toolExecutionNotifications`; the run's
properties name the holiday data used (`calendar`) and the absent-steps standard.

The log is written a result at a time (`iter_sarif`); JSON escapes control characters, so record
content is kept exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from ..outcomes.results import InputIssue, Outcome, Report
from .common import RenderOptions, forward_slashes, mark_provisional, waiver_reason
from .json_report import Streamed, iter_indented

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
KINDS = {"violation": "fail", "waived": "fail", "pending": "review", "indeterminate": "open", "pass": "pass"}
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}


def artifact_uri(path: str) -> str:
    """The path with forward slashes, percent-encoded where a URI can't hold it (spaces, Chinese)."""
    return quote(forward_slashes(path), safe="/:@!$&'()*+,;=-._~")


def _location(file: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _rule(o: Outcome, options: RenderOptions) -> dict[str, Any]:
    return {
        "id": o.rule_id,
        "shortDescription": {"text": o.rule_title(options.lang)},
        "fullDescription": {"text": o.citation.quote or o.rule_title(options.lang)},
        "defaultConfiguration": {"level": LEVELS.get(o.severity, "warning")},
        "properties": {"ruleset": o.ruleset, "citation": o.citation.to_dict(options.lang)},
    }


def _result(o: Outcome, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    kind = KINDS[o.outcome]
    result: dict[str, Any] = {
        "ruleId": o.rule_id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": LEVELS.get(o.severity, "warning") if kind == "fail" else "none",
        "message": {"text": mark_provisional(o.message(options.lang), o, options)},
    }
    if o.source is not None:
        result["locations"] = [_location(o.source.file, o.source.line)]
    result["partialFingerprints"] = {"fzcheckOutcome/v1": f"{o.ruleset}:{o.rule_id}:{o.record_kind}:{o.record_id}"}
    if o.outcome == "waived":
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": waiver_reason(o, options.lang)}
        ]
    result["properties"] = {
        "outcome": o.outcome,
        "ruleset": o.ruleset,
        "severity": o.severity,
        "record_kind": o.record_kind,
        "record_id": o.record_id,
        "evidence": o.evidence,
    }
    if o.provisional:
        result["properties"]["provisional"] = True
    return result


def _notification(issue: InputIssue, level: str, lang: str = "zh") -> dict[str, Any]:
    """An input error or warning; located when the issue names a file."""
    text = f"{issue.field}: {issue.text(lang)}" if issue.field else issue.text(lang)
    notification: dict[str, Any] = {"level": level, "message": {"text": text}}
    if issue.file:
        notification["locations"] = [_location(issue.file, issue.line)]
    if issue.code is not None:
        notification["descriptor"] = {"id": issue.code}
        notification["properties"] = {"record_id": issue.record_id}
    return notification


def _rules(report: Report, options: RenderOptions) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """The rules the shown outcomes name, in order of first appearance, and each one's index."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[tuple[str, str], int] = {}
    for o in report.shown_outcomes(options.include_pass):
        key = (o.ruleset, o.rule_id)
        if key not in rule_index:
            rule_index[key] = len(rules)
            rules.append(_rule(o, options))
    return rules, rule_index


def _log(report: Report, options: RenderOptions, results: Any, rules: list[dict[str, Any]]) -> dict[str, Any]:
    notifications = [_notification(e, "error", options.lang) for e in report.errors] + [
        _notification(w, "warning", options.lang) for w in report.warnings
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "fzcheck", "version": report.tool_version, "rules": rules}},
                "invocations": [
                    {"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}
                ],
                "language": LANGUAGES.get(options.lang, "zh-CN"),
                "results": results,
                "properties": {
                    "as_of": report.as_of.isoformat(),
                    "rulesets": [r.to_dict() for r in report.rulesets],
                    "summary": report.summary(),
                    "calendar": report.calendar,
                    "absent_steps": report.absent_steps,
                },
            }
        ],
    }


def sarif_dict(report: Report, options: RenderOptions) -> dict[str, Any]:
    rules, rule_index = _rules(report, options)
    results = [
        _result(o, rule_index[(o.ruleset, o.rule_id)], options) for o in report.shown_outcomes(options.include_pass)
    ]
    return _log(report, options, results, rules)


def iter_sarif(report: Report, options: RenderOptions) -> Iterator[str]:
    """The log in pieces, a result at a time (the rules are gathered first, in one pass that keeps
    only them): the text is exactly ``render_sarif``'s and never held whole."""
    rules, rule_index = _rules(report, options)
    results = Streamed(
        _result(o, rule_index[(o.ruleset, o.rule_id)], options) for o in report.shown_outcomes(options.include_pass)
    )
    yield from iter_indented(_log(report, options, results, rules))
    yield "\n"


def render_sarif(report: Report, options: RenderOptions) -> str:
    return "".join(iter_sarif(report, options))
