"""Opening the records database and keeping its schema current.

The URL comes from ``--db``, else ``FZCHECK_DB``, else SQLite at ``$XDG_DATA_HOME/fzcheck/fzcheck.db``
(``~/.local/share/fzcheck/fzcheck.db``). Any SQLAlchemy URL works; SQLite and PostgreSQL
(``postgresql://user:pass@host/db``) are tested. A plain file path is taken as a SQLite file.

SQLite runs in WAL mode with a generous busy timeout so that several audits and imports can
share one file: readers never wait, and writers take the write lock up front (``BEGIN IMMEDIATE``)
so two writers queue instead of failing.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import orjson

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_SECONDS = 300


class DatabaseError(Exception):
    """The database cannot be used as asked (missing schema, old schema, bad URL); says what to run."""


def default_db_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "fzcheck" / "fzcheck.db"


def resolve_url(url: str | None = None) -> str:
    """``--db`` value, else ``FZCHECK_DB``, else the default SQLite file; bare paths become sqlite URLs."""
    url = url or os.environ.get("FZCHECK_DB") or str(default_db_path())
    if "://" not in url:
        path = Path(url).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    return url


def json_loads(text: str | bytes) -> Any:
    """JSON columns are read with orjson; what it refuses (NaN kept in a quarantined row's raw
    input) falls back to the standard library, which wrote it."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def json_dumps(value: Any) -> str:
    """JSON columns are written with orjson; integers beyond 64 bits go through the standard library.
    (orjson writes NaN as null: the only place a NaN can arrive, a quarantined row's raw input, keeps
    non-finite numbers as text — see ``importer._jsonable``.)"""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False)


_JSON_COLUMNS = {"json_serializer": json_dumps, "json_deserializer": json_loads}


def open_engine(url: str | None = None) -> Engine:
    """An engine for the URL; for SQLite, WAL + busy timeout + foreign keys, and explicit BEGIN."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:
        raise DatabaseError(f"invalid database URL '{resolved}': {exc}") from exc
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql" and importlib.util.find_spec("psycopg") is None:
            parsed = parsed.set(drivername="postgresql+psycopg2")  # SQLAlchemy 2.1's default is psycopg 3
        return create_engine(parsed, pool_pre_ping=True, **_JSON_COLUMNS)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, **_JSON_COLUMNS)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def writer(engine: Engine) -> Engine:
    """The engine for write transactions: on SQLite they take the write lock at BEGIN (queue, not fail)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply the migrations up to ``revision``; returns (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    with writer(engine).begin() as connection:
        command.upgrade(_alembic_config(connection), revision)
    return before, current_revision(engine)


def ensure_schema(engine: Engine, *, create: bool = False) -> None:
    """Check the schema is at the head revision; an empty database is created when ``create``."""
    revision = current_revision(engine)
    if revision == head_revision():
        return
    if revision is None and not inspect(engine).get_table_names():
        if create:
            upgrade(engine)
            return
        raise DatabaseError(f"database {safe_url(engine)} has no fzcheck schema; run `fzcheck db init` first")
    raise DatabaseError(f"database {safe_url(engine)} is at schema revision {revision}, this fzcheck needs "
                        f"{head_revision()}; run `fzcheck db upgrade`")


def safe_url(engine: Engine) -> str:
    """The URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def connect(url: str | None = None, *, create: bool = False) -> Engine:
    """Open the database and check its schema (creating it in an empty database when ``create``)."""
    engine = open_engine(url)
    try:
        ensure_schema(engine, create=create)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database {safe_url(engine)}: {exc}") from exc
    return engine
