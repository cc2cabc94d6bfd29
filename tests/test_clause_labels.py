"""Citations name their clause as the source numbers it, in every output that shows a citation.

A Hunan, Panjin or Lvyuan rule cites an item written "25." in the plan; a report that shows a bare
"25." reads as a stray number. pack.yaml's ``clause_label`` names it "第25项" / "item 25" (Chuxiong
"措施25" / "measure 25", laws "第二十五条" / "Art. 25"); JSON, JSON Lines and SARIF add
``citation.clause_label`` beside ``clause``, CSV a last column ``citation_clause_label``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest

from fzcheck.engine.outcomes.results import Citation
from fzcheck.engine.output import RenderOptions, render, render_report
from fzcheck.engine.output.csv_report import BOM
from fzcheck.engine.rules.clauses import (
    chinese_numeral,
    chinese_numeral_value,
    clause_label,
    label_problems,
    style_pattern,
)
from fzcheck.engine.rules.packs import default_catalog

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import sample_audit_report, sample_report

ITEM = {"zh": "第{n}项", "en": "item {n}"}
ARTICLE = {"zh": "第{n_zh}条", "en": "Art. {n}"}


@pytest.mark.parametrize(
    "number, numeral",
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (25, "二十五"),
        (42, "四十二"),
        (100, "一百"),
        (106, "一百零六"),
        (110, "一百一十"),
        (1010, "一千零一十"),
    ],
)
def test_chinese_numerals_as_statutes_write_them(number, numeral):
    assert chinese_numeral(number) == numeral
    if number < 100:
        assert chinese_numeral_value(numeral) == number


def test_a_style_finds_whole_numbers_only():
    assert style_pattern("{n}.").findall("25.（统一编号）；GB/T 9704-2012 7.2.4（发文字号格式）") == ["25"]
    assert style_pattern("第{n}条").findall("第63条、第64条第（一）项、第85条") == ["63", "64", "85"]
    assert style_pattern("措施{n}").findall("措施2、措施17") == ["2", "17"]


@pytest.mark.parametrize(
    "clause, style, label, zh, en",
    [
        ("25.", "{n}.", ITEM, "第25项", "item 25"),
        (
            "25.（统一编号）；GB/T 9704-2012 7.2.4（发文字号格式）",
            "{n}.",
            ITEM,
            "第25项（统一编号）；GB/T 9704-2012 7.2.4（发文字号格式）",
            "item 25（统一编号）; GB/T 9704-2012 7.2.4（发文字号格式）",
        ),
        (
            "措施16、措施17",
            "措施{n}",
            {"zh": "措施{n}", "en": "measure {n}"},
            "措施16、措施17",
            "measure 16, measure 17",
        ),
        ("第25条", "第{n}条", ARTICLE, "第二十五条", "Art. 25"),
        (
            "第63条、第64条第（一）项、第85条",
            "第{n}条",
            ARTICLE,
            "第六十三条、第六十四条第（一）项、第八十五条",
            "Art. 63, Art. 64(1), Art. 85",
        ),
        (
            "行政处罚法第14条；行政许可法第17条",
            "第{n}条",
            ARTICLE,
            "行政处罚法第十四条；行政许可法第十七条",
            "行政处罚法 Art. 14; 行政许可法 Art. 17",
        ),
        # a State Council document's section has no article number: kept as written, its 、 too
        ("二、（六）加强事后公开", "第{n}条", ARTICLE, "二、（六）加强事后公开", "二、（六）加强事后公开"),
        ("25.", "{n}.", None, "25.", "25."),
    ],
)
def test_clause_labels(clause, style, label, zh, en):
    assert clause_label(clause, style, label, "zh") == zh
    assert clause_label(clause, style, label, "en") == en


def test_a_bad_label_is_reported():
    assert label_problems(None, ITEM)
    assert label_problems("{n}.", {"zh": "第{number}项", "en": "item {n}"}) == [
        ("zh", "clause_label may use only {n} and {n_zh}: '第{number}项' ('number')")
    ]
    assert label_problems("{n}.", ITEM) == []


def test_a_pack_with_a_bad_label_does_not_load(tmp_path):
    import shutil

    from fzcheck.engine.rules.packs import (
        RuleFileErrors,
        load_catalog,
        packaged_rulesets_dir,
    )

    shutil.copytree(packaged_rulesets_dir(), tmp_path / "rulesets")
    pack = tmp_path / "rulesets" / "hunan-2021" / "pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace('"第{n}项"', '"第{m}项"'), encoding="utf-8")
    with pytest.raises(RuleFileErrors) as caught:
        load_catalog(tmp_path / "rulesets")
    assert "clause_label may use only {n} and {n_zh}: '第{m}项'" in str(caught.value)
    assert "hunan-2021/pack.yaml" in str(caught.value)


def _hunan_citation() -> Citation:
    rule = next(rule for rule in default_catalog().packs["hunan-2021"].rules if rule.id == "ND-DOC-NUMBER-UNIQUE")
    return rule.citation


def test_the_packs_label_their_citations():
    catalog = default_catalog()
    hunan = _hunan_citation()
    assert (hunan.clause, hunan.clause_label("zh"), hunan.clause_label("en")) == ("25.", "第25项", "item 25")
    filing = next(r for r in catalog.packs["chuxiong-2016"].rules if r.id == "ND-FILING-DEADLINE").citation
    assert (filing.clause_label("zh"), filing.clause_label("en")) == ("措施18", "measure 18")
    national = next(r for r in catalog.packs["national"].rules if r.citation.clause == "第25条").citation
    assert (national.clause_label("zh"), national.clause_label("en")) == ("第二十五条", "Art. 25")


def test_a_stored_citation_without_labels_shows_its_clause():
    """Runs stored before labels existed rebuild Citation(**data) without them."""
    old = Citation(document="湖南省法治政府建设实施方案", doc_number=None, clause="25.", quote="q")
    assert old.clause_label("en") == "25."
    assert Citation(**_hunan_citation().to_dict()) == _hunan_citation()  # storage round trip


def _report_citing_hunan():
    """The fixture report with its first outcome citing Hunan's item 25."""
    report = sample_report()
    first = dataclasses.replace(report.outcomes[0], citation=_hunan_citation())
    return dataclasses.replace(report, outcomes=[first, *report.outcomes[1:]])


