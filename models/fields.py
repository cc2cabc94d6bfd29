"""Parsers for the value formats found in agencies' registers (台账).

Each parser returns a plain Python value or raises ``ValueError`` with a short message
that the CLI shows as is, e.g. ``invalid date '2019-02-30'``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache, lru_cache

from ..messages import Items, Msg, Term

#: Full-width digits and the punctuation Chinese input methods produce inside dates and numbers.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "－": "-", "／": "/", "．": ".", "：": ":", "\u3000": " "}
)

_NUMERIC_DATE = re.compile(
    r"(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
    r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)

#: ``20171116`` as printed on many pages; only years 1900-2100 (other eight-digit numbers are no date).
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_COMPACT_YEARS = (1900, 2100)

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "o": 0,
    "Ｏ": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_YEAR_CHARS = "".join(_CN_DIGITS)
_CN_SMALL = "一二三四五六七八九十"
_CN_DATE = re.compile(rf"([{_CN_YEAR_CHARS}]{{4}})\s*年\s*([{_CN_SMALL}]{{1,3}})\s*月\s*([{_CN_SMALL}]{{1,3}})\s*日")


def _cn_small_number(text: str) -> int | None:
    """一..九, 十, 十一..十九, 二十..三十一 (the numbers a month or day can take)."""
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units or tens == "十":
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def parse_date(value: object) -> dt.date:
    """A date from ISO, ``2016年12月29日``, ``2016/12/29``, ``2016.12.29``, compact ``20161229``, a
    datetime string (time dropped), a ``date``/``datetime`` object (Excel, YAML) or a Chinese-numeral
    date such as ``二○一一年三月十七日``.

    The only numbers taken are compact dates: an eight-digit whole number (JSON, YAML, a spreadsheet
    cell) such as ``20161229`` that is a date in 1900-2100. Any other number is refused; an Excel
    serial (five digits) only becomes a date through :func:`excel_serial_to_date`.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date_text(value)
    if is_compact_date_number(value):
        return parse_date_text(str(int(value)))  # type: ignore[call-overload]
    raise ValueError(Msg("value.date", value=value))


def is_compact_date_number(value: object) -> bool:
    """True for a number shaped like a compact date: a whole number of eight digits (``20161229``),
    never a bool. Whether it is a real date is :func:`parse_date`'s business."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not value.is_integer():
        return False
    return 10_000_000 <= value <= 99_999_999


@lru_cache(maxsize=1 << 16)
def parse_date_text(value: str) -> dt.date:
    """Cached: registers repeat the same few thousand dates, and one shared ``date`` per text keeps
    a batch of 100,000 records small (dates are immutable)."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    text = value.strip().translate(_FULL_WIDTH)
    try:
        match = _NUMERIC_DATE.fullmatch(text)
        if match:
            year, _, month, day, cn_month, cn_day = match.groups()
            return dt.date(int(year), int(month or cn_month), int(day or cn_day))
        match = _COMPACT_DATE.fullmatch(text)
        if match:
            if _COMPACT_YEARS[0] <= int(match[1]) <= _COMPACT_YEARS[1]:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            raise ValueError
        match = _CN_DATE.fullmatch(text)
        if match:
            year = int("".join(str(_CN_DIGITS[c]) for c in match[1]))
            month, day = _cn_small_number(match[2]), _cn_small_number(match[3])
            if month is not None and day is not None:
                return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(Msg("value.date", value=value))


#: Serials Excel shows as 1950-01-01 .. 2100-12-31 (five digits); outside that a number in a date
#: column is a typo (a year) or a compact date (eight digits, 20161229: :func:`parse_date`), never a serial.
_EXCEL_SERIAL_RANGE = (18264, 73415)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial_to_date(serial: float) -> dt.date:
    """An Excel (1900 date system) serial number as a date; the time fraction is dropped."""
    if (
        isinstance(serial, bool)
        or not isinstance(serial, (int, float))
        or not _EXCEL_SERIAL_RANGE[0] <= int(serial) <= _EXCEL_SERIAL_RANGE[1]
    ):
        raise ValueError(Msg("value.date", value=serial))
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


_BOOL_WORDS = {
    "true": True,
    "false": False,
    "是": True,
    "否": False,
    "1": True,
    "0": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
}


