"""Cross-record derive functions: a case joined with its officers' records and the documents it cites.

The joins themselves are made by the source before evaluation (``lookup_case_references``, for
records in memory and in the database alike); these functions declare them as their ``joins``
input, get those of the subject being derived (:class:`SubjectJoins`), and judge the joined records. A join is a LEFT JOIN on a key (officer id, normalised 文号), so a set-based backend
can express the same in SQL. A reference that found no record is counted apart (``*_unknown``)
so rules can make it indeterminate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...models.fields import normalize_doc_number
from .dates import stated_validity_end
from .declare import derive

#: What the join functions read of a referenced record (an officer by id, a document by 文号): an
#: audit loads only these columns of them (a test checks that the functions read nothing else).
REFERENCE_FIELDS = {
    "officer": ("cert_number", "cert_valid_until", "cert_issued_on", "exam_passed_on", "name"),
    "normative_document": (
        "doc_number_normalized",
        "published_on",
        "status",
        "effective_from",
        "valid_until",
        "validity_years",
    ),
}


@dataclass
class JoinResult:
    """case id -> officer id -> officer records; case id -> normalised 文号 -> documents."""

    officers: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(dict))
    documents: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(dict))

    def of(self, case_id: str) -> SubjectJoins:
        """The joins of one case (none for a subject that is not a case)."""
        return SubjectJoins(self.officers.get(case_id, {}), self.documents.get(case_id, {}))

    def only(self, case_ids: set[str]) -> JoinResult:
        """These cases' joins alone (what a worker is sent for its partition)."""
        part = JoinResult()
        part.officers.update({case: found for case, found in self.officers.items() if case in case_ids})
        part.documents.update({case: found for case, found in self.documents.items() if case in case_ids})
        return part


@dataclass(frozen=True)
class SubjectJoins:
    """What one case's references matched: officer id -> officer records, normalised 文号 -> documents
    (an empty list: the reference matched no record among those checked together)."""

    officers: Mapping[str, list]
    documents: Mapping[str, list]


def case_reference_keys(cases: Iterable) -> list[tuple[str, list[str], list[str]]]:
    """(case id, officer ids, cited normalised 文号) per case: the keys its joins look up."""
    return [(case.id, case_officer_ids(case.officers or []), cited_document_refs(case.basis or [])) for case in cases]


def lookup_case_references(
    keys: Iterable[tuple[str, list[str], list[str]]],
    officers_by_id: Mapping[str, list],
    documents_by_ref: Mapping[str, list],
) -> JoinResult:
    """The LEFT JOIN of cases on reference records the caller already found by key — a dictionary of
    the records checked together, or an audit's indexed lookups in the records database — for the
    cases' ``keys`` (:func:`case_reference_keys`); a key missing from the mappings matched no record."""
    result = JoinResult()
    for case_id, officer_ids, refs in keys:
        for officer_id in officer_ids:
            result.officers[case_id][officer_id] = list(officers_by_id.get(officer_id, ()))
        for ref in refs:
            result.documents[case_id][ref] = list(documents_by_ref.get(ref, ()))
    return result


def case_officer_ids(officers: list) -> list[str]:
    """The officer ids on a case (inline officer objects carry their own certificate instead)."""
    return [entry for entry in officers if isinstance(entry, str)]


def _inline_officers(officers: list) -> list[Any]:
    return [entry for entry in officers if not isinstance(entry, str)]


def certificate_valid_on(officer: Any, day: dt.date) -> bool:
    """Certificate valid that day, issued after passing the exam (rule-catalog.md EC-OFFICER-CERTIFIED)."""
    valid_until = getattr(officer, "cert_valid_until", None)
    if getattr(officer, "cert_number", None) in (None, "") or valid_until is None or valid_until < day:
        return False
    issued_on = getattr(officer, "cert_issued_on", None)
    if issued_on is not None and issued_on > day:
        return False
    exam_passed_on = getattr(officer, "exam_passed_on", None)
    return not (issued_on is not None and exam_passed_on is not None and exam_passed_on > issued_on)


@derive(("list", "date"), "int", uses=("joins",))
def officers_uncertified(joins: SubjectJoins, officers: list, day: dt.date) -> int:
    """How many of the case's known officers held no valid certificate on the day (unknown ids not counted)."""
    known = [record for officer_id in case_officer_ids(officers) for record in joins.officers.get(officer_id, [])[:1]]
    return sum(1 for officer in [*known, *_inline_officers(officers)] if not certificate_valid_on(officer, day))


@derive(("list",), "int", uses=("joins",))
def officers_unknown(joins: SubjectJoins, officers: list) -> int:
    """How many officer ids on the case have no officer record among the records checked together."""
    return sum(1 for officer_id in case_officer_ids(officers) if not joins.officers.get(officer_id, []))


