"""The table renderer's tables, folded by words: laid out here, printed as plain lines (no colour) or
through rich (colour) with the same cells, so both show the same table.

A cell is never split inside a token: an ASCII run (a date ``2024-10-08``, an id ``ND-FILING``, a
field name ``collective_discussion_on``, a path), a 文号 (``楚委〔2016〕31号``), with the brackets and
punctuation that cling to it (``（collective_discussion_on）``, ``期：``). Chinese text breaks between
any two characters, words at spaces. Only a token wider than its whole column is broken, at a
natural point (after ``/``, ``_``, ``-``, ``.``, ``:``, between two Chinese characters) where there is
one. A column is made narrower than its widest token only when the table cannot fit otherwise;
columns marked ``whole`` (file names) keep each line as one token. No-wrap columns (outcome, rule,
dates) are shrunk last and then truncated with ``…``.

The widths are rich's where the table fits the console (each column as wide as its widest line);
when it does not, the widest wrapping columns give way first, never below their widest token while
another column still can. `rich_table` gives rich the folded cells in columns of those widths:
`tests/test_renderers.py` checks that rich prints them exactly as `table_lines` does.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, JustifyMethod
from rich.control import strip_control_codes
from rich.table import Column as RichColumn
from rich.table import Table
from rich.text import Text

#: the box of every table of the table renderer: a rule under the header, columns one space apart
BOX = box.SIMPLE_HEAD
_RULE = "─"
#: what rich does something with besides measuring it: line breaks, tabs, control characters
_SPECIAL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

#: punctuation that clings to the next token (opening) or to the previous one (closing)
OPENING = frozenset("（〔《「『【“‘〈［｛([{")
CLOSING = frozenset("）〕》」』】”’〉］｝，。：；、！？…),.;:!?]}")
#: where an over-long token may be broken: after these characters
BREAK_AFTER = frozenset("/_-.:\\,;|")
_UNIT = re.compile(
    r"(?P<doc>[\u4e00-\u9fff]{1,4}[〔［\[]\d{4}[〕］\]]第?\d+号)|(?P<ascii>[!-~]+)|(?P<space>\s+)|(?P<char>.)", re.S
)


def simple_line(plain: str, width: int) -> bool:
    """Whether rich prints ``plain`` as it is, on one line of ``width`` cells (then it need not)."""
    return width >= 1 and not _SPECIAL.search(plain) and cell_len(plain) <= width


@dataclass(frozen=True)
class Column:
    """A column of a table: header, wrapping and alignment."""

    header: str
    no_wrap: bool = False
    #: for no-wrap cells too wide for their column: ``ellipsis`` or ``crop``
    overflow: str = "ellipsis"
    justify: JustifyMethod = "left"
    max_width: int | None = None
    #: kept for callers; the layout does not expand, so it is not used
    ratio: int | None = None
    #: every line of a cell is one token (file names): broken only when wider than the column
    whole: bool = False
    #: when some column must break a token, those of lower priority give way first
    priority: int = 0


def _is_cjk(char: str) -> bool:
    return not char.isascii() and cell_len(char) == 2


def units(line: str, whole: bool = False) -> list[str]:
    """A line's tokens and the spaces between them, in order (joined, the line)."""
    if whole:
        return [line] if line else []
    merged: list[str] = []
    for match in _UNIT.finditer(line):
        unit = match.group()
        space = match.lastgroup == "space"
        if (
            merged
            and not space
            and not merged[-1].isspace()
            and (unit[0] in CLOSING or cell_len(unit) == 0 or merged[-1][-1] in OPENING)
        ):
            merged[-1] += unit
        else:
            merged.append(unit)
    return merged


@functools.lru_cache(maxsize=4096)
def widest_token(plain: str, whole: bool = False, bare: bool = False) -> int:
    """The width below which some token of ``plain`` would have to be broken (``bare``: some
    token without the punctuation that clings to it)."""
    return max(
        (
            cell_len(part)
            for line in plain.split("\n")
            for unit in units(line, whole)
            if not unit.isspace()
            for part in ([unit] if whole or not bare else _raw_units(unit))
        ),
        default=0,
    )


#: where to break an over-long token, best first: a space, a path's ``/``, a name's ``_``, between
#: two Chinese characters, after other punctuation, and last inside a date (after ``-``)
_BREAK_PRIORITY = (
    lambda token, i: token[i - 1].isspace(),
    lambda token, i: token[i - 1] in "/\\",
    lambda token, i: token[i - 1] == "_",
    lambda token, i: i < len(token) and _is_cjk(token[i - 1]) and _is_cjk(token[i]),
    lambda token, i: token[i - 1] in BREAK_AFTER and token[i - 1] != "-",
    lambda token, i: token[i - 1] == "-",
)


_ASCII_PUNCTUATION = re.compile(r"([(\[{\"']*)(.*?)([)\]}.,;:!?\"']*)", re.S)


