"""Options, labels and small helpers shared by every output format."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len

from ...models.kinds import KINDS
from ..outcomes.results import Citation, InputIssue, Outcome, Report


@dataclass
class RenderOptions:
    lang: str = "zh"
    include_pass: bool = False
    fail_on: str = "error"
    width: int = 120
    #: only the table renderer uses it; the CLI turns it on for a terminal
    color: bool = False


OUTCOME_LABELS = {
    "zh": {"violation": "违规", "pending": "待定", "indeterminate": "无法判定", "pass": "通过", "waived": "豁免"},
    "en": {
        "violation": "violation",
        "pending": "pending",
        "indeterminate": "indeterminate",
        "pass": "pass",
        "waived": "waived",
    },
}

KIND_LABELS = {
    "zh": {code: kind.name_zh for code, kind in KINDS.items()},
    "en": {code: kind.name_en for code, kind in KINDS.items()},
}

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}

#: Words the human-readable formats (table, markdown) need besides the labels.
TEXT = {
    "zh": {
        "title": "fzcheck 检查报告",
        "colon": "：",
        "version": "版本",
        "as_of": "检查基准日",
        "rulesets": "规则集",
        "packs": "适用规则集",
        "none": "无",
        "outcome": "结果",
        "severity": "严重程度",
        "rule": "规则",
        "message": "说明",
        "citation": "依据",
        "records": "记录",
        "errors": "输入错误",
        "warnings": "警告",
        "file": "文件",
        "line": "行",
        "field": "字段",
        "summary": "汇总",
        "record": "记录",
        "evidence": "证据",
        "waiver_reason": "（豁免理由：{reason}）",
        "input_error": "输入错误",
        "input_warning": "输入警告",
        "no_findings": "未发现需要关注的结果。",
        "verdict": "结论：",
        "verdict_sep": "；",
        "verdict_fail": "存在 {n} 项严重程度不低于“{level}”的违规，检查不通过",
        "verdict_errors": "有 {n} 条输入无法读取，相关记录未检查",
        "verdict_ok": "没有严重程度不低于“{level}”的违规",
        "verdict_never": "未设置失败阈值（--fail-on never）",
        "counts": "共 {records} 条记录：违规 {violation}，待定 {pending}，无法判定 {indeterminate}，"
        "豁免 {waived}，通过 {pass}；暂定 {provisional}；输入错误 {errors}，警告 {warnings}",
        "provisional": "暂定",
        "provisional_mark": "（暂定）",
        "years_sep": "、",
        "provisional_note": "标“暂定”的结果取决于尚无国务院放假安排的年份{years}的调休，可用 --holidays 载入正式安排",
        "provisional_years": "（{years}）",
        "coverage": "适用范围提示",
        "standard_violation": "判定口径：案卷评查口径（未见记录视为未履行，--absent-steps violation）",
    },
    "en": {
        "title": "fzcheck report",
        "colon": ": ",
        "version": "version",
        "as_of": "as of",
        "rulesets": "rulesets",
        "packs": "packs applied",
        "none": "none",
        "outcome": "outcome",
        "severity": "severity",
        "rule": "rule",
        "message": "message",
        "citation": "citation",
        "records": "records",
        "errors": "input errors",
        "warnings": "warnings",
        "file": "file",
        "line": "line",
        "field": "field",
        "summary": "summary",
        "record": "record",
        "evidence": "evidence",
        "waiver_reason": " (waived: {reason})",
        "input_error": "input error",
        "input_warning": "input warning",
        "no_findings": "Nothing that needs attention.",
        "verdict": "Result: ",
        "verdict_sep": "; ",
        "verdict_fail": "{n} violation(s) at or above '{level}', check failed",
        "verdict_errors": "{n} input error(s), the records concerned were not checked",
        "verdict_ok": "no violation at or above '{level}'",
        "verdict_never": "no failure threshold (--fail-on never)",
        "counts": "{records} records: violation {violation}, pending {pending}, "
        "indeterminate {indeterminate}, waived {waived}, pass {pass}; "
        "provisional {provisional}; input errors {errors}, warnings {warnings}",
        "provisional": "provisional",
        "provisional_mark": " (provisional)",
        "years_sep": ", ",
        "provisional_note": 'Outcomes marked "provisional" depend on the make-up working days (调休) of '
        "a year with no State Council holiday schedule yet{years}; load the official "
        "schedule with --holidays",
        "provisional_years": " ({years})",
        "coverage": "Coverage",
        "standard_violation": "Standard: case-file review (no record = not done, --absent-steps violation)",
    },
}

#: Order in which the summary lists outcomes (worst first).
SUMMARY_ORDER = ("violation", "pending", "indeterminate", "waived", "pass")


# --- outputs that cannot attack their reader ------------------------------------------------
# Record content (ids, titles, agencies, messages built from them) is whatever a register held.
# Spreadsheet cells go through `spreadsheet_safe`, text meant for a terminal or a Markdown viewer
# through `terminal_safe`, XML text through `xml_safe`; JSON keeps the data exact (the encoder
# escapes control characters itself).

#: OWASP CSV injection: a cell starting with one of these is a formula (or becomes one) in Excel,
#: LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV or XLSX cell value that no spreadsheet runs as a formula: text starting with ``=``,
    ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (the OWASP guidance). Numbers (Python ints
    and floats, not bools' text) are values, not text, and are returned unchanged, as is None;
    everything else is text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text_value = value if isinstance(value, str) else str(value)
    if text_value.startswith(FORMULA_TRIGGERS):
        return "'" + text_value
    return text_value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    """`spreadsheet_safe` applied to every cell of a row."""
    return [spreadsheet_safe(value) for value in values]


#: Bidirectional-text controls (Trojan Source, CVE-2021-42574): they reorder what a reader sees.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: C0 controls but tab and newline, DEL, C1 controls (CSI 0x9b among them), the bidi controls and
#: the Unicode line and paragraph separators (some terminals break the line there, others don't).
_UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
#: what XML 1.0 forbids (not even as a character reference): C0 but tab, LF, CR; lone surrogates;
#: U+FFFE and U+FFFF
_UNSAFE_FOR_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CARRIAGE_RETURNS = re.compile("\r\n?")


def escape_char(char: str) -> str:
    """A character as the visible text of its escape: ESC -> ``\\x1b``, U+202E -> ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _escape_match(match: re.Match) -> str:
    return escape_char(match.group())


