"""The derive-function registry: the only computations a rule file can ask for (``derive:``).

Each function takes record fields, derived values, parameters or literals and returns ``None``
when an input it needs is missing, so the derived value is missing and every comparison on it
is false (docs/rule-format.md). What else it reads it declares (``declare.derive(uses=...)``).
The registry is built here, from the modules listed in :data:`FUNCTION_MODULES`, in that order:
importing a module registers nothing, and no module of functions imports this one.
"""

from __future__ import annotations

from types import ModuleType

from . import agency, batch, dates, doc_numbers, joins, lists
from .declare import DeriveFunction

#: where derive functions are defined, in the order docs/rule-format.md lists them
FUNCTION_MODULES: tuple[ModuleType, ...] = (dates, lists, doc_numbers, batch, agency, joins)


def _collect(modules: tuple[ModuleType, ...]) -> dict[str, DeriveFunction]:
    registry: dict[str, DeriveFunction] = {}
    for module in modules:
        for value in vars(module).values():
            function = getattr(value, "__derive__", None)
            if isinstance(function, DeriveFunction) and value.__module__ == module.__name__:
                if function.name in registry:
                    raise ValueError(f"derive function {function.name} defined twice")
                registry[function.name] = function
    return registry


REGISTRY: dict[str, DeriveFunction] = _collect(FUNCTION_MODULES)
