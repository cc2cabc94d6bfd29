import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fzcheck.models.fields import (
    OCR_DIGITS,
    _scan_ocr_suspects,
    doc_number_ocr_suspects,
    doc_number_ocr_warning,
    doc_number_suspect,
    excel_serial_to_date,
    looks_like_doc_number,
    normalize_doc_number,
    parse_bool,
    parse_date,
    split_list,
    to_simplified,
)

CN_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_small(number: int) -> str:
    """1..31 the way Chinese documents write month and day numbers: 三, 十, 十七, 二十, 三十一."""
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else "十" if tens == 1 else CN_DIGITS[tens] + "十"
    return head + (CN_DIGITS[units] if units else "")


def cn_date(day: dt.date, zero: str = "〇") -> str:
    year = "".join(CN_DIGITS[int(digit)] for digit in f"{day.year:04d}").replace("〇", zero)
    return f"{year}年{cn_small(day.month)}月{cn_small(day.day)}日"


FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: f"{d.isoformat()}T13:45:10",
    lambda d: d.isoformat().translate(FULL_WIDTH_DIGITS),
    lambda d: f" {d.isoformat()} ",
    lambda d: cn_date(d),
    lambda d: cn_date(d, "○"),
    lambda d: cn_date(d, "零"),
    lambda d: cn_date(d, "O"),
]

dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@given(dates, st.sampled_from(range(len(FORMATS))))
def test_every_supported_format_parses_back(day, which):
    assert parse_date(FORMATS[which](day)) == day


@given(dates)
def test_date_and_datetime_objects(day):
    assert parse_date(day) == day
    assert parse_date(dt.datetime.combine(day, dt.time(15, 30))) == day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("二○一一年三月十七日", dt.date(2011, 3, 17)),
        ("二〇一六年十二月二十九日", dt.date(2016, 12, 29)),
        ("二〇二〇年十一月三十日", dt.date(2020, 11, 30)),
        ("二〇二一年一月三十一日", dt.date(2021, 1, 31)),
        ("２０１６年１２月２９日", dt.date(2016, 12, 29)),
        ("2016 年 1 月 9 日", dt.date(2016, 1, 9)),
    ],
)
def test_known_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2019-02-30",
        "2019年2月29日",
        "二〇一九年二月三十日",
        "二〇一九年十十月一日",
        "二〇一九年一月三十二日",
        "2016-12",
        "2016-12-29-1",
        "2016/12-29",
        "29/12/2016",
        "2016122",
        "201612290",
        "",
        "  ",
        "yesterday",
        "20170230",
        "20171301",
        "20171100",
        "99999999",
        "18991231",
        "21010101",
        "2017 1116",
        43000,
        43000.0,
        2018,
        20170230,
        20171116.5,
        201711160,
        18991231,
        -20171116,
        True,
        None,
        [2016, 12, 29],
    ],
)
def test_invalid_dates_are_errors_naming_the_value(value):
    with pytest.raises(ValueError, match=r"^invalid date '"):
        parse_date(value)


def test_invalid_date_message():
    with pytest.raises(ValueError) as caught:
        parse_date("2019-02-30")
    assert str(caught.value) == "invalid date '2019-02-30'"


@given(dates.filter(lambda d: dt.date(1950, 1, 1) <= d <= dt.date(2100, 12, 31)))
def test_excel_serials(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert excel_serial_to_date(serial) == day
    assert excel_serial_to_date(serial + 0.75) == day


@pytest.mark.parametrize("serial", [2018, 20161229, -1, True, "43000"])
def test_implausible_excel_serials_are_errors(serial):
    with pytest.raises(ValueError):
        excel_serial_to_date(serial)


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("FALSE", False),
        ("是", True),
        ("否", False),
        ("1", True),
        ("0", False),
        ("Y", True),
        ("n", False),
        ("Yes", True),
        ("no", False),
        (" 是 ", True),
        ("１", True),
    ],
)
def test_booleans(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", "对", "on", "", 2, -1, 0.5, None, "是的"])
def test_invalid_booleans(value):
    with pytest.raises(ValueError, match=r"^invalid boolean"):
        parse_bool(value)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("楚政发〔2016〕30号", "楚政发〔2016〕30号"),
        ("楚政发[2016]30号", "楚政发〔2016〕30号"),
        ("楚政发[ 2016 ] 30号", "楚政发〔2016〕30号"),
        ("楚政发【2016】30号", "楚政发〔2016〕30号"),
        ("楚政发(2016)30号", "楚政发〔2016〕30号"),
        ("楚政发（2016）30号", "楚政发〔2016〕30号"),
        ("楚政发［２０１６］３０号", "楚政发〔2016〕30号"),
        ("楚政发〖2016〗30号", "楚政发〔2016〕30号"),
        ("楚政发﹝2016﹞30号", "楚政发〔2016〕30号"),
        ("楚政发（2016]30号", "楚政发〔2016〕30号"),
        ("关于（试行）的通知", "关于（试行）的通知"),
        ("《条例》(2019年修订)", "《条例》(2019年修订)"),
    ],
)
def test_normalize_doc_number(raw, expected):
    assert normalize_doc_number(raw) == expected


