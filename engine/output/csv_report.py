"""`csv`: one row per outcome, UTF-8 with BOM so that Excel shows the Chinese text.

CSV holds outcomes only: input errors and warnings, coverage warnings (records checked against the
national rules only) among them, are not rows here; the table, JSON and other formats list them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..outcomes.results import Report
from .common import RenderOptions, compact_json, spreadsheet_row

#: Stable English column names and codes in both languages: users' scripts read them. `provisional`
#: (the outcome rests on a year without an official holiday schedule) is `true` or `false`, as in
#: JSON and as the record readers take booleans; it comes last so earlier columns keep their places.
#: `citation_clause_label` (the clause as a reader names it, in the report's language: 第25项 / item 25
#: for "25.") was added after it, for the same reason.
COLUMNS = (
    "outcome",
    "rule_id",
    "ruleset",
    "severity",
    "record_kind",
    "record_id",
    "file",
    "line",
    "message",
    "evidence",
    "citation_document",
    "citation_clause",
    "citation_quote",
    "provisional",
    "citation_clause_label",
)

BOM = "\ufeff"


#: rows written per chunk of `iter_csv`
CHUNK_ROWS = 100


def iter_csv(report: Report, options: RenderOptions) -> Iterator[str]:
    """The CSV text in chunks of rows: the BOM and header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for index, o in enumerate(report.shown_outcomes(options.include_pass), 1):
        writer.writerow(
            spreadsheet_row(
                [
                    o.outcome,
                    o.rule_id,
                    o.ruleset,
                    o.severity,
                    o.record_kind,
                    o.record_id,
                    o.source.file if o.source else "",
                    o.source.line if o.source and o.source.line is not None else "",
                    o.message(options.lang),
                    compact_json(o.evidence),
                    o.citation.document,
                    o.citation.clause or "",
                    o.citation.quote,
                    "true" if o.provisional else "false",
                    o.citation.clause_label(options.lang),
                ]
            )
        )
        if index % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def render_csv(report: Report, options: RenderOptions) -> str:
    return "".join(iter_csv(report, options))
