"""Compiled rules run as one SQL statement over a batch of subjects in an in-process database.

A backend of this kind (``engine/backends/sqlite``, ``engine/backends/duckdb``) gives a
:class:`Database`: how to put a batch of encoded rows in a table and run a query over it. The rest is
the same for every dialect and lives here: the columns the rules read, the statement compiled once per
pack and kind, the rows encoded as ``values.py`` says, and the result read back as the first branch
of each rule that held.

A connection belongs to one process and thread (a forked executor worker, a web request's thread
opens its own), so each :class:`SQLPrepared` keeps one per process and thread.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
from collections.abc import Collection, Sequence
from typing import Any, Protocol

from ..backends.base import CompiledRules, Row
from ..rules.ir import fact_names_used
from ..rules.packs import Rule
from .compile import ROW_ID, first_branches_query, names_compared
from .dialects import DIALECTS, Dialect
from .values import encode

_TABLES = itertools.count()


class Database(Protocol):
    """One connection of an in-process database."""

    def run(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], query: str) -> list[tuple[Any, ...]]:
        """Replace ``table``'s rows by ``rows`` (``rid`` then ``columns``) and return ``query``'s rows."""
        ...


class Connect(Protocol):
    def __call__(self, sql_dialect: Dialect, /) -> Database: ...


def encode_rows(rows: Sequence[Row], names: Sequence[str], compared: Collection[str]) -> list[tuple[Any, ...]]:
    """The rows of the subjects' table: ``rid`` (the subject's position), then each name's value as
    ``values.encode`` holds it (a name in ``compared`` is read as a value, the others only tested for
    presence)."""
    wanted = [name in compared for name in names]
    return [
        (position, *(encode(row.get(name), is_compared, name) for name, is_compared in zip(names, wanted)))
        for position, row in enumerate(rows)
    ]


def read_first_branches(
    result: Sequence[tuple[Any, ...]], rule_indexes: Sequence[int], subjects: int, what: str
) -> list[dict[int, int]]:
    """Per subject, rule index -> first branch that held, from the rows of a ``first_branches_query``
    (``rid`` then one column per rule in ``rule_indexes`` order); a row out of place or missing is an
    error of ``what`` ran the query, never a subject silently left out."""
    found: list[dict[int, int]] = []
    for expected, (row_id, *branches) in enumerate(result):
        if row_id != expected:
            raise RuntimeError(f"the {what} query returned row {row_id} where {expected} was due")
        found.append({rule: int(branch) for rule, branch in zip(rule_indexes, branches) if branch is not None})
    if len(found) != subjects:
        raise RuntimeError(f"the {what} query returned {len(found)} rows for {subjects} subjects")
    return found


class SQLPrepared:
    """The compiled rules of one pack and kind as one ``SELECT`` (``compile.first_branches_query``)."""

    def __init__(self, rules: CompiledRules, dialect: Dialect, connect: Connect):
        self.dialect = dialect
        self.connect = connect
        ordered = sorted(rules.rules, key=lambda rule: rule.index)
        self.rule_indexes = [rule.index for rule in ordered]
        self.names = sorted(fact_names_used(rules.rules))
        self.compared = names_compared(rules.rules)
        #: columns are c0, c1, ...: IR names are rule names, but a column name must never depend on them
        self.columns = {name: f"c{position}" for position, name in enumerate(self.names)}
        self.table = f"subjects_{next(_TABLES)}"
        self.query = dialect.render(first_branches_query(ordered, self.columns, dialect.text_order, table=self.table))
        self._local = threading.local()

    def database(self) -> Database:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.database, local.pid = self.connect(self.dialect), os.getpid()
        return local.database

    def first_branches(self, rows: Sequence[Row]) -> list[dict[int, int]]:
        if not rows:
            return []
        if not self.rule_indexes:
            return [{} for _ in rows]
        encoded = encode_rows(rows, self.names, self.compared)
        result = self.database().run(self.table, list(self.columns.values()), encoded, self.query)
        return read_first_branches(result, self.rule_indexes, len(rows), self.dialect.name)


class SQLBackend:
    """A backend (``backends/base.Backend``) that runs the rules as SQL in an in-process database:
    the backend folders give its name, the dialect, how many subjects a statement best takes and how
    to open a connection."""

    def __init__(self, name: str, dialect_name: str, batch_size: int, connect: Connect):
        self.name, self.batch_size = name, batch_size
        self.dialect = DIALECTS[dialect_name]
        self.connect = connect

    def prepare(self, rules: CompiledRules) -> SQLPrepared:
        return SQLPrepared(rules, self.dialect, self.connect)

    def limit_problems(self, rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
        """None: the statement nests AND/OR as a balanced tree (``compile.py``), far from SQLite's
        depth limit, and a rule's column count is its names, far from any database's."""
        return []


__all__ = ["ROW_ID", "Database", "SQLBackend", "SQLPrepared"]
