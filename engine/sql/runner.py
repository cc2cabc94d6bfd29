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
from collections.abc import Sequence
from typing import Any, Protocol

from ..backends.base import CompiledRules, Row
from ..rules.packs import Rule
from .compile import ROW_ID, first_branches_query, names_compared, names_read
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


class SQLPrepared:
    """The compiled rules of one pack and kind as one ``SELECT`` (``compile.first_branches_query``)."""

    def __init__(self, rules: CompiledRules, dialect: Dialect, connect: Connect):
        self.dialect = dialect
        self.connect = connect
        ordered = sorted(rules.rules, key=lambda rule: rule.index)
        self.rule_indexes = [rule.index for rule in ordered]
        self.names = names_read(rules.rules)
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

    def encoded_rows(self, rows: Sequence[Row]) -> list[tuple[Any, ...]]:
        compared = [name in self.compared for name in self.names]
        return [
            (position, *(encode(row.get(name), wanted, name) for name, wanted in zip(self.names, compared)))
            for position, row in enumerate(rows)
        ]

    def first_branches(self, rows: Sequence[Row]) -> list[dict[int, int]]:
        if not rows:
            return []
        if not self.rule_indexes:
            return [{} for _ in rows]
        result = self.database().run(self.table, list(self.columns.values()), self.encoded_rows(rows), self.query)
        found: list[dict[int, int]] = []
        for expected, (row_id, *branches) in enumerate(result):
            if row_id != expected:
                raise RuntimeError(f"the {self.dialect.name} query returned row {row_id} where {expected} was due")
            found.append({rule: int(branch) for rule, branch in zip(self.rule_indexes, branches) if branch is not None})
        if len(found) != len(rows):
            raise RuntimeError(f"the {self.dialect.name} query returned {len(found)} rows for {len(rows)} subjects")
        return found


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
