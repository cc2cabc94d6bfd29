"""The layers of the package, read from its imports: what may import what (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """The fzcheck modules a file imports, as dotted names relative to ``fzcheck`` (relative imports
    resolved against the file's own package)."""
    package = path.relative_to(ROOT).with_suffix("").parts
    package = package[1:] if package[0] == "fzcheck" else package
    package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("fzcheck"):
                target = node.module.removeprefix("fzcheck").lstrip(".")
            else:
                continue
            found.add(target)
            found.update(f"{target}.{alias.name}" if target else alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.removeprefix("fzcheck.") for alias in node.names if alias.name.startswith("fzcheck.")
            )
    return found


def test_the_import_reader_resolves_relative_imports():
    """The scan below is only as good as this: a relative import resolves to the module it names."""
    names = imported_modules(ROOT / "models" / "records.py")
    assert "messages" in names and "models.issues" in names and "models.fields" in names


def test_models_import_nothing_of_the_engine():
    """Record models are the vocabulary every layer shares: they depend on the message catalog only."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.startswith(("engine", "cli"))
        )
        for path in (ROOT / "models").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_engine_does_not_import_the_cli():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path) if name.startswith("cli"))
        for path in (ROOT / "engine").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_one_kind_registry_names_every_kind_the_models_tables_and_reports_know():
    """models/kinds.py is the one list of kinds: the record models, the database's tables, the
    rule files' kinds and the reports' labels are all read from it."""
    from fzcheck.engine.output.common import KIND_LABELS
    from fzcheck.engine.store.schema import RECORD_TABLES
    from fzcheck.engine.subjects.kinds import known_kinds
    from fzcheck.models.kinds import KINDS, RECORD_KINDS
    from fzcheck.models.records import RECORD_MODELS

    assert tuple(RECORD_MODELS) == RECORD_KINDS == tuple(RECORD_TABLES)
    assert known_kinds() == list(KINDS) == [*RECORD_KINDS, "officer_year", "agency_year"]
    assert set(KIND_LABELS["zh"]) == set(KIND_LABELS["en"]) == set(KINDS)
    assert {table.name for table in RECORD_TABLES.values()} == {KINDS[kind].table for kind in RECORD_KINDS}
