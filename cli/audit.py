"""``fzcheck audit`` (run, list, show, diff, rerun) and ``fzcheck report``: the auditor's commands.

Only a finished run is a result: ``show``, ``report`` and ``diff`` of a run that did not finish
(running, interrupted, failed) exit 2 and say so; ``--partial`` shows what was stored of it,
labelled as partial in every format, and still exits 2.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import overload

import click

from ..engine.outcomes.results import FAIL_ON_LEVELS, OUTCOMES
from ..engine.output.common import issue_line
from ..messages import Msg
from .common import FORMATS, DateParam, absent_steps_option, emit_report, engine_option, executor_params
from .db import DatabaseProblem, db_option, open_db

#: the outcomes a stored run lists (passes are counted only)
LISTED_OUTCOMES = [outcome for outcome in OUTCOMES if outcome != "pass"]
KINDS = [
    "normative_document",
    "enforcement_case",
    "officer",
    "training_session",
    "reconsideration_case",
    "major_decision",
    "officer_year",
]
KINDS += ["agency_year", "administrative_lawsuit", "recommendation", "disclosure_request", "plan_task"]


def run_options(command):
    """Options of every command that runs an audit (`audit`, `audit rerun`): workers and the report."""
    options = [
        click.option(
            "--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes."
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help="Write the full report in this format (default: summary tables).",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            help="Write the report to FILE.",
        ),
        click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="error", show_default=True),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True),
        click.option(
            "--executor",
            type=click.Choice(["local", "dask"]),
            default=None,
            help="执行器 / where the work units run: local (default: --jobs worker processes here) or dask "
            "(the workers of a Dask cluster; needs pip install 'fzcheck[dask]'). Same outcomes either way "
            "(docs/scale.md).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            default=None,
            help="Dask 调度器地址 / the Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (implies --executor "
            "dask; without it, dask starts a local cluster of --jobs worker processes).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group("audit", invoke_without_command=True)
@db_option
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="Only subjects whose key date is in YEAR.")
@click.option("--region", metavar="PREFIX", default=None, help="行政区划代码前缀 / region code prefix, e.g. 5323.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only these kinds (repeatable).")
@click.option(
    "--as-of", type=DateParam(), default=None, help="审计基准日 / the day the audit is made for (default: today)."
)
@click.option(
    "--ruleset", "rulesets", multiple=True, metavar="ID", help="Apply this pack to every record (repeatable)."
)
@click.option(
    "--waivers",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Waiver file (YAML/CSV).",
)
@click.option(
    "--holidays",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="User holiday file extending the State Council schedule.",
)
@click.option(
    "--rules-dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="Load rule packs from DIR instead of the packaged rulesets.",
)
@run_options
@absent_steps_option
@engine_option
@click.pass_context
def audit_group(
    ctx,
    db_url,
    year,
    region,
    kinds,
    as_of,
    rulesets,
    waivers,
    holidays,
    rules_dir,
    jobs,
    fmt,
    output,
    fail_on,
    lang,
    executor,
    scheduler,
    absent_steps,
    rule_engine,
):
    """批量审计 / Audit the records in the database; every run is stored.

    Cross-record rules see every officer and normative document of the region. The run reads the
    records as the imports finished at its start left them, whatever is imported meanwhile. Exit
    codes as for `check`: 0 nothing at or above --fail-on; 1 violations; 2 usage or input errors;
    3 internal; 143 (SIGTERM) or 130 (SIGINT, Ctrl-C) when the run was interrupted.

    A run is `done` once its last outcome is stored. SIGTERM or Ctrl-C stops it as `interrupted`
    with the outcomes of the work done so far; a run whose process died (kill -9, a power cut) is
    listed as interrupted. `audit show`, `report` and `diff` of such a run exit 2 (`--partial`
    shows what was stored, labelled as partial); `fzcheck audit rerun RUN` runs it again.

    \b
    Examples:
      fzcheck audit --year 2023 --region 43 --as-of 2024-03-31
      fzcheck audit --absent-steps violation     # 案卷评查口径：未见记录视为未履行
      fzcheck audit --executor dask --jobs 4     # 在本机 Dask 集群（4 个工作进程）上运行
      fzcheck audit --executor dask --scheduler tcp://10.0.0.5:8786 --db postgresql://audit@db/records
      fzcheck audit list
      fzcheck audit show 3 --format json -o run3.json
      fzcheck audit diff 2 3
      fzcheck audit rerun 3                      # 运行 3 中断后按原参数重新运行
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db_url": db_url}
        return
    from ..engine.evaluate.audit import AuditParams, AuditScope, record_path

    engine = open_db(db_url)
    loaded_waivers = []
    if waivers is not None:
        from ..engine.outcomes.waivers import WaiverError, load_waivers

        try:
            loaded_waivers = load_waivers(waivers)
        except WaiverError as exc:
            raise click.UsageError(issue_line(exc.issue(), lang)) from exc
    params = AuditParams(
        as_of=as_of or dt.date.today(),
        scope=AuditScope(region, year, tuple(kinds)),
        rulesets=tuple(rulesets),
        rules_dir=record_path(rules_dir),
        holidays=record_path(holidays),
        waivers=record_path(waivers),
        absent_steps=absent_steps,
        engine=rule_engine,
        **executor_params(executor, scheduler),
    )
    _audit(engine, params, loaded_waivers, jobs=jobs, fmt=fmt, output=output, fail_on=fail_on, lang=lang)