def officer_label(officer_id: str | None, name: str | None) -> str:
    """How evidence names an officer: the id with the name when known (``of-1（张三）``), an inline
    officer by name, else by certificate number."""
    if officer_id and name:
        return f"{officer_id}（{name}）"
    return officer_id or name or ""


@derive(("list", "date"), "any", uses=("joins",))
def officers_uncertified_names(joins: SubjectJoins, officers: list, day: dt.date) -> list[str]:
    """Whom ``officers_uncertified`` counts: the known officers without a valid certificate on the day,
    in the case's order (evidence names them; the count alone does not say whom to look at)."""
    names = []
    for entry in officers:
        if isinstance(entry, str):
            found = joins.officers.get(entry, [])[:1]
            if found and not certificate_valid_on(found[0], day):
                names.append(officer_label(entry, getattr(found[0], "name", None)))
        elif not certificate_valid_on(entry, day):
            names.append(
                officer_label(None, getattr(entry, "name", None) or getattr(entry, "cert_number", None)) or "?"
            )
    return names


@derive(("list",), "any", uses=("joins",))
def officers_unknown_ids(joins: SubjectJoins, officers: list) -> list[str]:
    """The officer ids ``officers_unknown`` counts: those with no officer record among the records checked."""
    return [officer_id for officer_id in case_officer_ids(officers) if not joins.officers.get(officer_id, [])]


def cited_document_refs(basis: list) -> list[str]:
    """Normalised 文号 of the normative documents a case cites as its basis (objects or dicts)."""
    refs = []
    for entry in basis:
        get = entry.get if isinstance(entry, dict) else entry.__dict__.get
        ref = get("ref")
        if get("type") == "normative_document" and ref:
            refs.append(get("ref_normalized") or normalize_doc_number(ref))
    return refs


def document_in_force_on(document: Any, day: dt.date) -> bool:
    """Published on or before the day, not past its validity end, not repealed."""
    published_on = getattr(document, "published_on", None)
    if published_on is None or published_on > day:
        return False
    if getattr(document, "status", None) == "repealed":
        return False
    end = document_validity_end(document)
    return end is None or end >= day


def document_validity_end(document: Any) -> dt.date | None:
    effective = getattr(document, "effective_from", None) or getattr(document, "published_on", None)
    return stated_validity_end(
        getattr(document, "valid_until", None), getattr(document, "validity_years", None), effective
    )


@derive(("list", "date"), "int", uses=("joins",))
def basis_docs_not_in_force(joins: SubjectJoins, basis: list, day: dt.date) -> int:
    """How many cited normative documents found among the records were not in force on the day."""
    count = 0
    for ref in cited_document_refs(basis):
        documents = joins.documents.get(ref, [])
        if documents and not any(document_in_force_on(document, day) for document in documents):
            count += 1
    return count


@derive(("list",), "int", uses=("joins",))
def basis_docs_unknown(joins: SubjectJoins, basis: list) -> int:
    """How many cited normative-document refs match no document among the records checked together."""
    return sum(1 for ref in cited_document_refs(basis) if not joins.documents.get(ref, []))


def _cited_documents(basis: list) -> list[tuple[str, str]]:
    """(文号 as the case cites it, normalised 文号) of the normative documents in ``basis``."""
    cited = []
    for entry in basis:
        get = entry.get if isinstance(entry, dict) else entry.__dict__.get
        ref = get("ref")
        if get("type") == "normative_document" and ref:
            cited.append((str(ref), get("ref_normalized") or normalize_doc_number(ref)))
    return cited


@derive(("list", "date"), "any", uses=("joins",))
def basis_docs_not_in_force_refs(joins: SubjectJoins, basis: list, day: dt.date) -> list[str]:
    """The 文号 ``basis_docs_not_in_force`` counts, as the case cites them."""
    refs = []
    for written, ref in _cited_documents(basis):
        documents = joins.documents.get(ref, [])
        if documents and not any(document_in_force_on(document, day) for document in documents):
            refs.append(written)
    return refs


@derive(("list",), "any", uses=("joins",))
def basis_docs_unknown_refs(joins: SubjectJoins, basis: list) -> list[str]:
    """The 文号 ``basis_docs_unknown`` counts (no document among the records checked), as cited."""
    return [written for written, ref in _cited_documents(basis) if not joins.documents.get(ref, [])]


@derive(("list", "number"), "int")
def count_sessions_min_days(session_days: list, min_days: float) -> int:
    """Officer-year: how many of the year's sessions (their days, ``session_days``) lasted at least ``min_days`` days."""
    return sum(1 for days in session_days if days >= min_days)
