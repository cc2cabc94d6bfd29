"""``fzcheck audit`` (run, list, show, diff) and ``fzcheck report``: the auditor's commands."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from fzcheck.cli.common import FORMATS, DateParam, absent_steps_option, emit_report
from fzcheck.cli.db import DatabaseProblem, db_option, open_db
from fzcheck.engine.results import FAIL_ON_LEVELS, OUTCOMES

#: the outcomes a stored run lists (passes are counted only)
LISTED_OUTCOMES = [outcome for outcome in OUTCOMES if outcome != "pass"]
KINDS = ["normative_document", "enforcement_case", "officer", "training_session", "reconsideration_case",
         "major_decision", "officer_year"]


@click.group("audit", invoke_without_command=True)
@db_option
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="Only subjects whose key date is in YEAR.")
@click.option("--region", metavar="PREFIX", default=None, help="行政区划代码前缀 / region code prefix, e.g. 5323.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only these kinds (repeatable).")
@click.option("--as-of", type=DateParam(), default=None, help="审计基准日 / the day the audit is made for (default: today).")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID", help="Apply this pack to every record (repeatable).")
@click.option("--waivers", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="Waiver file (YAML/CSV).")
@click.option("--holidays", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="User holiday file extending the State Council schedule.")
@click.option("--rules-dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Load rule packs from DIR instead of the packaged rulesets.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Write the full report in this format (default: summary tables).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="error", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@absent_steps_option
@click.pass_context
def audit_group(ctx, db_url, year, region, kinds, as_of, rulesets, waivers, holidays, rules_dir, jobs, fmt, output,
                fail_on, lang, absent_steps):
    """批量审计 / Audit the records in the database; every run is stored.

    Cross-record rules see every officer and normative document of the region. Exit codes as
    for `check`: 0 nothing at or above --fail-on; 1 violations; 2 usage or input errors; 3 internal.

    \b
    Examples:
      fzcheck audit --year 2023 --region 43 --as-of 2024-03-31
      fzcheck audit --absent-steps violation     # 案卷评查口径：未见记录视为未履行
      fzcheck audit list
      fzcheck audit show 3 --format json -o run3.json
      fzcheck audit diff 2 3
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db_url": db_url}
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    from fzcheck.engine.audit import AuditParams, AuditScope, record_path, run_audit
    from fzcheck.engine.calendar import HolidayFileError
    from fzcheck.engine.check import UnknownRuleset
    from fzcheck.engine.rulesets import RuleFileErrors

    engine = open_db(db_url)
    loaded_waivers = []
    if waivers is not None:
        from fzcheck.engine.waivers import WaiverError, load_waivers

        try:
            loaded_waivers = load_waivers(waivers)
        except WaiverError as exc:
            raise click.UsageError(str(exc)) from exc
    params = AuditParams(as_of=as_of or dt.date.today(), scope=AuditScope(region, year, tuple(kinds)),
                         rulesets=tuple(rulesets), rules_dir=record_path(rules_dir), holidays=record_path(holidays),
                         waivers=record_path(waivers), absent_steps=absent_steps)
    console = Console(stderr=True)
    with Progress(TextColumn("审计 audit"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("audit", total=None)
        try:
            report = run_audit(engine, params, jobs=jobs, waivers=loaded_waivers, lang=lang,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
        except (UnknownRuleset, HolidayFileError) as exc:
            raise click.UsageError(str(exc)) from exc
        except RuleFileErrors as exc:
            raise DatabaseProblem(f"rule files are invalid:\n{exc}") from exc
    console.print(f"audit run {report.run_id}: {report.records} records, {report.subjects} subjects, "
                  f"{report.duration_seconds:.1f} s")
    if fmt is not None:
        emit_report(report, fmt, output, lang=lang, include_pass=False, fail_on=fail_on)
    else:
        print_summary(report, lang)
    sys.exit(report.exit_code(fail_on))


def print_summary(report, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from fzcheck.engine.audit import summary_table
    from fzcheck.engine.renderers.common import OUTCOME_LABELS, TEXT

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
        console.print(f"{TEXT[lang]['warnings']}: {issue if issue.file else issue.message}", markup=False,
                      highlight=False)


def _db(ctx, db_url: str | None):
    """``--db`` given after the subcommand, else before it (``fzcheck audit --db X list``)."""
    return open_db(db_url or ctx.obj["db_url"])


def _month(_ctx, _param, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"'{value}' is not a month written YYYY-MM, e.g. 2023-07")
    return value


def shown_options(command):
    """Drill-down options shared by `audit show` and `report`: narrow a stored run to a part of it."""
    options = [
        click.option("--rule", "rules", multiple=True, metavar="ID", help="Only this rule (repeatable)."),
        click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this record kind (repeatable)."),
        click.option("--outcome", "outcomes", multiple=True, type=click.Choice(LISTED_OUTCOMES),
                     help="Only this outcome (repeatable)."),
        click.option("--agency", metavar="TEXT", default=None, help="机关名称包含 / only agencies whose name contains TEXT."),
        click.option("--month", metavar="YYYY-MM", default=None, callback=_month, help="Only this month (of the key date)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _shown(rules, kinds, outcomes, agency, month):
    from fzcheck.engine.db.runs import OutcomeFilter

    return OutcomeFilter(tuple(rules), tuple(kinds), tuple(outcomes), agency, month)


def _load(engine, run_id: int, shown):
    from fzcheck.engine.db.runs import RunNotFound, load_run

    try:
        return load_run(engine, run_id, shown)
    except RunNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="RUN") from exc


@audit_group.command("list")
@db_option
@click.pass_context
def list_command(ctx, db_url):
    """审计批次列表 / List stored audit runs."""
    from rich.console import Console
    from rich.table import Table

    from fzcheck.engine.db.runs import list_runs

    table = Table("run", "started", "status", "as of", "scope", "records", "violations", "seconds")
    for run in list_runs(_db(ctx, db_url)):
        p = run["parameters"] or {}
        scope = " ".join(f"{k}={v}" for k, v in (("region", p.get("region")), ("year", p.get("year")),
                                                   ("kinds", ",".join(p.get("kinds") or []))) if v)
        table.add_row(str(run["id"]), run["started_at"].strftime("%Y-%m-%d %H:%M:%S"), run["status"],
                      str(run["as_of"]), scope or "all", str(run["records"] or ""),
                      str((run["summary"] or {}).get("violation", "")),
                      f"{run['duration_seconds']:.1f}" if run["duration_seconds"] else "")
    Console().print(table)


@audit_group.command("show")
@click.argument("run_id", metavar="RUN", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="error", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@shown_options
@db_option
@click.pass_context
def show_command(ctx, run_id, fmt, output, fail_on, lang, rules, kinds, outcomes, agency, month, db_url):
    """显示审计结果 / Show a stored run in any `check` format (passes are counted, not listed).

    The drill-down options narrow it to a part; the summary then counts that part (passes included)
    and the exit code is that of the part, as for `check` (1 when it holds violations at or above
    --fail-on).

    \b
    Examples:
      fzcheck audit show 3
      fzcheck audit show 3 --agency 楚雄市 --outcome violation
      fzcheck audit show 3 --rule EC-OFFICER-CERTIFIED --month 2023-07 --format csv -o 2023-07.csv
    """
    report = _load(_db(ctx, db_url), run_id, _shown(rules, kinds, outcomes, agency, month))
    emit_report(report, fmt, output, lang=lang, include_pass=False, fail_on=fail_on)
    sys.exit(report.exit_code(fail_on))


@audit_group.command("diff")
@click.argument("run_a", metavar="RUN_A", type=int)
@click.argument("run_b", metavar="RUN_B", type=int)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@db_option
@click.pass_context
def diff_command(ctx, run_a, run_b, lang, db_url):
    """比较两次审计 / Violations new in RUN_B, resolved since RUN_A, and persisting, by rule and agency."""
    from rich.console import Console
    from rich.table import Table

    from fzcheck.engine.db.runs import RunNotFound, diff_runs

    try:
        diff = diff_runs(_db(ctx, db_url), run_a, run_b)
    except RunNotFound as exc:
        raise click.BadParameter(str(exc)) from exc
    heads = ("新增", "已整改", "仍存在") if lang == "zh" else ("new", "resolved", "persisting")
    console = Console()
    for by in ("rule", "agency"):
        table = Table(by, *heads, title=f"{run_a} → {run_b}")
        for key, new, resolved, persisting in diff.by(by):
            table.add_row(key, str(new), str(resolved), str(persisting))
        console.print(table)
    console.print(f"{heads[0]} {len(diff.new)}  {heads[1]} {len(diff.resolved)}  {heads[2]} {len(diff.persisting)}")


@click.command("report")
@click.argument("run_id", metavar="RUN", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "csv", "json", "markdown"]), default="html",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: audit-RUN.FORMAT).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@shown_options
def report_command(run_id, db_url, fmt, output, lang, rules, kinds, outcomes, agency, month):
    """审计报告 / Write the report of a stored audit run (HTML is one self-contained file).

    The drill-down options write the report of a part of the run, e.g. one agency's findings to
    send back to it; the report names the part in its parameters.

    \b
    Examples:
      fzcheck report 3 --format html -o 审计报告.html
      fzcheck report 3 --format xlsx
      fzcheck report 3 --agency 双柏县 --format xlsx -o 双柏县.xlsx
    """
    from fzcheck.engine.reports import render_report

    report = _load(open_db(db_url), run_id, _shown(rules, kinds, outcomes, agency, month))
    content = render_report(report, fmt, lang)
    output = output or Path(f"audit-{run_id}.{'md' if fmt == 'markdown' else fmt}")
    output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_text(content, encoding="utf-8")
    click.echo(f"report written to {output}", err=True)
