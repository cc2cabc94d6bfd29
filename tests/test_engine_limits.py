"""Rules that would hang or break durable-rules are rejected when the catalog loads (issue #16, item 5).

durable-rules' network has fixed-size tables (backends/durable/limits.py): past one of them
``create_ruleset`` or an assert loops forever in C (nothing in Python can interrupt it), fails with
an error code (113, 107, 108, 303), or crashes the process. ``load_catalog`` — so ``rules lint``,
``rules test`` and ``check`` — compiles every rule as the evaluator does (both absent-steps
standards, with and without its pack's issue date) and checks a model of that network
(``DurableNetwork``); the splitter keeps each ruleset of a pack within the same limits.

Each limit of the model is calibrated here against durable-rules itself, in a subprocess with a
timeout (one that hangs or crashes must not take the test run with it): at the limit it works,
past it the model refuses, and durable-rules fails as the model says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.backends.durable import limits, translate
from fzcheck.engine.backends.durable.host import DurableRuleset, RuleEngineError, new_host
from fzcheck.engine.backends.durable.limits import (
    MAX_FACT_PROPERTIES,
    MAX_MATCH_STACK,
    MAX_OR_GROUPS_PER_TEST,
    MAX_PATTERN_EXPRESSIONS,
    MAX_PATTERNS_PER_TEST,
    MAX_TESTS_UNDER_ONE_TEST,
    DurableNetwork,
    EngineLimitError,
    durable_rulesets,
    engine_limit_problems,
)
from fzcheck.engine.backends.durable.translate import HAS_PREFIX, encode_value
from fzcheck.engine.evaluate.evaluator import PackKindEvaluator
from fzcheck.engine.rules import language as cond
from fzcheck.engine.rules import packs as rulesets
from fzcheck.engine.rules.ir import ABSENT_STEPS, CompiledBranch, CompiledRule, compile_rule, fact_names_used
from fzcheck.engine.rules.packs import RuleFileErrors, default_catalog, load_catalog

BROKEN = Path(__file__).parent / "data" / "rules" / "broken"
PYTHON = sys.executable

#: folder -> (rule id, what its message says); every one is named at demo/normative_document.yaml:4
ENGINE_CASES = {
    "engine_many_or": (
        "T-MANY-OR",
        "its durable-rules form puts 600 different tests under one test, and "
        "durable-rules hangs (in C, uninterruptibly) past 511",
    ),
    "engine_long_in": ("T-LONG-IN", "its durable-rules form puts 600 different tests under one test"),
    "engine_negated_or": (
        "T-NEGATED-OR",
        "outcomes[0] (violation): the condition needs 42 of durable-rules' 31 expression slots per branch (error 113)",
    ),
    "engine_negated_field_comparisons": (
        "T-NEGATED-FIELDS",
        "outcomes[0] (violation): the condition needs 34 of durable-rules' 31 expression slots per branch (error 113)",
    ),
    "engine_match_stack": (
        "T-MATCH-STACK",
        "one record can satisfy 71 of its tests at once, durable-rules stops at 64 (error 303 when checking)",
    ),
}
RULE_FILE = "demo/normative_document.yaml"
RULE_LINE = 4
DOCUMENT = {
    "kind": "normative_document",
    "id": "nd-1",
    "region_code": "532301",
    "agency": "楚雄市人民政府",
    "doc_number": "测政发〔2016〕1号",
    "title": "第1号专项办法",
    "published_on": "2018-06-01",
    "filed_on": "2018-06-20",
    "validity_years": 100,
    "status": "in_force",
}


# --------------------------------------------------------------------------- broken folders


@pytest.mark.parametrize("case", sorted(ENGINE_CASES))
def test_load_catalog_rejects_the_rule_naming_file_line_and_rule(case):
    rule_id, message = ENGINE_CASES[case]
    with pytest.raises(RuleFileErrors) as raised:
        load_catalog(BROKEN / case)
    [error] = raised.value.errors  # the valid T-FILING beside it is not named
    assert (error.file, error.line) == (str(BROKEN / case / RULE_FILE), RULE_LINE)
    assert error.message.startswith(f"rule {rule_id} cannot run on the rule engine: ")
    assert message in error.message
    assert "split the rule into several rules, or derive one value that the condition tests" in error.message
    assert str(error).startswith(f"{BROKEN / case / RULE_FILE}:{RULE_LINE}: rule {rule_id} ")


@pytest.mark.parametrize("case", sorted(ENGINE_CASES))
def test_rules_lint_and_rules_test_exit_2_with_the_message(case):
    rule_id, message = ENGINE_CASES[case]
    runner = CliRunner()
    for command in ("lint", "test"):
        result = runner.invoke(cli, ["rules", command, "--rules-dir", str(BROKEN / case), "--lang", "en"])
        assert result.exit_code == 2, result.output
        assert "rule files are invalid:" in result.output
        assert (
            f"{BROKEN / case / RULE_FILE}:{RULE_LINE}: rule {rule_id} cannot run on the rule engine: " in result.output
        )
        assert message in result.output
        # Chinese by default: the engine's own account of the limit (engine/backends) is kept as it says it
        chinese = runner.invoke(cli, ["rules", command, "--rules-dir", str(BROKEN / case)])
        assert chinese.exit_code == 2, chinese.output
        assert "规则文件有误" in chinese.output
        assert f"{BROKEN / case / RULE_FILE}:{RULE_LINE}: 规则 {rule_id} 无法在规则引擎上运行：" in chinese.output
        assert message in chinese.output


@pytest.mark.parametrize("case", sorted(ENGINE_CASES))
def test_check_exits_2_and_does_not_hang(case, tmp_path):
    rule_id, message = ENGINE_CASES[case]
    document = tmp_path / "draft.json"
    document.write_text(json.dumps(DOCUMENT, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [PYTHON, "-m", "fzcheck", "check", str(document), "--rules-dir", str(BROKEN / case), "--as-of", "2020-01-01"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{BROKEN / case / RULE_FILE}:{RULE_LINE}: 规则 {rule_id} 无法在规则引擎上运行：" in done.stderr
    assert message in done.stderr


@pytest.mark.parametrize("case", sorted(ENGINE_CASES))
def test_broken_folders_keep_the_unknown_param_layout(case):
    folder = BROKEN / case
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.yaml")) == [
        "demo/normative_document.yaml",
        "demo/pack.yaml",
        "templates/normative_document.yaml",
    ]


def test_lint_names_a_rule_close_to_a_limit(tmp_path):
    """12 negated terms (26 of 31 expression slots) load, and lint says they are close to the limit."""
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(BROKEN / "engine_negated_or", root)
    template = root / "templates" / "normative_document.yaml"
    text = template.read_text(encoding="utf-8")
    start = text.index("not (validity_years == 0")
    end = text.index(")", start) + 1
    text = text[:start] + "not (" + " or ".join(f"validity_years == {n}" for n in range(12)) + ")" + text[end:]
    template.write_text(text, encoding="utf-8")
    load_catalog(root)  # loads
    result = CliRunner().invoke(cli, ["rules", "lint", "--rules-dir", str(root), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert (
        f"{root / RULE_FILE}:{RULE_LINE}: demo/T-NEGATED-OR: close to a limit of the rule engine (over 75% of it): "
        "outcomes[0] (violation): the condition needs 26 of durable-rules' 31 expression slots"
    ) in result.output
    chinese = CliRunner().invoke(cli, ["rules", "lint", "--rules-dir", str(root)])
    assert chinese.exit_code == 1, chinese.output
    assert (
        f"{root / RULE_FILE}:{RULE_LINE}: demo/T-NEGATED-OR：接近规则引擎的限制（已用其 75% 以上）："
        "outcomes[0] (violation): the condition needs 26 of durable-rules' 31 expression slots"
    ) in chinese.output


# --------------------------------------------------------------------------- the shipped catalog


def _pack_kinds():
    catalog = default_catalog()
    return [(pack, kind) for pack in catalog.packs.values() for kind in sorted({rule.kind for rule in pack.rules})]


def test_the_shipped_catalog_loads_and_every_ruleset_is_within_the_limits():
    catalog = load_catalog()
    assert catalog.packs
    for pack in catalog.packs.values():
        for rule in pack.rules:
            assert engine_limit_problems(rule, pack.meta.binds_from) == [], rule.origin
    for pack, kind in _pack_kinds():
        for chosen_by_date in (True, False):
            for absent_steps in ABSENT_STEPS:
                evaluator = PackKindEvaluator(pack, kind, chosen_by_date=chosen_by_date, absent_steps=absent_steps)
                names = fact_names_used(evaluator.compiled)
                for definition in durable_rulesets(kind, evaluator.compiled, translate.short_keys(names)):
                    network = DurableNetwork()
                    for name, rule_def in definition.items():
                        network.add(name, rule_def)
                    assert network.problems() == [], (pack.id, kind)


def test_the_packaged_catalog_loaded_without_the_budget_equals_the_bounded_load():
    """default_catalog composes the packaged files in C without the YAML budget (start-up time): the
    packs, rules, their lines and their contents are those of the bounded load with the limits."""
    bounded, packaged = load_catalog(), load_catalog(check_limits=False, packaged=True)
    assert list(packaged.packs) == list(bounded.packs)
    for pack_id, pack in bounded.packs.items():
        other = packaged.packs[pack_id]
        assert (other.sha256, other.meta) == (pack.sha256, pack.meta)
        assert [(rule.id, rule.origin) for rule in other.rules] == [(rule.id, rule.origin) for rule in pack.rules]
        assert other.rules == pack.rules


def test_absent_steps_change_outcomes_not_conditions():
    """Why one standard is checked for a rule without absent_step branches, and the other only when
    its conditions differ: compile_rule gives every standard the same conditions."""
    catalog = default_catalog()
    marked = 0
    for pack in catalog.packs.values():
        for rule in pack.rules:
            marked += any(branch.absent_step for branch in rule.branches)
            for starts_on in (None, pack.meta.binds_from):
                by_standard = [
                    compile_rule(rule, 0, starts_on=starts_on, absent_steps=standard) for standard in ABSENT_STEPS
                ]
                assert len({json.dumps([b.condition for b in c.branches], default=str) for c in by_standard}) == 1
                outcomes = [[b.outcome for b in c.branches] for c in by_standard]
                if any(branch.absent_step for branch in rule.branches):
                    assert outcomes[0] != outcomes[1], rule.id
    assert marked  # the shipped packs do have absent-step branches


def test_the_pack_issue_date_adds_scope_and_is_checked(monkeypatch):
    """With its pack's issue date a rule gets an act-date test on every branch and an act-date-unknown
    branch; the check covers both forms and reports the worse one once."""
    monkeypatch.setattr(rulesets, "_check_engine_limits", lambda packs, errors: None)
    pack = load_catalog(BROKEN / "engine_match_stack").packs["demo"]
    [rule] = [r for r in pack.rules if r.id == "T-MATCH-STACK"]
    plain = compile_rule(rule, 0, starts_on=None)
    dated = compile_rule(rule, 0, starts_on=pack.meta.binds_from)
    assert len(dated.branches) == len(plain.branches) + 1
    assert dated.branches[0].reason == "act-date-unknown"
    problems = engine_limit_problems(rule, pack.meta.binds_from)
    assert len(problems) == 1 and "71 of its tests" in problems[0]
    assert len(engine_limit_problems(rule, None)) == 1 and "70 of its tests" in engine_limit_problems(rule, None)[0]


# --------------------------------------------------------------------------- the model against durable-rules

#: registers a ruleset (JSON on stdin: {"definition", "facts"}) and asserts the facts, straight on the
#: C extension; prints "ok", or "error <code>"
RAW_ENGINE = r"""
import json, re, sys
import durable_rules_engine as engine
given = json.load(sys.stdin)
definition = given["definition"]
for rule in definition.values():
    rule["cap"] = 1000
