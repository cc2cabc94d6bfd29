"""The SQLite backend: the rules compiled to SQL (``engine/sql``) and run in an in-memory SQLite.
It has no limits of its own, so loading rules does not import SQLite and sqlglot (``lazy_backend``)."""

from .. import lazy_backend

NO_LIMITS = True
__getattr__ = lazy_backend(__name__)
