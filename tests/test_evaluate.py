"""The evaluator derives in two parts: what the conditions read first, the rest for shown outcomes."""

from __future__ import annotations

import pytest

from fzcheck.engine.derive.plan import _values_read, name_resolver
from fzcheck.engine.evaluate.evaluator import PackKindEvaluator
from fzcheck.engine.rules.ir import fact_names_used
from fzcheck.engine.rules.packs import default_catalog

CATALOG = default_catalog()
PACK_KINDS = [
    (pack_id, kind)
    for pack_id, pack in sorted(CATALOG.packs.items())
    for kind in sorted({rule.kind for rule in pack.rules})
    if pack.rules_for(kind)
]


@pytest.mark.parametrize(("pack_id", "kind"), PACK_KINDS)
def test_condition_values_are_derived_before_the_engine_runs(pack_id, kind):
    evaluator = PackKindEvaluator(CATALOG.packs[pack_id], kind)
    early = {key for _, entries in evaluator.plan.for_facts for key, _, _ in entries}
    late = {key for _, entries in evaluator.plan.for_outcomes for key, _, _ in entries}
    derived = {rule.fact_key(name) for rule in evaluator.compiled for name, _, _ in rule.rule.derive}
    assert early | late == derived and not early & late
    assert fact_names_used(evaluator.compiled) & derived <= early
    for rule in evaluator.compiled:
        for name, tree, _ in rule.rule.derive:
            if rule.fact_key(name) in early:
                assert _values_read(tree, name_resolver(rule)) & derived <= early, (rule.rule.id, name)


def test_values_only_messages_show_are_left_for_the_outcomes():
    evaluator = PackKindEvaluator(CATALOG.packs["national"], "enforcement_case")
    late = {key.split("__")[1] for _, entries in evaluator.plan.for_outcomes for key, _, _ in entries}
    assert {"days_late", "days_overdue"} <= late


def test_compiled_calls_read_names_and_literals_as_the_registry_function_would():
    """The specialised closures (a name, two names, a name and a literal) give what the registry's
    guarded function gives, a missing argument included."""
    import datetime as dt

    from fzcheck.engine.derive.calendar import default_calendar
    from fzcheck.engine.derive.context import DeriveContext, call
    from fzcheck.engine.derive.plan import compile_derive
    from fzcheck.engine.derive.registry import REGISTRY

    ctx = DeriveContext(default_calendar(), dt.date(2026, 11, 23))
    resolve = {"a": ("key", "d0__a"), "b": ("key", "b"), "limit": ("const", 15), "nothing": ("const", None)}.__getitem__
    day, later = dt.date(2024, 9, 27), dt.date(2024, 10, 12)
    cases = [
        ("days_between", [{"name": "a"}, {"name": "b"}], {"d0__a": day, "b": later}, (day, later)),
        ("days_between", [{"name": "a"}, {"name": "b"}], {"d0__a": day}, (day, None)),
        ("deadline_after", [{"name": "a"}, {"name": "limit"}], {"d0__a": day}, (day, 15)),
        ("deadline_after", [{"name": "a"}, {"name": "nothing"}], {"d0__a": day}, (day, None)),
        ("deadline_after", [{"name": "b"}, {"value": 30, "type": "int"}], {"b": later}, (later, 30)),
        ("count_items", [{"name": "b"}], {"b": ["x", "y"]}, (["x", "y"],)),
        ("count_items", [{"name": "b"}], {}, (None,)),
        ("coalesce", [{"name": "a"}, {"name": "b"}], {"b": later}, (None, later)),
        ("coalesce", [{"name": "a"}, {"name": "b"}], {}, (None, None)),
        ("coalesce", [{"name": "b"}, {"name": "a"}, {"name": "b"}], {"d0__a": day}, (None, day, None)),
        ("coalesce", [{"name": "b"}, {"name": "limit"}], {}, (None, 15)),
        (
            "count_missing",
            [{"name": "b"}, {"list": ["filing", "decision"]}],
            {"b": ["filing"]},
            (["filing"], ["filing", "decision"]),
        ),
    ]
    for name, args, values, expected_args in cases:
        closure = compile_derive({"call": name, "args": args}, "enforcement_case", resolve)
        assert closure(dict(values), ctx, "case-1") == call(REGISTRY[name], ctx, *expected_args), (name, values)
    assert (
        compile_derive({"call": "days_between", "args": [{"name": "a"}, {"name": "b"}]}, "x", resolve)(
            {"d0__a": day, "b": later}, ctx, "case-1"
        )
        == 15
    )
