"""The legal calendar: working days, statutory holidays and period counting.

Periods follow records.md "Counting periods" (民法典 Art. 201–203): the start day is not
counted, and a period whose last day is a rest day or statutory holiday ends on the next
working day. A day is judged, first source first:

1. ``user``: a user holiday file (``--holidays``) lists it; a year the file lists any day of
   counts as officially scheduled (its other days follow the law and the weekend below);
2. ``state-council``: the State Council schedule packaged in ``chinesecalendar`` (pinned;
   2004–2026 in 1.11.0), with its make-up working weekends and bridge days (调休);
3. ``statutory``: for a year with no official schedule, the holidays are computed by law,
   《全国年节及纪念日放假办法》, with the lunar dates and the solar term 清明 from
   ``lunar_python``; each revision applies from the day it took effect:

   - 1949 (政务院, 1949-12-23), for earlier dates too: 元旦 1 day, 春节 正月初一–初三,
     劳动节 5/1, 国庆 10/1–10/2;
   - 1999 revision (国务院令第270号, from 1999-09-18): 元旦 1, 春节 初一–初三, 劳动节
     5/1–5/3, 国庆 10/1–10/3;
   - 2007 revision (国务院令第513号, from 2008-01-01): 元旦 1, 春节 除夕–初二, 清明 1,
     劳动节 1, 端午 (五月初五) 1, 中秋 (八月十五) 1, 国庆 3;
   - 2013 revision (国务院令第644号, from 2014-01-01): as 2007 but 春节 初一–初三;
   - 2024 revision (国务院令第795号, from 2025-01-01): 元旦 1, 春节 4 (除夕–初三), 清明 1,
     劳动节 2 (5/1–5/2), 端午 1, 中秋 1, 国庆 3 (10/1–10/3).

   Art. 6: a holiday falling on a Saturday or Sunday is made up on a working day (补假). Which
   day the State Council picks is not known, so the model takes, for each holiday day on a
   weekend, the next weekday that is neither a holiday nor already a 补假 day, and marks it
   provisional. Two holidays on one day (中秋 on 国庆, as in 2028 and 2031) are one rest day
   here; whatever extra day the State Council grants falls in the swap season below;
4. ``weekend`` / ``weekday``: Saturday and Sunday are rest days, the other days working days.

**Provisional.** For a year without an official schedule only the 调休 swaps are unknown:
make-up working weekends and bridge days the State Council adds around the holidays. Every
such swap of 2004–2026 lies within 10 days before or after a statutory holiday or computed
补假 day (``tests/test_calendar.py`` proves it against the packaged data; the one exception
is the one-off 2015-09-03 anniversary holiday, decided that year and not foreseeable). So a
day is provisional when it lies in such a *swap season* of a year whose schedule is not
official — including the late-December days before the next year's 元旦, which that year's
notice settles — unless the day is itself a statutory holiday (fixed by law) or listed by an
official source. Days before 1995-05-01, when the five-day week began, are provisional too.
Days farther from any holiday are certain: a weekday works, a weekend rests. A deadline is
``provisional`` when any day it consulted is, and names the years whose schedule was missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import chinese_calendar
import yaml

from ..outcomes.results import InputIssue
from ..sources.yamlsrc import BoundedYAMLError, compose_bounded, read_limited

_PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
_ONE_DAY = dt.timedelta(days=1)
#: days before and after a statutory holiday or 补假 day within which 调休 swaps have fallen
SWAP_SEASON_DAYS = 10
_FIVE_DAY_WEEK = dt.date(1995, 5, 1)

# --- names ----------------------------------------------------------------------------------

#: holiday key (chinesecalendar's ``Holiday`` member names) -> name
HOLIDAY_NAMES: dict[str, dict[str, str]] = {
    "new_years_day": {"zh": "元旦", "en": "New Year's Day"},
    "spring_festival": {"zh": "春节", "en": "Spring Festival"},
    "tomb_sweeping_day": {"zh": "清明节", "en": "Tomb-sweeping Day"},
    "labour_day": {"zh": "劳动节", "en": "Labour Day"},
    "dragon_boat_festival": {"zh": "端午节", "en": "Dragon Boat Festival"},
    "mid_autumn_festival": {"zh": "中秋节", "en": "Mid-autumn Festival"},
    "national_day": {"zh": "国庆节", "en": "National Day"},
    "anti_fascist_70th_day": {
        "zh": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
        "en": "Anti-Fascist 70th Day",
    },
}
_KEY_BY_PACKAGE_NAME = {member.value: member.name for member in chinese_calendar.Holiday}
REST_DAY = {"zh": "休息日", "en": "a rest day"}
_A_HOLIDAY = {"zh": "节假日", "en": "a holiday"}
_A_WORKDAY = {"zh": "调休上班", "en": "a make-up working day"}
#: names as user files write them (a short form, with or without 节)
_KEY_BY_ZH = {
    **{v["zh"]: k for k, v in HOLIDAY_NAMES.items()},
    "新年": "new_years_day",
    **{v["zh"][:-1]: k for k, v in HOLIDAY_NAMES.items() if len(v["zh"]) == 3 and v["zh"][-1] == "节"},
}


def _holiday_name(keys: Sequence[str]) -> dict[str, str]:
    return {
        "zh": "、".join(HOLIDAY_NAMES[k]["zh"] for k in keys),
        "en": ", ".join(HOLIDAY_NAMES[k]["en"] for k in keys),
    }


def _substitute_name(key: str) -> dict[str, str]:
    return {"zh": f"{HOLIDAY_NAMES[key]['zh']}补假", "en": f"{HOLIDAY_NAMES[key]['en']} (substitute rest day)"}


def _workday_name(key: str) -> dict[str, str]:
    return {"zh": f"{HOLIDAY_NAMES[key]['zh']}调休上班", "en": f"{HOLIDAY_NAMES[key]['en']} (make-up working day)"}


def _user_name(text: str) -> dict[str, str]:
    """A name from a user file (Chinese), with the English one when it is a known holiday."""
    if text in _KEY_BY_ZH:
        return dict(HOLIDAY_NAMES[_KEY_BY_ZH[text]])
    for suffix, make in (("调休上班", _workday_name), ("补班", _workday_name), ("补假", _substitute_name)):
        if text.endswith(suffix) and text.removesuffix(suffix) in _KEY_BY_ZH:
            return {"zh": text, "en": make(_KEY_BY_ZH[text.removesuffix(suffix)])["en"]}
    return {"zh": text, "en": text}


# --- the law --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """One version of 《全国年节及纪念日放假办法》: what it grants, from when."""

    title: str
    effective: dt.date
    spring_festival: tuple[int, ...]  # days relative to 正月初一 (-1 = 除夕)
    labour_days: int
    national_days: int
    lunar_festivals: bool  # 清明节, 端午节, 中秋节 one day each


REVISIONS = (
    Revision("全国年节及纪念日放假办法 (1949年)", dt.date(1949, 12, 23), (0, 1, 2), 1, 2, False),
    Revision("全国年节及纪念日放假办法 (1999年修订)", dt.date(1999, 9, 18), (0, 1, 2), 3, 3, False),
    Revision("全国年节及纪念日放假办法 (2007年修订)", dt.date(2008, 1, 1), (-1, 0, 1), 1, 3, True),
    Revision("全国年节及纪念日放假办法 (2013年修订)", dt.date(2014, 1, 1), (0, 1, 2), 1, 3, True),
    Revision("全国年节及纪念日放假办法 (2024年修订)", dt.date(2025, 1, 1), (-1, 0, 1, 2), 2, 3, True),
)


def revision_in_force(day: dt.date) -> Revision:
    """The revision in force on ``day`` (the 1949 text for earlier days too)."""
    for revision in reversed(REVISIONS):
        if day >= revision.effective:
            return revision
    return REVISIONS[0]


@dataclass(frozen=True)
class StatutoryYear:
    """The holidays the law gives in one year, the modelled 补假 days, and the swap season."""

    year: int
    holidays: dict[dt.date, tuple[str, ...]]  # day -> holiday keys (two when holidays coincide)
    substitutes: dict[dt.date, str]  # 补假 day -> key of the holiday it makes up (provisional)
    season: frozenset[dt.date]  # SWAP_SEASON_DAYS either side of any holiday or 补假 day
    revisions: tuple[str, ...]  # the titles of the revisions applied


def _solar(solar: Any) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def statutory_year(year: int) -> StatutoryYear:
    """The statutory holidays of ``year`` computed by law (lunar dates from ``lunar_python``)."""
    from lunar_python import Lunar, Solar  # noqa: PLC0415 (only a year without an official schedule needs it)

    chuyi = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    lunar_day = {
        "dragon_boat_festival": _solar(Lunar.fromYmd(year, 5, 5).getSolar()),
        "mid_autumn_festival": _solar(Lunar.fromYmd(year, 8, 15).getSolar()),
        "tomb_sweeping_day": _solar(Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]),
    }
    holidays: dict[dt.date, tuple[str, ...]] = {}
    applied: list[str] = []

    def grant(key: str, anchor: dt.date, offsets: Iterable[int]) -> None:
        for offset in offsets:
            day = anchor + dt.timedelta(days=offset)
            holidays[day] = (*holidays.get(day, ()), key)

    def rule(anchor: dt.date) -> Revision:
        revision = revision_in_force(anchor)
        if revision.title not in applied:
            applied.append(revision.title)
        return revision

    new_years_day, labour, national = dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 10, 1)
    rule(new_years_day)
    grant("new_years_day", new_years_day, [0])
    grant("spring_festival", chuyi, rule(chuyi).spring_festival)
    grant("labour_day", labour, range(rule(labour).labour_days))
    for key, day in lunar_day.items():
        if rule(day).lunar_festivals:
            grant(key, day, [0])
    grant("national_day", national, range(rule(national).national_days))
    substitutes: dict[dt.date, str] = {}
    for day in sorted(d for d in holidays if _is_weekend(d)):
        candidate = day + _ONE_DAY
        while _is_weekend(candidate) or candidate in holidays or candidate in substitutes:
            candidate += _ONE_DAY
        substitutes[candidate] = holidays[day][-1]
    reach = dt.timedelta(days=SWAP_SEASON_DAYS)
    season = frozenset(
        anchor - reach + dt.timedelta(days=i)
        for anchor in (*holidays, *substitutes)
        for i in range(2 * SWAP_SEASON_DAYS + 1)
    )
    order = {revision.title: i for i, revision in enumerate(REVISIONS)}
    return StatutoryYear(
        year,
        dict(sorted(holidays.items())),
        dict(sorted(substitutes.items())),
        season,
        tuple(sorted(applied, key=order.__getitem__)),
    )


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


# --- the calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A computed last day, whether it rests on a provisional day, and why it was moved."""

    due_on: dt.date
    provisional: bool = False  # depends on a day whose schedule is not officially known
    moved_from: dt.date | None = None  # the nominal last day, when it was a rest day or holiday
    moved_because: dict[str, str] | None = None  # why moved_from was not a working day (zh/en)
    provisional_years: tuple[int, ...] = ()  # the years whose official schedule was missing

    @property
    def fallback(self) -> bool:
        """Kept for existing callers: the old name of ``provisional``."""
        return self.provisional


