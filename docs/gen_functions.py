"""The derive-function table of docs/rule-format.md, generated from the registry
(:data:`fzcheck.engine.derive.registry.REGISTRY`): a cog block of that file calls :func:`render`.

    python docs/gen_functions.py           # rewrite the table in docs/rule-format.md
    python docs/gen_functions.py --check   # exit 1 if the table is not what the registry gives

``make docs`` rewrites every generated block, ``make lint`` checks them (``cog --check``), and
tests/test_docs_generated.py fails when one is stale. A column is one entry of :data:`COLUMNS`: its
header and what it shows of a :class:`~fzcheck.engine.derive.declare.DeriveFunction`.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path

from fzcheck.engine.derive.declare import DeriveFunction
from fzcheck.engine.derive.registry import REGISTRY

TARGET = Path(__file__).with_name("rule-format.md")


def call(function: DeriveFunction) -> str:
    """How a rule file calls it: ``deadline_after(start, days)``, ``coalesce(values, ...)``. A batch
    function's implementation takes the record kind, the field and its value; the rule names the field."""
    parameters = list(inspect.signature(function.plain).parameters.values())[len(function.uses) :]
    if function.batch:
        parameters = parameters[1:-1]
    names = [
        f"{parameter.name}, ..." if parameter.kind is parameter.VAR_POSITIONAL else parameter.name
        for parameter in parameters
    ]
    return f"`{function.name}({', '.join(names)})`"


def arguments(function: DeriveFunction) -> str:
    """The types the rule checker holds the call's arguments to (names from ARG_TYPES)."""
    return ", ".join(function.arg_types) + (", ..." if function.variadic else "")


def defined_in(function: DeriveFunction) -> str:
    """The file of the implementation, under engine/ (``derive/joins.py``: the cross-record joins)."""
    module = function.plain.__module__
    return "`" + module.removeprefix("fzcheck.engine.").replace(".", "/") + ".py`"


def meaning(function: DeriveFunction) -> str:
    """The function's docstring on one line, reStructuredText's double backticks as Markdown's."""
    return " ".join(function.doc.split()).replace("``", "`")


#: (header, the cell of a function): the table's columns, in order
COLUMNS: list[tuple[str, Callable[[DeriveFunction], str]]] = [
    ("function", call),
    ("arguments", arguments),
    ("returns", lambda function: function.returns),
    ("reads besides its arguments", lambda function: ", ".join(function.uses) or "—"),
    ("meaning", meaning),
    ("defined in", defined_in),
]


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def render() -> str:
    """The table, one row per registered function in the order they are registered."""
    lines = [
        "| " + " | ".join(header for header, _ in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for function in REGISTRY.values():
        lines.append("| " + " | ".join(_cell(cell(function)) for _, cell in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    from cogapp import Cog

    return Cog().main(["cog", "-I", str(TARGET.parent), "--check" if "--check" in argv else "-r", str(TARGET)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
