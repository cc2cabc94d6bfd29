"""The rules compiled to SQL (engine/sql) mean what the IR means (issue #11).

Random conditions over random values give, on SQLite and on DuckDB, the first branches the python
oracle gives (the whole-catalog differential tests are in tests/test_backends.py); the statement of a
few rules is golden per dialect (SQLite, DuckDB, PostgreSQL, Spark SQL); what SQL columns cannot hold
is refused with the name it concerns; and a rule of thousands of tests stays shallow.
Regenerate the golden SQL with ``FZCHECK_UPDATE_GOLDEN=1 pytest tests/test_sql_backend.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.backends import get_backend
from fzcheck.engine.backends.base import CompiledRules, Row
from fzcheck.engine.backends.python.backend import PythonBackend
from fzcheck.engine.rules.ir import CompiledBranch, CompiledRule, compile_rule, condition_names
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sql.compile import first_branches_query
from fzcheck.engine.sql.dialects import DIALECTS
from fzcheck.engine.sql.values import ValueTypeError, column_kinds, encode

GOLDEN = Path(__file__).parent / "golden" / "sql"
SQL_BACKENDS = ["sqlite", "duckdb"]

#: names by the type their values have (the rule loader's type check keeps comparisons within one)
TYPED_NAMES = {"n1": "number", "n2": "number", "d1": "date", "d2": "date", "s1": "str", "s2": "str", "b1": "bool"}
LITERALS = {
    "number": st.one_of(st.integers(-5, 5), st.sampled_from([0.5, -1.5, 2.0])),
    "date": st.dates(dt.date(2019, 12, 28), dt.date(2020, 1, 3)),
    "str": st.sampled_from(["", "a", "b", "ab", "B", "草案", "draft", "a'b", "é"]),
    "bool": st.booleans(),
}


class _Subject:
    def get(self, name):
        return None


def _fake_rule():
    """A rule to hang test branches on (the backends read only its branches and index)."""
    return default_catalog().packs["national"].rules[0]


@st.composite
def comparisons(draw):
    left = draw(st.sampled_from(sorted(TYPED_NAMES)))
    kind = TYPED_NAMES[left]
    if draw(st.booleans()):
        partners = [name for name, other in TYPED_NAMES.items() if other == kind]
        right = {"name": draw(st.sampled_from(partners))}
    else:
        right = {"value": draw(LITERALS[kind]), "type": kind}
    sides = [{"name": left}, right]
    if draw(st.booleans()):
        sides.reverse()
    return {
        "op": "cmp",
        "cmp": draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="])),
        "left": sides[0],
        "right": sides[1],
    }


leaves = st.one_of(
    comparisons(),
    st.builds(
        lambda op, name: {"op": op, "name": name},
        st.sampled_from(["present", "missing"]),
        st.sampled_from(sorted(TYPED_NAMES)),
    ),
    st.builds(lambda value: {"op": "const", "value": value}, st.booleans()),
)
conditions = st.recursive(
    leaves,
    lambda children: st.builds(
        lambda op, args: {"op": op, "args": args},
        st.sampled_from(["and", "or"]),
        st.lists(children, min_size=1, max_size=4),
    ),
    max_leaves=12,
)


@st.composite
def value_rows(draw):
    row = {}
    for name, kind in TYPED_NAMES.items():
        if draw(st.integers(0, 3)):  # one in four missing
            row[name] = draw(LITERALS[kind])
    return row


def _rules(branch_lists: list[list[dict]]) -> CompiledRules:
    rule = _fake_rule()
    compiled = [
        CompiledRule(rule, index, [CompiledBranch("violation", condition, None) for condition in branches], {})
        for index, branches in enumerate(branch_lists)
    ]
    return CompiledRules(None, "normative_document", compiled, key=("test",))  # type: ignore[arg-type]


def _first(backend, rules: CompiledRules, rows: list[dict]) -> list[dict[int, int]]:
    return backend.prepare(rules).first_branches([Row(values, _Subject()) for values in rows])


@pytest.mark.parametrize("backend", SQL_BACKENDS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    branch_lists=st.lists(st.lists(conditions, min_size=1, max_size=4), min_size=1, max_size=4),
    rows=st.lists(value_rows(), min_size=1, max_size=12),
)
def test_random_conditions_give_the_oracles_first_branches(backend, branch_lists, rows):
    rules = _rules(branch_lists)
    assert _first(get_backend(backend), rules, rows) == _first(PythonBackend(), rules, rows)


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_or_inside_and_keeps_its_parentheses(backend):
    """(a missing or s1 != 'draft') and b missing: SQL's AND binds tighter than OR, so the tree must
    be parenthesised as the IR nests it (a draft with n1 present would otherwise be taken)."""
    either = {"op": "or", "args": [{"op": "missing", "name": "s1"}, _cmp("s1", "!=", "draft")]}
    condition = {"op": "and", "args": [either, {"op": "missing", "name": "n1"}]}
    rows = [{"s1": "draft", "n1": 1}, {"s1": "draft"}, {"s1": "final"}, {"s1": "final", "n1": 1}]
    assert _first(get_backend(backend), _rules([[condition]]), rows) == [{}, {}, {0: 0}, {}]


def _cmp(name, op, value):
    kind = "str" if isinstance(value, str) else "number"
    return {"op": "cmp", "cmp": op, "left": {"name": name}, "right": {"value": value, "type": kind}}


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_rule_of_three_thousand_tests_runs(backend):
    condition = {"op": "and", "args": [_cmp("n1", ">", -position) for position in range(3000)]}
    rows = [{"n1": 1}, {"n1": -5000}, {}]
    assert _first(get_backend(backend), _rules([[condition]]), rows) == [{0: 0}, {}, {}]


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_compared_list_is_refused_naming_it(backend):
    rules = _rules([[_cmp("n1", "==", 1)], [{"op": "present", "name": "ids"}]])
    assert _first(get_backend(backend), rules, [{"ids": ["a", "b"]}, {"ids": []}]) == [{1: 0}, {1: 0}]
    with pytest.raises(ValueTypeError, match="^n1: a list cannot be compared in SQL; only tested for presence$"):
        _first(get_backend(backend), rules, [{"n1": [1]}])


def test_values_are_held_as_the_comparisons_mean_them():
    assert encode(dt.date(2020, 1, 1), True, "d") == dt.date(2020, 1, 1).toordinal()
    assert (encode(True, True, "b"), encode(False, True, "b"), encode(None, True, "x")) == (1, 0, None)
    assert encode(["a"], False, "ids") == 1
    with pytest.raises(ValueTypeError, match="^at: a date and time"):
        encode(dt.datetime(2020, 1, 1, 8), True, "at")
    assert column_kinds(["a", "b", "c", "d"], [(1, 1.5, "x", None), (2, 1, None, None)]) == {
        "a": "integer",
        "b": "real",
        "c": "text",
        "d": "integer",
    }
    with pytest.raises(ValueTypeError, match="^a: holds text and numbers in one batch"):
        column_kinds(["a"], [(1,), ("x",)])


GOLDEN_RULES = [
    ("chuxiong-2016", "ND-FILING-DEADLINE"),
    ("chuxiong-2016", "ND-COMMENT-PERIOD"),
    ("national", "EC-OFFICERS-MIN"),
    ("chuxiong-2016", "AY-ANNUAL-REPORT"),
]


def _golden_query(pack_id: str, rule_id: str, dialect: str) -> str:
    pack = default_catalog().packs[pack_id]
    rule = next(rule for rule in pack.rules if rule.id == rule_id)
    compiled = compile_rule(rule, 0, starts_on=rule.binds_from(pack.meta.binds_from))
    names = sorted({name for branch in compiled.branches for name in _names(branch.condition)})
    columns = {name: f"c{position}" for position, name in enumerate(names)}
    legend = "\n".join(f"-- c{position}: {name}" for position, name in enumerate(names))
    sql = DIALECTS[dialect].render(first_branches_query([compiled], columns, DIALECTS[dialect].text_order), pretty=True)
    return f"-- {pack_id}/{rule_id} ({dialect})\n{legend}\n{sql}\n"


def _names(node):
    return condition_names(node)


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize(("pack_id", "rule_id"), GOLDEN_RULES)
def test_golden_sql(pack_id, rule_id, dialect):
    path = GOLDEN / f"{rule_id.lower()}.{dialect}.sql"
    got = _golden_query(pack_id, rule_id, dialect)
    if os.environ.get("FZCHECK_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_postgresql_orders_text_by_code_point_and_equality_is_left_alone():
    ordered = _rules([[_cmp("s1", "<", "b")], [_cmp("s1", "==", "b")], [_cmp("n1", "<", 2)]])
    columns = {"s1": "c0", "n1": "c1"}
    sql = DIALECTS["postgresql"].render(first_branches_query(ordered.rules, columns, DIALECTS["postgresql"].text_order))
    assert 'c0 COLLATE "C" < \'b\' COLLATE "C"' in sql
    assert "c0 = 'b'" in sql and "c1 < 2" in sql and sql.count("COLLATE") == 2
    assert "COLLATE" not in DIALECTS["sqlite"].render(first_branches_query(ordered.rules, columns))
