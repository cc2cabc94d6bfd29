"""The packs chosen for a subject, remembered per what the choice reads.

Which packs judge a subject, and why no local one does, depend only on its kind, region code and
the days it spans (``evaluate/coverage.py``: :func:`choice_key`) — a run of 100,000 records has a
few thousand such keys. Asking the catalog again for every subject cost about a tenth of a
check's evaluation; here the answers are kept per key. The answers are exactly the functions'
(``tests/test_pack_choice.py`` holds them equal over generated subjects).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..evaluate.coverage import choice_key, coverage_reason, packs_for
from ..rules.packs import Catalog, Pack

#: keys kept before the memo starts again (a run over many years and regions stays far below)
MAX_KEYS = 1 << 16


class PackChoice(NamedTuple):
    """What is chosen for a subject: the packs that judge it, their ids, and why no local pack does
    (None when one does)."""

    packs: list[Pack]
    pack_ids: tuple[str, ...]
    reason: dict[str, str] | None


class PackChoices:
    """``packs_for`` and ``coverage_reason`` of one catalog (and the packs ``--ruleset`` forced), per choice key."""

    def __init__(self, catalog: Catalog, forced: Sequence[Pack] | None):
        self.catalog = catalog
        self.forced = forced
        self._choices: dict[tuple, PackChoice] = {}

    def of(self, subject: Any) -> PackChoice:
        key = choice_key(subject)
        choice = self._choices.get(key)
        if choice is None:
            if len(self._choices) >= MAX_KEYS:
                self._choices.clear()
            packs = packs_for(self.catalog, subject, self.forced)
            choice = PackChoice(packs, tuple(pack.id for pack in packs), coverage_reason(self.catalog, subject))
            self._choices[key] = choice
        return choice
