"""A context variable set for the duration of a block: how a command hands a read what it cannot
pass down as an argument (the language of messages, standard input's bytes, a document's side
file) without module state that two threads of ``fzcheck serve`` would share."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def scoped(variable: contextvars.ContextVar[T], value: T) -> Iterator[None]:
    """Within the block, ``variable`` is ``value``; after it, what it was."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
