"""Every backend gives the outcomes of the python backend, the IR's own semantics (issue #10).

The python backend evaluates each rule's branches in order (``rules/language.evaluate``); durable-rules
runs the same branches as a Rete network of day numbers and presence flags. They must agree on the
first branch that holds for every rule and subject, so on every outcome: over every rule's own
examples, over the sample cases (whole reports, byte for byte), and over a generated batch of
records of every kind, checked as ``check`` chooses packs and with every pack forced on every record.
Each comparison also makes sure both backends really ran, and one shows the comparison catches a
backend that is wrong about a single branch. Last, nothing outside engine/backends/durable imports
durable-rules (or that folder).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import fzcheck.engine.backends as backends
from fzcheck.cli.main import cli
from fzcheck.engine.backends import backend_names, get_backend
from fzcheck.engine.backends.python.backend import PythonBackend, PythonPrepared
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.evaluate.evaluator import PackKindEvaluator
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules import packs
from fzcheck.engine.rules.examples import run_examples
from fzcheck.engine.rules.packs import RuleFileErrors, default_catalog, load_catalog
from fzcheck.engine.sources.generator import generate_agency_records, generate_records
from fzcheck.models.records import parse_record

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_cases"
CASES = sorted(path.parent for path in SAMPLES.rglob(".expected.json"))
ORACLE = "python"
OTHERS = [name for name in backend_names() if name != ORACLE]
AS_OF = dt.date(2026, 11, 23)


def test_the_registry_finds_the_backends_and_defaults_to_durable():
    assert backend_names() == ["durable", "duckdb", "python", "sqlite"]
    assert get_backend() is get_backend("durable")
    assert get_backend("python").name == "python" and get_backend("durable").name == "durable"
    backend = PythonBackend()
    assert get_backend(backend) is backend
    with pytest.raises(ValueError, match="unknown backend 'sql'; known: durable, duckdb, python, sqlite"):
        get_backend("sql")


def test_the_evaluator_runs_on_the_backend_it_is_given():
    catalog = default_catalog()
    evaluator = PackKindEvaluator(catalog.packs["national"], "enforcement_case", backend="python")
    assert evaluator.backend is get_backend("python") and isinstance(evaluator.prepared, PythonPrepared)
    assert PackKindEvaluator(catalog.packs["national"], "enforcement_case").backend is get_backend("durable")


@pytest.fixture
def run_on(monkeypatch):
    """``run_on(name, what)``: ``what()`` with ``name`` as the default backend, which must prepare rules."""

    def run(name: str, what):
        backend = get_backend(name)
        prepared = []
        original = type(backend).prepare

        def counting(self, rules):
            prepared.append(rules.key)
            return original(self, rules)

        with monkeypatch.context() as patch:
            patch.setattr(backends, "DEFAULT", name)
            patch.setattr(type(backend), "prepare", counting)
            result = what()
        assert prepared, f"the {name} backend prepared no rules"
        return result

    return run


def _mismatches(expected: list, got: list) -> list:
    assert len(expected) == len(got)
    return [(want, found) for want, found in zip(expected, got) if want != found]


@pytest.mark.parametrize("backend", OTHERS)
def test_every_rule_example_gives_what_the_oracle_gives(backend, run_on):
    catalog = default_catalog()

    def results():
        return [
            (result.label, result.as_of, result.got, result.message, result.evidence, result.ok)
            for result in run_examples(catalog)
        ]

    oracle = run_on(ORACLE, results)
    assert len(oracle) >= 2 * len(catalog.all_rules())
    assert {got for _, _, got, *_ in oracle} >= {"pass", "violation", "indeterminate"}
    assert [label for label, *_, ok in oracle if not ok] == []  # they behave as labelled on the oracle too
    assert _mismatches(oracle, run_on(backend, results)) == []


def _check_json(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json", "--all"])
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, result.stdout


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize(
    "folder, options",
    [
        *[(case, ()) for case in CASES],
        (SAMPLES, ()),
        (SAMPLES, ("--absent-steps", "violation", "--lang", "en")),
    ],
    ids=[*(case.relative_to(SAMPLES).as_posix() for case in CASES), "all", "all-violation-en"],
)
def test_sample_case_reports_are_the_oracles_byte_for_byte(folder, options, backend, run_on):
    expected = folder / ".expected.json"
    as_of = json.loads(expected.read_text(encoding="utf-8"))["as_of"] if expected.exists() else AS_OF.isoformat()
    args = (str(folder), "--as-of", as_of, *options)
    oracle = run_on(ORACLE, lambda: _check_json(*args))
    assert json.loads(oracle[1])["outcomes"]
    assert run_on(backend, lambda: _check_json(*args)) == oracle


@pytest.mark.parametrize("backend", OTHERS)
def test_check_engine_option_runs_the_named_backend(backend, monkeypatch):
    prepared = []
    chosen = get_backend(backend)
    original = type(chosen).prepare

    def counting(self, rules):
        prepared.append(self.name)
        return original(self, rules)

    monkeypatch.setattr(type(chosen), "prepare", counting)
    args = [str(SAMPLES), "--as-of", AS_OF.isoformat(), "--format", "json", "--all"]
    oracle = CliRunner().invoke(cli, ["check", *args, "--engine", ORACLE])
    got = CliRunner().invoke(cli, ["check", *args, "--engine", backend])
    assert (got.exit_code, got.stdout) == (oracle.exit_code, oracle.stdout) and json.loads(got.stdout)["outcomes"]
    assert prepared and set(prepared) == {backend}


def test_check_refuses_an_unknown_engine_naming_the_engines():
    result = CliRunner().invoke(cli, ["check", str(SAMPLES), "--engine", "spark"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "错误：'--engine' 的值无效：'spark' 不是可选值之一：'durable', 'duckdb', 'python', 'sqlite'。\n"
    )


def _generated_records() -> list:
    rows = [*generate_records(3000, seed=7), *generate_agency_records(seed=7)]
    return [parse_record(row, SourceRef("generated.jsonl", line)) for line, row in enumerate(rows, 1)]


@pytest.fixture(scope="module")
def generated():
    records = _generated_records()
    assert {record.kind for record in records} >= {
        "normative_document",
        "enforcement_case",
        "officer",
        "training_session",
        "reconsideration_case",
        "major_decision",
        "agency",
    }
    return records


def _first_branches_and_outcomes(monkeypatch, records, **options) -> tuple[list, list]:
    """Every (pack, kind, subject id, first branches) ``fire`` gave, sorted, and the report's outcomes."""
    fired = []
    original = PackKindEvaluator.fire

    def recording(self, subjects, ctx, as_of):
        derived, first_branches = original(self, subjects, ctx, as_of)
        fired.extend(
            (self.pack.id, self.kind, subject.id, sorted(first.items()))
            for subject, first in zip(subjects, first_branches)
        )
        return derived, first_branches

    with monkeypatch.context() as patch:
        patch.setattr(PackKindEvaluator, "fire", recording)
        report = check_records(records, as_of=AS_OF, **options)
    return sorted(fired), [outcome.to_dict("zh") for outcome in report.outcomes] + [report.summary()]


