"""`junit`: one testcase per (record, rule) pair, a testsuite per ruleset, input errors in suite `input`.

Every outcome is rendered, passes included, so CI dashboards count the whole check.

A provisional outcome (it rests on a year without an official holiday schedule) says so in its
message and in a `<system-out>` of its testcase, and its suite has a `<property name="provisional"
value="<testcase name>"/>`: the schema the tests validate against (Jenkins xUnit's junit-10.xsd)
allows no `<properties>` in a testcase. Coverage warnings are `<property name="coverage">` of suite
`input`; the other input warnings are its `<system-out>`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from fzcheck.engine.results import InputIssue, Outcome, Report

from .common import (RenderOptions, full_citation, input_warnings, json_default, kind_label,
                     mark_provisional, outcome_text, provisional_note, text, waiver_reason)

INPUT_SUITE = "input"


def _details(o: Outcome, options: RenderOptions) -> str:
    where = f" ({o.source})" if o.source is not None else ""
    evidence = json.dumps(o.evidence, ensure_ascii=False, indent=2, default=json_default)
    colon = text(options, "colon")
    return "\n".join([
        f"{text(options, 'record')}{colon}{kind_label(o.record_kind, options)} {o.record_id}{where}",
        f"{text(options, 'citation')}{colon}{full_citation(o.citation)}",
        f"{text(options, 'evidence')}{colon}{evidence}",
    ])


def _testcase(o: Outcome, options: RenderOptions) -> ET.Element:
    case = ET.Element("testcase", name=f"{o.record_id} {o.rule_id}",
                      classname=f"{o.ruleset}.{o.rule_id}", time="0")
    if o.outcome == "violation":
        failure = ET.SubElement(case, "failure", type=o.severity,
                                message=mark_provisional(o.message(options.lang), o, options))
        failure.text = _details(o, options)
    elif o.outcome == "waived":
        reason = waiver_reason(o, options.lang)
        ET.SubElement(case, "skipped", message=f"{outcome_text(o, options)}: {reason}")
    elif o.outcome != "pass":
        skipped = ET.SubElement(case, "skipped",
                                message=f"{outcome_text(o, options)}: {o.message(options.lang)}")
        skipped.text = _details(o, options)
    note = provisional_note([o], options)
    if note:
        ET.SubElement(case, "system-out").text = note
    return case


def _error_case(issue: InputIssue, options: RenderOptions) -> ET.Element:
    where = issue.file if issue.line is None else f"{issue.file}:{issue.line}"
    name = f"{where} {issue.field}" if issue.field else where
    case = ET.Element("testcase", name=name, classname=INPUT_SUITE, time="0")
    error = ET.SubElement(case, "error", type="input_error", message=issue.message)
    error.text = str(issue)
    return case


def _suite(name: str, cases: list[ET.Element], properties: list[tuple[str, str]]) -> ET.Element:
    counts = {tag: sum(1 for c in cases if c.find(tag) is not None)
              for tag in ("failure", "error", "skipped")}
    suite = ET.Element("testsuite", name=name, tests=str(len(cases)),
                       failures=str(counts["failure"]), errors=str(counts["error"]),
                       skipped=str(counts["skipped"]), time="0")
    if properties:
        props = ET.SubElement(suite, "properties")
        for key, value in properties:
            ET.SubElement(props, "property", name=key, value=value)
    suite.extend(cases)
    return suite


def render_junit(report: Report, options: RenderOptions) -> str:
    by_ruleset: dict[str, list[ET.Element]] = {r.id: [] for r in report.rulesets}
    provisional: dict[str, list[str]] = {}
    for o in report.outcomes:
        case = _testcase(o, options)
        by_ruleset.setdefault(o.ruleset, []).append(case)
        if o.provisional:
            provisional.setdefault(o.ruleset, []).append(case.get("name"))
    info = {r.id: r for r in report.rulesets}
    suites = []
    for ruleset, cases in by_ruleset.items():
        properties = [("as_of", report.as_of.isoformat())]
        if ruleset in info:
            properties += [("version", info[ruleset].version), ("sha256", info[ruleset].sha256)]
        properties += [("provisional", name) for name in provisional.get(ruleset, [])]
        suites.append(_suite(ruleset, cases, properties))
    if report.errors or report.warnings:
        coverage = [("coverage", w.message) for w in report.coverage_warnings()]
        suite = _suite(INPUT_SUITE, [_error_case(e, options) for e in report.errors], coverage)
        warnings = input_warnings(report)
        if warnings:
            ET.SubElement(suite, "system-out").text = "\n".join(
                f"{text(options, 'input_warning')}{text(options, 'colon')}{w}" for w in warnings)
        suites.append(suite)

    root = ET.Element("testsuites", name=f"fzcheck {report.tool_version}",
                      tests=str(sum(int(s.get("tests")) for s in suites)),
                      failures=str(sum(int(s.get("failures")) for s in suites)),
                      errors=str(sum(int(s.get("errors")) for s in suites)), time="0")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
