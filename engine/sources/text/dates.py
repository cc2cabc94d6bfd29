"""Dates as documents print them: ``2024年7月1日``, ``二〇二四年七月一日`` (the zero also written
○, O, o, 0 or 零), full-width digits, and compact forms (``20240701``, ``2024.7.1``, ``2024-07-01``).

A date that is not a real calendar day, or whose year is not four figures (``二三年`` where a
capture lost its zeros), is no date: None, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_ZERO = "〇○OoＯｏ0０零"
_DIGIT_CHARS = {
    **dict.fromkeys(_ZERO, 0),
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "两": 2,
}
_YEAR_CHAR = "[0-9" + _ZERO + "一二三四五六七八九]"
_SMALL = "[0-9一二三四五六七八九十廿卅〇○零]{1,3}"

#: A date in 年月日 form anywhere in a text (group 1: year, 2: month, 3: day).
CN_DATE = re.compile(rf"({_YEAR_CHAR}{{4}})\s*年\s*({_SMALL})\s*月\s*({_SMALL})\s*日")
#: A compact date: 20240701, 2024.7.1, 2024-07-01, 2024/7/1 (not inside a longer number).
COMPACT_DATE = re.compile(
    r"(?<![0-9])(?:((?:19|20)\d{2})(\d{2})(\d{2})|((?:19|20)\d{2})([.\-/])(\d{1,2})\5(\d{1,2}))(?![0-9])"
)

MIN_YEAR, MAX_YEAR = 1949, 2099


def _year(text: str) -> int | None:
    digits = []
    for char in text:
        if char.isdigit() and char.isascii():
            digits.append(int(char))
        elif char in _DIGIT_CHARS:
            digits.append(_DIGIT_CHARS[char])
        else:
            return None
    return int("".join(map(str, digits))) if len(digits) == 4 else None


def small_number(text: str) -> int | None:
    """一 … 三十一 (also 十一, 二十, 廿一, 卅一), or Arabic digits."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text or any(char not in "一二三四五六七八九十两〇○零" for char in text):
        return None
    if "十" not in text:
        return _DIGIT_CHARS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones:
        return None
    ten = 1 if tens == "" else _DIGIT_CHARS.get(tens) if len(tens) == 1 else None
    one = 0 if ones == "" else _DIGIT_CHARS.get(ones) if len(ones) == 1 else None
    if ten is None or one is None or ten == 0:
        return None
    return ten * 10 + one


def _make(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_from_match(match: re.Match[str]) -> dt.date | None:
    """The date a :data:`CN_DATE` or :data:`COMPACT_DATE` match stands for, or None."""
    if match.re is CN_DATE:
        return _make(_year(match[1]), small_number(match[2]), small_number(match[3]))
    if match[1] is not None:
        return _make(int(match[1]), int(match[2]), int(match[3]))
    return _make(int(match[4]), int(match[6]), int(match[7]))


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` is, whole (spaces around allowed), or None."""
    text = unicodedata.normalize("NFKC", text).strip() if text else ""
    # NFKC turns full-width digits ASCII; the letters O/o stay as they are and count as zeros in a year
    for pattern in (CN_DATE, COMPACT_DATE):
        match = pattern.fullmatch(text)
        if match is not None:
            return date_from_match(match)
    return None


def format_cn(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def format_cn_numerals(value: dt.date, zero: str = "〇") -> str:
    """``2011-01-07`` -> ``二〇一一年一月七日``: how signature blocks print dates (for tests and examples)."""
    digits = "〇一二三四五六七八九".replace("〇", zero)

    def small(number: int) -> str:
        if number < 10:
            return digits[number]
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])

    return "".join(digits[int(char)] for char in str(value.year)) + f"年{small(value.month)}月{small(value.day)}日"
