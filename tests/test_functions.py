import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fzcheck.engine.derive.batch import BatchCounts
from fzcheck.engine.derive.calendar import Deadline, LegalCalendar, default_calendar
from fzcheck.engine.derive.context import DeriveContext
from fzcheck.engine.derive.context import call as call_function
from fzcheck.engine.derive.declare import ARG_TYPES, RETURN_TYPES, DeriveFunction
from fzcheck.engine.derive.registry import REGISTRY

D = dt.date.fromisoformat
DOCUMENTED = {
    "deadline_after",
    "working_days_after",
    "add_days",
    "validity_limit",
    "stated_validity_end",
    "days_between",
    "window_days",
    "coalesce",
    "year_of",
    "doc_number_well_formed",
    "doc_number_year",
    "count_items",
    "count_missing",
    "count_basis_type",
    "count_same",
}


@pytest.fixture
def ctx():
    return DeriveContext(default_calendar(), D("2024-01-01"))


def call(ctx, name, *args):
    """A function called as a rule calls it; a deadline's date (its notes are tested apart)."""
    result = call_function(REGISTRY[name], ctx, *args)
    return result.due_on if isinstance(result, Deadline) else result


def deadline(ctx, name, *args) -> Deadline:
    result = call_function(REGISTRY[name], ctx, *args)
    assert isinstance(result, Deadline) and REGISTRY[name].notes
    return result


def _documented_functions() -> set[str]:
    table = (Path(__file__).resolve().parent.parent / "docs" / "rule-format.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+)\(", table, flags=re.M))


def test_registry_matches_the_documented_table():
    assert _documented_functions() >= DOCUMENTED
    assert set(REGISTRY) == _documented_functions()
    for name, fn in REGISTRY.items():
        assert isinstance(fn, DeriveFunction) and fn.name == name and fn.doc
        assert set(fn.arg_types) <= set(ARG_TYPES) and fn.returns in RETURN_TYPES
    assert [n for n, f in REGISTRY.items() if f.variadic] == ["coalesce"]
    assert [n for n, f in REGISTRY.items() if f.batch] == ["count_same", "same_value_ids"]


def test_context_holds_calendar_and_as_of(ctx):
    assert ctx.calendar is default_calendar() and ctx.as_of == D("2024-01-01")
    with pytest.raises(AttributeError):
        ctx.calendar = LegalCalendar({})  # type: ignore[misc]


# --- None propagation -------------------------------------------------------------------------

SAMPLE_ARGS = {
    "deadline_after": (D("2019-09-20"), 15),
    "working_days_after": (D("2019-09-27"), 3),
    "add_days": (D("2020-02-28"), 2),
    "validity_limit": (D("2016-02-29"), 5),
    "days_between": (D("2024-01-01"), D("2024-03-01")),
    "window_days": (D("2024-01-01"), D("2024-01-30")),
    "year_of": (D("2016-12-29"),),
    "doc_number_well_formed": ("楚政发〔2016〕30号",),
    "doc_number_year": ("楚政发〔2016〕30号",),
    "count_items": (["a", "b"],),
    "count_basis_type": ([{"type": "law", "ref": "行政处罚法"}], "law"),
}


@pytest.mark.parametrize("name", sorted(SAMPLE_ARGS))
def test_missing_argument_gives_missing_result(ctx, name):
    args = SAMPLE_ARGS[name]
    assert call(ctx, name, *args) is not None
    for i in range(len(args)):
        assert call(ctx, name, *args[:i], None, *args[i + 1 :]) is None


def test_count_same_missing_value(ctx):
    ctx.counts.index("normative_document", "doc_number", ["楚政发〔2016〕30号"])
    assert call(ctx, "count_same", "normative_document", "doc_number", None) is None


# --- dates ----------------------------------------------------------------------------------


