"""Run every rule's own pass/fail examples (``fzcheck rules test``), the way openfisca runs its YAML tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...models.records import parse_record
from ..evaluate.check import check_records
from ..outcomes.results import OUTCOME_RANK, SourceRef
from ..subjects.agency_years import MATCHED_KINDS
from ..subjects.kinds import OFFICER_YEAR_FIELDS, key_date
from ..subjects.subject import Subject
from .packs import Catalog, ExampleSpec, Rule

EXAMPLE_ID = "example"


@dataclass
class ExampleResult:
    rule: Rule
    index: int
    example: ExampleSpec
    got: str
    message: str
    as_of: dt.date
    #: the outcome's evidence (derived deadlines included), for tests that check an example's boundary
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.got == self.example.expect

    @property
    def label(self) -> str:
        return f"{self.rule.pack}/{self.rule.id}#{self.index + 1} ({self.example.expect})"


def region_for(prefix: str) -> str:
    """A region code inside the pack's region (national: 110000 Beijing)."""
    return (prefix or "11").ljust(6, "0")


def _records_for(rule: Rule, example: ExampleSpec, origin: str, region: str) -> list:
    records = []
    if rule.kind == "officer_year":
        base = {"kind": "officer", "id": EXAMPLE_ID, "region_code": region, "agency": "示例机关"}
    elif rule.kind == "agency_year":
        # the registry agency the example's register rows belong to (by id unless they name one)
        base = {
            "kind": "agency",
            "id": EXAMPLE_ID,
            "region_code": region,
            "name": "示例机关",
            "level": "county",
            "agency_type": "government",
        }
    else:
        base = {"kind": rule.kind, "id": EXAMPLE_ID, "region_code": region, "agency": "示例机关"}
    for index, data in enumerate([{**base, **example.record}, *example.batch]):
        data = dict(data)
        data.setdefault("kind", base["kind"])
        data.setdefault("region_code", region)
        data.setdefault("agency", "示例机关")
        if "id" not in data:
            data["id"] = f"batch-{index}"
        if rule.kind == "agency_year" and index and data["kind"] in MATCHED_KINDS:
            data.setdefault("agency_id", EXAMPLE_ID)
        records.append(parse_record(data, SourceRef(origin, index + 1)))
    return records


def run_examples(
    catalog: Catalog, rule_ids: set[str] | None = None, pack_ids: set[str] | None = None
) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for pack in catalog.packs.values():
        if pack_ids and pack.id not in pack_ids:
            continue
        for rule in pack.rules:
            if rule_ids and rule.id not in rule_ids:
                continue
            for index, example in enumerate(rule.examples):
                results.append(run_example(catalog, rule, index, example))
    return results


def _direct_officer_year(example: ExampleSpec, origin: str, region: str) -> Subject:
    """An officer-year example given as the subject's own values (sessions, training_days, ...)."""
    year = int(example.record["year"])
    values = dict.fromkeys(OFFICER_YEAR_FIELDS)
    values.update(
        officer_id=EXAMPLE_ID,
        year=year,
        year_start=dt.date(year, 1, 1),
        year_end=dt.date(year, 12, 31),
        region_code=region,
        session_days=[],
    )
    values.update(example.record)
    return Subject(
        "officer_year",
        f"{EXAMPLE_ID}/{year}",
        values["region_code"],
        SourceRef(origin, 1),
        values,
        key_date=dt.date(year, 1, 1),
    )


def run_example(catalog: Catalog, rule: Rule, index: int, example: ExampleSpec) -> ExampleResult:
    origin = f"{rule.origin}#example{index + 1}"
    region = region_for(catalog.packs[rule.pack].meta.region_prefix)
    direct = rule.kind == "officer_year" and not example.batch and "year" in example.record
    wanted: str | None  # the subject whose outcome the example states
    if direct:
        subject = _direct_officer_year(example, origin, region)
        records, extra, wanted = [], [subject], subject.id
        start = subject.key_date
    else:
        records = _records_for(rule, example, origin, region)
        extra = []
        wanted = example.subject or (EXAMPLE_ID if rule.kind not in ("officer_year", "agency_year") else None)
        start = key_date(records[0].kind, records[0], dt.date(2099, 1, 1))
    as_of = example.as_of
    if as_of is None:
        as_of = (start + dt.timedelta(days=365)) if start and start.year < 2099 else dt.date(2025, 12, 31)
    report = check_records(records, as_of=as_of, catalog=catalog, rulesets=[rule.pack], extra_subjects=extra)
    found = [
        o
        for o in report.outcomes
        if o.rule_id == rule.id
        and o.ruleset == rule.pack
        and (o.record_id == wanted if wanted else o.record_id.startswith(EXAMPLE_ID + "/"))
    ]
    if not found:
        return ExampleResult(rule, index, example, "not_applicable", "the rule did not apply", as_of)
    worst = max(found, key=lambda o: OUTCOME_RANK.get(o.outcome, 0))
    return ExampleResult(rule, index, example, worst.outcome, worst.message("zh"), as_of, dict(worst.evidence))
