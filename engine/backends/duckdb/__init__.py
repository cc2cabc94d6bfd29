"""The DuckDB backend: the rules compiled to SQL (``engine/sql``) and run in an in-memory DuckDB."""

from .backend import BACKEND

__all__ = ["BACKEND"]
