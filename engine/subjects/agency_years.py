"""Agency-year subjects: one per agency of the registry and calendar year in scope (issue #12).

rule-catalog.md "Agency-level obligations": every ``agency`` record is checked for every year in
scope, including agencies that recorded nothing that year; the subject id is ``<agency id>/<year>``.
The years in scope run from the earliest year any agency-level register row of the batch is dated
(at the latest the year before ``as_of``) to the ``as_of`` year, cut to the years the agency existed:
an auditor sees the agencies that did nothing in a year the others reported on. Whether a year is
judged at all is the packs' business (an annual requirement needs the pack in force the whole year).

Register rows find their agency by ``agency_id`` (the registry's 编号), else by ``agency`` (the name)
among the registry's agencies of the same region. A name two agencies of the region share, an id the
registry does not hold, or a name it does not know is an input warning naming the row: the row then
counts for no agency (never a silent guess). The values an agency-year carries are computed here, so
that the rules compare numbers and dates (docs/agency-years.md lists them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from ...messages import Msg
from ..outcomes.results import InputIssue, SourceRef
from .kinds import key_date
from .subject import Subject

#: the register kinds whose rows belong to an agency (reconsideration cases: the 复议机关)
AGENCY_REGISTER_KINDS = (
    "annual_report",
    "administrative_lawsuit",
    "publication",
    "supervision_activity",
    "study_session",
    "legal_counsel",
    "reconsideration_staff",
    "recommendation",
    "disclosure_request",
    "plan_task",
)
MATCHED_KINDS = (*AGENCY_REGISTER_KINDS, "reconsideration_case")
#: registers of spans (an engagement, a post held): their first day says nothing of the years audited
SPAN_KINDS = ("legal_counsel", "reconsideration_staff")

#: digits of the region code an agency's area spans, by level (GB/T 2260: 43 province, 4301 city, 430102 county)
AREA_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 6}

_SPACES = re.compile(r"\s+")


def _name_key(name: str | None) -> str | None:
    return _SPACES.sub("", name) if name else None


def _year_of(day: dt.date | None) -> int | None:
    return day.year if day is not None else None


def _warning(record, message: Msg) -> InputIssue:
    source = record.source if isinstance(record.source, SourceRef) else None
    field = "agency_id" if record.agency_id else "agency"
    return InputIssue(
        source.file if source else "<input>",
        source.line if source else None,
        field,
        message,
        record.id,
        code="agency_match",
    )


def match_agencies(agencies: list, records: Iterable) -> tuple[dict[str, list], list[InputIssue]]:
    """Register rows by the id of the registry agency they belong to, and the warnings of rows that
    belong to none: unknown id, unknown name, or a name two agencies of the region share."""
    by_id = {agency.id: agency for agency in agencies}
    by_name: dict[tuple[str, str], list] = defaultdict(list)
    for agency in agencies:
        for known in {key for key in (_name_key(agency.name), _name_key(agency.agency)) if key is not None}:
            by_name[(agency.region_code, known)].append(agency)
    matched: dict[str, list] = defaultdict(list)
    warnings: list[InputIssue] = []
    for record in records:
        if record.kind not in MATCHED_KINDS:
            continue
        register = record.kind != "reconsideration_case"
        if record.agency_id:
            if record.agency_id in by_id:
                matched[record.agency_id].append(record)
            else:
                warnings.append(_warning(record, Msg("agency.id_unknown", agency_id=record.agency_id)))
            continue
        name = _name_key(record.agency)
        if name is None:
            if register:
                warnings.append(_warning(record, Msg("agency.none_given")))
            continue
        candidates = by_name.get((record.region_code, name), [])
        if len(candidates) > 1:  # a body renamed or re-formed: the one that existed on the row's date
            day = key_date(record.kind, record, dt.date.max)
            existing = [
                agency
                for agency in candidates
                if day is not None
                and (agency.existed_from or dt.date.min) <= day <= (agency.existed_until or dt.date.max)
            ]
            candidates = existing if len(existing) == 1 else candidates
        if len(candidates) == 1:
            matched[candidates[0].id].append(record)
        elif len(candidates) > 1:
            ids = ", ".join(sorted(agency.id for agency in candidates))
            warnings.append(
                _warning(record, Msg("agency.ambiguous", agency=record.agency, region_code=record.region_code, ids=ids))
            )
        elif register:
            warnings.append(
                _warning(record, Msg("agency.unknown", agency=record.agency, region_code=record.region_code))
            )
    return matched, warnings


def scope_years(records: list, as_of: dt.date) -> tuple[int, int]:
    """First and last year in scope: the earliest year of an agency-level row (at the latest the year
    before ``as_of``) to the ``as_of`` year."""
    years = [
        day.year
        for record in records
        if record.kind in MATCHED_KINDS and record.kind not in SPAN_KINDS
        if (day := key_date(record.kind, record, as_of)) is not None and day <= as_of
    ]
    # a report or catalogue names the year it is on, usually the one before it was made
    years += [
        year
        for record in records
        for year in (getattr(record, "report_year", None), getattr(record, "covers_year", None))
        if year is not None and year <= as_of.year
    ]
    return min([*years, as_of.year - 1]), as_of.year


def agency_year_subjects(
    records: Iterable, as_of: dt.date, years: tuple[int, int] | None = None
) -> tuple[list[Subject], list[InputIssue]]:
    """Every registry agency × every year in scope, with the warnings of rows matched to no agency.
    Without agency records nothing is built (and nothing warned)."""
    records = list(records)
    agencies = [record for record in records if record.kind == "agency"]
    if not agencies:
        return [], []
    matched, warnings = match_agencies(agencies, records)
    first, last = years or scope_years(records, as_of)
    lawsuits_by_region: dict[str, list] = defaultdict(list)
    for agency_rows in matched.values():
        for row in agency_rows:
            if row.kind == "administrative_lawsuit":
                lawsuits_by_region[row.region_code].append(row)
    subjects = []
    for agency in agencies:
        start = max(first, agency.existed_from.year if agency.existed_from else first)
        end = min(last, agency.existed_until.year if agency.existed_until else last)
        rows = matched.get(agency.id, [])
        area = _area_lawsuits(agency, lawsuits_by_region)
        for year in range(start, end + 1):
            subjects.append(_subject(agency, year, rows, area, as_of))
    return subjects, warnings


def _area_lawsuits(agency, lawsuits_by_region: dict[str, list]) -> list:
    """Lawsuits of every registry agency in the government's area (全市 of panjin-2010 cl.39)."""
    if agency.agency_type != "government":
        return []
    prefix = agency.region_code[: AREA_DIGITS.get(agency.level or "county", 6)]
    return [row for region, rows in lawsuits_by_region.items() if region.startswith(prefix) for row in rows]


