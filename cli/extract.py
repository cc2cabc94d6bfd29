"""``fzcheck extract``: the record fzcheck reads from a document's own text, each value with where
it was found, and what the document sets (ND-PROHIBITED-CONTENT findings)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..engine.outcomes.results import EXIT_INPUT_ERRORS

EXTRACT_FORMATS = ("table", "json", "jsonl", "yaml")
_VERDICT = {"creates": ("设定", "creates"), "restates": ("重申上位法", "restates"), "doubtful": ("存疑", "doubtful")}
_HEAD = {"zh": ("字段", "值", "行", "原文"), "en": ("field", "value", "line", "quoted")}
_SECTIONS = {
    "zh": ("内容审查", "警告", "错误", "未能生成记录"),
    "en": ("content findings", "warnings", "errors", "no record made"),
}


def _table(extraction: dict, lang: str) -> str:
    field_head, value_head, line_head, quote_head = _HEAD[lang]
    findings_head, warnings_head, errors_head, no_record = _SECTIONS[lang]
    out = [extraction["file"]]
    found = extraction["found"]
    if found:
        rows = [(name, _shown(item["value"]), str(item["line"]), item["snippet"]) for name, item in found.items()]
        widths = [
            max(len(head), *(len(row[index]) for row in rows))
            for index, head in enumerate((field_head, value_head, line_head))
        ]
        out.append(f"  {field_head:<{widths[0]}}  {value_head:<{widths[1]}}  {line_head:>{widths[2]}}  {quote_head}")
        for name, value, line, snippet in rows:
            out.append(f"  {name:<{widths[0]}}  {value:<{widths[1]}}  {line:>{widths[2]}}  {snippet}")
    if extraction["findings"]:
        out.append(f"  {findings_head}:")
        for finding in extraction["findings"]:
            verdict = _VERDICT[finding["verdict"]][0 if lang == "zh" else 1]
            out.append(f"    [{verdict}] {finding['explanation']}")
    if extraction["warnings"]:
        out.append(f"  {warnings_head}:")
        out.extend(f"    {_where(item)}{item['message']}" for item in extraction["warnings"])
    if extraction["errors"]:
        out.append(f"  {errors_head}:")
        out.extend(f"    {_where(item)}{item['message']}" for item in extraction["errors"])
        if extraction["record"] is None:
            out.append(f"  {no_record}")
    return "\n".join(out)


def _where(item: dict) -> str:
    parts = [f"{item['line']}" if item["line"] is not None else "", item["field"] or ""]
    shown = ":".join(part for part in parts if part)
    return f"{shown}: " if shown else ""


def _shown(value) -> str:
    return "true" if value is True else "false" if value is False else str(value)


@click.command("extract")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(EXTRACT_FORMATS), default="table", show_default=True, help="Output format."
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language.")
@click.option(
    "--meta",
    "meta_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="旁注文件（YAML）：正文没有的字段（filed_on、合法性审查日期等），优先于正文 / side file (YAML) with the "
    "fields no text carries; it wins over the text (default: FILE.yaml beside each document).",
)
def extract_command(files, fmt, lang, meta_file):
    """从文件正文提取规范性文件记录 / Read a normative_document record from a document's own text.

    Reads .docx, .pdf with a text layer, .txt (UTF-8 or GB18030) and - (standard input). Each value
    comes with the line it was found on and the words quoted; what the text does not state is absent.

    \b
    Exit codes: 0 every document read; 2 some could not be read or made into a record.

    \b
    Examples:
      fzcheck extract draft.docx
      fzcheck extract 通知.pdf --format json
      pbpaste | fzcheck extract - --meta draft.yaml
    """
    from ..engine.sources.text import extract_file
    from ..engine.sources.text.messages import language

    results = []
    with language(lang):
        for file in files:
            data = sys.stdin.buffer.read() if file == "-" else None
            results.append(extract_file(file, meta_file=meta_file, data=data).to_dict(lang))
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for result in results:
            click.echo(json.dumps(result, ensure_ascii=False))
    elif fmt == "yaml":
        import yaml

        click.echo(yaml.safe_dump(results, allow_unicode=True, sort_keys=False), nl=False)
    else:
        click.echo("\n\n".join(_table(result, lang) for result in results))
    sys.exit(EXIT_INPUT_ERRORS if any(result["errors"] for result in results) else 0)
