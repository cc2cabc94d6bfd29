"""The IR evaluated in Python (``rules/language.evaluate``), branch by branch: the reference
semantics of the rules, run as the oracle the other backends are tested against."""

from .backend import PythonBackend

BACKEND = PythonBackend()
