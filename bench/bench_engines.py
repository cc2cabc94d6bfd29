"""Issue #11, item 8: one benchmark, side by side in one run.

The same 10 catalog rules (five 规范性文件 rules of rulesets/chuxiong-2016, five 行政处罚 rules of
rulesets/national, all of whose derive functions have an SQL lowering) over the same generated
records (``engine/sources/generator.py``, the normative documents and enforcement cases of
``generate_records``), on:

1. a bare scan of the columns the rules read (SQLite, DuckDB: ``SELECT COUNT(c0), COUNT(c1), ...``
   over the same table the SQL engine reads);
2. fzcheck's SQL engine (``engine/sql/rules.lower_rules``: one statement per pack and kind that
   derives, with the legal calendar as a table, and decides) on SQLite and DuckDB, loading the
   encoded rows through the backends' own ``Database.run`` and then timing the statement alone over
   the loaded table;
3. fzcheck's durable-rules and pure-Python backends through the backend protocol (``prepare`` then
   ``first_branches``), timed as derive + evaluate and evaluate alone;
4. three peer engines with the rules hand-translated below (``TRANSLATIONS``): zen-engine (GoRules
   decision tables, first-hit), clipspy (CLIPS, Rete; first hit by salience) and rule-engine. They get
   the values fzcheck derived (dates as day numbers, the deadlines fzcheck's legal calendar computed,
   as integers): they have no legal calendar, so what is compared is rule evaluation.

Each engine runs in its own process (``--child``): it regenerates the same records, runs once
(timed), and compares its outcomes (record id, rule id, outcome) with the durable engine's, which the
parent computed and wrote, before it reports anything; a mismatch reports the differing rows instead
of a timing and fails the script. (One timed run, checked before its timing is shown, rather than a
checking run and then a timed one: the slowest peers take minutes at 100,000 records.) It reports
its peak memory (VmHWM) beside what its setup (records, derived values) already held.
``--check-only`` runs the check alone, every engine in this process.

Usage: python bench/bench_engines.py [--records 100000] [--seed 11] [--engines a,b,...]
       python bench/bench_engines.py --check-only --records 300   (the correctness check only)
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 23)
#: the legal calendar table's span: every generated date, and the deadlines after them
CALENDAR_SPAN = (dt.date(1990, 1, 1), dt.date(2035, 12, 31))
RULESETS = Path(__file__).resolve().parent.parent / "rulesets"

#: kind -> (pack, the rules chosen of it for the kind). Date windows (the pack's and the rules' own
#: 施行 dates), "N日内" deadlines moved past rest days (deadline_after), "N个工作日" deadlines
#: (working_days_after), a window length (window_days) and a later-of start (later_of).
SELECTION = {
    "normative_document": (
        "chuxiong-2016",
        (
            "ND-FILING-DEADLINE",
            "ND-COMMENT-PERIOD",
            "ND-LEGALITY-REVIEW",
            "ND-COLLECTIVE-DISCUSSION",
            "ND-EFFECTIVE-AFTER-PUBLICATION",
        ),
    ),
    "enforcement_case": (
        "national",
        (
            "EC-NOTICE-BEFORE-DECISION",
            "EC-MAJOR-LEGAL-REVIEW",
            "EC-DECISION-DEADLINE",
            "EC-SERVICE-DEADLINE",
            "EC-PUBLISH-DEADLINE",
        ),
    ),
}
RULES_PER_RECORD = 5  # five rules of each kind: a record meets five of the ten

FZCHECK_ENGINES = ("durable", "python", "sqlite", "duckdb")
PEER_ENGINES = ("zen", "clips", "rule_engine")
ENGINES = (*FZCHECK_ENGINES, *PEER_ENGINES)

# --------------------------------------------------------------------------------------------------
# The peers' translations, by hand from the rule files (the branches in order: the first that holds
# gives the outcome; none holding is not_applicable). The language is a Python expression: names are
# the inputs (the IR's names: a record's fields, ``as_of``, and ``d<i>__<name>`` for the value rule i
# derives, a date as its day number), ``x is None`` / ``x is not None`` test presence, ``day('...')``
# is a date's day number, and a comparison with a missing side is false (fzcheck's meaning; each
# renderer below guards its comparisons so). ``render_zen``, ``render_clips`` and ``render_rule_engine``
# turn it into each engine's syntax mechanically.
# --------------------------------------------------------------------------------------------------

#: the 规范性文件 rules apply to every document that is not a draft
_ND = "(status is None or status != 'draft')"
#: the Chuxiong plan binds from its issue date (pack.yaml: binds_from)
_CX = "day('2016-12-29')"
#: a 行政处罚 case (or one whose action type is unknown)
_PENALTY = "(action_type is None or action_type == 'penalty')"

TRANSLATIONS: dict[str, list[tuple[str, str]]] = {
    # rulesets/chuxiong-2016/normative_document.yaml:3 (logic: rulesets/templates/normative_document.yaml):
    # filed within 15 days of publication (deadline_after: moved past rest days), act date published_on
    "ND-FILING-DEADLINE": [
        ("indeterminate", f"{_ND} and d0__act_date is None"),
        ("indeterminate", f"{_ND} and d0__act_date >= {_CX} and published_on is None"),
        ("violation", f"{_ND} and d0__act_date >= {_CX} and published_on is not None and filed_on > d0__due_on"),
        (
            "violation",
            f"{_ND} and d0__act_date >= {_CX} and published_on is not None and filed_on is None and as_of > d0__due_on",
        ),
        ("pending", f"{_ND} and d0__act_date >= {_CX} and published_on is not None and filed_on is None"),
        ("pass", f"{_ND} and d0__act_date >= {_CX} and published_on is not None"),
    ],
    # rulesets/chuxiong-2016/normative_document.yaml:24: a comment window of at least 30 days
    # (window_days(comment_start, comment_end)), unless a shortened window is explained
    "ND-COMMENT-PERIOD": [
        ("indeterminate", f"{_ND} and (comment_start is not None or comment_end is not None) and d1__act_date is None"),
        (
            "indeterminate",
            f"{_ND} and (comment_start is not None or comment_end is not None) and d1__act_date >= {_CX}"
            " and (comment_start is None or comment_end is None)",
        ),
        (
            "indeterminate",
            f"{_ND} and comment_start is not None and comment_end is not None and d1__act_date >= {_CX}"
            " and comment_end < comment_start",
        ),
        (
            "violation",
            f"{_ND} and comment_start is not None and comment_end is not None and d1__act_date >= {_CX}"
            " and d1__comment_days < 30 and comment_shortened_reason is None",
        ),
        ("pass", f"{_ND} and comment_start is not None and comment_end is not None and d1__act_date >= {_CX}"),
    ],
    # rulesets/chuxiong-2016/normative_document.yaml:30: a legality review passed, before the
    # collective discussion and before publication
    "ND-LEGALITY-REVIEW": [
        ("indeterminate", f"{_ND} and d2__act_date is None"),
        ("indeterminate", f"{_ND} and d2__act_date >= {_CX} and published_on is None"),
        (
            "indeterminate",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None"
            " and legality_review_on is None and legality_review_passed is None",
        ),
        (
            "violation",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None and legality_review_passed == False",
        ),
        (
            "indeterminate",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None and legality_review_passed is None",
        ),
        (
            "indeterminate",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None and legality_review_on is None",
        ),
        (
            "violation",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None and legality_review_on > collective_discussion_on",
        ),
        (
            "violation",
            f"{_ND} and d2__act_date >= {_CX} and published_on is not None and legality_review_on > published_on",
        ),
        ("pass", f"{_ND} and d2__act_date >= {_CX} and published_on is not None"),
    ],
    # rulesets/chuxiong-2016/normative_document.yaml:36: collectively discussed, before publication
    "ND-COLLECTIVE-DISCUSSION": [
        ("indeterminate", f"{_ND} and d3__act_date is None"),
        ("indeterminate", f"{_ND} and d3__act_date >= {_CX} and published_on is None"),
        (
            "indeterminate",
            f"{_ND} and d3__act_date >= {_CX} and published_on is not None and collective_discussion_on is None",
        ),
        (
            "violation",
            f"{_ND} and d3__act_date >= {_CX} and published_on is not None and collective_discussion_on > published_on",
        ),
        ("pass", f"{_ND} and d3__act_date >= {_CX} and published_on is not None"),
    ],
    # rulesets/chuxiong-2016/normative_document.yaml:97: not in effect before it is published
    "ND-EFFECTIVE-AFTER-PUBLICATION": [
        ("indeterminate", f"{_ND} and d4__act_date is None"),
        ("indeterminate", f"{_ND} and d4__act_date >= {_CX} and published_on is None"),
        (
            "violation",
            f"{_ND} and d4__act_date >= {_CX} and published_on is not None and effective_from < published_on",
        ),
        ("pass", f"{_ND} and d4__act_date >= {_CX} and published_on is not None"),
    ],
    # rulesets/national/enforcement_case.yaml:34 (行政处罚法 1996 第31条/2021 第44条, from 1996-10-01):
    # the party notified before the decision (on the same day only in the simple procedure)
    "EC-NOTICE-BEFORE-DECISION": [
        ("indeterminate", f"decided_on is not None and {_PENALTY} and d0__act_date is None"),
        (
            "indeterminate",
            f"decided_on is not None and {_PENALTY} and d0__act_date >= day('1996-10-01') and action_type is None",
        ),
        (
            "indeterminate",
            f"decided_on is not None and {_PENALTY} and d0__act_date >= day('1996-10-01') and action_type is not None"
            " and notified_on is None",
        ),
        (
            "violation",
            f"decided_on is not None and {_PENALTY} and d0__act_date >= day('1996-10-01') and action_type is not None"
            " and notified_on > decided_on",
        ),
        (
            "violation",
            f"decided_on is not None and {_PENALTY} and d0__act_date >= day('1996-10-01') and action_type is not None"
            " and notified_on == decided_on and (procedure is None or procedure != 'simple')",
        ),
        (
            "pass",
            f"decided_on is not None and {_PENALTY} and d0__act_date >= day('1996-10-01') and action_type is not None",
        ),
    ],
    # rulesets/national/enforcement_case.yaml:106 (2021 第58条, from 2021-07-15): a major case's
    # legal review (法制审核) passed before the decision
    "EC-MAJOR-LEGAL-REVIEW": [
        ("indeterminate", f"major == True and decided_on is not None and {_PENALTY} and d1__act_date is None"),
        (
            "indeterminate",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is None",
        ),
        (
            "indeterminate",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None and legal_review_on is None and legal_review_passed is None",
        ),
        (
            "indeterminate",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None and legal_review_on is None",
        ),
        (
            "violation",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None and legal_review_on > decided_on",
        ),
        (
            "violation",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None and legal_review_passed == False",
        ),
        (
            "indeterminate",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None and legal_review_passed is None",
        ),
        (
            "pass",
            f"major == True and decided_on is not None and {_PENALTY} and d1__act_date >= day('2021-07-15')"
            " and action_type is not None",
        ),
    ],
    # rulesets/national/enforcement_case.yaml:128 (2021 第60条): decided within 90 days of filing,
    # counted from 2021-07-15 at the earliest (later_of, then deadline_after), unless extended
    "EC-DECISION-DEADLINE": [
        ("indeterminate", f"{_PENALTY} and d2__act_date is None"),
        (
            "indeterminate",
            f"{_PENALTY} and d2__act_date >= day('2021-07-15') and (action_type is None or opened_on is None)",
        ),
        (
            "violation",
            f"{_PENALTY} and d2__act_date >= day('2021-07-15') and action_type is not None and opened_on is not None"
            " and (extension_approved is None or extension_approved != True) and decided_on > d2__due_on",
        ),
        (
            "violation",
            f"{_PENALTY} and d2__act_date >= day('2021-07-15') and action_type is not None and opened_on is not None"
            " and (extension_approved is None or extension_approved != True) and decided_on is None and as_of > d2__due_on",
        ),
        (
            "pending",
            f"{_PENALTY} and d2__act_date >= day('2021-07-15') and action_type is not None and opened_on is not None"
            " and (extension_approved is None or extension_approved != True) and decided_on is None",
        ),
        (
            "pass",
            f"{_PENALTY} and d2__act_date >= day('2021-07-15') and action_type is not None and opened_on is not None",
        ),
    ],
    # rulesets/national/enforcement_case.yaml:157 (2021 第61条): served within 7 working days of the
    # decision (working_days_after)
    "EC-SERVICE-DEADLINE": [
        ("indeterminate", f"decided_on is not None and {_PENALTY} and d3__act_date is None"),
        (
            "indeterminate",
            f"decided_on is not None and {_PENALTY} and d3__act_date >= day('2021-07-15') and action_type is None",
        ),
        (
            "violation",
            f"decided_on is not None and {_PENALTY} and d3__act_date >= day('2021-07-15') and action_type is not None"
            " and served_on > d3__due_on",
        ),
        (
            "violation",
            f"decided_on is not None and {_PENALTY} and d3__act_date >= day('2021-07-15') and action_type is not None"
            " and served_on is None and as_of > d3__due_on",
        ),
        (
            "pending",
            f"decided_on is not None and {_PENALTY} and d3__act_date >= day('2021-07-15') and action_type is not None"
            " and served_on is None",
        ),
        (
            "pass",
            f"decided_on is not None and {_PENALTY} and d3__act_date >= day('2021-07-15') and action_type is not None",
        ),
    ],
    # rulesets/national/enforcement_case.yaml:202 (国办发〔2018〕118号, from 2018-12-05): a penalty or
    # licence decision published within 7 working days (working_days_after)
    "EC-PUBLISH-DEADLINE": [
        (
            "indeterminate",
            "decided_on is not None and (action_type is None or action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date is None",
        ),
        (
            "indeterminate",
            "decided_on is not None and (action_type is None or action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date >= day('2018-12-05') and action_type is None",
        ),
        (
            "violation",
            "decided_on is not None and (action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date >= day('2018-12-05') and published_on > d4__due_on",
        ),
        (
            "violation",
            "decided_on is not None and (action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date >= day('2018-12-05') and published_on is None and as_of > d4__due_on",
        ),
        (
            "pending",
            "decided_on is not None and (action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date >= day('2018-12-05') and published_on is None",
        ),
        (
            "pass",
            "decided_on is not None and (action_type == 'penalty' or action_type == 'license')"
            " and d4__act_date >= day('2018-12-05')",
        ),
    ],
}


def _day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


class _Render:
    """A translation's condition (a Python expression, ``TRANSLATIONS``) in another syntax."""

    def names(self, node: ast.AST) -> list[str]:
        """The inputs an expression reads (not the ``day`` it calls)."""
        called = {id(found.func) for found in ast.walk(node) if isinstance(found, ast.Call)}
        return sorted({found.id for found in ast.walk(node) if isinstance(found, ast.Name) and id(found) not in called})

    def __call__(self, text: str) -> str:
        return self.node(ast.parse(text, mode="eval").body)

    def node(self, node: ast.AST) -> str:
        if isinstance(node, ast.BoolOp):
            return self.boolean("and" if isinstance(node.op, ast.And) else "or", [self.node(v) for v in node.values])
        if isinstance(node, ast.Compare):
            (op,), (right,) = node.ops, node.comparators
            if isinstance(right, ast.Constant) and right.value is None:
                return self.presence(self.node(node.left), isinstance(op, ast.IsNot))
            symbol = {ast.Eq: "==", ast.NotEq: "!=", ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}[type(op)]
            # a comparison with a missing side is false: each name compared is guarded
            guards = [self.presence(self.name(name), True) for name in self.names(node)]
            return self.boolean("and", [*guards, self.compare(symbol, self.node(node.left), self.node(right))])
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "day":
            (argument,) = node.args
            assert isinstance(argument, ast.Constant)
            return str(_day(argument.value))
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        raise ValueError(f"not in the translations' language: {ast.dump(node)}")

    def name(self, name: str) -> str:
        return name

    def constant(self, value: Any) -> str:
        if value is True or value is False:
            return "true" if value else "false"
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        return repr(value)

    def boolean(self, op: str, parts: list[str]) -> str:
        return "(" + f" {op} ".join(parts) + ")"

    def presence(self, what: str, present: bool) -> str:
        return f"{what} {'!=' if present else '=='} null"

    def compare(self, symbol: str, left: str, right: str) -> str:
        return f"{left} {symbol} {right}"


