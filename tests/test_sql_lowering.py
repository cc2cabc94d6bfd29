"""Every derive function lowered to SQL (engine/sql/lower.py) gives, on SQLite and DuckDB over the
legal calendar's table, what the Python function gives, missing arguments included (issue #11); the
tables of lowered and not-yet-lowered functions name only real functions; and a rule reports the
functions that keep it out of SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from fzcheck.engine.derive.calendar import Deadline, default_calendar
from fzcheck.engine.derive.context import DeriveContext, call
from fzcheck.engine.derive.registry import REGISTRY
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sql import calendar as table
from fzcheck.engine.sql.lower import LOWERINGS, NOT_LOWERED, functions_without_lowering, unknown_names

FIRST, LAST = dt.date(2015, 1, 1), dt.date(2031, 12, 31)
CONTEXT = DeriveContext(default_calendar(), dt.date(2026, 12, 3))


class _Database:
    def __init__(self, engine: str):
        self.dialect = engine
        self.connection = sqlite3.connect(":memory:") if engine == "sqlite" else duckdb.connect(":memory:")
        span = table.span_needed(FIRST - dt.timedelta(days=400), LAST, 120)
        table.install(self.connection, engine, default_calendar(), *span)

    def value(self, expression: exp.Expression):
        return self.connection.execute(exp.select(expression).sql(dialect=self.dialect)).fetchone()[0]


@pytest.fixture(scope="module", params=["sqlite", "duckdb"])
def database(request):
    return _Database(request.param)


def _sql_literal(value) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, dt.date):
        return exp.Literal.number(value.toordinal())
    return exp.Literal.number(value)


def _python(name: str, args: list):
    function = REGISTRY[name]
    missing = function.needs_all and any(arg is None for arg in args)
    value = None if missing else call(function, CONTEXT, *args)
    if isinstance(value, Deadline):
        value = value.due_on
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def _sql(database, name: str, args: list):
    return database.value(LOWERINGS[name](*[_sql_literal(arg) for arg in args]))


def maybe(strategy):
    return st.one_of(st.none(), strategy, strategy, strategy)


DAYS = st.dates(FIRST, LAST)
ARGUMENTS = {
    "deadline_after": st.tuples(maybe(DAYS), maybe(st.integers(0, 90))),
    "working_days_after": st.tuples(maybe(DAYS), maybe(st.integers(1, 40))),
    "period_end": st.tuples(maybe(DAYS), maybe(st.integers(1, 40)), maybe(st.booleans())),
    "add_days": st.tuples(maybe(DAYS), maybe(st.integers(-400, 400))),
    "days_between": st.tuples(maybe(DAYS), maybe(DAYS)),
    "window_days": st.tuples(maybe(DAYS), maybe(DAYS)),
    "later_of": st.tuples(maybe(DAYS), maybe(DAYS)),
    "year_of": st.tuples(maybe(DAYS)),
    "coalesce": st.lists(maybe(DAYS), min_size=1, max_size=4).map(tuple),
    "day_in_year": st.tuples(maybe(st.integers(2016, 2031)), maybe(st.integers(1, 12)), maybe(st.integers(1, 28))),
}


def test_every_lowering_has_its_arguments_drawn_here():
    assert sorted(ARGUMENTS) == sorted(LOWERINGS)


@pytest.mark.parametrize("name", sorted(LOWERINGS))
def test_the_lowering_gives_what_the_function_gives(database, name):
    @settings(max_examples=120, deadline=None)
    @given(args=ARGUMENTS[name])
    def agree(args):
        assert _sql(database, name, list(args)) == _python(name, list(args)), args

    agree()


def test_a_missing_argument_is_a_missing_value_and_later_of_keeps_the_other(database):
    day = dt.date(2024, 5, 6)
    assert _sql(database, "deadline_after", [None, 15]) is None
    assert _sql(database, "period_end", [day, 15, None]) is None
    assert _sql(database, "later_of", [None, day]) == day.toordinal()
    assert _sql(database, "coalesce", [None, None, day]) == day.toordinal()


def test_every_derive_function_is_lowered_or_says_why_not():
    assert unknown_names() == set()
    assert not set(LOWERINGS) & set(NOT_LOWERED)
    assert sorted(set(REGISTRY) - set(LOWERINGS) - set(NOT_LOWERED)) == []
    assert all(reason.strip() for reason in NOT_LOWERED.values())


def test_a_rule_names_the_functions_that_keep_it_out_of_sql():
    rules = {(rule.id, rule.kind): rule for rule in default_catalog().all_rules()}
    lowered = [rule for rule in rules.values() if not functions_without_lowering(rule.derive)]
    assert lowered and any(rule.derive for rule in lowered)  # some rules with derive run fully lowered
    validity = next(rule for rule in rules.values() if rule.id == "ND-VALIDITY-MAX")
    assert "validity_limit" in functions_without_lowering(validity.derive)


def test_rules_show_says_which_functions_keep_a_rule_out_of_sql():
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    validity = CliRunner().invoke(cli, ["rules", "show", "ND-VALIDITY-MAX"])
    assert validity.exit_code == 0
    assert "  SQL 下推: 以下推导函数尚无 SQL 下推：stated_validity_end, validity_limit\n" in validity.output
    filing = CliRunner().invoke(cli, ["rules", "show", "ND-FILING-DEADLINE", "--lang", "en"])
    assert filing.exit_code == 0 and "  SQL lowering: every derive function has a SQL lowering\n" in filing.output
