"""Outcome objects from the first branch that held: evidence, bilingual messages and their notes.

The same for every backend: a backend says which branch of each rule held first for a subject, and
this builds what the reports show of it from the rule, the branch and the subject's values (its
fields and what was derived for it).
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ...models.records import ENUM_LABELS_ZH, ENUM_VALUES, FIELD_LABELS_ZH
from ..backends.base import Row
from ..derive.marks import MOVED_SUFFIX, PROVISIONAL_MARK, PROVISIONAL_SUFFIX
from ..rules import language as cond
from ..rules.dated import value_in_force
from ..rules.ir import CompiledRule
from ..rules.packs import ACT_DATE, IN_FORCE_FROM, Rule
from .evidence_lists import bounded_list
from .results import Outcome, jsonable

if TYPE_CHECKING:
    from ..evaluate.evaluator import Subject

MISSING_TEXT = "—"


class _SafeFormat(dict):
    """The values a message shows, by name (display text); a name without one shows ``—``."""

    def __missing__(self, key: str) -> str:
        return MISSING_TEXT

    def render(self, text: str) -> str:
        """``text`` with each plain ``{name}`` replaced by its value. Nothing else is formatted: a
        placeholder with a format spec, conversion, index or attribute (``{title:>300000000}``,
        ``{x!r}``, ``{a[0]}``, ``{x:{y}}``) stays as written, and so does a text that is not a valid
        format string. Rule files refuse both (rulesets ``_placeholders``); this holds for a message
        that bypassed the loader."""
        return "".join(part if literal else str(self[part]) for literal, part in _message_parts(text))


@lru_cache(maxsize=4096)
def _message_parts(text: str) -> tuple[tuple[bool, str], ...]:
    """A message as (literal?, text or placeholder name) parts, by ``string.Formatter().parse``."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return ((True, text),)
    parts: list[tuple[bool, str]] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            parts.append((True, literal))
        if name is None:
            continue
        if name.isidentifier() and not spec and conversion is None:
            parts.append((False, name))
        else:
            parts.append(
                (
                    True,
                    "{"
                    + name
                    + (f"!{conversion}" if conversion is not None else "")
                    + (f":{spec}" if spec else "")
                    + "}",
                )
            )
    return tuple(parts)


BOOLEAN_TEXT = {"zh": ("否", "是"), "en": ("no", "yes")}