def _audit(engine, params, loaded_waivers, *, jobs, fmt, output, fail_on, lang, rerun_of=None):
    """Run an audit with a progress bar, then print its summary or write its report; exits."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..engine.derive.calendar import HolidayFileError
    from ..engine.evaluate.audit import AuditInterrupted, run_audit
    from ..engine.evaluate.check import UnknownRuleset
    from ..engine.evaluate.executor import ExecutorUnavailable
    from ..engine.rules.packs import RuleFileErrors

    console = Console(stderr=True)
    try:
        with Progress(
            TextColumn("审计 audit"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("audit", total=None)
            try:
                report = run_audit(
                    engine,
                    params,
                    jobs=jobs,
                    waivers=loaded_waivers,
                    lang=lang,
                    rerun_of=rerun_of,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except UnknownRuleset as exc:
                raise click.UsageError(exc.message.text(lang)) from exc
            except HolidayFileError as exc:
                raise click.UsageError(issue_line(exc.issue(lang), lang)) from exc
            except RuleFileErrors as exc:
                raise DatabaseProblem(Msg("cli.rules_invalid", errors=exc.text(lang)).text(lang)) from exc
            except ExecutorUnavailable as exc:
                raise DatabaseProblem(str(exc)) from exc
    except AuditInterrupted as exc:
        click.echo(interrupted_message(exc, lang), err=True)
        sys.exit(exc.exit_code)
    again = f" (rerun of run {rerun_of})" if rerun_of is not None else ""
    console.print(
        f"audit run {report.run_id}{again}: {report.records} records, {report.subjects} subjects, "
        f"{report.duration_seconds:.1f} s",
        markup=False,
        highlight=False,
    )
    if fmt is not None:
        emit_report(report, fmt, output, lang=lang, include_pass=False, fail_on=fail_on)
    else:
        print_summary(report, lang)
    sys.exit(report.exit_code(fail_on))


def interrupted_message(exc, lang: str) -> str:
    """What `audit` says when SIGTERM or SIGINT stopped its run."""
    run = exc.run_id
    progress = exc.progress or {}
    percent = int(100 * progress.get("done", 0) / progress["total"]) if progress.get("total") else None
    if lang == "zh":
        kept = (
            f"已保存已完成部分（约 {percent}%）的结果"
            if exc.stored and percent is not None
            else "已保存已完成部分的结果"
            if exc.stored
            else "未能保存已完成部分的结果"
        )
        return (
            f"审计运行 {run} 已中断（收到 {exc.signal_name}）：{kept}，不能作为审计结论；"
            f"查看：fzcheck audit show {run} --partial；重新运行：fzcheck audit rerun {run}"
        )
    kept = (
        f"the outcomes of the work done (about {percent}%) were stored"
        if exc.stored and percent is not None
        else "the outcomes of the work done were stored"
        if exc.stored
        else "the outcomes of the work done could not be stored"
    )
    return (
        f"audit run {run} interrupted (received {exc.signal_name}): {kept}; they are no audit conclusion; "
        f"see them with fzcheck audit show {run} --partial; run it again with fzcheck audit rerun {run}"
    )


def print_summary(report, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..engine.evaluate.audit import summary_table
    from ..engine.output.common import OUTCOME_LABELS, TEXT, issue_line

    console = Console()
    names = ["violation", "indeterminate", "pending", "waived", "pass"]
    titles = {"rule": ("按规则", "by rule"), "agency": ("按机关", "by agency"), "month": ("按月份", "by month")}
    for by, title in titles.items():
        table = Table(title=title[0 if lang == "zh" else 1])
        table.add_column(by)
        for name in names:
            table.add_column(OUTCOME_LABELS[lang][name], justify="right")
        for key, counts in summary_table(report, by):
            table.add_row(key, *(str(counts.get(name, 0)) for name in names))
        console.print(table)
    summary = report.summary()
    labels = {**OUTCOME_LABELS[lang], "provisional": TEXT[lang]["provisional"]}
    console.print("  ".join(f"{labels[k]} {v}" for k, v in summary.items() if k in (*names, "provisional")))
    if report.absent_steps == "violation":
        console.print(TEXT[lang]["standard_violation"], markup=False, highlight=False)
    for issue in report.warnings:
        said = issue_line(issue, lang) if issue.file else issue.text(lang)
        console.print(f"{TEXT[lang]['warnings']}: {said}", markup=False, highlight=False)


def _db(ctx, db_url: str | None, *, readonly: bool = False):
    """``--db`` given after the subcommand, else before it (``fzcheck audit --db X list``)."""
    return open_db(db_url or ctx.obj["db_url"], readonly=readonly)


def _month(ctx, _param, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        from ..messages import Msg

        lang = (ctx.params.get("lang") if ctx else None) or "zh"
        raise click.BadParameter(Msg("cli.bad_month", value=value).text(lang))
    return value


def shown_options(command):
    """Drill-down options shared by `audit show` and `report`: narrow a stored run to a part of it;
    and ``--partial``, to see what was stored of a run that did not finish."""
    options = [
        click.option("--rule", "rules", multiple=True, metavar="ID", help="Only this rule (repeatable)."),
        click.option(
            "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this record kind (repeatable)."
        ),
        click.option(
            "--outcome",
            "outcomes",
            multiple=True,
            type=click.Choice(LISTED_OUTCOMES),
            help="Only this outcome (repeatable).",
        ),
        click.option(
            "--agency", metavar="TEXT", default=None, help="机关名称包含 / only agencies whose name contains TEXT."
        ),
        click.option(
            "--month", metavar="YYYY-MM", default=None, callback=_month, help="Only this month (of the key date)."
        ),
        click.option(
            "--partial",
            is_flag=True,
            default=False,
            help="部分结果 / show what was stored of a run that did not finish (running, interrupted, "
            "failed), labelled as partial; exit code 2.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _shown(rules, kinds, outcomes, agency, month):
    from ..engine.store.runs import OutcomeFilter

    return OutcomeFilter(tuple(rules), tuple(kinds), tuple(outcomes), agency, month)


class RunNotFinished(click.ClickException):
    """A run that did not finish, asked for as a result: exit 2, saying why and what to do."""

    exit_code = 2


def _why(state, lang: str) -> str:
    from ..engine.store.runs import STATUS_LABELS

    label = STATUS_LABELS[lang][state.status]
    detail = state.describe(lang)
    return f"{label}{'：' if lang == 'zh' else ': '}{detail}" if detail else label


def not_finished_message(state, lang: str, *, compare: bool = False) -> str:
    """运行 3 未完成（已中断：收到 SIGTERM）：结果不完整，不能作为审计结论；…"""
    run, why, running = state.run_id, _why(state, lang), state.status == "running"
    if lang == "zh":
        head = f"运行 {run} 未完成（{why}）：结果不完整，"
        if compare:
            return head + (
                "不能用于比较（未检查到的违规会被算作“已整改”）；"
                + ("请待其完成后再比较" if running else f"请重新运行：fzcheck audit rerun {run}")
            )
        return (
            head
            + "不能作为审计结论；可用 --partial 查看已保存部分，"
            + ("或待其完成后再查看" if running else f"或重新运行：fzcheck audit rerun {run}")
        )
    head = f"run {run} did not finish ({why}): its results are incomplete and "
    if compare:
        return head + (
            "cannot be compared (violations it never got to would count as resolved); "
            + ("compare it when it has finished" if running else f"run it again: fzcheck audit rerun {run}")
        )
    return (
        head
        + "are no audit conclusion; use --partial to see the part stored, "
        + ("or look again when it has finished" if running else f"or run it again: fzcheck audit rerun {run}")
    )


def partial_notice(report, lang: str) -> str:
    """The label of a partial report: which run, why it did not finish, how much of it is there."""
    state = report.state
    percent = state.percent() if state is not None else None
    why = _why(state, lang) if state is not None else report.status
    stored = report.subjects > 0 or bool(report.outcomes)
    if lang == "zh":
        extent = (
            f"只含已完成部分（约 {percent}%）的结果"
            if stored and percent is not None
            else "只含已完成部分的结果"
            if stored
            else "没有保存任何结果"
        )
        return f"部分结果：运行 {report.run_id} 未完成（{why}），{extent}，不能作为审计结论"
    extent = (
        f"only the outcomes of the work done (about {percent}%) are in it"
        if stored and percent is not None
        else "only the outcomes of the work done are in it"
        if stored
        else "nothing of it was stored"
    )
    return f"partial results: run {report.run_id} did not finish ({why}); {extent}; no audit conclusion"


PARTIAL_TITLE = {"zh": "（部分结果：运行未完成）", "en": " (partial: the run did not finish)"}
PARTIAL_VERDICT = {
    "zh": "结论：运行未完成，结果不完整，不能作为审计结论",
    "en": "Result: the run did not finish; its results are incomplete and are no audit conclusion",
}


@overload
def label_partial(content: str, fmt: str, report, lang: str) -> str: ...
@overload
def label_partial(content: bytes, fmt: str, report, lang: str) -> bytes: ...
def label_partial(content: str | bytes, fmt: str, report, lang: str) -> str | bytes:
    """The rendered report of a run that did not finish, labelled as partial in the format's own
    terms: title and verdict (table, markdown, html), a ``partial`` key (json) or field (jsonl) or
    column (csv), a failed invocation and an error notification (sarif), an error testcase (junit),
    an error annotation (github), a first row on the summary sheet (xlsx)."""
    import json

    notice = partial_notice(report, lang)
    if isinstance(content, bytes):  # the one binary format
        if fmt == "xlsx":
            return _xlsx_with_partial_row(content, notice)
        raise ValueError(f"cannot label format {fmt!r} as partial")
    verdict_prefix = ("结论：", "Result: ")[lang != "zh"]
    if fmt == "table":
        lines = [PARTIAL_VERDICT[lang] if line.startswith(verdict_prefix) else line for line in content.split("\n")]
        return f"{notice}\n\n" + "\n".join(lines)
    if fmt == "markdown":
        lines = content.split("\n")
        if lines and lines[0].startswith("# "):
            lines[0] += PARTIAL_TITLE[lang]
        lines = [f"**{PARTIAL_VERDICT[lang]}**" if line.startswith(f"**{verdict_prefix}") else line for line in lines]
        return "\n".join([lines[0], "", f"> **{_markdown_safe(notice)}**", *lines[1:]])
    if fmt == "json":
        data = json.loads(content)
        run = {"id": report.run_id, "status": report.status, "notice": notice}
        if report.state is not None:
            run.update(detail=report.state.describe(lang) or None, progress=report.state.progress)
        return json.dumps({"partial": True, "run": run, **data}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(
            json.dumps({**json.loads(line), "partial": True}, ensure_ascii=False, separators=(",", ":")) + "\n"
            for line in content.splitlines()
            if line.strip()
        )
    if fmt == "csv":
        return _csv_with_partial_column(content)
    if fmt == "sarif":
        log = json.loads(content)
        for run in log.get("runs", []):
            invocations = run.setdefault("invocations", [{}]) or [{}]
            run["invocations"] = invocations
            for invocation in invocations:
                invocation["executionSuccessful"] = False
                invocation.setdefault("toolExecutionNotifications", []).insert(
                    0, {"level": "error", "message": {"text": notice}, "descriptor": {"id": "partial"}}
                )
            run.setdefault("properties", {})["partial"] = True
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    if fmt == "junit":
        return _junit_with_partial_error(content, notice)
    if fmt == "github":
        from ..engine.output.github import command

        return command("error", notice, title=PARTIAL_TITLE[lang].strip(" （）()")) + "\n" + content
    if fmt == "html":
        return _html_with_partial_title(content, notice, lang)
    raise ValueError(f"cannot label format {fmt!r} as partial")


def _markdown_safe(value: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", value)


def _csv_with_partial_column(content: str) -> str:
    import csv
    import io

    bom = "\ufeff" if content.startswith("\ufeff") else ""
    rows = list(csv.reader(io.StringIO(content[len(bom) :], newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow([*row, "partial" if index == 0 else "true"])
    return bom + out.getvalue()


def _junit_with_partial_error(content: str, notice: str) -> str:
    """An extra suite ``audit-run`` whose one testcase is in error: a CI job reading the JUnit file
    does not take a partial run for a pass."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(content)
    suite = ET.Element("testsuite", name="audit-run", tests="1", failures="0", errors="1", skipped="0", time="0")
    case = ET.SubElement(suite, "testcase", name="run complete", classname="audit-run", time="0")
    ET.SubElement(case, "error", type="partial", message=notice).text = notice
    if root.tag == "testsuites":
        root.insert(0, suite)
        for name in ("tests", "errors"):
            if name in root.attrib:
                root.set(name, str(int(root.attrib[name]) + 1))
    else:  # a single suite: wrap both
        wrapper = ET.Element("testsuites")
        wrapper.extend([suite, root])
        root = wrapper
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _html_with_partial_title(content: str, notice: str, lang: str) -> str:
    import html

    suffix = html.escape(PARTIAL_TITLE[lang])
    content = re.sub(r"<title>(.*?)</title>", lambda m: f"<title>{m[1]}{suffix}</title>", content, count=1, flags=re.S)
    banner = (
        f'<p id="partial" role="alert" style="border:2px solid #b00020;color:#b00020;padding:.6em;'
        f'font-weight:bold">{html.escape(notice)}</p>'
    )
    return re.sub(r"<h1>(.*?)</h1>", lambda m: f"<h1>{m[1]}{suffix}</h1>\n{banner}", content, count=1, flags=re.S)