class _RenderClips(_Render):
    def name(self, name: str) -> str:
        return f"?{name}"

    def constant(self, value: Any) -> str:
        if value is True or value is False:
            return "TRUE" if value else "FALSE"
        return super().constant(value)

    def boolean(self, op: str, parts: list[str]) -> str:
        return f"({op} {' '.join(parts)})"

    def presence(self, what: str, present: bool) -> str:
        return f"({'neq' if present else 'eq'} {what} nil)"

    def compare(self, symbol: str, left: str, right: str) -> str:
        op = {"==": "eq", "!=": "neq"}.get(symbol, symbol)
        return f"({op} {left} {right})"


render_zen = _Render()
render_rule_engine = _Render()
render_clips = _RenderClips()


# --------------------------------------------------------------------------------------------------
# The records, the rules, the derived values (what every engine is given)
# --------------------------------------------------------------------------------------------------


@dataclass
class KindInput:
    """One kind's rules and subjects: what every engine gets."""

    kind: str
    rules: Any  # CompiledRules
    subjects: list
    #: per subject, its fields and builtins (what the SQL statement reads and derives from)
    base: list[dict[str, Any]]
    #: per subject, fields, builtins and the derived values the conditions read (fzcheck's derivation)
    derived: list[dict[str, Any]]
    #: the names the conditions read
    names: list[str]
    #: per subject, the peers' inputs: each name's value, a date as its day number, None when missing
    peer_inputs: list[dict[str, Any]]
    plan: Any
    ctx: Any