def _display(value: Any, lang: str = "zh", name: str | None = None) -> str:
    if value is None:
        return MISSING_TEXT
    if isinstance(value, (list, tuple)):
        return bounded_list(value, lang, name, show=lambda item: _display(item, lang))
    if isinstance(value, bool):
        return BOOLEAN_TEXT[lang][value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_outcome(
    subject: Subject,
    values: dict[str, Any],
    compiled: CompiledRule,
    branch_index: int,
    *,
    pass_details: bool = True,
    draft: bool = False,
) -> Outcome:
    """The outcome of the rule's branch ``branch_index``, the first that held for the subject (no
    branch held: the rule does not apply, and there is no outcome). ``values``: the subject's values
    with what was derived for it; ``pass_details=False``: a pass without evidence; ``draft``: the
    rule's pack was built from a consultation draft (findings say so)."""
    branch = compiled.branches[branch_index]
    rule = compiled.rule
    if branch.outcome == "pass" and not pass_details:
        return Outcome(
            "pass",
            rule.id,
            rule.pack,
            rule.severity,
            subject.kind,
            subject.id,
            subject.source,
            _pass_messages(rule),
            {},
            rule.citation,
            rule.title,
        )

    def value_of(name: str) -> Any:
        if name in rule.params:
            return rule.params[name]
        if name in compiled.constants:
            return compiled.constants[name]
        key = compiled.fact_key(name)
        return values[key] if key in values else subject.get(name)

    act_date = values.get(compiled.fact_key(ACT_DATE))
    evidence = {name: jsonable(value_of(name)) for name in compiled.evidence_names}
    for name, history in rule.dated_params.items():
        entry = value_in_force(history, act_date)
        evidence.setdefault("dated_parameters", {})[name] = {
            "value": jsonable(value_of(name)),
            "from": jsonable(entry.since if entry else None),
        }
    years = provisional_years(compiled, branch_index, values, subject) if PROVISIONAL_MARK in values else ()
    if years:
        evidence["provisional"] = True
        evidence["provisional_years"] = list(years)
    if branch.absent_step:
        evidence["absent_steps"] = compiled.absent_steps
        evidence["missing"] = list(branch.absent_step)
    if branch.reason == "act-date-unknown":
        messages = _act_date_unknown_messages(rule, compiled, subject.kind)
        evidence = {
            "missing": _act_date_fields(rule),
            "in_force_from": jsonable(compiled.constants.get(IN_FORCE_FROM)),
        }
    elif branch.message is not None:
        shown = {name: value_of(name) for name in _placeholder_names(branch.message)}
        enums = ENUM_VALUES.get(subject.kind, {})
        messages = {
            lang: _SafeFormat(
                {
                    name: ENUM_LABELS_ZH.get(value, value)
                    if lang == "zh" and name in enums
                    else _display(value, lang, name)
                    for name, value in shown.items()
                }
            ).render(text)
            for lang, text in branch.message.items()
        }
    elif branch.outcome == "indeterminate":
        missing = [name for name in rule.needs if value_of(name) is None]
        evidence["missing"] = missing
        labels = FIELD_LABELS_ZH.get(subject.kind, {})
        missing_zh = "、".join(f"{labels[name]}（{name}）" if name in labels else name for name in missing)
        messages = {"zh": f"缺少{missing_zh}，无法判定", "en": f"cannot tell: missing {', '.join(missing)}"}
    else:
        messages = _pass_messages(rule)
    if branch.outcome != "pass":
        moved = next(
            (
                values[compiled.fact_key(name) + MOVED_SUFFIX]
                for name in _placeholder_names(branch.message or {})
                if compiled.fact_key(name) + MOVED_SUFFIX in values
            ),
            None,
        )
        if moved is not None and branch.outcome in ("violation", "pending"):
            messages = _with_moved_note(messages, moved)
        if years:
            messages = _with_suffix(
                messages,
                PROVISIONAL_NOTE,
                years="、".join(map(str, years)),
                years_en=", ".join(map(str, years)),
            )
        if draft:
            messages = _with_suffix(messages, DRAFT_NOTE)
    return Outcome(
        outcome=branch.outcome,
        rule_id=rule.id,
        ruleset=rule.pack,
        severity=rule.severity,
        record_kind=subject.kind,
        record_id=subject.id,
        source=subject.source,
        messages=messages,
        evidence=evidence,
        citation=rule.citation_on(act_date),
        title=rule.title,
    )


def provisional_years(
    compiled: CompiledRule, branch_index: int, values: dict[str, Any], subject: Subject
) -> tuple[int, ...]:
    """The years whose unknown holiday schedule could change this outcome: the branches up to the
    one that held, evaluated with the provisional values unknown, must all stay decided."""
    prefix = f"d{compiled.index}__"
    uncertain = {
        key[: -len(PROVISIONAL_SUFFIX)]: years
        for key, years in values.items()
        if key.startswith(prefix) and key.endswith(PROVISIONAL_SUFFIX)
    }
    if not uncertain:
        return ()
    lookup = Row(values, subject)
    names = frozenset(uncertain)
    for branch in compiled.branches[: branch_index + 1]:
        if cond.evaluate_uncertain(branch.condition, lookup, names) is None:
            return tuple(sorted({year for years in uncertain.values() for year in years}))
    return ()


#: appended to findings that rest on a day whose holiday schedule is not official
PROVISIONAL_NOTE = {
    "zh": "（暂定：{years}年国务院放假安排尚未载入，按法定节假日推算，调休可能改变结论）",
    "en": " (provisional: the State Council holiday schedule for {years_en} is not loaded; statutory "
    "holidays were computed by law, and make-up working days could change this)",
}
#: appended to findings of a pack built from a consultation draft
DRAFT_NOTE = {
    "zh": "（依据为征求意见稿，尚未正式印发）",
    "en": " (based on a consultation draft, not an adopted plan)",
}
MOVED_NOTE = {
    "zh": "（期限末日{moved_from}起，{because}，依法顺延至{due_on}）",
    "en": " (from the period's last day {moved_from}: {because_en}; so it ran to {due_on})",
}


def _with_suffix(messages: dict[str, str], note: dict[str, str], **fields: str) -> dict[str, str]:
    return {lang: text + note.get(lang, note["zh"]).format(**fields) for lang, text in messages.items()}


def _with_moved_note(messages: dict[str, str], moved: tuple) -> dict[str, str]:
    moved_from, due_on, because = moved
    return _with_suffix(
        messages,
        MOVED_NOTE,
        moved_from=moved_from.isoformat(),
        due_on=due_on.isoformat(),
        because=because.get("zh", ""),
        because_en=because.get("en", ""),
    )


def _act_date_fields(rule: Rule) -> list[str]:
    tree = next(tree for name, tree, _ in rule.derive if name == ACT_DATE)
    names: list[str] = []

    def walk(node: dict) -> None:
        if "call" in node:
            for arg in node["args"]:
                walk(arg)
        elif "name" in node and node["name"] not in names:
            names.append(node["name"])

    walk(tree)
    return names


def _act_date_unknown_messages(rule: Rule, compiled: CompiledRule, kind: str) -> dict[str, str]:
    labels = FIELD_LABELS_ZH.get(kind, {})
    fields = _act_date_fields(rule)
    start = compiled.constants.get(IN_FORCE_FROM)
    zh_fields = "、".join(f"{labels.get(name, name)}（{name}）" for name in fields)
    since = f"（本规则自{start.isoformat()}起适用）" if start else ""
    since_en = f" (the rule applies from {start.isoformat()})" if start else ""
    return {
        "zh": f"无法判定：缺少{zh_fields}，无法确定行为发生时本规则是否已施行{since}",
        "en": f"Cannot tell: {', '.join(fields)} missing, so whether the rule was in force for the act "
        f"is unknown{since_en}",
    }


@cache
def _pass_messages_cached(rule_id: str, zh: str, en: str) -> dict[str, str]:
    return {"zh": f"符合：{zh}", "en": f"complies: {en}"}


def _pass_messages(rule: Rule) -> dict[str, str]:
    return _pass_messages_cached(rule.id, rule.title.get("zh", rule.id), rule.title.get("en", rule.id))


@cache
def _placeholder_names_cached(texts: tuple[str, ...]) -> tuple[str, ...]:
    names: list[str] = []
    for text in texts:
        for _, name, _, _ in string.Formatter().parse(text):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _placeholder_names(message: dict[str, str]) -> tuple[str, ...]:
    return _placeholder_names_cached(tuple(message.values()))
