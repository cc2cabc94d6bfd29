"""The table renderer's tables without colour, laid out as rich lays them out, in a fraction of the time.

rich measures and renders every cell through a chain of renderables (Padding, Text, Segments):
about a millisecond a row, more than three minutes for a register with 200,000 findings. Here the
widths come from the same rules (rich's own `Table._collapse_widths` and `ratio_reduce` do the
shrinking), and a cell whose text fits on one line of its column — nearly all of them — is padded
directly; any other cell (too long, several lines, tabs) is rendered by rich itself, so the output
is rich's, character for character. `tests/test_renderers.py` checks that against rich for random
tables. Colour output (a terminal) still goes through rich.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich._ratio import ratio_reduce
from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.control import strip_control_codes
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

#: the box of every table of the table renderer: a rule under the header, columns one space apart
BOX = box.SIMPLE_HEAD
_RULE = "─"
#: what rich does something with besides measuring it: line breaks, tabs, control characters
_SPECIAL = re.compile("[\x00-\x1f\x7f-\x9f]")


def simple_line(plain: str, width: int) -> bool:
    """Whether rich prints ``plain`` as it is, on one line of ``width`` cells (then it need not)."""
    return width >= 1 and not _SPECIAL.search(plain) and cell_len(plain) <= width


@dataclass(frozen=True)
class Column:
    """A column as rich's ``Table.add_column`` takes it (the options the table renderer uses)."""

    header: str
    no_wrap: bool = False
    overflow: str = "ellipsis"
    justify: str = "left"
    max_width: int | None = None
    #: passed on to rich; a table that does not expand (these never do) ignores it
    ratio: int | None = None


def rich_table(columns: Sequence[Column], rows: Sequence[Sequence[Text]]) -> Table:
    """The rich Table the plain layout reproduces (the colour output prints it)."""
    table = Table(box=BOX, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column.header, no_wrap=column.no_wrap, overflow=column.overflow,
                         justify=column.justify, max_width=column.max_width, ratio=column.ratio)
    for row in rows:
        table.add_row(*row)
    return table


def _padding(index: int, count: int) -> tuple[int, int]:
    """(left, right) padding of a column: one space each side, none at the table's edges."""
    return (0 if index == 0 else 1), (0 if index == count - 1 else 1)


def _longest_line(plain: str) -> int:
    """The maximum of ``Text.__rich_measure__``: the widest line (the minimum, the widest word, never
    decides a width: the table only uses its columns' maxima)."""
    return max((cell_len(line) for line in plain.splitlines()), default=0)


def _cell_maximum(longest: int, max_width: int, extra: int) -> int:
    """The maximum of ``Measurement.get`` of ``Padding(Text)`` within ``max_width``; it grows with
    ``longest``, so a column's is that of its widest cell."""
    if max_width < 1:
        return 0
    if max_width - extra < 1:
        return max_width
    inner = min(max(0, longest), max_width)
    outer = min((inner if inner >= 1 else 0) + extra, max_width)
    return outer if outer >= 1 else 0


def _measure_column(longest: int, column: Column, extra: int, max_width: int) -> int:
    """``Table._measure_column``'s maximum, ``longest`` the widest line of the column's cells."""
    if max_width < 1:
        return 0
    maximum = min(_cell_maximum(longest, max_width, extra), max_width)
    if column.max_width is not None:
        maximum = min(maximum, column.max_width + extra)
    return maximum


def _widths(columns: Sequence[Column], longest: list[int], extras: list[int], max_width: int) -> list[int]:
    """``Table._calculate_column_widths`` for a table that does not expand."""
    widths = [_measure_column(size, column, extra, max_width) or 1
              for size, column, extra in zip(longest, columns, extras)]
    if sum(widths) > max_width:
        widths = Table._collapse_widths(widths, [not column.no_wrap for column in columns], max_width)
        if sum(widths) > max_width:
            widths = ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [_measure_column(size, column, extra, width) or 0
                  for size, column, extra, width in zip(longest, columns, extras, widths)]
    return widths


