"""The DuckDB backend: the rules compiled to SQL (``engine/sql``) and run in an in-memory DuckDB.

``BACKEND`` is made on first use: the registry asks every backend for its limits whenever rules are
loaded, and this one has none (``NO_LIMITS``), so loading rules need not import DuckDB and sqlglot.
"""

from __future__ import annotations

from typing import Any

NO_LIMITS = True


def __getattr__(name: str) -> Any:
    if name == "BACKEND":
        from .backend import BACKEND  # noqa: PLC0415 (the database and sqlglot loaded when the backend is used)

        return BACKEND
    raise AttributeError(name)
