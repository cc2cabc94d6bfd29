"""A document's text as numbered lines, from .docx, .pdf, .txt or standard input.

The line number is what a person finds in the file: the paragraph of a Word document (tables'
paragraphs after the body's), the line of a text file, the line of a PDF counted across its pages.
What cannot be read is a :class:`TextInputError` naming the file: nothing partial is returned.
"""

from __future__ import annotations

import contextvars
import io
import logging
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..scoped import scoped
from .messages import message

#: A document file larger than this (64 MiB) is no draft but an error of the file.
DOCUMENT_SIZE_LIMIT = 64 << 20
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    page: int | None = None


class TextInputError(Exception):
    """A document that cannot be read; ``file`` is the name as given, ``line`` where known."""

    def __init__(self, file: str, text: str, line: int | None = None):
        super().__init__(f"{file}: {text}")
        self.file, self.text, self.line = file, text, line


def _size_text(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB" if size >= 1 << 20 else f"{size:,} bytes"


def read_lines(name: str, data: bytes | None = None) -> list[Line]:
    """The lines of the document ``name`` (``-`` is standard input; ``data`` its bytes when already read)."""
    if name == "-":
        raw = data if data is not None else sys.stdin.buffer.read()
        return _text_lines(name, raw)
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise TextInputError(name, message("file.suffix", suffix=suffix or name))
    if data is None:
        try:
            size = path.stat().st_size
            if size > DOCUMENT_SIZE_LIMIT:
                raise TextInputError(
                    name, message("file.too_large", size=_size_text(size), limit=_size_text(DOCUMENT_SIZE_LIMIT))
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise TextInputError(name, message("file.missing")) from None
        except OSError as exc:
            raise TextInputError(name, message("file.unreadable", reason=exc.strerror or exc)) from None
    reader = {".docx": _docx_lines, ".pdf": _pdf_lines, ".txt": _text_lines}[suffix]
    lines = reader(name, data)
    if not any(line.text.strip() for line in lines):
        raise TextInputError(name, message("text.empty"))
    return lines


def _clean(text: str) -> str:
    """One line as the extraction reads it: NFC, no-break and ideographic spaces kept as spaces,
    control characters other than tab dropped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\ufeff", "")
    return "".join(char for char in text if char == "\t" or unicodedata.category(char) != "Cc")


def _split(text: str, page: int | None = None, start: int = 1) -> list[Line]:
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(start + index, _clean(part), page) for index, part in enumerate(parts)]


def _text_lines(name: str, data: bytes) -> list[Line]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (the national standard superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _split(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise TextInputError(name, message("txt.encoding", offset=exc.start + 1)) from None
    if b"\x00" in data:
        raise TextInputError(name, message("txt.binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TextInputError(name, message("txt.encoding", offset=exc.start + 1)) from None
    if not text.strip():
        raise TextInputError(name, message("text.empty"))
    return _split(text)


def _docx_lines(name: str, data: bytes) -> list[Line]:
    """Body paragraphs in order, then the paragraphs of tables (a 文号 or 落款 is sometimes set in one)."""
    if data.startswith(_OLE_MAGIC):
        # an encrypted OOXML file is an OLE container holding an EncryptedPackage stream; an old .doc is OLE too
        raise TextInputError(name, message("docx.encrypted" if _ENCRYPTED_PACKAGE in data else "docx.not_zip"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise TextInputError(name, message("docx.not_zip")) from None
    if "xl/workbook.xml" in names:
        raise TextInputError(name, message("docx.spreadsheet"))
    if "word/document.xml" not in names:
        raise TextInputError(name, message("docx.broken", reason="word/document.xml missing"))
    if sum(info.file_size for info in archive.infolist()) > 16 * DOCUMENT_SIZE_LIMIT:
        raise TextInputError(name, message("docx.broken", reason="it would expand to more than 1 GiB (a zip bomb?)"))
    try:
        import docx  # noqa: PLC0415 (python-docx loaded only for a .docx)

        document = docx.Document(io.BytesIO(data))
        texts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    texts.extend(paragraph.text for paragraph in cell.paragraphs)
    except Exception as exc:  # noqa: BLE001 - python-docx raises what lxml and zipfile raise for a broken part
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise TextInputError(name, message("docx.broken", reason=reason)) from None
    lines: list[Line] = []
    for text in texts:
        # a paragraph may hold soft line breaks: each is its own line, numbered on
        for part in text.replace("\r", "\n").split("\n"):
            lines.append(Line(len(lines) + 1, _clean(part)))
    return lines


def _pdf_lines(name: str, data: bytes) -> list[Line]:
    """The text layer page by page; a PDF without one (a scan) is an error, not an empty document."""
    try:
        from pypdf import PdfReader  # noqa: PLC0415 (pypdf loaded only for a .pdf)

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # an owner password only: readable, as any viewer shows it
            except Exception:  # noqa: BLE001 - any failure to decrypt means: not openable without a password
                opened = False
            if not opened:
                raise TextInputError(name, message("pdf.encrypted"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except TextInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf's PdfReadError and what a broken stream raises
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise TextInputError(name, message("pdf.broken", reason=reason)) from None
    if not any(page.strip() for page in pages):
        raise TextInputError(name, message("pdf.no_text", pages=len(pages)))
    lines: list[Line] = []
    for number, text in enumerate(pages, start=1):
        lines.extend(_split(text, number, len(lines) + 1))
    return lines


_META_FILE: contextvars.ContextVar[Path | None] = contextvars.ContextVar("fzcheck_text_meta", default=None)


def meta_file_for_reads(path: Path | None):
    """Within the block, documents read through :mod:`fzcheck.engine.sources.files` take their side values
    from ``path`` (the check command's ``--meta``) instead of a side file beside them."""
    return scoped(_META_FILE, path)


def meta_file_in_force() -> Path | None:
    """The side file :func:`meta_file_for_reads` set for the reads in progress, if any."""
    return _META_FILE.get()