@pytest.mark.parametrize("fmt", ["table", "markdown", "github", "junit"])
@pytest.mark.parametrize("lang, label", [("zh", "第25项"), ("en", "item 25")])
def test_text_formats_name_the_item(fmt, lang, label):
    output = render(_report_citing_hunan(), fmt, RenderOptions(lang=lang))
    assert label in output


def test_junit_quotes_the_sentence_beside_the_label():
    citation = _hunan_citation()
    output = render(_report_citing_hunan(), "junit", RenderOptions(lang="zh"))
    assert f"第25项：“{citation.quote}”" in output


@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif"])
@pytest.mark.parametrize("lang, label", [("zh", "第25项"), ("en", "item 25")])
def test_json_formats_add_the_label_beside_the_clause(fmt, lang, label):
    output = render(_report_citing_hunan(), fmt, RenderOptions(lang=lang))
    if fmt == "json":
        citation = json.loads(output)["outcomes"][0]["citation"]
    elif fmt == "jsonl":
        citation = next(json.loads(line) for line in output.splitlines() if '"citation"' in line)["citation"]
    else:
        citation = json.loads(output)["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["citation"]
    assert citation["clause"] == "25." and citation["clause_label"] == label
    assert set(citation) == {"document", "doc_number", "clause", "quote", "clause_label"}


def test_csv_adds_the_label_as_its_last_column():
    output = render(_report_citing_hunan(), "csv", RenderOptions(lang="en"))
    [first, *_] = list(csv.DictReader(io.StringIO(output[len(BOM) :], newline="")))
    assert (first["citation_clause"], first["citation_clause_label"]) == ("25.", "item 25")


def _audit_report_citing_hunan():
    report = sample_audit_report()
    report.outcomes[0] = dataclasses.replace(report.outcomes[0], citation=_hunan_citation())
    return report


@pytest.mark.parametrize("lang, label", [("zh", "第25项"), ("en", "item 25")])
def test_html_shows_the_label_and_the_quote(lang, label):
    html = render_report(_audit_report_citing_hunan(), "html", lang)
    assert f"{label}" in html and _hunan_citation().quote in html


@pytest.mark.parametrize("lang, label", [("zh", "第25项"), ("en", "item 25")])
def test_xlsx_clause_column_holds_the_label_beside_the_quote(lang, label):
    book = openpyxl.load_workbook(io.BytesIO(render_report(_audit_report_citing_hunan(), "xlsx", lang)))
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    [row] = [row for row in rows if label in row]
    assert row[row.index(label) + 1] == _hunan_citation().quote
