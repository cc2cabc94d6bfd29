"""``fzcheck check``: the legal reviewer's and CI's command."""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ..engine.evaluate.check import UnknownRuleset, check_files
from ..engine.evaluate.executor import ExecutorUnavailable
from ..engine.outcomes.results import FAIL_ON_LEVELS
from ..engine.output.common import issue_line
from ..engine.sources.files import STDIN, stdin_for_reads
from ..messages import Msg
from .common import (
    FORMATS,
    DateParam,
    absent_steps_option,
    checked_holiday_calendar,
    checked_waivers,
    emit_report,
    engine_option,
    executor_params,
    load_rules,
    progress_bar,
)
from .db import DatabaseProblem


def _kind_option(value, lang: str = "zh"):
    if value is None:
        return None
    from ..messages import text
    from ..models.records import kind_code

    try:
        return kind_code(value)
    except ValueError as exc:
        raise click.BadParameter(text(exc.args[0], lang), param_hint="--kind") from None


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of", type=DateParam(), default=None, help="检查基准日 / the day the check is made for (default: today)."
)
@click.option(
    "--ruleset",
    "rulesets",
    multiple=True,
    metavar="ID",
    help="强制适用的规则包（可多次）/ apply this pack regardless of region and period (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Report format.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LEVELS),
    default="error",
    show_default=True,
    help="Exit 1 when a violation of this severity or higher is found.",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, is_eager=True, help="Message language."
)
@click.option("--all", "include_pass", is_flag=True, help="Also list passing checks.")
@click.option(
    "--holidays",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="User holiday file (YAML/CSV) extending the State Council schedule.",
)
@click.option(
    "--waivers",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Waiver file (YAML/CSV): rule id, record id or glob, reason, approver, expiry.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes for large inputs (this one and N-1 workers): on two cores 2 checked documents "
    "about 1.3x faster at about 1.4x the memory, mixed records no faster (README, Performance).",
)
@click.option(
    "--rules-dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="Load rule packs from DIR instead of the packaged rulesets.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default=None,
    help="执行器 / where the partitions run: local (default: --jobs processes here) or dask (always "
    "split; the workers of a Dask cluster; needs pip install 'fzcheck[dask]'; docs/scale.md).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask 调度器地址 / the Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask; "
    "without it, a local cluster of --jobs processes).",
)
@absent_steps_option
@engine_option
@click.option(
    "--kind",
    "record_kind",
    default=None,
    metavar="KIND",
    callback=lambda ctx, param, value: _kind_option(value, ctx.params.get("lang", "zh")),
    help="记录类型 / the kind of rows without a kind column or value: a code (normative_document) or its "
    "Chinese label (行政规范性文件); see `fzcheck fields`.",
)
@click.option(
    "--meta",
    "meta_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="文档（.docx/.pdf/.txt）的旁注文件，优先于正文 / side file for documents read as text; wins over "
    "the text (default: FILE.yaml beside each document).",
)
def check_command(
    paths,
    as_of,
    rulesets,
    fmt,
    output,
    fail_on,
    lang,
    include_pass,
    holidays,
    waivers,
    jobs,
    rules_dir,
    executor,
    scheduler,
    absent_steps,
    rule_engine,
    record_kind,
    meta_file,
):
    """检查记录文件或文件夹 / Check the records in files or folders.

    Reads JSON, JSON Lines, YAML, CSV (UTF-8 or GB18030) and XLSX, one record or many per
    file; folders are read recursively. Records given together are checked together
    (cross-record rules see all of them). Documents (.docx, .pdf, .txt) are read as text;
    - reads standard input: JSON or JSON Lines records when it starts with [ or {, else a
    document's pasted text.

    \b
    Exit codes: 0 nothing at or above --fail-on; 1 violations at or above it;
                2 usage or input errors (readable records are still checked); 3 internal error.

    \b
    Examples:
      fzcheck check draft.json
      fzcheck check 台账.xlsx --as-of 2019-12-31
      fzcheck check docs/ --ruleset chuxiong-2016 --format sarif -o fzcheck.sarif
      fzcheck check cases.jsonl --format junit --fail-on warning
      fzcheck check 案卷/ --absent-steps violation    # 案卷评查口径：未见记录视为未履行
      fzcheck check 台账/ --executor dask --scheduler tcp://10.0.0.5:8786
    """
    catalog = load_rules(rules_dir, lang)
    # a broken --holidays or --waivers file is an input error of the report (exit 2), not the end
    # of the run: the check runs without it and its outcomes are still reported (README, Waivers)
    calendar, holidays_error = checked_holiday_calendar(holidays, lang)
    loaded_waivers, waivers_error = checked_waivers(waivers, lang)
    file_errors = [issue for issue in (holidays_error, waivers_error) if issue is not None]
    stdin = sys.stdin.buffer.read() if any(str(path) == STDIN for path in paths) else None
    try:
        with progress_bar("检查 / checking") as advance, stdin_for_reads(stdin) if stdin is not None else nullcontext():
            report = check_files(
                paths,
                as_of=as_of or dt.date.today(),
                kind=record_kind,
                meta_file=meta_file,
                extra_errors=file_errors,
                lang=lang,
                catalog=catalog,
                rulesets=rulesets,
                calendar=calendar,
                pass_details=include_pass or fmt == "junit",
                jobs=jobs,
                progress=advance,
                absent_steps=absent_steps,
                waivers=loaded_waivers,
                engine=rule_engine,
                **executor_params(executor, scheduler),
            )
    except UnknownRuleset as exc:
        raise click.UsageError(exc.message.text(lang)) from exc
    except ExecutorUnavailable as exc:
        raise DatabaseProblem(str(exc)) from exc
    emit_report(report, fmt, output, lang=lang, include_pass=include_pass, fail_on=fail_on)
    for issue in file_errors:  # in the report, and said where a person reads it
        click.echo(Msg("cli.error", issue=issue_line(issue, lang)).text(lang), err=True)
    sys.exit(report.exit_code(fail_on))