def _count(rows: list, kind: str, field: str, code: str, year: int, day_field: str = "held_on") -> int:
    return sum(
        1
        for row in rows
        if row.kind == kind and getattr(row, field) == code and _year_of(getattr(row, day_field)) == year
    )


def _earliest(days: Iterable[dt.date | None]) -> dt.date | None:
    present = [day for day in days if day is not None]
    return min(present) if present else None


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _uncovered(intervals: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> tuple[int, dt.date | None]:
    """Days of ``start``..``end`` no interval covers, and the first of them."""
    uncovered, first_gap, day = 0, None, start
    for low, high in sorted(intervals):
        if high < day:
            continue
        if low > end:
            break
        if low > day:
            uncovered += (low - day).days
            first_gap = first_gap or day
        if high >= end:
            day = end + dt.timedelta(days=1)
            break
        day = max(day, high + dt.timedelta(days=1))
    if day <= end:
        uncovered += (end - day).days + 1
        first_gap = first_gap or day
    return uncovered, first_gap


def _report_year(report) -> int | None:
    """The year a report is on: its 报告年度, else the year before it was sent (or published)."""
    if report.report_year is not None:
        return report.report_year
    sent = report.submitted_on or report.published_on
    return sent.year - 1 if sent else None


def _subject(agency, year: int, rows: list, area: list, as_of: dt.date) -> Subject:
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    exists_from = max(year_start, agency.existed_from or year_start)
    exists_until = min(year_end, agency.existed_until or year_end)
    reports = [row for row in rows if row.kind == "annual_report" and _report_year(row) == year]
    counsel = [
        (row.engaged_from or dt.date.min, row.engaged_until or dt.date.max)
        for row in rows
        if row.kind == "legal_counsel"
    ]
    uncovered, first_gap = _uncovered(counsel, exists_from, min(exists_until, as_of))
    staff = [
        row
        for row in rows
        if row.kind == "reconsideration_staff"
        and (row.serving_from or dt.date.min) <= year_end
        and (row.serving_until or dt.date.max) >= year_end
    ]
    decided = [row for row in rows if row.kind == "reconsideration_case" and _year_of(row.decided_on) == year]
    resolved = sum(1 for row in decided if row.dispute_resolved is True)
    unknown_resolution = sum(1 for row in decided if row.dispute_resolved is None)
    concluded = [row for row in rows if row.kind == "administrative_lawsuit" and _year_of(row.concluded_on) == year]
    area_concluded = [row for row in area if _year_of(row.concluded_on) == year and row.lawsuit_outcome]
    judged = [row for row in concluded if row.lawsuit_outcome]
    lost = sum(1 for row in judged if row.lawsuit_outcome == "lost")
    area_lost = sum(1 for row in area_concluded if row.lawsuit_outcome == "lost")

    def published(code: str, default_offset: int) -> dt.date | None:
        return _earliest(
            row.published_on
            for row in rows
            if row.kind == "publication"
            and row.publication_type == code
            and (row.covers_year if row.covers_year is not None else (_year_of(row.published_on) or 0) - default_offset)
            == year
        )

    cleanups = [
        row.finished_on or row.held_on
        for row in rows
        if row.kind == "supervision_activity" and row.activity_type == "document_cleanup"
    ]
    values = {
        "agency_id": agency.id,
        "name": agency.name or agency.agency,
        "level": agency.level,
        "agency_type": agency.agency_type,
        "region_code": agency.region_code,
        "agency": agency.name or agency.agency,
        "year": year,
        "next_year": year + 1,
        "year_start": year_start,
        "year_end": year_end,
        "existed_whole_year": exists_from == year_start and exists_until == year_end,
        "existed_until": agency.existed_until,
        "report_submitted_on": _earliest(row.submitted_on for row in reports),
        "report_published_on": _earliest(row.published_on for row in reports),
        "reports": len(reports),
        "meeting_reports": _count(rows, "supervision_activity", "activity_type", "meeting_report", year),
        "study_meetings": _count(rows, "study_session", "study_type", "meeting_study", year),
        "lectures": _count(rows, "study_session", "study_type", "lecture", year),
        "training_courses": _count(rows, "study_session", "study_type", "training_course", year),
        "rc_trainings": _count(rows, "study_session", "study_type", "rc_training", year),
        "counsel_engagements": len(counsel),
        "counsel_uncovered_days": uncovered,
        "counsel_first_gap": first_gap,
        "case_file_reviews": _count(rows, "supervision_activity", "activity_type", "case_file_review", year),
        "filing_inspections": _count(rows, "supervision_activity", "activity_type", "filing_inspection", year),
        # the catalogue of the documents filed in ``year``, published in the next year's first quarter
        "filing_catalogue_published_on": published("filing_catalogue", 1),
        # the year's own catalogue of major decisions
        "decision_catalogue_published_on": published("decision_catalogue", 0),
        "rc_full_time_staff": sum(1 for row in staff if row.full_time is True),
        "rc_staff_unknown": sum(1 for row in staff if row.full_time is None),
        "rc_decided": len(decided),
        "rc_resolved": resolved,
        "rc_resolution_unknown": unknown_resolution,
        "rc_resolution_judged": len(decided) - unknown_resolution,
        "rc_resolution_rate": _rate(resolved, len(decided) - unknown_resolution),
        "lawsuits_concluded": len(judged),
        "lawsuits_lost": lost,
        "lawsuit_outcome_unknown": len(concluded) - len(judged),
        "lawsuit_loss_rate": _rate(lost, len(judged)),
        "area_lawsuits_concluded": len(area_concluded),
        "area_lawsuits_lost": area_lost,
        "area_lawsuit_loss_rate": _rate(area_lost, len(area_concluded)),
        "cleanup_finished_on": max((day for day in cleanups if day is not None and day <= year_end), default=None),
        "cleanup_published_on": max(
            (
                row.published_on
                for row in rows
                if row.kind == "publication"
                and row.publication_type == "cleanup_result"
                and row.published_on
                and row.published_on <= year_end
            ),
            default=None,
        ),
    }
    return Subject(
        kind="agency_year",
        id=f"{agency.id}/{year}",
        region_code=agency.region_code,
        source=agency.source if isinstance(agency.source, SourceRef) else None,
        values=values,
        key_date=year_start,
    )
