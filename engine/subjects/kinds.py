"""Record kinds, their fields' types and key dates, including synthetic subjects such as officer-years."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    "sessions_without_hours_ids": "list",
    "region_code": "str",
    "agency": "str",
}

BUILTIN_NAMES: dict[str, str] = {"as_of": "date", "key_date": "date"}


def _normalise_type(kind: str) -> str:
    return {"int": "number", "float": "number", "enum": "str"}.get(kind, kind)


def field_types(kind: str) -> dict[str, str]:
    """Field name -> type ("date", "number", "str", "bool", "list") for a record kind."""
    if kind == "officer_year":
        return dict(OFFICER_YEAR_FIELDS)
    if kind == "agency_year":
        from .agency_years import AGENCY_YEAR_FIELDS

        return {name: _normalise_type(kind_) for name, kind_ in AGENCY_YEAR_FIELDS.items()}
    from ...models.records import FIELD_TYPES

    if kind not in FIELD_TYPES:
        raise KeyError(kind)
    return {name: _normalise_type(kind_) for name, kind_ in FIELD_TYPES[kind].items()}


def known_kinds() -> list[str]:
    from ...models.records import RECORD_MODELS

    return [*RECORD_MODELS, "officer_year", "agency_year"]


def key_date(kind: str, values: Any, as_of: dt.date | None) -> dt.date | None:
    """The date that places a record in a pack's period (rule-catalog.md "Packs")."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, None)
    if kind == "normative_document":
        if get("status") == "draft":
            return as_of
        # a published document without its date is matched by region alone (its rules then say
        # they cannot tell which were in force), never placed in the plan in force on --as-of
        return get("published_on")
    if kind in ("enforcement_case",):
        return get("decided_on") or get("opened_on")
    if kind == "reconsideration_case":
        return get("decided_on") or get("received_on")
    if kind == "major_decision":
        return get("decided_on") or as_of
    if kind == "officer_year":
        return get("year_start")
    if kind == "officer":
        return get("cert_issued_on") or get("exam_passed_on")
    if kind == "training_session":
        return get("start_on")
    if kind in AGENCY_KEY_DATES:
        return next((day for day in (get(name) for name in AGENCY_KEY_DATES[kind]) if day is not None), None)
    return None


#: Key dates of the agency registry and its registers: the date of the act the per-record rules judge
#: (the hearing for a court appearance, receipt for a recommendation or a disclosure request, the due
#: date for a plan task); agency-years themselves are placed by their calendar year.
AGENCY_KEY_DATES: dict[str, tuple[str, ...]] = {
    "agency": ("existed_from",),
    "annual_report": ("submitted_on", "published_on"),
    "administrative_lawsuit": ("hearing_on", "filed_on"),
    "publication": ("published_on",),
    "supervision_activity": ("held_on", "finished_on"),
    "study_session": ("held_on",),
    "legal_counsel": ("engaged_from",),
    "reconsideration_staff": ("serving_from",),
    "recommendation": ("received_on",),
    "disclosure_request": ("received_on",),
    "plan_task": ("due_on",),
    "agency_year": ("year_start",),
}
