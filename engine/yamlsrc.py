"""YAML loading that remembers the line of every value, so rule-file errors can name it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[Any, ...]


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
        super().__init__("while constructing a mapping", node.start_mark, f"duplicate key '{key}'",
                         key_node.start_mark)
        self.loc = loc


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Load one YAML document and the line of each dotted path in it."""
    text = Path(path).read_text(encoding="utf-8")
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    line_map = LineMap()
    if node is None:
        return None, line_map
    constructor = yaml.constructor.SafeConstructor()
    return _construct(node, (), line_map, constructor), line_map