def test_deadline_after_uses_the_legal_calendar(ctx):
    """A deadline says what an evaluator must explain: moved past rest days, or provisional."""
    moved = deadline(ctx, "deadline_after", D("2018-06-01"), 15)
    assert moved.due_on == D("2018-06-19") and moved.moved_from == D("2018-06-16") and not moved.provisional
    kept = deadline(ctx, "deadline_after", D("2018-03-01"), 15)
    assert kept.due_on == D("2018-03-16") and kept.moved_from is None and not kept.provisional


def test_deadline_beyond_the_data_is_provisional(ctx):
    """2031 has no State Council schedule: 国庆 by law (10-01..03), the weekend after, and the swap
    season around it make the due date provisional."""
    flagged = deadline(ctx, "deadline_after", D("2031-09-19"), 15)
    assert flagged.due_on == D("2031-10-06") and flagged.provisional and flagged.provisional_years == (2031,)


def test_deadline_with_user_calendar_is_not_provisional():
    ctx = DeriveContext(LegalCalendar({D("2031-10-06"): False}), D("2032-01-01"))
    due = deadline(ctx, "deadline_after", D("2031-09-19"), 15)
    assert due.due_on == D("2031-10-07") and not due.provisional


def test_working_days_after(ctx):
    known = deadline(ctx, "working_days_after", D("2022-04-29"), 3)
    assert known.due_on == D("2022-05-07") and not known.provisional
    unknown = deadline(ctx, "working_days_after", D("2031-01-03"), 1)
    assert unknown.due_on == D("2031-01-06") and unknown.provisional


def test_add_days_and_differences(ctx):
    assert call(ctx, "add_days", D("2020-02-28"), 2) == D("2020-03-01")
    assert call(ctx, "add_days", D("2020-03-01"), -1) == D("2020-02-29")
    assert call(ctx, "days_between", D("2018-06-19"), D("2018-06-20")) == 1
    assert call(ctx, "days_between", D("2018-06-20"), D("2018-06-19")) == -1
    assert call(ctx, "window_days", D("2024-01-01"), D("2024-01-30")) == 30
    assert call(ctx, "window_days", D("2024-01-01"), D("2024-01-01")) == 1
    assert call(ctx, "year_of", D("2016-12-29")) == 2016


@pytest.mark.parametrize(
    "effective, years, limit",
    [
        ("2016-01-01", 5, "2020-12-31"),
        ("2016-12-29", 5, "2021-12-28"),
        ("2016-02-29", 5, "2021-02-28"),  # anniversary 2021-03-01 (no Feb 29)
        ("2016-02-29", 4, "2020-02-28"),  # anniversary 2020-02-29
        ("2017-03-01", 3, "2020-02-29"),
        ("2016-07-01", 2.0, "2018-06-30"),
        ("2016-01-31", 2.5, "2018-07-30"),  # 30 months
        ("2016-08-31", 0.5, "2017-02-28"),  # 6 months, no Feb 31 -> month end
        ("2016-03-15", 1.25, "2017-06-14"),
    ],
)
def test_validity_limit(ctx, effective, years, limit):
    assert call(ctx, "validity_limit", D(effective), years) == D(limit)


def test_stated_validity_end(ctx):
    f = REGISTRY["stated_validity_end"].impl
    assert f(D("2020-06-30"), 5, D("2016-01-01")) == D("2020-06-30")
    assert f(D("2020-06-30"), None, None) == D("2020-06-30")
    assert f(None, 5, D("2016-01-01")) == D("2020-12-31")
    assert f(None, 5, D("2016-02-29")) == D("2021-02-28")
    assert f(None, None, D("2016-01-01")) is None
    assert f(None, 5, None) is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(min_value=1, max_value=30))
def test_validity_limit_properties(effective, years):
    limit = REGISTRY["validity_limit"].impl(effective, years)
    after = limit + dt.timedelta(days=1)
    assert limit.year == effective.year + years - (effective.month == 1 and effective.day == 1)
    if (after.month, after.day) != (3, 1) or (effective.month, effective.day) != (2, 29):
        assert (after.month, after.day) == (effective.month, effective.day)
    assert 365 * years - 1 <= (limit - effective).days <= 366 * years


# --- coalesce and lists ---------------------------------------------------------------------


