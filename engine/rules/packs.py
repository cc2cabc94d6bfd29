"""Loading, validating and resolving rule files (docs/rule-format.md).

Rule files are parsed with line tracking, validated with pydantic (unknown keys
are errors that list the allowed keys), and every condition and derive
expression is parsed and type-checked against the record kind's fields, the
rule's parameters and the derive-function registry. Errors name file, line and
dotted path; all errors of a load are reported together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...messages import Items, Msg, Term
from ...messages import text as message_text
from ..backends import limit_problems
from ..derive.registry import REGISTRY
from ..outcomes.results import Citation, jsonable
from ..sources.yamlsrc import DuplicateKeyError, LineMap, Loc, dotted, load_yaml
from ..subjects.kinds import BUILTIN_NAMES, field_types, known_kinds
from . import language as cond
from .clauses import clause_label, label_problems
from .dated import DatedValue

OUTCOME_KEYS = ("violation", "pending", "indeterminate")


def packaged_rulesets_dir() -> Path:
    return Path(str(resources.files("fzcheck.rulesets")))


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RuleFileError:
    """One error of a rule file: file, line, dotted path and the message, a catalog message
    (:class:`~fzcheck.messages.Msg`, whose ``str`` is the English text) shown by :meth:`text` in
    the command's language."""

    file: str
    line: int | None
    path: str
    message: str

    def text(self, lang: str = "zh") -> str:
        """``file:line: path: message`` with the message in ``lang``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = message_text(self.message, lang)
        return f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"

    def __str__(self) -> str:
        return self.text("en")


class RuleFileErrors(Exception):
    def __init__(self, errors: list[RuleFileError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))

    def text(self, lang: str = "zh") -> str:
        """Every error on a line of its own, in ``lang``."""
        return "\n".join(error.text(lang) for error in self.errors)


# --------------------------------------------------------------------------- file schema

_STRICT = ConfigDict(extra="forbid", populate_by_name=True)


class Text(BaseModel):
    model_config = _STRICT
    zh: str
    en: str


class OutcomeSpec(BaseModel):
    model_config = _STRICT
    violation: str | None = None
    pending: str | None = None
    indeterminate: str | None = None
    message: Text
    #: a violation branch that holds only because a required step has no record (records.md,
    #: Outcomes): the fields that would record it. By default such a branch ends indeterminate
    #: ("未见…记录"); with ``--absent-steps violation`` (the case-file review standard) a violation.
    absent_step: list[str] | None = None

    @model_validator(mode="after")
    def _absent_step_on_violation(self) -> OutcomeSpec:
        if self.absent_step is not None and self.violation is None:
            raise ValueError(Msg("rules.absent_step_violation_only"))
        return self

    @model_validator(mode="after")
    def _one_outcome(self) -> OutcomeSpec:
        given = [key for key in OUTCOME_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            found = str(given) if given else Term.of("none")
            raise ValueError(Msg("rules.one_outcome", keys=Items(OUTCOME_KEYS), found=found))
        return self

    @property
    def outcome(self) -> str:
        return next(key for key in OUTCOME_KEYS if getattr(self, key) is not None)

    @property
    def condition(self) -> str:
        return getattr(self, self.outcome)


class ExampleSpec(BaseModel):
    model_config = _STRICT
    expect: Literal["pass", "violation", "pending", "indeterminate", "not_applicable"]
    record: dict[str, Any]
    as_of: dt.date | None = None
    batch: list[dict[str, Any]] = Field(default_factory=list)
    #: the subject to look at when it is not the example record itself, e.g. "example/2019" for an officer-year
    subject: str | None = None
    note: str | None = None


class CitationSpec(BaseModel):
    model_config = _STRICT
    document: str | None = None
    doc_number: str | None = None
    clause: str
    quote: str
    source: Literal["seed", "external"] = "seed"


class RuleLogic(BaseModel):
    model_config = _STRICT
    id: str
    kind: str
    severity: Literal["error", "warning", "info"] = "error"
    title: Text
    description: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    #: the date of the act the rule judges (a derive expression; default: the record's key date).
    #: The rule applies to acts on or after the day its source was in force (rule-catalog.md).
    act_date: str | None = None
    applies: str | None = None
    needs: list[str] = Field(default_factory=list)
    derive: dict[str, str] = Field(default_factory=dict)
    outcomes: list[OutcomeSpec]
    evidence: list[str] = Field(default_factory=list)
    examples: list[ExampleSpec] = Field(default_factory=list)


class TemplateFile(BaseModel):
    model_config = _STRICT
    templates: list[RuleLogic]


class PackRuleSpec(BaseModel):
    model_config = _STRICT
    id: str
    extends: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    severity: Literal["error", "warning", "info"] | None = None
    citation: CitationSpec | None = None
    #: citations by the date from which each source governed the act (e.g. the 1996 and the 2021
    #: 行政处罚法); instead of ``citation``
    citations: dict[dt.date, CitationSpec] | None = None
    examples: list[ExampleSpec] = Field(default_factory=list)
    # inline logic for rules that exist only in this pack
    kind: str | None = None
    title: Text | None = None
    description: str | None = None
    act_date: str | None = None
    applies: str | None = None
    needs: list[str] | None = None
    derive: dict[str, str] | None = None
    outcomes: list[OutcomeSpec] | None = None
    evidence: list[str] | None = None


class PackRulesFile(BaseModel):
    model_config = _STRICT
    rules: list[PackRuleSpec]


class Period(BaseModel):
    model_config = _STRICT
    from_: dt.date = Field(alias="from")
    to: dt.date


class PackMeta(BaseModel):
    model_config = _STRICT
    id: str
    title: str
    short_title: str | None = None
    doc_number: str | None = None
    issued_on: dt.date | None = None
    #: the first day the pack binds, when that is not ``issued_on`` (e.g. the issue date is not
    #: known and a later date is the earliest the document is proven to have been published)
    in_force_from: dt.date | None = None
    #: ``draft``: built from a consultation draft (征求意见稿): never chosen by region and date,
    #: applied only when named with ``--ruleset``, its findings saying so
    status: Literal["adopted", "draft"] = "adopted"
    source_file: str | None = None
    clause_style: str | None = None
    #: how a reader names a clause numbered in ``clause_style``: {n} the number, {n_zh} in Chinese
    #: numerals (e.g. zh "第{n}项" / en "item {n}" for a plan's "25." items; engine/rules/clauses.py)
    clause_label: Text | None = None
    region_prefix: str = ""
    region_name: str | None = None
    period: Period | None = None
    version: str
    description: str | None = None

    @property
    def binds_from(self) -> dt.date | None:
        """The first day of acts the pack judges: its issue date (not the start of the period it plans for)."""
        candidates = [day for day in (self.in_force_from, self.issued_on) if day is not None]
        start = max(candidates) if candidates else None
        if self.period is not None:
            start = max(start, self.period.from_) if start else self.period.from_
        return start


# --------------------------------------------------------------------------- resolved rules


@dataclass(frozen=True)
class Branch:
    outcome: str
    condition: dict
    message: dict[str, str]
    absent_step: tuple[str, ...] = ()


#: the name every rule's act date is derived under (rule-catalog.md: "the date of the act it judges")
ACT_DATE = "act_date"
#: per-rule constant: the first day the rule binds (its law's effective date, its pack's issue date)
IN_FORCE_FROM = "in_force_from"


@dataclass
class Rule:
    """A rule of one pack, resolved: parameters bound, expressions parsed and checked."""

    id: str
    pack: str
    kind: str
    severity: str
    title: dict[str, str]
    params: dict[str, Any]
    applies: dict | None
    needs: list[str]
    derive: list[tuple[str, dict, str]]
    branches: list[Branch]
    evidence: list[str]
    citation: Citation
    citation_source: str
    effective_from: dt.date | None
    effective_until: dt.date | None
    examples: list[ExampleSpec]
    origin: str
    description: str | None = None
    name_types: dict[str, str] = field(default_factory=dict)
    #: parameters whose value depends on the act's date, oldest first (OpenFisca-style)
    dated_params: dict[str, list[DatedValue]] = field(default_factory=dict)
    #: (from, citation) oldest first, when the governing source changed over time
    citation_history: list[tuple[dt.date, Citation]] = field(default_factory=list)
    #: the expression the act date is derived with (for ``rules show``)
    act_date_text: str = "key_date"

    @property
    def derived_names(self) -> list[str]:
        return [name for name, _, _ in self.derive]

    @property
    def ends_on(self) -> dt.date | None:
        """The last act date the rule judges: ``effective_until``, and no later than the last day a
        dated parameter has a value (an act with no value in force is not judged by a missing limit)."""
        ends = [day for day in (self.effective_until,) if day is not None]
        ends.extend(history[-1].until for history in self.dated_params.values() if history[-1].until is not None)
        return min(ends) if ends else None

    def binds_from(self, pack_start: dt.date | None) -> dt.date | None:
        """The first act date the rule judges in a pack that binds from ``pack_start`` (None: a
        what-if check, or a pack with no date): the later of that and the rule's own start."""
        starts = [day for day in (self.starts_on, pack_start) if day is not None]
        return max(starts) if starts else None

    @property
    def starts_on(self) -> dt.date | None:
        """The first act date the rule judges by its own sources: its law's effective date, and no
        earlier than the first value of a dated parameter."""
        starts = [day for day in (self.effective_from,) if day is not None]
        starts.extend(history[0].since for history in self.dated_params.values())
        return max(starts) if starts else None

    def citation_on(self, day: dt.date | None) -> Citation:
        """The citation of the source that governed an act of ``day`` (the latest without a day)."""
        if not self.citation_history or day is None:
            return self.citation
        chosen = self.citation_history[0][1]
        for since, citation in self.citation_history:
            if since <= day:
                chosen = citation
        return chosen

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ruleset": self.pack,
            "kind": self.kind,
            "severity": self.severity,
            "title": self.title,
            "parameters": {
                **{name: jsonable(value) for name, value in self.params.items()},
                **{name: [entry.to_dict() for entry in history] for name, history in self.dated_params.items()},
            },
            "act_date": self.act_date_text,
            "effective_from": jsonable(self.effective_from),
            "effective_until": jsonable(self.effective_until),
            "needs": self.needs,
            "citation": self.citation.to_dict(),
        }


