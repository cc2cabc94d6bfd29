"""The backends that run compiled rules, by name: one folder each, whose package exports ``BACKEND``
(``base.Backend``). Nothing outside a backend's folder imports it; everything else asks here."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import threading
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..rules.packs import Rule
    from .base import Backend

#: the backend used when none is named: durable-rules, the engine fzcheck has always run on
DEFAULT = "durable"

_LOADED: dict[str, Backend] = {}
_LOCK = threading.Lock()


def lazy_backend(package: str) -> Callable[[str], Any]:
    """The module ``__getattr__`` of a backend package whose ``BACKEND`` is made on first use (in its
    ``backend`` module): the registry asks every backend for its limits whenever rules are loaded,
    and a package that says ``NO_LIMITS`` need not import its engine for that."""

    def attribute(name: str) -> Any:
        if name == "BACKEND":
            return importlib.import_module(f"{package}.backend").BACKEND
        raise AttributeError(name)

    return attribute


def backend_names() -> list[str]:
    """Every backend there is (a folder here with a package), the default first."""
    return list(_backend_names())


@cache
def _backend_names() -> tuple[str, ...]:
    found = sorted(module.name for module in pkgutil.iter_modules(__path__) if module.ispkg)
    return tuple(sorted(found, key=lambda name: name != DEFAULT))


def backend_name(name: str | None = None) -> str:
    """The name of a backend there is (None: the default's), without importing it: what a stored run
    records and reads back."""
    name = DEFAULT if name is None else name
    if name not in backend_names():
        raise ValueError(f"unknown backend {name!r}; known: {', '.join(backend_names())}")
    return name


def get_backend(backend: str | Backend | None = None) -> Backend:
    """The backend of that name (None: the default); a backend object is returned as it is."""
    if backend is not None and not isinstance(backend, str):
        return backend
    name = backend_name(backend)
    with _LOCK:
        if name not in _LOADED:
            _LOADED[name] = importlib.import_module(f"{__name__}.{name}").BACKEND
        return _LOADED[name]


def limit_problems(rule: Rule, pack_start: dt.date | None = None, share: float = 1.0) -> list[str]:
    """What keeps one rule from running on any of the backends (every backend must run every rule
    that loads, so a check gives the same outcomes on each): their problems, each said once."""
    problems: list[str] = []
    for name in backend_names():
        if getattr(importlib.import_module(f"{__name__}.{name}"), "NO_LIMITS", False):
            continue  # a backend that runs every rule that loads, not imported for nothing
        for problem in get_backend(name).limit_problems(rule, pack_start, share):
            if problem not in problems:
                problems.append(problem)
    return problems
