"""The legal calendar: working days under the State Council holiday schedule, and period counting.

Periods follow records.md "Counting periods" (民法典 Art. 201–203): the start day is not
counted, and a period whose last day is a rest day or statutory holiday ends on the next
working day. Working days come from the ``chinese_calendar`` package (which includes the
make-up working weekends, 调休), overridden and extended by a user holiday file. Outside the
years that data covers, Saturday and Sunday are the rest days and results say so
(``fallback``), because a deadline computed that way may be wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml

from fzcheck.engine.results import InputIssue

_PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """A computed last day; ``fallback`` = some day was judged by the weekend rule only."""

    due_on: dt.date
    fallback: bool = False
    moved_from: dt.date | None = None


class LegalCalendar:
    """Working days: user overrides first, then ``chinese_calendar``, else Saturday/Sunday rest."""

    def __init__(self, extra: dict[dt.date, bool] | None = None):
        self.extra: dict[dt.date, bool] = dict(extra or {})
        self._extra_years = frozenset(d.year for d in self.extra)
        self._working: dict[dt.date, bool] = {}
        #: (how the period is counted, start, length) -> Deadline: registers repeat a few thousand dates
        self._deadlines: dict[tuple[str, dt.date, int], Deadline] = {}

    def covers(self, d: dt.date) -> bool:
        return d.year in _PACKAGE_YEARS or d.year in self._extra_years

    def is_working_day(self, d: dt.date) -> bool:
        """Memoised: chinese_calendar scans its whole holiday table on every call."""
        known = self._working.get(d)
        if known is None:
            known = self._working[d] = self._judge(d)
        return known

    def _judge(self, d: dt.date) -> bool:
        if d in self.extra:
            return self.extra[d]
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            return d.weekday() < 5

    def _memoised(self, compute: Callable[[dt.date, int], Deadline], start: dt.date, length: int) -> Deadline:
        known = self._deadlines.get((compute.__name__, start, length))
        if known is None:
            known = self._deadlines[(compute.__name__, start, length)] = compute(start, length)
        return known

    def deadline_after(self, start: dt.date, days: int) -> Deadline:
        """"N日内" after ``start``: start + days, moved forward past rest days and holidays."""
        return self._memoised(self._deadline_after, start, days)

    def _deadline_after(self, start: dt.date, days: int) -> Deadline:
        if days < 0:
            raise ValueError(f"period length must not be negative: {days}")
        last = start + dt.timedelta(days=days)
        due, fallback = last, False
        while True:
            fallback |= not self.covers(due)
            if self.is_working_day(due):
                break
            due += _ONE_DAY
        return Deadline(due, fallback, last if due != last else None)

    def nth_working_day_after(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after ``start`` (start itself not counted), for "N个工作日"."""
        return self._memoised(self._nth_working_day_after, start, n)

    def _nth_working_day_after(self, start: dt.date, n: int) -> Deadline:
        if n < 1:
            raise ValueError(f"number of working days must be at least 1: {n}")
        day, fallback = start, False
        while n:
            day += _ONE_DAY
            fallback |= not self.covers(day)
            n -= self.is_working_day(day)
        return Deadline(day, fallback)


@lru_cache(maxsize=1)
def default_calendar() -> LegalCalendar:
    return LegalCalendar()


class HolidayFileError(ValueError):
    """A holiday file that cannot be read; names the file, line and field."""

    def __init__(self, file: str | Path, line: int | None, field: str | None, zh: str, en: str):
        self.file, self.line, self.field = str(file), line, field
        self.messages = {"zh": zh, "en": en}
        super().__init__(str(self.issue()))

    def message(self, lang: str = "zh") -> str:
        return self.messages.get(lang) or self.messages["zh"]

    def issue(self, lang: str = "zh") -> InputIssue:
        return InputIssue(self.file, self.line, self.field, self.message(lang))


_DATE_PATTERN = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)")
_DAY_TYPES = {"holiday": False, "休": False, "workday": True, "班": True}
_YAML_KEYS = {"holidays": False, "workdays": True}
_CSV_HEADERS = ({"date", "日期"}, {"type", "类型"}, {"name", "名称"})