def generate(count: int, seed: int) -> list:
    """``count`` generated normative documents and enforcement cases (fzcheck's own generator, its
    other kinds left out), parsed as ``check`` parses them."""
    from fzcheck.engine.outcomes.results import SourceRef
    from fzcheck.engine.sources.generator import generate_records
    from fzcheck.models.records import parse_record

    wanted = set(SELECTION)
    made = []
    for line, row in enumerate(generate_records(int(count / 0.8) + 100, seed=seed), 1):
        if row["kind"] in wanted:
            made.append(parse_record({k: v for k, v in row.items() if v is not None}, SourceRef("generated", line)))
            if len(made) == count:
                return made
    raise RuntimeError(f"the generator gave fewer than {count} documents and cases")


def _peer_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.date):
        return value.toordinal()
    return True  # a list or the like: only ever tested for presence


def base_values(subject: Any) -> dict[str, Any]:
    fields = subject.values if isinstance(subject.values, dict) else subject.values.__dict__
    return {**fields, "as_of": AS_OF, "key_date": subject.key_date}


def derive_all(plan: Any, ctx: Any, subjects: Sequence, base: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """fzcheck's derivation (``PackKindEvaluator.derive_for_facts``) of what the conditions read."""
    derived = []
    for subject, values in zip(subjects, base):
        values = dict(values)
        plan.derive_into(values, subject.id, ctx, plan.for_facts)
        derived.append(values)
    return derived


def prepare_inputs(count: int, seed: int) -> list[KindInput]:
    from fzcheck.engine.backends.base import CompiledRules
    from fzcheck.engine.derive.calendar import default_calendar
    from fzcheck.engine.derive.context import DeriveContext
    from fzcheck.engine.derive.plan import DerivationPlan
    from fzcheck.engine.rules.ir import compile_rule, fact_names_used
    from fzcheck.engine.rules.packs import default_catalog
    from fzcheck.engine.sources.records import subjects_from_records

    catalog = default_catalog()
    records = generate(count, seed)
    subjects = subjects_from_records(records, AS_OF)
    ctx = DeriveContext(default_calendar(), AS_OF)
    inputs = []
    for kind, (pack_id, rule_ids) in SELECTION.items():
        pack = catalog.packs[pack_id]
        chosen = {rule.id: rule for rule in pack.rules_for(kind) if rule.id in rule_ids}
        missing = set(rule_ids) - set(chosen)
        if missing:
            raise SystemExit(f"rules not in {pack_id} for {kind}: {sorted(missing)}")
        compiled = [
            compile_rule(chosen[rule_id], index, starts_on=chosen[rule_id].binds_from(pack.meta.binds_from))
            for index, rule_id in enumerate(rule_ids)
        ]
        rules = CompiledRules(pack, kind, compiled, ("bench_engines", pack_id, pack.sha256, kind, rule_ids))
        plan = DerivationPlan(compiled, kind)
        of_kind = [subject for subject in subjects if subject.kind == kind]
        base = [base_values(subject) for subject in of_kind]
        derived = derive_all(plan, ctx, of_kind, base)
        names = sorted(fact_names_used(compiled))
        peer_inputs = [{name: _peer_value(values.get(name)) for name in names} for values in derived]
        inputs.append(KindInput(kind, rules, of_kind, base, derived, names, peer_inputs, plan, ctx))
    return inputs


Outcomes = list[tuple[str, str, str]]


def outcomes_of(item: KindInput, first_branches: Sequence[dict[int, int]]) -> Outcomes:
    """(record id, rule id, outcome) of every record and rule; not_applicable where no branch held."""
    found = []
    for subject, first_branch in zip(item.subjects, first_branches):
        for rule in item.rules.rules:
            branch = first_branch.get(rule.index)
            found.append(
                (subject.id, rule.rule.id, "not_applicable" if branch is None else rule.branches[branch].outcome)
            )
    return found


# --------------------------------------------------------------------------------------------------
# The engines: each gives (outcomes, timings in seconds by phase)
# --------------------------------------------------------------------------------------------------

Timings = dict[str, float]


def _rows(item: KindInput, values: Sequence[dict[str, Any]]) -> list:
    from fzcheck.engine.backends.base import Row

    return [Row(v, subject) for v, subject in zip(values, item.subjects)]


def run_backend(name: str, inputs: Sequence[KindInput]) -> tuple[Outcomes, Timings]:
    """durable or python through the backend protocol: derive + first_branches, in the backend's batches."""
    from fzcheck.engine.backends import get_backend

    backend = get_backend(name)
    found: Outcomes = []
    timings = {"derive": 0.0, "evaluate": 0.0}
    for item in inputs:
        prepared = backend.prepare(item.rules)
        size = backend.batch_size
        branches: list[dict[int, int]] = []
        for start in range(0, len(item.subjects), size):
            t0 = time.perf_counter()
            rows = _rows(
                item,
                derive_all(item.plan, item.ctx, item.subjects[start : start + size], item.base[start : start + size]),
            )
            t1 = time.perf_counter()
            branches.extend(prepared.first_branches(rows))
            t2 = time.perf_counter()
            timings["derive"] += t1 - t0
            timings["evaluate"] += t2 - t1
        found.extend(outcomes_of(item, branches))
    timings["derive+evaluate"] = timings["derive"] + timings["evaluate"]
    return found, timings


def _sql_database(engine: str) -> Any:
    from fzcheck.engine.derive.calendar import default_calendar
    from fzcheck.engine.sql import calendar as calendar_table
    from fzcheck.engine.sql.dialects import DIALECTS

    dialect = DIALECTS[engine]
    if engine == "sqlite":
        from fzcheck.engine.backends.sqlite.backend import SQLiteDatabase

        database: Any = SQLiteDatabase(dialect)
    else:
        from fzcheck.engine.backends.duckdb.backend import DuckDBDatabase

        database = DuckDBDatabase(dialect)
    calendar_table.install(database.connection, engine, default_calendar(), *CALENDAR_SPAN)
    return database


def run_sql(engine: str, inputs: Sequence[KindInput]) -> tuple[Outcomes, Timings]:
    """The lowered statement (derive and decide in SQL) over a table of the encoded rows: the rows
    encoded as the backends encode them (``values.encode``) and loaded by the backend's own
    ``Database.run`` (with a trivial query), then the statement timed alone over the loaded table
    (its rows fetched into Python), then the bare scan of the same columns of the same table."""
    from fzcheck.engine.sql.dialects import DIALECTS
    from fzcheck.engine.sql.rules import lower_rules

    database = _sql_database(engine)
    dialect = DIALECTS[engine]
    found: Outcomes = []
    timings = {"encode": 0.0, "load": 0.0, "statement": 0.0, "scan": 0.0}
    for number, item in enumerate(inputs):
        lowered = lower_rules(item.rules.rules)
        if lowered.left_out:
            raise SystemExit(f"rules not lowered to SQL: {lowered.left_out}")
        table = f"bench_{number}"
        query = lowered.query(dialect, table)
        columns = list(lowered.columns.values())
        t0 = time.perf_counter()
        encoded = lowered.encoded_rows(_rows(item, item.base))
        t1 = time.perf_counter()
        # the backend's own load (its ``Database.run``) with a trivial query, then the statement alone
        database.run(table, columns, encoded, "SELECT 1")
        t2 = time.perf_counter()
        result = database.connection.execute(query).fetchall()
        t3 = time.perf_counter()
        scan = f"SELECT COUNT(*), {', '.join(f'COUNT({column})' for column in columns)} FROM {table}"
        database.connection.execute(scan).fetchall()
        t4 = time.perf_counter()
        timings["encode"] += t1 - t0
        timings["load"] += t2 - t1
        timings["statement"] += t3 - t2
        timings["scan"] += t4 - t3
        found.extend(outcomes_of(item, lowered.read_first_branches(result, len(item.subjects))))
    timings["encode+load"] = timings["encode"] + timings["load"]
    timings["encode+load+statement"] = timings["encode+load"] + timings["statement"]
    return found, timings


def _peer_rules(item: KindInput) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(rule.rule.id, TRANSLATIONS[rule.rule.id]) for rule in item.rules.rules]


