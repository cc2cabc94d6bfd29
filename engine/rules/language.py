"""The condition and derive-expression language of rule files.

Rule text is parsed here into a small JSON-shaped intermediate form (IR), never
``eval``ed. The IR is deliberately free of Python-only semantics: comparisons,
presence tests, and/or, literals and names. Every backend (``engine/backends``)
runs the same trees: durable-rules compiles them, ``evaluate`` below is the
pure-Python backend, a SQL compiler can consume them later.

IR nodes (plain dicts):

- ``{"op": "and"|"or", "args": [...]}``
- ``{"op": "cmp", "cmp": "=="|"!="|"<"|"<="|">"|">=", "left": operand, "right": operand}``
- ``{"op": "present"|"missing", "name": str}``
- ``{"op": "const", "value": bool}``
- operand: ``{"name": str}`` or ``{"value": ..., "type": str}``

Derive expressions parse to ``{"call": fn, "args": [...]}`` trees whose leaves
are operands or ``{"list": [...]}`` literals.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Protocol

from ...messages import Msg, Term


class Values(Protocol):
    """What conditions read a subject's values through: a dict, or a backend's row (``get``; None: missing)."""

    def get(self, name: str, /) -> Any: ...


CMP_OPS = ("==", "!=", "<=", ">=", "<", ">")
INVERSE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
KEYWORDS = {"and", "or", "not", "in", "true", "false"}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<date>\d{4}-\d{2}-\d{2})(?![\d\w])
      | (?P<number>-?\d+(?:\.\d+)?)(?![\w])
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[(),\[\]])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


class ConditionSyntaxError(ValueError):
    """A rule expression that does not parse; ``column`` is 1-based within the expression.
    ``reason`` and ``message`` are catalog messages (their ``str`` the English text)."""

    def __init__(self, reason: Msg, text: str, column: int):
        self.message = Msg("syntax.error", reason=reason, column=column, text=repr(text))
        super().__init__(self.message)
        self.reason = reason
        self.text = text
        self.column = column


@dataclass
class _Token:
    kind: str
    value: Any
    column: int


def tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            column = position + 1 + (len(text[position:]) - len(text[position:].lstrip()))
            raise ConditionSyntaxError(Msg("syntax.unexpected_character", char=repr(text[column - 1])), text, column)
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        raw = match.group(kind)
        column = match.start(kind) + 1
        if kind == "date":
            try:
                value: Any = dt.date.fromisoformat(raw)
            except ValueError:
                raise ConditionSyntaxError(Msg("syntax.invalid_date", value=raw), text, column) from None
        elif kind == "number":
            value = float(raw) if "." in raw else int(raw)
        elif kind == "string":
            value = raw[1:-1]
        else:
            value = raw
        tokens.append(_Token(kind, value, column))
        position = match.end()
    tokens.append(_Token("end", None, len(text) + 1))
    return tokens


#: parentheses, `not`s and nested calls one expression may hold: far more than a rule needs, far
#: less than Python's recursion limit (a deeper one is a syntax error, never a RecursionError)
MAX_NESTING = 64


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(Msg("syntax.too_deep", limit=MAX_NESTING))

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, message: Msg) -> ConditionSyntaxError:
        return ConditionSyntaxError(message, self.text, self.current.column)

    def accept(self, kind: str, value: Any = None) -> _Token | None:
        token = self.current
        if token.kind == kind and (value is None or token.value == value):
            return self.advance()
        return None

    def expect(self, kind: str, value: Any = None, what: str = "") -> _Token:
        token = self.accept(kind, value)
        if token is None:
            expected = Term.of(what) if what else value or kind
            raise self.error(Msg("syntax.expected", expected=expected, found=self.found()))
        return token

    def found(self) -> Term | str:
        """The token where another was expected, as messages name it."""
        return Term.of("end of expression") if self.current.kind == "end" else repr(self.current.value)

    def finish(self) -> None:
        if self.current.kind != "end":
            raise self.error(Msg("syntax.unexpected", token=repr(self.current.value)))

    # -- conditions ---------------------------------------------------------
    def condition(self) -> dict:
        node = self.and_expr()
        args = [node]
        while self.accept("name", "or"):
            args.append(self.and_expr())
        return args[0] if len(args) == 1 else {"op": "or", "args": args}

    def and_expr(self) -> dict:
        args = [self.not_expr()]
        while self.accept("name", "and"):
            args.append(self.not_expr())
        return args[0] if len(args) == 1 else {"op": "and", "args": args}

    def not_expr(self) -> dict:
        if self.accept("name", "not"):
            self.nest()
            node = negate(self.not_expr())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> dict:
        if self.accept("punct", "("):
            self.nest()
            node = self.condition()
            self.expect("punct", ")")
            self.depth -= 1
            return node
        token = self.current
        if token.kind == "name" and token.value in ("present", "missing") and self.tokens[self.index + 1].value == "(":
            self.advance()
            self.advance()
            name = self.expect("name", what="a field name")
            self.expect("punct", ")")
            return {"op": token.value, "name": name.value}
        left = self.operand()
        if self.current.kind == "op":
            op = self.advance().value
            right = self.operand()
            return {"op": "cmp", "cmp": op, "left": left, "right": right}
        if self.accept("name", "in"):
            self.expect("punct", "[")
            values = [self.literal()]
            while self.accept("punct", ","):
                values.append(self.literal())
            self.expect("punct", "]")
            alternatives = [{"op": "cmp", "cmp": "==", "left": left, "right": value} for value in values]
            return alternatives[0] if len(alternatives) == 1 else {"op": "or", "args": alternatives}
        if "name" in left:
            return {"op": "cmp", "cmp": "==", "left": left, "right": {"value": True, "type": "bool"}}
        if left.get("type") == "bool":
            return {"op": "const", "value": left["value"]}
        raise self.error(Msg("syntax.expected_comparison"))

    def operand(self) -> dict:
        token = self.current
        if token.kind == "name" and token.value not in KEYWORDS:
            self.advance()
            return {"name": token.value}
        return self.literal()

    def literal(self) -> dict:
        token = self.current
        if token.kind == "date":
            self.advance()
            return {"value": token.value, "type": "date"}
        if token.kind == "number":
            self.advance()
            return {"value": token.value, "type": "number"}
        if token.kind == "string":
            self.advance()
            return {"value": token.value, "type": "str"}
        if token.kind == "name" and token.value in ("true", "false"):
            self.advance()
            return {"value": token.value == "true", "type": "bool"}
        raise self.error(Msg("syntax.expected_operand", found=self.found()))

    # -- derive expressions ---------------------------------------------------
    def derive_expr(self) -> dict:
        if self.current.kind == "punct" and self.current.value == "[":
            self.advance()
            items = [self.literal()["value"]]
            while self.accept("punct", ","):
                items.append(self.literal()["value"])
            self.expect("punct", "]")
            return {"list": items}
        token = self.current
        if token.kind == "name" and token.value not in KEYWORDS and self.tokens[self.index + 1].value == "(":
            self.advance()
            self.advance()
            self.nest()
            args: list[dict] = []
            if not self.accept("punct", ")"):
                args.append(self.derive_expr())
                while self.accept("punct", ","):
                    args.append(self.derive_expr())
                self.expect("punct", ")", what="')'")
            self.depth -= 1
            return {"call": token.value, "args": args}
        return self.operand()


def parse_condition(text: str) -> dict:
    """Parse a condition string into IR."""
    parser = _Parser(str(text))
    node = parser.condition()
    parser.finish()
    return node


def parse_derive(text: str) -> dict:
    """Parse a derive expression (``fn(arg, ...)``) into a call tree."""
    parser = _Parser(str(text))
    node = parser.derive_expr()
    parser.finish()
    return node


def negate(node: dict) -> dict:
    """The exact two-valued complement: a comparison on a missing value is false, so its negation is true."""
    op = node["op"]
    if op == "and":
        return {"op": "or", "args": [negate(arg) for arg in node["args"]]}
    if op == "or":
        return {"op": "and", "args": [negate(arg) for arg in node["args"]]}
    if op == "present":
        return {"op": "missing", "name": node["name"]}
    if op == "missing":
        return {"op": "present", "name": node["name"]}
    if op == "const":
        return {"op": "const", "value": not node["value"]}
    if op == "cmp":
        inverse = {"op": "cmp", "cmp": INVERSE[node["cmp"]], "left": node["left"], "right": node["right"]}
        missing = [{"op": "missing", "name": side["name"]} for side in (node["left"], node["right"]) if "name" in side]
        return {"op": "or", "args": [inverse, *missing]} if missing else inverse
    raise ValueError(f"unknown IR node {op!r}")


def conjoin(*nodes: dict) -> dict:
    args: list[dict] = []
    for node in nodes:
        if node["op"] == "and":
            args.extend(node["args"])
        elif node["op"] == "const" and node["value"]:
            continue
        else:
            args.append(node)
    if any(arg["op"] == "const" and not arg["value"] for arg in args):
        return {"op": "const", "value": False}
    if not args:
        return {"op": "const", "value": True}
    return args[0] if len(args) == 1 else {"op": "and", "args": args}


def disjoin(*nodes: dict) -> dict:
    args: list[dict] = []
    for node in nodes:
        if node["op"] == "or":
            args.extend(node["args"])
        elif node["op"] == "const" and not node["value"]:
            continue
        else:
            args.append(node)
    if any(arg["op"] == "const" and arg["value"] for arg in args):
        return {"op": "const", "value": True}
    if not args:
        return {"op": "const", "value": False}
    return args[0] if len(args) == 1 else {"op": "or", "args": args}


def evaluate(node: dict, values: Values) -> bool:
    """Reference evaluator of the IR: the python backend, the oracle the other backends are tested
    against."""
    op = node["op"]
    if op == "and":
        return all(evaluate(arg, values) for arg in node["args"])
    if op == "or":
        return any(evaluate(arg, values) for arg in node["args"])
    if op == "const":
        return bool(node["value"])
    if op == "present":
        return values.get(node["name"]) is not None
    if op == "missing":
        return values.get(node["name"]) is None
    left = _operand_value(node["left"], values)
    right = _operand_value(node["right"], values)
    if left is None or right is None:
        return False
    cmp = node["cmp"]
    if cmp == "==":
        return left == right
    if cmp == "!=":
        return left != right
    if cmp == "<":
        return left < right
    if cmp == "<=":
        return left <= right
    if cmp == ">":
        return left > right
    return left >= right


def _operand_value(operand: dict, values: Values) -> Any:
    return values.get(operand["name"]) if "name" in operand else operand["value"]


def evaluate_uncertain(node: dict, values: Values, uncertain: frozenset[str] | set[str]) -> bool | None:
    """Three-valued (Kleene) evaluation: a comparison reading a name in ``uncertain`` is unknown
    (None) unless the other side is missing; ``and``/``or`` are unknown only when the known parts
    cannot decide. Used to tell whether an outcome rests on a provisional value (a due date computed
    with a holiday schedule that is not official yet)."""
    op = node["op"]
    if op in ("and", "or"):
        decided, unknown = op == "or", False
        for arg in node["args"]:
            result = evaluate_uncertain(arg, values, uncertain)
            if result is None:
                unknown = True
            elif result is decided:
                return decided
        return None if unknown else not decided
    if op in ("const", "present", "missing"):
        return evaluate(node, values)
    sides = (node["left"], node["right"])
    if any(_operand_value(side, values) is None for side in sides):
        return False
    if any("name" in side and side["name"] in uncertain for side in sides):
        return None
    return evaluate(node, values)