@dataclass
class Pack:
    meta: PackMeta
    rules: list[Rule]
    sha256: str
    directory: Path

    @property
    def id(self) -> str:
        return self.meta.id

    def rules_for(self, kind: str) -> list[Rule]:
        """The pack's rules for one kind, in file order (asked for every subject a pack might judge:
        grouped once; ``rules`` is not changed after loading)."""
        by_kind = self.__dict__.get("_rules_by_kind")
        if by_kind is None:
            by_kind = {}
            for rule in self.rules:
                by_kind.setdefault(rule.kind, []).append(rule)
            self.__dict__["_rules_by_kind"] = by_kind
        return list(by_kind.get(kind, ()))

    @property
    def is_draft(self) -> bool:
        return self.meta.status == "draft"

    def covers_region(self, region_code: str | None) -> bool:
        prefix = self.meta.region_prefix
        return not prefix or (region_code or "").startswith(prefix)

    def covers(self, region_code: str | None, day: dt.date | None, last_day: dt.date | None = None) -> bool:
        """Chosen for a record by region and date (rule-catalog.md): region prefix, and the key date
        from the pack's issue date to the end of its period. A subject spanning days (an officer-year
        from ``day`` to ``last_day``) needs the pack in force for all of them. A draft pack is never
        chosen this way. A missing key date matches on region alone (the rules then say what they can)."""
        if self.is_draft or not self.covers_region(region_code):
            return False
        period, start = self.meta.period, self.meta.binds_from
        if day is None:
            return True
        if start is not None and day < start:
            return False
        return period is None or (last_day or day) <= period.to


