"""What outcomes are counted by, for runs too large to list every pass: a count per rule, agency, month
and region (``CountKey``), where a record's outcomes fall (``Placement``), and the subjects of one
coverage reason (``CoverageCount``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

#: example record ids a coverage warning of an audit names
COVERAGE_EXAMPLES = 5


class CountKey(NamedTuple):
    """What outcomes are counted by: the summary tables, the charts and the counts of a drill-down.
    ``region_code`` (last, so positions 0-5 keep their meaning) lets a region's view count only its own."""

    ruleset: str
    rule_id: str
    record_kind: str
    agency: str | None
    month: str | None
    outcome: str
    region_code: str | None = None


class Placement(NamedTuple):
    """Where a record's outcomes are counted: its agency, the month of its key date, its region."""

    agency: str | None
    month: str | None
    region_code: str | None = None


NO_PLACEMENT = Placement(None, None, None)


@dataclass
class CoverageCount:
    """Subjects of one coverage reason: how many, and the first few ids in id order (the same
    examples whatever the split into units and processes)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, record_id: str) -> None:
        self.count += 1
        if len(self.examples) < COVERAGE_EXAMPLES or record_id < self.examples[-1]:
            self._keep([record_id])

    def merge(self, other: CoverageCount) -> None:
        self.count += other.count
        self._keep(other.examples)

    def _keep(self, ids: list[str]) -> None:
        self.examples = sorted({*self.examples, *ids})[:COVERAGE_EXAMPLES]
