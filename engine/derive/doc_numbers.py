"""Derive functions over 文号 (document numbers): well-formed per GB/T 9704-2012, and their year."""

from __future__ import annotations

import re

from ...models.fields import normalize_doc_number
from .declare import derive

#: GB/T 9704-2012 7.2.4: 发文机关代字 + 〔年份全称〕 + 序号 (no leading zeros) + 号.
DOC_NUMBER_PATTERN = re.compile(r"^[\u4e00-\u9fff]+〔([0-9]{4})〕([1-9][0-9]*)号$")


@derive(("str",), "bool")
def doc_number_well_formed(doc_number: str) -> bool:
    """`<机关代字>〔YYYY〕N号` after normalisation (GB/T 9704-2012: full year, no leading zeros)."""
    return DOC_NUMBER_PATTERN.match(normalize_doc_number(doc_number)) is not None


@derive(("str",), "int")
def doc_number_year(doc_number: str) -> int | None:
    """The YYYY in the 文号; missing when the 文号 is malformed."""
    match = DOC_NUMBER_PATTERN.match(normalize_doc_number(doc_number))
    return int(match.group(1)) if match else None
