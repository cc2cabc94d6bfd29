"""Emptying the PostgreSQL test database, whatever schema revision it holds.

`metadata.drop_all` drops only the tables this checkout's models know: a database left by a branch with a newer
migration kept its extra tables (with foreign keys into ours) and the next `connect(create=True)` failed. The tables
are reflected from the database instead, so every table there is dropped, in dependency order.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from fzcheck.engine.store.database import open_engine


def drop_every_table(url: str) -> None:
    """Drop every table of the database at ``url`` (alembic_version included)."""
    engine = open_engine(url)
    try:
        with engine.begin() as connection:
            present = MetaData()
            present.reflect(connection)
            present.drop_all(connection)
    finally:
        engine.dispose()
