"""A document's text made a normative_document record, each value with where it was found.

Values are taken only where the text states them (the field names are the record's:
``fzcheck fields normative_document``); what it does not state stays absent — a truncated capture
states no validity and cannot say that it sets no penalty. The region code comes from the issuing
agency through the gazetteer (:mod:`.regions`); an issuer that names no unit, or several, is an
input error asking for ``region_code`` unless a side file gives it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ....models.fields import to_simplified
from .content import Finding, find_content, flags
from .dates import (
    CN_DATE,
    date_from_match,
    parse_date,
    small_number,
)
from .docnumber import doc_number_of_line, doc_number_of_two_lines
from .intake import Line, TextInputError, meta_file_in_force, read_lines
from .layout import Layout, analyse, is_agency_line
from .messages import message
from .regions import region_of_agency, renamed_note

_EFFECTIVE_DATE = re.compile(rf"自\s*({CN_DATE.pattern})\s*起(?:施行|执行|实施|生效|试行)")
_EFFECTIVE_ON_PUBLICATION = re.compile(r"自(?:公布|发布|印发|颁布|发文)之日起(?:施行|执行|实施|生效|试行)")
_PUBLISHED = re.compile(rf"({CN_DATE.pattern})[^。；，,]{{0,20}}?(?:公布|发布)(?!之日)")
_VALIDITY_YEARS = re.compile(r"有效期(?:为|限为|限)?\s*([0-9一二三四五六七八九十两]{1,3})\s*年")
_VALID_UNTIL = re.compile(rf"有效期(?:至|到|截至|截止至?)\s*({CN_DATE.pattern})")
_TITLE_AGENCY = re.compile(r"^(.{3,40}?)(?:关于|印发)")
_TITLE_LEADING_AGENCY = re.compile(
    r"^(.{2,20}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|指挥部|局|厅))"
)
#: pinyin a page sets after characters, in brackets: 數(shù)據(jù)
_PINYIN = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
_ORDER_HEADING = re.compile(r"^\s*(\S{2,20}?人民政府)令\s*$")
#: traditional forms OpenCC's conversion keeps (覆 is also a simplified character): 批覆 -> 批复
_VARIANTS = {"批覆": "批复"}
_DRAFT = re.compile(r"征求意见稿|[（(]草案[）)]|送审稿")


@dataclass(frozen=True)
class Found:
    """A value and where it was read: the line and the words quoted from it."""

    value: Any
    line: int
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"value": value, "line": self.line, "snippet": self.snippet}


@dataclass
class Extraction:
    file: str
    record: dict[str, Any] | None = None  # None when an error keeps it from being a record
    found: dict[str, Found] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    errors: list[tuple[int | None, str | None, str]] = field(default_factory=list)  # (line, field, message)
    warnings: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """The record as extracted (also when an error keeps it from being one)."""
        return {name: found.value for name, found in self.found.items()}

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        record = None
        if self.record is not None:
            record = {
                key: value.isoformat() if isinstance(value, dt.date) else value for key, value in self.record.items()
            }
        return {
            "file": self.file,
            "record": record,
            "found": {name: found.to_dict() for name, found in self.found.items()},
            "findings": [finding.to_dict(lang) for finding in self.findings],
            "errors": [{"line": line, "field": name, "message": text} for line, name, text in self.errors],
            "warnings": [{"line": line, "field": name, "message": text} for line, name, text in self.warnings],
            "notes": self.notes,
        }


def _snippet(text: str, start: int = 0, end: int | None = None, room: int = 12) -> str:
    end = len(text) if end is None else end
    left, right = max(0, start - room), min(len(text), end + room)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _simplified(lines: list[Line]) -> tuple[list[Line], bool]:
    joined = "\n".join(line.text for line in lines)
    converted = to_simplified(joined)
    for variant, simplified in _VARIANTS.items():  # what OpenCC leaves as it is
        converted = converted.replace(variant, simplified)
    if converted == joined:
        return lines, False
    parts = converted.split("\n")
    if len(parts) != len(lines):  # a conversion never adds lines; if it did, keep the original
        return lines, False
    return [Line(line.number, part, line.page) for line, part in zip(lines, parts)], True


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """PDF text breaks sentences at the page's width: a line that does not end a sentence is joined
    to the next one (numbered as the first), unless the next one starts an article or item."""
    joined: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if (
            joined
            and joined[-1].text
            and not re.search(r"[。；;：:！？!?）)”]$", joined[-1].text)
            and text
            and not re.match(
                r"第[一二三四五六七八九十百零〇\d]+[条章]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", text
            )
            and len(joined[-1].text) >= 25
        ):
            joined[-1] = Line(joined[-1].number, joined[-1].text + text, joined[-1].page)
        else:
            joined.append(Line(line.number, text, line.page))
    return joined


def extract_lines(file: str, lines: list[Line], pdf: bool = False) -> Extraction:
    """Everything the text states, found in ``lines`` (see the module docstring)."""
    result = Extraction(file)
    pinyin = sum(len(_PINYIN.findall(line.text)) for line in lines)
    if pinyin:
        lines = [Line(line.number, _PINYIN.sub("", line.text), line.page) for line in lines]
        result.notes["pinyin_removed"] = pinyin
    lines, converted = _simplified(lines)
    if converted:
        result.notes["traditional_converted"] = True
    layout = analyse(lines)
    if layout.title is None:
        result.errors.append((None, None, message("text.no_document")))
        return result
    if layout.chrome:
        start = lines[layout.start].number
        result.notes["chrome_lines"] = len(layout.chrome)
        result.warnings.append((start, None, message("text.chrome", count=len(layout.chrome), start=start)))
    body = _join_wrapped(layout.body) if pdf else layout.body
    _header_values(layout, result)
    _body_values(layout, body, result)
    complete = not layout.truncated
    result.notes["truncated"] = layout.truncated
    if layout.truncated and layout.last_line is not None:
        result.warnings.append(
            (layout.last_line.number, None, message("text.truncated", snippet=_snippet(layout.last_line.text[-30:])))
        )
    result.findings = find_content(body, _inner_title(layout.title))
    for name, value in flags(result.findings, complete).items():
        if value is not None:
            evidence = [finding for finding in result.findings if finding.flag == name and finding.verdict == "creates"]
            if evidence:
                result.found[name] = Found(True, evidence[0].line, evidence[0].sentence[:60])
            else:
                last = body[-1] if body else lines[-1]
                result.found[name] = Found(False, last.number, message("extract.none_creates"))
    for finding in result.findings:
        if finding.verdict != "restates":
            result.warnings.append((finding.line, finding.flag, finding.explain()))
    _region(result, layout)
    return result


def _inner_title(title: str | None) -> str | None:
    """The document a 印发 notice issues (《……办法》 in ``关于印发《……办法》的通知``), which is its own text."""
    if not title:
        return None
    match = re.search(r"印发《?(.+?)》?的通知$", title) or re.search(r"转发《?(.+?)》?的通知$", title)
    return match[1] if match else title


def _header_values(layout: Layout, result: Extraction) -> None:
    title, title_line = layout.title, layout.title_lines[0]
    assert title is not None  # extract_lines stops at a text without one
    result.found["title"] = Found(title, title_line.number, title)
    if "暂行" in title or "试行" in title:
        word = "暂行" if "暂行" in title else "试行"
        result.found["interim"] = Found(True, title_line.number, word)
    draft = _DRAFT.search(title)
    if draft:
        result.found["status"] = Found("draft", title_line.number, draft[0])
    for position, line in enumerate(layout.header):
        number = doc_number_of_line(line.text)
        if number:
            result.found["doc_number"] = Found(number, line.number, line.text.strip())
            break
        following = layout.header[position + 1] if position + 1 < len(layout.header) else None
        number = doc_number_of_two_lines(line.text, following.text) if following is not None else None
        if number and following is not None:
            # a 文号 broken over two header lines (楚政发〔2018〕 / 12号): found at its first line
            result.found["doc_number"] = Found(number, line.number, f"{line.text.strip()} / {following.text.strip()}")
            break


def _agency(layout: Layout) -> Found | None:
    if layout.signature_agency is not None:
        line = layout.signature_agency
        return Found(line.text.strip(), line.number, line.text.strip())
    title = layout.title or ""
    match = _TITLE_AGENCY.match(title)
    if match and is_agency_line(match[1]):
        line = layout.title_lines[0]
        return Found(match[1], line.number, title)
    match = _TITLE_LEADING_AGENCY.match(title)
    if match:
        line = layout.title_lines[0]
        return Found(match[1], line.number, title)
    for line in layout.header + layout.issuers:
        if line not in layout.title_lines and is_agency_line(line.text) and not doc_number_of_line(line.text):
            return Found(line.text.strip(), line.number, line.text.strip())
    for line in layout.lines[: layout.start + 1]:  # an order's heading above the title: 潍坊市人民政府令
        match = _ORDER_HEADING.match(line.text)
        if match:
            return Found(match[1], line.number, line.text.strip())
    return None


def _cn_date(text: str) -> dt.date | None:
    """The date a :data:`CN_DATE` text stands for (a group of the patterns above that holds one), or None."""
    match = CN_DATE.match(text)
    return date_from_match(match) if match else None


def _body_values(layout: Layout, body: list[Line], result: Extraction) -> None:
    agency = _agency(layout)
    if agency is not None:
        result.found["agency"] = agency
    if layout.signature_date is not None:
        line = layout.signature_date
        result.found["signed_on"] = Found(parse_date(line.text), line.number, line.text.strip())
    for line in layout.header + body:
        for match in _PUBLISHED.finditer(line.text):
            value = _cn_date(match[1])
            if value is not None and "published_on" not in result.found:
                result.found["published_on"] = Found(value, line.number, _snippet(line.text, *match.span()))
    effective = None
    for line in body:
        for match in _EFFECTIVE_DATE.finditer(line.text):
            value = _cn_date(match[1])
            if value is not None:
                effective = Found(value, line.number, _snippet(line.text, *match.span()))
        for match in _EFFECTIVE_ON_PUBLICATION.finditer(line.text):
            effective = Found("on_publication", line.number, _snippet(line.text, *match.span()))
        for match in _VALIDITY_YEARS.finditer(line.text):
            years = small_number(match[1])
            if years:
                result.found["validity_years"] = Found(years, line.number, _snippet(line.text, *match.span()))
        for match in _VALID_UNTIL.finditer(line.text):
            value = _cn_date(match[1])
            if value is not None:
                result.found["valid_until"] = Found(value, line.number, _snippet(line.text, *match.span()))
    if effective is not None:
        if effective.value == "on_publication":
            # 自公布之日起施行: the day of publication, when the text prints it; else the record's
            # published_on (from a side file) stands for it, as records.md derives
            result.notes["effective_on_publication"] = {"line": effective.line, "snippet": effective.snippet}
            if "published_on" in result.found:
                result.found["effective_from"] = Found(
                    result.found["published_on"].value, effective.line, effective.snippet
                )
        else:
            result.found["effective_from"] = effective


def _side_words(file: str, meta_name: str | None = None) -> dict[str, str]:
    """Where the user gives what the text lacks: the side file beside the document, or --meta; for
    standard input, which has no file to sit beside, --meta only."""
    if file == "-" and meta_name is None:
        return {"where": "--meta FILE 旁注文件", "where_en": "with --meta FILE"}
    side = meta_name or f"{file}.yaml"
    return {"where": f"旁注文件（{side}）或 --meta", "where_en": f"in the side file ({side}) or with --meta"}


def _region(result: Extraction, layout: Layout) -> None:
    agency = result.found.get("agency")
    side = _side_words(result.file)
    if agency is None:
        result.notes["region_error"] = message("region.no_agency", **side)
        return
    answer = region_of_agency(agency.value)
    if answer.code is None:
        key = "region.ambiguous" if answer.candidates else "region.unknown"
        shown = "、".join(f"{unit.name} {unit.code}" for unit in answer.candidates[:6])
        result.notes["region_error"] = message(key, agency=agency.value, candidates=shown, **side)
        return
    if answer.national:
        result.notes["national_issuer"] = answer.matched
        result.found["region_code"] = Found(answer.code, agency.line, answer.matched)
        return
    signed = result.found.get("signed_on")
    assert answer.unit is not None  # a code is a unit's, or a national issuer's
    renamed = renamed_note(answer.unit, signed.value if signed else None)
    if renamed is not None:
        ambiguous, entry = renamed
        text = message(
            "region.renamed",
            agency=agency.value,
            old=entry["old"]["name"],
            new=entry["new"]["name"],
            date=entry.get("changed_on") or entry["year"],
            source=entry.get("approval") or entry["source"],
            code=answer.code,
        )
        if ambiguous:
            result.notes["region_error"] = message(
                "region.ambiguous",
                agency=agency.value,
                **side,
                candidates=f"{entry['old']['name']} {entry['old']['code']}、"
                f"{entry['new']['name']} {entry['new']['code']}",
            )
            return
        result.warnings.append((agency.line, "region_code", text))
    result.found["region_code"] = Found(answer.code, agency.line, answer.matched)


RECORD_FIELDS = (
    "doc_number",
    "title",
    "agency",
    "interim",
    "status",
    "signed_on",
    "published_on",
    "effective_from",
    "valid_until",
    "validity_years",
    "sets_license",
    "sets_penalty",
    "sets_compulsion",
)


def build_record(
    result: Extraction, record_id: str, meta: dict[str, Any] | None = None, meta_name: str | None = None
) -> None:
    """The record from what was found, a side file's values winning (a warning where they disagree).
    Without a region code from either, the record is not made: an error asks for region_code."""
    meta = dict(meta or {})
    record: dict[str, Any] = {"kind": "normative_document", "id": str(meta.pop("id", record_id))}
    for name in RECORD_FIELDS + ("region_code",):
        if name in result.found:
            record[name] = result.found[name].value
    for name, given in meta.items():
        found = result.found.get(name)
        if found is not None and _differs(given, found.value):
            result.warnings.append(
                (
                    found.line,
                    name,
                    message(
                        "meta.disagrees",
                        field=name,
                        given=given,
                        found=_shown(found.value),
                        line=found.line,
                        snippet=found.snippet[:40],
                    ),
                )
            )
        record[name] = given
    if "region_code" not in record:
        result.errors.append(
            (
                None,
                "region_code",
                result.notes.get("region_error") or message("region.no_agency", **_side_words(result.file, meta_name)),
            )
        )
        return
    result.record = record


def _shown(value: Any) -> str:
    return (
        value.isoformat()
        if isinstance(value, dt.date)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )


def _differs(given: Any, found: Any) -> bool:
    if isinstance(found, dt.date):
        if isinstance(given, dt.datetime):
            given = given.date()
        if isinstance(given, str):
            given = parse_date(given) or given
    if isinstance(found, bool) and isinstance(given, str):
        return given.strip().lower() not in (("true", "是", "yes") if found else ("false", "否", "no"))
    return str(given).strip() != str(found).strip() if not isinstance(found, (dt.date, bool, int)) else given != found


def side_file(file: str) -> Path | None:
    """``draft.docx.yaml`` (or ``.yml``) beside the document, when there is one."""
    if file == "-":
        return None
    for suffix in (".yaml", ".yml"):
        candidate = Path(file + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_meta(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8-sig") as source:
            data = yaml.safe_load(source)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TextInputError(str(path), message("meta.unreadable", reason=" ".join(str(exc).split()))) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TextInputError(str(path), message("meta.not_mapping"))
    return {str(key): value for key, value in data.items()}


def extract_file(file: str, meta_file: Path | None = None, data: bytes | None = None) -> Extraction:
    """Read, extract and build the record of one document; a side file beside it (or ``meta_file``)
    supplies what no text carries. An unreadable document is an Extraction with one error."""
    try:
        lines = read_lines(file, data)
    except TextInputError as exc:
        return Extraction(file, errors=[(exc.line, None, exc.text)])
    result = extract_lines(file, lines, pdf=file.lower().endswith(".pdf"))
    if result.errors:
        return result
    meta_path = meta_file or meta_file_in_force() or side_file(file)
    meta: dict[str, Any] = {}
    if meta_path is not None:
        try:
            meta = read_meta(meta_path)
        except TextInputError as exc:
            result.errors.append((None, None, f"{exc.file}: {exc.text}"))
            return result
        result.notes["meta_file"] = str(meta_path)
    stem = "stdin" if file == "-" else Path(file).stem
    build_record(result, stem, meta, str(meta_path) if meta_path else None)
    return result
