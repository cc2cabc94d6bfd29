"""Every rule's own examples cover what issue #3 asks of each rule, and a large mixed batch checks cleanly."""

from __future__ import annotations

import datetime as dt

import pytest

from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.models.records import parse_record

CATALOG = default_catalog()
RULES = [pytest.param(rule, id=f"{rule.pack}/{rule.id}") for rule in CATALOG.all_rules()]


@pytest.mark.parametrize("rule", RULES)
def test_rule_has_pass_and_violation_examples(rule):
    expects = {example.expect for example in rule.examples}
    assert {"pass", "violation"} <= expects


@pytest.mark.parametrize("rule", RULES)
def test_each_needed_field_has_an_indeterminate_example(rule):
    for field_name in rule.needs:
        if field_name in ("as_of", "key_date"):
            continue
        assert any(
            example.expect == "indeterminate" and example.record.get(field_name) is None for example in rule.examples
        ), f"no indeterminate example without {field_name}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.values[0].effective_from])
def test_effective_date_boundary_has_examples_on_both_sides(rule):
    from fzcheck.engine.derive.calendar import default_calendar
    from fzcheck.engine.derive.context import DeriveContext
    from fzcheck.engine.derive.plan import compile_derive
    from fzcheck.engine.subjects.kinds import key_date

    boundary = rule.effective_from
    # the date a rule judges is its act's date (rule-catalog.md), derived as the rule derives it
    act_tree = next(tree for name, tree, _ in rule.derive if name == "act_date")
    act_date = compile_derive(act_tree, rule.kind, lambda name: ("key", name))
    days = set()
    for example in rule.examples:
        record = (
            parse_record({"kind": rule.kind, "id": "x", "region_code": "110000", **example.record}, None)
            if rule.kind != "officer_year"
            else None
        )
        if record is not None:
            as_of = example.as_of or dt.date(2099, 1, 1)
            values = {**record.__dict__, "as_of": as_of, "key_date": key_date(rule.kind, record, as_of)}
            day = act_date(values, DeriveContext(default_calendar(), as_of), "")
            if day is not None:
                days.add(day)
    assert boundary in days, f"no example on the effective date {boundary}"
    assert boundary - dt.timedelta(days=1) in days, f"no example the day before {boundary}"


def test_mixed_batch_of_all_six_kinds_checks_with_cross_record_rules():
    from fzcheck.engine.sources.generator import generate_records

    records = [
        parse_record(data, SourceRef("generated.jsonl", index + 1))
        for index, data in enumerate(generate_records(3000, seed=7))
    ]
    kinds = {record.kind for record in records}
    assert kinds == {
        "normative_document",
        "enforcement_case",
        "officer",
        "training_session",
        "reconsideration_case",
        "major_decision",
    }
    report = check_records(records, as_of=dt.date(2026, 11, 23), jobs=1)
    rules_seen = {o.rule_id for o in report.outcomes}
    assert {"EC-OFFICER-CERTIFIED", "EC-BASIS-IN-FORCE", "ND-DOC-NUMBER-UNIQUE", "TR-SESSIONS"} <= rules_seen
    resolved = [o for o in report.outcomes if o.rule_id == "EC-BASIS-IN-FORCE" and o.outcome in ("pass", "violation")]
    assert resolved, "no cited document was found among the generated records"
    assert report.summary()["violation"] > 0
