"""Record kinds, their fields' types and key dates, including synthetic subjects such as officer-years."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...models.kinds import KINDS
from ...models.records import FIELD_TYPES

#: Fields of the synthetic ``officer_year`` subject built from officers and their trainings.
OFFICER_YEAR_FIELDS: dict[str, str] = {
    "officer_id": "str",
    "name": "str",
    "year": "number",
    "year_start": "date",
    "year_end": "date",
    "sessions": "number",
    "training_days": "number",
    "legal_professional_hours": "number",
    "sessions_without_hours": "number",
    #: the year's training-session record ids, and those of legal/professional sessions without hours
    #: (evidence names the sessions a finding counted)
    "session_ids": "list",
    #: the days of each of the year's sessions whose length is known (``count_sessions_min_days``)
    "session_days": "list",
    "sessions_without_hours_ids": "list",
    "region_code": "str",
    "agency": "str",
}

#: Fields of the synthetic ``agency_year`` subject (name -> type), as the rule checker sees them.
AGENCY_YEAR_FIELDS: dict[str, str] = {
    "agency_id": "str",
    "name": "str",
    "level": "str",
    "agency_type": "str",
    "region_code": "str",
    "agency": "str",
    "year": "number",
    "next_year": "number",
    "year_start": "date",
    "year_end": "date",
    "existed_whole_year": "bool",
    "existed_until": "date",
    "report_submitted_on": "date",
    "report_published_on": "date",
    "reports": "number",
    "meeting_reports": "number",
    "study_meetings": "number",
    "lectures": "number",
    "training_courses": "number",
    "rc_trainings": "number",
    "counsel_engagements": "number",
    "counsel_uncovered_days": "number",
    "counsel_first_gap": "date",
    "case_file_reviews": "number",
    "filing_inspections": "number",
    "filing_catalogue_published_on": "date",
    "decision_catalogue_published_on": "date",
    "rc_full_time_staff": "number",
    "rc_staff_unknown": "number",
    "rc_decided": "number",
    "rc_resolved": "number",
    "rc_resolution_unknown": "number",
    "rc_resolution_judged": "number",
    "rc_resolution_rate": "number",
    "lawsuits_concluded": "number",
    "lawsuits_lost": "number",
    "lawsuit_outcome_unknown": "number",
    "lawsuit_loss_rate": "number",
    "area_lawsuits_concluded": "number",
    "area_lawsuits_lost": "number",
    "area_lawsuit_loss_rate": "number",
    "cleanup_finished_on": "date",
    "cleanup_published_on": "date",
}

BUILTIN_NAMES: dict[str, str] = {"as_of": "date", "key_date": "date"}


def _normalise_type(kind: str) -> str:
    return {"int": "number", "float": "number", "enum": "str"}.get(kind, kind)


def field_types(kind: str) -> dict[str, str]:
    """Field name -> type ("date", "number", "str", "bool", "list") for a record kind."""
    if kind == "officer_year":
        return dict(OFFICER_YEAR_FIELDS)
    if kind == "agency_year":
        return {name: _normalise_type(kind_) for name, kind_ in AGENCY_YEAR_FIELDS.items()}
    if kind not in FIELD_TYPES:
        raise KeyError(kind)
    return {name: _normalise_type(kind_) for name, kind_ in FIELD_TYPES[kind].items()}


def known_kinds() -> list[str]:
    """Every kind a rule may name: the record kinds and the subjects built from them."""
    return list(KINDS)


def key_date(kind: str, values: Any, as_of: dt.date | None) -> dt.date | None:
    """The date that places a record in a pack's period (rule-catalog.md "Packs"): the first present of
    its kind's key dates (models/kinds.py). A draft document is placed on the as-of day; a published
    one without its date is matched by region alone (its rules then say they cannot tell which were in
    force), never placed in the plan in force on --as-of. A decision not yet taken is judged as of today."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, None)
    info = KINDS.get(kind)
    if info is None:
        return None
    if info.as_of_when == "draft" and get("status") == "draft":
        return as_of
    day = next((day for day in (get(name) for name in info.key_dates) if day is not None), None)
    if day is None and info.as_of_when == "undated":
        return as_of
    return day
