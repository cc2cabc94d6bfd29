"""How a derive function says what it reads: its arguments' types, its result's, and its inputs beyond them.

A derive function is a plain function of what a rule passes it (fields, derived values, parameters,
literals). When it needs more, it names it in ``uses`` and takes it as leading parameters, in the
order of :data:`CONTEXT_INPUTS`, under the same names; nothing else reaches it:

- ``calendar``: the run's :class:`~fzcheck.engine.derive.calendar.LegalCalendar`;
- ``counts``: the run's :class:`~fzcheck.engine.derive.batch.BatchCounts` (values over the records
  checked together);
- ``joins``: the :class:`~fzcheck.engine.derive.joins.SubjectJoins` of the subject being derived.

A function that computes a deadline returns the :class:`~fzcheck.engine.derive.calendar.Deadline`
itself (``notes=True``): the evaluator keeps its date as the value and, beside it, why it moved and
whether it rests on a provisional day — no side channel. Modules only mark their functions
(:func:`derive`); ``registry.py`` collects them from the modules it lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ARG_TYPES = ("date", "int", "number", "bool", "str", "list", "any", "literal_list")
RETURN_TYPES = ("date", "int", "number", "bool", "str", "any")
#: what a function may read besides its arguments, in the order its leading parameters take them
CONTEXT_INPUTS = ("calendar", "counts", "joins")


@dataclass(frozen=True)
class DeriveFunction:
    name: str
    arg_types: tuple[str, ...]
    returns: str
    #: the function with None for a missing argument when ``needs_all`` (its result is then missing)
    impl: Callable[..., Any]
    #: the function itself
    plain: Callable[..., Any]
    uses: tuple[str, ...] = ()
    variadic: bool = False
    #: counts over the records checked together: the rule's first argument names the field counted
    batch: bool = False
    #: returns a Deadline: its date is the value, its notes are shown beside it
    notes: bool = False
    needs_all: bool = True
    doc: str = ""


def derive(
    arg_types: tuple[str, ...],
    returns: str,
    *,
    uses: tuple[str, ...] = (),
    needs_all: bool = True,
    variadic: bool = False,
    batch: bool = False,
    notes: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a function as a derive function (``registry.py`` collects it); with ``needs_all`` its
    result is missing as soon as an argument is."""
    unknown = [name for name in uses if name not in CONTEXT_INPUTS]
    if unknown or list(uses) != sorted(uses, key=CONTEXT_INPUTS.index):
        raise ValueError(f"uses must be some of {CONTEXT_INPUTS}, in that order: {uses}")

    def mark(plain: Callable[..., Any]) -> Callable[..., Any]:
        lead = len(uses)

        def guarded(*args: Any) -> Any:
            return None if None in args[lead:] else plain(*args)

        plain.__derive__ = DeriveFunction(  # type: ignore[attr-defined]
            plain.__name__,
            arg_types,
            returns,
            guarded if needs_all else plain,
            plain,
            uses,
            variadic,
            batch,
            notes,
            needs_all,
            (plain.__doc__ or "").strip(),
        )
        return plain

    return mark
