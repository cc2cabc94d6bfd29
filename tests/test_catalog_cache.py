"""No catalog cache on disk (issue #16, item 7): nothing fzcheck reads when it starts can be planted.

The catalog used to be pickled under ``FZCHECK_CACHE_DIR`` / ``$XDG_CACHE_HOME/fzcheck`` and
``pickle.load``ed before its type was checked, so a file planted there ran code. Loading the rule
files takes about 0.15 s (README, Performance), so the cache is gone: the catalog is always built
from the YAML files by the loader's own code, and no cache file is read or written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from fzcheck import __version__
from fzcheck.cli.main import cli
from fzcheck.engine.rules import language as cond
from fzcheck.engine.rules import packs as rulesets

GOOD_RULES = Path(__file__).parent / "data" / "rules" / "good"
DRAFT = (
    '{"kind": "normative_document", "id": "cx-nd-late", "region_code": "532301", "agency": "楚雄市人民政府", '
    '"doc_number": "楚市政发〔2018〕12号", "title": "楚雄市某某管理办法", "published_on": "2018-06-01", '
    '"filed_on": "2018-06-20", "status": "in_force"}'
)


class _Planted:
    """Unpickling this opens (creates) ``marker``: the stand-in for any command a planted file runs."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def _old_cache_key(root: Path) -> str:
    """The name the removed cache gave its file (``catalog-<key>.pickle``), as it computed it."""
    digest = hashlib.sha256(__version__.encode())
    for module in (Path(rulesets.__file__), Path(cond.__file__)):
        stat = module.stat()
        digest.update(f"{module.name}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    for path in sorted(root.rglob("*.y*ml")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:32]


def _plant(directory: Path, payload: bytes, roots: list[Path]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    planted = [directory / f"catalog-{_old_cache_key(root)}.pickle" for root in roots]
    planted.append(directory / "catalog.pickle")
    for path in planted:
        path.write_bytes(payload)
    return planted


def test_a_planted_pickle_never_runs(tmp_path, monkeypatch):
    marker = tmp_path / "planted-code-ran"
    payload = pickle.dumps(_Planted(marker))
    pickle.loads(payload).close()  # the payload is live: unpickling it does create the file
    assert marker.exists()
    marker.unlink()

    cache_dir, xdg, home = tmp_path / "fz-cache", tmp_path / "xdg", tmp_path / "home"
    roots = [rulesets.packaged_rulesets_dir(), GOOD_RULES]
    planted = [
        *_plant(cache_dir, payload, roots),
        *_plant(xdg / "fzcheck", payload, roots),
        *_plant(home / ".cache" / "fzcheck", payload, roots),
    ]
    before = {path: path.stat().st_mtime_ns for path in planted}
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    monkeypatch.setenv("HOME", str(home))

    rulesets.default_catalog.cache_clear()
    try:
        assert rulesets.default_catalog().packs  # the packaged rules, from their files
    finally:
        rulesets.default_catalog.cache_clear()
    assert rulesets.load_catalog(GOOD_RULES).packs["demo"].rules[0].id == "T-FILING"
    draft = tmp_path / "draft.json"
    draft.write_text(DRAFT, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["rules", "list"]).exit_code == 0
    assert runner.invoke(cli, ["check", str(draft), "--as-of", "2026-11-23"]).exit_code == 1
    # a fresh process, as a user runs it (the removed cache was read at start-up)
    env = {**os.environ, "FZCHECK_CACHE_DIR": str(cache_dir), "XDG_CACHE_HOME": str(xdg), "HOME": str(home)}
    for args in (
        ["check", str(draft), "--as-of", "2026-11-23"],
        ["check", str(draft), "--as-of", "2026-11-23", "--rules-dir", str(GOOD_RULES)],
    ):
        done = subprocess.run([sys.executable, "-m", "fzcheck", *args], env=env, capture_output=True, timeout=120)
        assert done.returncode == 1, done.stderr.decode()

    assert not marker.exists()
    assert {path: path.stat().st_mtime_ns for path in planted} == before
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(p.name for p in planted[: len(roots) + 1])


def test_nothing_is_written_to_a_cache_dir(tmp_path, monkeypatch):
    cache_dir = tmp_path / "fz-cache"
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    rulesets.default_catalog.cache_clear()
    try:
        rulesets.default_catalog()
    finally:
        rulesets.default_catalog.cache_clear()
    rulesets.load_catalog(GOOD_RULES)
    assert not cache_dir.exists() and not (tmp_path / "xdg").exists()


def test_the_loader_has_no_executable_deserialisation():
    source = Path(rulesets.__file__).read_text(encoding="utf-8")
    for needle in ("import pickle", "pickle.load", "import marshal", "import shelve", "yaml.load(", "eval(", "exec("):
        assert needle not in source, needle
    assert not hasattr(rulesets, "pickle") and not hasattr(rulesets, "load_catalog_cached")


def test_an_edited_rule_file_is_read_on_the_next_load(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(GOOD_RULES, root)
    assert rulesets.load_catalog(root).packs["demo"].rules[0].params == {"limit_days": 15}
    template = root / "templates" / "normative_document.yaml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("limit_days: 15", "limit_days: 20"), encoding="utf-8"
    )
    assert rulesets.load_catalog(root).packs["demo"].rules[0].params == {"limit_days": 20}