def _peer_outcomes(item: KindInput, per_subject: Iterable[dict[str, str]]) -> Outcomes:
    rule_ids = [rule.rule.id for rule in item.rules.rules]
    return [
        (subject.id, rule_id, hits.get(rule_id, "not_applicable"))
        for subject, hits in zip(item.subjects, per_subject)
        for rule_id in rule_ids
    ]


def run_zen(inputs: Sequence[KindInput]) -> tuple[Outcomes, Timings]:
    """One decision graph per kind: a first-hit decision table per rule, a row per branch (its one
    input cell the condition as a ZEN expression), all tables fed by the input and merged in the output."""
    import zen

    engine = zen.ZenEngine()
    found: Outcomes = []
    timings = {"prepare": 0.0, "evaluate": 0.0}
    for item in inputs:
        t0 = time.perf_counter()
        nodes: list[dict[str, Any]] = [{"id": "in", "name": "in", "type": "inputNode", "position": {"x": 0, "y": 0}}]
        edges = []
        for number, (rule_id, branches) in enumerate(_peer_rules(item)):
            table = f"t{number}"
            nodes.append(
                {
                    "id": table,
                    "name": rule_id,
                    "type": "decisionTableNode",
                    "position": {"x": 0, "y": 0},
                    "content": {
                        "hitPolicy": "first",
                        "inputs": [{"id": "when", "name": "when", "field": ""}],
                        "outputs": [{"id": "outcome", "name": rule_id, "field": rule_id}],
                        "rules": [
                            {"_id": f"{table}b{position}", "when": render_zen(text), "outcome": json.dumps(outcome)}
                            for position, (outcome, text) in enumerate(branches)
                        ],
                    },
                }
            )
            edges.append({"id": f"e{table}in", "sourceId": "in", "targetId": table, "type": "edge"})
            edges.append({"id": f"e{table}out", "sourceId": table, "targetId": "out", "type": "edge"})
        nodes.append({"id": "out", "name": "out", "type": "outputNode", "position": {"x": 0, "y": 0}})
        decision = engine.create_decision(json.dumps({"nodes": nodes, "edges": edges}))
        t1 = time.perf_counter()
        results = [decision.evaluate(values)["result"] for values in item.peer_inputs]
        t2 = time.perf_counter()
        timings["prepare"] += t1 - t0
        timings["evaluate"] += t2 - t1
        found.extend(_peer_outcomes(item, results))
    return found, timings


