"""Which packs judge a subject, and the warning when no local pack does (cli.md: no silent gaps).

A local pack is chosen by region prefix and by date: from the day its document was issued to the
end of the period it plans for (rule-catalog.md "Packs"); an annual subject (an officer-year) only
when the pack was in force for the whole year; a draft pack never (only ``--ruleset`` names it).
``national`` has no region and no period: its rules start at their own laws' effective dates. A
subject that no local pack covers is still checked against ``national``, and the run says so,
naming the subject and why — a reviewer must never read "no violations" where fzcheck could not
apply the plan at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..outcomes.counts import CoverageCount
from ..outcomes.results import InputIssue
from ..rules.packs import Catalog, Pack, Rule

#: subjects that span a calendar year: a pack judges them only for years it is in force throughout
ANNUAL_KINDS = ("officer_year", "agency_year")


def subject_days(subject) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a subject spans: its key date, or a whole year for an officer-year."""
    if subject.kind in ANNUAL_KINDS:
        year = subject.get("year")
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (subject.key_date, None)
    return subject.key_date, None


def choice_key(subject) -> tuple:
    """Everything :func:`packs_for` and :func:`coverage_reason` read of a subject (what
    ``speed/pack_choice.py`` remembers their answers by)."""
    first, last = subject_days(subject)
    year = subject.get("year") if subject.kind in ANNUAL_KINDS else None
    return (subject.kind, subject.region_code, first, last, year)


def packs_for(catalog: Catalog, subject, forced: Sequence[Pack] | None) -> list[Pack]:
    """The packs that judge ``subject``: the forced ones (what-if), else those covering its region and date."""
    if forced is not None:
        return [pack for pack in forced if pack.rules_for(subject.kind)]
    first, last = subject_days(subject)
    return [
        pack
        for pack in catalog.packs.values()
        if pack.rules_for(subject.kind) and pack.covers(subject.region_code, first, last)
    ]


def _local(pack: Pack) -> bool:
    return bool(pack.meta.region_prefix)


def coverage_reason(catalog: Catalog, subject) -> dict[str, str] | None:
    """Why no local pack covers the subject (zh/en), or None when one does."""
    first, last = subject_days(subject)
    region = subject.region_code
    in_region = [pack for pack in catalog.packs.values() if _local(pack) and pack.covers_region(region)]
    adopted = [pack for pack in in_region if not pack.is_draft]
    if any(pack.covers(region, first, last) for pack in adopted):
        return None
    if subject.kind in ANNUAL_KINDS:
        when_zh, when_en = f"{subject.get('year')}年度", f"the year {subject.get('year')}"
    else:
        when_zh = f"该记录的日期{first.isoformat()}" if first else "该记录的日期"
        when_en = f"its date {first.isoformat()}" if first else "its date"
    if not adopted:
        zh = [f"没有适用于行政区划{region or '—'}的地方规则集"]
        en = [f"no local ruleset applies to region {region or '—'}"]
    else:
        zh, en = [], []
        for pack in adopted:
            start, end = pack.meta.binds_from, pack.meta.period.to if pack.meta.period else None
            span_zh = f"{start.isoformat() if start else '…'}至{end.isoformat() if end else '…'}"
            span_en = f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"
            whole = "（年度要求须全年在适用期内）" if subject.kind in ANNUAL_KINDS else ""
            whole_en = " (an annual requirement needs the whole year inside it)" if subject.kind in ANNUAL_KINDS else ""
            zh.append(f"{pack.meta.title}（{pack.id}）的适用期为{span_zh}{whole}，不含{when_zh}")
            en.append(f"{pack.id} applies from {span_en}{whole_en}, which does not include {when_en}")
    for pack in in_region:
        if pack.is_draft:
            zh.append(f"{pack.id}为征求意见稿，仅在以 --ruleset {pack.id} 指定时适用")
            en.append(f"{pack.id} is a consultation draft, applied only when named with --ruleset {pack.id}")
    return {"zh": "；".join(zh), "en": "; ".join(en)}


COVERAGE_TEXT = {
    "zh": "{record} 仅按国家规则检查：{reason}",
    "en": "{record} checked against national rules only: {reason}",
}


def coverage_warning(catalog: Catalog, subject, lang: str = "zh") -> InputIssue | None:
    """The coverage warning of cli.md for one subject, or None when a local pack covers it."""
    reason = coverage_reason(catalog, subject)
    return None if reason is None else coverage_issue(subject, reason, lang)


def coverage_issue(subject, reason: dict[str, str], lang: str = "zh") -> InputIssue:
    """The coverage warning of a subject no local pack covers, for ``reason`` (:func:`coverage_reason`)."""
    source = subject.source
    message = COVERAGE_TEXT[lang].format(record=subject.id, reason=reason[lang])
    return InputIssue(
        source.file if source else "",
        source.line if source else None,
        None,
        message,
        record_id=subject.id,
        code="coverage",
    )


@dataclass(frozen=True)
class RuleInForce:
    """One rule as ``rules which`` reports it for a region and an act date."""

    pack: Pack
    rule: Rule
    starts_on: dt.date | None
    in_force: bool


def rules_which(
    catalog: Catalog, region_code: str, day: dt.date, kind: str | None = None
) -> tuple[list[Pack], list[RuleInForce], dict[str, str] | None]:
    """The packs a record of ``region_code`` with key date ``day`` is checked against, each rule with
    the first act date it binds (its law's date, its pack's issue date) and whether an act of ``day``
    falls in it, and the coverage reason when no local pack covers the record (cli.md ``rules which``)."""
    probe = _Probe(kind or "normative_document", region_code, day)
    chosen = [
        pack
        for pack in catalog.packs.values()
        if pack.covers(region_code, day) and (kind is None or pack.rules_for(kind))
    ]
    rules: list[RuleInForce] = []
    for pack in chosen:
        for rule in pack.rules:
            if kind is not None and rule.kind != kind:
                continue
            starts_on = rule.binds_from(pack.meta.binds_from)
            until_ok = rule.ends_on is None or day <= rule.ends_on
            rules.append(RuleInForce(pack, rule, starts_on, (starts_on is None or starts_on <= day) and until_ok))
    reason = coverage_reason(catalog, probe) if region_code else None
    return chosen, rules, reason


@dataclass
class _Probe:
    """A stand-in subject for ``rules which``: a kind, a region and a date, nothing else."""

    kind: str
    region_code: str
    key_date: dt.date
    id: str = "—"
    source: None = None

    def get(self, name: str):
        return self.key_date.year if name == "year" else None


#: an audit's coverage warning: one per reason
COUNTED_COVERAGE_TEXT = {
    "zh": "{n} 条记录仅按国家规则检查：{reason}（如 {ids}）",
    "en": "{n} records checked against national rules only: {reason} (e.g. {ids})",
}


def coverage_warnings(coverage: dict[tuple[str, str], CoverageCount], lang: str = "zh") -> list[InputIssue]:
    """One warning per reason, most records first: how many records only national rules judged, why,
    and a few of their ids (cli.md: no silent gaps; a million records must not make a million lines)."""
    issues = []
    for (zh, en), counted in sorted(coverage.items(), key=lambda item: (-item[1].count, item[0])):
        separator = "、" if lang == "zh" else ", "
        message = COUNTED_COVERAGE_TEXT[lang].format(
            n=counted.count, reason=zh if lang == "zh" else en, ids=separator.join(counted.examples)
        )
        issues.append(InputIssue("", None, None, message, code="coverage"))
    return issues