OPENING, CLOSING = "[【(（〔〖﹝［", "]】)）〕〗﹞］"
agency_codes = st.text(alphabet="楚政发办湘府盘市委", min_size=1, max_size=5)


@given(
    agency_codes,
    st.integers(1000, 9999),
    st.integers(1, 999),
    st.integers(0, len(OPENING) - 1),
    st.integers(0, len(CLOSING) - 1),
    st.booleans(),
    st.sampled_from(["", " ", "\u3000"]),
)
def test_any_bracket_and_digit_variant_normalises_to_the_standard_form(
    agency, year, serial, left, right, full_width, space
):
    text = f"{agency}{space}{OPENING[left]}{year}{CLOSING[right]}{space}{serial}号"
    if full_width:
        text = text.translate(FULL_WIDTH_DIGITS)
    expected = f"{agency}〔{year}〕{serial}号"
    assert normalize_doc_number(text) == expected
    assert looks_like_doc_number(text)


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalize_doc_number(text)
    assert normalize_doc_number(once) == once


@given(
    st.text(
        alphabet=st.characters(
            blacklist_characters="[]【】()（）〔〕〖〗﹝﹞［］０１２３４５６７８９",
            blacklist_categories=("Zs", "Cc", "Zl", "Zp"),
        ),
        max_size=30,
    ).filter(lambda text: to_simplified(text) == text)
)
def test_text_without_brackets_digits_spaces_or_traditional_characters_is_kept(text):
    assert normalize_doc_number(text) == text


@pytest.mark.parametrize("text", ["《中华人民共和国行政处罚法》", "2021年第3次局务会议纪要", "楚政发"])
def test_not_doc_numbers(text):
    assert not looks_like_doc_number(text)


@given(
    st.lists(st.text(alphabet="abc张三李四-_.", min_size=1, max_size=6), min_size=1, max_size=6),
    st.sampled_from([";", "；", "、", ",", "，", "\n", "\r\n", " ; "]),
)
def test_split_list_round_trip(items, separator):
    assert split_list(separator.join(items)) == items


compact_range = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(compact_range)
def test_compact_dates_parse_back_as_text_and_as_numbers(day):
    compact = day.strftime("%Y%m%d")
    assert parse_date(compact) == day
    assert parse_date(compact.translate(FULL_WIDTH_DIGITS)) == day
    assert parse_date(int(compact)) == day  # JSON, YAML, a spreadsheet cell
    assert parse_date(float(compact)) == day


@given(st.integers(0, 99_999_999).map(lambda number: f"{number:08d}"))
def test_eight_digits_that_are_no_date_in_1900_2100_are_errors(text):
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        day = None
    if day is not None and 1900 <= day.year <= 2100:
        assert parse_date(text) == day
    else:
        with pytest.raises(ValueError, match=rf"^invalid date '{text}'$"):
            parse_date(text)


def test_invalid_compact_date_message_names_the_value():
    for value in ("20170230", 20170230):
        with pytest.raises(ValueError) as caught:
            parse_date(value)
        assert str(caught.value) == "invalid date '20170230'"


