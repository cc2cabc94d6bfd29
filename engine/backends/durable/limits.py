"""durable-rules' limits, modelled before anything is registered, and the rulesets split to stay within them.

durable-rules' network has fixed-size tables: past one of them ``create_ruleset`` or an assert loops
forever in C (nothing in Python can interrupt it), fails with an error code, or crashes the process.
``engine_limit_problems`` checks one rule against a model of that network (``DurableNetwork``), so
loading rejects the rules that would; ``durable_rulesets`` splits the rules of one pack and kind into
rulesets that each stay within every limit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...rules.ir import ABSENT_STEPS, CompiledRule, compile_rule, fact_names_used
from ...rules.packs import Rule
from .translate import check_reserved, count_conditions, parse_branch_name, rule_definitions, short_keys

#: keep every durable-rules ruleset well under the 512-conditions-per-node hang (notes/durable-rules.md)
MAX_CONDITIONS_PER_RULESET = 300

#: The fixed-size tables of durable-rules 2.0.28 (src/rules/rules.h, rete.h, rete.c, events.c),
#: each limit reproduced on these machines (notes/durable-rules.md). Its network is a tree of
#: tests ("alpha nodes"): every pattern here starts at ``kind == <kind>``; ``$and`` chains tests,
#: ``$or`` puts each alternative under the same parent and joins them in a new node, and equal
#: literal tests under one parent are shared (field-to-field tests never are).
#:
#: NEXT_BUCKET_LENGTH: 512 slots for the distinct tests under one test. The 513th makes
#: create_ruleset loop forever; with all 512 taken, every assert loops forever (both in C, which
#: no Python timeout can interrupt).
MAX_TESTS_UNDER_ONE_TEST = 511
#: NEXT_LIST_LENGTH: the ``$or`` groups one test is an alternative of (error 107 past 128)
MAX_OR_GROUPS_PER_TEST = 127
#: BETA_LIST_LENGTH: the patterns (branches) ending on one test (error 108 past 256)
MAX_PATTERNS_PER_TEST = 255
#: MAX_SEQUENCE_EXPRESSIONS: a pattern's expression slots; each ``$and`` and ``$or`` takes two
#: (the operator and its end), a test against another pattern or arithmetic one (error 113 at 32)
MAX_PATTERN_EXPRESSIONS = 31
#: MAX_ACTIONS: rules of one ruleset (error 106)
MAX_RULES_PER_RULESET = 4096
#: events.c MAX_STACK_SIZE: tests one fact satisfies that wait to be followed (error 303 when
#: asserting); bounded here for the worst fact (see ``DurableNetwork.match_stack_bound``)
MAX_MATCH_STACK = 64
#: a fact of 255 properties crashes the process (segmentation fault, measured); facts carry id,
#: sid, kind and per name a value and a presence flag
MAX_FACT_PROPERTIES = 254
FACT_FIXED_PROPERTIES = 3

_HASHABLE = (str, int, float, bool)
_TEST_OPERATORS = {"$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$mt", "$imt", "$ex", "$nex", "$iall", "$iany"}


class EngineLimitError(ValueError):
    """A rule whose durable-rules form exceeds a limit of the engine (it would hang or fail there)."""

    def __init__(self, rule: CompiledRule, problems: list[str]):
        self.rule = rule.rule
        self.problems = problems
        name = f"{rule.rule.id} ({rule.rule.origin})" if rule.rule is not None else f"rule {rule.index}"
        super().__init__(f"{name}: " + "; ".join(problems))


class _Test:
    """One test of durable's network: the distinct tests under it, the ``$or`` groups it is an
    alternative of (their join nodes), and how many patterns end on it."""

    __slots__ = ("field", "operator", "literal", "children", "joins", "patterns")

    def __init__(self, field: str | None = None, operator: str | None = None, literal: Any = None):
        self.field, self.operator, self.literal = field, operator, literal
        self.children: dict[tuple, _Test] = {}
        self.joins: list[_Test] = []
        self.patterns = 0


@dataclass(frozen=True)
class LimitProblem:
    """One limit a ruleset's network exceeds; ``branch`` is the rule/branch name when one branch does."""

    limit: str
    count: int
    allowed: int
    branch: str | None = None

    def describe(self, rule: CompiledRule | None = None) -> str:
        where = ""
        if self.branch is not None and rule is not None:
            parsed = parse_branch_name(self.branch)
            if parsed is not None and parsed[1] < len(rule.branches):
                where = f"{rule.branches[parsed[1]].source or 'a branch'}: "
        return where + LIMIT_MESSAGES[self.limit].format(count=self.count, allowed=self.allowed)