try:
    handle = engine.create_ruleset("limits", json.dumps(definition))
    if given["facts"]:
        state = engine.assert_facts(handle, json.dumps(given["facts"]))
        result = engine.start_action_for_state(handle, state[1])
        while result:
            result = engine.complete_and_start_action(handle, state[1])
    print("ok")
except engine.error as exc:
    print("error", re.search(r"error code: (\d+)", str(exc)).group(1))
"""


def _raw(definition: dict, facts: list[dict], timeout: float = 60) -> str:
    done = subprocess.run(
        [PYTHON, "-c", RAW_ENGINE],
        input=json.dumps({"definition": definition, "facts": facts}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode < 0:
        return f"killed by signal {-done.returncode}"
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _hangs(definition: dict, facts: list[dict], seconds: float = 3) -> bool:
    try:
        _raw(definition, facts, timeout=seconds)
    except subprocess.TimeoutExpired:
        return True
    return False


def _model(definition: dict) -> list[str]:
    network = DurableNetwork()
    for name, rule_def in definition.items():
        network.add(name, rule_def)
    return [problem.limit for problem in network.problems()]


def _with_catch_all(definition: dict) -> dict:
    return {**definition, "catch_all": {"all": [{"m": {"kind": "k"}}]}}


FACT = {"id": "f", "sid": "s", "kind": "k"}


def _one_or(count: int) -> dict:
    return _with_catch_all(
        {"r": {"all": [{"m": {"$and": [{"kind": "k"}, {"$or": [{"v": i} for i in range(count)]}]}}]}}
    )


def test_tests_under_one_test_511_work_512_hang_every_assert_513_hang_registering():
    assert _model(_one_or(MAX_TESTS_UNDER_ONE_TEST)) == []
    assert _raw(_one_or(MAX_TESTS_UNDER_ONE_TEST), [{**FACT, "v": 3}]) == "ok"
    assert _model(_one_or(MAX_TESTS_UNDER_ONE_TEST + 1)) == ["tests"]
    assert _hangs(_one_or(MAX_TESTS_UNDER_ONE_TEST + 1), [{**FACT, "v": 3}])
    assert not _hangs(_one_or(MAX_TESTS_UNDER_ONE_TEST + 1), [])  # registering still works at 512 ...
    assert _hangs(_one_or(MAX_TESTS_UNDER_ONE_TEST + 2), [])  # ... not at 513


def test_field_to_field_tests_are_never_shared():
    same = _with_catch_all(
        {
            f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {"a": {"$m": "b"}}]}}]}
            for i in range(MAX_TESTS_UNDER_ONE_TEST + 2)
        }
    )
    assert _model(same) == ["tests"]
    assert _hangs(same, [])
    literal = _with_catch_all({f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {"a": 1}]}}]} for i in range(200)})
    assert _model(literal) == []  # equal literal tests are (one test, 200 patterns on it)


def _flat_or_groups(count: int) -> dict:
    groups = [{"$or": [{"$neq": {"v": i}}, {"h": False}]} for i in range(count)]
    return _with_catch_all({"r": {"all": [{"m": {"$and": [{"kind": "k"}, *groups]}}]}})


def test_expression_slots_31_work_32_is_error_113():
    at_limit = (MAX_PATTERN_EXPRESSIONS - 2) // 2  # the $and with kind takes 2, each $or 2
    assert _model(_flat_or_groups(at_limit)) == []
    assert _raw(_flat_or_groups(at_limit), [{**FACT, "v": 99, "h": True}]) == "ok"
    assert _model(_flat_or_groups(at_limit + 1)) == ["expressions"]
    assert _raw(_flat_or_groups(at_limit + 1), []) == "error 113"


def _shared_alternative(count: int) -> dict:
    return _with_catch_all(
        {f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {"$or": [{"h": False}, {"v": i}]}]}}]} for i in range(count)}
    )


def test_or_groups_per_test_127_register_and_past_128_is_error_107():
    # 127 registers; a fact satisfying the shared test would follow all 127 groups at once, past the stack
    assert _model(_shared_alternative(MAX_OR_GROUPS_PER_TEST)) == ["stack"]
    assert _raw(_shared_alternative(MAX_OR_GROUPS_PER_TEST), [{**FACT, "h": True, "v": 1}]) == "ok"
    assert _raw(_shared_alternative(MAX_OR_GROUPS_PER_TEST), [{**FACT, "h": False}]) == "error 303"
    assert _model(_shared_alternative(MAX_MATCH_STACK - 1)) == []
    assert _raw(_shared_alternative(MAX_MATCH_STACK - 1), [{**FACT, "h": False}]) == "ok"
    assert "or_groups" in _model(_shared_alternative(MAX_OR_GROUPS_PER_TEST + 1))  # 128: one slot of margin
    assert _raw(_shared_alternative(MAX_OR_GROUPS_PER_TEST + 2), []) == "error 107"


def _same_pattern(count: int) -> dict:
    return _with_catch_all({f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {"v": 1}]}}]} for i in range(count)})


def test_patterns_per_test_255_work_and_past_256_is_error_108():
    assert _model(_same_pattern(MAX_PATTERNS_PER_TEST)) == []
    assert _raw(_same_pattern(MAX_PATTERNS_PER_TEST), [{**FACT, "v": 1}]) == "ok"
    assert _model(_same_pattern(MAX_PATTERNS_PER_TEST + 1)) == ["patterns"]  # 256: one slot of margin
    assert _raw(_same_pattern(MAX_PATTERNS_PER_TEST + 2), []) == "error 108"


def _all_true(count: int) -> tuple[dict, dict]:
    definition = _with_catch_all(
        {f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {f"h{i}": True}]}}]} for i in range(count)}
    )
    return definition, {**FACT, **{f"h{i}": True for i in range(count)}}


def _thresholds(count: int) -> tuple[dict, dict]:
    definition = _with_catch_all(
        {
            "r": {
                "all": [
                    {"m": {"$and": [{"kind": "k"}, {"h": True}, {"$or": [{"$gt": {"v": i}} for i in range(count)]}]}}
                ]
            }
        }
    )
    return definition, {**FACT, "h": True, "v": 10_000}


@pytest.mark.parametrize("shape", [_all_true, _thresholds])
def test_one_fact_satisfying_64_tests_works_65_is_error_303(shape):
    definition, fact = shape(MAX_MATCH_STACK)
    assert _model(definition) == []
    assert _raw(definition, [fact]) == "ok"
    definition, fact = shape(MAX_MATCH_STACK + 1)
    assert _model(definition) == ["stack"]
    assert _raw(definition, [fact]) == "error 303"


def test_equal_tests_on_one_field_count_once_for_the_stack():
    definition = _with_catch_all({f"r{i}": {"all": [{"m": {"$and": [{"kind": "k"}, {"v": i}]}}]} for i in range(300)})
    assert _model(definition) == []
    assert _raw(definition, [{**FACT, "v": 7}]) == "ok"


def test_facts_of_254_properties_work_255_crash_the_process():
    definition = _with_catch_all({"r": {"all": [{"m": {"$and": [{"kind": "k"}, {"p0": 1}]}}]}})
    fixed = len(FACT)
    assert _raw(definition, [{**FACT, **{f"p{i}": 1 for i in range(MAX_FACT_PROPERTIES - fixed)}}]) == "ok"
    crashed = _raw(definition, [{**FACT, **{f"p{i}": 1 for i in range(MAX_FACT_PROPERTIES - fixed + 1)}}])
    assert crashed == f"killed by signal {signal.SIGSEGV}"
    names = (MAX_FACT_PROPERTIES - limits.FACT_FIXED_PROPERTIES) // 2
    assert [p.limit for p in DurableNetwork("k").problems(names)] == []
    assert [p.limit for p in DurableNetwork("k").problems(names + 1)] == ["properties"]


# --------------------------------------------------------------------------- compiling and splitting


def _facts(rows: list[dict]) -> list[dict]:
    facts = []
    for index, values in enumerate(rows):
        fact = {"id": f"f{index}", "kind": "thing"}
        for name, value in values.items():
            fact[HAS_PREFIX + name] = value is not None
            if value is not None:
                fact[name] = encode_value(value)
        facts.append(fact)
    return facts


def _run_chunks(compiled: list[CompiledRule], rows: list[dict]) -> dict[str, list[tuple[int, int]]]:
    host = new_host()
    fired: dict[str, list[tuple[int, int]]] = {}
    chunks = durable_rulesets("thing", compiled)
    for definition in chunks:
        network = DurableNetwork()
        for name, rule_def in definition.items():
            network.add(name, rule_def)
        assert network.problems() == []
        for fact_id, pairs in DurableRuleset(host, definition).run(_facts(rows)).items():
            fired.setdefault(fact_id, []).extend(pairs)
    return {fact_id: sorted(pairs) for fact_id, pairs in fired.items()}


def _expected(compiled: list[CompiledRule], rows: list[dict]) -> dict[str, list[tuple[int, int]]]:
    return {
        f"f{index}": sorted(
            (rule.index, b)
            for rule in compiled
            for b, branch in enumerate(rule.branches)
            if cond.evaluate(branch.condition, values)
        )
        for index, values in enumerate(rows)
    }


def test_field_comparisons_in_an_and_take_no_slots_and_agree_with_the_reference():
    """The old check refused more than 8 field-to-field comparisons in a branch; flattened into one
    $and they take no expression slots (measured: only $and/$or do), so 15 run — and agree."""
    names = [f"d{i}" for i in range(16)]
    node = cond.conjoin(
        *[{"op": "cmp", "cmp": "<", "left": {"name": a}, "right": {"name": b}} for a, b in zip(names, names[1:])]
    )
    compiled = [
        CompiledRule(
            rule=None,
            index=0,
            fact_names={},
            branches=[CompiledBranch("violation", node, None), CompiledBranch("pass", TRUE, None)],
        )
    ]
    rows = [
        {name: i for i, name in enumerate(names)},
        dict.fromkeys(names, 0),
        {**{name: i for i, name in enumerate(names)}, "d7": None},
        dict.fromkeys(names),
    ]
    assert _run_chunks(compiled, rows) == _expected(compiled, rows)


TRUE = {"op": "const", "value": True}


def _missing_or_equal(value: int) -> dict:
    return cond.disjoin(
        {"op": "missing", "name": "a"},
        {"op": "cmp", "cmp": "==", "left": {"name": "a"}, "right": {"value": value, "type": "number"}},
    )


def _or_rules(count: int) -> list[CompiledRule]:
    """Rules whose two branches test ``missing(a) or a == n``: each adds two `or` groups to the test
    ``missing(a)``, which a record without ``a`` then follows all at once."""
    return [
        CompiledRule(
            rule=None,
            index=i,
            fact_names={},
            branches=[
                CompiledBranch("violation", _missing_or_equal(i), None),
                CompiledBranch("pending", _missing_or_equal(-1 - i), None),
                CompiledBranch("pass", TRUE, None),
            ],
        )
        for i in range(count)
    ]


def test_the_splitter_keeps_each_ruleset_within_the_limits_and_agrees_with_the_reference():
    compiled = _or_rules(120)
    # by the old budget alone (conditions per ruleset) they shared rulesets past the stack limit
    by_budget: list[list[CompiledRule]] = [[]]
    size = 0
    for rule in compiled:
        rule_size = sum(1 + translate.count_conditions(translate.to_durable(b.condition) or {}) for b in rule.branches)
        if by_budget[-1] and size + rule_size > limits.MAX_CONDITIONS_PER_RULESET:
            by_budget.append([])
            size = 0
        by_budget[-1].append(rule)
        size += rule_size
    first = {name: d for rule in by_budget[0] for name, d in translate.rule_definitions("thing", rule).items()}
    first["catch_all"] = {"all": [{"m": {"kind": "thing"}}]}
    assert len(by_budget[0]) * 2 > MAX_MATCH_STACK and _model(first) == ["stack"]
    assert _raw(first, [{"id": "f", "sid": "s", "kind": "thing", HAS_PREFIX + "a": False}]) == "error 303"

    chunks = durable_rulesets("thing", compiled)
    rules_per_chunk = [
        len({translate.parse_branch_name(name)[0] for name in chunk if name != "catch_all"}) for chunk in chunks
    ]
    assert max(rules_per_chunk) * 2 <= MAX_MATCH_STACK < len(by_budget[0]) * 2 and sum(rules_per_chunk) == 120
    rows = [{"a": None}, {"a": 0}, {"a": 7}, {"a": -8}, {"a": 119}, {"a": 500}]
    assert _run_chunks(compiled, rows) == _expected(compiled, rows)


def test_a_rule_past_a_limit_on_its_own_raises_naming_it():
    node = {
        "op": "or",
        "args": [
            {"op": "cmp", "cmp": "==", "left": {"name": "a"}, "right": {"value": i, "type": "number"}}
            for i in range(600)
        ],
    }
    compiled = [CompiledRule(rule=None, index=0, fact_names={}, branches=[CompiledBranch("violation", node, None)])]
    with pytest.raises(EngineLimitError, match="rule 0: its durable-rules form puts 600 different tests"):
        durable_rulesets("thing", compiled)


# --------------------------------------------------------------------------- errors named by rule, and the CLI


def test_a_durable_error_code_names_what_the_ruleset_holds():
    with pytest.raises(RuleEngineError) as raised:
        DurableRuleset(new_host(), _flat_or_groups(15), owner="pack demo (thing): rules T-X (demo/thing.yaml:4)")
    assert raised.value.code == 113
    assert str(raised.value).startswith(
        "durable-rules could not register the rules of pack demo (thing): rules "
        "T-X (demo/thing.yaml:4): error 113 (a branch has too many `and`/`or` groups"
    )


def test_the_evaluator_names_the_rules_of_a_ruleset_durable_refuses(monkeypatch):
    """With the model switched off, durable-rules itself refuses T-NEGATED-OR (error 113): the
    evaluator's error names it and the rule beside it in that ruleset, with files and lines."""
    monkeypatch.setattr(DurableNetwork, "problems", lambda self, names=None, share=1.0: [])
    catalog = load_catalog(BROKEN / "engine_negated_or")
    evaluator = PackKindEvaluator(catalog.packs["demo"], "normative_document")
    with pytest.raises(RuleEngineError) as raised:
        _ = evaluator.prepared
    origin = f"{BROKEN / 'engine_negated_or' / RULE_FILE}:{RULE_LINE}"
    assert raised.value.code == 113
    assert f"T-NEGATED-OR ({origin})" in str(raised.value) and "T-FILING (" in str(raised.value)
    assert evaluator._prepared is None  # nothing half-registered is kept


