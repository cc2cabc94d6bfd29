"""``fzcheck db``: the records database (init, upgrade, import, quarantine, status)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from ..engine.outcomes.results import EXIT_INPUT_ERRORS
from ..engine.output.common import issue_line, terminal_safe
from ..messages import Msg, Term
from ..messages import text as message_text

DB_OPTION_HELP = (
    "数据库 / database URL (sqlite:///FILE, postgresql://USER:PASSWORD@HOST/DB, duckdb:///FILE) or SQLite file "
    "(default: $FZCHECK_DB, else ~/.local/share/fzcheck/fzcheck.db)."
)


class DatabaseProblem(click.ClickException):
    exit_code = EXIT_INPUT_ERRORS


lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="消息语言 / message language."
)


def db_option(function):
    return click.option("--db", "db_url", metavar="URL", default=None, help=DB_OPTION_HELP)(function)


def command_lang() -> str | None:
    """The ``--lang`` of the command being run, or of the group it runs in (``fzcheck audit --lang en
    list``); None for a command without one."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("lang") in ("zh", "en"):
            return ctx.params["lang"]
        ctx = ctx.parent
    return None


def database_problem(exc, lang: str | None = None) -> DatabaseProblem:
    """A :class:`~fzcheck.engine.store.database.DatabaseError` as the exit-2 error of the command: in
    its ``--lang`` (Chinese by default), and in both languages for a command that has no ``--lang``
    (``fzcheck user``, ``fzcheck serve``: their own messages speak both)."""
    lang = lang or command_lang()
    said = exc.text(lang) if lang else f"{exc.text('zh')} / {exc.text('en')}"
    return DatabaseProblem(said)


def open_db(db_url: str | None, *, create: bool = False, readonly: bool = False, lang: str | None = None):
    """The database with its schema checked; any problem with it (a bad or unsupported URL, a server
    that cannot be reached, a SQLite file that does not exist and is not to be created) is exit 2,
    said in ``lang`` (default: the command's ``--lang``, see :func:`database_problem`).
    ``readonly``: for commands that only read (a read-only SQLite file or folder is fine)."""
    from ..engine.store.database import DatabaseError, connect

    try:
        return connect(db_url, create=create, readonly=readonly)
    except DatabaseError as exc:
        raise database_problem(exc, lang) from exc


@click.group("db")
def db_group() -> None:
    """记录数据库 / The records database.

    \b
    Examples:
      fzcheck db init
      fzcheck db import registers/ --db audit.db
      fzcheck db quarantine --csv fix-these.csv
    """


@db_group.command("init")
@db_option
@lang_option
def init_command(db_url, lang):
    """创建数据库 / Create the database schema (a new SQLite or DuckDB file, or an empty PostgreSQL database)."""
    from ..engine.store.database import DatabaseError, current_revision, open_engine, safe_url, upgrade

    try:
        engine = open_engine(db_url)
        if current_revision(engine) is not None:
            raise DatabaseProblem(Msg("db.already_initialised", url=safe_url(engine)).text(lang))
        _before, after = upgrade(engine)
    except DatabaseError as exc:
        raise database_problem(exc, lang) from exc
    click.echo(Msg("db.initialised", url=safe_url(engine), revision=after).text(lang))


@db_group.command("upgrade")
@db_option
@lang_option
def upgrade_command(db_url, lang):
    """升级数据库结构 / Apply schema migrations up to this version of fzcheck."""
    from ..engine.store.database import DatabaseError, open_engine, safe_url, upgrade

    try:
        engine = open_engine(db_url)
        before, after = upgrade(engine)
    except DatabaseError as exc:
        raise database_problem(exc, lang) from exc
    said = Msg("db.upgraded", url=safe_url(engine), before=before or Term.of("none"), after=after)
    click.echo(said.text(lang))


