"""bench/bench_engines.py's correctness check (issue #11, item 8), run as the benchmark runs it: the
fzcheck engines the tests have (python, sqlite, duckdb) give the durable engine's outcomes for the
benchmark's 10 rules over 300 generated records, record by record. The peer engines (zen-engine,
clipspy, rule-engine: the ``bench`` extra) are not installed here; the script checks them the same
way before it shows a timing of theirs."""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_engines.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_engines", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_engines"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def inputs(bench):
    return bench.prepare_inputs(300, 11)


def test_the_fzcheck_engines_give_the_durable_outcomes(bench, inputs):
    expected, _ = bench.run_backend("durable", inputs)
    assert len(expected) == 300 * bench.RULES_PER_RECORD
    # the records meet the rules in more than one way: a comparison of all not-applicable means nothing
    outcomes = collections.Counter(outcome for _, _, outcome in expected)
    assert outcomes["pass"] > 100 and outcomes["not_applicable"] > 100 and outcomes["violation"] > 0
    assert {rule for _, rule, _ in expected} == set(bench.TRANSLATIONS)
    for engine in ("python", "sqlite", "duckdb"):
        found, timings = bench.RUNNERS[engine](inputs)
        assert bench.differences(expected, found) == [], engine
        assert all(seconds >= 0 for seconds in timings.values())


def test_a_differing_outcome_is_named(bench, inputs):
    expected, _ = bench.run_backend("durable", inputs)
    record, rule, outcome = expected[7]
    changed = [*expected[:7], (record, rule, "violation" if outcome != "violation" else "pass"), *expected[8:]]
    assert bench.differences(expected, changed) == [f"{record} {rule}: durable {outcome}, found {changed[7][2]}"]
    assert bench.differences(expected, expected[:-1])  # an outcome missing


def test_the_translations_render_for_each_peer(bench):
    """Every translation parses, and a comparison is guarded against a missing side in each syntax."""
    text = "filed_on > d0__due_on"
    assert bench.render_zen(text) == "(d0__due_on != null and filed_on != null and filed_on > d0__due_on)"
    assert bench.render_clips(text) == "(and (neq ?d0__due_on nil) (neq ?filed_on nil) (> ?filed_on ?d0__due_on))"
    for branches in bench.TRANSLATIONS.values():
        for _, condition in branches:
            for render in (bench.render_zen, bench.render_rule_engine, bench.render_clips):
                assert render(condition)
