"""What differs between the SQL dialects fzcheck compiles to: the overlay over one compiler.

sqlglot renders the same expression tree for each dialect (quoting, ``TRUE``, ``NULLS FIRST``); what
it cannot know is left here: the column type each value kind takes, and how text is ordered where the
database's collation would order it otherwise (PostgreSQL: ``COLLATE "C"``, code-point order, which
is Python's order of ``str``, the IR's meaning).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from .compile import TextOrder
from .values import INTEGER, REAL, TEXT


def _code_point_order(side: exp.Expression) -> exp.Expression:
    return exp.Collate(this=side, expression=exp.to_identifier("C", quoted=True))


@dataclass(frozen=True)
class Dialect:
    #: fzcheck's name for it, and sqlglot's
    name: str
    sqlglot: str
    #: column kind (``values.py``) -> SQL type
    types: dict[str, str] = field(default_factory=dict)
    text_order: TextOrder | None = None

    def render(self, expression: exp.Expression, pretty: bool = False) -> str:
        return expression.sql(dialect=self.sqlglot, pretty=pretty)


DIALECTS = {
    # SQLite's columns take any value; the declared types only give them an affinity
    "sqlite": Dialect("sqlite", "sqlite", {INTEGER: "INTEGER", REAL: "REAL", TEXT: "TEXT"}),
    "duckdb": Dialect("duckdb", "duckdb", {INTEGER: "BIGINT", REAL: "DOUBLE", TEXT: "VARCHAR"}),
    "postgresql": Dialect(
        "postgresql", "postgres", {INTEGER: "BIGINT", REAL: "DOUBLE PRECISION", TEXT: "TEXT"}, _code_point_order
    ),
    # the multi-machine target (docs/scale.md): Spark SQL orders strings by code point already
    "spark": Dialect("spark", "spark", {INTEGER: "BIGINT", REAL: "DOUBLE", TEXT: "STRING"}),
}