def _xlsx_with_partial_row(content: bytes, notice: str) -> bytes:
    import io

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(io.BytesIO(content))
    summary = book.worksheets[0]
    summary.insert_rows(1, 2)
    summary["A1"] = notice
    summary["A1"].font = Font(bold=True, color="B00020")
    book.properties.title = notice
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _load(engine, run_id: int, shown, *, partial: bool, lang: str):
    """A stored run, or the part asked for; a run that did not finish only with ``--partial``."""
    from ..engine.store.runs import RunNotFound, load_run

    try:
        report = load_run(engine, run_id, shown)
    except RunNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="RUN") from exc
    if report.partial and not partial:
        raise RunNotFinished(not_finished_message(report.state, lang))
    return report


@audit_group.command("list")
@db_option
@click.pass_context
def list_command(ctx, db_url):
    """审计批次列表 / List stored audit runs.

    Status: done, running, interrupted (SIGTERM, Ctrl-C, or its process is gone) or failed; the
    notes say why a run did not finish, how far it got, and which run a rerun re-ran."""
    import os

    from rich.console import Console

    from ..engine.output.common import terminal_safe
    from ..engine.output.plain_table import Column, fits, fold, rich_table, table_lines
    from ..engine.store.runs import list_runs

    # dates, times and numbers whole; scope and notes fold by words (never inside a date or a name)
    columns = [
        Column("run", no_wrap=True),
        Column("started", no_wrap=True),
        Column("status", no_wrap=True),
        Column("as of", no_wrap=True),
        Column("scope"),
        Column("records", justify="right", no_wrap=True),
        Column("violations", justify="right", no_wrap=True),
        Column("seconds", justify="right", no_wrap=True),
        Column("notes"),
    ]
    rows = []
    for run in list_runs(_db(ctx, db_url, readonly=True)):
        p = run["parameters"] or {}
        scope = " ".join(
            f"{k}={v}"
            for k, v in (
                ("region", p.get("region")),
                ("year", p.get("year")),
                ("kinds", ",".join(p.get("kinds") or [])),
            )
            if v
        )
        state = run["state"]
        notes = []
        if not state.finished:
            notes.append(state.describe("en"))
            if state.percent() is not None:
                notes.append(f"{state.percent()}% done")
        if run["rerun_of"] is not None:
            notes.append(f"rerun of {run['rerun_of']}")
        rows.append(
            [
                str(run["id"]),
                run["started_at"].strftime("%Y-%m-%d %H:%M:%S"),
                run["status"],
                str(run["as_of"]),
                scope or "all",
                str(run["records"] or ""),
                str((run["summary"] or {}).get("violation", "")),
                f"{run['duration_seconds']:.1f}" if run["duration_seconds"] else "",
                "; ".join(notes),
            ]
        )
    rows = [[terminal_safe(value) for value in row] for row in rows]
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 200  # piped or captured: no terminal width to fit, keep every line whole
    width = console.width
    details: list[str] = []
    if not fits(columns, rows, width, whole_tokens=True, boxed=True):
        # too narrow for scope and notes beside the rest: the time under the date, and scope and
        # notes under the table, a run a line, folded by words
        details = [f"run {row[0]}: {row[4]}" + (f"; {row[8]}" if row[8] else "") for row in rows]
        columns = columns[:4] + columns[5:8]
        rows = [[row[0], row[1].replace(" ", "\n"), *row[2:4], *row[5:8]] for row in rows]
    if console.is_terminal and fits(columns, rows, width, boxed=True):
        console.print(rich_table(columns, rows, width, boxed=True), markup=False, highlight=False)
    else:
        for line in table_lines(None, columns, rows, width, boxed=True):
            click.echo(line)
    if details:
        click.echo("")
        for detail in details:
            for line in fold(detail, width):
                click.echo(line)