def test_compact_dates_and_excel_serials_are_kept_apart():
    """Five digits are an Excel serial (only through excel_serial_to_date), eight a compact date."""
    assert excel_serial_to_date(43055) == dt.date(2017, 11, 16)
    assert parse_date(20171116) == dt.date(2017, 11, 16)
    with pytest.raises(ValueError):
        parse_date(43055)
    with pytest.raises(ValueError):
        excel_serial_to_date(20171116)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("楚政通〔2024〕1號", "楚政通〔2024〕1号"),
        ("湘政發〔2018〕12號", "湘政发〔2018〕12号"),
        ("國辦發[2019]３號", "国办发〔2019〕3号"),
        ("粵府函（2020）5號", "粤府函〔2020〕5号"),
        ("遼政辦發〔2020〕1號", "辽政办发〔2020〕1号"),
        ("鄂政办发〔2020〕1号", "鄂政办发〔2020〕1号"),
        ("沈政发〔2020〕1号", "沈政发〔2020〕1号"),  # simplified as it is: 沈 stays
    ],
)
def test_traditional_characters_of_a_doc_number_become_simplified(raw, expected):
    assert normalize_doc_number(raw) == expected
    assert looks_like_doc_number(raw)


@given(agency_codes, st.integers(1000, 9999), st.integers(1, 999))
def test_traditional_form_of_any_doc_number_normalises_like_the_simplified(agency, year, serial):
    simplified = f"{agency}〔{year}〕{serial}号"
    traditional = simplified.translate(str.maketrans({"发": "發", "办": "辦", "号": "號"}))
    assert normalize_doc_number(traditional) == normalize_doc_number(simplified) == simplified


@pytest.mark.parametrize(
    "number, suspects",
    [
        ("楚政发〔2O18〕12号", (("O", "0"),)),
        ("湘政发〔2018〕l2号", (("l", "1"),)),
        ("楚政发〔2o18〕1O号", (("o", "0"), ("O", "0"))),
        ("楚政发〔2〇18〕12号", (("〇", "0"),)),
        ("楚政发〔2○18〕12号", (("○", "0"),)),
        ("楚政发[2018]I2号", (("I", "1"),)),
        ("楚政发〔2018〕|2号", (("|", "1"),)),
        ("楚政发〔2018〕第1S号", (("S", "5"),)),
        ("楚政发〔2Z18〕1B号", (("Z", "2"), ("B", "8"))),
        ("楚政发（2Ｏ18）12號", (("Ｏ", "0"),)),
        ("楚政发〔2018〕12号", ()),
        ("楚政发〔2018〕第12号", ()),
        ("《中华人民共和国行政处罚法》", ()),
        ("Office Memo 2018", ()),
        ("楚政发〔二〇一八〕12号", ()),  # a year in Chinese numerals is no OCR slip
    ],
)
def test_ocr_look_alikes_of_digits_in_year_and_serial(number, suspects):
    assert doc_number_ocr_suspects(number) == suspects
    assert doc_number_suspect(number) is bool(suspects)
    for char, _digit in suspects:  # never corrected: the letters stay in the normalised form
        assert char in normalize_doc_number(number)


def test_ocr_warning_text():
    assert (
        doc_number_ocr_warning("楚政发〔2O18〕12号").text("zh")
        == "文号“楚政发〔2O18〕12号”中“O”疑为识别错误（数字0？），请核对原件"
    )
    assert (
        doc_number_ocr_warning("湘政发〔2Ol8〕12号").text("zh")
        == "文号“湘政发〔2Ol8〕12号”中“O”“l”疑为识别错误（数字0、1？），请核对原件"
    )
    assert (
        doc_number_ocr_warning("湘政发〔2Ol8〕12号").text("en")
        == "文号 '湘政发〔2Ol8〕12号': 'O', 'l' may be misread by OCR (digit 0, 1?); check the original"
    )
    assert doc_number_ocr_warning("楚政发〔2018〕12号") is None


@given(
    agency_codes,
    st.integers(1900, 2100),
    st.integers(1, 9999),
    st.integers(0, len(OPENING) - 1),
    st.integers(0, len(CLOSING) - 1),
)
def test_well_formed_doc_numbers_are_never_suspect(agency, year, serial, left, right):
    assert not doc_number_suspect(f"{agency}{OPENING[left]}{year}{CLOSING[right]}{serial}号")


_OCR_ALPHABET = "".join(OCR_DIGITS) + "0123456789楚政发第号〔〕[]（）()【】ＯｌＳ二〇一八 𝐎"


@given(st.text(alphabet=_OCR_ALPHABET, max_size=16))
def test_plain_doc_number_shortcut_agrees_with_the_scan(text):
    """The shortcut that skips the scan for 文号 of digits, ideographs and brackets (speed) never
    changes an answer."""
    normalized = normalize_doc_number(text)
    assert doc_number_ocr_suspects(text) == _scan_ocr_suspects(normalized)
