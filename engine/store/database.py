"""Opening the records database and keeping its schema current.

The URL comes from ``--db``, else ``FZCHECK_DB``, else SQLite at ``$XDG_DATA_HOME/fzcheck/fzcheck.db``
(``~/.local/share/fzcheck/fzcheck.db``). SQLite, PostgreSQL (``postgresql://user:pass@host/db``) and
DuckDB (``duckdb:///path/to/file.duckdb``, through the duckdb-engine dialect) are tested. A plain file
path is taken as a SQLite file.

SQLite runs in WAL mode with a generous busy timeout so that several audits and imports can
share one file: readers never wait, and writers take the write lock up front (``BEGIN IMMEDIATE``)
so two writers queue instead of failing.

Commands that only read (``audit list``, ``audit show``, ``audit diff``, ``report``) open the
database read-only (``readonly=True``): a SQLite file is opened with ``mode=ro`` — so a file of mode
0444, or one in a read-only folder, can still be read — and is never created; a DuckDB file likewise
(``read_only``). Only ``sqlite``, ``postgresql`` and ``duckdb`` URLs are accepted; a URL of another
database, a missing driver or a server that cannot be reached is a :class:`DatabaseError` naming the
URL without its password.

A DuckDB file is open in one process at a time (DuckDB locks it; within the process, threads share
it): a second process — a ``db import`` while an ``audit`` runs — is refused with ``db.locked``,
naming the process that holds it, and an audit evaluates its units in its own process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, CursorResult, Engine, make_url
from sqlalchemy.exc import NoSuchModuleError

from ...messages import Msg, Term
from ...messages import text as message_text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_SECONDS = 300


#: the database backends fzcheck is tested with; any other URL is refused with this advice
SUPPORTED_BACKENDS = ("sqlite", "postgresql", "duckdb")
SUPPORTED_URLS = "sqlite:///FILE (or a file path), postgresql://USER:PASSWORD@HOST/DB or duckdb:///FILE"
_SUPPORTED_URLS = Term(
    "sqlite:///文件（或文件路径）、postgresql://用户名:密码@主机/数据库名 或 duckdb:///文件", SUPPORTED_URLS
)
#: the process holding a DuckDB file's lock, as DuckDB names it
_DUCKDB_LOCK_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class DatabaseError(Exception):
    """The database cannot be used as asked (missing schema, old schema, bad URL); says what to run.

    Its message is a catalog message (:class:`~fzcheck.messages.Msg`): ``str`` gives the English,
    :meth:`text` either language."""

    def __init__(self, message: Msg | str):
        super().__init__(message)
        self.message = message

    def text(self, lang: str = "zh") -> str:
        return message_text(self.message, lang)


class DatabaseNotFound(DatabaseError):
    """A SQLite file that does not exist, opened by a command that does not create databases."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        super().__init__(Msg("db.not_found", path=self.path))


def default_db_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "fzcheck" / "fzcheck.db"


def resolve_url(url: str | None = None) -> str:
    """``--db`` value, else ``FZCHECK_DB``, else the default SQLite file; bare paths become sqlite URLs."""
    url = url or os.environ.get("FZCHECK_DB") or str(default_db_path())
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
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


def _safe(url: URL | str) -> str:
    """A URL for messages: without its password (also when it does not parse)."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.rsplit("@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=f"{netloc[0].split(':', 1)[0]}:***@{netloc[1]}"))
    return url


def database_file(url: URL) -> Path | None:
    """The file of a SQLite or DuckDB URL; None for a server, an in-memory database or a ``file:`` URI."""
    if url.get_backend_name() == "duckdb":
        if not url.database or url.database == ":memory:" or ":" in url.database.split("/", 1)[0]:
            return None  # in memory, or a scheme of DuckDB's own (md:, s3://)
        return Path(url.database)
    return sqlite_file(url)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or a driver-level ``file:`` URI."""
    if (
        url.get_backend_name() != "sqlite"
        or not url.database
        or url.database == ":memory:"
        or url.query.get("uri") in ("true", "1")
    ):
        return None
    return Path(url.database)


