"""Click's own words follow the command line's --lang (cli/click_text.py): every msgid fzcheck translates
is one click still says, the Chinese keeps click's placeholders, and click is left as it was after."""

from __future__ import annotations

import ast
import gettext
import importlib
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from fzcheck.cli.click_text import CLICK_MODULES, ZH, ZH_PLURAL, click_language, language_of, zh_ngettext
from fzcheck.cli.main import cli


def _click_msgids() -> tuple[set[str], set[tuple[str, str]]]:
    """The literal msgids of click's ``_()`` and ``ngettext()`` calls, read from its source."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for name in CLICK_MODULES:
        tree = ast.parse(Path(importlib.import_module(name).__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_translated_msgid_is_one_click_says():
    singles, plurals = _click_msgids()
    assert len(singles) > 40 and len(plurals) > 5  # the source was read
    assert sorted(set(ZH) - singles) == []
    assert sorted(set(ZH_PLURAL) - plurals) == []


def test_the_messages_a_user_meets_are_all_translated():
    singles, plurals = _click_msgids()
    seen = {
        "Usage:",
        "Error: {message}",
        "Try '{command} {option}' for help.",
        "No such option {name!r}.",
        "No such command {name!r}.",
        "Invalid value for {param_hint}: {message}",
        "Missing argument",
        "Missing option",
        "Aborted!",
    }
    assert seen <= singles and seen <= set(ZH)
    assert plurals <= set(ZH_PLURAL)


@pytest.mark.parametrize("msgid", sorted(ZH))
def test_chinese_uses_only_clicks_placeholders(msgid):
    assert _fields(ZH[msgid]) <= _fields(msgid)


@pytest.mark.parametrize("msgids", sorted(ZH_PLURAL))
def test_plural_chinese_uses_only_clicks_placeholders(msgids):
    one, many = ZH_PLURAL[msgids]
    assert _fields(one) <= _fields(msgids[0]) and _fields(many) <= _fields(msgids[1])


def test_plural_picks_the_form_by_count():
    key = ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)")
    assert zh_ngettext(*key, 1) == "是否要用 {possibility}？"
    assert zh_ngettext(*key, 2) == "（是否要用其中之一：{possibilities}？）"
    assert zh_ngettext("untranslated", "untranslated ones", 2) == "untranslated ones"


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        ([], "zh"),
        (["check", "x"], "zh"),
        (["check", "x", "--lang", "en"], "en"),
        (["check", "--lang=en", "x"], "en"),
        (["check", "--lang", "en", "--lang", "zh"], "zh"),
        (["check", "--lang", "fr"], "zh"),
        (["check", "--lang"], "zh"),
        (["check", "--", "--lang", "en"], "zh"),
    ],
)
def test_language_of_the_command_line(args, lang):
    assert language_of(args) == lang


@given(st.lists(st.text(max_size=8), max_size=8))
def test_language_of_any_command_line_is_zh_or_en(args):
    assert language_of(args) in ("zh", "en")


def test_click_is_left_as_it_was():
    before = {name: importlib.import_module(name).__dict__.get("_") for name in CLICK_MODULES}
    with click_language("zh"):
        assert click.exceptions._("Usage:") == "用法:"  # type: ignore[attr-defined]
    assert {name: importlib.import_module(name).__dict__.get("_") for name in CLICK_MODULES} == before
    assert click.exceptions._ is gettext.gettext  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), click_language("zh"):
        raise RuntimeError("a failing command restores click too")
    assert click.exceptions._ is gettext.gettext  # type: ignore[attr-defined]


def test_unknown_option_in_chinese_by_default():
    result = CliRunner().invoke(cli, ["check", "--bogus", "x"], prog_name="fzcheck")
    assert (result.exit_code, result.output) == (
        2,
        "用法: fzcheck check [OPTIONS] PATHS...\n"
        "运行 'fzcheck check --help' 查看帮助。\n\n"
        "错误：没有选项 '--bogus'。 是否要用 '--jobs'？\n",
    )


def test_unknown_option_in_english_with_lang_en():
    result = CliRunner().invoke(cli, ["check", "--bogus", "x", "--lang", "en"], prog_name="fzcheck")
    assert (result.exit_code, result.output) == (
        2,
        "Usage: fzcheck check [OPTIONS] PATHS...\n"
        "Try 'fzcheck check --help' for help.\n\n"
        "Error: No such option '--bogus'. Did you mean '--jobs'?\n",
    )


def test_unknown_command_and_bad_choice_in_chinese():
    runner = CliRunner()
    command = runner.invoke(cli, ["chek"])
    assert command.exit_code == 2
    assert command.output.endswith("错误：没有命令 'chek'。 是否要用 'check'？\n")
    choice = runner.invoke(cli, ["check", "x", "--format", "xml"])
    assert choice.exit_code == 2
    assert choice.output.endswith(
        "错误：'--format' 的值无效：'xml' 不是可选值之一："
        "'table', 'json', 'jsonl', 'csv', 'markdown', 'junit', 'sarif', 'github'。\n"
    )
    missing = runner.invoke(cli, ["check"])
    assert (missing.exit_code, missing.output.splitlines()[-1]) == (2, "错误：缺少参数 'PATHS...'.")


def test_help_headings_follow_lang():
    runner = CliRunner()
    chinese = runner.invoke(cli, ["check", "--help"], prog_name="fzcheck")
    english = runner.invoke(cli, ["check", "--help", "--lang", "en"], prog_name="fzcheck")
    assert chinese.exit_code == english.exit_code == 0
    assert chinese.output.startswith("用法: fzcheck check [OPTIONS] PATHS...") and "\n选项:\n" in chinese.output
    assert "[默认：table]" in chinese.output
    assert english.output.startswith("Usage: fzcheck check [OPTIONS] PATHS...") and "\nOptions:\n" in english.output
    assert "[default: table]" in english.output
