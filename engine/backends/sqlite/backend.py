"""The rules as one SQLite statement per pack and kind, over each batch of subjects.

SQLite's columns hold any value (the encoded integers, reals and text of ``engine/sql/values.py``
as they are), so the table is made once per connection and each batch replaces its rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from ...sql.compile import ROW_ID
from ...sql.dialects import Dialect
from ...sql.runner import SQLBackend


class SQLiteDatabase:
    def __init__(self, sql_dialect: Dialect, /):
        self.connection = sqlite3.connect(":memory:", check_same_thread=True)
        self.made: set[str] = set()

    def run(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], query: str) -> list[tuple]:
        names = [ROW_ID, *columns]
        if table not in self.made:
            self.connection.execute(f"CREATE TEMP TABLE {table} ({', '.join(names)})")
            self.made.add(table)
        with self.connection:
            self.connection.execute(f"DELETE FROM {table}")
            self.connection.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})",
                rows,
            )
        return self.connection.execute(query).fetchall()


#: one statement per batch: larger batches spread its fixed cost
BACKEND = SQLBackend("sqlite", "sqlite", 2000, SQLiteDatabase)