#: facts asserted per CLIPS run (the working memory is reset between chunks)
CLIPS_CHUNK = 5000


def run_clips(inputs: Sequence[KindInput]) -> tuple[Outcomes, Timings]:
    """A template per kind, a CLIPS rule per branch: it matches a subject's fact when the branch holds
    and no earlier branch of the rule has decided it (higher salience for earlier branches; the
    ``decided`` fact it asserts retracts the later branches' activations): first hit, on Rete."""
    import clips

    nil = clips.Symbol("nil")
    found: Outcomes = []
    timings = {"prepare": 0.0, "evaluate": 0.0}
    for item in inputs:
        t0 = time.perf_counter()
        env = clips.Environment()
        env.build("(deftemplate decided (slot id) (slot rule) (slot outcome))")
        env.build(f"(deftemplate subject (slot sid) {' '.join(f'(slot {name})' for name in item.names)})")
        for number, (_, branches) in enumerate(_peer_rules(item)):
            for position, (outcome, text) in enumerate(branches):
                read = render_clips.names(ast.parse(text, mode="eval"))
                slots = " ".join(f"({name} ?{name})" for name in read)
                env.build(
                    f"(defrule r{number}b{position} (declare (salience {100 - position}))"
                    f" (subject (sid ?sid) {slots}) (not (decided (id ?sid) (rule {number})))"
                    f" (test {render_clips(text)})"
                    f' => (assert (decided (id ?sid) (rule {number}) (outcome "{outcome}"))))'
                )
        template = env.find_template("subject")
        t1 = time.perf_counter()
        rule_ids = [rule_id for rule_id, _ in _peer_rules(item)]
        hits: list[dict[str, str]] = [{} for _ in item.subjects]
        for start in range(0, len(item.subjects), CLIPS_CHUNK):
            env.reset()
            for position, values in enumerate(item.peer_inputs[start : start + CLIPS_CHUNK], start):
                template.assert_fact(sid=position, **{k: nil if v is None else v for k, v in values.items()})
            env.run()
            for fact in env.facts():
                if fact.template.name == "decided":
                    hits[fact["id"]][rule_ids[fact["rule"]]] = str(fact["outcome"])
        t2 = time.perf_counter()
        timings["prepare"] += t1 - t0
        timings["evaluate"] += t2 - t1
        found.extend(_peer_outcomes(item, hits))
    return found, timings


