"""Property tests for the date and 文号 parsers of engine/sources/text, and the gazetteer lookup."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fzcheck.engine.sources.text.dates import format_cn, format_cn_numerals, parse_date
from fzcheck.engine.sources.text.docnumber import doc_number_of_line
from fzcheck.engine.sources.text.regions import region_of_agency

dates = st.dates(min_value=dt.date(1949, 1, 1), max_value=dt.date(2099, 12, 31))
zeros = st.sampled_from("〇○Oo0零")


@given(dates)
def test_arabic_dates_round_trip(value):
    assert parse_date(format_cn(value)) == value
    assert parse_date(f" {value.year} 年 {value.month} 月 {value.day} 日 ") == value


@given(dates, zeros)
def test_chinese_numeral_dates_round_trip_whatever_the_zero(value, zero):
    assert parse_date(format_cn_numerals(value, zero)) == value


@given(dates)
def test_compact_dates(value):
    assert parse_date(value.strftime("%Y%m%d")) == value
    assert parse_date(f"{value.year}.{value.month}.{value.day}") == value
    assert parse_date(value.isoformat()) == value


@given(dates)
def test_full_width_digits(value):
    wide = format_cn(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_date(wide) == value


@given(st.integers(1949, 2099), st.integers(1, 12), st.integers(29, 35))
def test_impossible_days_are_no_date(year, month, day):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    assert parse_date(f"{year}年{month}月{day}日") == real


@given(dates)
def test_a_year_that_lost_its_zeros_is_no_date(value):
    """二三年十月十五日: a capture dropped the 〇〇 of 二〇〇三 — never read as some year."""
    text = format_cn_numerals(value).replace("〇", "")
    if len(text.split("年")[0]) != 4:
        assert parse_date(text) is None


codes = st.text(alphabet="楚政办发湘府鲁余延蔚字函令", min_size=1, max_size=6).filter(
    lambda code: not code.endswith("令")
)
brackets = st.sampled_from(["〔〕", "[]", "（）", "()", "【】", "［］"])


@given(codes, st.integers(1980, 2030), st.integers(1, 999), brackets, st.booleans())
def test_doc_number_lines(code, year, serial, pair, ordinal):
    text = f"{code}{pair[0]}{year}{pair[1]}{'第' if ordinal else ''}{serial}号"
    assert doc_number_of_line(text) == text
    assert doc_number_of_line(f"  {text}  ") == text


@given(codes, st.integers(1980, 2030), st.integers(1, 999), st.sampled_from(["根据", "依据《办法》（", "按照"]))
def test_a_sentence_citing_a_number_is_no_doc_number_line(code, year, serial, lead):
    assert doc_number_of_line(f"{lead}{code}〔{year}〕{serial}号精神，制定本办法。") is None


@given(codes, st.integers(1000, 9999))
def test_a_garbled_number_is_none(code, digits):
    """广安区府办发〔202026: the bracket and 号 lost in the capture."""
    assert doc_number_of_line(f"{code}〔{digits}{digits % 100}") is None


def test_regions():
    assert region_of_agency("广安市广安区人民政府办公室").code == "511602"
    assert region_of_agency("中共楚雄州委").code == "532300"
    assert region_of_agency("长春市朝阳区人民政府").code == "220104"
    ambiguous = region_of_agency("朝阳区人民政府")
    assert ambiguous.code is None and {unit.code for unit in ambiguous.candidates} == {"110105", "220104"}
    assert region_of_agency("国务院机关事务管理局").code is None


def test_renamed_units():
    """大洼县 (县→区 2016) is not in today's gazetteer: the history table gives its code of the time."""
    from fzcheck.engine.sources.text.regions import renamed_note

    answer = region_of_agency("大洼县人民政府")
    assert answer.code == "211121"
    ambiguous, entry = renamed_note(answer.unit, dt.date(2015, 3, 1))
    assert not ambiguous and entry["new"]["code"] == "211104" and entry["source"]
    assert renamed_note(answer.unit, dt.date(2016, 6, 1))[0] is True  # the year of the change: ask
    assert region_of_agency("邵东县人民政府").code == "430521"
    assert region_of_agency("邵东市人民政府").code == "430582"
