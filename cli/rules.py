"""``fzcheck rules``: list, show, test and lint the rule packs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from fzcheck.cli.common import load_rules

rules_dir_option = click.option(
    "--rules-dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
    help="Load rule packs from DIR instead of the packaged rulesets.")


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
    """


@rules_group.command("list")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID", help="Only these packs.")
@click.option("--kind", "kinds", multiple=True, help="Only rules on these record kinds.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@rules_dir_option
def list_rules(rulesets, kinds, fmt, lang, rules_dir):
    """List every (pack, rule) with its thresholds and citation."""
    catalog = load_rules(rules_dir)
    unknown = [r for r in rulesets if r not in catalog.packs]
    if unknown:
        raise click.UsageError(f"unknown ruleset '{unknown[0]}'; known: {', '.join(sorted(catalog.packs))}")
    rules = [rule for rule in catalog.all_rules()
             if (not rulesets or rule.pack in rulesets) and (not kinds or rule.kind in kinds)]
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
        table.add_row(rule.pack, rule.id, rule.kind, rule.severity, params, f"{rule.citation.clause or ''}")
    Console(width=160 if not sys.stdout.isatty() else None).print(table)
    click.echo(f"{len(rules)} rules in {len({r.pack for r in rules})} packs")


@rules_group.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "ruleset", default=None, metavar="ID", help="Only the rule as this pack has it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@rules_dir_option
def show_rule(rule_id, ruleset, lang, rules_dir):
    """Show one rule in full: parameters, conditions, citation with the quoted sentence, examples."""
    catalog = load_rules(rules_dir)
    rules = catalog.rule(rule_id, ruleset)
    if not rules:
        known = sorted({r.id for r in catalog.all_rules()})
        raise click.UsageError(f"unknown rule '{rule_id}'" + (f" in {ruleset}" if ruleset else "")
                               + f"; known: {', '.join(known)}")
    from fzcheck.engine.describe import describe_rule

    for index, rule in enumerate(rules):
        if index:
            click.echo("")
        click.echo(describe_rule(rule, lang))


@rules_group.command("test")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID", help="Only these packs.")
@click.option("--rule", "rule_ids", multiple=True, metavar="ID", help="Only these rules.")
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@rules_dir_option
def test_rules(rulesets, rule_ids, verbose, rules_dir):
    """Run every rule's own pass/fail examples; exit 1 when one does not behave as labelled."""
    from fzcheck.engine.examples import run_examples

    catalog = load_rules(rules_dir)
    results = run_examples(catalog, set(rule_ids) or None, set(rulesets) or None)
    failed = [r for r in results if not r.ok]
    for result in results:
        if verbose or not result.ok:
            status = "ok  " if result.ok else "FAIL"
            detail = "" if result.ok else f": expected {result.example.expect}, got {result.got} — {result.message}"
            click.echo(f"{status} {result.label} as of {result.as_of}{detail}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


@rules_group.command("lint")
@rules_dir_option
def lint_rules(rules_dir):
    """Validate rule files: syntax, names, citations, duplicate ids, contradictions, examples."""
    from fzcheck.engine.lint import lint_catalog

    catalog = load_rules(rules_dir)
    problems = lint_catalog(catalog)
    for problem in problems:
        click.echo(str(problem))
    rule_count = len(catalog.all_rules())
    click.echo(f"{len(catalog.packs)} packs, {rule_count} rules, {len(problems)} problems")
    sys.exit(1 if problems else 0)
