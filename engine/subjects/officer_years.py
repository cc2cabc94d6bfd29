"""Officer-year subjects: one per officer and calendar year in which the officer's certificate was valid.

rule-catalog.md "Training": every officer whose certificate was valid at some time in year Y is
checked for Y, including officers with no training at all. The certificate is taken as valid from
``cert_issued_on`` (else ``exam_passed_on``) to ``cert_valid_until``; an open end runs to the as-of
year. An officer with no start date at all is checked for the years in which they trained (or
the as-of year when there are none), so no officer silently drops out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ..outcomes.results import SourceRef
from .subject import Subject

COUNTED_HOUR_KINDS = ("legal", "professional")


def certificate_years(officer, trained_years: Iterable[int], as_of: dt.date) -> list[int]:
    start = officer.cert_issued_on or officer.exam_passed_on
    end = officer.cert_valid_until
    last_year = as_of.year if end is None else min(end.year, as_of.year)
    if start is None:
        years = sorted(set(trained_years)) or [as_of.year]
        return [year for year in years if year <= last_year]
    return list(range(start.year, last_year + 1))


def officer_year_subjects(records: Iterable, as_of: dt.date) -> list[Subject]:
    records = list(records)
    sessions_by_officer: dict[str, list] = defaultdict(list)
    for record in records:
        if record.kind == "training_session" and record.officer_id:
            sessions_by_officer[record.officer_id].append(record)
    subjects: list[Subject] = []
    for officer in (r for r in records if r.kind == "officer"):
        sessions = sessions_by_officer.get(officer.id, [])
        by_year: dict[int, list] = defaultdict(list)
        for session in sessions:
            if session.start_on is not None:
                by_year[session.start_on.year].append(session)
        for year in certificate_years(officer, by_year, as_of):
            subjects.append(_subject(officer, year, by_year.get(year, [])))
    return subjects


def _subject(officer, year: int, sessions: list) -> Subject:
    days = [session.effective_days for session in sessions]
    counted = [session for session in sessions if session.training_kind in COUNTED_HOUR_KINDS]
    hours = [session.hours for session in counted]
    values = {
        "officer_id": officer.id,
        "name": officer.name,
        "year": year,
        "year_start": dt.date(year, 1, 1),
        "year_end": dt.date(year, 12, 31),
        "sessions": len(sessions),
        "training_days": None if any(d is None for d in days) else sum(days),
        "legal_professional_hours": sum(h for h in hours if h is not None),
        "sessions_without_hours": sum(1 for h in hours if h is None),
        "region_code": officer.region_code,
        "agency": officer.agency,
        "session_days": [d for d in days if d is not None],
        # sorted: an audit reads sessions in the database's order, a check in the input's
        "session_ids": sorted(session.id for session in sessions),
        "sessions_without_hours_ids": sorted(session.id for session in counted if session.hours is None),
    }
    return Subject(
        kind="officer_year",
        id=f"{officer.id}/{year}",
        region_code=officer.region_code,
        source=officer.source if isinstance(officer.source, SourceRef) else None,
        values=values,
        key_date=dt.date(year, 1, 1),
    )