def test_the_evaluator_refuses_a_rule_that_was_never_checked(monkeypatch):
    monkeypatch.setattr(rulesets, "_check_engine_limits", lambda packs, errors: None)
    catalog = load_catalog(BROKEN / "engine_long_in")
    evaluator = PackKindEvaluator(catalog.packs["demo"], "normative_document")
    with pytest.raises(EngineLimitError) as raised:
        _ = evaluator.prepared
    assert str(raised.value).startswith(f"T-LONG-IN ({BROKEN / 'engine_long_in' / RULE_FILE}:{RULE_LINE}): ")


def test_the_cli_maps_an_engine_error_to_exit_3_naming_the_rule(monkeypatch, tmp_path):
    monkeypatch.setattr(DurableNetwork, "problems", lambda self, names=None, share=1.0: [])
    document = tmp_path / "draft.json"
    document.write_text(json.dumps(DOCUMENT, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", str(document), "--rules-dir", str(BROKEN / "engine_negated_or"), "--as-of", "2020-01-01"]
    )
    assert result.exit_code == 3, result.output
    assert "internal error: RuleEngineError: durable-rules could not register the rules of pack demo" in result.output
    assert f"T-NEGATED-OR ({BROKEN / 'engine_negated_or' / RULE_FILE}:{RULE_LINE})" in result.output


#: checks one record against a broken folder with the model switched off (durable-rules decides)
UNCHECKED_CHECK = r"""
import datetime as dt, json, sys
from fzcheck.engine.backends.durable import limits
limits.DurableNetwork.problems = lambda self, names=None, share=1.0: []
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.rules.packs import load_catalog
from fzcheck.models.records import parse_record
from fzcheck.engine.outcomes.results import SourceRef
catalog = load_catalog(sys.argv[1])
record = parse_record(json.loads(sys.argv[2]), SourceRef("draft.json", 1))
try:
    check_records([record], as_of=dt.date(2020, 1, 1), catalog=catalog)
    print("checked")
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def test_error_303_when_checking_names_the_rules_and_does_not_crash():
    """Past the stack limit durable-rules fails on the record (303); deleting that session then
    crashed the process (measured), so the session is left and the error names the rules."""
    done = subprocess.run(
        [PYTHON, "-c", UNCHECKED_CHECK, str(BROKEN / "engine_match_stack"), json.dumps(DOCUMENT, ensure_ascii=False)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("RuleEngineError durable-rules failed on a record checked against pack demo"), (
        done.stdout
    )
    assert "T-MATCH-STACK (" in done.stdout and "error 303 (a fact satisfies too many tests at once)" in done.stdout
    few = {**DOCUMENT, "validity_years": 30}  # 30 thresholds exceeded: within the stack
    done = subprocess.run(
        [PYTHON, "-c", UNCHECKED_CHECK, str(BROKEN / "engine_match_stack"), json.dumps(few, ensure_ascii=False)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "checked", done.stdout + done.stderr


# --------------------------------------------------------------------------- the watchdog

HANGING_REGISTRATION = r"""
import json
from fzcheck.engine.backends.durable.host import DurableRuleset, new_host
definition = json.loads(input())
DurableRuleset(new_host(), definition, owner="a ruleset that hangs")
print("returned")
"""


def test_the_watchdog_stops_a_hanging_engine_call():
    """Past 512 tests under one test create_ruleset loops forever in C; the watchdog (an interval
    timer, SIGALRM's default action) ends the process after FZCHECK_ENGINE_TIMEOUT seconds, with
    the Python stack of the call on standard error."""
    env = {**os.environ, "FZCHECK_ENGINE_TIMEOUT": "1"}
    done = subprocess.run(
        [PYTHON, "-c", HANGING_REGISTRATION],
        input=json.dumps(_one_or(600)) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == -signal.SIGALRM, (done.returncode, done.stdout, done.stderr)
    assert "returned" not in done.stdout
    assert "backends/durable/host.py" in done.stderr and "in __init__" in done.stderr


def test_the_watchdog_is_disarmed_after_each_call_and_leaves_a_host_alarm_alone():
    [definition] = durable_rulesets("thing", _or_rules(3))
    ruleset = DurableRuleset(new_host(), definition)
    ruleset.run(_facts([{"a": 1}]))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL

    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        signal.setitimer(signal.ITIMER_REAL, 300)
        ruleset.run(_facts([{"a": 2}]))
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 200 < remaining <= 300  # the host's own alarm, untouched
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_timeout_means_no_watchdog(monkeypatch):
    monkeypatch.setenv("FZCHECK_ENGINE_TIMEOUT", "0")
    from fzcheck.engine.backends.durable.host import engine_timeout, engine_watchdog

    assert engine_timeout() == 0
    with engine_watchdog():
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    monkeypatch.setenv("FZCHECK_ENGINE_TIMEOUT", "5")
    with engine_watchdog():
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_dates_are_day_numbers_in_the_model_as_in_the_facts():
    """The model keys literal tests by what durable-rules compares: dates arrive as day numbers."""
    day = dt.date(2021, 7, 15)
    test = translate.to_durable(
        {"op": "cmp", "cmp": ">=", "left": {"name": "x"}, "right": {"value": day, "type": "date"}}
    )
    assert test == {"$gte": {"x": day.toordinal()}}


def test_the_packaged_rules_are_within_every_backends_limits():
    """What lets default_catalog skip the limits at start-up: every packaged rule runs on every backend."""
    from fzcheck.engine.backends import limit_problems
    from fzcheck.engine.rules.packs import default_catalog, load_catalog, packaged_rulesets_dir

    catalog = default_catalog()
    problems = {
        f"{pack.id}/{rule.id}": limit_problems(rule, pack.meta.binds_from)
        for pack in catalog.packs.values()
        for rule in pack.rules
    }
    assert len(problems) > 100 and {name: found for name, found in problems.items() if found} == {}
    assert sorted(load_catalog(packaged_rulesets_dir()).packs) == sorted(catalog.packs)  # with the check