@dataclass
class Catalog:
    packs: dict[str, Pack]

    def rule(self, rule_id: str, pack: str | None = None) -> list[Rule]:
        """The rules with this id (in ``pack`` only, when given); the id in any case, an exact match first."""
        candidates = [rule for p in self.packs.values() if pack in (None, p.id) for rule in p.rules]
        exact = [rule for rule in candidates if rule.id == rule_id]
        return exact or [rule for rule in candidates if rule.id.casefold() == rule_id.casefold()]

    def all_rules(self) -> list[Rule]:
        return [rule for pack in self.packs.values() for rule in pack.rules]


# --------------------------------------------------------------------------- loading


class _Collector:
    def __init__(self) -> None:
        self.errors: list[RuleFileError] = []

    def add(self, file: Path | str, line_map: LineMap | None, loc: Loc, message: Msg | str) -> None:
        line = line_map.line_of(loc) if line_map else None
        self.errors.append(RuleFileError(str(file), line, dotted(loc), message))


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str] | None:
    """Allowed keys of the mapping at ``loc`` (the loc of an unknown key's parent)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        current = _unwrap(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return None


def _unwrap(annotation: Any) -> Any:
    """``list[X]`` / ``X | None`` -> X, so allowed keys can be found under containers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is None or origin in (Literal, dict):
            return annotation
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if not args:
            return annotation
        annotation = args[0]