GENERATED_RUNS = {
    "packs-by-region-and-date": {},
    "every-pack-forced-absent-steps-violation": {
        "rulesets": tuple(default_catalog().packs),
        "absent_steps": "violation",
    },
}


@pytest.mark.parametrize("backend", OTHERS)
@pytest.mark.parametrize("run", GENERATED_RUNS)
def test_a_generated_batch_of_every_kind_fires_the_oracles_branches(run, backend, generated, run_on, monkeypatch):
    options = GENERATED_RUNS[run]
    oracle = run_on(ORACLE, lambda: _first_branches_and_outcomes(monkeypatch, generated, **options))
    fired, outcomes = oracle
    decided = sum(len(first) for *_, first in fired)
    assert decided > 10_000
    kinds = {kind for _, kind, _, first in fired if first}
    assert kinds >= {"normative_document", "enforcement_case", "officer_year", "agency_year"}
    assert {outcome["outcome"] for outcome in outcomes[:-1]} >= {"pass", "violation", "indeterminate"}
    got = run_on(backend, lambda: _first_branches_and_outcomes(monkeypatch, generated, **options))
    assert _mismatches(fired, got[0]) == []
    assert _mismatches(outcomes, got[1]) == []


def test_the_comparison_catches_a_backend_wrong_about_one_branch(generated, run_on, monkeypatch):
    """A backend that says the branch before the one that held, for the first rule of each pack and kind."""
    oracle = run_on(ORACLE, lambda: _first_branches_and_outcomes(monkeypatch, generated))
    original = PythonPrepared.first_branches

    def off_by_one(self, rows):
        found = original(self, rows)
        for first in found:
            if first.get(0, 0) > 0:
                first[0] -= 1
        return found

    monkeypatch.setattr(PythonPrepared, "first_branches", off_by_one)
    wrong = run_on(ORACLE, lambda: _first_branches_and_outcomes(monkeypatch, generated))
    assert _mismatches(oracle[0], wrong[0])
    assert _mismatches(oracle[1], wrong[1])


