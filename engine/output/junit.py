"""`junit`: one testcase per (record, rule) pair, a testsuite per ruleset, input errors in suite `input`.

Every outcome is rendered, passes included, so CI dashboards count the whole check.

A provisional outcome (it rests on a year without an official holiday schedule) says so in its
message and in a `<system-out>` of its testcase, and its suite has a `<property name="provisional"
value="<testcase name>"/>`: the schema the tests validate against (Jenkins xUnit's junit-10.xsd)
allows no `<properties>` in a testcase. Coverage warnings are `<property name="coverage">` of suite
`input`; the other input warnings are its `<system-out>`.

The document is written a testcase at a time (`iter_junit`; the counts are taken in a first pass
over the outcomes). Record content is kept as it is except for what XML 1.0 cannot hold at all
(C0 control characters but tab and line breaks, e.g. the ESC of an ANSI sequence): `xml_safe`
shows those as escapes (``\\x1b``), so the file always parses.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..outcomes.results import InputIssue, Outcome, Report
from .common import (
    RenderOptions,
    full_citation,
    input_warnings,
    issue_line,
    json_default,
    kind_label,
    mark_provisional,
    outcome_text,
    provisional_note,
    text,
    waiver_reason,
    xml_safe,
)

INPUT_SUITE = "input"


def _details(o: Outcome, options: RenderOptions) -> str:
    where = f" ({o.source})" if o.source is not None else ""
    evidence = json.dumps(o.evidence, ensure_ascii=False, indent=2, default=json_default)
    colon = text(options, "colon")
    return "\n".join(
        [
            f"{text(options, 'record')}{colon}{kind_label(o.record_kind, options)} {o.record_id}{where}",
            f"{text(options, 'citation')}{colon}{full_citation(o.citation, options.lang)}",
            f"{text(options, 'evidence')}{colon}{evidence}",
        ]
    )


def _testcase(o: Outcome, options: RenderOptions) -> ET.Element:
    case = ET.Element("testcase", name=f"{o.record_id} {o.rule_id}", classname=f"{o.ruleset}.{o.rule_id}", time="0")
    if o.outcome == "violation":
        failure = ET.SubElement(
            case, "failure", type=o.severity, message=mark_provisional(o.message(options.lang), o, options)
        )
        failure.text = _details(o, options)
    elif o.outcome == "waived":
        reason = waiver_reason(o, options.lang)
        ET.SubElement(case, "skipped", message=f"{outcome_text(o, options)}: {reason}")
    elif o.outcome != "pass":
        skipped = ET.SubElement(case, "skipped", message=f"{outcome_text(o, options)}: {o.message(options.lang)}")
        skipped.text = _details(o, options)
    note = provisional_note([o], options)
    if note:
        ET.SubElement(case, "system-out").text = note
    return case


def _error_case(issue: InputIssue, options: RenderOptions) -> ET.Element:
    where = issue.file if issue.line is None else f"{issue.file}:{issue.line}"
    name = f"{where} {issue.field}" if issue.field else where
    case = ET.Element("testcase", name=name, classname=INPUT_SUITE, time="0")
    error = ET.SubElement(case, "error", type="input_error", message=issue.text(options.lang))
    error.text = issue_line(issue, options.lang)
    return case


#: the child of a suite that stands for its testcases while the rest of it is serialised
_CASES = "fzcheck-testcases"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _suite(
    name: str, counts: dict[str, int], properties: list[tuple[str, str]], system_out: str | None = None
) -> ET.Element:
    """A testsuite without its testcases: `_CASES` holds their place."""
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(counts["tests"]),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time="0",
    )
    if properties:
        props = ET.SubElement(suite, "properties")
        for key, value in properties:
            ET.SubElement(props, "property", name=key, value=value)
    if counts["tests"]:
        ET.SubElement(suite, _CASES)
    if system_out is not None:
        ET.SubElement(suite, "system-out").text = system_out
    return suite


def _counts(outcomes: list[Outcome]) -> dict[str, int]:
    """What `_testcase` will make of the outcomes: failures (violations), skipped (the others but
    passes), no errors."""
    failures = sum(1 for o in outcomes if o.outcome == "violation")
    passes = sum(1 for o in outcomes if o.outcome == "pass")
    return {"tests": len(outcomes), "failure": failures, "error": 0, "skipped": len(outcomes) - failures - passes}


def _serialise(element: ET.Element, level: int) -> str:
    """The element as `ET.indent` of the whole document lays it out ``level`` deep, without its tail."""
    ET.indent(element, level=level)
    element.tail = None
    return xml_safe(ET.tostring(element, encoding="unicode"))


def _iter_suite(suite: ET.Element, cases: Iterator[ET.Element]) -> Iterator[str]:
    """A suite, its testcases serialised one at a time where `_CASES` stands."""
    text = _serialise(suite, 1)
    marker = f"<{_CASES} />"
    if marker not in text:
        yield text
        return
    head, tail = text.split(marker)
    yield head
    for index, case in enumerate(cases):
        yield ("\n    " if index else "") + _serialise(case, 2)
    yield tail


def iter_junit(report: Report, options: RenderOptions) -> Iterator[str]:
    by_ruleset: dict[str, list[Outcome]] = {r.id: [] for r in report.rulesets}
    for o in report.outcomes:
        by_ruleset.setdefault(o.ruleset, []).append(o)
    info = {r.id: r for r in report.rulesets}
    suites = []
    for ruleset, outcomes in by_ruleset.items():
        properties = [("as_of", report.as_of.isoformat())]
        if ruleset in info:
            properties += [("version", info[ruleset].version), ("sha256", info[ruleset].sha256)]
        properties += [("provisional", f"{o.record_id} {o.rule_id}") for o in outcomes if o.provisional]
        suites.append((_suite(ruleset, _counts(outcomes), properties), (_testcase(o, options) for o in outcomes)))
    if report.errors or report.warnings:
        coverage = [("coverage", w.text(options.lang)) for w in report.coverage_warnings()]
        warnings = input_warnings(report)
        system_out = (
            "\n".join(
                f"{text(options, 'input_warning')}{text(options, 'colon')}{issue_line(w, options.lang)}"
                for w in warnings
            )
            if warnings
            else None
        )
        counts = {"tests": len(report.errors), "failure": 0, "error": len(report.errors), "skipped": 0}
        suites.append(
            (_suite(INPUT_SUITE, counts, coverage, system_out), (_error_case(e, options) for e in report.errors))
        )

    root = ET.Element(
        "testsuites",
        name=f"fzcheck {report.tool_version}",
        tests=str(sum(int(s.attrib["tests"]) for s, _ in suites)),
        failures=str(sum(int(s.attrib["failures"]) for s, _ in suites)),
        errors=str(sum(int(s.attrib["errors"]) for s, _ in suites)),
        time="0",
    )
    if not suites:
        yield _DECLARATION + _serialise(root, 0) + "\n"
        return
    opening = xml_safe(ET.tostring(root, encoding="unicode")).removesuffix(" />") + ">"
    yield _DECLARATION + opening
    for suite, cases in suites:
        yield "\n  "
        yield from _iter_suite(suite, cases)
    yield "\n</testsuites>\n"


def render_junit(report: Report, options: RenderOptions) -> str:
    return "".join(iter_junit(report, options))