def _validate(model: type[BaseModel], data: Any, file: Path, line_map: LineMap, errors: _Collector) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
            if error["type"] == "extra_forbidden":
                allowed = _allowed_keys(model, loc[:-1])
                message = (
                    Msg("rules.unknown_key_allowed", key=loc[-1], allowed=Items(allowed))
                    if allowed
                    else Msg("rules.unknown_key", key=loc[-1])
                )
                errors.add(file, line_map, loc, message)
            elif error["type"] == "missing":
                errors.add(file, line_map, loc, Msg("rules.key_missing"))
            elif error["type"] == "value_error":
                raised = error.get("ctx", {}).get("error")
                given = raised.args[0] if raised is not None and getattr(raised, "args", None) else None
                detail = given if isinstance(given, Msg) else str(error["msg"]).removeprefix("Value error, ")
                errors.add(file, line_map, loc, detail)
            else:
                errors.add(
                    file,
                    line_map,
                    loc,
                    Msg("rules.bad_value", detail=_value_problem(error), got=repr(error.get("input"))),
                )
        return None


#: pydantic's error types in rule files, in Chinese (its English wording is kept as it wrote it)
_VALUE_PROBLEMS_ZH = {
    "literal_error": "取值无效；应为 {expected}",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时刻",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
}


def _value_problem(error: Any) -> Term:
    """What pydantic says of a value, in both languages: translated from its error type in Chinese
    (its own wording when the type is not one rule files meet), as pydantic wrote it in English."""
    english = str(error["msg"])
    chinese = _VALUE_PROBLEMS_ZH.get(error["type"])
    if chinese is None:
        return Term(english, english)
    expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", "、").replace(", ", "、")
    return Term(chinese.format(expected=expected), english)


