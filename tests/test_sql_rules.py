"""A pack's rules lowered to one SQL statement that derives and decides (engine/sql/rules.py) give the
Python pipeline's first branches (issue #11): over a generated batch of every kind, checked as `check`
chooses packs and with every pack forced, on SQLite and on DuckDB with the legal calendar as a table.
The rules that cannot be lowered yet are named with their reason, and enough are lowered for the
comparison to mean something."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlglot import exp

from fzcheck.engine.backends.base import Row
from fzcheck.engine.backends.duckdb.backend import DuckDBDatabase
from fzcheck.engine.backends.sqlite.backend import SQLiteDatabase
from fzcheck.engine.derive.calendar import default_calendar
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.evaluate.evaluator import PackKindEvaluator
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.sources.generator import generate_agency_records, generate_records
from fzcheck.engine.sql import calendar as calendar_table
from fzcheck.engine.sql.dialects import DIALECTS
from fzcheck.engine.sql.rules import lower_rules
from fzcheck.models.records import parse_record

AS_OF = dt.date(2026, 11, 23)
SPAN = (dt.date(1990, 1, 1), dt.date(2035, 12, 31))


@pytest.fixture(scope="module")
def records():
    rows = [*generate_records(2000, seed=5), *generate_agency_records(seed=5)]
    return [parse_record(row, SourceRef("generated.jsonl", line)) for line, row in enumerate(rows, 1)]


def _fired(monkeypatch, records, **options) -> list[tuple[PackKindEvaluator, list[Row], list[dict[int, int]]]]:
    """Every batch ``fire`` was given: the evaluator, the subjects' rows, the first branches found."""
    fired = []
    original = PackKindEvaluator.fire

    def recording(self, subjects, ctx, as_of):
        derived, first_branches = original(self, subjects, ctx, as_of)
        rows = [Row(self.derive_for_facts(subject, ctx, as_of), subject) for subject in subjects]
        fired.append((self, rows, first_branches))
        return derived, first_branches

    with monkeypatch.context() as patch:
        patch.setattr(PackKindEvaluator, "fire", recording)
        check_records(records, as_of=AS_OF, **options)
    return fired


def _database(engine: str):
    dialect = DIALECTS[engine]
    database = SQLiteDatabase(dialect) if engine == "sqlite" else DuckDBDatabase(dialect)
    calendar_table.install(database.connection, engine, default_calendar(), *SPAN)
    return database


RUNS = {"packs-by-region-and-date": {}, "every-pack-forced": {"rulesets": tuple(default_catalog().packs)}}


def _compare(monkeypatch, records, engine: str, options: dict) -> tuple[int, int, dict[str, str], list]:
    """(comparisons made, rules lowered, rule id -> why left out, mismatches) over one check run."""
    database = _database(engine)
    compared = lowered_rules = 0
    left_out: dict[str, str] = {}
    mismatches = []
    for number, (evaluator, rows, first_branches) in enumerate(_fired(monkeypatch, records, **options)):
        lowered = lower_rules(evaluator.compiled)
        for index, reason in lowered.left_out.items():
            left_out[evaluator.compiled[index].rule.id] = reason
        if not lowered.rules:
            continue
        lowered_rules += len(lowered.rules)
        table = f"batch_{number}"
        result = database.run(
            table, list(lowered.columns.values()), lowered.encoded_rows(rows), lowered.query(DIALECTS[engine], table)
        )
        wanted = {rule.index for rule in lowered.rules}
        for row, python, sql in zip(rows, first_branches, lowered.read_first_branches(result, len(rows))):
            expected = {rule: branch for rule, branch in python.items() if rule in wanted}
            compared += len(expected)
            if sql != expected:
                mismatches.append((evaluator.pack.id, evaluator.kind, row.fallback.id, expected, sql))
    return compared, lowered_rules, left_out, mismatches


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"])
@pytest.mark.parametrize("run", RUNS)
def test_lowered_rules_give_the_pipelines_first_branches(monkeypatch, records, engine, run):
    compared, lowered_rules, left_out, mismatches = _compare(monkeypatch, records, engine, RUNS[run])
    assert mismatches == []
    assert compared > 3_000 and lowered_rules > 40
    assert left_out and all(reason for reason in left_out.values())


def test_a_rule_with_a_function_not_lowered_is_left_out_naming_it():
    pack = default_catalog().packs["chuxiong-2016"]
    evaluator = PackKindEvaluator(pack, "normative_document")
    lowered = lower_rules(evaluator.compiled)
    by_id = {evaluator.compiled[index].rule.id: reason for index, reason in lowered.left_out.items()}
    assert by_id["ND-VALIDITY-MAX"] == "validity_limit has no SQL lowering"
    assert "ND-FILING-DEADLINE" in {rule.rule.id for rule in lowered.rules}


def test_the_comparison_catches_a_deadline_lowered_wrong(monkeypatch, records):
    """Every "N日内" deadline (deadline_after, period_end) ten days late: the generated filings,
    decisions and answers late by a few days are then on time."""
    right = calendar_table.deadline_after

    def ten_days_late(start, days):
        return exp.Paren(this=exp.Add(this=right(start, days), expression=exp.Literal.number(10)))

    monkeypatch.setattr(calendar_table, "deadline_after", ten_days_late)
    _, _, _, mismatches = _compare(monkeypatch, records, "sqlite", {})
    assert len(mismatches) >= 5
