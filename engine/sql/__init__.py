"""The rules as SQL: the IR of ``rules/ir.py`` compiled through sqlglot's expression builder, so one
compiler serves SQLite, DuckDB, PostgreSQL and Spark SQL with a small overlay per dialect
(``dialects.py``) instead of hand-written dialect strings (issue #11).

``compile.py`` turns a kind's compiled rules into one ``SELECT`` with a ``CASE`` per rule in the IR's
branch order (``NULL``: the rule does not apply); ``values.py`` says how a subject's values are held in
columns (dates as day numbers, booleans as 0/1); ``runner.py`` runs the statement over a batch of
subjects in an in-process database, which is what the ``sqlite`` and ``duckdb`` backends are.
"""
