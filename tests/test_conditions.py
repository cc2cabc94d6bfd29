"""The condition language: parsing, exact negation, and the durable-rules compilation agreeing with the IR."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.backends.durable.host import DurableRuleset, new_host
from fzcheck.engine.backends.durable.limits import durable_rulesets
from fzcheck.engine.backends.durable.translate import HAS_PREFIX, encode_value
from fzcheck.engine.rules import language as cond
from fzcheck.engine.rules.ir import CompiledBranch, CompiledRule


def test_parses_comparisons_presence_and_membership():
    node = cond.parse_condition("present(filed_on) and filed_on > due_on or status in ['draft', 'expired']")
    assert node == {
        "op": "or",
        "args": [
            {
                "op": "and",
                "args": [
                    {"op": "present", "name": "filed_on"},
                    {"op": "cmp", "cmp": ">", "left": {"name": "filed_on"}, "right": {"name": "due_on"}},
                ],
            },
            {
                "op": "or",
                "args": [
                    {"op": "cmp", "cmp": "==", "left": {"name": "status"}, "right": {"value": "draft", "type": "str"}},
                    {
                        "op": "cmp",
                        "cmp": "==",
                        "left": {"name": "status"},
                        "right": {"value": "expired", "type": "str"},
                    },
                ],
            },
        ],
    }


def test_literals_are_typed():
    node = cond.parse_condition("published_on >= 2017-01-01 and days < 30 and interim == true")
    assert [arg["right"] for arg in node["args"]] == [
        {"value": dt.date(2017, 1, 1), "type": "date"},
        {"value": 30, "type": "number"},
        {"value": True, "type": "bool"},
    ]


def test_bare_name_means_true_and_not_is_pushed_down():
    assert cond.parse_condition("major") == {
        "op": "cmp",
        "cmp": "==",
        "left": {"name": "major"},
        "right": {"value": True, "type": "bool"},
    }
    assert cond.parse_condition("not present(x)") == {"op": "missing", "name": "x"}


@pytest.mark.parametrize(
    "text, message, column",
    [
        ("filed_on >> due_on", "expected a name or a literal, found '>'", 11),
        ("present(filed_on", "expected ), found end of expression", 17),
        ("a < 3 b", "unexpected 'b'", 7),
        ("a = 3", "unexpected character '='", 3),
        ("a < 2019-02-30", "invalid date 2019-02-30", 5),
    ],
)
def test_syntax_errors_name_the_column(text, message, column):
    with pytest.raises(cond.ConditionSyntaxError) as info:
        cond.parse_condition(text)
    assert info.value.reason == message
    assert info.value.column == column


def test_derive_expressions_parse_calls_and_lists():
    assert cond.parse_derive("count_missing(recorded_stages, ['filing', 'decision'])") == {
        "call": "count_missing",
        "args": [{"name": "recorded_stages"}, {"list": ["filing", "decision"]}],
    }


# --- property tests: negation is the exact complement, and durable-rules agrees with the IR -----------

NAMES = ["a", "b", "c"]
values_strategy = st.fixed_dictionaries({name: st.one_of(st.none(), st.integers(0, 3)) for name in NAMES})


def _operand():
    return st.one_of(
        st.sampled_from(NAMES).map(lambda n: {"name": n}),
        st.integers(0, 3).map(lambda v: {"value": v, "type": "number"}),
    )


def _atom():
    comparison = st.builds(
        lambda left, op, right: {"op": "cmp", "cmp": op, "left": left, "right": right},
        st.sampled_from(NAMES).map(lambda n: {"name": n}),
        st.sampled_from(cond.CMP_OPS),
        _operand(),
    )
    presence = st.builds(
        lambda op, name: {"op": op, "name": name}, st.sampled_from(["present", "missing"]), st.sampled_from(NAMES)
    )
    return st.one_of(comparison, presence)


conditions_strategy = st.recursive(
    _atom(),
    lambda children: st.builds(
        lambda op, args: {"op": op, "args": args},
        st.sampled_from(["and", "or"]),
        st.lists(children, min_size=2, max_size=3),
    ),
    max_leaves=4,
)


@given(conditions_strategy, values_strategy)
def test_negation_is_the_exact_complement(node, values):
    assert cond.evaluate(cond.negate(node), values) is (not cond.evaluate(node, values))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conditions_strategy, st.lists(values_strategy, min_size=1, max_size=8))
def test_durable_rules_fires_the_branch_the_ir_says(node, facts_values):
    """Compile [cond, not cond] to durable-rules and check every fact fires exactly the IR's branches."""
    compiled = CompiledRule(
        rule=None,
        index=0,
        fact_names={},
        branches=[CompiledBranch("violation", node, None), CompiledBranch("pass", cond.negate(node), None)],
    )
    [definition] = durable_rulesets("thing", [compiled])
    ruleset = DurableRuleset(new_host(), definition)
    facts = []
    for index, values in enumerate(facts_values):
        fact = {"id": f"f{index}", "kind": "thing"}
        for name, value in values.items():
            fact[HAS_PREFIX + name] = value is not None
            if value is not None:
                fact[name] = encode_value(value)
        facts.append(fact)
    fired = ruleset.run(facts)
    for index, values in enumerate(facts_values):
        expected = 0 if cond.evaluate(node, values) else 1
        assert fired.get(f"f{index}", []) == [(0, expected)], (node, values)