def run_rule_engine(inputs: Sequence[KindInput]) -> tuple[Outcomes, Timings]:
    """A ``rule_engine.Rule`` per branch; per subject and rule the branches are tried in order until
    one matches (rule-engine has no first-hit policy of its own)."""
    import rule_engine

    found: Outcomes = []
    timings = {"prepare": 0.0, "evaluate": 0.0}
    for item in inputs:
        t0 = time.perf_counter()
        context = rule_engine.Context(default_value=None)
        rules = [
            (
                rule_id,
                [(outcome, rule_engine.Rule(render_rule_engine(text), context=context)) for outcome, text in branches],
            )
            for rule_id, branches in _peer_rules(item)
        ]
        t1 = time.perf_counter()
        results = []
        for values in item.peer_inputs:
            hits = {}
            for rule_id, branches in rules:
                for outcome, rule in branches:
                    if rule.matches(values):
                        hits[rule_id] = outcome
                        break
            results.append(hits)
        t2 = time.perf_counter()
        timings["prepare"] += t1 - t0
        timings["evaluate"] += t2 - t1
        found.extend(_peer_outcomes(item, results))
    return found, timings


RUNNERS: dict[str, Callable[[Sequence[KindInput]], tuple[Outcomes, Timings]]] = {
    "durable": lambda inputs: run_backend("durable", inputs),
    "python": lambda inputs: run_backend("python", inputs),
    "sqlite": lambda inputs: run_sql("sqlite", inputs),
    "duckdb": lambda inputs: run_sql("duckdb", inputs),
    "zen": run_zen,
    "clips": run_clips,
    "rule_engine": run_rule_engine,
}


