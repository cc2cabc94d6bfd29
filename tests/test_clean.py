"""The import's fast lane gives exactly the full parse's data, or declines."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.sources.generator import generate_records
from fzcheck.engine.speed.clean_records import clean_record_data
from fzcheck.models.records import FIELD_TYPES, RecordError, parse_record

SAMPLE = list(generate_records(600, seed=11))

TRICKY = [
    None,
    "",
    " ",
    "x",
    " x",
    "x ",
    "\x1fx",
    "x\x1f",
    "\u3000x",
    "x\u00a0",
    "a\nb",
    "2019-03-04",
    "2019-02-30",
    "2019-3-4",
    "2019年3月4日",
    "0000-01-01",
    "2019-03-04T00:00:00",
    0,
    1,
    5,
    5.5,
    -3,
    True,
    False,
    "true",
    "是",
    "1",
    "penalty",
    "处罚",
    "draft",
    "草稿",
    "law",
    "532301",
    "53230",
    532301,
    [],
    ["a"],
    ["a", " b"],
    ["a", 7],
    "a、b",
    [{"ref": "楚政发〔2019〕1号"}],
    [{"type": "法律", "ref": "x"}],
    [{"ref": " x"}],
    [{"type": None, "ref": "x"}],
    [{"ref": ""}],
    [{"name": "张三"}],
    [{"name": "张三", "cert_valid_until": "2022-01-01", "extra": 1}],
    ["filing", "decision"],
    ["立案"],
    {"a": 1},
    10**30,
    1e300,
    "楚政发[2019]3号",
    "某某暂行办法",
    "simple",
    "ordinary",
    "简易程序",
    "20171116",
    20171116,
    20170230,
    "楚政发〔2O18〕12号",
    "楚政通〔2024〕1號",
    0.0,
    -0.0,
]


def full_data(row: dict) -> dict | None:
    try:
        return parse_record(row).model_dump(mode="json")
    except RecordError:
        return None


def check_same(row: dict) -> bool:
    """True when the fast lane took the row (and then it must equal the full parse)."""
    expected = full_data(row)
    taken = False
    for raw in (json.dumps(row, ensure_ascii=False).encode(), json.dumps(row).encode(), row):
        fast = clean_record_data(raw)
        if fast is not None:
            assert expected is not None, f"fast lane accepted a row the full parse refuses: {row}"
            assert orjson.dumps(fast) == orjson.dumps(expected), row
            taken = True
    return taken


def test_generated_rows_take_the_fast_lane_with_equal_data():
    taken = sum(check_same(row) for row in SAMPLE)
    assert taken >= 0.9 * len(SAMPLE)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(SAMPLE), data=st.data())
def test_changed_values_never_make_the_lanes_differ(base, data):
    row = dict(base)
    fields = sorted(
        {*FIELD_TYPES[row["kind"]], "id", "region_code", "kind", "unknown_column", "编号", "doc_number_normalized"}
    )
    for _ in range(data.draw(st.integers(1, 3))):
        field = data.draw(st.sampled_from(fields))
        row[field] = data.draw(st.sampled_from(TRICKY) | st.text(max_size=6) | st.floats(allow_nan=True))
    check_same(row)


@pytest.mark.parametrize(
    "text,clean", [("x", True), (" x", False), ("x\u3000", False), ("\x1f", False), ("a b", True), ("", False)]
)
def test_text_with_surrounding_spaces_takes_the_full_path(text, clean):
    row = {"kind": "officer", "id": "o-1", "region_code": "532301", "name": text}
    assert (clean_record_data(json.dumps(row).encode()) is not None) is clean
    check_same(row)


NEW_FIELDS = [
    {
        "kind": "enforcement_case",
        "id": "ec-1",
        "region_code": "532301",
        "procedure": "simple",
        "hearing_eligible": True,
        "hearing_waived": False,
        "hearing_on": "2019-05-06",
    },
    {
        "kind": "reconsideration_case",
        "id": "rc-1",
        "region_code": "220106",
        "procedure": "ordinary",
        "suspended_days": 12,
    },
    {"kind": "reconsideration_case", "id": "rc-2", "region_code": "220106", "suspended_days": 0},
    {
        "kind": "normative_document",
        "id": "nd-1",
        "region_code": "532301",
        "doc_number": "楚政通〔2024〕1號",
        "comment_shortened_reason": "紧急情况",
    },
    {"kind": "normative_document", "id": "nd-2", "region_code": "532301", "doc_number": "楚政发〔2O18〕12号"},
]


@pytest.mark.parametrize("row", NEW_FIELDS, ids=lambda row: row["id"])
def test_new_fields_take_the_fast_lane_with_equal_data(row):
    assert check_same(row)


def test_fast_lane_derives_doc_number_values_as_the_models_do():
    fast = clean_record_data(NEW_FIELDS[3])
    assert (fast["doc_number_normalized"], fast["doc_number_suspect"]) == ("楚政通〔2024〕1号", False)
    fast = clean_record_data(NEW_FIELDS[4])
    assert (fast["doc_number_normalized"], fast["doc_number_suspect"]) == ("楚政发〔2O18〕12号", True)


@pytest.mark.parametrize(
    "change",
    [
        {"suspended_days": -1},
        {"procedure": "简易程序"},
        {"procedure": "quick"},
        {"suspended_days": True},
        {"hearing_on": "20190506"},
        {"doc_number_suspect": False},
    ],
)
def test_rows_the_fast_lane_leaves_to_the_full_parse(change):
    kind = "enforcement_case" if "hearing_on" in change else "reconsideration_case"
    if "doc_number_suspect" in change:
        kind = "normative_document"
    row = {**next(row for row in NEW_FIELDS if row["kind"] == kind), **change}
    assert clean_record_data(row) is None
    assert not check_same(row)


# --- ranges (issue #16): what the models refuse as out of range, the fast lane leaves to them ---


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "training_session", "days": 2**63},
        {"kind": "training_session", "days": -1},
        {"kind": "training_session", "days": 367},
        {"kind": "training_session", "hours": -0.5},
        {"kind": "enforcement_case", "fine_amount": -5},
        {"kind": "enforcement_case", "fine_amount": 1e14},
        {"kind": "normative_document", "validity_years": 101},
        {"kind": "normative_document", "validity_years": -1},
        {"kind": "reconsideration_case", "suspended_days": 3651},
        {"kind": "reconsideration_case", "suspended_days": 2**64},
    ],
    ids=lambda change: "-".join(map(str, change.values())),
)
def test_out_of_range_numbers_take_the_full_path_and_are_its_errors(change):
    row = {"id": "r-1", "region_code": "532301", **change}
    assert clean_record_data(row) is None and clean_record_data(json.dumps(row).encode()) is None
    assert not check_same(row)
    with pytest.raises(RecordError) as caught:
        parse_record(row)
    [issue] = caught.value.issues
    assert issue.field == next(name for name in change if name != "kind")
    assert issue.message.startswith(("expected 0 or more", "expected at most"))


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "training_session", "days": 366, "hours": 0},
        {"kind": "training_session", "days": 0, "hours": 1e6},
        {"kind": "enforcement_case", "fine_amount": 0},
        {"kind": "enforcement_case", "fine_amount": 10**13},
        {"kind": "normative_document", "validity_years": 100},
        {"kind": "reconsideration_case", "suspended_days": 3650},
    ],
    ids=lambda change: "-".join(map(str, change.values())),
)
def test_numbers_at_the_bounds_take_the_fast_lane_with_equal_data(change):
    assert check_same({"id": "r-1", "region_code": "532301", **change})
