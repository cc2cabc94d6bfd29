"""Option types and helpers shared by the command groups; domain errors become ClickExceptions here."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
from pathlib import Path

import click

from ..engine.backends import DEFAULT as DEFAULT_BACKEND
from ..engine.backends import backend_names
from ..engine.outcomes.results import EXIT_INPUT_ERRORS
from ..messages import Msg

FORMATS = ["table", "json", "jsonl", "csv", "markdown", "junit", "sarif", "github"]


class DateParam(click.ParamType):
    """A date in any format the records accept (2019-03-04, 2019年3月4日, 2019/3/4, ...)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from ..models.fields import parse_date

        try:
            return parse_date(value)
        except ValueError as exc:  # in the command's --lang when it has one (an eager option), else Chinese
            from ..messages import text

            self.fail(text(exc.args[0], (ctx.params.get("lang") if ctx else None) or "zh"), param, ctx)


class RuleLoadError(click.ClickException):
    exit_code = EXIT_INPUT_ERRORS


def load_rules(rules_dir: Path | None, lang: str = "zh"):
    from ..engine.rules.packs import RuleFileErrors, default_catalog, load_catalog

    try:
        return load_catalog(rules_dir) if rules_dir else default_catalog()
    except RuleFileErrors as exc:
        raise RuleLoadError(
            Msg("cli.rules_invalid", errors="\n".join(f"  {error.text(lang)}" for error in exc.errors)).text(lang)
        ) from exc


def holiday_calendar(path: Path | None, lang: str = "zh"):
    from ..engine.derive.calendar import HolidayFileError, LegalCalendar, default_calendar
    from ..engine.output.common import issue_line

    if path is None:
        return default_calendar()
    try:
        return LegalCalendar.from_files([path])
    except HolidayFileError as exc:
        raise click.UsageError(issue_line(exc.issue(lang), lang)) from exc


def checked_holiday_calendar(path: Path | None, lang: str = "zh"):
    """The calendar for ``check``, and the input error of a broken ``--holidays`` file (else None).

    A holiday file cannot be applied in part (one wrong day moves deadlines), so a broken one is not
    used at all: the check runs with the packaged calendar and the report carries the error, naming
    the file, which makes the run exit 2 with its outcomes still reported."""
    from ..engine.derive.calendar import HolidayFileError, LegalCalendar, default_calendar
    from ..engine.outcomes.results import InputIssue
    from ..messages import Msg, Term

    if path is None:
        return default_calendar(), None
    try:
        return LegalCalendar.from_files([path]), None
    except HolidayFileError as exc:
        problem = Term(exc.message("zh"), exc.message("en"))  # (what the report says: README, Waivers)
        return default_calendar(), InputIssue(exc.file, exc.line, exc.field, Msg("holidays.not_used", problem=problem))


def checked_waivers(path: Path | None, lang: str = "zh"):
    """The waivers for ``check`` (None without ``--waivers``), and the input error of a broken
    waiver file (else None): such a file is not applied at all, and the report says so."""
    from ..engine.outcomes.waivers import WaiverError, load_waivers

    if path is None:
        return None, None
    try:
        return load_waivers(path), None
    except WaiverError as exc:
        return None, exc.issue(not_applied=True)


def emit_report(report, fmt: str, output: Path | None, *, lang: str, include_pass: bool, fail_on: str) -> None:
    """Render to a file, or to standard output (the table in colour on a terminal), a chunk at a
    time as it is rendered: memory does not grow with the number of findings."""
    from ..engine.output import RenderOptions, render_chunks

    to_terminal = output is None and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if to_terminal else 120
    options = RenderOptions(
        lang=lang,
        include_pass=include_pass,
        fail_on=fail_on,
        width=max(width, 80),
        color=to_terminal and fmt == "table",
    )
    chunks = render_chunks(report, fmt, options)
    if output is None:
        last = ""
        for chunk in chunks:
            click.echo(chunk, nl=False)
            last = chunk or last
        if not last.endswith("\n"):
            click.echo("")
    else:
        write_streamed(output, chunks)
        click.echo(Msg("cli.report_written", path=str(output)).text(lang), err=True)


def write_streamed(output: Path, chunks) -> None:
    """Write text chunks to ``output`` as they come, through a temporary file beside it that
    replaces ``output`` only once the last chunk is written: a run that fails half-way (or is
    interrupted) leaves no truncated report behind, nor destroys the previous one."""
    import os
    import tempfile

    output.parent.mkdir(parents=True, exist_ok=True)
    # closed by `with handle` below; its name outlives it (replaced into place, or removed)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", encoding="utf-8", newline="", dir=output.parent, prefix=f".{output.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(handle.name, output)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def progress_bar(label: str, minimum: int = 5000):
    """A rich progress bar with ETA on standard error, for long work on a terminal; else a no-op.

    Yields ``advance(amount, total)``: the bar appears at the first call whose total reaches
    ``minimum`` (the work's size is known only once the files are read)."""
    if not sys.stderr.isatty():
        yield lambda amount, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: list = []

    def advance(amount: int, total: int) -> None:
        if not task:
            if total < minimum:
                return
            progress.start()
            task.append(progress.add_task(label, total=total))
        progress.update(task[0], advance=amount, total=total)

    try:
        yield advance
    finally:
        if task:
            progress.stop()


engine_option = click.option(
    "--engine",
    "rule_engine",
    type=click.Choice(backend_names()),
    default=None,
    help=f"由哪个引擎运行规则（默认 {DEFAULT_BACKEND}；结果相同，由差分测试保证）/ what runs the compiled "
    f"rules (default: {DEFAULT_BACKEND}): durable-rules, the "
    "rules as SQL in SQLite or DuckDB, or the pure-Python oracle; every one gives the same outcomes "
    "(tests/test_backends.py).",
)

absent_steps_option = click.option(
    "--absent-steps",
    type=click.Choice(["indeterminate", "violation"]),
    default="indeterminate",
    show_default=True,
    help="未见记录的必经程序（合法性审查、集体讨论、听证、告知、法制审核、文号）如何判定：默认无法判定；"
    "violation 为案卷评查口径（未见记录视为未履行）/ a required step with no record: indeterminate "
    "(default), or a violation under the case-file review standard.",
)


def executor_params(executor: str | None, scheduler: str | None, stored: dict | None = None) -> dict:
    """``executor`` and ``scheduler`` of a run from the options (``stored``: a rerun's stored parameters,
    used when neither option is given). ``--scheduler`` alone means dask; with ``--executor local`` it
    is a usage error."""
    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler is for --executor dask (a Dask scheduler's address)")
    if executor is None and scheduler is None and stored is not None:
        return {"executor": stored.get("executor") or "local", "scheduler": stored.get("scheduler")}
    return {"executor": executor or ("dask" if scheduler else "local"), "scheduler": scheduler}