def differences(expected: Outcomes, found: Outcomes, limit: int = 20) -> list[str]:
    """The rows that differ (record id, rule id: expected vs found), at most ``limit``."""
    wanted = {(record, rule): outcome for record, rule, outcome in expected}
    got = {(record, rule): outcome for record, rule, outcome in found}
    rows = []
    for key in sorted(wanted.keys() | got.keys()):
        if wanted.get(key) != got.get(key):
            rows.append(f"{key[0]} {key[1]}: durable {wanted.get(key)}, found {got.get(key)}")
            if len(rows) == limit:
                break
    if not rows and len(expected) != len(found):
        rows.append(f"{len(expected)} outcomes from durable, {len(found)} found")
    return rows


def check_engines(count: int, seed: int, engines: Sequence[str]) -> dict[str, list[str]]:
    """Every engine's outcomes against the durable engine's over the same records: engine -> the rows
    that differ (empty: identical)."""
    inputs = prepare_inputs(count, seed)
    expected, _ = run_backend("durable", inputs)
    return {engine: differences(expected, RUNNERS[engine](inputs)[0]) for engine in engines}


# --------------------------------------------------------------------------------------------------
# Timing, each engine in its own process
# --------------------------------------------------------------------------------------------------


def _memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def child(engine: str, count: int, seed: int, expected_path: str) -> None:
    """Set up, run this engine once (timed), check its outcomes against the durable ones the parent
    wrote: JSON on stdout, the timings only when the outcomes are identical (exit 3 and the rows that
    differ otherwise). One run: the slowest peers take minutes at 100,000 records, twice too long."""
    t0 = time.perf_counter()
    inputs = prepare_inputs(count, seed)
    setup = time.perf_counter() - t0
    setup_rss, _ = _memory_mb()
    t1 = time.perf_counter()
    found, timings = RUNNERS[engine](inputs)
    total = time.perf_counter() - t1
    _, peak = _memory_mb()
    with open(expected_path, "rb") as handle:
        expected = pickle.load(handle)
    rows = differences(expected, found)
    if rows:
        print(json.dumps({"engine": engine, "mismatches": rows}, ensure_ascii=False))
        raise SystemExit(3)
    records = sum(len(item.subjects) for item in inputs)
    report = {
        "engine": engine,
        "records": records,
        "setup_s": setup,
        "run_s": total,
        "timings": timings,
        "setup_rss_mb": setup_rss,
        "peak_mb": peak,
    }
    print(json.dumps(report))


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


