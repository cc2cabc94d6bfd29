"""The ``fzcheck`` command: a thin layer over the library (one module per command group)."""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..engine.outcomes.results import EXIT_INTERNAL
from .calendar import calendar_group
from .check import check_command
from .click_text import click_language, language_of
from .extract import extract_command
from .fields import fields_command
from .rules import rules_group
from .template import template_command


class InternalError(click.ClickException):
    exit_code = EXIT_INTERNAL

    def format_message(self) -> str:
        return f"internal error: {self.message}"


class FzcheckGroup(click.Group):
    """Maps unexpected failures to exit code 3 (cli.md) with a plain message instead of a traceback, and
    has click speak the command line's ``--lang`` (Chinese by default, cli/click_text.py)."""

    def main(self, args=None, *posargs, **kwargs):
        args = list(sys.argv[1:] if args is None else args)
        with click_language(language_of(args)):
            return super().main(args, *posargs, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # output piped into `head` and closed early: not an error of ours
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except Exception as exc:
            raise InternalError(f"{exc.__class__.__name__}: {exc}") from exc


@click.group(cls=FzcheckGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(
    __version__, "-V", "--version", prog_name="fzcheck", help="显示版本并退出 / Show the version and exit."
)
def cli() -> None:
    """fzcheck —— 法治政府建设要求合规检查 / compliance checks for rule-of-law government requirements.

    \b
    Examples:
      fzcheck check draft.json                     # 检查一份规范性文件草稿
      fzcheck check registers/ --format json -o report.json
      fzcheck check cases.xlsx --as-of 2020-12-31 --lang en
      fzcheck rules list --format json
      fzcheck rules show ND-FILING-DEADLINE
    """


cli.add_command(check_command)
cli.add_command(rules_group)
cli.add_command(calendar_group)
cli.add_command(fields_command)
cli.add_command(template_command)
cli.add_command(extract_command)


def _register_optional_groups() -> None:
    """Command groups that need the database layer register themselves when it is installed."""
    try:
        from .audit import audit_group, report_command
        from .db import db_group
        from .sample import sample_group
        from .serve import serve_command
        from .user import user_group
    except ImportError:
        return
    cli.add_command(db_group)
    cli.add_command(audit_group)
    cli.add_command(report_command)
    cli.add_command(sample_group)
    cli.add_command(user_group)
    cli.add_command(serve_command)


_register_optional_groups()


def main() -> None:
    cli(prog_name="fzcheck")
