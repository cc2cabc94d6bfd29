"""``fzcheck template KIND``: a blank register (XLSX or CSV) that ``fzcheck check`` reads back with no warning."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click


@click.command("template")
@click.argument("kind")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="xlsx: the register sheet (Chinese headers, dropdowns for enums and 是/否, date cells "
    "formatted yyyy-mm-dd) and a 说明 sheet explaining every column. csv: UTF-8 with BOM, the "
    "header row only (CSV has no room for explanations): every row needs the kind's label in "
    "类型; dates as 2019-03-04 or 2019年3月4日; booleans 是/否; enum columns take the Chinese "
    "labels of the 说明 sheet; list cells separate items with 、, a 执法依据 item is 类型:引用 "
    "(法律:中华人民共和国行政处罚法).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write, e.g. 行政执法案件台账.xlsx. Required for xlsx (a workbook is not written "
    "to a terminal); csv without -o is written to standard output.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    is_eager=True,
    help="消息语言 / message language.",
)
def template_command(kind, fmt, output, lang):
    """生成空白台账模板 / Write a blank register for a record kind.

    \b
    KIND is a code or a Chinese label: normative_document 行政规范性文件, enforcement_case
    行政执法案件, officer 行政执法人员, training_session 执法人员培训, reconsideration_case
    行政复议案件, major_decision 重大行政决策.

    \b
    Examples:
      fzcheck template enforcement_case -o 行政执法案件台账.xlsx
      fzcheck template 行政规范性文件 --format csv -o 行政规范性文件台账.csv
    """
    from ..engine.sources.templates import csv_text, kind_code, kinds_listing, write_csv, write_xlsx
    from ..messages import Msg

    code = kind_code(kind)
    if code is None:
        raise click.BadParameter(
            Msg("cli.unknown_kind", kind=kind, expected=kinds_listing()).text(lang), param_hint="KIND"
        )
    if output is None:
        if fmt == "xlsx":
            raise click.UsageError(Msg("cli.template_needs_output", code=code).text(lang))
        stream = sys.stdout.buffer
        bom = b"" if stream.isatty() else "\ufeff".encode("utf-8")  # Excel needs the BOM in a file
        stream.write(bom + csv_text(code).encode("utf-8"))
        stream.flush()
        return
    writer = write_xlsx if fmt == "xlsx" else write_csv
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".fzcheck-template-", suffix=f".{fmt}", dir=output.parent)
    os.close(handle)
    try:
        writer(code, Path(temporary))
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(Msg("cli.template_written", code=code, path=str(output)).text(lang), err=True)
