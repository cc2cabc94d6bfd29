"""DuckDB's part of the schema's DDL: what alembic and SQLAlchemy's PostgreSQL-derived compiler
(duckdb-engine's dialect is PostgreSQL's) would otherwise get wrong on DuckDB.

* Alembic has no implementation for the ``duckdb`` dialect: :class:`DuckDBImpl` is one, with
  transactional DDL (DuckDB's DDL commits or rolls back with its transaction, as PostgreSQL's).
* DuckDB has no ``SERIAL``: a table's integer primary key (its autoincrement column) is given a
  sequence of its own, ``<table>_<column>_seq`` (the name PostgreSQL gives its ``SERIAL``'s), and
  ``DEFAULT nextval(...)``. Only tables created on DuckDB get one; the migrations and the models are
  unchanged, so SQLite and PostgreSQL databases are created and upgraded exactly as before.
* ``FLOAT`` is 4 bytes in DuckDB, 8 in PostgreSQL and SQLite: a ``Float`` column is ``DOUBLE``.

The migrations only add nullable columns to existing tables and create tables and indexes, which
DuckDB's ``ALTER TABLE`` does in place (no batch "move and copy" is needed); this module is imported
by the migrations' ``env.py``.
"""

from __future__ import annotations

from typing import Any

from alembic.ddl.impl import DefaultImpl
from sqlalchemy import DefaultClause, Float, Sequence, Table, text
from sqlalchemy.ext.compiler import compiles


def sequence_name(table: str, column: str) -> str:
    """The sequence of a DuckDB table's integer primary key."""
    return f"{table}_{column}_seq"


class DuckDBImpl(DefaultImpl):
    """Alembic's operations on DuckDB (``duckdb:///FILE`` through duckdb-engine)."""

    __dialect__ = "duckdb"
    transactional_ddl = True

    def create_table(self, table: Table, **kw: Any) -> None:
        column = table.autoincrement_column
        if column is not None and column.server_default is None:
            name = sequence_name(table.name, column.name)
            self._exec(text(f'CREATE SEQUENCE "{name}"'))
            # the table is the operation's own (op.create_table builds it): its key becomes
            # ``INTEGER DEFAULT nextval(...)`` instead of PostgreSQL's SERIAL, which the compiler
            # writes for an autoincrement column without a Sequence of its own
            column.default = Sequence(name)
            column.server_default = DefaultClause(text(f"nextval('{name}')"))
        super().create_table(table, **kw)

    def drop_table(self, table: Table, **kw: Any) -> None:
        super().drop_table(table, **kw)
        column = table.autoincrement_column
        if column is not None:
            self._exec(text(f'DROP SEQUENCE IF EXISTS "{sequence_name(table.name, column.name)}"'))


@compiles(Float, "duckdb")
def _double(type_: Float, compiler: Any, **kw: Any) -> str:
    """A ``Float`` column on DuckDB: 8 bytes, as on PostgreSQL (``FLOAT``) and SQLite (``REAL``)."""
    return "DOUBLE"
