"""Reading the draft itself: a document's text (.docx, .pdf, .txt, stdin) as a normative_document record.

:func:`extract_file` reads one document and returns an :class:`Extraction`: the record, each value
with the line and words it was read from, and the content findings for ND-PROHIBITED-CONTENT.
"""

from .extract import Extraction, Found, extract_file, extract_lines
from .intake import (
    DOCUMENT_SUFFIXES,
    Line,
    TextInputError,
    read_lines,
)

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