def test_coalesce(ctx):
    f = REGISTRY["coalesce"].impl
    assert f(None, D("2020-01-01"), D("2021-01-01")) == D("2020-01-01")
    assert f(0, 5) == 0
    assert f(False) is False
    assert f(None, None) is None
    assert f() is None


def test_count_items(ctx):
    assert call(ctx, "count_items", []) == 0
    assert call(ctx, "count_items", ["a", "b", "c"]) == 3


def test_count_missing(ctx):
    wanted = ["filing", "investigation", "decision", "execution"]
    assert call(ctx, "count_missing", ["filing", "decision"], wanted) == 2
    assert call(ctx, "count_missing", wanted + ["other"], wanted) == 0
    assert call(ctx, "count_missing", [], wanted) == 4
    assert call(ctx, "count_missing", None, wanted) == 4


def test_count_basis_type_accepts_objects_and_dicts(ctx):
    basis = [
        {"type": "law", "ref": "中华人民共和国行政处罚法"},
        SimpleNamespace(type="normative_document", ref="楚政发〔2016〕30号"),
        {"type": "normative_document", "ref": "楚政办发〔2017〕5号"},
        {"ref": "无类型"},
        SimpleNamespace(type="meeting_minutes", ref="会议纪要"),
    ]
    assert call(ctx, "count_basis_type", basis, "normative_document") == 2
    assert call(ctx, "count_basis_type", basis, "law") == 1
    assert call(ctx, "count_basis_type", basis, "rule") == 0
    assert call(ctx, "count_basis_type", [], "law") == 0


# --- 文号 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_number, year",
    [
        ("楚政发〔2016〕30号", 2016),
        ("国办发〔2018〕37号", 2018),
        ("楚政发[2016]30号", 2016),
        ("楚政发【2016】30号", 2016),
        ("楚政发(2016)30号", 2016),
        ("楚政发（２０１６）３０号", 2016),
        (" 楚政发〔2016〕 30号 ", 2016),
    ],
)
def test_well_formed_doc_numbers(ctx, doc_number, year):
    assert call(ctx, "doc_number_well_formed", doc_number) is True
    assert call(ctx, "doc_number_year", doc_number) == year


@pytest.mark.parametrize(
    "doc_number",
    [
        "楚政发〔16〕30号",  # year not in full
        "楚政发〔2016〕030号",  # 虚位
        "楚政发〔2016〕0号",
        "楚政发〔2016〕30",  # no 号
        "〔2016〕30号",  # no 机关代字
        "楚政发2016年30号",
        "楚政发〔2016〕第30号",
        "ABC〔2016〕30号",
        "",
    ],
)
def test_malformed_doc_numbers(ctx, doc_number):
    assert call(ctx, "doc_number_well_formed", doc_number) is False
    assert call(ctx, "doc_number_year", doc_number) is None


# --- count_same -----------------------------------------------------------------------------


def test_count_same_counts_normalised_doc_numbers(ctx):
    ctx.counts.index(
        "normative_document", "doc_number", ["楚政发〔2016〕30号", "楚政发[2016]30号", "楚政发〔2016〕31号", None]
    )
    assert call(ctx, "count_same", "normative_document", "doc_number", "楚政发【2016】30号") == 2
    assert call(ctx, "count_same", "normative_document", "doc_number", "楚政发〔2016〕31号") == 1
    assert call(ctx, "count_same", "normative_document", "doc_number", "楚政发〔2016〕99号") == 0


def test_count_same_other_fields_and_reindexing(ctx):
    counts = BatchCounts()
    counts.index("enforcement_case", "case_number", ["A-1", "A-1", "a-1"])
    assert counts.count("enforcement_case", "case_number", "A-1") == 2
    counts.index("enforcement_case", "case_number", ["A-1"])
    assert counts.count("enforcement_case", "case_number", "A-1") == 1


def test_count_same_needs_an_index(ctx):
    with pytest.raises(LookupError, match="call index first"):
        call(ctx, "count_same", "normative_document", "doc_number", "楚政发〔2016〕30号")
