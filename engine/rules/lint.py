"""Ruleset consistency checks beyond what loading validates (``fzcheck rules lint``).

Loading already rejects syntax errors, unknown keys, names and functions, duplicate ids in a
pack, type errors and rules a backend cannot run (past a limit of its engine: they would hang
``check`` or fail there; ``backends.limit_problems``). Lint adds what needs the whole
catalog: contradictions between rules of one pack, citations without a quote, rules the catalog
requires but a pack lacks, examples that no longer behave as labelled, and rules close to an
engine limit (a few more terms and they would no longer load).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...messages import Msg
from ...messages import text as message_text
from ..backends import limit_problems
from .examples import run_examples as run_rule_examples
from .packs import Catalog

#: a rule using more than this share of one of a backend's limits is linted (it loads, but barely)
ENGINE_LIMIT_SHARE = 0.75

#: (rule, parameter) pairs that must stay ordered within a pack: the left one may not exceed the right.
ORDERED_PARAMS = [
    (("ND-VALIDITY-INTERIM", "interim_max_years"), ("ND-VALIDITY-MAX", "max_years")),
    (("RC-HANDLERS-MIN", "min_handlers"), ("RC-HANDLERS-MIN", "min_handlers_major")),
    (("RC-DECISION-DEADLINE", "limit_days"), ("RC-DECISION-DEADLINE", "extended_limit_days")),
]


@dataclass(frozen=True)
class LintProblem:
    """Where (``file:line`` of the rule) and what: a catalog message, shown by :meth:`text` in the
    command's language (its ``str`` is the English text)."""

    where: str
    message: str

    def text(self, lang: str = "zh") -> str:
        return f"{self.where}: {message_text(self.message, lang)}"

    def __str__(self) -> str:
        return self.text("en")


def lint_catalog(catalog: Catalog, run_examples: bool = True) -> list[LintProblem]:
    problems: list[LintProblem] = []
    for pack in catalog.packs.values():
        for rule in pack.rules:
            for text in limit_problems(rule, pack.meta.binds_from, share=ENGINE_LIMIT_SHARE):
                problems.append(
                    LintProblem(
                        rule.origin,
                        Msg(
                            "lint.engine_limit_close",
                            rule=f"{pack.id}/{rule.id}",
                            share=f"{ENGINE_LIMIT_SHARE:.0%}",
                            problem=text,
                        ),
                    )
                )
        by_id = {rule.id: rule for rule in pack.rules}
        for (left_rule, left_param), (right_rule, right_param) in ORDERED_PARAMS:
            left = by_id.get(left_rule)
            right = by_id.get(right_rule)
            if left is None or right is None:
                continue
            low, high = left.params.get(left_param), right.params.get(right_param)
            if low is not None and high is not None and low > high:
                problems.append(
                    LintProblem(
                        left.origin,
                        Msg(
                            "lint.params_order",
                            pack=pack.id,
                            left=f"{left_rule}.{left_param}",
                            low=low,
                            right=f"{right_rule}.{right_param}",
                            high=high,
                        ),
                    )
                )
        for rule in pack.rules:
            if not rule.citation.quote.strip():
                problems.append(LintProblem(rule.origin, Msg("lint.no_quote", rule=f"{pack.id}/{rule.id}")))
            if not rule.examples:
                problems.append(LintProblem(rule.origin, Msg("lint.no_examples", rule=f"{pack.id}/{rule.id}")))
            expects = {example.expect for example in rule.examples}
            if rule.examples and not ({"pass"} <= expects and expects & {"violation"}):
                problems.append(LintProblem(rule.origin, Msg("lint.pass_and_violation", rule=f"{pack.id}/{rule.id}")))
    if run_examples:
        for result in run_rule_examples(catalog):
            if not result.ok:
                problems.append(
                    LintProblem(
                        result.rule.origin,
                        Msg("lint.example_mislabelled", label=result.label, got=result.got, message=result.message),
                    )
                )
    return problems
