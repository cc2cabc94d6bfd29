"""Parsers for the value formats found in agencies' registers (台账).

Each parser returns a plain Python value or raises ``ValueError`` with a short message
that the CLI shows as is, e.g. ``invalid date '2019-02-30'``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
import re

#: Full-width digits and the punctuation Chinese input methods produce inside dates and numbers.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                             "－": "-", "／": "/", "．": ".", "：": ":", "\u3000": " "})

_NUMERIC_DATE = re.compile(
    r"(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
    r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "三": 3,
              "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
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
    """A date from ISO, ``2016年12月29日``, ``2016/12/29``, ``2016.12.29``, a datetime string
    (time dropped), a ``date``/``datetime`` object (Excel, YAML) or a Chinese-numeral date
    such as ``二○一一年三月十七日``.

    Numbers are refused: an Excel serial only becomes a date through :func:`excel_serial_to_date`.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"invalid date '{value}'")
    return parse_date_text(value)


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
        match = _CN_DATE.fullmatch(text)
        if match:
            year = int("".join(str(_CN_DIGITS[c]) for c in match[1]))
            month, day = _cn_small_number(match[2]), _cn_small_number(match[3])
            if month is not None and day is not None:
                return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"invalid date '{value}'")


#: Serials Excel shows as 1950-01-01 .. 2100-12-31; outside that a number in a date column is
#: far more likely a typo (a year, 20161229) than a date, so it stays an error.
_EXCEL_SERIAL_RANGE = (18264, 73415)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial_to_date(serial: float) -> dt.date:
    """An Excel (1900 date system) serial number as a date; the time fraction is dropped."""
    if isinstance(serial, bool) or not isinstance(serial, (int, float)) \
            or not _EXCEL_SERIAL_RANGE[0] <= int(serial) <= _EXCEL_SERIAL_RANGE[1]:
        raise ValueError(f"invalid date '{serial}'")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


_BOOL_WORDS = {"true": True, "false": False, "是": True, "否": False, "1": True, "0": False,
               "y": True, "n": False, "yes": True, "no": False}


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
    raise ValueError(f"invalid boolean '{value}'; expected true/false, 是/否, 1/0, Y/N or yes/no")


_OPENING = "[【(（〔〖﹝［"
_CLOSING = "]】)）〕〗﹞］"
_YEAR_IN_BRACKETS = re.compile(rf"[{re.escape(_OPENING)}](\d{{4}})[{re.escape(_CLOSING)}]")
_NON_STANDARD = re.compile(rf"[{re.escape(_OPENING.replace('〔', '') + _CLOSING.replace('〕', ''))}]|[０-９]")


@lru_cache(maxsize=1 << 16)
def normalize_doc_number(value: str) -> str:
    """A 文号 in the GB/T 9704 form: the year's brackets become 〔〕, digits ASCII, no spaces.

    ``楚政发[2016] 30号``, ``楚政发（２０１６）30号`` -> ``楚政发〔2016〕30号``; the rest is kept.
    """
    text = "".join(value.split())
    if _NON_STANDARD.search(text) is None:
        return text
    return _YEAR_IN_BRACKETS.sub(lambda match: f"〔{match[1]}〕", text.translate(_FULL_WIDTH))


_DOC_NUMBER_SHAPE = re.compile(r".*〔\d{4}〕第?\d+号.*")


@lru_cache(maxsize=1 << 16)
def looks_like_doc_number(value: str) -> bool:
    """True for text shaped like a 文号 (``<代字>〔YYYY〕N号``), any bracket variant."""
    return _DOC_NUMBER_SHAPE.fullmatch(normalize_doc_number(value)) is not None


_LIST_SEPARATORS = re.compile(r"[;；、,，\r\n]+")


def split_list(value: str) -> list[str]:
    """Items of a list written in one spreadsheet cell: separated by ; ； 、 , ， or new lines."""
    return [item for item in (part.strip() for part in _LIST_SEPARATORS.split(value)) if item]