def open_engine(url: str | None = None, *, readonly: bool = False) -> Engine:
    """An engine for the URL; for SQLite, WAL + busy timeout + foreign keys, and explicit BEGIN.

    ``readonly``: the caller only reads; a SQLite file must exist and is opened with ``mode=ro``
    (never created, never written; see :func:`_readonly_sqlite`)."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:
        raise DatabaseError(_invalid_url(resolved, exc)) from exc
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseError(Msg("db.unsupported", url=_safe(parsed), supported=_SUPPORTED_URLS))
    if backend == "duckdb":
        return _duckdb_engine(parsed, readonly)
    if backend != "sqlite":
        if parsed.drivername == "postgresql" and importlib.util.find_spec("psycopg") is None:
            parsed = parsed.set(drivername="postgresql+psycopg2")  # SQLAlchemy 2.1's default is psycopg 3
        try:
            engine = create_engine(parsed, pool_pre_ping=True, **_JSON_COLUMNS)
        except ImportError as exc:
            raise DatabaseError(
                Msg(
                    "db.no_driver",
                    url=_safe(parsed),
                    driver=str(exc.name or exc),
                    command="pip install 'fzcheck[postgres]'",
                )
            ) from exc
        _unreachable_is_a_database_error(engine, _safe(make_url(resolved)))
        return engine
    path = sqlite_file(parsed)
    if readonly and path is not None:
        if not path.is_file():
            raise DatabaseNotFound(path)
        engine = create_engine(parsed, creator=lambda: _readonly_sqlite(path), **_JSON_COLUMNS)
    else:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, **_JSON_COLUMNS)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cursor = dbapi_connection.cursor()
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    _unreachable_is_a_database_error(engine, _safe(parsed))
    return engine


def _duckdb_engine(parsed: URL, readonly: bool) -> Engine:
    """An engine for a DuckDB file. ``readonly``: the file must exist and is opened ``read_only`` —
    unless this process has it open for writing already (DuckDB opens a file once per process, with
    one configuration), when the read shares that opening."""
    path = database_file(parsed)
    connect_args: dict[str, Any] = {}
    if path is not None:
        if readonly:
            if not path.is_file():
                raise DatabaseNotFound(path)
            connect_args["read_only"] = True
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, connect_args=connect_args, **_JSON_COLUMNS)
    except (ImportError, NoSuchModuleError) as exc:
        driver = exc.name if isinstance(exc, ImportError) and exc.name else "duckdb-engine"
        raise DatabaseError(
            Msg("db.no_driver", url=_safe(parsed), driver=driver, command="pip install duckdb duckdb-engine")
        ) from exc
    preparer = engine.dialect.identifier_preparer
    # a column named like one of DuckDB's keywords that may name a type or function but not a column
    # (access_log.at) is quoted; duckdb-engine quotes only the reserved ones. A set of this dialect's
    # own: the one it starts from is PostgreSQL's.
    preparer.reserved_words = set(preparer.reserved_words) | _duckdb_keywords("type_function")

    if readonly:

        @event.listens_for(engine, "do_connect")
        def _read_where_written(dialect, _record, cargs, cparams):
            try:
                return dialect.connect(*cargs, **cparams)
            except Exception as exc:
                if "different configuration" not in str(exc):
                    raise
            return dialect.connect(*cargs, **{key: value for key, value in cparams.items() if key != "read_only"})

    _unreachable_is_a_database_error(engine, _safe(parsed))
    return engine


def _duckdb_keywords(category: str) -> set[str]:
    """DuckDB's keywords of a category (``reserved``, ``type_function``, ...), as this DuckDB lists them."""
    import duckdb  # noqa: PLC0415 (DuckDB's library, loaded for a duckdb URL)

    with duckdb.connect() as connection:
        query = "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = ?"
        return {name for (name,) in connection.execute(query, [category]).fetchall()}


