"""Output formats (cli.md `--format`): each one a small function from a Report to text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable

from fzcheck.engine.results import Report

from .common import RenderOptions
from .csv_report import render_csv
from .github import render_github
from .json_report import iter_jsonl, render_json, render_jsonl
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .table import render_table

Renderer = Callable[[Report, RenderOptions], str]

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


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """Render ``report`` in format ``fmt``; an unknown format is a ValueError naming the known ones."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERERS)}") from None
    return renderer(report, options or RenderOptions())


def render_chunks(report: Report, fmt: str, options: RenderOptions | None = None) -> Iterable[str]:
    """The rendered text in pieces: line by line where the format allows (large JSON Lines reports
    are written without ever holding the whole text), else in one piece."""
    options = options or RenderOptions()
    if fmt == "jsonl":
        return iter_jsonl(report, options)
    return [render(report, fmt, options)]


__all__ = ["RENDERERS", "RenderOptions", "Renderer", "render", "render_chunks"]