def terminal_safe(value: Any) -> str:
    """Text for a terminal, a GitHub log or a Markdown page: control characters (ESC of ANSI
    sequences, backspace, bell, C1, DEL) and bidi overrides shown as escapes (``\\x1b[31m``,
    ``\\u202e``) so that nothing recolours, moves the cursor or reorders what the reader sees,
    while the reader still sees that the data holds them. Tab and line breaks stay; CR and CRLF
    are line breaks (a lone CR would let text overwrite its own line)."""
    text_value = str(value)
    if "\r" in text_value:
        text_value = _CARRIAGE_RETURNS.sub("\n", text_value)
    return _UNSAFE_FOR_TERMINAL.sub(_escape_match, text_value)


def xml_safe(value: Any) -> str:
    """Text an XML 1.0 document may hold: the characters XML forbids outright (C0 controls but tab,
    LF and CR; lone surrogates; U+FFFE, U+FFFF) shown as escapes; every other character kept."""
    text_value = str(value)
    return _UNSAFE_FOR_XML.sub(_escape_match, text_value)


def lang_of(options: RenderOptions) -> str:
    return options.lang if options.lang in TEXT else "zh"


def text(options: RenderOptions, key: str) -> str:
    return TEXT[lang_of(options)][key]


def outcome_label(outcome: str, options: RenderOptions) -> str:
    return OUTCOME_LABELS[lang_of(options)].get(outcome, outcome)


def kind_label(kind: str, options: RenderOptions) -> str:
    return KIND_LABELS[lang_of(options)].get(kind, kind)


def severity_label(severity: str, options: RenderOptions) -> str:
    return SEVERITY_LABELS[lang_of(options)].get(severity, severity)


_TRAILING_PERIOD = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def short_title(document: str) -> str:
    """The document title without 《》 and without a trailing bracketed period such as (2016—2020年)."""
    title = document.strip().removeprefix("《").removesuffix("》")
    shortened = _TRAILING_PERIOD.sub("", title)
    return shortened or title


def short_citation(citation: Citation, lang: str = "zh") -> str:
    """《short title》clause (named as the source numbers it), the form a table cell has room for."""
    return f"《{short_title(citation.document)}》{citation.clause_label(lang)}"


def quoted_citation(citation: Citation, lang: str = "zh") -> str:
    """《short title》clause：“quote” — :func:`short_citation` with the quoted sentence, as
    :func:`full_citation` quotes it, for a cell with room for it (Markdown)."""
    quote = f"：“{citation.quote}”" if citation.quote else ""
    return f"{short_citation(citation, lang)}{quote}"


#: the most terminal cells (a Chinese character takes two) of a quoted sentence in the table view
SHORT_QUOTE_CELLS = 36
_QUOTE_SPACES = re.compile(r"[ \t\r\n\u3000]+")


def short_quote(quote: str, cells: int = SHORT_QUOTE_CELLS) -> str:
    """“The quoted sentence”, cut to ``cells`` terminal cells with an ellipsis (“…”) when longer;
    empty for no quote. Runs of spaces, tabs and line breaks (a line break in the source) become one
    space; any other character is kept for ``terminal_safe`` to show."""
    quote = _QUOTE_SPACES.sub(" ", quote).strip(" ")
    if not quote:
        return ""
    if cell_len(f"“{quote}”") <= cells:
        return f"“{quote}”"
    kept, used = [], cell_len("“…”")
    for character in quote:
        width = cell_len(character)
        if used + width > cells:
            break
        kept.append(character)
        used += width
    return f"“{''.join(kept).rstrip()}…”"