def _readonly_sqlite(path: Path) -> sqlite3.Connection:
    """A read-only connection to an existing SQLite file (``mode=ro``). A database in WAL mode needs its
    ``-shm`` file; where there is none (no process has the database open) and none can be made (a
    folder this process cannot write), SQLite can read the file only as ``immutable`` — and as
    nobody has it open, and nobody writes where we cannot, it is."""
    uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    try:
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return connection
    except sqlite3.OperationalError:
        connection.close()
        if Path(f"{path}-shm").exists():
            raise
    return sqlite3.connect(f"{uri}&immutable=1", uri=True, check_same_thread=False)


def _unreachable_is_a_database_error(engine: Engine, shown: str) -> None:
    """A failure to connect (server down, wrong host or password, unreadable file) becomes a
    DatabaseError naming the URL without its password, wherever the first connection is made."""

    @event.listens_for(engine, "handle_error")
    def _connect_failed(context):
        if context.connection is None and context.statement is None and not context.is_pre_ping:
            said = str(context.original_exception)
            if engine.dialect.name == "duckdb" and "Could not set lock on file" in said:
                return DatabaseError(_locked(shown, said))
            reason = said.strip().splitlines()
            return DatabaseError(
                Msg(
                    "db.cannot_connect",
                    url=shown,
                    reason=reason[0] if reason else context.original_exception.__class__.__name__,
                )
            )
        return None


def _locked(shown: str, said: str) -> Msg:
    """Another process holds a DuckDB file: the message names it (its program and PID, as DuckDB
    reports them) and says why the file cannot be shared."""
    found = _DUCKDB_LOCK_HOLDER.search(said)
    if found:
        program, pid = Path(found["program"]).name, found["pid"]
        holder = Term(f"{program}，PID {pid}", f"{program}, PID {pid}")
    else:
        holder = Term("未知进程", "unknown process")
    return Msg("db.locked", url=shown, holder=holder)


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT of one row gave it."""
    key = result.inserted_primary_key
    assert key is not None  # an INSERT's result has one
    return key[0]


def writer(engine: Engine) -> Engine:
    """The engine for write transactions: on SQLite they take the write lock at BEGIN (queue, not fail)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine


def _alembic_config(connection):
    from alembic.config import Config  # noqa: PLC0415 (alembic loaded only to migrate)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415 (alembic loaded only to migrate)

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the package's migrations are missing"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 (alembic loaded only to migrate)

    from . import duckdb_ddl  # noqa: F401, PLC0415 (alembic's implementation for DuckDB, loaded with alembic)

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply the migrations up to ``revision``; returns (revision before, revision after)."""
    from alembic import command  # noqa: PLC0415 (alembic loaded only to migrate)

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
        raise DatabaseError(Msg("db.no_schema", url=safe_url(engine)))
    raise DatabaseError(Msg("db.old_schema", url=safe_url(engine), revision=revision, head=head_revision()))


def safe_url(engine: Engine) -> str:
    """The URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def connect(url: str | None = None, *, create: bool = False, readonly: bool = False) -> Engine:
    """Open the database and check its schema (creating it in an empty database when ``create``).

    Without ``create`` a SQLite file that does not exist is :class:`DatabaseNotFound` (and is not
    created); ``readonly`` opens it read-only (see :func:`open_engine`)."""
    if not create:
        path = database_file(_parsed(url))
        if path is not None and not path.is_file():
            raise DatabaseNotFound(path)
    engine = open_engine(url, readonly=readonly and not create)
    try:
        ensure_schema(engine, create=create)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(Msg("db.cannot_open", url=safe_url(engine), detail=str(exc))) from exc
    return engine


def _parsed(url: str | None) -> URL:
    try:
        return make_url(resolve_url(url))
    except Exception as exc:
        raise DatabaseError(_invalid_url(resolve_url(url), exc)) from exc


def _invalid_url(url: str, exc: Exception) -> Msg:
    """A URL SQLAlchemy cannot parse (shown without its password), with what it said."""
    return Msg("db.invalid_url", url=_safe(url), detail=str(exc), supported=_SUPPORTED_URLS)