def value_type(value: Any) -> str:
    """The condition-language type of a parameter or literal value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "list"
    return "str"


class _RuleChecker:
    """Parses and type-checks one rule's expressions, reporting errors at their lines."""

    def __init__(self, file: Path, line_map: LineMap, base: Loc, errors: _Collector):
        self.file, self.line_map, self.base, self.errors = file, line_map, base, errors

    def fail(self, loc: Loc, message: Msg) -> None:
        self.errors.add(self.file, self.line_map, (*self.base, *loc), message)

    def resolve(
        self, logic: dict[str, Any], plain_params: dict[str, Any], dated_params: dict[str, list[DatedValue]], kind: str
    ) -> dict[str, Any] | None:
        """Parse and check one rule's logic with its parameters (plain and dated, each already
        checked where it was written: ``split_params``)."""
        try:
            types = dict(field_types(kind))
        except KeyError:
            self.fail(("kind",), Msg("rules.unknown_kind", kind=kind, allowed=Items(known_kinds())))
            return None
        types.update(BUILTIN_NAMES)
        types[IN_FORCE_FROM] = "date"
        params = {**plain_params, **dated_params}
        for name, value in params.items():
            if name in types:
                self.fail(("params", name), Msg("rules.param_shadows_field", name=name, kind=kind))
            types[name] = (
                value_type(value)
                if name in plain_params
                else value_type(dated_params[name][0].value)
                if dated_params.get(name)
                else "any"
            )
        derived: list[tuple[str, dict, str]] = []
        act_text = logic.get("act_date") or "key_date"
        try:
            act_tree = cond.parse_derive(act_text)
        except cond.ConditionSyntaxError as exc:
            self.fail(("act_date",), exc.message)
            return None
        if self._check_call(act_tree, types, REGISTRY, ("act_date",)) not in (None, "date", "any"):
            self.fail(("act_date",), Msg("rules.act_date_not_date"))
            return None
        types[ACT_DATE] = "date"
        derived.append((ACT_DATE, act_tree, "date"))
        for name, history in dated_params.items():
            derived.append(
                (
                    name,
                    {"call": "dated_value", "args": [{"value": history, "type": "any"}, {"name": ACT_DATE}]},
                    types[name],
                )
            )
        for name, text in (logic.get("derive") or {}).items():
            if name in types:
                self.fail(("derive", name), Msg("rules.derived_shadows", name=name))
                continue
            try:
                tree = cond.parse_derive(text)
            except cond.ConditionSyntaxError as exc:
                self.fail(("derive", name), exc.message)
                continue
            result_type = self._check_call(tree, types, REGISTRY, ("derive", name))
            if result_type is not None:
                types[name] = result_type
                derived.append((name, tree, result_type))
        allowed = sorted(types)

        def parse(text: str | None, loc: Loc) -> dict | None:
            if text is None:
                return None
            try:
                node = cond.parse_condition(text)
            except cond.ConditionSyntaxError as exc:
                self.fail(loc, exc.message)
                return None
            self._check_condition(node, types, loc, allowed)
            return node

        needs = list(logic.get("needs") or [])
        for index, name in enumerate(needs):
            if name not in types:
                self.fail(("needs", index), Msg("rules.unknown_name", name=name, allowed=Items(allowed)))
        for index, name in enumerate(logic.get("evidence") or []):
            if name not in types:
                self.fail(("evidence", index), Msg("rules.unknown_name", name=name, allowed=Items(allowed)))
        branches = []
        for index, spec in enumerate(logic.get("outcomes") or []):
            node = parse(spec.condition, ("outcomes", index, spec.outcome))
            for lang in ("zh", "en"):
                try:
                    placeholders = _placeholders(getattr(spec.message, lang))
                except ValueError as exc:
                    self.fail(("outcomes", index, "message", lang), exc.args[0])
                    continue
                for placeholder in placeholders:
                    if placeholder not in types:
                        self.fail(
                            ("outcomes", index, "message", lang),
                            Msg("rules.unknown_placeholder", placeholder=placeholder, allowed=Items(allowed)),
                        )
            for step in spec.absent_step or ():
                if step not in types:
                    self.fail(
                        ("outcomes", index, "absent_step"),
                        Msg("rules.unknown_name", name=step, allowed=Items(allowed)),
                    )
            if node is not None:
                branches.append(Branch(spec.outcome, node, spec.message.model_dump(), tuple(spec.absent_step or ())))
        return {
            "applies": parse(logic.get("applies"), ("applies",)),
            "needs": needs,
            "derive": derived,
            "branches": branches,
            "types": types,
            "params": plain_params,
            "dated_params": dated_params,
            "act_date_text": act_text,
        }

    def split_params(self, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[DatedValue]]]:
        """Plain parameters, and dated ones: ``{1996-10-01: 3, 2021-07-15: 5}`` (each value until the
        next) or a list of ``{from, until, value}`` ranges, which must neither overlap nor leave gaps."""
        plain: dict[str, Any] = {}
        dated: dict[str, list[DatedValue]] = {}
        for name, value in params.items():
            loc = ("params", name)
            if isinstance(value, dict) and value and all(_as_date(key) is not None for key in value):
                by_day = {day: item for key, item in value.items() if (day := _as_date(key)) is not None}
                days = sorted(by_day)
                dated[name] = [
                    DatedValue(day, (days[i + 1] - dt.timedelta(days=1)) if i + 1 < len(days) else None, by_day[day])
                    for i, day in enumerate(days)
                ]
            elif isinstance(value, list) and value and all(isinstance(item, dict) and "from" in item for item in value):
                entries = []
                for index, item in enumerate(value):
                    unknown = set(item) - {"from", "until", "value"}
                    if unknown or "value" not in item:
                        self.fail((*loc, index), Msg("rules.dated_value_keys"))
                        return plain, dated
                    since, until = item["from"], item.get("until")
                    if not isinstance(since, dt.date) or (until is not None and not isinstance(until, dt.date)):
                        self.fail((*loc, index), Msg("rules.dated_value_dates"))
                        return plain, dated
                    if until is not None and until < since:
                        self.fail((*loc, index), Msg("rules.until_before_from", until=str(until), since=str(since)))
                        return plain, dated
                    entries.append(DatedValue(since, until, item["value"]))
                entries.sort(key=lambda entry: entry.since)
                for earlier, later in zip(entries, entries[1:]):
                    if earlier.until is None or earlier.until >= later.since:
                        self.fail(
                            loc,
                            Msg("rules.dated_overlap_open", since=str(earlier.since), next=str(later.since))
                            if earlier.until is None
                            else Msg(
                                "rules.dated_overlap",
                                since=str(earlier.since),
                                until=str(earlier.until),
                                next=str(later.since),
                            ),
                        )
                        return plain, dated
                    if earlier.until + dt.timedelta(days=1) != later.since:
                        self.fail(
                            loc,
                            Msg(
                                "rules.dated_gap",
                                start=str(earlier.until + dt.timedelta(days=1)),
                                end=str(later.since - dt.timedelta(days=1)),
                            ),
                        )
                        return plain, dated
                dated[name] = entries
            else:
                plain[name] = value
                continue
            types = {value_type(entry.value) for entry in dated[name]}
            if len(types) > 1:
                self.fail(loc, Msg("rules.dated_types", types=Items(sorted(types))))
        return plain, dated

    def _check_call(self, tree: dict, types: dict[str, str], registry: dict, loc: Loc) -> str | None:
        if "call" not in tree:
            if "name" in tree:
                if tree["name"] not in types:
                    self.fail(loc, Msg("rules.unknown_name", name=tree["name"], allowed=Items(sorted(types))))
                    return None
                return types[tree["name"]]
            if "list" in tree:
                return "literal_list"
            return tree["type"]
        function = registry.get(tree["call"])
        if function is None:
            self.fail(loc, Msg("rules.unknown_function", name=tree["call"], allowed=Items(sorted(registry))))
            return None
        args = tree["args"]
        expected = function.arg_types
        ok = len(args) >= 1 if function.variadic else len(args) == len(expected)
        if not ok:
            self.fail(loc, Msg("rules.argument_count", function=tree["call"], expected=len(expected), got=len(args)))
            return None
        for index, arg in enumerate(args):
            if "call" in arg and arg["call"] in registry and registry[arg["call"]].notes:
                self.fail(loc, Msg("rules.deadline_nested", function=arg["call"], outer=tree["call"]))
                return None
            arg_type = self._check_call(arg, types, registry, loc)
            want = expected[min(index, len(expected) - 1)] if expected else "any"
            if arg_type is None:
                return None
            if not _compatible(want, arg_type):
                self.fail(
                    loc, Msg("rules.argument_type", function=tree["call"], index=index + 1, want=want, got=arg_type)
                )
                return None
        if function.returns == "any" and function.variadic:
            return self._check_call(args[0], types, registry, loc)
        return function.returns

    def _check_condition(self, node: dict, types: dict[str, str], loc: Loc, allowed: list[str]) -> None:
        op = node["op"]
        if op in ("and", "or"):
            for arg in node["args"]:
                self._check_condition(arg, types, loc, allowed)
        elif op in ("present", "missing"):
            if node["name"] not in types:
                self.fail(loc, Msg("rules.unknown_name", name=node["name"], allowed=Items(allowed)))
        elif op == "cmp":
            sides = []
            for side in (node["left"], node["right"]):
                if "name" in side:
                    if side["name"] not in types:
                        self.fail(loc, Msg("rules.unknown_name", name=side["name"], allowed=Items(allowed)))
                        return
                    sides.append(types[side["name"]])
                else:
                    sides.append(side["type"])
            left, right = sides
            if "list" in sides:
                self.fail(loc, Msg("rules.list_compared"))
            elif not _compatible(left, right):
                self.fail(loc, Msg("rules.cannot_compare", left=left, right=right))
            elif node["cmp"] not in ("==", "!=") and left in ("str", "bool"):
                self.fail(loc, Msg("rules.order_needs_numbers", op=node["cmp"], got=left))


