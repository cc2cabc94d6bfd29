"""Every pack rule cites its source, and every quote can be found in that source.

Reports show the quoted sentence as the legal basis of a finding, so a quote that
is not really in the document would mislead the reader. Quotes are compared with
the pack's seed text after removing all whitespace (the captures wrap lines and
indent paragraphs). A quote may leave text out with "……": each part must then
occur in the seed, in order. Quotes from documents that are not among the seeds
(national laws and State Council documents) carry `source: external` and are not
compared.

The seed texts and the rule catalog live in the `shared/` checkout beside this repository (`../shared/seeds`,
`../shared/spec`; or $FZCHECK_SEEDS / $FZCHECK_SPEC). The tests that need them skip, saying so, when they are
absent, and fail instead when $CI is set: CI clones shared/ beside main, so none of them may pass there having
checked nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

import fzcheck.rulesets

RULESETS = Path(fzcheck.rulesets.__file__).parent
REPO = RULESETS.parent
ELISION = "……"


def _first_existing(*candidates: Path | str | None) -> Path | None:
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


SEEDS = _first_existing(os.environ.get("FZCHECK_SEEDS"), REPO / "seeds", REPO.parent / "shared" / "seeds")
SPEC = _first_existing(os.environ.get("FZCHECK_SPEC"), REPO / "spec", REPO.parent / "shared" / "spec")

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_shared(path: Path | None, what: str) -> Path:
    """``path``, or skip (fail under $CI) saying which part of ../shared/ is missing."""
    if path is None:
        message = f"{what} not found: clone the shared repository beside this one (../shared/) or set its variable"
        if IN_CI:
            pytest.fail(f"CI={os.environ['CI']}: {message}")
        pytest.skip(message)
    return path


PACK_DIRS = sorted(path.parent for path in RULESETS.glob("*/pack.yaml"))
RULE_FILES = sorted(path for pack in PACK_DIRS for path in pack.glob("*.yaml") if path.name != "pack.yaml")


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def quote_found(quote: str, source_text: str) -> bool:
    """True when every "……"-separated part of ``quote`` occurs in ``source_text``, in order."""
    haystack = _squash(source_text)
    position = 0
    for part in filter(None, _squash(quote).split(ELISION)):
        found = haystack.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _label(path: Path) -> str:
    return str(path.relative_to(RULESETS))


def test_packs_exist():
    assert {path.name for path in PACK_DIRS} >= {
        "national",
        "chuxiong-2016",
        "panjin-2010",
        "lvyuan-2021",
        "hunan-2021",
    }


@pytest.mark.parametrize("pack_dir", PACK_DIRS, ids=lambda path: path.name)
def test_pack_metadata(pack_dir: Path):
    pack = _load(pack_dir / "pack.yaml")
    assert pack.get("id") == pack_dir.name
    assert pack.get("title")
    assert isinstance(pack.get("version"), str) and pack["version"]
    prefix = pack.get("region_prefix")
    assert isinstance(prefix, str) and re.fullmatch(r"\d{0,6}", prefix), f"region_prefix {prefix!r}"
    assert "{n}" in pack.get("clause_style", "{n}")
    period = pack.get("period")
    if period is not None:
        assert period["from"] <= period["to"]


SOURCED_PACKS = [pack for pack in PACK_DIRS if _load(pack / "pack.yaml").get("source_file")]
SOURCED_RULE_FILES = [path for path in RULE_FILES if path.parent in SOURCED_PACKS]


@pytest.mark.parametrize("pack_dir", SOURCED_PACKS, ids=lambda path: path.name)
def test_pack_source_file_is_among_the_seeds(pack_dir: Path):
    seeds = require_shared(SEEDS, "seed texts (../shared/seeds, $FZCHECK_SEEDS)")
    source = _load(pack_dir / "pack.yaml")["source_file"]
    assert (seeds / source).is_file(), f"{source} not in {seeds}"


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=_label)
def test_rules_cite_their_source(rule_file: Path):
    """Every rule's citation names a document, a clause and a quote (the quotes are compared below)."""
    problems = _rule_file_problems(rule_file, seed_text=None)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule_file", SOURCED_RULE_FILES, ids=_label)
def test_rule_quotes_are_found_in_their_seed_text(rule_file: Path):
    seeds = require_shared(SEEDS, "seed texts (../shared/seeds, $FZCHECK_SEEDS)")
    seed_text = (seeds / _load(rule_file.parent / "pack.yaml")["source_file"]).read_text(encoding="utf-8")
    problems = _rule_file_problems(rule_file, seed_text)
    assert not problems, "\n".join(problems)


