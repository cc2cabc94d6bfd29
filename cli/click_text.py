"""Click's own words — the usage line, ``Error:``, ``Try '… --help' for help.``, its parameter errors,
prompts and help headings — in the language of the command line: Chinese by default, English with
``--lang en`` (cli.md: every message in Chinese by default).

Click says them through :func:`gettext.gettext` and :func:`gettext.ngettext`, bound as ``_`` and
``ngettext`` in each of its modules. Rather than install a process-wide gettext domain from compiled
``.mo`` files, :func:`click_language` swaps those two names in click's modules for the length of one
command and puts them back after. One text stays as click words it: the help of ``--help``, an option
click makes once per command and keeps (``-V`` has its own bilingual help, cli/main.py). This is the one place fzcheck reaches into click;
tests/test_click_text.py checks every msgid below against click's source, so an upgrade that rewords a
message fails a test instead of falling back to English unnoticed.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Sequence

#: click's modules that bind ``_`` (and ``ngettext``) from :mod:`gettext`
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
)

#: click's msgid -> Chinese; the placeholders are click's (a Chinese text may leave one out: click names a
#: path's type "File"/"Directory" and a number's "integer range" in English, fixed when an option is
#: defined, so the Chinese says the value instead)
ZH: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Aborted!": "已中止。",
    "Missing command.": "缺少子命令。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Value must be an iterable.": "值必须是一组值。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{filename!r} 不可执行。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数值（{number_type}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Repeat for confirmation": "再次输入以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不经询问直接执行。",
}

#: click's (singular, plural) msgids -> the Chinese of each (Chinese has one form, but click fills the
#: singular and the plural with different names: {possibility} or {possibilities})
ZH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "是否要用 {possibility}？",
        "（是否要用其中之一：{possibilities}？）",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "多余的参数（{args}）",
        "多余的参数（{args}）",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项 {name!r} 需要一个值。",
        "选项 {name!r} 需要 {nargs} 个值。",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} 不是 {choice}。",
        "{value!r} 不是可选值之一：{choices}。",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，给了 1 个。",
        "需要 {nargs} 个值，给了 {len} 个。",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): ("需要 {len_type} 个值，给了 {len_value} 个。", "需要 {len_type} 个值，给了 {len_value} 个。"),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): ("{value!r} 不符合格式 {format}。", "{value!r} 不符合格式之一：{formats}。"),
}


def language_of(args: Sequence[str]) -> str:
    """The ``--lang`` a command line asks for (the last one before ``--``), ``zh`` when none or an
    unknown one (click then says in Chinese that the value is not one of zh, en)."""
    lang = "zh"
    words = list(args)
    for index, word in enumerate(words):
        if word == "--":
            break
        value = None
        if word == "--lang" and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if value is not None:
            lang = value if value in ("zh", "en") else "zh"
    return lang


def zh_gettext(message: str) -> str:
    return ZH.get(message, message)


def zh_ngettext(singular: str, plural: str, count: int) -> str:
    one, many = ZH_PLURAL.get((singular, plural), (singular, plural))
    return one if count == 1 else many


@contextlib.contextmanager
def click_language(lang: str) -> Iterator[None]:
    """Click speaks ``lang`` inside the block (English: click's own words, untouched)."""
    if lang != "zh":
        yield
        return
    saved: list[tuple[object, str, object]] = []
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        for attribute, replacement in (("_", zh_gettext), ("ngettext", zh_ngettext)):
            if hasattr(module, attribute):
                saved.append((module, attribute, getattr(module, attribute)))
                setattr(module, attribute, replacement)
    try:
        yield
    finally:
        for patched, attribute, original in reversed(saved):
            setattr(patched, attribute, original)