def parse_bool(value: object) -> bool:
    """true/false, 是/否, 1/0, Y/N, yes/no (any case), Python bools and the numbers 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        found = _BOOL_WORDS.get(value.strip().translate(_FULL_WIDTH).lower())
        if found is not None:
            return found
    raise ValueError(Msg("value.bool", value=value))


_OPENING = "[【(（〔〖﹝［"
_CLOSING = "]】)）〕〗﹞］"
_YEAR_IN_BRACKETS = re.compile(rf"[{re.escape(_OPENING)}](\d{{4}})[{re.escape(_CLOSING)}]")
_NON_STANDARD_CHARS = rf"{re.escape(_OPENING.replace('〔', '') + _CLOSING.replace('〕', ''))}０-９"


@cache
def _traditional_to_simplified() -> tuple[re.Pattern[str], object]:
    """OpenCC's ``t2s`` conversion (opencc-python-reimplemented) and a pattern that finds what needs
    normalising: a non-standard bracket, a full-width digit, or a character some entry of the ``t2s``
    tables changes. For each changing entry the pattern holds the characters the entry changes, so a
    文号 it does not match is one OpenCC would leave as it is; most 文号 are simplified already and
    skip the conversion (tens of microseconds each). Loaded on first use (a few milliseconds)."""
    from opencc import OpenCC  # noqa: PLC0415 (OpenCC's dictionaries loaded only for traditional text)

    converter = OpenCC("t2s")
    converter.convert("號")  # loads the tables
    changed: set[str] = set()
    tables = getattr(converter, "_dict_chain_data", None)
    if tables is None:  # another layout of the library's tables: convert always
        return re.compile(r"(?s:.)"), converter
    try:
        for group in tables:
            for _max_length, _min_length, entries in group:
                for key, values in entries.items():
                    value = values.split(" ")[0]
                    if value == key:
                        continue
                    if len(value) == len(key):
                        changed.update(old for old, new in zip(key, value) if old != new)
                    else:
                        changed.update(key)
    except (TypeError, ValueError, AttributeError):  # another layout of the library's tables: convert always
        return re.compile(r"(?s:.)"), converter
    # Characters beyond the BMP as one range: a class listing them is searched ten times slower.
    characters = "".join(sorted(char for char in changed if char <= "\uffff"))
    return re.compile(rf"[{_NON_STANDARD_CHARS}{re.escape(characters)}\U00010000-\U0010ffff]"), converter


def to_simplified(text: str) -> str:
    """Traditional characters as simplified (OpenCC ``t2s``, applied to the whole text until it
    changes no more: a few table entries chain, 薴 -> 苧 -> 苎)."""
    _pattern, converter = _traditional_to_simplified()
    for _ in range(4):
        converted = converter.convert(text)  # type: ignore[attr-defined]
        if converted == text:
            break
        text = converted
    return text


@lru_cache(maxsize=1 << 16)
def normalize_doc_number(value: str) -> str:
    """A 文号 in the GB/T 9704 form: simplified characters, the year's brackets 〔〕, digits ASCII,
    no spaces.

    ``楚政发[2016] 30号``, ``楚政发（２０１６）30号``, ``楚政發〔2016〕30號`` -> ``楚政发〔2016〕30号``;
    the rest is kept (letters that OCR put for digits too: :func:`doc_number_ocr_suspects`).
    """
    text = "".join(value.split())
    pattern, _converter = _traditional_to_simplified()
    if pattern.search(text) is None:
        return text
    text = to_simplified(text).translate(_FULL_WIDTH)
    return _YEAR_IN_BRACKETS.sub(lambda match: f"〔{match[1]}〕", text)


#: Letters and signs that text recognition (OCR) reads for digits, with the digit each likely is.
#: Their full-width forms (Ｏ, ｌ, ｜) count too.
OCR_DIGITS = {
    "O": "0",
    "o": "0",
    "〇": "0",
    "○": "0",
    "D": "0",
    "Q": "0",
    "l": "1",
    "I": "1",
    "|": "1",
    "i": "1",
    "!": "1",
    "Z": "2",
    "z": "2",
    "A": "4",
    "S": "5",
    "s": "5",
    "G": "6",
    "b": "6",
    "T": "7",
    "B": "8",
    "g": "9",
    "q": "9",
}
_OCR_CHARS = "".join(OCR_DIGITS) + "".join(chr(ord(c) + 0xFEE0) for c in OCR_DIGITS if "!" <= c <= "~")
_OCR_CLASS = re.escape(_OCR_CHARS)
#: The year in any brackets (four digits or OCR look-alikes) and the serial before 号: where a 文号 has digits only.
_OCR_YEAR = re.compile(rf"[{re.escape(_OPENING)}]([0-9{_OCR_CLASS}]{{4}})[{re.escape(_CLOSING)}]")
_OCR_SERIAL = re.compile(rf"[{re.escape(_CLOSING)}]第?([0-9{_OCR_CLASS}]+)号")


#: a normalised 文号 of ASCII digits, CJK ideographs and brackets only: no character of it can be an
#: OCR look-alike of a digit (none of those is a CJK ideograph, nor becomes one by NFKC), so it has
#: no suspects — most 文号 are, and need no scan (held equal to the scan by a property test)
_PLAIN_DOC_NUMBER = re.compile(rf"[0-9\u4e00-\u9fff{re.escape(_OPENING + _CLOSING)}]*")


@lru_cache(maxsize=1 << 16)
def doc_number_ocr_suspects(value: str) -> tuple[tuple[str, str], ...]:
    """Characters of a 文号 that look like digits misread by OCR, each with the digit it likely is:
    letters such as O, l, S, Z, B (or 〇) inside the year's brackets or in the serial before 号
    (``楚政发〔2O18〕12号`` -> ``(("O", "0"),)``, ``湘政发〔2018〕l2号`` -> ``(("l", "1"),)``).
    Each character once, in order. Empty for a well-formed 文号; the 文号 itself is never changed."""
    text = normalize_doc_number(value)
    if _PLAIN_DOC_NUMBER.fullmatch(text):
        return ()
    return _scan_ocr_suspects(text)


def _scan_ocr_suspects(text: str) -> tuple[tuple[str, str], ...]:
    """:func:`doc_number_ocr_suspects` of a normalised 文号, by scanning its year and serial."""
    found: dict[str, str] = {}
    for pattern in (_OCR_YEAR, _OCR_SERIAL):
        for match in pattern.finditer(text):
            for char in match[1]:
                if not char.isascii() or not char.isdigit():
                    digit = OCR_DIGITS.get(char) or OCR_DIGITS.get(unicodedata.normalize("NFKC", char))
                    if digit is not None:
                        found.setdefault(char, digit)
    return tuple(found.items())


def doc_number_suspect(value: str) -> bool:
    """True when the 文号 has characters that look like digits misread by OCR (:func:`doc_number_ocr_suspects`)."""
    return bool(doc_number_ocr_suspects(value))


def doc_number_ocr_warning(value: str) -> Msg | None:
    """The input warning for a 文号 with OCR look-alikes of digits, or None:
    ``文号“楚政发〔2O18〕12号”中“O”疑为识别错误（数字0？），请核对原件``."""
    suspects = doc_number_ocr_suspects(value)
    if not suspects:
        return None
    characters = Term(
        "".join(f"“{char}”" for char, _digit in suspects), ", ".join(f"'{char}'" for char, _digit in suspects)
    )
    digits = Items(dict.fromkeys(digit for _char, digit in suspects))
    return Msg("value.ocr_suspect", value=value, characters=characters, digits=digits)


_DOC_NUMBER_SHAPE = re.compile(r".*〔\d{4}〕第?\d+号.*")


@lru_cache(maxsize=1 << 16)
def looks_like_doc_number(value: str) -> bool:
    """True for text shaped like a 文号 (``<代字>〔YYYY〕N号``), any bracket variant."""
    return _DOC_NUMBER_SHAPE.fullmatch(normalize_doc_number(value)) is not None


_LIST_SEPARATORS = re.compile(r"[;；、,，\r\n]+")


def split_list(value: str) -> list[str]:
    """Items of a list written in one spreadsheet cell: separated by ; ； 、 , ， or new lines."""
    return [item for item in (part.strip() for part in _LIST_SEPARATORS.split(value)) if item]
