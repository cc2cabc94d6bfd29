"""Lists of whom and what a cross-record finding rests on, as a reader sees them in either language.

EC-OFFICER-CERTIFIED used to say "uncertified: 1" without naming whom; its evidence now carries the
officers (``uncertified_officers``), EC-BASIS-IN-FORCE the 文号 it could not find or found not in
force, and so on. Messages and reports show such a list bounded: the first ``SHOWN`` and then
"等N人" / "and N more (N officers)", so a case with many officers keeps a readable line. JSON,
CSV, SARIF and JUnit keep the whole list.
"""

from __future__ import annotations

from typing import Any

#: how many names a message or report cell shows before "等N人" / "and N more"
SHOWN = 10

#: what the items of a list-valued evidence key are counted in (zh unit, en plural noun)
UNITS = {
    "uncertified_officers": ("人", "officers"),
    "unknown_officer_ids": ("人", "officers"),
    "docs_not_in_force_refs": ("件", "documents"),
    "docs_unknown_refs": ("件", "documents"),
    "same_number_ids": ("件", "documents"),
    "session_ids": ("次", "sessions"),
    "sessions_without_hours_ids": ("次", "sessions"),
}
DEFAULT_UNIT = ("项", "items")


def bounded_list(items: list[Any] | tuple[Any, ...], lang: str = "zh", key: str | None = None, show=str) -> str:
    """``items`` joined in ``lang`` (、 / ", "), the first ``SHOWN`` of them and then how many in all:
    "a、b、…、j等12人" / "a, b, …, j and 2 more (12 officers)"; "—" for none."""
    if not items:
        return "—"
    unit_zh, unit_en = UNITS.get(key or "", DEFAULT_UNIT)
    shown = [show(item) for item in items[:SHOWN]]
    if lang == "zh":
        text = "、".join(shown)
        return text if len(items) <= SHOWN else f"{text}等{len(items)}{unit_zh}"
    text = ", ".join(shown)
    return text if len(items) <= SHOWN else f"{text} and {len(items) - SHOWN} more ({len(items)} {unit_en})"
