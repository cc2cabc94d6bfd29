"""Derive functions read only what they declare: their arguments, and the inputs named in ``uses``.

The registry is built from the modules ``registry.py`` lists (importing a module registers nothing),
the run's inputs are one frozen ``DeriveContext``, and a deadline carries its own notes (no list on
the context that the evaluator empties between values).
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
import subprocess
import sys
import textwrap
from types import ModuleType, SimpleNamespace

import pytest

from fzcheck.engine import derive as derive_package
from fzcheck.engine.derive.batch import BatchCounts
from fzcheck.engine.derive.calendar import Deadline, default_calendar
from fzcheck.engine.derive.context import DeriveContext, call
from fzcheck.engine.derive.declare import CONTEXT_INPUTS, DeriveFunction, derive
from fzcheck.engine.derive.joins import JoinResult, lookup_case_references
from fzcheck.engine.derive.registry import FUNCTION_MODULES, REGISTRY, _collect
from fzcheck.engine.evaluate.evaluator import PackKindEvaluator
from fzcheck.engine.rules.packs import default_catalog
from fzcheck.engine.subjects.subject import Subject

D = dt.date.fromisoformat


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_function_takes_its_declared_inputs_first_and_then_its_arguments(name):
    function = REGISTRY[name]
    parameters = list(inspect.signature(function.plain).parameters.values())
    assert [parameter.name for parameter in parameters[: len(function.uses)]] == list(function.uses)
    rest = parameters[len(function.uses) :]
    assert not {parameter.name for parameter in rest} & {*CONTEXT_INPUTS, "ctx", "subject"}, name
    if function.variadic:
        assert [parameter.kind for parameter in rest] == [inspect.Parameter.VAR_POSITIONAL]
    elif function.batch:
        # the record kind and field the rule names, then the field's value
        assert [parameter.name for parameter in rest] == ["kind", "field", "value"]
    else:
        assert len(rest) == len(function.arg_types), name


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_function_reads_no_module_state_but_functions_and_constants(name):
    """What a function's body names from its module: other functions, classes and constants — never
    a registry, a context or anything set at run time."""
    function = REGISTRY[name].plain
    module = sys.modules[function.__module__]
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    local = {
        *inspect.signature(function).parameters,
        *(node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)),
        *(node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)),
        *(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)),
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            if node.id in vars(module):
                value = vars(module)[node.id]
                assert (
                    callable(value)
                    or isinstance(value, (ModuleType, str, int, float, tuple, frozenset))
                    or (
                        hasattr(value, "match")  # a compiled pattern
                    )
                ), (name, node.id)
            else:
                assert node.id in dir(builtins), (name, node.id)
        assert not (isinstance(node, ast.Name) and node.id in ("REGISTRY", "DeriveContext")), name


def test_the_context_is_frozen_and_holds_only_the_declared_inputs():
    ctx = DeriveContext(default_calendar(), D("2024-01-01"))
    assert {field.name for field in dataclasses.fields(ctx)} == {"as_of", *CONTEXT_INPUTS}
    for name in ("calendar", "counts", "joins", "subject", "batch"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ctx, name, None)


def test_every_function_module_is_listed_and_the_registry_is_only_what_they_define():
    listed = {module.__name__ for module in FUNCTION_MODULES}
    for info in pkgutil.iter_modules(derive_package.__path__):
        module = importlib.import_module(f"{derive_package.__name__}.{info.name}")
        defines = any(isinstance(getattr(value, "__derive__", None), DeriveFunction) for value in vars(module).values())
        if defines and getattr(module, "__name__", "") not in listed:
            # a module that only imports a function from another (joins imports stated_validity_end) is not a definer
            assert all(
                value.__module__ != module.__name__
                for value in vars(module).values()
                if isinstance(getattr(value, "__derive__", None), DeriveFunction)
            ), info.name
    assert _collect(FUNCTION_MODULES) == REGISTRY
    assert [REGISTRY[name].plain.__module__ for name in REGISTRY] == sorted(
        (REGISTRY[name].plain.__module__ for name in REGISTRY),
        key=[module.__name__ for module in FUNCTION_MODULES].index,
    )


def test_a_function_defined_twice_is_refused():
    first = SimpleNamespace(__name__="one")
    second = SimpleNamespace(__name__="two")

    @derive(("int",), "int")
    def twice(value: int) -> int:
        """A test function."""
        return value

    twice.__module__ = "one"
    first.twice = twice
    second.again = twice
    twice_again = derive(("int",), "int")(lambda value: value)
    twice_again.__module__ = "two"
    twice_again.__derive__ = dataclasses.replace(twice_again.__derive__, name="twice")
    second.again = twice_again
    with pytest.raises(ValueError, match="twice defined twice"):
        _collect((first, second))  # type: ignore[arg-type]


def test_an_undeclared_or_misordered_input_is_refused():
    with pytest.raises(ValueError, match="uses must be some of"):
        derive(("int",), "int", uses=("subject",))
    with pytest.raises(ValueError, match="uses must be some of"):
        derive(("int",), "int", uses=("joins", "calendar"))


@pytest.mark.parametrize("module", [module.__name__ for module in FUNCTION_MODULES])
def test_a_function_module_imports_without_the_registry(module):
    """No import cycle: a module of functions neither needs nor loads the registry."""
    code = f"import sys, {module}; sys.exit('fzcheck.engine.derive.registry' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_deadlines_carry_their_notes_and_the_context_is_not_changed():
    """Deriving a moved and a provisional deadline twice with one context gives the same notes both
    times (nothing accumulates on the context between subjects)."""
    evaluator = PackKindEvaluator(default_catalog().packs["chuxiong-2016"], "normative_document")
    ctx = DeriveContext(default_calendar(), D("2032-01-01"))
    before = dataclasses.replace(ctx)
    moved = Subject(
        "normative_document",
        "moved",
        "532301",
        None,
        {"id": "moved", "published_on": D("2018-06-01"), "status": "in_force"},
    )
    provisional = Subject(
        "normative_document",
        "later",
        "532301",
        None,
        {"id": "later", "published_on": D("2031-09-19"), "status": "in_force"},
    )
    for _ in range(2):
        first = evaluator.derive_for_facts(moved, ctx, ctx.as_of)
        second = evaluator.derive_for_facts(provisional, ctx, ctx.as_of)
        due_keys = [key for key, value in first.items() if value == D("2018-06-19")]
        assert due_keys and all(first[f"{key}__moved"][0] == D("2018-06-16") for key in due_keys)
        assert "__provisional__" not in first
        assert second["__provisional__"] is True
        assert any(key.endswith("__provisional") and value == (2031,) for key, value in second.items())
    assert ctx == before


def test_a_join_function_gets_the_joins_of_the_subject_it_derives_and_no_other():
    officer = SimpleNamespace(
        cert_number="A1", cert_valid_until=D("2030-01-01"), cert_issued_on=None, exam_passed_on=None
    )
    joins = lookup_case_references([("case-1", ["of-1"], []), ("case-2", ["of-2"], [])], {"of-1": [officer]}, {})
    ctx = DeriveContext(default_calendar(), D("2024-01-01"), BatchCounts(), joins)
    unknown = REGISTRY["officers_unknown"]
    assert call(unknown, ctx, ["of-1"], subject_id="case-1") == 0
    # the same officer id seen from another case is not that case's join
    assert call(unknown, ctx, ["of-1"], subject_id="case-2") == 1
    assert call(unknown, ctx, ["of-2"], subject_id="case-2") == 1
    assert call(unknown, ctx, ["of-1"], subject_id="not-a-case") == 1
    assert isinstance(ctx.joins, JoinResult) and ctx.joins.only({"case-1"}).of("case-2").officers == {}


def test_the_training_count_reads_the_session_days_it_is_given():
    count = REGISTRY["count_sessions_min_days"]
    assert count.uses == () and count.arg_types == ("list", "number")
    assert call(count, None, [3, 2.5, 5], 3) == 2
    assert call(count, None, [], 3) == 0
    assert call(count, None, None, 3) is None


def test_a_deadline_function_returns_the_calendar_deadline():
    ctx = DeriveContext(default_calendar(), D("2024-01-01"))
    for name in ("deadline_after", "working_days_after"):
        assert REGISTRY[name].notes and REGISTRY[name].uses == ("calendar",)
        assert isinstance(call(REGISTRY[name], ctx, D("2018-06-01"), 15), Deadline)
    assert [name for name, function in REGISTRY.items() if function.notes] == [
        "deadline_after",
        "working_days_after",
        "period_end",
    ]