SPLIT_OR_DERIVE = "split the rule into several rules, or derive one value that the condition tests"
LIMIT_MESSAGES = {
    "tests": (
        "its durable-rules form puts {count} different tests under one test, and durable-rules hangs "
        "(in C, uninterruptibly) past {allowed} — usually a long `or` or `in [...]`; " + SPLIT_OR_DERIVE
    ),
    "or_groups": (
        "one test is an alternative of {count} `or` groups, durable-rules allows {allowed} "
        "(error 107); " + SPLIT_OR_DERIVE
    ),
    "patterns": (
        "{count} branches end on the same tests, durable-rules allows {allowed} (error 108); " + SPLIT_OR_DERIVE
    ),
    "expressions": (
        "the condition needs {count} of durable-rules' {allowed} expression slots per branch "
        "(error 113): each `and`/`or` group takes two, and so does every `!=` or `not` on a value "
        "that may be missing (it becomes `(x != v or missing(x))`); write `missing(x) or (x != 1 and "
        "x != 2 ...)`, " + SPLIT_OR_DERIVE
    ),
    "rules": "{count} branches in one ruleset, durable-rules allows {allowed} (error 106); " + SPLIT_OR_DERIVE,
    "stack": (
        "one record can satisfy {count} of its tests at once, durable-rules stops at {allowed} "
        "(error 303 when checking); " + SPLIT_OR_DERIVE
    ),
    "properties": (
        "its facts would carry {count} properties (a value and a presence flag per name read), "
        "durable-rules crashes at more than {allowed}; " + SPLIT_OR_DERIVE
    ),
}


class DurableNetwork:
    """A model of the network durable-rules builds for one ruleset, to check its limits before
    anything is registered (``create_ruleset`` cannot be interrupted when it hangs).

    It follows rete.c's ``createAlpha``/``findAlpha``/``linkAlpha``: the same tests are shared
    where durable shares them and kept apart where it does not, so the counts are durable's own.
    """

    def __init__(self, kind: str | None = None):
        self.root = _Test()
        self.rules = 0
        self.expressions: dict[str, int] = {}
        self._unshared = itertools.count()
        if kind is not None:
            self.add("catch_all", {"all": [{"m": {"kind": kind}}]})

    def add(self, name: str, definition: dict) -> None:
        self.rules += 1
        worst = 0
        for pattern in [*definition.get("all", ()), *definition.get("any", ())]:
            for expression in pattern.values():
                slots = [0]
                self._add(expression, self.root, slots).patterns += 1
                worst = max(worst, slots[0])
        self.expressions[name] = worst

    def _add(self, expression: dict, parent: _Test, slots: list[int]) -> _Test:
        if len(expression) != 1:
            raise ValueError(f"one test per object, got {sorted(expression)}")
        ((key, value),) = expression.items()
        if key in ("$and", "$or"):
            slots[0] += 2
            if key == "$and":
                node = parent
                for part in value:
                    node = self._add(part, node, slots)
                return node
            join = _Test()
            for part in value:
                self._add(part, parent, slots).joins.append(join)
            return join
        if key in _TEST_OPERATORS:
            ((field_name, operand),) = value.items()
            operator = key
        else:
            field_name, operand, operator = key, value, "$eq"
        if isinstance(operand, dict):
            if set(operand) != {"$m"}:  # another pattern's field, or arithmetic: an expression slot
                slots[0] += 1
            # durable compares such tests by string offsets, never equal between two tests: never shared
            test_key: tuple = (field_name, operator, "unshared", next(self._unshared))
            literal = None
        else:
            test_key = (
                field_name,
                operator,
                operand.__class__,
                operand if isinstance(operand, _HASHABLE) else json.dumps(operand),
            )
            literal = operand
        child = parent.children.get(test_key)
        if child is None:
            child = parent.children[test_key] = _Test(field_name, operator, literal)
        return child

    def _nodes(self) -> list[_Test]:
        seen: set[int] = set()
        order: list[_Test] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            order.append(node)
            stack.extend(node.children.values())
            stack.extend(node.joins)
        return order

    def match_stack_bound(self) -> int:
        """An upper bound of events.c's stack when one fact is asserted: a matched test pushes every
        test under it that the fact satisfies and every ``$or`` join it feeds, and the deepest is
        followed first. Of equality tests on one field with different values one can hold at once;
        every other test is counted as holding."""
        memo: dict[int, int] = {}

        def bound(node: _Test) -> int:
            if id(node) in memo:
                return memo[id(node)]
            below = [*node.children.values(), *node.joins]
            if not below:
                memo[id(node)] = 0
                return 0
            width = _simultaneous(node.children.values()) + len(node.joins)
            result = max(width, width - 1 + max(bound(child) for child in below))
            memo[id(node)] = result
            return result

        return bound(self.root)

    def problems(self, names: int | None = None, share: float = 1.0) -> list[LimitProblem]:
        """Every limit the network (and, given the names its facts carry, its facts) exceeds; with
        ``share`` < 1, every limit it uses more than that share of."""
        found: list[LimitProblem] = []

        def check(limit: str, count: int, allowed: int, branch: str | None = None) -> None:
            if count > allowed * share:
                found.append(LimitProblem(limit, count, allowed, branch))

        nodes = self._nodes()
        check("tests", max(len(node.children) for node in nodes), MAX_TESTS_UNDER_ONE_TEST)
        check("or_groups", max(len(node.joins) for node in nodes), MAX_OR_GROUPS_PER_TEST)
        check("patterns", max(node.patterns for node in nodes), MAX_PATTERNS_PER_TEST)
        for name, count in self.expressions.items():
            check("expressions", count, MAX_PATTERN_EXPRESSIONS, name)
        check("rules", self.rules, MAX_RULES_PER_RULESET)
        # a network past another limit cannot run anyway: one message is enough. The stack never
        # holds more tests than the network has links (a path passes each test once), so only a
        # network with more links than the stack allows needs the bound.
        links = sum(len(node.children) + len(node.joins) for node in nodes)
        if not found and links > MAX_MATCH_STACK * share:
            check("stack", self.match_stack_bound(), MAX_MATCH_STACK)
        if names is not None:
            check("properties", FACT_FIXED_PROPERTIES + 2 * names, MAX_FACT_PROPERTIES)
        return found