_TRAILING_SPACE = re.compile(r"\s+$")


def _wrapped(line: str, width: int, column: Column) -> list[str] | None:
    """``Text.wrap`` of one line without tabs or control characters: its pieces, or None when one
    piece would not fit (rich then truncates it, and the caller leaves the cell to rich)."""
    if column.no_wrap:
        return [line] if cell_len(line) <= width else None
    offsets = divide_line(line, width, fold=column.overflow == "fold")
    bounds = [0, *offsets, len(line)]
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        piece = line[start:end]
        if len(piece) > width:  # Text.rstrip_end: trailing whitespace beyond the width, by characters
            space = _TRAILING_SPACE.search(piece)
            if space is not None:
                piece = piece[:len(piece) - min(len(space.group()), len(piece) - width)]
        if cell_len(piece) > width:
            return None
        pieces.append(piece)
    return pieces


def _rich_cell(console: Console, plain: str, column: Column, width: int, padding: tuple[int, int]) -> list[str]:
    """A cell rich renders: its lines, each ``width`` cells wide."""
    options = console.options.update(width=width, justify=column.justify, no_wrap=column.no_wrap,
                                     overflow=column.overflow, height=None, highlight=False)
    lines = console.render_lines(Padding(Text(plain), (0, padding[1], 0, padding[0])), options)
    return ["".join(segment.text for segment in line) for line in lines]


def _cell(console: Console, plain: str, column: Column, width: int, padding: tuple[int, int]) -> list[str]:
    left, right = padding
    content = width - left - right
    if content >= 1 and column.justify in ("left", "right") and not _SPECIAL.search(plain.replace("\n", " ")):
        # rich wraps each line of the text apart; where every piece fits, it is padded as it is
        lines: list[str] = []
        for line in plain.split("\n"):
            pieces = _wrapped(line, content, column)
            if pieces is None:
                return _rich_cell(console, plain, column, width, padding)
            lines += pieces
        if column.justify == "right":
            return [" " * (left + content - cell_len(line.rstrip())) + line.rstrip() + " " * right for line in lines]
        return [" " * left + line + " " * (content - cell_len(line) + right) for line in lines]
    return _rich_cell(console, plain, column, width, padding)


def table_lines(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """The lines ``console.print(rich_table(columns, rows))`` prints without colour on a console
    ``width`` wide, trailing spaces removed."""
    count = len(columns)
    paddings = [_padding(index, count) for index in range(count)]
    extras = [left + right for left, right in paddings]
    header = [strip_control_codes(column.header) for column in columns]
    body = [[strip_control_codes(value) for value in row] for row in rows]
    longest = [max([_longest_line(header[index]), *(_longest_line(row[index]) for row in body)])
               for index in range(count)]
    widths = _widths(columns, longest, extras, width - (count - 1))
    lines = []
    for position, values in enumerate([header, *body]):
        cells = [_cell(console, value, column, cell_width, padding)
                 for value, column, cell_width, padding in zip(values, columns, widths, paddings)]
        height = max(1, *(len(cell) for cell in cells))
        for index, cell in enumerate(cells):
            if len(cell) < height:
                blank = [" " * widths[index]] * (height - len(cell))
                # the header row is aligned to the bottom, the others to the top (rich's Table)
                cells[index] = blank + cell if position == 0 else cell + blank
        lines += [" ".join(cell[line] for cell in cells).rstrip() for line in range(height)]
        if position == 0:
            lines.append(_RULE * (sum(widths) + count - 1))
    if any(cell_len(line) > width for line in lines):
        # wider than the console (no-wrap cells that cannot shrink): rich crops such lines, and
        # such a table is rare enough to leave wholly to rich
        return _rich_lines(console, columns, body, width)
    return lines


def _rich_lines(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    with console.capture() as capture:
        console.print(rich_table(columns, [[Text(value) for value in row] for row in rows]), width=width)
    return [line.rstrip() for line in capture.get().splitlines()]
