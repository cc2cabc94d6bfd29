"""The 文号 (发文字号) of a document, read from a line that is nothing but a 文号.

``楚政发〔2016〕30号``, ``沈政令[1997]29号``, ``科工法字[2000] 851号``, ``政府令〔2010〕第15号``
and ``嘉兴市人民政府令第38号``. A line holding more than the 文号 (a sentence citing another
document's number) is no 文号 line: only the header block may give a document its number.
"""

from __future__ import annotations

import re
import unicodedata

_CODE = r"[\u4e00-\u9fffA-Za-z]{1,20}"
_OPEN, _CLOSE = r"[〔［\[（(【｛{]", r"[〕］\]）)】｝}]"
_YEAR_FORM = re.compile(
    rf"(?P<code>{_CODE}?)\s*{_OPEN}\s*(?P<year>\d{{4}})\s*{_CLOSE}\s*(?P<serial>第?\s*\d{{1,5}})\s*号"
)
_ORDER_FORM = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{2,20}令)\s*[（(]?\s*(?P<serial>第\s*[0-9一二三四五六七八九十百〇零]{1,6})\s*号\s*[）)]?"
)


def doc_number_of_line(text: str) -> str | None:
    """The 文号 ``text`` is, whole (spaces around allowed), as printed but with NFKC digits; else None."""
    line = unicodedata.normalize("NFKC", text).strip()
    for pattern in (_YEAR_FORM, _ORDER_FORM):
        match = pattern.fullmatch(line)
        if match is not None and match["code"]:
            return " ".join(text.split())
    return None


#: the longest a line may be to hold one part of a 文号 broken over two lines
_PART_LENGTH = 16


def doc_number_of_two_lines(first: str, second: str) -> str | None:
    """The 文号 that two consecutive header lines make together, when the number was broken over them
    (``楚政发〔2018〕`` / ``12号``, ``楚政发〔20`` / ``18〕12号``); else None. Neither line may be a 文号
    alone, and both must be short and hold nothing but their part (no sentence, no other words): a
    citation broken inside a sentence never makes one."""
    one, two = first.strip(), second.strip()
    if not one or not two or len(one) > _PART_LENGTH or len(two) > _PART_LENGTH:
        return None
    if doc_number_of_line(one) or doc_number_of_line(two):
        return None
    joined = one + two
    if "关于" in joined or "的" in joined:  # a title's words: 关于……的通知 is no agency code
        return None
    return doc_number_of_line(joined)
