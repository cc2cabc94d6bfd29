"""The rules as one DuckDB statement per pack and kind, over each batch of subjects.

DuckDB's columns are typed, so each batch's table takes the types of its values
(``engine/sql/values.column_kinds``). The batch reaches DuckDB as JSON Lines in a private temporary
file read by ``read_json`` with the columns' types given: row-by-row inserts through the Python API
take about a millisecond a row, the file a few microseconds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from typing import Any

import duckdb
import orjson

from ...sql.compile import ROW_ID
from ...sql.dialects import Dialect
from ...sql.runner import SQLBackend
from ...sql.values import INTEGER, column_kinds


class DuckDBDatabase:
    def __init__(self, sql_dialect: Dialect, /):
        self.dialect = sql_dialect
        self.connection = duckdb.connect(":memory:")
        self.folder = tempfile.mkdtemp(prefix="fzcheck-duckdb-")
        weakref.finalize(self, shutil.rmtree, self.folder, True)

    def run(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], query: str) -> list[tuple]:
        kinds = column_kinds(list(columns), (row[1:] for row in rows))
        filled = {column for row in rows for column, value in zip(columns, row[1:]) if value is not None}
        types = {
            ROW_ID: self.dialect.types[INTEGER],
            **{column: self.dialect.types[kinds[column]] for column in columns},
        }
        struct = (
            "{"
            + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items() if name == ROW_ID or name in filled)
            + "}"
        )
        path = os.path.join(self.folder, f"{table}.jsonl")
        with open(path, "wb") as handle:
            names = [ROW_ID, *columns]
            for row in rows:
                handle.write(orjson.dumps({name: value for name, value in zip(names, row) if value is not None}))
                handle.write(b"\n")
        # a column with no value in the batch is an untyped NULL, which compares with anything (a typed
        # column of NULLs would refuse a comparison with text, or with a number)
        shown = ", ".join([ROW_ID, *(column if column in filled else f"NULL AS {column}" for column in columns)])
        try:
            self.connection.execute(
                f"CREATE OR REPLACE TEMP TABLE {table}_rows AS SELECT * FROM read_json(?, "
                f"format = 'newline_delimited', columns = {struct})",
                [path],
            )
            self.connection.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT {shown} FROM {table}_rows")
            return self.connection.execute(query).fetchall()
        finally:
            os.unlink(path)


#: one statement (and one file) per batch: larger batches spread their fixed cost
BACKEND = SQLBackend("duckdb", "duckdb", 5000, DuckDBDatabase)
