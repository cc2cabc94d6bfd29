"""The packs chosen for a subject, remembered per what the choice reads.

Which packs judge a subject, and why no local one does, depend only on its kind, region code and
the days it spans (``evaluate/coverage.py``: :func:`choice_key`) — a run of 100,000 records has a
few thousand such keys. Asking the catalog again for every subject cost about a tenth of a
check's evaluation; here the answers are kept per key. The answers are exactly the functions'
(``tests/test_pack_choice.py`` holds them equal over generated subjects).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..evaluate.coverage import choice_key, coverage_reason, packs_for
from ..rules.packs import Catalog, Pack

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
        key = choice_key(subject)
        chosen = self._packs.get(key)
        if chosen is None:
            if len(self._packs) >= MAX_KEYS:
                self._packs.clear()
            chosen = self._packs[key] = packs_for(self.catalog, subject, self.forced)
        return chosen

    def pack_ids(self, subject: Any) -> list[str]:
        """The ids of :meth:`packs` (a new list: reports keep it per subject)."""
        key = choice_key(subject)
        ids = self._ids.get(key)
        if ids is None:
            if len(self._ids) >= MAX_KEYS:
                self._ids.clear()
            ids = self._ids[key] = tuple(pack.id for pack in self.packs(subject))
        return list(ids)

    def reason(self, subject: Any) -> dict[str, str] | None:
        key = choice_key(subject)
        if key in self._reasons:
            return self._reasons[key]
        if len(self._reasons) >= MAX_KEYS:
            self._reasons.clear()
        reason = self._reasons[key] = coverage_reason(self.catalog, subject)
        return reason
