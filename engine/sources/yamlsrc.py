"""YAML loading that remembers the line of every value, so rule-file errors can name it; and
bounded YAML for every file a user hands in (rule, waiver, holiday and record files).

Bounded means: a size limit on the file (:data:`MAX_FILE_BYTES`), a nesting limit
(:data:`MAX_DEPTH`: composing and constructing recurse), a limit on the number of values
(:data:`MAX_NODES`) and anchors and aliases (``&a`` / ``*a``, the billion-laughs expansion) either
refused (waiver and holiday files, which never need them) or expanded within those limits counted
*after* expansion (rule files: the packaged templates share outcome lists with ``&name``/``*name``).
A refusal is a :class:`BoundedYAMLError`, a ``yaml.MarkedYAMLError``: code that reports YAML errors
by their ``problem`` and ``problem_mark`` reports it with its line.

Readers of other files use :func:`no_alias_loader` (a loader class made from any PyYAML loader, the
C one included) and :func:`read_limited`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, Event, ScalarEvent

from ...messages import Msg, Term

Loc = tuple[Any, ...]

#: the largest rule, waiver or holiday file read (the packaged rule files are under 50 kB each)
MAX_FILE_BYTES = 10 * 1024 * 1024
#: the deepest nesting of collections (rule files nest 6 levels)
MAX_DEPTH = 100
#: the most values (scalars and collections, aliases expanded) in one rule, waiver or holiday file:
#: composing costs a few µs and a few hundred bytes a value, so this keeps a file near a second and
#: 100 MB (the largest packaged rule file has about 10,000)
MAX_NODES = 250_000


class BoundedYAMLError(yaml.MarkedYAMLError):
    """A YAML file refused before it could cost unbounded time or memory.

    ``kind``: ``alias`` (an anchor or alias where none is allowed, or a recursive one; ``token`` is
    ``&name`` or ``*name``), ``size`` (the file), ``nodes``, ``text`` or ``depth`` (a limit, reached
    at ``token`` when an alias's expansion reached it); ``what`` names the files ("rule files");
    ``line`` is 1-based (``None`` for ``size``).
    """

    problem: Msg  # always given

    def __init__(
        self,
        kind: str,
        what: str,
        problem: Msg,
        mark: Any = None,
        token: str | None = None,
        limit: int | None = None,
        size: int | None = None,
    ):
        super().__init__(problem=problem, problem_mark=mark)
        self.kind, self.what, self.token, self.limit, self.size = kind, what, token, limit, size

    @property
    def line(self) -> int | None:
        return self.problem_mark.line + 1 if self.problem_mark is not None else None

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}" if self.line is not None else str(self.problem)


def alias_problem(what: str, token: str) -> Msg:
    return Msg("yaml.alias_refused", what=Term.of(what), token=token)


def yaml_problem(exc: BoundedYAMLError) -> Msg:
    """What a bounded YAML error says, as a catalog message."""
    return exc.problem


@dataclass
class _Budget:
    depth: int = 0  # nodes being composed around the current one
    deepest: int = 0  # the deepest level reached, aliases expanded
    nodes: int = 0  # values composed so far, aliases expanded
    text: int = 0  # characters of scalar text so far, aliases expanded
    #: anchor -> (values, characters, height, node) of its node, once composed
    costs: dict[str, tuple[int, int, int, Any]] = field(default_factory=dict)


class BoundedComposer(Composer):
    """A composer that bounds what a document can cost: nesting, values and text, aliases expanded;
    anchors and aliases are refused unless ``yaml_aliases``. Put it first in a loader's bases:
    ``class L(BoundedComposer, yaml.CSafeLoader)`` composes in Python from the C parser's events
    (about 1.4x the C composer's time). :func:`no_alias_loader` makes such classes."""

    yaml_refused_in = "YAML files"
    yaml_aliases = False
    yaml_max_depth = MAX_DEPTH
    yaml_max_nodes: int | None = None
    yaml_max_text: int | None = None
    peek_event: Callable[[], Event]  # the parser's, which the loader classes put beside this one

    def __init__(self, stream: Any) -> None:
        # the loader's own __init__ (CSafeLoader's or SafeLoader's), not Composer's, which the MRO
        # puts first for the C loader and which takes no stream
        mro = type(self).__mro__
        for cls in mro[mro.index(BoundedComposer) + 1 :]:
            if cls is not Composer and "__init__" in cls.__dict__:
                cls.__init__(self, stream)  # type: ignore[misc]
                break
        self.anchors = {}
        self.yaml_budget = _Budget()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        budget, what = self.yaml_budget, self.yaml_refused_in
        depth = budget.depth + 1
        if isinstance(event, AliasEvent):
            token = f"*{event.anchor}"
            if not self.yaml_aliases:
                raise BoundedYAMLError("alias", what, alias_problem(what, token), event.start_mark, token=token)
            anchor = event.anchor  # an alias's always (the parser's AliasEvent)
            if anchor is not None and anchor in self.anchors:  # else Composer says "found undefined alias"
                cost = budget.costs.get(anchor)
                if cost is None or self.anchors[anchor] is not cost[3]:
                    raise BoundedYAMLError(
                        "alias", what, Msg("yaml.recursive_alias", token=token), event.start_mark, token=token
                    )
                self._charge(cost[0], cost[1], depth + cost[2] - 1, event.start_mark, token)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not self.yaml_aliases:
            token = f"&{anchor}"
            raise BoundedYAMLError("alias", what, alias_problem(what, token), event.start_mark, token=token)
        nodes_before, text_before, deepest_before = budget.nodes, budget.text, budget.deepest
        budget.deepest = 0
        self._charge(1, len(event.value) if isinstance(event, ScalarEvent) else 0, depth, event.start_mark, None)
        budget.depth = depth
        try:
            node = super().compose_node(parent, index)
        finally:
            budget.depth = depth - 1
        if anchor is not None:
            budget.costs[anchor] = (
                budget.nodes - nodes_before,
                budget.text - text_before,
                budget.deepest - depth + 1,
                node,
            )
        budget.deepest = max(deepest_before, budget.deepest)
        return node

    def _charge(self, nodes: int, text: int, reach: int, mark: Any, token: str | None) -> None:
        budget, what = self.yaml_budget, self.yaml_refused_in
        budget.nodes += nodes
        budget.text += text
        budget.deepest = max(budget.deepest, reach)
        if self.yaml_max_nodes is not None and budget.nodes > self.yaml_max_nodes:
            raise BoundedYAMLError(
                "nodes",
                what,
                self._limit_problem("yaml.limit_nodes", "yaml.too_many_nodes", self.yaml_max_nodes, token),
                mark,
                token,
                self.yaml_max_nodes,
            )
        if self.yaml_max_text is not None and budget.text > self.yaml_max_text:
            raise BoundedYAMLError(
                "text",
                what,
                self._limit_problem("yaml.limit_text", "yaml.too_much_text", self.yaml_max_text, token),
                mark,
                token,
                self.yaml_max_text,
            )
        if reach > self.yaml_max_depth:
            raise BoundedYAMLError(
                "depth",
                what,
                self._limit_problem("yaml.limit_depth", "yaml.too_deep", self.yaml_max_depth, token),
                mark,
                token,
                self.yaml_max_depth,
            )

    def _limit_problem(self, limit_id: str, lead_id: str, limit: int, token: str | None) -> Msg:
        """The message of a limit reached (made only then: :meth:`_charge` runs for every value)."""
        expanded = Term.of(" with aliases expanded") if self.yaml_aliases else ""
        said = Msg(limit_id, what=Term.of(self.yaml_refused_in), limit=limit, expanded=expanded)
        return Msg("yaml.alias_expands", token=token, problem=said) if token else Msg(lead_id, problem=said)


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def bounded_loader(
    base: type | None = None,
    what: str = "YAML files",
    *,
    aliases: bool = False,
    max_nodes: int | None = None,
    max_text: int | None = None,
    max_depth: int = MAX_DEPTH,
) -> type:
    """A loader class like ``base`` (default: the C safe loader when PyYAML has it) composing
    through :class:`BoundedComposer` with these limits; ``what`` ("record files") names the files
    in its messages. ``check_node``/``get_node``/``get_single_node``/``construct_document`` work as
    on ``base``, so do ``yaml.load(text, Loader=...)`` and ``yaml.compose``."""
    base = base or _BASE_LOADER
    return type(
        f"Bounded{base.__name__}",
        (BoundedComposer, base),
        {
            "yaml_refused_in": what,
            "yaml_aliases": aliases,
            "yaml_max_nodes": max_nodes,
            "yaml_max_text": max_text,
            "yaml_max_depth": max_depth,
        },
    )


def no_alias_loader(
    base: type | None = None, what: str = "YAML files", *, max_nodes: int | None = None, max_depth: int = MAX_DEPTH
) -> type:
    """A loader class like ``base`` that refuses anchors and aliases in ``what`` with a
    :class:`BoundedYAMLError` naming the line and the ``&anchor``/``*alias``
    ("aliases (&anchor / *alias) are not allowed in record files: '&a'"), and bounds nesting and
    (``max_nodes``) the number of values. For records::

        class _RecordLoader(no_alias_loader(_YAML_BASE, "record files")):
            yaml_implicit_resolvers = ...
    """
    return bounded_loader(base, what, aliases=False, max_nodes=max_nodes, max_depth=max_depth)


_LOADERS: dict[tuple, type] = {}


def compose_bounded(
    text: str, what: str, *, aliases: bool = False, max_nodes: int | None = MAX_NODES, max_text: int | None = None
) -> yaml.Node | None:
    """``yaml.compose`` (one document, safe tags) within :data:`MAX_DEPTH` and ``max_nodes``,
    anchors and aliases refused unless ``aliases`` (then limits count them expanded); raises
    :class:`BoundedYAMLError` or another ``yaml.YAMLError``."""
    key = (what, aliases, max_nodes, max_text)
    loader_class = _LOADERS.get(key)
    if loader_class is None:
        loader_class = _LOADERS[key] = bounded_loader(
            None, what, aliases=aliases, max_nodes=max_nodes, max_text=max_text
        )
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_limited(path: str | Path, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, refused with a :class:`BoundedYAMLError` (``kind`` ``size``) when it
    holds more than ``limit`` bytes; never reads more than ``limit + 1``. Raises ``OSError`` as
    ``open`` does."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        try:
            size = max(Path(path).stat().st_size, len(data))
        except OSError:
            size = len(data)
        raise BoundedYAMLError(
            "size",
            what,
            Msg("yaml.file_too_large", size=size / 1024 / 1024, what=Term.of(what), limit=limit / 1024 / 1024),
            limit=limit,
            size=size,
        )
    return data


class LineMap:
    """Dotted path -> 1-based line, for the YAML document it was built from."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest prefix of ``loc`` that has one (a missing key: its parent mapping)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def dotted(loc: Loc) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _construct(node: yaml.Node, loc: Loc, line_map: LineMap, constructor: yaml.constructor.SafeConstructor) -> Any:
    line_map.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if isinstance(key, (dt.date, int, float, bool)):
                key = str(key)
            if key in result:
                # PyYAML keeps the last of two equal keys silently; a rule file must not (two values
                # of one dated parameter for the same day would be an overlap nobody sees)
                raise DuplicateKeyError(key, (*loc, key), node, key_node)
            result[key] = _construct(value_node, (*loc, key), line_map, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*loc, index), line_map, constructor) for index, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping with the same key twice; ``loc`` is the dotted path of the second one."""

    def __init__(self, key: Any, loc: Loc, node: yaml.Node, key_node: yaml.Node):
        super().__init__(
            "while constructing a mapping", node.start_mark, Msg("yaml.duplicate_key", key=key), key_node.start_mark
        )
        self.loc = loc


def load_yaml(path: Path, what: str = "rule files", *, packaged: bool = False) -> tuple[Any, LineMap]:
    """Load one YAML document and the line of each dotted path in it: bounded (at most
    :data:`MAX_FILE_BYTES`; :data:`MAX_NODES` values, :data:`MAX_FILE_BYTES` characters of text and
    :data:`MAX_DEPTH` levels, aliases expanded), raising :class:`BoundedYAMLError`, another
    ``yaml.YAMLError``, ``UnicodeDecodeError`` or ``OSError``. ``packaged``: a file installed with
    fzcheck (its rulesets), as trusted as its code: composed by libyaml in C, without the budget
    (half the time of a cold start's rule loading; duplicate keys are still refused)."""
    text = read_limited(path, what).decode("utf-8")
    if packaged:
        node = yaml.compose(text, Loader=_BASE_LOADER)
    else:
        node = compose_bounded(text, what, aliases=True, max_nodes=MAX_NODES, max_text=MAX_FILE_BYTES)
    line_map = LineMap()
    if node is None:
        return None, line_map
    constructor = yaml.constructor.SafeConstructor()
    return _construct(node, (), line_map, constructor), line_map
