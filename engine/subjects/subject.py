"""The subject: what a rule is checked against — a record, or a subject built from records (an
officer-year, an agency-year). Sources make subjects; the pipeline evaluates them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ...models.issues import SourceRef


@dataclass
class Subject:
    """What a rule is checked against: a record, or a synthetic subject such as an officer-year."""

    kind: str
    id: str
    region_code: str | None
    source: SourceRef | None
    values: Any  # a record model (attribute access) or a dict
    key_date: dt.date | None = None

    def get(self, name: str) -> Any:
        if isinstance(self.values, dict):
            return self.values.get(name)
        fields = self.values.__dict__
        return fields[name] if name in fields else getattr(self.values, name, None)