def _simultaneous(tests: Iterable[_Test]) -> int:
    """How many of these sibling tests one fact can satisfy at once (an upper bound)."""
    count = 0
    equal_values: dict[str, dict[Any, int]] = {}
    for test in tests:
        if test.operator == "$eq" and test.literal is not None:
            value = test.literal
            same = float(value) if isinstance(value, (bool, int, float)) else value
            by_value = equal_values.setdefault(test.field or "", {})
            by_value[same] = by_value.get(same, 0) + 1
        else:
            count += 1
    return count + sum(max(by_value.values()) for by_value in equal_values.values())


def engine_limit_problems(rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
    """What keeps one rule from running on durable-rules, alone in a ruleset: with and without its
    pack's issue date (``pack_start``: the act-date scope the rule gets when its pack is chosen by
    region and date), and for each absent-steps standard (they change outcomes, not conditions:
    a standard is checked on its own only if its conditions differ). With ``share`` < 1: the
    limits the rule uses more than that share of (``rules lint``)."""
    # compile_rule gives the standard a say only over branches marked absent_step
    standards = ABSENT_STEPS if any(branch.absent_step for branch in rule.branches) else ABSENT_STEPS[:1]
    worst: dict[tuple[str, str | None], tuple[LimitProblem, CompiledRule]] = {}
    for starts_on in dict.fromkeys([rule.starts_on, rule.binds_from(pack_start)]):
        checked: list[list[dict]] = []
        for absent_steps in standards:
            compiled = compile_rule(rule, 0, starts_on=starts_on, absent_steps=absent_steps)
            check_reserved(compiled)
            conditions = [branch.condition for branch in compiled.branches]
            if conditions in checked:
                continue
            checked.append(conditions)
            names = fact_names_used([compiled])
            network = DurableNetwork(rule.kind)
            for name, definition in rule_definitions(rule.kind, compiled, short_keys(names)).items():
                network.add(name, definition)
            for problem in network.problems(len(names), share):
                parsed = parse_branch_name(problem.branch) if problem.branch else None
                key = (problem.limit, compiled.branches[parsed[1]].source if parsed else None)
                if key not in worst or worst[key][0].count < problem.count:
                    worst[key] = (problem, compiled)
    return [problem.describe(compiled) for problem, compiled in worst.values()]


def durable_rulesets(
    kind: str, compiled: list[CompiledRule], keys: dict[str, tuple[str, str]] | None = None
) -> list[dict[str, dict]]:
    """Durable ruleset definitions (without actions) for one (pack, kind), split to stay under the node limits.

    Every condition carries a positive test on ``kind`` (the state document the engine re-asserts
    has no kind, so nothing can fire forever on it), and every ruleset has a catch-all so a fact
    is never "not handled". A rule joins the current ruleset only while that ruleset stays within
    ``MAX_CONDITIONS_PER_RULESET`` and every limit of durable-rules' network (``DurableNetwork``);
    a rule that exceeds a limit on its own raises :class:`EngineLimitError` (loading rejects such
    rules first: ``engine_limit_problems``).
    """
    chunks: list[dict[str, dict]] = []
    current: dict[str, dict] = {}
    network = DurableNetwork(kind)
    names: set[str] = set()
    size = 0
    for rule in compiled:
        rule_defs = rule_definitions(kind, rule, keys)
        rule_size = sum(count_conditions(definition["all"][0]["m"]) for definition in rule_defs.values())
        rule_names = fact_names_used([rule])
        if current and size + rule_size <= MAX_CONDITIONS_PER_RULESET:
            for name, definition in rule_defs.items():
                network.add(name, definition)
            if not network.problems(len(names | rule_names)):
                current.update(rule_defs)
                size += rule_size
                names |= rule_names
                continue
        if current:
            chunks.append(current)
        network = DurableNetwork(kind)
        for name, definition in rule_defs.items():
            network.add(name, definition)
        problems = network.problems(len(rule_names))
        if problems:
            raise EngineLimitError(rule, [problem.describe(rule) for problem in problems])
        current, size, names = dict(rule_defs), rule_size, set(rule_names)
    if current or not chunks:
        chunks.append(current)
    for chunk in chunks:
        chunk["catch_all"] = {"all": [{"m": {"kind": kind}}]}
    return chunks
