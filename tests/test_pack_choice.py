"""The remembered pack choice (engine/speed/pack_choice.py) answers exactly as the functions it
remembers: packs_for and coverage_reason, for every kind, region and date, forced packs or not."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.evaluate.coverage import coverage_reason, packs_for
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.speed.pack_choice import PackChoices
from fzcheck.engine.subjects.subject import Subject

CATALOG = default_catalog()
KINDS = sorted({rule.kind for pack in CATALOG.packs.values() for rule in pack.rules})
PREFIXES = sorted({pack.meta.region_prefix for pack in CATALOG.packs.values() if pack.meta.region_prefix})
#: region codes inside each local pack's prefix, outside all, and missing
REGIONS = st.one_of(
    st.none(),
    st.sampled_from(PREFIXES).flatmap(lambda p: st.from_regex(rf"\A{p}[0-9]{{{6 - len(p)}}}\Z")),
    st.from_regex(r"\A[0-9]{6}\Z"),
)
DAYS = st.one_of(st.none(), st.dates(dt.date(2005, 1, 1), dt.date(2030, 12, 31)))


@st.composite
def subjects(draw):
    kind = draw(st.sampled_from(KINDS))
    day = draw(DAYS)
    values = {"year": draw(st.one_of(st.none(), st.integers(2005, 2030)))}
    return Subject(kind, draw(st.text(min_size=1, max_size=4)), draw(REGIONS), None, values, day)


@settings(max_examples=300)
@given(st.lists(subjects(), min_size=1, max_size=20), st.booleans())
def test_remembered_choice_equals_the_functions(batch, forced):
    chosen = [CATALOG.packs[pack_id] for pack_id in sorted(CATALOG.packs)[:2]] if forced else None
    choices = PackChoices(CATALOG, chosen)
    for _ in range(2):  # the second pass answers from the memo
        for subject in batch:
            expected = packs_for(CATALOG, subject, chosen)
            choice = choices.of(subject)
            assert choice.packs == expected
            assert list(choice.pack_ids) == [pack.id for pack in expected]
            assert choice.reason == coverage_reason(CATALOG, subject)
