"""The corpus of real documents (tests/data/documents): every value the hand-checked expectations
list is extracted exactly, with its line; nothing listed as absent is invented; the content findings
are those expected, and no restating sentence is a violation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from fzcheck.engine.sources.text import extract_file
from fzcheck.engine.sources.text.extract import RECORD_FIELDS

CORPUS = Path(__file__).parent / "data" / "documents"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def test_corpus_is_large_and_varied():
    assert len(EXPECTED) >= 15
    assert {path.name for path in CORPUS.glob("*.txt")} == set(EXPECTED)
    provinces = {entry["values"].get("region_code", "")[:2] for entry in EXPECTED.values()} - {""}
    assert len(provinces) >= 8
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(name in sources for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document(name):
    expected = EXPECTED[name]
    extraction = extract_file(str(CORPUS / name))
    found = {key: _plain(item.value) for key, item in extraction.found.items()}
    assert found == expected["values"]
    for key in expected["absent"]:
        assert key not in found, f"{key} invented: {found.get(key)}"
    for key in set(RECORD_FIELDS) | {"region_code"}:  # every field: its value exactly, or absent
        if key in expected["values"]:
            assert found.get(key) == expected["values"][key], key
        else:
            assert key not in found, f"{key} invented: {found.get(key)}"
    for key, line in expected["lines"].items():
        assert extraction.found[key].line == line
    assert [[f.category, f.verdict, f.line] for f in extraction.findings] == expected["findings"]
    assert extraction.notes.get("truncated") is expected["truncated"]
    if "error" in expected:
        assert extraction.record is None
        [(line, field, text)] = extraction.errors
        assert field == expected["error"]["field"] and expected["error"]["contains"] in text
    else:
        assert extraction.errors == []
        assert extraction.record["region_code"] == expected["values"]["region_code"]


COMPLETE = sorted(name for name, entry in EXPECTED.items() if entry.get("complete"))


def test_complete_texts():
    """At least six complete documents, from several provinces and the State Council, among them
    texts that restate laws and texts that create penalties or detention."""
    assert len(COMPLETE) >= 6
    provinces = {EXPECTED[name]["values"]["region_code"][:2] for name in COMPLETE}
    assert len(provinces - {"00"}) >= 4 and "00" in provinces
    verdicts = {tuple(finding[:2]) for name in COMPLETE for finding in EXPECTED[name]["findings"]}
    assert ("penalty", "restates") in verdicts and ("penalty", "creates") in verdicts
    assert all(EXPECTED[name]["truncated"] is False for name in COMPLETE)


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_text_evidence(name):
    """Each value of a complete text has a quote, found verbatim (as printed: traditional characters
    stay) on the line the expectations give — the hand reading checked against the text, not against
    the extractor; every record field is listed as a value or as absent."""
    expected = EXPECTED[name]
    lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
    fields = set(RECORD_FIELDS) | {"region_code"}
    assert set(expected["values"]) | set(expected["absent"]) == fields
    assert not set(expected["values"]) & set(expected["absent"])
    for key, quote in expected["evidence"].items():
        line = expected["lines"][key]
        # on its line; a title printed over lines may go on to the next two (乐至县人民政府 / 关于……的通告)
        printed = lines[line - 1] if key != "title" else "".join(lines[line - 1 : line + 2])
        assert quote in printed, (key, line, quote)
    flags_set = {key for key in ("sets_license", "sets_penalty", "sets_compulsion") if expected["values"].get(key)}
    assert flags_set <= set(expected["evidence"])
    assert set(expected["values"]) - {"sets_license", "sets_penalty", "sets_compulsion"} <= set(expected["evidence"])
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    [row] = [row for row in sources.splitlines() if row.startswith(f"| {name} ")]
    assert "complete" in row


def test_restating_sentences_are_never_violations():
    """Across the corpus: a sentence that cites a law by name is never a creating finding."""
    for name in EXPECTED:
        for finding in extract_file(str(CORPUS / name)).findings:
            if "《" in finding.sentence and "》第" in finding.sentence:
                assert finding.verdict != "creates", (name, finding.sentence)


def test_body_citations_do_not_lend_a_number():
    """广安: the header's number is garbled, the body cites 广安府办发〔2020〕13号 — no 文号 at all."""
    extraction = extract_file(str(CORPUS / "guangan-2020-jingxihua.txt"))
    assert "广安府办发〔2020〕13号" in (CORPUS / "guangan-2020-jingxihua.txt").read_text(encoding="utf-8")
    assert "doc_number" not in extraction.found


def test_page_chrome_dates_are_not_the_documents():
    """太湖: the catalogue's 生效时间/废止时间 are the site's, not a validity stated by the document."""
    extraction = extract_file(str(CORPUS / "taihu-2019-guize.txt"))
    assert extraction.notes["chrome_lines"] >= 8
    assert "valid_until" not in extraction.found and "effective_from" not in extraction.found


def test_truncated_capture_states_no_flags():
    """临沧 ends mid-sentence: no sets_* value is asserted, and the warning says why."""
    extraction = extract_file(str(CORPUS / "lincang-2006-jiaotong.txt"))
    assert not {"sets_license", "sets_penalty", "sets_compulsion"} & set(extraction.found)
    assert any("不完整" in text for _line, _field, text in extraction.warnings)
