"""``fzcheck rules``: list, show, test and lint the rule packs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..engine.subjects.kinds import known_kinds
from ..messages import Msg
from .common import DateParam, load_rules

lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="消息语言 / message language."
)

rules_dir_option = click.option(
    "--rules-dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="Load rule packs from DIR instead of the packaged rulesets.",
)


@click.group("rules")
def rules_group() -> None:
    """规则管理 / List, show, test and lint the rule packs.

    \b
    Examples:
      fzcheck rules list --ruleset hunan-2021
      fzcheck rules list --format json
      fzcheck rules show ND-FILING-DEADLINE
      fzcheck rules test
      fzcheck rules lint --rules-dir my-rules/
      fzcheck rules which --region 532301 --date 2018-06-01
    """


@rules_group.command("list")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID", help="Only these packs.")
@click.option("--kind", "kinds", multiple=True, help="Only rules on these record kinds.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@rules_dir_option
def list_rules(rulesets, kinds, fmt, lang, rules_dir):
    """List every (pack, rule) with its thresholds and citation."""
    catalog = load_rules(rules_dir, lang)
    unknown = [r for r in rulesets if r not in catalog.packs]
    if unknown:
        raise click.UsageError(
            Msg("cli.unknown_ruleset", id=unknown[0], known=", ".join(sorted(catalog.packs))).text(lang)
        )
    rules = [
        rule
        for rule in catalog.all_rules()
        if (not rulesets or rule.pack in rulesets) and (not kinds or rule.kind in kinds)
    ]
    if fmt == "json":
        click.echo(json.dumps([rule.describe() for rule in rules], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for header in ("ruleset", "id", "kind", "severity", "parameters", "citation"):
        table.add_column(header)
    for rule in rules:
        params = ", ".join(f"{k}={v}" for k, v in rule.describe()["parameters"].items())
        table.add_row(rule.pack, rule.id, rule.kind, rule.severity, params, rule.citation.clause_label(lang))
    Console(width=160 if not sys.stdout.isatty() else None).print(table)
    click.echo(f"{len(rules)} rules in {len({r.pack for r in rules})} packs")


@rules_group.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "ruleset", default=None, metavar="ID", help="Only the rule as this pack has it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@rules_dir_option
def show_rule(rule_id, ruleset, lang, rules_dir):
    """Show one rule in full: parameters, conditions, citation with the quoted sentence, examples."""
    catalog = load_rules(rules_dir, lang)
    rules = catalog.rule(rule_id, ruleset)
    if not rules:
        known = sorted({r.id for r in catalog.all_rules()})
        where = Msg("cli.in_ruleset", ruleset=ruleset) if ruleset else ""
        raise click.UsageError(Msg("cli.unknown_rule", rule=rule_id, where=where, known=", ".join(known)).text(lang))
    from ..engine.rules.describe import describe_rule

    for index, rule in enumerate(rules):
        if index:
            click.echo("")
        click.echo(describe_rule(rule, lang))


@rules_group.command("test")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID", help="Only these packs.")
@click.option("--rule", "rule_ids", multiple=True, metavar="ID", help="Only these rules.")
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@lang_option
@rules_dir_option
def test_rules(rulesets, rule_ids, verbose, lang, rules_dir):
    """Run every rule's own pass/fail examples; exit 1 when one does not behave as labelled."""
    from ..engine.rules.examples import run_examples

    catalog = load_rules(rules_dir, lang)
    wanted: set[str] = set()
    for rule_id in rule_ids:
        found = catalog.rule(rule_id)
        if not found:
            raise click.UsageError(Msg("cli.unknown_rule_see_list", rule=rule_id).text(lang))
        wanted.update(rule.id for rule in found)
    results = run_examples(catalog, wanted or None, set(rulesets) or None)
    failed = [r for r in results if not r.ok]
    for result in results:
        if result.ok and verbose:
            click.echo(Msg("rules.example_ok", label=result.label, as_of=str(result.as_of)).text(lang))
        elif not result.ok:
            line = Msg(
                "rules.example_failed",
                label=result.label,
                as_of=str(result.as_of),
                expected=result.example.expect,
                got=result.got,
                message=result.message,
            )
            click.echo(line.text(lang))
    click.echo(Msg("rules.examples_summary", passed=len(results) - len(failed), failed=len(failed)).text(lang))
    sys.exit(1 if failed else 0)


