"""Counts over the records checked together (``count_same``): a 文号 used twice, and by whom.

The engine indexes a field's values over every record of a kind checked together — the records
given to ``check``, or an audit's region in the database — before any subject is derived; the batch
functions read the index, declared as their ``counts`` input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ...models.fields import normalize_doc_number
from .declare import derive


class BatchCounts:
    """(kind, field) -> value -> how many records hold it, and which when more than one does."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], Counter] = {}
        #: (kind, field) -> value -> the ids of the records holding it, for values held more than once
        self._ids: dict[tuple[str, str], dict[Any, list[str]]] = {}

    def index(self, kind: str, field: str, values: Iterable, ids: Iterable[str] | None = None) -> None:
        """Store the values of ``field`` over all records of ``kind`` checked together (replaces any earlier
        index); with ``ids`` (the records' ids, in the same order) also which records share a value, so
        evidence can name them (``same_value_ids``), kept only for values held more than once (duplicates
        are few; the ids of unique values are dropped once counted)."""
        if ids is None:
            self._counts[(kind, field)] = Counter(
                key for key in (_batch_key(field, v) for v in values) if key is not None
            )
            return
        counts: Counter = Counter()
        holders: dict[Any, list[str]] = {}
        for value, record_id in zip(values, ids):
            key = _batch_key(field, value)
            if key is None:
                continue
            counts[key] += 1
            holders.setdefault(key, []).append(record_id)
        self._counts[(kind, field)] = counts
        # sorted: an audit reads the rows in the database's order, a check in the input's; both name them alike
        self._ids[(kind, field)] = {key: sorted(set(kept)) for key, kept in holders.items() if counts[key] > 1}

    def ids(self, kind: str, field: str, value: Any) -> list[str]:
        """The ids of the records holding ``value``, when it is held more than once (else none)."""
        if (kind, field) not in self._ids:
            raise LookupError(f"batch ids not indexed for {kind}.{field}; call index with ids first")
        key = _batch_key(field, value)
        return list(self._ids[(kind, field)].get(key, [])) if key is not None else []

    def count(self, kind: str, field: str, value: Any) -> int:
        try:
            counts = self._counts[(kind, field)]
        except KeyError:
            raise LookupError(f"batch not indexed for {kind}.{field}; call index first") from None
        key = _batch_key(field, value)
        return counts[key] if key is not None else 0


def _batch_key(field: str, value: Any) -> Any:
    if field == "doc_number" and isinstance(value, str):
        return normalize_doc_number(value)
    return value


@derive(("any",), "int", uses=("counts",), batch=True)
def count_same(counts: BatchCounts, kind: str, field: str, value: Any) -> int:
    """How many records of this kind checked together have the same value of `field` (normalised 文号 for doc_number)."""
    return counts.count(kind, field, value)


@derive(("any",), "any", uses=("counts",), batch=True)
def same_value_ids(counts: BatchCounts, kind: str, field: str, value: Any) -> list[str]:
    """The ids of the records of this kind checked together that share the value of `field` (normalised
    文号 for doc_number), this one included, when more than one does: whom ``count_same`` counted."""
    return counts.ids(kind, field, value)