def _raw_units(token: str) -> list[str]:
    """A token's parts before punctuation was attached: ``（``, ``collective_discussion_on``, ``）``."""
    parts = []
    for match in _UNIT.finditer(token):
        if match.lastgroup == "ascii":
            pieces = _ASCII_PUNCTUATION.fullmatch(match.group())
            assert pieces is not None  # the pattern matches any text
            parts += [part for part in pieces.groups() if part]
        else:
            parts.append(match.group())
    return parts


def _break_token(token: str, width: int) -> list[str]:
    """A token wider than ``width``, in pieces that fit, each ending at a natural point if it can."""
    pieces = []
    while cell_len(token) > width:
        cut, cells = 0, 0
        for index, char in enumerate(token):
            cells += cell_len(char)
            if cells > width:
                break
            cut = index + 1
        cut = max(cut, 1)
        natural = 0
        for allowed in _BREAK_PRIORITY:
            natural = max((i for i in range(1, cut + 1) if allowed(token, i)), default=0)
            if natural:
                break
        end = natural or cut
        pieces.append(token[:end].rstrip())
        token = token[end:].lstrip()
    return [*pieces, token] if token or not pieces else pieces


def fold(line: str, width: int, whole: bool = False) -> list[str]:
    """One line of text in lines of at most ``width`` cells, broken between tokens only (see the
    module); trailing spaces removed."""
    width = max(width, 1)
    if cell_len(line) <= width:
        return [line.rstrip()]
    lines: list[str] = []
    current, space = "", ""
    for unit in units(line, whole):
        if unit.isspace():
            space = unit if (current or not lines) else ""
            continue
        if cell_len(current + space + unit) <= width:
            current += space + unit
        elif cell_len(unit) <= width:
            if current.strip():
                lines.append(current.rstrip())
            current = unit
        else:
            # wider than the column: first apart from the punctuation that clings to it, then
            # at natural points
            for part in [unit] if whole else _raw_units(unit):
                if cell_len(current + space + part) <= width:
                    current += space + part
                else:
                    if current.strip():
                        lines.append(current.rstrip())
                    current = part
                    if cell_len(part) > width:
                        *full, current = _break_token(part, width)
                        lines += full
                space = ""
        space = ""
    lines.append(current.rstrip())
    return lines


def _clean(value: str) -> str:
    """Cell text as both outputs print it: tabs expanded, control characters other than line
    breaks dropped."""
    return _CONTROL.sub("", strip_control_codes(value).expandtabs(8))


def _truncate(line: str, width: int, overflow: str) -> str:
    if cell_len(line) <= width:
        return line
    if overflow == "ellipsis" and width >= 1:
        return set_cell_size(line, width - 1) + "…"
    return set_cell_size(line, max(width, 0))


def _padding(index: int, count: int, boxed: bool = False) -> tuple[int, int]:
    """(left, right) padding of a column: one space each side, none at the table's edges (unless
    ``boxed``: rich's default box, lines at the edges too)."""
    if boxed:
        return 1, 1
    return (0 if index == 0 else 1), (0 if index == count - 1 else 1)


def _rules(count: int, boxed: bool) -> int:
    """How many cells the column separators take."""
    return count + 1 if boxed else count - 1