def load_holiday_file(path: str | Path) -> dict[dt.date, bool]:
    """Read a user holiday file: date -> True (working day) / False (rest day).

    YAML: ``{holidays: [date | {date, name}], workdays: [...]}``.
    CSV: rows ``date,type,name`` (optional header; type ``holiday``/``workday`` or ``休``/``班``).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayFileError(path, None, None, f"无法读取节假日文件：{exc}",
                               f"cannot read holiday file: {exc}") from exc
    entries = _read_csv(path, text) if path.suffix.lower() == ".csv" else _read_yaml(path, text)
    result: dict[dt.date, bool] = {}
    for line, day, working in entries:
        if result.get(day, working) != working:
            raise HolidayFileError(path, line, "date", f"{day} 同时被列为节假日和工作日",
                                   f"{day} is listed both as a holiday and as a working day")
        result[day] = working
    return result


def _parse_date(value: str, path: Path, line: int, field: str) -> dt.date:
    match = _DATE_PATTERN.fullmatch(value.strip())
    try:
        if not match:
            raise ValueError
        year, *parts = match.groups()
        month, day = [int(p) for p in parts if p is not None]
        return dt.date(int(year), month, day)
    except ValueError:
        raise HolidayFileError(path, line, field, f"无效日期 '{value}'（应为 YYYY-MM-DD）",
                               f"invalid date '{value}' (expected YYYY-MM-DD)") from None


def _read_csv(path: Path, text: str) -> list[tuple[int, dt.date, bool]]:
    entries = []
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line == 1 and cells[0].lower() in _CSV_HEADERS[0]:
            continue
        if len(cells) < 2 or not cells[1]:
            raise HolidayFileError(path, line, "type", "缺少类型（holiday/workday 或 休/班）",
                                   "missing type (holiday/workday or 休/班)")
        kind = cells[1].lower()
        if kind not in _DAY_TYPES:
            raise HolidayFileError(path, line, "type", f"未知类型 '{cells[1]}'（应为 holiday/workday 或 休/班）",
                                   f"unknown type '{cells[1]}' (expected holiday/workday or 休/班)")
        entries.append((line, _parse_date(cells[0], path, line, "date"), _DAY_TYPES[kind]))
    return entries


def _read_yaml(path: Path, text: str) -> list[tuple[int, dt.date, bool]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise HolidayFileError(path, mark.line + 1 if mark else None, None, f"YAML 语法错误：{exc}",
                               f"YAML syntax error: {exc}") from exc
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise HolidayFileError(path, root.start_mark.line + 1, None, "顶层应为含 holidays/workdays 的映射",
                               "top level must be a mapping with holidays/workdays")
    entries = []
    for key_node, list_node in root.value:
        line = key_node.start_mark.line + 1
        if key_node.value not in _YAML_KEYS:
            raise HolidayFileError(path, line, key_node.value, f"未知键 '{key_node.value}'（应为 holidays 或 workdays）",
                                   f"unknown key '{key_node.value}' (expected holidays or workdays)")
        working = _YAML_KEYS[key_node.value]
        if isinstance(list_node, yaml.ScalarNode) and list_node.value in ("", "~", "null"):
            continue
        if not isinstance(list_node, yaml.SequenceNode):
            raise HolidayFileError(path, line, key_node.value, f"{key_node.value} 应为日期列表",
                                   f"{key_node.value} must be a list of dates")
        for item in list_node.value:
            entries.append(_yaml_entry(path, key_node.value, item, working))
    return entries


def _yaml_entry(path: Path, key: str, item: yaml.Node, working: bool) -> tuple[int, dt.date, bool]:
    line = item.start_mark.line + 1
    if isinstance(item, yaml.MappingNode):
        fields = {k.value: v for k, v in item.value}
        unknown = set(fields) - {"date", "name"}
        if unknown:
            name = sorted(unknown)[0]
            raise HolidayFileError(path, line, f"{key}.{name}", f"未知字段 '{name}'（应为 date、name）",
                                   f"unknown field '{name}' (expected date, name)")
        if "date" not in fields:
            raise HolidayFileError(path, line, f"{key}.date", "缺少日期", "missing date")
        item = fields["date"]
        line = item.start_mark.line + 1
    if not isinstance(item, yaml.ScalarNode):
        raise HolidayFileError(path, line, f"{key}.date", "日期应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")
    return line, _parse_date(item.value, path, line, f"{key}.date"), working
