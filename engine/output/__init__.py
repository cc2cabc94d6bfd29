"""Output formats (cli.md `--format`): each one a small function from a Report to text, and the same
text in pieces (`render_chunks`), which is what the CLI writes: a report with 100,000s of findings
is never held whole as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..outcomes.results import Report
from .common import RenderOptions
from .csv_report import iter_csv, render_csv
from .github import iter_github, render_github
from .json_report import iter_json, iter_jsonl, render_json, render_jsonl
from .junit import iter_junit, render_junit
from .markdown import iter_markdown, render_markdown
from .sarif import iter_sarif, render_sarif
from .table import iter_table, render_table

if TYPE_CHECKING:  # the stored runs (SQLAlchemy) are loaded by the renderers of audits, not by `check`
    from ..store.runs import AuditReport

Renderer = Callable[[Report, RenderOptions], str]
ChunkRenderer = Callable[[Report, RenderOptions], Iterable[str]]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
    "markdown": render_markdown,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}

#: every format in pieces; "".join of them is exactly the format's text
CHUNK_RENDERERS: dict[str, ChunkRenderer] = {
    "table": iter_table,
    "json": iter_json,
    "jsonl": iter_jsonl,
    "csv": iter_csv,
    "markdown": iter_markdown,
    "junit": iter_junit,
    "sarif": iter_sarif,
    "github": iter_github,
}

#: `render_chunks` joins the renderers' small pieces up to about this many characters
CHUNK_CHARS = 1 << 16


def _renderer(fmt: str, table: dict) -> Callable:
    try:
        return table[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERERS)}") from None


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """Render ``report`` in format ``fmt``; an unknown format is a ValueError naming the known ones."""
    return _renderer(fmt, RENDERERS)(report, options or RenderOptions())


def batched(pieces: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[str]:
    """The pieces joined into chunks of about ``size`` characters (the last one may be shorter);
    an empty text gives no chunk."""
    pending: list[str] = []
    length = 0
    for piece in pieces:
        pending.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        joined = "".join(pending)
        if joined:
            yield joined


def render_chunks(report: Report, fmt: str, options: RenderOptions | None = None) -> Iterator[str]:
    """The rendered text in chunks of about `CHUNK_CHARS` characters, produced as they are written:
    memory does not grow with the number of findings (the Report itself aside)."""
    renderer = _renderer(fmt, CHUNK_RENDERERS)
    return batched(renderer(report, options or RenderOptions()))


# Reports an auditor hands in: ``render_report(report, fmt)`` for html, xlsx, csv, json and markdown.
# HTML and XLSX are written here; csv, json and markdown are the check renderers' output. ``fmt``
# "xlsx" returns bytes, every other format text.
REPORT_FORMATS = ("html", "xlsx", "csv", "json", "markdown")


def render_report(report: AuditReport, fmt: str, lang: str = "zh") -> str | bytes:
    if fmt == "html":
        from .html import render_html  # noqa: PLC0415 (jinja2 loaded only when HTML is asked)

        return render_html(report, lang)
    if fmt == "xlsx":
        from .xlsx import render_xlsx  # noqa: PLC0415 (openpyxl loaded only when xlsx is asked)

        return render_xlsx(report, lang)
    if fmt in REPORT_FORMATS:
        return render(report, fmt, RenderOptions(lang=lang))
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")


__all__ = [
    "CHUNK_RENDERERS",
    "REPORT_FORMATS",
    "RENDERERS",
    "RenderOptions",
    "Renderer",
    "batched",
    "render",
    "render_chunks",
    "render_report",
]