def _as_date(key: Any) -> dt.date | None:
    """A mapping key as a date (the line-tracking loader keeps keys as text)."""
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(key) if isinstance(key, str) and len(key) == 10 else None
    except ValueError:
        return None


def _compatible(want: str, got: str) -> bool:
    if "any" in (want, got):
        return True
    if want == "number" and got in ("int", "number"):
        return True
    if want == "int" and got in ("int", "number"):
        return True
    return want == got


def _placeholders(text: str) -> list[str]:
    """The names a message's placeholders take. A placeholder is a plain name, ``{due_on}``; one with
    a format spec, a conversion, an index, an attribute or no name (``{title:>300000000}``,
    ``{x!r}``, ``{a[0]}``, ``{a.b}``, ``{x:{y}}``, ``{}``) raises ``ValueError``, and so does a
    lone brace (``{{``/``}}`` are literal braces)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(Msg("rules.not_a_message", detail=str(exc))) from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion is not None:
            written = (
                "{" + name + (f"!{conversion}" if conversion is not None else "") + (f":{spec}" if spec else "") + "}"
            )
            raise ValueError(Msg("rules.placeholder_plain", written=written))
        names.append(name)
    return names


def _file_sha(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_catalog(root: Path | str | None = None, *, check_limits: bool = True, packaged: bool = False) -> Catalog:
    """Load every pack under ``root`` (default: the packaged rulesets); raises RuleFileErrors.
    ``check_limits=False`` skips the backends' limits and ``packaged=True`` the YAML budget
    (``yamlsrc.load_yaml``): only for the packaged rulesets, which tests/test_engine_limits.py loads
    with both and holds equal to this."""
    root = Path(root) if root else packaged_rulesets_dir()
    errors = _Collector()
    templates: dict[str, tuple[RuleLogic, Path, LineMap, Loc]] = {}
    template_files: list[Path] = []
    template_dir = root / "templates"
    for path in sorted(template_dir.glob("*.y*ml")) if template_dir.is_dir() else []:
        template_files.append(path)
        data, line_map = _load(path, errors, packaged)
        if data is None or line_map is None:  # empty, or not YAML (reported)
            continue
        parsed = _validate(TemplateFile, data, path, line_map, errors)
        if parsed is None:
            continue
        for index, template in enumerate(parsed.templates):
            if template.id in templates:
                errors.add(path, line_map, ("templates", index, "id"), Msg("rules.duplicate_template", id=template.id))
            templates[template.id] = (template, path, line_map, ("templates", index))

    packs: dict[str, Pack] = {}
    for pack_dir in sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").exists()):
        pack = _load_pack(pack_dir, templates, template_files, errors, packaged)
        if pack is not None:
            if pack.id in packs:
                errors.add(pack_dir / "pack.yaml", None, ("id",), Msg("rules.duplicate_pack", id=pack.id))
            packs[pack.id] = pack
    for pack_dir in sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and p.name != "templates" and not (p / "pack.yaml").exists() and any(p.glob("*.y*ml"))
    ):
        errors.add(pack_dir, None, (), Msg("rules.no_pack_yaml"))
    if check_limits:
        _check_engine_limits(packs, errors)
    if errors.errors:
        raise RuleFileErrors(errors.errors)
    return Catalog(packs)


@lru_cache(maxsize=4)
def default_catalog() -> Catalog:
    """The packaged rulesets, loaded once per process. There is no cache on disk: a cache (a pickle
    under ~/.cache) was a way to run code planted there (issue #16). The backends' limits are not
    checked again at every start (about 0.1 s of a cold ``check``): the packaged rules are held to
    them by tests/test_engine_limits.py."""
    return load_catalog(packaged_rulesets_dir(), check_limits=False, packaged=True)


def _check_engine_limits(packs: dict[str, Pack], errors: _Collector) -> None:
    """Reject the rules a backend cannot run (``backends.limit_problems``; durable-rules, for one, has
    limits past which ``check`` hangs in C, where nothing can interrupt it, or fails), which neither
    ``rules lint`` nor ``rules test`` would notice otherwise. Named by the rule's file and line."""
    for pack in packs.values():
        for rule in pack.rules:
            try:
                problems = limit_problems(rule, pack.meta.binds_from)
            except ValueError as exc:  # e.g. a condition on a name a backend reserves
                problems = [str(exc)]
            file, _, line = rule.origin.rpartition(":")
            for problem in problems:
                errors.errors.append(
                    RuleFileError(
                        file,
                        int(line) if line.isdigit() else None,
                        "",
                        Msg("rules.engine_limit", rule=rule.id, problem=problem),
                    )
                )


def _load(path: Path, errors: _Collector, packaged: bool = False) -> tuple[Any, LineMap | None]:
    try:
        return load_yaml(path, packaged=packaged)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        where = dotted(exc.loc) if isinstance(exc, DuplicateKeyError) else ""
        detail = getattr(exc, "problem", None) or str(exc)
        errors.errors.append(RuleFileError(str(path), line, where, Msg("rules.invalid_yaml", detail=detail)))
        return None, None


def _load_pack(
    pack_dir: Path, templates: dict, template_files: list[Path], errors: _Collector, packaged: bool = False
) -> Pack | None:
    meta_path = pack_dir / "pack.yaml"
    data, line_map = _load(meta_path, errors, packaged)
    if data is None or line_map is None:  # empty, or not YAML (reported)
        return None
    meta = _validate(PackMeta, data, meta_path, line_map, errors)
    if meta is None:
        return None
    if meta.id != pack_dir.name:
        errors.add(meta_path, line_map, ("id",), Msg("rules.pack_id_folder", id=meta.id, folder=pack_dir.name))
    if meta.clause_label is not None:
        problems = label_problems(meta.clause_style, meta.clause_label.model_dump())
        for lang, problem in problems:
            errors.add(meta_path, line_map, ("clause_label", lang) if lang else ("clause_label",), problem)
        if problems:  # reported; the rules still load (and are checked) with their clauses unlabelled
            meta = meta.model_copy(update={"clause_label": None})
    rules: list[Rule] = []
    rule_files = sorted(p for p in pack_dir.glob("*.y*ml") if p.name != "pack.yaml")
    used_templates: set[Path] = set()
    seen: dict[str, str] = {}
    for path in rule_files:
        data, line_map = _load(path, errors, packaged)
        if data is None or line_map is None:  # empty, or not YAML (reported)
            continue
        parsed = _validate(PackRulesFile, data, path, line_map, errors)
        if parsed is None:
            continue
        for index, spec in enumerate(parsed.rules):
            base: Loc = ("rules", index)
            if spec.id in seen:
                errors.add(
                    path,
                    line_map,
                    (*base, "id"),
                    Msg("rules.duplicate_rule", id=spec.id, pack=meta.id, first=seen[spec.id]),
                )
                continue
            seen[spec.id] = f"{path.name}:{line_map.line_of(base)}"
            rule = _resolve_rule(meta, spec, path, line_map, base, templates, errors)
            if rule is not None:
                rules.append(rule)
                template = templates.get(spec.extends or spec.id)
                if template is not None:
                    used_templates.add(template[1])
    sha = _file_sha([meta_path, *rule_files, *used_templates])
    return Pack(meta, rules, sha, pack_dir)


def _resolve_rule(
    meta: PackMeta, spec: PackRuleSpec, path: Path, line_map: LineMap, base: Loc, templates: dict, errors: _Collector
) -> Rule | None:
    inline = spec.outcomes is not None
    template_entry = None if inline else templates.get(spec.extends or spec.id)
    if not inline and template_entry is None:
        errors.add(
            path,
            line_map,
            (*base, "id"),
            Msg("rules.no_template", id=spec.extends or spec.id),
        )
        return None
    if inline:
        missing = [key for key in ("kind", "title") if getattr(spec, key) is None]
        if missing:
            errors.add(path, line_map, base, Msg("rules.inline_needs", missing=Items(missing)))
            return None
        logic = spec.model_dump(exclude_none=True)
        logic.update(outcomes=spec.outcomes, title=spec.title)
        logic_file, logic_map, logic_base = path, line_map, base
        template_params: dict[str, Any] = {}
        examples = list(spec.examples)
    else:
        assert template_entry is not None  # a rule neither inline nor of a template returned above
        template, logic_file, logic_map, logic_base = template_entry
        logic = template.model_dump()
        logic.update(outcomes=template.outcomes, title=template.title)
        template_params = dict(template.params)
        examples = [*template.examples, *spec.examples]
        if template.id != spec.id and spec.extends is None:
            errors.add(
                path, line_map, (*base, "id"), Msg("rules.id_differs_template", id=spec.id, template=template.id)
            )
    for name in spec.params:
        if not inline and name not in template_params:
            errors.add(
                path,
                line_map,
                (*base, "params", name),
                Msg(
                    "rules.unknown_param",
                    name=name,
                    allowed=Items(template_params) if template_params else Term.of("none"),
                ),
            )
    checker = _RuleChecker(logic_file, logic_map, logic_base, errors)
    before = len(errors.errors)
    # each parameter is checked where it is written: the pack's overrides in the pack file
    template_plain, template_dated = checker.split_params(template_params)
    pack_plain, pack_dated = _RuleChecker(path, line_map, base, errors).split_params(spec.params)
    plain = {name: value for name, value in template_plain.items() if name not in pack_dated} | pack_plain
    dated = {name: value for name, value in template_dated.items() if name not in pack_plain} | pack_dated
    resolved = checker.resolve(logic, plain, dated, logic["kind"])
    if resolved is None or len(errors.errors) > before:
        return None
    if (spec.citation is None) == (spec.citations is None):
        errors.add(path, line_map, base, Msg("rules.one_citation"))
        return None

    labels = meta.clause_label.model_dump() if meta.clause_label is not None else None

    def citation_of(given: CitationSpec) -> Citation:
        return Citation(
            document=given.document or meta.title,
            doc_number=given.doc_number if given.doc_number is not None else meta.doc_number,
            clause=given.clause,
            quote=given.quote,
            clause_label_zh=clause_label(given.clause, meta.clause_style, labels, "zh"),
            clause_label_en=clause_label(given.clause, meta.clause_style, labels, "en"),
        )

    if spec.citations is not None:
        history = [(day, citation_of(spec.citations[day])) for day in sorted(spec.citations)]
        citation, citation_source = history[-1][1], spec.citations[max(spec.citations)].source
    else:
        assert spec.citation is not None  # exactly one of the two, checked above
        history, citation, citation_source = [], citation_of(spec.citation), spec.citation.source
    title = logic["title"]
    return Rule(
        id=spec.id,
        pack=meta.id,
        kind=logic["kind"],
        severity=spec.severity or logic.get("severity", "error"),
        title=title.model_dump() if isinstance(title, Text) else dict(title),
        params=resolved["params"],
        applies=resolved["applies"],
        needs=resolved["needs"],
        derive=resolved["derive"],
        branches=resolved["branches"],
        evidence=list(logic.get("evidence") or []),
        citation=citation,
        citation_source=citation_source,
        effective_from=spec.effective_from,
        effective_until=spec.effective_until,
        examples=examples,
        origin=f"{path}:{line_map.line_of(base)}",
        description=logic.get("description"),
        name_types=resolved["types"],
        dated_params=resolved["dated_params"],
        citation_history=history,
        act_date_text=resolved["act_date_text"],
    )
