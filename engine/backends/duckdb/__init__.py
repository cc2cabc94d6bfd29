"""The DuckDB backend: the rules compiled to SQL (``engine/sql``) and run in an in-memory DuckDB.
It has no limits of its own, so loading rules does not import DuckDB and sqlglot (``lazy_backend``)."""

from .. import lazy_backend

NO_LIMITS = True
__getattr__ = lazy_backend(__name__)
