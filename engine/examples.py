"""Run every rule's own pass/fail examples (``fzcheck rules test``), the way openfisca runs its YAML tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fzcheck.engine.check import check_records
from fzcheck.engine.results import SourceRef
from fzcheck.engine.rulesets import Catalog, ExampleSpec, Rule
from fzcheck.engine.subjects import key_date

EXAMPLE_ID = "example"


@dataclass
class ExampleResult:
    rule: Rule
    index: int
    example: ExampleSpec
    got: str
    message: str
    as_of: dt.date

    @property
    def ok(self) -> bool:
        return self.got == self.example.expect

    @property
    def label(self) -> str:
        return f"{self.rule.pack}/{self.rule.id}#{self.index + 1} ({self.example.expect})"


def region_for(prefix: str) -> str:
    """A region code inside the pack's region (national: 110000 Beijing)."""
    return (prefix or "11").ljust(6, "0")


def _records_for(rule: Rule, example: ExampleSpec, origin: str) -> list:
    from fzcheck.models.records import parse_record

    region = region_for(_pack_prefix(rule))
    records = []
    if rule.kind == "officer_year":
        base = {"kind": "officer", "id": EXAMPLE_ID, "region_code": region, "agency": "示例机关"}
    else:
        base = {"kind": rule.kind, "id": EXAMPLE_ID, "region_code": region, "agency": "示例机关"}
    for index, data in enumerate([{**base, **example.record}, *example.batch]):
        data = dict(data)
        data.setdefault("region_code", region)
        data.setdefault("agency", "示例机关")
        if "id" not in data:
            data["id"] = f"batch-{index}"
        records.append(parse_record(data, SourceRef(origin, index + 1)))
    return records


_PACK_PREFIX: dict[str, str] = {}


def _pack_prefix(rule: Rule) -> str:
    return _PACK_PREFIX.get(rule.pack, "")


def run_examples(catalog: Catalog, rule_ids: set[str] | None = None, pack_ids: set[str] | None = None) -> list[ExampleResult]:
    for pack in catalog.packs.values():
        _PACK_PREFIX[pack.id] = pack.meta.region_prefix
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


def run_example(catalog: Catalog, rule: Rule, index: int, example: ExampleSpec) -> ExampleResult:
    records = _records_for(rule, example, f"{rule.origin}#example{index + 1}")
    subject = records[0]
    as_of = example.as_of
    if as_of is None:
        start = key_date(subject.kind, subject, dt.date(2099, 1, 1))
        as_of = (start + dt.timedelta(days=365)) if start and start.year < 2099 else dt.date(2025, 12, 31)
    report = check_records(records, as_of=as_of, catalog=catalog, rulesets=[rule.pack])
    wanted_id = EXAMPLE_ID if rule.kind != "officer_year" else None
    found = [o for o in report.outcomes if o.rule_id == rule.id and o.ruleset == rule.pack
             and (o.record_id == wanted_id if wanted_id else o.record_id.startswith(EXAMPLE_ID + "/"))]
    if rule.kind == "officer_year" and example.record.get("year") is not None:
        found = [o for o in found if o.record_id == f"{EXAMPLE_ID}/{example.record['year']}"] or found
    if not found:
        return ExampleResult(rule, index, example, "not_applicable", "the rule did not apply", as_of)
    worst = max(found, key=lambda o: ("pass", "pending", "indeterminate", "violation").index(o.outcome))
    return ExampleResult(rule, index, example, worst.outcome, worst.message("zh"), as_of)
