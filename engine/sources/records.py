"""Records held in memory (files read by ``check``, a draft sent to ``serve``) as a source of subjects:
the records themselves, the officer-years and agency-years they make, and the batch facts that
cross-record rules read — value counts (``count_same``) and the case joins.

The database is the other source (``sources/database.py``): it gives the same subjects and the same
batch facts for a region's records, by SQL. Both build the join with one implementation,
``derive.joins.lookup_case_references``: a LEFT JOIN of each case's officer ids and cited 文号 on the
reference records, which here are found by dictionary and there by indexed lookups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ...models.issues import InputIssue
from ..derive.joins import JoinResult, case_reference_keys, lookup_case_references
from ..subjects.agency_years import agency_year_subjects
from ..subjects.kinds import key_date
from ..subjects.officer_years import officer_year_subjects
from ..subjects.subject import Subject


def subjects_from_records(records: Iterable, as_of: dt.date, warnings: list[InputIssue] | None = None) -> list[Subject]:
    """Records as subjects, with the officer-years and agency-years they make; the warnings of
    register rows matched to no agency go to ``warnings`` when given."""
    records = list(records)
    subjects = [
        Subject(
            kind=record.kind,
            id=record.id,
            region_code=record.region_code,
            source=record.source,
            values=record,
            key_date=key_date(record.kind, record, as_of),
        )
        for record in records
    ]
    subjects.extend(officer_year_subjects(records, as_of))
    agency_years, unmatched = agency_year_subjects(records, as_of)
    subjects.extend(agency_years)
    if warnings is not None:
        warnings.extend(unmatched)
    return subjects


def join_records(records: Sequence) -> JoinResult:
    """Every enforcement case among ``records`` joined with the officers (by id) and the normative
    documents (by normalised 文号) among them, each key's matches in the order the records were given."""
    officers_by_id: dict[str, list] = defaultdict(list)
    documents_by_ref: dict[str, list] = defaultdict(list)
    for record in records:
        if record.kind == "officer":
            officers_by_id[record.id].append(record)
        elif record.kind == "normative_document" and getattr(record, "doc_number_normalized", None):
            documents_by_ref[record.doc_number_normalized].append(record)
    cases = (record for record in records if record.kind == "enforcement_case")
    return lookup_case_references(case_reference_keys(cases), officers_by_id, documents_by_ref)


def batch_values(subjects: Sequence[Subject], fields: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """(kind, field) -> (the field's values, the subjects' ids) over the subjects of that kind: what
    ``count_same`` and ``same_value_ids`` count over."""
    by_kind: dict[str, list[Subject]] = defaultdict(list)
    for subject in subjects:
        by_kind[subject.kind].append(subject)
    return {
        (kind, name): ([s.get(name) for s in by_kind[kind]], [s.id for s in by_kind[kind]])
        for kind, name in sorted(set(fields))
    }
