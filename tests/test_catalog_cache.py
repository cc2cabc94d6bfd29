"""The pickled catalog cache is used while rule files are unchanged and rebuilt when one changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from fzcheck.engine import rulesets

GOOD_RULES = Path(__file__).parent / "data" / "rules" / "good"


def test_cache_hit_then_invalidated_by_an_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "rules"
    shutil.copytree(GOOD_RULES, root)
    first = rulesets.load_catalog_cached(root)
    assert len(list((tmp_path / "cache").glob("catalog-*.pickle"))) == 1
    again = rulesets.load_catalog_cached(root)
    assert [r.id for r in again.all_rules()] == [r.id for r in first.all_rules()]
    assert again.packs["demo"].rules[0].params == {"limit_days": 15}

    template = root / "templates" / "normative_document.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("limit_days: 15", "limit_days: 20"), encoding="utf-8")
    edited = rulesets.load_catalog_cached(root)
    assert edited.packs["demo"].rules[0].params == {"limit_days": 20}


def test_unreadable_cache_falls_back_to_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "rules"
    shutil.copytree(GOOD_RULES, root)
    rulesets.load_catalog_cached(root)
    for path in (tmp_path / "cache").glob("catalog-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert rulesets.load_catalog_cached(root).packs["demo"].rules[0].id == "T-FILING"
