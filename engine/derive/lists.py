"""Derive functions over values and lists: the first present value, counts of list items, reasons."""

from __future__ import annotations

from typing import Any

from .declare import derive


@derive(("any",), "any", needs_all=False, variadic=True)
def coalesce(*values: Any) -> Any:
    """The first present argument."""
    for value in values:
        if value is not None:
            return value
    return None


@derive(("str", "list"), "bool")
def reason_mentions(text: str, keywords: list) -> bool:
    """Whether a stated reason is one the source allows: any reason when ``keywords`` is empty, else
    one mentioning a keyword (措施16 exempts only drafts "依法需要保密的")."""
    return not keywords or any(keyword in text for keyword in keywords)


@derive(("list",), "int")
def count_items(items: list) -> int:
    """Length of a list field (missing list = missing)."""
    return len(items)


@derive(("list", "literal_list"), "int", needs_all=False)
def count_missing(items: list | None, wanted: list) -> int:
    """How many of the listed values the list field lacks (missing list = all lacking)."""
    present = set(items or ())
    return sum(1 for w in wanted if w not in present)


@derive(("list", "str"), "int")
def count_basis_type(basis: list, basis_type: str) -> int:
    """How many `basis` entries (objects or dicts with `type` and `ref`) have that `type`."""

    def type_of(entry):
        return entry.get("type") if isinstance(entry, dict) else getattr(entry, "type", None)

    return sum(1 for entry in basis if type_of(entry) == basis_type)
