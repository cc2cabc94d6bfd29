"""Reading the draft itself: a document's text (.docx, .pdf, .txt, stdin) as a normative_document record.

:func:`extract_file` reads one document and returns an :class:`Extraction`: the record, each value
with the line and words it was read from, and the content findings for ND-PROHIBITED-CONTENT.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import Extraction, Found, extract_file, extract_lines
    from .intake import DOCUMENT_SUFFIXES, Line, TextInputError, read_lines

#: name -> the module that defines it, loaded on first use: a ``check`` of JSON records reads
#: ``intake``/``messages`` only, not the extraction code (its patterns take ~45 ms to compile)
_LAZY = {
    "Extraction": "extract",
    "Found": "extract",
    "extract_file": "extract",
    "extract_lines": "extract",
    "DOCUMENT_SUFFIXES": "intake",
    "Line": "intake",
    "TextInputError": "intake",
    "read_lines": "intake",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


__all__ = [
    "DOCUMENT_SUFFIXES",
    "Extraction",
    "Found",
    "Line",
    "TextInputError",
    "extract_file",
    "extract_lines",
    "read_lines",
]