def _rule_file_problems(rule_file: Path, seed_text: str | None) -> list[str]:
    pack = _load(rule_file.parent / "pack.yaml")
    rules = _load(rule_file).get("rules")
    assert isinstance(rules, list) and rules, f"{_label(rule_file)}: no `rules` list"
    problems = []
    for rule in rules:
        where = f"{_label(rule_file)}: {rule.get('id', '<no id>')}"
        by_date = rule.get("citations")
        if isinstance(by_date, dict) and by_date and "citation" not in rule:
            # citations by the date from which each source governed the act: each one checked
            cited = [(f"{where} (from {day})", citation) for day, citation in by_date.items()]
        else:
            cited = [(where, rule.get("citation"))]
        for where, citation in cited:
            problems.extend(_citation_problems(where, citation, pack, seed_text))
    return problems


def _citation_problems(where: str, citation, pack: dict, seed_text: str | None) -> list[str]:
    if not isinstance(citation, dict):
        return [f"{where}: no citation"]
    problems: list[str] = []
    if not (citation.get("document") or pack.get("title")):
        problems.append(f"{where}: citation has no document")
    for key in ("clause", "quote"):
        if not citation.get(key):
            problems.append(f"{where}: citation has no {key}")
    quote = citation.get("quote")
    if not quote or citation.get("source") == "external":
        return problems
    if not pack.get("source_file"):
        problems.append(f"{where}: pack has no source_file; mark the quote `source: external`")
    elif seed_text is not None and not quote_found(str(quote), seed_text):
        problems.append(f"{where}: quote not found in {pack['source_file']}: {quote}")
    return problems


def test_quote_matching_ignores_whitespace_and_keeps_order():
    text = "一、甲乙丙。\n    丁戊己。庚辛"
    assert quote_found("甲乙 丙。丁戊", text)
    assert quote_found("甲乙……己。庚", text)
    assert not quote_found("己……甲", text)
    assert not quote_found("甲丙", text)