@dataclass(frozen=True)
class DayInfo:
    """What the calendar holds about one day, and where it comes from."""

    date: dt.date
    working: bool
    name: dict[str, str] | None  # holiday (or 补假, make-up working day) name, zh/en
    source: str  # "user", "state-council", "statutory", "weekend" or "weekday"
    provisional: bool = False
    #: for a provisional day, the year whose official schedule would settle it
    provisional_year: int | None = None


@dataclass(frozen=True)
class HolidaySource:
    """A user holiday file a calendar was built from."""

    file: str
    sha256: str
    years: tuple[int, ...]


_ORDINARY = frozenset({"weekend", "weekday"})


class LegalCalendar:
    """Working days: a user file first, then ``chinese_calendar``, else the law and the weekend."""

    def __init__(
        self,
        extra: dict[dt.date, bool] | None = None,
        sources: Sequence[HolidaySource] = (),
        names: dict[dt.date, str] | None = None,
    ):
        self.extra: dict[dt.date, bool] = dict(extra or {})
        self.sources: tuple[HolidaySource, ...] = tuple(sources)
        #: names the user files give their days (Chinese)
        self.names: dict[dt.date, str] = dict(names or {})
        self._extra_years = frozenset(d.year for d in self.extra)
        #: day -> (working, year whose missing schedule makes it provisional, else 0); memoised
        #: because chinese_calendar scans its whole holiday table on every call
        self._days: dict[dt.date, tuple[bool, int]] = {}
        self._infos: dict[dt.date, DayInfo] = {}
        #: (how the period is counted, start, length) -> Deadline: registers repeat a few thousand dates
        self._deadlines: dict[tuple[str, dt.date, int], Deadline] = {}

    def __reduce__(self) -> tuple:
        """Sent to a worker process as what it is made of; the worker keeps one calendar per content
        (:func:`_shared_calendar`), so every partition it evaluates shares its memos instead of
        counting every deadline again from a cold one."""
        return (_shared_calendar, (self.extra, self.sources, self.names))

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> LegalCalendar:
        """A calendar extended by user holiday files (a later file wins a day two files list)."""
        extra: dict[dt.date, bool] = {}
        names: dict[dt.date, str] = {}
        sources = []
        for path in paths:
            read = read_holiday_file(path)
            extra.update(read.days)
            names.update(read.names)
            sources.append(HolidaySource(str(path), read.sha256, read.years))
        return cls(extra, sources, names)

    # --- what is known about a day

    def official(self, year: int) -> bool:
        """Whether ``year`` has an official schedule (packaged or from a user file)."""
        return year in _PACKAGE_YEARS or year in self._extra_years

    def covers(self, d: dt.date) -> bool:
        return self.official(d.year)

    def year_source(self, year: int) -> str:
        """Where the schedule of ``year`` comes from: ``state-council`` (the packaged data, which
        a user file may override day by day), ``user`` (a user file) or ``statutory`` (the law)."""
        if year in _PACKAGE_YEARS:
            return "state-council"
        return "user" if year in self._extra_years else "statutory"

    def is_working_day(self, d: dt.date) -> bool:
        known = self._days.get(d)
        if known is None:
            known = self._remember(d)
        return known[0]

    def day_info(self, d: dt.date) -> DayInfo:
        info = self._infos.get(d)
        if info is None:
            self._remember(d)
            info = self._infos[d]
        return info

    def year_days(self, year: int) -> list[DayInfo]:
        """The days of ``year`` that are not ordinary: holidays, 补假 days, make-up working days,
        days a user file lists, and provisional days."""
        day, days = dt.date(year, 1, 1), []
        while day.year == year:
            info = self.day_info(day)
            if info.source not in _ORDINARY or info.provisional:
                days.append(info)
            day += _ONE_DAY
        return days

    def swap_seasons(self, year: int) -> list[tuple[dt.date, dt.date, int]]:
        """The stretches of ``year`` (and the late December before it) where an unknown 调休 swap
        could fall: ``(first, last, year whose schedule is missing)``, from the swap seasons of
        ``year`` and of the years next to it that have no official schedule."""
        spans: list[tuple[dt.date, dt.date, int]] = []
        for other in (year - 1, year, year + 1):
            if self.official(other):
                continue
            days = sorted(d for d in statutory_year(other).season if other == year or d.year == year)
            for d in days:
                if spans and spans[-1][2] == other and spans[-1][1] + _ONE_DAY == d:
                    spans[-1] = (spans[-1][0], d, other)
                else:
                    spans.append((d, d, other))
        return sorted(spans)

    def provenance(self) -> dict:
        """The holiday data this calendar uses, JSON-ready, for a run to record."""
        return {
            "package": "chinesecalendar",
            "package_version": chinese_calendar.__version__,
            "official_years": [_PACKAGE_YEARS[0], _PACKAGE_YEARS[-1]],
            "user_files": [{"file": s.file, "sha256": s.sha256, "years": list(s.years)} for s in self.sources],
            "statutory_rule": REVISIONS[-1].title,
            "statutory_revisions": [{"title": r.title, "effective": r.effective.isoformat()} for r in REVISIONS],
            "lunar_package": "lunar_python",
            "lunar_package_version": _version("lunar_python"),
            "swap_season_days": SWAP_SEASON_DAYS,
        }

    def _remember(self, d: dt.date) -> tuple[bool, int]:
        info = self._infos[d] = self._classify(d)
        known = self._days[d] = (info.working, info.provisional_year or 0)
        return known

    def _classify(self, d: dt.date) -> DayInfo:
        if d in self.extra:
            working = self.extra[d]
            return DayInfo(d, working, self._listed_name(d, working), "user")
        info = self._state_council(d) if d.year in _PACKAGE_YEARS else self._by_law(d, official=self.official(d.year))
        if info.source not in _ORDINARY and not info.provisional:
            return info
        pending = self._pending_year(d)
        if pending:
            return DayInfo(d, info.working, info.name, info.source, True, pending)
        return DayInfo(d, info.working, info.name, info.source)

    def _pending_year(self, d: dt.date) -> int:
        for year in (d.year, d.year + 1, d.year - 1):
            if not self.official(year) and d in statutory_year(year).season:
                return year
        if d < _FIVE_DAY_WEEK and not self.official(d.year):
            return d.year
        return 0

    def _state_council(self, d: dt.date) -> DayInfo:
        if d in chinese_calendar.workdays:
            key = _KEY_BY_PACKAGE_NAME.get(chinese_calendar.workdays[d])
            return DayInfo(d, True, _workday_name(key) if key else dict(_A_WORKDAY), "state-council")
        if d in chinese_calendar.holidays:
            key = _KEY_BY_PACKAGE_NAME.get(chinese_calendar.holidays[d])
            return DayInfo(d, False, _holiday_name([key]) if key else dict(_A_HOLIDAY), "state-council")
        return self._by_law(d, official=True)  # a holiday the data leaves out (2012-06-23, a Saturday)

    def _by_law(self, d: dt.date, official: bool) -> DayInfo:
        law = statutory_year(d.year)
        keys = law.holidays.get(d)
        if keys:
            return DayInfo(d, False, _holiday_name(keys), "statutory")
        if not official and d in law.substitutes:
            return DayInfo(d, False, _substitute_name(law.substitutes[d]), "statutory", True, d.year)
        return _plain(d)

    def _listed_name(self, d: dt.date, working: bool) -> dict[str, str] | None:
        if d in self.names:
            return _user_name(self.names[d])
        keys = statutory_year(d.year).holidays.get(d)
        if not working:
            return _holiday_name(keys) if keys else dict(_A_HOLIDAY)
        return dict(_A_WORKDAY) if _is_weekend(d) else None

    # --- periods

    def _memoised(self, compute: Callable[[dt.date, int], Deadline], start: dt.date, length: int) -> Deadline:
        known = self._deadlines.get((compute.__name__, start, length))
        if known is None:
            known = self._deadlines[(compute.__name__, start, length)] = compute(start, length)
        return known

    def deadline_after(self, start: dt.date, days: int) -> Deadline:
        """ "N日内" after ``start``: start + days, moved forward past rest days and holidays."""
        return self._memoised(self._deadline_after, start, days)

    def _deadline_after(self, start: dt.date, days: int) -> Deadline:
        if days < 0:
            raise ValueError(f"period length must not be negative: {days}")
        last = due = start + dt.timedelta(days=days)
        known_days, pending = self._days, None
        while True:
            working, year = known_days.get(due) or self._remember(due)
            if year:
                pending = {year} if pending is None else pending | {year}
            if working:
                break
            due += _ONE_DAY
        years = tuple(sorted(pending)) if pending else ()
        if due == last:
            return Deadline(due, bool(years), provisional_years=years)
        return Deadline(due, bool(years), last, self.day_info(last).name or dict(REST_DAY), years)

    def nth_working_day_after(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after ``start`` (start itself not counted), for "N个工作日"."""
        return self._memoised(self._nth_working_day_after, start, n)

    def _nth_working_day_after(self, start: dt.date, n: int) -> Deadline:
        if n < 1:
            raise ValueError(f"number of working days must be at least 1: {n}")
        day, known_days, pending = start, self._days, None
        while n:
            day += _ONE_DAY
            working, year = known_days.get(day) or self._remember(day)
            if year:
                pending = {year} if pending is None else pending | {year}
            n -= working
        years = tuple(sorted(pending)) if pending else ()
        return Deadline(day, bool(years), provisional_years=years)


def _plain(d: dt.date) -> DayInfo:
    return DayInfo(d, False, None, "weekend") if _is_weekend(d) else DayInfo(d, True, None, "weekday")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def default_calendar() -> LegalCalendar:
    return LegalCalendar()


#: calendars made from what was sent to this process, by content (a few per process at most)
_SHARED: dict[tuple, LegalCalendar] = {}


def _shared_calendar(
    extra: dict[dt.date, bool], sources: tuple[HolidaySource, ...], names: dict[dt.date, str]
) -> LegalCalendar:
    """This process's calendar of this content (unpickling a :class:`LegalCalendar`): the default
    calendar when it is the packaged schedule alone."""
    if not extra and not sources and not names:
        return default_calendar()
    key = (frozenset(extra.items()), tuple(sources), frozenset(names.items()))
    calendar = _SHARED.get(key)
    if calendar is None:
        while len(_SHARED) >= 8:
            _SHARED.pop(next(iter(_SHARED)))
        calendar = _SHARED[key] = LegalCalendar(extra, sources, names)
    return calendar


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


@dataclass(frozen=True)
class HolidayFile:
    """A user holiday file as read: its days, the names it gives them, and its SHA-256."""

    days: dict[dt.date, bool]  # True = working day, False = rest day
    names: dict[dt.date, str] = field(default_factory=dict)
    sha256: str = ""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.days}))


_DATE_PATTERN = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日|(\d{2})(\d{2}))")
_DAY_TYPES = {"holiday": False, "休": False, "workday": True, "班": True}
_YAML_KEYS = {"holidays": False, "workdays": True}
_CSV_HEADERS = ({"date", "日期"}, {"type", "类型"}, {"name", "名称"})
_Entry = tuple[int, dt.date, bool, str | None]


def load_holiday_file(path: str | Path) -> dict[dt.date, bool]:
    """Read a user holiday file: date -> True (working day) / False (rest day).

    YAML: ``{holidays: [date | {date, name}], workdays: [...]}``.
    CSV: rows ``date,type,name`` (optional header; type ``holiday``/``workday`` or ``休``/``班``).
    Dates as ``2031-01-01``, ``2031/1/1``, ``2031.1.1``, ``2031年1月1日`` or ``20310101``.
    """
    return read_holiday_file(path).days


def read_holiday_file(path: str | Path) -> HolidayFile:
    """:func:`load_holiday_file` with the names the file gives and the file's SHA-256."""
    path = Path(path)
    try:
        data = read_limited(path, _WHAT)
        text = data.decode("utf-8-sig")
    except BoundedYAMLError as exc:
        raise _bounded_error(path, exc) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayFileError(
            path, None, None, f"无法读取节假日文件：{exc}", f"cannot read holiday file: {exc}"
        ) from exc
    entries = _read_csv(path, text) if path.suffix.lower() == ".csv" else _read_yaml(path, text)
    days: dict[dt.date, bool] = {}
    names: dict[dt.date, str] = {}
    for line, day, working, name in entries:
        if days.get(day, working) != working:
            raise HolidayFileError(
                path,
                line,
                "date",
                f"{day} 同时被列为节假日和工作日",
                f"{day} is listed both as a holiday and as a working day",
            )
        days[day] = working
        if name:
            names[day] = name
    return HolidayFile(days, names, hashlib.sha256(data).hexdigest())


_WHAT = "holiday files"


def _bounded_error(path: Path, exc: Exception) -> HolidayFileError:
    """A holiday file refused by the bounded YAML reader (yamlsrc): too large, anchors or aliases,
    too many values or too deep."""
    kind, limit, en = getattr(exc, "kind", ""), getattr(exc, "limit", None), getattr(exc, "problem", str(exc))
    if kind == "size":
        zh = f"文件过大（{getattr(exc, 'size', 0) / 1024 / 1024:.1f} MB），节假日文件不得超过 {(limit or 0) / 1024 / 1024:g} MB"
    elif kind == "alias":
        zh = f"节假日文件不允许使用 YAML 锚点和别名（&anchor / *alias）：'{getattr(exc, 'token', '')}'"
    elif kind == "depth":
        zh = f"嵌套过深：节假日文件至多嵌套 {limit} 层"
    else:
        zh = f"值过多：节假日文件至多含 {limit:,} 个值"
    return HolidayFileError(path, getattr(exc, "line", None), None, zh, en)


def _parse_date(value: str, path: Path, line: int, field: str) -> dt.date:
    match = _DATE_PATTERN.fullmatch(value.strip())
    try:
        if not match:
            raise ValueError
        year, *parts = match.groups()
        month, day = [int(p) for p in parts if p is not None]
        return dt.date(int(year), month, day)
    except ValueError:
        raise HolidayFileError(
            path, line, field, f"无效日期 '{value}'（应为 YYYY-MM-DD）", f"invalid date '{value}' (expected YYYY-MM-DD)"
        ) from None


def _read_csv(path: Path, text: str) -> list[_Entry]:
    entries = []
    rows = csv.reader(text.splitlines())
    while True:
        try:
            row = next(rows, None)
        except csv.Error as exc:
            raise HolidayFileError(
                path, rows.line_num or None, None, f"CSV 格式错误：{exc}", f"not valid CSV: {exc}"
            ) from exc
        if row is None:
            break
        line = rows.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line == 1 and cells[0].lower() in _CSV_HEADERS[0]:
            continue
        if len(cells) < 2 or not cells[1]:
            raise HolidayFileError(
                path, line, "type", "缺少类型（holiday/workday 或 休/班）", "missing type (holiday/workday or 休/班)"
            )
        kind = cells[1].lower()
        if kind not in _DAY_TYPES:
            raise HolidayFileError(
                path,
                line,
                "type",
                f"未知类型 '{cells[1]}'（应为 holiday/workday 或 休/班）",
                f"unknown type '{cells[1]}' (expected holiday/workday or 休/班)",
            )
        name = cells[2] if len(cells) > 2 and cells[2] else None
        entries.append((line, _parse_date(cells[0], path, line, "date"), _DAY_TYPES[kind], name))
    return entries


def _read_yaml(path: Path, text: str) -> list[_Entry]:
    try:
        root = compose_bounded(text, _WHAT)
    except BoundedYAMLError as exc:
        raise _bounded_error(path, exc) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise HolidayFileError(
            path, mark.line + 1 if mark else None, None, f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}"
        ) from exc
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise HolidayFileError(
            path,
            root.start_mark.line + 1,
            None,
            "顶层应为含 holidays/workdays 的映射",
            "top level must be a mapping with holidays/workdays",
        )
    entries = []
    for key_node, list_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise HolidayFileError(
                path, line, None, "键应为 holidays 或 workdays", "a key must be holidays or workdays"
            )
        if key_node.value not in _YAML_KEYS:
            raise HolidayFileError(
                path,
                line,
                key_node.value,
                f"未知键 '{key_node.value}'（应为 holidays 或 workdays）",
                f"unknown key '{key_node.value}' (expected holidays or workdays)",
            )
        working = _YAML_KEYS[key_node.value]
        if isinstance(list_node, yaml.ScalarNode) and list_node.value in ("", "~", "null"):
            continue
        if not isinstance(list_node, yaml.SequenceNode):
            raise HolidayFileError(
                path,
                line,
                key_node.value,
                f"{key_node.value} 应为日期列表",
                f"{key_node.value} must be a list of dates",
            )
        for item in list_node.value:
            entries.append(_yaml_entry(path, key_node.value, item, working))
    return entries


def _yaml_entry(path: Path, key: str, item: yaml.Node, working: bool) -> _Entry:
    line = item.start_mark.line + 1
    name = None
    if isinstance(item, yaml.MappingNode):
        if not all(isinstance(k, yaml.ScalarNode) for k, _ in item.value):
            raise HolidayFileError(path, line, f"{key}.date", "字段名应为 date 或 name", "a field must be date or name")
        fields = {k.value: v for k, v in item.value}
        unknown = set(fields) - {"date", "name"}
        if unknown:
            bad = min(unknown)
            raise HolidayFileError(
                path,
                line,
                f"{key}.{bad}",
                f"未知字段 '{bad}'（应为 date、name）",
                f"unknown field '{bad}' (expected date, name)",
            )
        if "date" not in fields:
            raise HolidayFileError(path, line, f"{key}.date", "缺少日期", "missing date")
        if isinstance(fields.get("name"), yaml.ScalarNode) and fields["name"].value.strip():
            name = fields["name"].value.strip()
        item = fields["date"]
        line = item.start_mark.line + 1
    if not isinstance(item, yaml.ScalarNode):
        raise HolidayFileError(path, line, f"{key}.date", "日期应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")
    return line, _parse_date(item.value, path, line, f"{key}.date"), working, name
