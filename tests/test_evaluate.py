"""The evaluator derives in two parts: what the conditions read first, the rest for shown outcomes."""

from __future__ import annotations

import pytest

from fzcheck.engine.compiler import fact_names_used
from fzcheck.engine.evaluate import PackKindEvaluator, _resolver, _values_read
from fzcheck.engine.rulesets import default_catalog

CATALOG = default_catalog()
PACK_KINDS = [(pack_id, kind) for pack_id, pack in sorted(CATALOG.packs.items())
              for kind in sorted({rule.kind for rule in pack.rules}) if pack.rules_for(kind)]


@pytest.mark.parametrize(("pack_id", "kind"), PACK_KINDS)
def test_condition_values_are_derived_before_the_engine_runs(pack_id, kind):
    evaluator = PackKindEvaluator(CATALOG.packs[pack_id], kind)
    early = {key for _, entries in evaluator.fact_derivations for key, _ in entries}
    late = {key for _, entries in evaluator.outcome_derivations for key, _ in entries}
    derived = {rule.fact_key(name) for rule in evaluator.compiled for name, _, _ in rule.rule.derive}
    assert early | late == derived and not early & late
    assert fact_names_used(evaluator.compiled) & derived <= early
    for rule in evaluator.compiled:
        for name, tree, _ in rule.rule.derive:
            if rule.fact_key(name) in early:
                assert _values_read(tree, _resolver(rule)) & derived <= early, (rule.rule.id, name)


def test_values_only_messages_show_are_left_for_the_outcomes():
    evaluator = PackKindEvaluator(CATALOG.packs["national"], "enforcement_case")
    late = {key.split("__")[1] for _, entries in evaluator.outcome_derivations for key, _ in entries}
    assert {"days_late", "days_overdue"} <= late