@db_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that validate rows while this one writes. Default: one per core when the "
    "files total 8 MB or more (about 15,000 rows), else none.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Do not print the messages of quarantined rows after the counts (`fzcheck db quarantine` lists them).",
)
@click.option(
    "--show",
    "shown_rows",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    metavar="N",
    help="Print at most N messages of quarantined rows.",
)
@lang_option
def import_command(paths, db_url, jobs, quiet, shown_rows, lang):
    """导入记录 / Import records from files and folders (JSON, JSON Lines, YAML, CSV, XLSX).

    Each file is one transaction. Valid rows are stored; invalid rows go to the quarantine
    (see `fzcheck db quarantine`). Re-importing a file changes nothing; a changed record is
    updated and its previous version kept. The counts are followed by the messages of the rows
    quarantined (file:line: field: reason; at most --show, none with --quiet). A bad row already
    quarantined by an earlier import of the same file with the same content is not quarantined
    again: it is counted as `known bad` and named with that import. Exit 2 when rows were
    quarantined or paths skipped, and also when a re-import finds only known bad rows: the data is
    still bad.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Column, Table

    from ..engine.store.importer import import_paths

    engine = open_db(db_url, create=True, lang=lang)
    console = Console(stderr=True)
    tasks: dict[str, int] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:

        def progress(file: str, done: int, expected: int | None) -> None:
            if file not in tasks:
                tasks[file] = bar.add_task(Path(file).name, total=expected)
            bar.update(tasks[file], completed=done, total=max(expected or done, done))

        result = import_paths(engine, paths, progress, jobs=jobs)
    counts = ("inserted", "updated", "unchanged", "quarantined", "already_quarantined")
    # file names whole (folded onto more lines when narrow), never cut to `sample_cases/normativ…`
    table = Table(
        Column(Term.of("file").text(lang), overflow="fold", ratio=1),
        *(
            Column(Term.of(name.replace("already_quarantined", "known bad")).text(lang), justify="right", no_wrap=True)
            for name in counts
        ),
    )
    for item in result.files:
        table.add_row(terminal_safe(item.file), *(str(getattr(item, name)) for name in counts))
    table.add_row(Term.of("total").text(lang), *(str(result.total(name)) for name in counts))
    Console().print(table)
    if not quiet:
        _print_quarantined(result, shown_rows, lang)
    for item in result.files:
        if item.already_quarantined:
            by = ", ".join(map(str, item.already_by))
            click.echo(
                terminal_safe(
                    Msg(
                        "cli.known_bad", file=item.file, count=item.already_quarantined, by=by, first=item.already_by[0]
                    ).text(lang)
                ),
                err=True,
            )
    # warnings of stored rows (an unknown column, a 文号 OCR may have damaged): the rows are kept,
    # and the clerk is told what to look at rather than having to query for it
    shown = result.warnings[:WARNINGS_SHOWN]
    for issue in shown:
        click.echo(terminal_safe(Msg("cli.warning", issue=issue_line(issue, lang)).text(lang)), err=True)
    if len(result.warnings) > len(shown):
        click.echo(Msg("cli.more_warnings", count=len(result.warnings) - len(shown)).text(lang), err=True)
    for issue in result.skipped:
        click.echo(terminal_safe(Msg("cli.skipped", issue=issue_line(issue, lang)).text(lang)), err=True)
    if result.total("quarantined") or result.total("already_quarantined") or result.skipped:
        sys.exit(EXIT_INPUT_ERRORS)


def _print_quarantined(result, limit: int, lang: str) -> None:
    """The messages of the rows this import quarantined, as `db quarantine` prints them."""
    total = sum(item.quarantine_messages for item in result.files)
    shown = 0
    for item in result.files:
        for issue in item.quarantine_issues:
            if shown >= limit:
                break
            click.echo(terminal_safe(issue_line(issue, lang)), err=True)
            shown += 1
    if total > shown:
        ids = [item.import_id for item in result.files if item.quarantine_messages]
        where = f" --import-id {ids[0]}" if len(ids) == 1 else ""
        click.echo(Msg("cli.more_quarantined", count=total - shown, where=where).text(lang), err=True)


#: warnings printed after an import (all of them are stored in import_warnings)
WARNINGS_SHOWN = 20


@db_group.command("quarantine")
@db_option
@click.option("--import-id", type=int, default=None, help="Only rows of this import.")
@click.option("--file", "file_name", default=None, help="Only rows of this file (as it was imported).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the rows to a CSV file (UTF-8 with BOM, opens in Excel) for the agency to fix.",
)
@lang_option
def quarantine_command(db_url, import_id, file_name, csv_path, lang):
    """隔离的记录 / List quarantined rows with file, row, field and reason."""
    from ..engine.store.importer import quarantined_rows

    rows = quarantined_rows(open_db(db_url, lang=lang), import_id, file_name)
    columns = ["import_id", "file", "line", "field", "reason", "record_kind", "record_id"]
    if csv_path is not None:
        from ..engine.output.common import spreadsheet_row

        # the agency opens this in Excel: a cell of theirs that starts like a formula stays text
        with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*columns, "raw"])
            for row in rows:
                row["reason"] = message_text(row["reason"], lang)
                writer.writerow(
                    spreadsheet_row(
                        [
                            *(row[name] for name in columns),
                            "" if row["raw"] is None else json.dumps(row["raw"], ensure_ascii=False),
                        ]
                    )
                )
        click.echo(Msg("cli.quarantine_written", count=len(rows), path=str(csv_path)).text(lang), err=True)
        return
    for row in rows:
        where = f"{row['file']}:{row['line']}" if row["line"] is not None else row["file"]
        reason = message_text(row["reason"], lang)
        click.echo(terminal_safe(f"{where}: {row['field'] + ': ' if row['field'] else ''}{reason}"))
    click.echo(Msg("cli.quarantine_count", count=len(rows)).text(lang), err=True)


@db_group.command("status")
@db_option
@lang_option
def status_command(db_url, lang):
    """数据库概况 / Schema revision and records stored per kind."""
    from ..engine.store.database import current_revision, safe_url
    from ..engine.store.importer import record_counts
    from ..models.records import KIND_LABELS

    engine = open_db(db_url, lang=lang)
    revision = current_revision(engine)
    click.echo(Msg("db.status", url=safe_url(engine), revision=revision or Term("无", str(revision))).text(lang))
    for kind, count in record_counts(engine).items():
        label = Term(f"{KIND_LABELS[kind]}（{kind}）" if kind in KIND_LABELS else kind, kind)
        click.echo(Msg("db.status_count", kind=label, count=count).text(lang))
