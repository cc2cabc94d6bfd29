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
import os
import pickle
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fzcheck.engine import conditions as cond
from fzcheck.engine.results import Citation, jsonable
from fzcheck.engine.subjects import BUILTIN_NAMES, field_types, known_kinds
from fzcheck.engine.yamlsrc import LineMap, Loc, dotted, load_yaml

OUTCOME_KEYS = ("violation", "pending", "indeterminate")


def packaged_rulesets_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("fzcheck.rulesets")))


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RuleFileError:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class RuleFileErrors(Exception):
    def __init__(self, errors: list[RuleFileError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


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

    @model_validator(mode="after")
    def _one_outcome(self) -> "OutcomeSpec":
        given = [key for key in OUTCOME_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(f"an outcome needs exactly one of {', '.join(OUTCOME_KEYS)}; found {given or 'none'}")
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
    citation: CitationSpec
    examples: list[ExampleSpec] = Field(default_factory=list)
    # inline logic for rules that exist only in this pack
    kind: str | None = None
    title: Text | None = None
    description: str | None = None
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
    source_file: str | None = None
    clause_style: str | None = None
    region_prefix: str = ""
    region_name: str | None = None
    period: Period | None = None
    version: str
    description: str | None = None


# --------------------------------------------------------------------------- resolved rules


@dataclass(frozen=True)
class Branch:
    outcome: str
    condition: dict
    message: dict[str, str]


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

    @property
    def derived_names(self) -> list[str]:
        return [name for name, _, _ in self.derive]

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ruleset": self.pack,
            "kind": self.kind,
            "severity": self.severity,
            "title": self.title,
            "parameters": {name: jsonable(value) for name, value in self.params.items()},
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
        return [rule for rule in self.rules if rule.kind == kind]

    def covers(self, region_code: str | None, day: dt.date | None) -> bool:
        """Region prefix and period test (rule-catalog.md); a missing key date matches on region alone."""
        prefix = self.meta.region_prefix
        if prefix and not (region_code or "").startswith(prefix):
            return False
        period = self.meta.period
        if period is None or day is None:
            return True
        return period.from_ <= day <= period.to


@dataclass
class Catalog:
    packs: dict[str, Pack]

    def rule(self, rule_id: str, pack: str | None = None) -> list[Rule]:
        return [rule for p in self.packs.values() if pack in (None, p.id) for rule in p.rules if rule.id == rule_id]

    def all_rules(self) -> list[Rule]:
        return [rule for pack in self.packs.values() for rule in pack.rules]


# --------------------------------------------------------------------------- loading


class _Collector:
    def __init__(self) -> None:
        self.errors: list[RuleFileError] = []

    def add(self, file: Path | str, line_map: LineMap | None, loc: Loc, message: str) -> None:
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
            (f for f in current.model_fields.values() if f.alias == part), None)
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
                hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
                errors.add(file, line_map, loc, f"unknown key '{loc[-1]}'{hint}")
            elif error["type"] == "missing":
                errors.add(file, line_map, loc, "required key is missing")
            elif error["type"] == "value_error":
                errors.add(file, line_map, loc, str(error["msg"]).removeprefix("Value error, "))
            else:
                errors.add(file, line_map, loc, f"{error['msg']} (got {error.get('input')!r})")
        return None


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

    def fail(self, loc: Loc, message: str) -> None:
        self.errors.add(self.file, self.line_map, (*self.base, *loc), message)

    def resolve(self, logic: dict[str, Any], params: dict[str, Any], kind: str) -> dict[str, Any] | None:
        from fzcheck.engine.functions import REGISTRY

        try:
            types = dict(field_types(kind))
        except KeyError:
            self.fail(("kind",), f"unknown record kind '{kind}'; allowed: {', '.join(known_kinds())}")
            return None
        types.update(BUILTIN_NAMES)
        for name, value in params.items():
            if name in types:
                self.fail(("params", name), f"parameter '{name}' shadows a field of {kind}")
            types[name] = value_type(value)
        derived: list[tuple[str, dict, str]] = []
        for name, text in (logic.get("derive") or {}).items():
            if name in types:
                self.fail(("derive", name), f"derived value '{name}' shadows a field or parameter")
                continue
            try:
                tree = cond.parse_derive(text)
            except cond.ConditionSyntaxError as exc:
                self.fail(("derive", name), str(exc))
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
                self.fail(loc, str(exc))
                return None
            self._check_condition(node, types, loc, allowed)
            return node

        needs = list(logic.get("needs") or [])
        for index, name in enumerate(needs):
            if name not in types:
                self.fail(("needs", index), f"unknown name '{name}'; allowed: {', '.join(allowed)}")
        for index, name in enumerate(logic.get("evidence") or []):
            if name not in types:
                self.fail(("evidence", index), f"unknown name '{name}'; allowed: {', '.join(allowed)}")
        branches = []
        for index, spec in enumerate(logic.get("outcomes") or []):
            node = parse(spec.condition, ("outcomes", index, spec.outcome))
            for lang in ("zh", "en"):
                for placeholder in _placeholders(getattr(spec.message, lang)):
                    if placeholder not in types:
                        self.fail(("outcomes", index, "message", lang),
                                  f"unknown placeholder '{{{placeholder}}}'; allowed: {', '.join(allowed)}")
            if node is not None:
                branches.append(Branch(spec.outcome, node, spec.message.model_dump()))
        return {
            "applies": parse(logic.get("applies"), ("applies",)),
            "needs": needs,
            "derive": derived,
            "branches": branches,
            "types": types,
        }

    def _check_call(self, tree: dict, types: dict[str, str], registry: dict, loc: Loc) -> str | None:
        if "call" not in tree:
            if "name" in tree:
                if tree["name"] not in types:
                    self.fail(loc, f"unknown name '{tree['name']}'; allowed: {', '.join(sorted(types))}")
                    return None
                return types[tree["name"]]
            if "list" in tree:
                return "literal_list"
            return tree["type"]
        function = registry.get(tree["call"])
        if function is None:
            self.fail(loc, f"unknown function '{tree['call']}'; allowed: {', '.join(sorted(registry))}")
            return None
        args = tree["args"]
        expected = function.arg_types
        if function.variadic:
            ok = len(args) >= 1
        else:
            ok = len(args) == len(expected)
        if not ok:
            self.fail(loc, f"{tree['call']}() takes {len(expected)} argument(s), got {len(args)}")
            return None
        for index, arg in enumerate(args):
            arg_type = self._check_call(arg, types, registry, loc)
            want = expected[min(index, len(expected) - 1)] if expected else "any"
            if arg_type is None:
                return None
            if not _compatible(want, arg_type):
                self.fail(loc, f"{tree['call']}() argument {index + 1} must be {want}, got {arg_type}")
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
                self.fail(loc, f"unknown name '{node['name']}'; allowed: {', '.join(allowed)}")
        elif op == "cmp":
            sides = []
            for side in (node["left"], node["right"]):
                if "name" in side:
                    if side["name"] not in types:
                        self.fail(loc, f"unknown name '{side['name']}'; allowed: {', '.join(allowed)}")
                        return
                    sides.append(types[side["name"]])
                else:
                    sides.append(side["type"])
            left, right = sides
            if "list" in sides:
                self.fail(loc, "a list cannot be compared; derive a count with count_items/count_missing")
            elif not _compatible(left, right):
                self.fail(loc, f"cannot compare {left} with {right}")
            elif node["cmp"] not in ("==", "!=") and left in ("str", "bool"):
                self.fail(loc, f"'{node['cmp']}' needs numbers or dates, got {left}")


def _compatible(want: str, got: str) -> bool:
    if "any" in (want, got):
        return True
    if want == "number" and got in ("int", "number"):
        return True
    if want == "int" and got in ("int", "number"):
        return True
    return want == got


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def _file_sha(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_catalog(root: Path | str | None = None) -> Catalog:
    """Load every pack under ``root`` (default: the packaged rulesets); raises RuleFileErrors."""
    root = Path(root) if root else packaged_rulesets_dir()
    errors = _Collector()
    templates: dict[str, tuple[RuleLogic, Path, LineMap, Loc]] = {}
    template_files: list[Path] = []
    template_dir = root / "templates"
    for path in sorted(template_dir.glob("*.y*ml")) if template_dir.is_dir() else []:
        template_files.append(path)
        data, line_map = _load(path, errors)
        parsed = _validate(TemplateFile, data, path, line_map, errors) if data is not None else None
        if parsed is None:
            continue
        for index, template in enumerate(parsed.templates):
            if template.id in templates:
                errors.add(path, line_map, ("templates", index, "id"), f"duplicate template id '{template.id}'")
            templates[template.id] = (template, path, line_map, ("templates", index))

    packs: dict[str, Pack] = {}
    for pack_dir in sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").exists()):
        pack = _load_pack(pack_dir, templates, template_files, errors)
        if pack is not None:
            if pack.id in packs:
                errors.add(pack_dir / "pack.yaml", None, ("id",), f"duplicate pack id '{pack.id}'")
            packs[pack.id] = pack
    for pack_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "templates"
                           and not (p / "pack.yaml").exists() and any(p.glob("*.y*ml"))):
        errors.add(pack_dir, None, (), "pack folder without pack.yaml")
    if errors.errors:
        raise RuleFileErrors(errors.errors)
    return Catalog(packs)


@lru_cache(maxsize=4)
def default_catalog() -> Catalog:
    return load_catalog_cached(packaged_rulesets_dir())


def _catalog_cache_key(root: Path) -> str:
    from fzcheck import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.y*ml")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:32]


def catalog_cache_dir() -> Path:
    base = os.environ.get("FZCHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "fzcheck")
    return Path(base)


def load_catalog_cached(root: Path) -> Catalog:
    """Load the packs, reusing a pickled copy while no rule file changed (keeps `fzcheck check` start-up fast).

    The cache is only an accelerator: any problem reading or writing it falls back to loading the files.
    """
    cache = catalog_cache_dir() / f"catalog-{_catalog_cache_key(root)}.pickle"
    try:
        with cache.open("rb") as handle:
            catalog = pickle.load(handle)
        if isinstance(catalog, Catalog):
            return catalog
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    catalog = load_catalog(root)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(cache)
    except OSError:
        pass
    return catalog


def _load(path: Path, errors: _Collector) -> tuple[Any, LineMap | None]:
    try:
        return load_yaml(path)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        errors.errors.append(RuleFileError(str(path), line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None, None


def _load_pack(pack_dir: Path, templates: dict, template_files: list[Path], errors: _Collector) -> Pack | None:
    meta_path = pack_dir / "pack.yaml"
    data, line_map = _load(meta_path, errors)
    meta = _validate(PackMeta, data, meta_path, line_map, errors) if data is not None else None
    if meta is None:
        return None
    if meta.id != pack_dir.name:
        errors.add(meta_path, line_map, ("id",), f"pack id '{meta.id}' differs from its folder name '{pack_dir.name}'")
    rules: list[Rule] = []
    rule_files = sorted(p for p in pack_dir.glob("*.y*ml") if p.name != "pack.yaml")
    used_templates: set[Path] = set()
    seen: dict[str, str] = {}
    for path in rule_files:
        data, line_map = _load(path, errors)
        parsed = _validate(PackRulesFile, data, path, line_map, errors) if data is not None else None
        if parsed is None:
            continue
        for index, spec in enumerate(parsed.rules):
            base: Loc = ("rules", index)
            if spec.id in seen:
                errors.add(path, line_map, (*base, "id"), f"duplicate rule id '{spec.id}' in pack {meta.id} (first in {seen[spec.id]})")
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


def _resolve_rule(meta: PackMeta, spec: PackRuleSpec, path: Path, line_map: LineMap, base: Loc,
                  templates: dict, errors: _Collector) -> Rule | None:
    inline = spec.outcomes is not None
    template_entry = None if inline else templates.get(spec.extends or spec.id)
    if not inline and template_entry is None:
        errors.add(path, line_map, (*base, "id"),
                   f"no template '{spec.extends or spec.id}' and no inline logic (kind, title, outcomes)")
        return None
    if inline:
        missing = [key for key in ("kind", "title") if getattr(spec, key) is None]
        if missing:
            errors.add(path, line_map, base, f"an inline rule needs {', '.join(missing)}")
            return None
        logic = spec.model_dump(exclude_none=True)
        logic.update(outcomes=spec.outcomes, title=spec.title)
        logic_file, logic_map, logic_base = path, line_map, base
        template_params: dict[str, Any] = {}
        examples = list(spec.examples)
    else:
        template, logic_file, logic_map, logic_base = template_entry
        logic = template.model_dump()
        logic.update(outcomes=template.outcomes, title=template.title)
        template_params = dict(template.params)
        examples = [*template.examples, *spec.examples]
        if template.id != spec.id and spec.extends is None:
            errors.add(path, line_map, (*base, "id"), f"rule id '{spec.id}' differs from template '{template.id}'")
    for name in spec.params:
        if not inline and name not in template_params:
            errors.add(path, line_map, (*base, "params", name),
                       f"unknown parameter '{name}'; allowed: {', '.join(template_params) or 'none'}")
    params = {**template_params, **spec.params}
    checker = _RuleChecker(logic_file, logic_map, logic_base, errors)
    before = len(errors.errors)
    resolved = checker.resolve(logic, params, logic["kind"])
    if resolved is None or len(errors.errors) > before:
        return None
    citation = Citation(
        document=spec.citation.document or meta.title,
        doc_number=spec.citation.doc_number if spec.citation.doc_number is not None else meta.doc_number,
        clause=spec.citation.clause,
        quote=spec.citation.quote,
    )
    title = logic["title"]
    return Rule(
        id=spec.id,
        pack=meta.id,
        kind=logic["kind"],
        severity=spec.severity or logic.get("severity", "error"),
        title=title.model_dump() if isinstance(title, Text) else dict(title),
        params=params,
        applies=resolved["applies"],
        needs=resolved["needs"],
        derive=resolved["derive"],
        branches=resolved["branches"],
        evidence=list(logic.get("evidence") or []),
        citation=citation,
        citation_source=spec.citation.source,
        effective_from=spec.effective_from,
        effective_until=spec.effective_until,
        examples=examples,
        origin=f"{path}:{line_map.line_of(base)}",
        description=logic.get("description"),
        name_types=resolved["types"],
    )
