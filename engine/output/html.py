"""The HTML report: one self-contained file (inline CSS, JS and SVG; no network needed to view it).

Record content reaches the page only through Jinja2 autoescaping or, for the outcome table, as
JSON inside a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
which the page's script puts into cells with ``textContent`` — so a title containing
``<script>`` shows as text. The table is paged in the browser so a run with 100,000s of
findings still opens quickly.

Provisional outcomes (resting on a year without an official holiday schedule) are marked in the
outcome column and counted in the overview, with the footnote under the table; coverage warnings
(records checked against the national rules only) have a section of their own.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..outcomes.counts import NO_PLACEMENT
from ..outcomes.results import OUTCOME_RANK
from ..store.runs import AuditReport
from .common import (
    KIND_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    RenderOptions,
    outcome_text,
    provisional_note,
    standard_line,
)
from .display import MISSING, calendar_sentence, display, evidence_text, month_range, parameter_items

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEXT = {
    "zh": {
        "title": "法治政府建设合规审计报告",
        "run": "审计批次",
        "as_of": "基准日",
        "records": "记录数",
        "subjects": "检查对象数",
        "duration": "用时（秒）",
        "rulesets": "规则集",
        "overview": "概况",
        "by_rule": "按规则统计违规",
        "by_agency": "按机关统计违规",
        "by_month": "按月份统计违规",
        "findings": "问题清单",
        "filter": "筛选（规则、机关、编号、结果、说明）",
        "all": "全部结果",
        "rule": "规则",
        "ruleset": "规则集",
        "severity": "严重程度",
        "outcome": "结果",
        "kind": "类型",
        "record": "记录编号",
        "agency": "机关",
        "month": "月份",
        "message": "说明",
        "evidence": "证据",
        "citation": "依据",
        "source": "来源",
        "shown": "显示",
        "of": "共",
        "prev": "上一页",
        "next": "下一页",
        "parameters": "参数",
        "none": "无",
        "provisional": "暂定",
        "coverage": "适用范围",
        "calendar": "节假日数据",
        "errors": "输入错误",
    },
    "en": {
        "title": "Rule-of-law government compliance audit",
        "run": "Audit run",
        "as_of": "As of",
        "records": "Records",
        "subjects": "Subjects checked",
        "duration": "Duration (s)",
        "rulesets": "Rulesets",
        "overview": "Overview",
        "by_rule": "Violations by rule",
        "by_agency": "Violations by agency",
        "by_month": "Violations by month",
        "findings": "Findings",
        "filter": "Filter (rule, agency, id, outcome, message)",
        "all": "All outcomes",
        "rule": "Rule",
        "ruleset": "Ruleset",
        "severity": "Severity",
        "outcome": "Outcome",
        "kind": "Kind",
        "record": "Record",
        "agency": "Agency",
        "month": "Month",
        "message": "Message",
        "evidence": "Evidence",
        "citation": "Citation",
        "source": "Source",
        "shown": "Showing",
        "of": "of",
        "prev": "Previous",
        "next": "Next",
        "parameters": "Parameters",
        "none": "none",
        "provisional": "Provisional",
        "coverage": "Coverage",
        "calendar": "Holiday data",
        "errors": "Input errors",
    },
}
CHART_ROWS = 15


def violations_by(report: AuditReport, index: int, limit: int | None = CHART_ROWS) -> list[tuple[str, int]]:
    """Violation counts by a count-key position (1 rule, 3 agency, 4 month)."""
    counts: Counter = Counter()
    for key, count in report.counts.items():
        if key[5] == "violation":
            counts[key[index] or "—"] += count
    if index == 4:
        return sorted(counts.items())
    return counts.most_common(limit)


def violations_by_month(report: AuditReport) -> list[tuple[str, int]]:
    """Violations in every month from the run's first to its last (months without any: 0); records
    without a month last, as —."""
    counts: Counter = Counter()
    months = set()
    for key, count in report.counts.items():
        months.add(key[4])
        if key[5] == "violation":
            counts[key[4] or MISSING] += count
    rows = [(month, counts.get(month, 0)) for month in month_range(list(months))]
    named = {month for month, _ in rows}
    rows += sorted((month, count) for month, count in counts.items() if month not in named)
    return rows


def month_chart(rows: list[tuple[str, int]]) -> dict:
    """The month axis as HTML bars (fixed-size labels, scrolled sideways in its box when long)."""
    top = max((value for _, value in rows), default=0) or 1
    return {
        "months": True,
        "bars": [{"label": label, "value": value, "h": round(140 * value / top)} for label, value in rows],
    }


def bar_chart(rows: list[tuple[str, int]], *, vertical: bool = False) -> dict:
    """Geometry of an SVG bar chart (the template draws it, escaping the labels)."""
    top = max((value for _, value in rows), default=0) or 1
    if vertical:
        width, height, gap = max(60 * len(rows), 300), 220, 60
        bars = [
            {
                "label": label,
                "value": value,
                "x": 10 + i * gap,
                "w": gap - 14,
                "h": round(160 * value / top),
                "y": 180 - round(160 * value / top),
            }
            for i, (label, value) in enumerate(rows)
        ]
        return {"vertical": True, "width": width, "height": height, "bars": bars}
    bars = [
        {"label": label, "value": value, "y": 8 + i * 26, "w": round(420 * value / top)}
        for i, (label, value) in enumerate(rows)
    ]
    return {"vertical": False, "width": 760, "height": 16 + 26 * len(rows), "bars": bars}


def _script_json(value) -> str:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


#: headings of the agency-year table (issue #12)
AGENCY_YEAR_TEXT = {
    "zh": {
        "title": "机关年度义务",
        "agency_year": "机关/年度",
        "note": "每行一个有未通过结论的机关年度，每列一项机关年度义务；空白为通过或不适用。",
    },
    "en": {
        "title": "Agency-year obligations",
        "agency_year": "agency/year",
        "note": "One row per agency-year with a finding, one column per agency-year obligation; "
        "blank: passed or not applicable.",
    },
}


def agency_year_table(report, lang: str) -> dict | None:
    """Agencies × obligations: the worst listed outcome of each agency-year and rule (violations red),
    or None when the report has no agency-year findings."""
    cells: dict[str, dict[str, str]] = {}
    rules: dict[str, str] = {}
    for outcome in report.outcomes:
        if outcome.record_kind != "agency_year" or outcome.outcome == "pass":
            continue
        rules.setdefault(outcome.rule_id, outcome.rule_title(lang))
        row = cells.setdefault(outcome.record_id, {})
        if OUTCOME_RANK.get(outcome.outcome, 0) > OUTCOME_RANK.get(row.get(outcome.rule_id, ""), -1):
            row[outcome.rule_id] = outcome.outcome
    if not cells:
        return None
    columns = sorted(rules)
    return {
        "columns": [(rule, rules[rule]) for rule in columns],
        "rows": [(subject, [cells[subject].get(rule) for rule in columns]) for subject in sorted(cells)],
        "text": AGENCY_YEAR_TEXT[lang],
    }


def render_html(report: AuditReport, lang: str = "zh") -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    options = RenderOptions(lang=lang)
    rows = []
    for outcome in report.outcomes:
        agency, month, _region = report.placement.get((outcome.record_kind, outcome.record_id), NO_PLACEMENT)
        citation = outcome.citation
        rows.append(
            [
                outcome.rule_id,
                outcome.rule_title(lang),
                outcome.ruleset,
                SEVERITY_LABELS[lang].get(outcome.severity, outcome.severity),
                outcome_text(outcome, options),
                outcome.outcome,
                KIND_LABELS[lang].get(outcome.record_kind, outcome.record_kind),
                outcome.record_id,
                agency or MISSING,
                month or MISSING,
                outcome.message(lang),
                evidence_text(outcome.evidence, lang, outcome.record_kind) or MISSING,
                "".join(
                    f"《{citation.document}》"
                    + (f"（{citation.doc_number}）" if citation.doc_number else "")
                    + (f" {citation.clause_label(lang)}" if citation.clause else "")
                ),
                citation.quote or "",
                str(outcome.source) if outcome.source else MISSING,
                outcome.provisional,
            ]
        )
    summary = report.summary()
    template = environment.get_template("report.html.j2")
    return template.render(
        t=TEXT[lang],
        lang=lang,
        report=report,
        summary=summary,
        outcome_labels=OUTCOME_LABELS[lang],
        charts=[
            (TEXT[lang]["by_rule"], bar_chart(violations_by(report, 1))),
            (TEXT[lang]["by_agency"], bar_chart(violations_by(report, 3))),
            (TEXT[lang]["by_month"], month_chart(violations_by_month(report))),
        ],
        parameters=parameter_items(report.parameters, lang),
        calendar=calendar_sentence(report.calendar, lang) if report.calendar is not None else None,
        duration=display(report.duration_seconds, lang)
        if getattr(report, "duration_seconds", None) is not None
        else None,
        standard=standard_line(report, options),
        note=provisional_note(report.outcomes, options),
        coverage=report.coverage_warnings(),
        agency_years=agency_year_table(report, lang),
        rows_json=_script_json(rows),
    )
