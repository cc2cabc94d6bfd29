"""durable-rules (a Rete engine in C) as a backend: the only place that knows it exists.

translate.py turns the IR into durable JSON, limits.py models durable's limits and splits rulesets
within them, host.py wraps durable's host with the safeguards of notes/durable-rules.md, and
backend.py registers the rules once per process and fires subjects through them.
"""

from .backend import DurableBackend

BACKEND = DurableBackend()