def _longest_line(plain: str) -> int:
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def _shrink(widths: list[int], floors: list[int], shrinkable: list[bool], excess: int) -> int:
    """Narrows the widest shrinkable columns above their floors, a cell at a time; the excess left."""
    while excess > 0:
        candidates = [i for i, w in enumerate(widths) if shrinkable[i] and w > floors[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return excess


#: how narrow a column gets before the no-wrap columns give way too
_NARROW = 8


def column_widths(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: int,
    minimum: list[int] | None = None,
    boxed: bool = False,
) -> list[int]:
    """Each column's width, padding included (rows cleaned by `_clean`); ``minimum``, if given,
    receives the width below which a column breaks a token."""
    count = len(columns)
    extras = [sum(_padding(index, count, boxed)) for index in range(count)]
    widths, minima, bare = [], [], []
    for index, column in enumerate(columns):
        cells = [column.header, *(row[index] for row in rows)]
        longest = max(_longest_line(cell) for cell in cells)
        if column.max_width is not None:
            longest = min(longest, column.max_width)
        widths.append(max(longest, 1) + extras[index])
    excess = sum(widths) - (width - _rules(count, boxed))
    if excess <= 0 and minimum is None:
        return widths  # nearly every table: each column as wide as its widest line
    for index, column in enumerate(columns):
        cells = [column.header, *(row[index] for row in rows)]
        longest = widths[index] - extras[index]
        # no token is wider than its line: the longest cells first, until no other can be wider
        token = bare_token = 0
        for size, cell in sorted(((_longest_line(cell), cell) for cell in cells), key=lambda pair: -pair[0]):
            if size <= token:
                break
            token = max(token, widest_token(cell, column.whole))
            bare_token = max(bare_token, widest_token(cell, column.whole, bare=True))
        minima.append(min(max(token, 1), longest) + extras[index])
        bare.append(min(max(bare_token, 1), longest) + extras[index])
    if minimum is not None:
        minimum[:] = minima
    wrapping = [not column.no_wrap for column in columns]
    excess = _shrink(widths, minima, wrapping, excess)
    # then apart from clinging punctuation; then wrapping columns down to a few cells, those of
    # lower priority first; no-wrap ones too, and last everything to a cell
    excess = _shrink(widths, bare, wrapping, excess)
    narrow = [min(minimum, _NARROW + extra) for minimum, extra in zip(bare, extras)]
    for level in sorted({column.priority for column in columns}):
        excess = _shrink(widths, narrow, [w and c.priority <= level for w, c in zip(wrapping, columns)], excess)
    excess = _shrink(widths, narrow, [True] * count, excess)
    floors = [extra + 1 for extra in extras]
    excess = _shrink(widths, floors, wrapping, excess)
    _shrink(widths, floors, [True] * count, excess)
    return widths


def _cell_lines(plain: str, column: Column, content: int) -> list[str]:
    lines = []
    for line in plain.split("\n"):
        if column.no_wrap:
            lines.append(_truncate(line, content, column.overflow).rstrip())
        else:
            # a wide character in a one-cell column is the only piece that can be too wide
            lines += [_truncate(piece, content, "crop").rstrip() for piece in fold(line, content, column.whole)]
    return lines


def layout(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, boxed: bool = False
) -> tuple[list[int], list[str], list[list[str]]]:
    """(column widths, header cells, body cells) with every cell's lines joined by line breaks."""
    count = len(columns)
    header = [_clean(column.header) for column in columns]
    body = [[_clean(value) for value in row] for row in rows]
    widths = column_widths(
        [dataclasses.replace(c, header=h) for h, c in zip(header, columns)], body, width, boxed=boxed
    )
    contents = [w - sum(_padding(index, count, boxed)) for index, w in enumerate(widths)]
    folded = [
        ["\n".join(_cell_lines(value, column, content)) for value, column, content in zip(values, columns, contents)]
        for values in [header, *body]
    ]
    return widths, folded[0], folded[1:]


def rich_table(
    columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int, boxed: bool = False
) -> Table:
    """The table for rich (colour output): the cells folded as `table_lines` folds them, in columns
    of its widths; a styled `Text` keeps its style."""
    plain_rows = [[value.plain if isinstance(value, Text) else value for value in row] for row in rows]
    widths, header, body = layout(columns, plain_rows, width, boxed)
    count = len(columns)
    table = Table(
        *(
            RichColumn(
                Text(head),
                width=w - sum(_padding(index, count, boxed)),
                no_wrap=True,
                overflow="crop",
                justify=column.justify,
            )
            for index, (head, w, column) in enumerate(zip(header, widths, columns))
        ),
        **({"box": box.HEAVY_HEAD} if boxed else {"box": BOX, "show_edge": False, "pad_edge": False}),
    )
    for row, folded in zip(rows, body):
        table.add_row(
            *(Text(cell, style=value.style if isinstance(value, Text) else "") for value, cell in zip(row, folded))
        )
    return table


def fits(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: int,
    whole_tokens: bool = False,
    boxed: bool = False,
) -> bool:
    """Whether the table fits ``width`` (else `table_lines` crops it, and rich would lay it out
    anew); with ``whole_tokens``, also without breaking any token."""
    minima: list[int] = []
    widths = column_widths(columns, [[_clean(v) for v in row] for row in rows], width, minima, boxed)
    if whole_tokens and any(w < m for w, m in zip(widths, minima)):
        return False
    return sum(widths) + _rules(len(columns), boxed) <= width


def table_lines(
    console: Console | None, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, boxed: bool = False
) -> list[str]:
    """The table's lines without colour, ``width`` cells at most, trailing spaces removed (the
    console is not used; kept for callers)."""
    count = len(columns)
    paddings = [_padding(index, count, boxed) for index in range(count)]
    widths, header, body = layout(columns, rows, width, boxed)
    lines = []
    for position, values in enumerate([header, *body]):
        cells = []
        for value, column, cell_width, (left, right) in zip(values, columns, widths, paddings):
            content = cell_width - left - right
            cell = []
            for line in value.split("\n"):
                gap = " " * max(content - cell_len(line), 0)
                cell.append(" " * left + (gap + line if column.justify == "right" else line + gap) + " " * right)
            cells.append(cell)
        height = max(1, *(len(cell) for cell in cells))
        for index, cell in enumerate(cells):
            if len(cell) < height:
                blank = [" " * widths[index]] * (height - len(cell))
                # the header row is aligned to the bottom, the others to the top (rich's Table)
                cells[index] = blank + cell if position == 0 else cell + blank
        if boxed:
            edge = "┃" if position == 0 else "│"
            lines += [edge + edge.join(cell[line] for cell in cells) + edge for line in range(height)]
        else:
            lines += [" ".join(cell[line] for cell in cells).rstrip() for line in range(height)]
        if position == 0:
            lines.append("┡" + "╇".join("━" * w for w in widths) + "┩" if boxed else _RULE * (sum(widths) + count - 1))
    if boxed:
        lines = ["┏" + "┳".join("━" * w for w in widths) + "┓", *lines, "└" + "┴".join("─" * w for w in widths) + "┘"]
    return [set_cell_size(line, width).rstrip() if cell_len(line) > width else line for line in lines]
