"""Output formats (cli.md `--format`): each one a small function from a Report to text."""

from __future__ import annotations

from typing import Callable

from fzcheck.engine.results import Report

from .common import RenderOptions
from .csv_report import render_csv
from .github import render_github
from .json_report import render_json, render_jsonl
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


__all__ = ["RENDERERS", "RenderOptions", "Renderer", "render"]
