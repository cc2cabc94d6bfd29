"""The SQLite backend: the rules compiled to SQL (``engine/sql``) and run in an in-memory SQLite."""

from .backend import BACKEND

__all__ = ["BACKEND"]
