"""Cross-record joins on durable-rules: a case's officer ids with officer records, its cited 文号 with documents.

Reference facts (officers, documents) stay resident in one session while link facts (one per
case-officer or case-citation pair) are asserted and retracted in chunks, as the notes measured
(10k documents + 100k cases exact). The join rules compare a link's key with a reference fact's
key (``{"$m": ...}`` on the link pattern), so matching happens in the engine whatever the order
of the records in the input or across files. A link that matched nothing is a reference to a
record that was not checked together: rules make that indeterminate.
"""

from __future__ import annotations

import functools
import itertools

from durable.engine import MessageObservedException

from ...derive.joins import JoinResult, case_reference_keys
from .host import CHUNK, DurableRuleset, EngineError, Match, assert_facts, new_host, retract_facts

JOIN_RULES = {
    "officer_join": {
        "all": [
            {"link": {"kind": "case_officer"}},
            {"ref": {"$and": [{"kind": "officer_ref"}, {"key": {"link": "key"}}]}},
        ]
    },
    "document_join": {
        "all": [
            {"link": {"kind": "case_document"}},
            {"ref": {"$and": [{"kind": "document_ref"}, {"key": {"link": "key"}}]}},
        ]
    },
    "seen": {"all": [{"m": {"$or": [{"kind": "case_officer"}, {"kind": "case_document"}]}}]},
    "reference": {"all": [{"m": {"$or": [{"kind": "officer_ref"}, {"kind": "document_ref"}]}}]},
}


_sessions = itertools.count()


@functools.cache
def _join_ruleset():
    """The join rules, registered once per process (registering compiles them in the C extension)."""
    host = new_host()
    joins = DurableRuleset(host, JOIN_RULES)
    return host.get_ruleset(joins.name), host, joins.name


def join_case_references(records: list) -> JoinResult:
    """Run the joins for every enforcement case among ``records``."""
    result = JoinResult()
    links: list[tuple[str, str, str]] = []  # (link kind, case id, key)
    for case_id, officer_ids, refs in case_reference_keys(r for r in records if r.kind == "enforcement_case"):
        for officer in officer_ids:
            links.append(("case_officer", case_id, officer))
            result.officers[case_id].setdefault(officer, [])
        for ref in refs:
            links.append(("case_document", case_id, ref))
            result.documents[case_id].setdefault(ref, [])
    if not links:
        return result
    references: list[tuple[str, str, object]] = []
    for record in records:
        if record.kind == "officer":
            references.append(("officer_ref", record.id, record))
        elif record.kind == "normative_document" and getattr(record, "doc_number_normalized", None):
            references.append(("document_ref", record.doc_number_normalized, record))

    matches: list[tuple[str, str]] = []
    seen: list[str] = []

    def on_match(action_name: str, found: list[Match]) -> None:
        if action_name in ("officer_join", "document_join"):
            matches.extend((pair.link.id, pair.ref.id) for pair in found)
        else:
            seen.extend(match.m.id for match in found)

    ruleset, host, name = _join_ruleset()
    sid = f"j{next(_sessions)}"
    reference_facts = [
        {"id": f"r{i}", "sid": sid, "kind": kind, "key": key} for i, (kind, key, _) in enumerate(references)
    ]

    def assert_all(facts: list[dict]) -> None:
        """Assert a batch; on a false duplicate (32-bit hash, notes/durable-rules.md) go fact by fact."""
        try:
            assert_facts(ruleset, facts, on_match)
        except MessageObservedException:
            for fact in facts:
                try:
                    assert_facts(ruleset, [fact], on_match)
                except MessageObservedException:
                    pass  # asserted by the batch before it stopped

    try:
        for start in range(0, len(reference_facts), CHUNK):
            assert_all(reference_facts[start : start + CHUNK])
        if len(set(seen)) != len(reference_facts):
            raise EngineError("the join engine did not keep every officer and document record")
        for start in range(0, len(links), CHUNK):
            chunk = [
                {"id": f"l{start + i}", "sid": sid, "kind": kind, "key": key}
                for i, (kind, _, key) in enumerate(links[start : start + CHUNK])
            ]
            seen.clear()
            assert_all(chunk)
            if {fact["id"] for fact in chunk} - set(seen):
                raise EngineError("the join engine did not process every case reference")
            retract_facts(ruleset, chunk, on_match)
    finally:
        host.delete_state(name, sid)
    for link_id, reference_id in matches:
        kind, case_id, key = links[int(link_id[1:])]
        record = references[int(reference_id[1:])][2]
        target = result.officers if kind == "case_officer" else result.documents
        target[case_id][key].append(record)
    return result
