"""The packs chosen for a subject, remembered per what the choice reads.

Which packs judge a subject, and why no local one does, depend only on its kind, region code and
the days it spans (``evaluate/coverage.py``: :func:`choice_key`) — a run of 100,000 records has a
few thousand such keys. Asking the catalog again for every subject cost about a tenth of a
check's evaluation; here the answers are kept per key. The answers are exactly the functions'
(``tests/test_pack_choice.py`` holds them equal over generated subjects).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..evaluate.coverage import choice_key, coverage_reason, packs_for
from ..rules.packs import Catalog, Pack

T = TypeVar("T")

#: keys kept before the memo starts again (a run over many years and regions stays far below)
MAX_KEYS = 1 << 16


class PackChoices:
    """``packs_for`` and ``coverage_reason`` of one catalog (and the packs ``--ruleset`` forced), per choice key."""

    def __init__(self, catalog: Catalog, forced: Sequence[Pack] | None):
        self.catalog = catalog
        self.forced = forced
        self._packs: dict[tuple, list[Pack]] = {}
        self._ids: dict[tuple, tuple[str, ...]] = {}
        self._reasons: dict[tuple, dict[str, str] | None] = {}

    def packs(self, subject: Any) -> list[Pack]:
        return _remember(self._packs, choice_key(subject), lambda: packs_for(self.catalog, subject, self.forced))

    def pack_ids(self, subject: Any) -> list[str]:
        """The ids of :meth:`packs` (a new list: reports keep it per subject)."""
        ids = _remember(self._ids, choice_key(subject), lambda: tuple(pack.id for pack in self.packs(subject)))
        return list(ids)

    def reason(self, subject: Any) -> dict[str, str] | None:
        return _remember(self._reasons, choice_key(subject), lambda: coverage_reason(self.catalog, subject))


_UNSET: Any = object()


def _remember(memo: dict[tuple, T], key: tuple, compute: Callable[[], T]) -> T:
    """``memo[key]``, computed first if missing (the memo starts again past MAX_KEYS keys)."""
    found = memo.get(key, _UNSET)
    if found is _UNSET:
        if len(memo) >= MAX_KEYS:
            memo.clear()
        found = memo[key] = compute()
    return found
