"""Alembic environment: run with the connection fzcheck hands over (see fzcheck.engine.store.database)."""

from alembic import context

from fzcheck.engine.store import duckdb_ddl  # noqa: F401 (alembic's implementation for DuckDB)
from fzcheck.engine.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