@audit_group.command("show")
@click.argument("run_id", metavar="RUN", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="error", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@shown_options
@db_option
@click.pass_context
def show_command(ctx, run_id, fmt, output, fail_on, lang, rules, kinds, outcomes, agency, month, partial, db_url):
    """显示审计结果 / Show a stored run in any `check` format (passes are counted, not listed).

    The drill-down options narrow it to a part; the summary then counts that part (passes included)
    and the exit code is that of the part, as for `check` (1 when it holds violations at or above
    --fail-on). A run that did not finish exits 2; with --partial it shows what was stored of it,
    labelled as partial (still exit 2).

    \b
    Examples:
      fzcheck audit show 3
      fzcheck audit show 3 --agency 楚雄市 --outcome violation
      fzcheck audit show 3 --rule EC-OFFICER-CERTIFIED --month 2023-07 --format csv -o 2023-07.csv
      fzcheck audit show 4 --partial              # 运行 4 中断：查看已保存部分
    """
    report = _load(
        _db(ctx, db_url, readonly=True),
        run_id,
        _shown(rules, kinds, outcomes, agency, month),
        partial=partial,
        lang=lang,
    )
    if report.partial:
        _emit_partial(report, fmt, output, lang=lang, fail_on=fail_on)
    else:
        emit_report(report, fmt, output, lang=lang, include_pass=False, fail_on=fail_on)
    sys.exit(report.exit_code(fail_on))


def _emit_partial(report, fmt: str, output: Path | None, *, lang: str, fail_on: str) -> None:
    """A partial run's report, labelled (the whole text at once: the labels change it in places)."""
    from ..engine.output import RenderOptions, render

    text = label_partial(
        render(report, fmt, RenderOptions(lang=lang, include_pass=False, fail_on=fail_on)), fmt, report, lang
    )
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
        click.echo(f"report written to {output}", err=True)
    click.echo(partial_notice(report, lang), err=True)


@audit_group.command("diff")
@click.argument("run_a", metavar="RUN_A", type=int)
@click.argument("run_b", metavar="RUN_B", type=int)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@db_option
@click.pass_context
def diff_command(ctx, run_a, run_b, lang, db_url):
    """比较两次审计 / Violations new in RUN_B, resolved since RUN_A, and persisting, by rule and agency.

    Both runs must have finished: a run that did not finish exits 2 (a violation it never got to
    would count as resolved)."""
    from rich.console import Console
    from rich.table import Table

    from ..engine.store.runs import RunIncomplete, RunNotFound, diff_runs

    try:
        diff = diff_runs(_db(ctx, db_url, readonly=True), run_a, run_b)
    except RunNotFound as exc:
        raise click.BadParameter(str(exc)) from exc
    except RunIncomplete as exc:
        raise RunNotFinished(not_finished_message(exc.state, lang, compare=True)) from exc
    heads = ("新增", "已整改", "仍存在") if lang == "zh" else ("new", "resolved", "persisting")
    console = Console()
    for by in ("rule", "agency"):
        table = Table(by, *heads, title=f"{run_a} → {run_b}")
        for key, new, resolved, persisting in diff.by(by):
            table.add_row(key, str(new), str(resolved), str(persisting))
        console.print(table)
    console.print(f"{heads[0]} {len(diff.new)}  {heads[1]} {len(diff.resolved)}  {heads[2]} {len(diff.persisting)}")


@audit_group.command("rerun")
@click.argument("run_id", metavar="RUN", type=int)
@db_option
@run_options
@click.pass_context
def rerun_command(ctx, run_id, db_url, jobs, fmt, output, fail_on, lang, executor, scheduler):
    """重新运行审计 / Run RUN again with its stored parameters, as a new run (its id is printed).

    The new run has RUN's as-of date, scope, rulesets, rules folder, holiday file, waiver file and
    absent-steps standard, and reads the records as they are now; RUN stays as it was (`audit list`
    notes the new one as its rerun). Use it for a run that was interrupted or failed. It runs where
    RUN ran (its --executor and --scheduler) unless --executor or --scheduler is given. Exit codes as
    for `audit`.

    \b
    Examples:
      fzcheck audit rerun 3
      fzcheck audit rerun 3 --jobs 4 --format json -o run.json
      fzcheck audit rerun 3 --executor local     # 运行 3 曾在 Dask 上运行，这次在本机运行
    """
    from ..engine.evaluate.audit import AuditParams
    from ..engine.store.runs import RunNotFound, stored_parameters

    engine = _db(ctx, db_url)
    try:
        stored = stored_parameters(engine, run_id)
    except RunNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="RUN") from exc
    stored.pop("calendar", None)
    stored.update(executor_params(executor, scheduler, stored))
    params = AuditParams.from_dict(stored)
    for what, path in (
        ("holiday file", params.holidays),
        ("waiver file", params.waivers),
        ("rules folder", params.rules_dir),
    ):
        if path and not Path(path).exists():
            raise click.UsageError(f"run {run_id} used the {what} {path}, which no longer exists")
    loaded_waivers = []
    if params.waivers:
        from ..engine.outcomes.waivers import WaiverError, load_waivers

        try:
            loaded_waivers = load_waivers(Path(params.waivers))
        except WaiverError as exc:
            raise click.UsageError(issue_line(exc.issue(), lang)) from exc
    _audit(
        engine, params, loaded_waivers, jobs=jobs, fmt=fmt, output=output, fail_on=fail_on, lang=lang, rerun_of=run_id
    )


