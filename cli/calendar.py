"""``fzcheck calendar``: what the tool believes about a year's working days, and where it came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import holiday_calendar

_WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_TEXT = {
    "zh": {
        "state-council": "{year}年：国务院放假安排（chinesecalendar {version}）",
        "overrides": "另有用户节假日文件 {files} 改动 {count} 日",
        "user": "{year}年：用户节假日文件 {files}；文件未列出的法定节假日按《全国年节及纪念日放假办法》计算",
        "statutory": "{year}年：国务院放假安排尚未载入（chinesecalendar {version} 收录 {first}–{last} 年）；"
        "法定节假日按《{rule}》计算，暂定",
        "columns": ("日期", "星期", "工作/休息", "名称", "来源", "暂定"),
        "working": "工作",
        "rest": "休息",
        "provisional": "暂定",
        "weekday": "星期{0}",
        "sources": {
            "user": "用户文件",
            "state-council": "国务院安排",
            "statutory": "法定（计算）",
            "weekend": "周末",
            "weekday": "工作日",
        },
        "days": "共 {count} 个非普通日期",
        "closing": "{year}年的调休安排（调休上班的周末、连休的工作日）未知；调休期（每个节假日及补假前后{reach}日）"
        "为 {spans}，依赖其中标为暂定日期的结果将标记为暂定。国务院公布的放假安排可用 --holidays FILE 载入。",
        "neighbour": "{spans} 在{other}年的调休期内（{other}年放假安排尚未载入），依赖这些日期的结果将标记为暂定。",
        "six_day_week": "1995-05-01 以前实行六天或大小周工作制，本工具按周六、周日休息计算，{year}年的日期均为暂定。",
        "span": "{0}至{1}",
        "joiner": "、",
    },
    "en": {
        "state-council": "{year}: State Council holiday schedule (chinesecalendar {version})",
        "overrides": "user holiday file {files} changes {count} days",
        "user": "{year}: user holiday file {files}; statutory holidays the file does not list computed by law",
        "statutory": "{year}: no State Council schedule loaded (chinesecalendar {version} covers {first}–{last}); "
        "statutory holidays computed by law, {rule} — provisional",
        "columns": ("date", "weekday", "status", "name", "source", "provisional"),
        "working": "working",
        "rest": "rest",
        "provisional": "provisional",
        "weekday": "{0}",
        "sources": {
            "user": "user file",
            "state-council": "State Council",
            "statutory": "statutory (computed)",
            "weekend": "weekend",
            "weekday": "weekday",
        },
        "days": "{count} days that are not ordinary",
        "closing": "The 调休 swaps of {year} (make-up working weekends, bridge days) are not known; the swap "
        "seasons ({reach} days either side of each holiday and substitute day) are {spans}, and "
        "outcomes that depend on a day marked provisional are flagged provisional. Load the State "
        "Council's schedule, once published, with --holidays FILE.",
        "neighbour": "{spans} lie in the swap season of {other}, whose schedule is not loaded; outcomes that "
        "depend on these days are flagged provisional.",
        "six_day_week": "Before 1995-05-01 the working week had six days (or alternate Saturdays); the tool still "
        "rests on Saturday and Sunday, so every day of {year} is provisional.",
        "span": "{0} – {1}",
        "joiner": ", ",
    },
}


@click.group("calendar")
def calendar_group() -> None:
    """法定工作日历 / The legal calendar: holidays, working days and where they come from.

    \b
    Examples:
      fzcheck calendar show 2027
      fzcheck calendar show 2024 --lang en
      fzcheck calendar show 2031 --holidays holidays-2031.yaml
      fzcheck calendar show 2027 --format json
    """


@calendar_group.command("show")
@click.argument("year", type=click.IntRange(1950, 2100))
@click.option(
    "--holidays",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="User holiday file (YAML/CSV) extending the State Council schedule.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show_year(year, holidays, lang, fmt):
    """一年的节假日及来源 / Show YEAR's holidays and working days, and where they come from.

    Prints the source of the year's data (the State Council schedule in chinesecalendar, a user
    holiday file, or the statutory holidays computed by law, provisional), then every day that is
    not an ordinary weekday or weekend: holidays, 补假 days, make-up working days. For a year
    without an official schedule it names the swap seasons where the unknown 调休 swaps could fall.

    \b
    Examples:
      fzcheck calendar show 2027                 # computed by law: provisional, swaps unknown
      fzcheck calendar show 2024                 # the State Council schedule
      fzcheck calendar show 2027 --holidays 2027.yaml --format json
    """
    calendar = holiday_calendar(holidays, lang)
    days = calendar.year_days(year)
    seasons = calendar.swap_seasons(year)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "year": year,
                    "source": calendar.year_source(year),
                    "provisional": not calendar.official(year),
                    "provenance": calendar.provenance(),
                    "swap_seasons": [
                        {"from": first.isoformat(), "to": last.isoformat(), "schedule_year": other}
                        for first, last, other in seasons
                    ],
                    "days": [
                        {
                            "date": d.date.isoformat(),
                            "working": d.working,
                            "name": d.name,
                            "source": d.source,
                            "provisional": d.provisional,
                            "provisional_year": d.provisional_year,
                        }
                        for d in days
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    text = _TEXT[lang]
    for line in _source_lines(calendar, year, text):
        click.echo(line)
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for header in text["columns"]:
        table.add_column(header)
    listed = [d for d in days if d.source not in ("weekend", "weekday")]
    for day in listed:
        table.add_row(
            day.date.isoformat(),
            text["weekday"].format(_WEEKDAYS[lang][day.date.weekday()]),
            text["working"] if day.working else text["rest"],
            (day.name or {}).get(lang, ""),
            text["sources"][day.source],
            text["provisional"] if day.provisional else "",
        )
    Console(width=120 if not sys.stdout.isatty() else None).print(table)
    click.echo(text["days"].format(count=len(listed)))
    own = [span for span in seasons if span[2] == year]
    if own:
        click.echo(
            text["closing"].format(year=year, reach=calendar.provenance()["swap_season_days"], spans=_spans(own, text))
        )
    for other in sorted({span[2] for span in seasons} - {year}):
        click.echo(text["neighbour"].format(other=other, spans=_spans([s for s in seasons if s[2] == other], text)))
    if year < 1995 and not calendar.official(year):
        click.echo(text["six_day_week"].format(year=year))


def _source_lines(calendar, year: int, text: dict) -> list[str]:
    provenance = calendar.provenance()
    source = calendar.year_source(year)
    files = [s for s in calendar.sources if year in s.years]
    names = ", ".join(f"{s.file} (sha256 {s.sha256[:12]})" for s in files)
    if source == "state-council":
        lines = [text["state-council"].format(year=year, version=provenance["package_version"])]
        overrides = sum(1 for d in calendar.extra if d.year == year)
        if overrides:
            lines.append(text["overrides"].format(files=names, count=overrides))
        return lines
    if source == "user":
        return [text["user"].format(year=year, files=names)]
    from ..engine.derive.calendar import statutory_year

    first, last = provenance["official_years"]
    return [
        text["statutory"].format(
            year=year,
            version=provenance["package_version"],
            first=first,
            last=last,
            rule=text["joiner"].join(statutory_year(year).revisions),
        )
    ]


def _spans(spans, text: dict) -> str:
    return text["joiner"].join(text["span"].format(first.isoformat(), last.isoformat()) for first, last, _ in spans)