@rules_group.command("lint")
@lang_option
@rules_dir_option
def lint_rules(lang, rules_dir):
    """Validate rule files: syntax, names, citations, duplicate ids, contradictions, examples."""
    from ..engine.rules.lint import lint_catalog

    catalog = load_rules(rules_dir, lang)
    problems = lint_catalog(catalog)
    for problem in problems:
        click.echo(problem.text(lang))
    summary = Msg("lint.summary", packs=len(catalog.packs), rules=len(catalog.all_rules()), problems=len(problems))
    click.echo(summary.text(lang))
    sys.exit(1 if problems else 0)


WHICH_TEXT = {
    "zh": {
        "packs": "适用规则集",
        "none": "（无地方规则集，仅国家规则）",
        "rule": "规则",
        "kind": "记录类型",
        "since": "自",
        "status": "该日期",
        "in_force": "适用",
        "not_yet": "尚未施行",
        "ended": "已停止适用",
        "warning": "提示",
        "citation": "依据",
        "summary": "{region} 于 {day} 的行为：{n} 条规则适用，{m} 条尚未施行",
    },
    "en": {
        "packs": "packs",
        "none": "(no local ruleset: national rules only)",
        "rule": "rule",
        "kind": "kind",
        "since": "from",
        "status": "on that day",
        "in_force": "applies",
        "not_yet": "not yet in force",
        "ended": "no longer applies",
        "warning": "note",
        "citation": "citation",
        "summary": "acts of {region} on {day}: {n} rules apply, {m} not yet in force",
    },
}


@rules_group.command("which")
@click.option("--region", required=True, metavar="CODE", help="行政区划代码 / the record's region code, e.g. 532301.")
@click.option(
    "--date", "day", required=True, type=DateParam(), help="行为日期 / the date of the act (publication, decision…)."
)
@click.option("--kind", type=click.Choice(sorted(known_kinds())), default=None, help="Only rules on this record kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@rules_dir_option
def which_rules(region, day, kind, fmt, lang, rules_dir):
    """哪些规则适用 / Which packs and rules apply to a record of REGION and DATE.

    Lists the packs chosen by region and date (a pack binds from its issue date to the end of its
    period; a consultation draft only when named with --ruleset), every rule with the first act
    date it judges (its law's effective date, its pack's issue date), and why no local pack covers
    the record when none does.

    \b
    Examples:
      fzcheck rules which --region 532301 --date 2018-06-01
      fzcheck rules which --region 532301 --date 2024-03-01 --kind normative_document
      fzcheck rules which --region 430582 --date 2022-03-01 --format json --lang en
    """
    from ..engine.evaluate.coverage import rules_which

    if not (len(region) == 6 and region.isdigit()):
        raise click.BadParameter(Msg("cli.bad_region", value=region).text(lang), param_hint="--region")
    catalog = load_rules(rules_dir, lang)
    packs, rules, reason = rules_which(catalog, region, day, kind)
    text = WHICH_TEXT[lang]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "region": region,
                    "date": day.isoformat(),
                    "kind": kind,
                    "packs": [pack.id for pack in packs],
                    "rules": [
                        {
                            "ruleset": r.pack.id,
                            "id": r.rule.id,
                            "kind": r.rule.kind,
                            "starts_on": r.starts_on.isoformat() if r.starts_on else None,
                            "in_force": r.in_force,
                            "citation": r.rule.citation_on(day).to_dict(),
                        }
                        for r in rules
                    ],
                    "coverage_warning": reason[lang] if reason else None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"{text['packs']}: {', '.join(pack.id for pack in packs if pack.meta.region_prefix) or text['none']}"
        + (
            ", national"
            if any(not pack.meta.region_prefix for pack in packs) and any(pack.meta.region_prefix for pack in packs)
            else ""
        )
    )
    if reason:
        click.echo(f"{text['warning']}: {reason[lang]}")
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for header in ("ruleset", text["rule"], text["kind"], text["since"], text["status"], text["citation"]):
        table.add_column(header, overflow="fold")
    for entry in rules:
        status = (
            text["in_force"]
            if entry.in_force
            else (text["not_yet"] if entry.starts_on and entry.starts_on > day else text["ended"])
        )
        citation = entry.rule.citation_on(day)
        table.add_row(
            entry.pack.id,
            entry.rule.id,
            entry.rule.kind,
            entry.starts_on.isoformat() if entry.starts_on else "—",
            status,
            f"{citation.doc_number or citation.document} {citation.clause_label(lang)}".strip(),
        )
    Console(width=160 if not sys.stdout.isatty() else None).print(table)
    click.echo(
        text["summary"].format(
            region=region, day=day.isoformat(), n=sum(r.in_force for r in rules), m=sum(not r.in_force for r in rules)
        )
    )
