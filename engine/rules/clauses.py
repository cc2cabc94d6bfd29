"""Clause labels a reader can say: the clause numbers of a citation, named as its source numbers them.

A pack's ``clause_style`` says how a clause number is written in its rule files ("{n}." for the
Hunan, Panjin and Lvyuan plans, "措施{n}" for Chuxiong, "第{n}条" for laws); its ``clause_label``
says how a reader names that clause in each language ("第{n}项" / "item {n}", "措施{n}" /
"measure {n}", "第{n_zh}条" / "Art. {n}"). A bare "25." in a report reads as a stray number;
"第25项" / "item 25" does not. Text around the numbers (law names, 第（一）项, sections such as
"二、（六）") is kept; in English the Chinese list separators become commas and semicolons and a
law's 第（一）项 becomes "(1)".
"""

from __future__ import annotations

import re

from ...messages import Msg

_DIGITS = "零一二三四五六七八九"
_CHINESE_DIGIT_VALUES = {character: value for value, character in enumerate(_DIGITS)} | {"两": 2}


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 25 -> 二十五, 106 -> 一百零六 (statutes number their articles this way)."""
    if number < 0 or number > 9999:
        raise ValueError(f"clause number out of range: {number}")
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    parts: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            if zero_pending and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero_pending = False
        elif parts:
            zero_pending = True
    return "".join(parts)


def chinese_numeral_value(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20 (the small numbers of 第（一）项); None if not such a numeral."""
    if not text or any(character not in _CHINESE_DIGIT_VALUES and character != "十" for character in text):
        return None
    if "十" not in text:
        return _CHINESE_DIGIT_VALUES[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGIT_VALUES[tens] if tens else 1) * 10 + (_CHINESE_DIGIT_VALUES[ones] if ones else 0)


def style_pattern(style: str) -> re.Pattern[str]:
    """The regular expression of a clause number written in ``style`` (its number as group 1).

    A number is not part of a longer one: "{n}." finds "25." in "25.（统一编号）" but nothing in
    "GB/T 9704-2012 7.2.4"."""
    before, _, after = style.partition("{n}")
    pattern = re.escape(before) + r"(?<![\d.])(\d+)" + re.escape(after)
    if after.endswith("."):
        pattern += r"(?!\d)"
    return re.compile(pattern)


_SUB_ITEM = re.compile(r"第（([零一二两三四五六七八九十]+)）项")
#: list separators between clauses; not the 、 of a section number such as "二、（六）"
_EN_SEPARATORS = (
    (re.compile(r"(?<![零一二三四五六七八九十])、"), ", "),
    (re.compile("；"), "; "),
    (re.compile("，"), ", "),
)


def clause_label(clause: str | None, style: str | None, label: dict[str, str] | None, lang: str) -> str:
    """``clause`` with each number written in ``style`` named by ``label[lang]``; ``clause`` itself
    when the pack gives no label (or the clause has no number in its style)."""
    if not clause:
        return ""
    template = (label or {}).get(lang)
    if not style or not template:
        return clause

    def named(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return template.format(n=number, n_zh=chinese_numeral(number))

    text = style_pattern(style).sub(named, clause)
    if lang == "en":
        text = _SUB_ITEM.sub(lambda match: f"({chinese_numeral_value(match.group(1)) or match.group(1)})", text)
        for separator, english in _EN_SEPARATORS:
            text = separator.sub(english, text)
        text = re.sub(r"(?<=[^\s(（《])(?=(?:Art|item|measure)\b)", " ", text)
    return text


def label_problems(style: str | None, label: dict[str, str]) -> list[tuple[str | None, Msg]]:
    """What is wrong with a pack's ``clause_label`` (language, problem): it needs a ``clause_style``
    with {n} to find the numbers, and may use only {n} and {n_zh}."""
    if not style or "{n}" not in style:
        return [(None, Msg("rules.label_needs_style"))]
    problems: list[tuple[str | None, Msg]] = []
    for lang, template in label.items():
        try:
            template.format(n=25, n_zh=chinese_numeral(25))
        except (KeyError, IndexError, ValueError) as exc:
            problems.append((lang, Msg("rules.label_placeholders", template=repr(template), detail=str(exc))))
    return problems