def full_citation(citation: Citation, lang: str = "zh") -> str:
    """《title》（文号）clause：“quote” — the whole citation on one line, the clause named as the source numbers it."""
    number = f"（{citation.doc_number}）" if citation.doc_number else ""
    quote = f"：“{citation.quote}”" if citation.quote else ""
    return f"《{citation.document.strip('《》')}》{number}{citation.clause_label(lang)}{quote}"


def waiver_reason(outcome: Outcome, lang: str = "zh") -> str:
    """What a waived outcome rests on: the waiver's reason, else the waiver itself, else the message."""
    waiver = outcome.waiver or {}
    reason = waiver.get("reason")
    if reason:
        return str(reason)
    return compact_json(waiver) if waiver else outcome.message(lang)


def display_message(outcome: Outcome, options: RenderOptions) -> str:
    """The message, and for a waived outcome also why it was waived."""
    message = outcome.message(options.lang)
    if outcome.outcome == "waived" and outcome.waiver:
        message += text(options, "waiver_reason").format(reason=waiver_reason(outcome, options.lang))
    return message


def packs_for(report: Report, kind: str, record_id: str) -> list[str] | None:
    """The packs applied to a record; None when the report does not know them (stored audit runs)."""
    if not report.packs_recorded:
        return None
    return report.packs_applied.get(f"{kind}:{record_id}", [])


def json_default(value: Any) -> Any:
    """Evidence may carry dates straight from the records; everything else falls back to its text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=json_default)


def forward_slashes(path: str) -> str:
    return path.replace("\\", "/")


def verdict(report: Report, options: RenderOptions) -> str:
    """One sentence saying what the exit code will say."""
    parts = []
    if report.errors:
        parts.append(text(options, "verdict_errors").format(n=len(report.errors)))
    if options.fail_on == "never":
        parts.append(text(options, "verdict_never"))
    else:
        failing = report.failing(options.fail_on)
        key = "verdict_fail" if failing else "verdict_ok"
        parts.append(text(options, key).format(n=len(failing), level=severity_label(options.fail_on, options)))
    return text(options, "verdict") + text(options, "verdict_sep").join(parts)


def counts_line(report: Report, options: RenderOptions) -> str:
    """Always the same fields (provisional included, 0 or not), so scripts can read the line."""
    counts = report.summary()
    return text(options, "counts").format(warnings=len(report.warnings), **counts)


def outcome_text(outcome: Outcome, options: RenderOptions) -> str:
    """The outcome label, marked when it is provisional: 违规（暂定）, violation (provisional)."""
    label = outcome_label(outcome.outcome, options)
    return label + text(options, "provisional_mark") if outcome.provisional else label


def mark_provisional(message: str, outcome: Outcome, options: RenderOptions) -> str:
    """A message with the provisional mark after it, for formats whose message is all a reader sees."""
    return message + text(options, "provisional_mark") if outcome.provisional else message


def provisional_years(outcomes: Iterable[Outcome]) -> list[int]:
    """The years without an official holiday schedule that the given outcomes depend on, sorted."""
    years: set[int] = set()
    for outcome in outcomes:
        if outcome.provisional:
            for year in outcome.evidence.get("provisional_years") or []:
                try:
                    years.add(int(year))
                except (TypeError, ValueError):
                    continue
    return sorted(years)


def provisional_note(outcomes: Iterable[Outcome], options: RenderOptions) -> str | None:
    """The footnote explaining the provisional mark, naming the years; None when nothing is provisional."""
    outcomes = [o for o in outcomes if o.provisional]
    if not outcomes:
        return None
    years = provisional_years(outcomes)
    named = (
        text(options, "provisional_years").format(years=text(options, "years_sep").join(str(y) for y in years))
        if years
        else ""
    )
    return text(options, "provisional_note").format(years=named)


def issue_line(issue: InputIssue, lang: str) -> str:
    """``file:line: field: message`` with the message in ``lang``."""
    where = f"{issue.file}:{issue.line}" if issue.line is not None else issue.file
    message = issue.text(lang)
    return f"{where}: {issue.field}: {message}" if issue.field else f"{where}: {message}"


def input_warnings(report: Report) -> list[InputIssue]:
    """Warnings about reading the input: the coverage warnings are listed apart."""
    return [issue for issue in report.warnings if issue.code != "coverage"]


def standard_line(report: Report, options: RenderOptions) -> str | None:
    """The case-file review standard (--absent-steps violation) said once; None for the default."""
    return text(options, "standard_violation") if report.absent_steps == "violation" else None
