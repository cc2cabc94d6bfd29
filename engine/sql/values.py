"""How a subject's values sit in SQL columns, and which SQL type each column takes.

SQL has no type every dialect shares for dates or booleans, and the IR compares only scalars, so a
value is held as the scalar the comparisons mean: a date as its day number (``date.toordinal``, the
encoding the durable backend uses too), a boolean as 0/1, a number as itself, text as itself. A list
or any other value is only ever tested for presence (``present``/``missing``): it is held as 1, and a
comparison of one is refused (the rule loader's type check keeps such rules out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

#: the column kinds a value or literal falls in, and the SQL type family each takes (``dialects.py``)
INTEGER, REAL, TEXT = "integer", "real", "text"


class ValueTypeError(ValueError):
    """A value the SQL columns cannot hold as the comparisons mean it (a list compared, text and
    numbers under one name)."""


def encode(value: Any, compared: bool, name: str) -> Any:
    """The column value of one subject's value (None: missing)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        raise ValueTypeError(f"{name}: a date and time ({value.isoformat()}) has no SQL encoding here; dates only")
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, (int, float, str)):
        return value
    if compared:
        raise ValueTypeError(f"{name}: a {type(value).__name__} cannot be compared in SQL; only tested for presence")
    return 1


def kind_of(value: Any) -> str:
    """The column kind of an encoded value or a literal."""
    if isinstance(value, float):
        return REAL
    if isinstance(value, str):
        return TEXT
    return INTEGER


def column_kinds(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[str, str]:
    """The kind of each column over a batch of encoded rows: real when any value is a float, text
    when text, else integer (also for a column with no value in the batch)."""
    seen: list[set[str]] = [set() for _ in names]
    for row in rows:
        for position, value in enumerate(row):
            if value is not None:
                seen[position].add(kind_of(value))
    kinds: dict[str, str] = {}
    for name, found in zip(names, seen):
        if TEXT in found and len(found) > 1:
            raise ValueTypeError(f"{name}: holds text and numbers in one batch; a comparison of it would mean nothing")
        kinds[name] = TEXT if TEXT in found else REAL if REAL in found else INTEGER
    return kinds