def _catalog_pairs(kind_heading: str) -> list[tuple[str, str, list[str]]]:
    """(rule id, pack, clause numbers) for each pack a catalog table row names."""
    spec = require_shared(SPEC, "the rule catalog (../shared/spec, $FZCHECK_SPEC)")
    text = (spec / "rule-catalog.md").read_text(encoding="utf-8")
    section = text.split(f"## {kind_heading}", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for row in re.finditer(r"^\| `([A-Z]+-[A-Z0-9-]+)` \|.*\| ([^|]*) \|$", section, re.M):
        for pack, refs in re.findall(r"([a-z]+(?:-\d{4})?) \(([^)]*)\)", row.group(2)):
            pairs.append((row.group(1), pack, re.findall(r"cl\.(\d+)", refs)))
    return pairs


def test_catalog_normative_document_rules_are_in_their_packs():
    pairs = _catalog_pairs("Normative documents")
    assert len(pairs) >= 20
    problems = []
    for rule_id, pack_id, clauses in pairs:
        pack_dir = RULESETS / pack_id
        rule_file = pack_dir / "normative_document.yaml"
        entries = {rule["id"]: rule for rule in _load(rule_file).get("rules", [])} if rule_file.is_file() else {}
        if rule_id not in entries:
            problems.append(f"{pack_id}: {rule_id} missing")
            continue
        style = _load(pack_dir / "pack.yaml").get("clause_style", "{n}")
        clause = str(entries[rule_id].get("citation", {}).get("clause", ""))
        for number in clauses:
            expected = style.format(n=number)
            if not re.search(r"(?<!\d)" + re.escape(expected) + r"(?!\d)", clause):
                problems.append(f"{pack_id}: {rule_id} clause {clause!r} does not name {expected!r}")
    assert not problems, "\n".join(problems)


def test_sources_are_found_in_ci():
    """CI clones main with shared/ beside it: the quote checks above must not silently find no seeds there."""
    require_shared(SEEDS, "seed texts (../shared/seeds, $FZCHECK_SEEDS)")
    require_shared(SPEC, "the rule catalog (../shared/spec, $FZCHECK_SPEC)")
    assert SOURCED_RULE_FILES, "no pack names a source_file: the quote checks would compare nothing"


# --------------------------------------------------------------------------- clause numbers and labels

#: an item number as the seed texts write it: "25." (the captures may put a space before the dot or
#: read it as a comma, or drop it: "19 严格…"), followed by the item's text
_ITEM_START = r"(?<![\d.]){n}(?:\s?[.．,，]|\s)(?=\s?[\u4e00-\u9fff])"


def item_sections(text: str) -> dict[int, str]:
    """Item number -> the text from its number to the next item's, items found in order 1, 2, 3 …

    An item whose number the capture lost (绿园 has no "11") is skipped; two missing in a row end the list."""
    starts: list[tuple[int, int]] = []
    position, number, misses = 0, 1, 0
    while misses < 2:
        found = re.compile(_ITEM_START.format(n=number)).search(text, position)
        if found:
            starts.append((number, found.start()))
            position, misses = found.end(), 0
        else:
            misses += 1
        number += 1
    ends = [start for _, start in starts[1:]] + [len(text)]
    return {number: text[start:end] for (number, start), end in zip(starts, ends)}


def test_item_sections_follow_the_numbering():
    text = "1.甲项内容15日内。2 .乙项，见第3条。3,丙项\n4、页码 4.丁项"
    sections = item_sections(text)
    assert sorted(sections) == [1, 2, 3, 4]
    assert sections[1] == "1.甲项内容15日内。"  # "15日" is not item 15, nor "第3条" item 3
    assert sections[2] == "2 .乙项，见第3条。"
    assert sections[4] == "4.丁项"  # "4、" at a line start is the capture's line number, not the item


def _clause_numbers(clause: str, style: str) -> list[int]:
    from fzcheck.engine.rules.clauses import style_pattern

    return [int(number) for number in style_pattern(style).findall(clause)]


@pytest.mark.parametrize("rule_file", SOURCED_RULE_FILES, ids=_label)
def test_clause_numbers_name_the_seed_item_that_holds_the_quote(rule_file: Path):
    """ "措施18" / "25." must be the item of the seed text the quote comes from: a report names it to
    the reader (第25项), who looks it up by that number."""
    seeds = require_shared(SEEDS, "seed texts (../shared/seeds, $FZCHECK_SEEDS)")
    pack = _load(rule_file.parent / "pack.yaml")
    sections = item_sections((seeds / pack["source_file"]).read_text(encoding="utf-8"))
    assert len(sections) >= 20, f"{pack['source_file']}: only {len(sections)} numbered items found"
    problems = []
    for rule in _load(rule_file)["rules"]:
        by_date = rule.get("citations") or {}
        for citation in [rule.get("citation"), *by_date.values()]:
            if not isinstance(citation, dict) or citation.get("source") == "external":
                continue
            numbers = _clause_numbers(str(citation["clause"]), pack["clause_style"])
            where = f"{_label(rule_file)}: {rule['id']} clause {citation['clause']!r}"
            if not numbers:
                problems.append(f"{where} has no number in the pack's style {pack['clause_style']!r}")
            elif not (
                any(quote_found(citation["quote"], sections.get(number, "")) for number in numbers)
                or quote_found(citation["quote"], "".join(sections.get(number, "") for number in numbers))
            ):
                problems.append(f"{where}: the quote is not in item(s) {numbers} of {pack['source_file']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pack_dir", PACK_DIRS, ids=lambda path: path.name)
def test_pack_names_its_clauses_as_a_reader_says_them(pack_dir: Path):
    """Each pack's clause_label turns its clause numbers into words in both languages: no bare "25."."""
    from fzcheck.engine.rules.clauses import clause_label

    pack = _load(pack_dir / "pack.yaml")
    label = pack.get("clause_label")
    assert isinstance(label, dict) and set(label) == {"zh", "en"}, f"{pack_dir.name}: clause_label {label!r}"
    style = pack["clause_style"]
    sample = style.format(n=25)
    for lang in ("zh", "en"):
        named = clause_label(sample, style, label, lang)
        assert "25" in named or "二十五" in named, (lang, named)
        assert not re.fullmatch(r"\d+\.?", named), f"{pack_dir.name} [{lang}]: {sample!r} is still named {named!r}"
    assert re.search(r"[A-Za-z]", clause_label(sample, style, label, "en")), "the English label has words"


def test_every_citation_shown_carries_its_label():
    """The resolved rules of every pack: labels in both languages, none with a bare item number."""
    from fzcheck.engine.rules.packs import default_catalog

    bare = re.compile(r"(?<![\d.])\d+\.(?!\d)")
    problems = []
    for pack in default_catalog().packs.values():
        for rule in pack.rules:
            for citation in [rule.citation, *(c for _, c in rule.citation_history)]:
                for lang in ("zh", "en"):
                    label = citation.clause_label(lang)
                    if not label or bare.search(label):
                        problems.append(f"{pack.id}/{rule.id} [{lang}]: {citation.clause!r} -> {label!r}")
                if citation.clause_label_en == citation.clause and _clause_numbers(
                    citation.clause or "", pack.meta.clause_style or "{n}"
                ):
                    problems.append(f"{pack.id}/{rule.id}: the English label is the Chinese clause {citation.clause!r}")
    assert not problems, "\n".join(problems)
