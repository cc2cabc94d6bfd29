"""The documentation generated from the code is what the code gives now: every cog block of docs/*.md
(the derive-function table of rule-format.md, the field reference records-fields.md) passes
``cog --check``, as ``make lint`` runs it; ``make docs`` rewrites them."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from cogapp import Cog

DOCS = Path(__file__).resolve().parent.parent / "docs"
GENERATED = sorted(path for path in DOCS.glob("*.md") if "[[[cog" in path.read_text(encoding="utf-8"))
CHECK_FAILED = 5  # cog's exit status when a file would change


def cog_check(path: Path) -> int:
    return Cog().main(["cog", "-I", str(DOCS), "--check", "--verbosity", "0", str(path)])


def test_the_generated_documents_are_the_two_fact_tables():
    assert [path.name for path in GENERATED] == ["records-fields.md", "rule-format.md"]


@pytest.mark.parametrize("path", GENERATED, ids=lambda path: path.name)
def test_generated_blocks_are_up_to_date(path):
    assert cog_check(path) == 0, f"{path.name} is stale: run make docs"


@pytest.mark.parametrize("path", GENERATED, ids=lambda path: path.name)
def test_a_stale_block_fails_the_check(path, tmp_path):
    stale = tmp_path / path.name
    shutil.copy(path, stale)
    text = stale.read_text(encoding="utf-8")
    # the first table row inside the generated output, changed by hand
    output = text.index("]]] -->\n") + len("]]] -->\n")
    row = re.compile(r"^\| .*\|$", re.M).search(text, output)
    assert row is not None
    stale.write_text(text[: row.start()] + "| edited by hand |" + text[row.end() :], encoding="utf-8")
    assert cog_check(stale) == CHECK_FAILED


def test_the_derive_function_table_has_a_row_per_registered_function():
    from fzcheck.engine.derive.registry import REGISTRY

    spec = importlib.util.spec_from_file_location("gen_functions", DOCS / "gen_functions.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    table = generator.render()
    header, rule, *rows = table.splitlines()
    assert header == "| function | arguments | returns | reads besides its arguments | meaning | defined in |"
    assert rule == "|---|---|---|---|---|---|"
    assert [re.match(r"\| `([a-z_]+)\(", row)[1] for row in rows] == list(REGISTRY)
    assert "| `deadline_after(start, days)` | date, int | date | calendar | " in table
    assert "| `coalesce(values, ...)` | any, ... | any | — | The first present argument. |" in table
    assert "| `count_same(field)` | any | int | counts | " in table  # a batch function: the rule names the field
    assert "| `officers_unknown(officers)` | list | int | joins | " in table and "`derive/joins.py` |" in table