@click.command("report")
@click.argument("run_id", metavar="RUN", type=int)
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["html", "xlsx", "csv", "json", "markdown"]), default="html", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: audit-RUN.FORMAT).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@shown_options
def report_command(run_id, db_url, fmt, output, lang, rules, kinds, outcomes, agency, month, partial):
    """审计报告 / Write the report of a stored audit run (HTML is one self-contained file).

    The drill-down options write the report of a part of the run, e.g. one agency's findings to
    send back to it; the report names the part in its parameters. A run that did not finish has no
    report (exit 2); --partial writes one of what was stored, its title and summary saying it is
    partial (exit 2).

    \b
    Examples:
      fzcheck report 3 --format html -o 审计报告.html
      fzcheck report 3 --format xlsx
      fzcheck report 3 --agency 双柏县 --format xlsx -o 双柏县.xlsx
    """
    from ..engine.output import render_report

    report = _load(
        open_db(db_url, readonly=True),
        run_id,
        _shown(rules, kinds, outcomes, agency, month),
        partial=partial,
        lang=lang,
    )
    content = render_report(report, fmt, lang)
    if report.partial:
        content = label_partial(content, fmt, report, lang)
    output = output or Path(f"audit-{run_id}.{'md' if fmt == 'markdown' else fmt}")
    output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_text(content, encoding="utf-8")
    click.echo(f"report written to {output}", err=True)
    if report.partial:
        click.echo(partial_notice(report, lang), err=True)
        sys.exit(report.exit_code())
