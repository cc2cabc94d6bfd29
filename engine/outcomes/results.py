"""The results model: one place that owns outcomes, their counts and the exit code.

(Where a record came from and what was wrong with the input, ``SourceRef`` and ``InputIssue``, are
input facts: models/issues.py.)

Every output format is a small renderer over :class:`Report`; nothing else
decides what a run "means".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...models.issues import InputIssue, SourceRef

OUTCOMES = ("pass", "violation", "pending", "indeterminate", "waived")
SEVERITIES = ("info", "warning", "error")
FAIL_ON_LEVELS = ("info", "warning", "error", "never")

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT_ERRORS = 2
EXIT_INTERNAL = 3

#: Precedence when several outcomes fall on one (subject, rule) pair, as when an example checks
#: several officer-years: the worst one counts.
OUTCOME_RANK = {"pass": 0, "pending": 1, "indeterminate": 2, "violation": 3}


def jsonable(value: Any) -> Any:
    """Evidence and parameter values as JSON-ready data: ISO dates, whole floats as ints, models as dicts."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return {k: jsonable(v) for k, v in value.model_dump(exclude_none=True).items()}
    return value


@dataclass(frozen=True)
class Citation:
    document: str
    doc_number: str | None
    clause: str | None
    quote: str
    #: the clause as a reader names it (pack.yaml ``clause_label``: 第25项 / item 25 for a bare "25.");
    #: None for a citation stored before labels existed
    clause_label_zh: str | None = None
    clause_label_en: str | None = None

    def clause_label(self, lang: str = "zh") -> str:
        """The clause named as its source numbers it, in ``lang`` (the clause itself when unlabelled)."""
        label = self.clause_label_en if lang == "en" else self.clause_label_zh
        return label or self.clause_label_zh or self.clause or ""

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """With ``lang`` (reports): ``clause_label`` in that language beside ``clause``; without (storage):
        both languages' labels, so that ``Citation(**data)`` rebuilds it."""
        data = {"document": self.document, "doc_number": self.doc_number, "clause": self.clause, "quote": self.quote}
        if lang is None:
            data.update(clause_label_zh=self.clause_label_zh, clause_label_en=self.clause_label_en)
        else:
            data["clause_label"] = self.clause_label(lang)
        return data


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    version: str
    sha256: str
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "sha256": self.sha256}


@dataclass(slots=True)
class Outcome:
    """One (record, rule) pair's outcome, with what it rests on."""

    outcome: str
    rule_id: str
    ruleset: str
    severity: str
    record_kind: str
    record_id: str
    source: SourceRef | None
    messages: dict[str, str]
    evidence: dict[str, Any]
    citation: Citation
    title: dict[str, str] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None

    def __reduce__(self) -> tuple:
        # sent back from worker processes by the thousand: a plain call with the fields in order
        # (``__slots__``), not the slots dataclass default (fields() and setattr per field)
        return (Outcome, tuple(getattr(self, name) for name in self.__slots__))

    def message(self, lang: str = "zh") -> str:
        return self.messages.get(lang) or self.messages.get("zh") or ""

    @property
    def provisional(self) -> bool:
        """The outcome depends on a day of a year whose official holiday schedule is not known
        (records.md "Counting periods"); the evidence says which years (``provisional_years``)."""
        return bool(self.evidence.get("provisional"))

    def rule_title(self, lang: str = "zh") -> str:
        return self.title.get(lang) or self.title.get("zh") or self.rule_id

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "outcome": self.outcome,
            "rule_id": self.rule_id,
            "ruleset": self.ruleset,
            "severity": self.severity,
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "source": self.source.to_dict() if self.source else None,
            "message": self.message(lang),
            "evidence": self.evidence,
            "citation": self.citation.to_dict(lang),
        }
        if self.provisional:
            data["provisional"] = True
        if self.waiver is not None:
            data["waiver"] = self.waiver
        return data


@dataclass
class Report:
    """Everything one check (or audit) found. Renderers read it; only it computes the exit code."""

    tool_version: str
    as_of: dt.date
    rulesets: list[RulesetInfo]
    records: int
    outcomes: list[Outcome]
    errors: list[InputIssue] = field(default_factory=list)
    warnings: list[InputIssue] = field(default_factory=list)
    #: record key "kind:id" -> pack ids applied to it (the report says which packs applied)
    packs_applied: dict[str, list[str]] = field(default_factory=dict)
    #: passing checks counted but not kept as outcomes (large runs that do not list passes)
    unlisted_passes: int = 0
    #: whether ``packs_applied`` is known (a stored audit run does not keep it per record)
    packs_recorded: bool = True
    #: provisional passes counted but not kept as outcomes
    unlisted_provisional: int = 0
    #: the holiday data the run used (LegalCalendar.provenance()) and the absent-steps standard
    calendar: dict[str, Any] | None = None
    absent_steps: str = "indeterminate"

    def summary(self) -> dict[str, int]:
        counts = {"records": self.records}
        counts.update(dict.fromkeys(OUTCOMES, 0))
        for outcome in self.outcomes:
            counts[outcome.outcome] += 1
        counts["pass"] += self.unlisted_passes
        counts["errors"] = len(self.errors)
        #: outcomes (of any kind) that rest on an unknown holiday schedule; not a sixth outcome
        counts["provisional"] = sum(1 for outcome in self.outcomes if outcome.provisional) + self.unlisted_provisional
        return counts

    def coverage_warnings(self) -> list[InputIssue]:
        """Records checked against national rules only, and why (cli.md)."""
        return [issue for issue in self.warnings if issue.code == "coverage"]

    def failing(self, fail_on: str = "error") -> list[Outcome]:
        """Violations at or above ``fail_on`` severity."""
        if fail_on == "never":
            return []
        threshold = SEVERITIES.index(fail_on)
        return [o for o in self.outcomes if o.outcome == "violation" and SEVERITIES.index(o.severity) >= threshold]

    def exit_code(self, fail_on: str = "error") -> int:
        """cli.md: 2 when input could not be read (takes precedence), 1 on failing violations, else 0."""
        if self.errors:
            return EXIT_INPUT_ERRORS
        if self.failing(fail_on):
            return EXIT_VIOLATIONS
        return EXIT_OK

    def shown_outcomes(self, include_pass: bool = False) -> list[Outcome]:
        if include_pass:
            return list(self.outcomes)
        return [o for o in self.outcomes if o.outcome != "pass"]

    def by_record(self, include_pass: bool = False) -> dict[tuple[str, str], list[Outcome]]:
        grouped: dict[tuple[str, str], list[Outcome]] = {}
        for outcome in self.shown_outcomes(include_pass):
            grouped.setdefault((outcome.record_kind, outcome.record_id), []).append(outcome)
        return grouped