def test_a_name_durable_rules_reserves_is_a_limit_of_that_backend_alone(tmp_path, monkeypatch, run_on):
    """durable-rules keeps a fact's ``id`` for itself: loading refuses a condition on ``id`` (every
    backend must run every rule), as it did before there were backends; the python backend alone
    would read the record's id."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "tests" / "data" / "rules" / "broken" / "engine_long_in", folder)
    templates = folder / "templates" / "normative_document.yaml"
    data = yaml.safe_load(templates.read_text(encoding="utf-8"))
    data["templates"][1]["outcomes"][0]["violation"] = "id == 'nd-1'"
    templates.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RuleFileErrors) as raised:
        load_catalog(folder)
    assert str(raised.value) == (
        f"{folder / 'demo' / 'normative_document.yaml'}:4: rule T-LONG-IN cannot run on the rule engine: "
        "T-LONG-IN: conditions cannot test id (reserved by durable-rules)"
    )

    monkeypatch.setattr(packs, "_check_engine_limits", lambda found, errors: None)
    catalog = load_catalog(folder)
    pack = catalog.packs["demo"]
    [rule] = [rule for rule in pack.rules if rule.id == "T-LONG-IN"]
    assert get_backend("python").limit_problems(rule) == []
    with pytest.raises(ValueError, match=r"T-LONG-IN: conditions cannot test id \(reserved by durable-rules\)"):
        PackKindEvaluator(pack, "normative_document", backend="durable").prepared  # noqa: B018
    records = [
        parse_record(
            {"kind": "normative_document", "id": record_id, "region_code": "110000", "title": "办法"},
            SourceRef("documents.jsonl", line),
        )
        for line, record_id in enumerate(["nd-1", "nd-2"], 1)
    ]
    report = run_on(ORACLE, lambda: check_records(records, as_of=AS_OF, catalog=catalog, rulesets=["demo"]))
    assert [(o.record_id, o.outcome) for o in report.outcomes if o.rule_id == "T-LONG-IN"] == [
        ("nd-1", "violation"),
        ("nd-2", "pass"),
    ]


# --------------------------------------------------------------------------- the boundary

#: the folders of the package's source, by the package they are (pyproject.toml's package-dir)
PACKAGE_DIRS = {"fzcheck": "fzcheck", "engine": "fzcheck.engine", "cli": "fzcheck.cli", "models": "fzcheck.models"}
DURABLE_FOLDER = ROOT / "engine" / "backends" / "durable"
DURABLE_PACKAGE = "fzcheck.engine.backends.durable"
#: the Rete join used as a hash join (check.py's former BatchIndex), which the pipeline's rewrite removed
PENDING = {("engine/evaluate/check.py", "fzcheck.engine.backends.durable.joins")}


def _imports(path: Path) -> list[str]:
    """The absolute names of the modules a source file imports (relative imports resolved; of
    ``from m import n``, both ``m`` and ``m.n``, which may be a module)."""
    folder = path.relative_to(ROOT).parts[0]
    package = [
        *PACKAGE_DIRS[folder].split("."),
        *path.relative_to(ROOT / folder).parent.parts,
    ]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.extend([*([module] if node.module else []), *(f"{module}.{alias.name}" for alias in node.names)])
    return names


def _source_files() -> list[Path]:
    return sorted(
        path for folder in PACKAGE_DIRS for path in (ROOT / folder).rglob("*.py") if ".venv" not in path.parts
    )


def test_imports_are_resolved_as_python_resolves_them():
    evaluator = ROOT / "engine" / "evaluate" / "evaluator.py"
    assert "fzcheck.engine.backends" in _imports(evaluator)
    assert "fzcheck.engine.backends.base" in _imports(evaluator)
    assert "fzcheck.engine.outcomes.build" in _imports(evaluator)  # from ..outcomes import build
    host = DURABLE_FOLDER / "host.py"
    assert {"durable_rules_engine", "durable", "fzcheck.engine.backends.durable.translate"} <= set(_imports(host))


def test_nothing_outside_the_durable_folder_imports_durable_rules():
    files = _source_files()
    assert len(files) > 100 and any(path.is_relative_to(DURABLE_FOLDER) for path in files)
    found = []
    for path in files:
        if path.is_relative_to(DURABLE_FOLDER):
            continue
        where = path.relative_to(ROOT).as_posix()
        for name in _imports(path):
            library = name.split(".")[0] in ("durable", "durable_rules_engine")
            folder = name == DURABLE_PACKAGE or name.startswith(DURABLE_PACKAGE + ".")
            pending = any(where == file and (name + ".").startswith(module + ".") for file, module in PENDING)
            if (library or folder) and not pending:
                found.append((where, name))
    assert found == []


def test_loading_rules_imports_no_sql_engine():
    """The SQL backends say NO_LIMITS, so the limit check of a rule load (every `check`) imports neither
    DuckDB nor sqlglot nor SQLAlchemy; asking for the backend does."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fzcheck.engine.rules.packs import load_catalog, packaged_rulesets_dir\n"
        "load_catalog(packaged_rulesets_dir())\n"
        "print(sorted(m for m in ('duckdb', 'sqlglot', 'sqlalchemy') if m in sys.modules))\n"
        "from fzcheck.engine.backends import get_backend\n"
        "get_backend('duckdb')\n"
        "print(sorted(m for m in ('duckdb', 'sqlglot') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["[]", "['duckdb', 'sqlglot']"]