#: the table's rows: (label, engine, phase timed, durable's phase it is compared with)
TABLE_ROWS = (
    ("bare scan, SQLite", "sqlite", "scan", None),
    ("bare scan, DuckDB", "duckdb", "scan", None),
    ("fzcheck SQL, SQLite: statement (derives and decides)", "sqlite", "statement", "derive+evaluate"),
    ("fzcheck SQL, SQLite: encode + load", "sqlite", "encode+load", None),
    ("fzcheck SQL, SQLite: encode + load + statement", "sqlite", "encode+load+statement", "derive+evaluate"),
    ("fzcheck SQL, DuckDB: statement (derives and decides)", "duckdb", "statement", "derive+evaluate"),
    ("fzcheck SQL, DuckDB: encode + load", "duckdb", "encode+load", None),
    ("fzcheck SQL, DuckDB: encode + load + statement", "duckdb", "encode+load+statement", "derive+evaluate"),
    ("fzcheck durable: derive + evaluate", "durable", "derive+evaluate", "derive+evaluate"),
    ("fzcheck durable: evaluate", "durable", "evaluate", "evaluate"),
    ("fzcheck python: derive + evaluate", "python", "derive+evaluate", "derive+evaluate"),
    ("fzcheck python: evaluate", "python", "evaluate", "evaluate"),
    ("zen-engine: evaluate", "zen", "evaluate", "evaluate"),
    ("clipspy: evaluate", "clips", "evaluate", "evaluate"),
    ("rule-engine: evaluate", "rule_engine", "evaluate", "evaluate"),
)


def table(results: dict[str, dict[str, Any]], pairs: int) -> list[str]:
    """The Markdown table: per engine and phase, records/s, µs per record-rule pair, its time over
    the bare scan of the same database (DuckDB's for DuckDB, SQLite's for the rest), how many times
    faster than durable's same phase, and the engine process's peak memory (and what setup held)."""
    lines = [
        "| engine: phase timed | records/s | µs per record-rule pair | time ÷ bare scan | speed-up vs durable "
        "| peak MB (setup) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, engine, phase, durable_phase in TABLE_ROWS:
        if engine not in results:
            continue
        result = results[engine]
        seconds = result["timings"][phase]
        database = "duckdb" if engine == "duckdb" else "sqlite"
        scan = results.get(database, {}).get("timings", {}).get("scan")
        durable = results.get("durable", {}).get("timings", {}).get(durable_phase) if durable_phase else None
        over_scan = f"{seconds / scan:,.1f}" if scan else "–"
        speed_up = f"{durable / seconds:,.2f}" if durable_phase and durable else "–"
        lines.append(
            f"| {label} | {result['records'] / seconds:,.0f} | {seconds / pairs * 1e6:.3f} | {over_scan} "
            f"| {speed_up} | {result['peak_mb']:.0f} ({result['setup_rss_mb']:.0f}) |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--check-only", action="store_true", help="check the outcomes, time nothing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--expected", help=argparse.SUPPRESS)
    args = parser.parse_args()
    engines = [engine for engine in args.engines.split(",") if engine]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        raise SystemExit(f"unknown engines {sorted(unknown)}; known: {', '.join(ENGINES)}")
    if args.child:
        child(args.child, args.records, args.seed, args.expected)
        return
    if args.check_only:
        mismatched = {engine: rows for engine, rows in check_engines(args.records, args.seed, engines).items() if rows}
        for engine, rows in mismatched.items():
            print(f"{engine}: outcomes differ from durable's:", *rows, sep="\n  ")
        print(
            "identical" if not mismatched else "MISMATCH", f"({', '.join(engines)} vs durable, {args.records} records)"
        )
        raise SystemExit(1 if mismatched else 0)

    load_start = _load()
    started = dt.datetime.now(dt.UTC)
    print(
        f"# {started:%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"# load average at start: {load_start}")
    inputs = prepare_inputs(args.records, args.seed)
    expected, _ = run_backend("durable", inputs)
    records = sum(len(item.subjects) for item in inputs)
    by_kind = ", ".join(f"{len(item.subjects)} {item.kind}" for item in inputs)
    print(f"# {records} records ({by_kind}), {len(expected)} record-rule pairs, as of {AS_OF}")
    del inputs
    results: dict[str, dict[str, Any]] = {}
    failed: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as folder:
        expected_path = os.path.join(folder, "expected.pickle")
        with open(expected_path, "wb") as handle:
            pickle.dump(expected, handle)
        for engine in engines:
            process = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    engine,
                    "--records",
                    str(args.records),
                    "--seed",
                    str(args.seed),
                    "--expected",
                    expected_path,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
            report = json.loads(lines[-1]) if lines else {}
            if process.returncode == 3:
                failed[engine] = report.get("mismatches", [])
            elif process.returncode != 0 or not report:
                failed[engine] = [f"exit {process.returncode}: {process.stderr[-1500:]}"]
            else:
                results[engine] = report
            print(
                f"# {engine}: {'done' if engine in results else 'FAILED'} (load {_load()})", file=sys.stderr, flush=True
            )
    pairs = len(expected)
    print()
    print(*table(results, pairs), sep="\n")
    print()
    for engine, result in results.items():
        phases = ", ".join(f"{phase} {seconds:.3f} s" for phase, seconds in result["timings"].items())
        print(f"- {engine}: {phases} (setup, untimed: {result['setup_s']:.1f} s)")
    print(f"\n# load average at end: {_load()}")
    for engine, rows in failed.items():
        print(f"{engine}: FAILED, no timing shown", *rows, sep="\n  ")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
