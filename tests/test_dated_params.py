"""Dated parameters and the loader's checks of them (rule-catalog.md "Packs": "the rule carries
dated parameter values and uses the one in force on the act's date"; docs/rule-format.md).

A parameter may be ``{date: value, ...}`` (each value until the next) or a list of
``{from, until, value}`` ranges. The value in force on the act's date is used and shown in
``evidence["dated_parameters"]``. Broken rule folders (tests/data/rules/broken/<name>/) must be
rejected with RuleFileErrors naming file, line and dotted path.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.outcomes.results import SourceRef
from fzcheck.engine.rules.packs import RuleFileErrors, default_catalog, load_catalog
from fzcheck.models.records import parse_record

D = dt.date.fromisoformat
BROKEN = Path(__file__).parent / "data" / "rules" / "broken"
BASE = BROKEN / "unknown_param"  # a valid template; its pack file is the broken part


def doc(id="nd-1", **fields):
    data = {
        "kind": "normative_document",
        "id": id,
        "region_code": "532301",
        "agency": "楚雄市人民政府",
        "title": "楚雄市某某管理办法",
        "status": "in_force",
        **fields,
    }
    return parse_record(data, SourceRef("test.json", 1))


def rules_dir(tmp_path: Path, params_yaml: str) -> Path:
    """A demo pack over the T-FILING template of the broken fixtures, with the given params block."""
    root = tmp_path / "rules"
    shutil.copytree(BASE / "templates", root / "templates")
    (root / "demo").mkdir(parents=True)
    shutil.copy(BASE / "demo" / "pack.yaml", root / "demo" / "pack.yaml")
    (root / "demo" / "normative_document.yaml").write_text(
        "rules:\n  - id: T-FILING\n    params:\n" + params_yaml + "    citation: {clause: 措施18, quote: 备案}\n",
        encoding="utf-8",
    )
    return root


BY_DAY = "      limit_days: {2016-01-01: 15, 2018-01-01: 30}\n"
RANGES = (
    "      limit_days:\n"
    "        - {from: 2016-01-01, until: 2017-12-31, value: 15}\n"
    "        - {from: 2018-01-01, until: 2019-12-31, value: 30}\n"
)


def filing(catalog, record, as_of="2026-11-23", rulesets=("demo",)):
    report = check_records([record], as_of=D(as_of), catalog=catalog, rulesets=list(rulesets))
    found = [o for o in report.outcomes if o.rule_id == "T-FILING"]
    assert len(found) <= 1
    return found[0] if found else None


# --------------------------------------------------------------------------- the value in force is used


@pytest.mark.parametrize("form", [BY_DAY, RANGES], ids=["by-day", "ranges"])
@pytest.mark.parametrize(
    "published, filed, outcome, limit, since, due",
    [
        # 15 days for acts to 2017-12-31: 2017-12-31 + 15 = Mon 2018-01-15
        ("2017-12-31", "2018-01-15", "pass", 15, "2016-01-01", "2018-01-15"),
        ("2017-12-31", "2018-01-16", "violation", 15, "2016-01-01", "2018-01-15"),
        # 30 days from 2018-01-01: 2018-01-01 + 30 = Wed 2018-01-31
        ("2018-01-01", "2018-01-16", "pass", 30, "2018-01-01", "2018-01-31"),
        ("2018-01-01", "2018-01-31", "pass", 30, "2018-01-01", "2018-01-31"),
        ("2018-01-01", "2018-02-01", "violation", 30, "2018-01-01", "2018-01-31"),
        ("2018-01-02", "2018-02-01", "pass", 30, "2018-01-01", "2018-02-01"),
        # the first value's first day
        ("2016-01-01", "2016-01-18", "pass", 15, "2016-01-01", "2016-01-18"),  # 01-16 is a Saturday
        ("2016-01-01", "2016-01-19", "violation", 15, "2016-01-01", "2016-01-18"),
    ],
)
def test_the_value_in_force_on_the_act_date_is_used_and_shown(
    tmp_path, form, published, filed, outcome, limit, since, due
):
    catalog = load_catalog(rules_dir(tmp_path, form))
    found = filing(catalog, doc(published_on=published, filed_on=filed))
    assert found.outcome == outcome
    assert found.evidence["limit_days"] == limit
    assert found.evidence["due_on"] == due
    assert found.evidence["dated_parameters"] == {"limit_days": {"value": limit, "from": since}}


@pytest.mark.parametrize("form", [BY_DAY, RANGES], ids=["by-day", "ranges"])
@pytest.mark.parametrize("published, judged", [("2015-12-31", False), ("2016-01-01", True), ("2016-01-02", True)])
def test_an_act_before_the_first_value_is_not_judged(tmp_path, form, published, judged):
    # forced (what-if), so the pack's period does not limit it: only the dated parameter does
    catalog = load_catalog(rules_dir(tmp_path, form))
    found = filing(catalog, doc(published_on=published, filed_on="2016-03-01"))
    assert (found is not None) is judged


@pytest.mark.parametrize(
    "published, outcome",
    [
        ("2019-12-31", "violation"),  # the last day of the last range: 30 days, filed far too late
        ("2020-01-01", None),  # no value in force: the rule cannot say what the limit was
        ("2020-01-02", None),
    ],
)
def test_an_act_after_the_last_range_ends_is_not_judged_by_a_missing_limit(tmp_path, published, outcome):
    # A closed last range leaves no limit for later acts. The rule must not judge them with a
    # missing threshold: a pass ("filed in time") with no limit to compare against is not a finding.
    catalog = load_catalog(rules_dir(tmp_path, RANGES))
    found = filing(catalog, doc(published_on=published, filed_on="2020-06-30"))
    assert (found.outcome if found else None) == outcome
    # nor left pending for ever with a due date of "—"
    unfiled = filing(catalog, doc(published_on=published), as_of="2026-01-01")
    assert (unfiled.outcome if unfiled else None) == outcome


def test_describe_lists_each_dated_value_with_its_days(tmp_path):
    catalog = load_catalog(rules_dir(tmp_path, BY_DAY))
    [rule] = catalog.rule("T-FILING")
    assert rule.describe()["parameters"]["limit_days"] == [
        {"from": "2016-01-01", "until": "2017-12-31", "value": 15},
        {"from": "2018-01-01", "until": None, "value": 30},
    ]
    assert "limit_days" not in rule.params
    assert rule.starts_on == D("2016-01-01")


def test_the_two_forms_resolve_to_the_same_history(tmp_path):
    by_day = load_catalog(rules_dir(tmp_path / "a", BY_DAY)).rule("T-FILING")[0].dated_params["limit_days"]
    ranges = load_catalog(rules_dir(tmp_path / "b", RANGES)).rule("T-FILING")[0].dated_params["limit_days"]
    assert [(e.since, e.value) for e in by_day] == [(e.since, e.value) for e in ranges]
    assert by_day[0].until == ranges[0].until == D("2017-12-31")
    assert by_day[1].until is None and ranges[1].until == D("2019-12-31")


def test_national_hearing_window_carries_its_dated_days():
    [rule] = default_catalog().rule("EC-HEARING-WINDOW", "national")
    parameters = rule.describe()["parameters"]
    assert parameters["request_days"] == [
        {"from": "1996-10-01", "until": "2021-07-14", "value": 3},
        {"from": "2021-07-15", "until": None, "value": 5},
    ]
    assert parameters["request_in_working_days"] == [
        {"from": "1996-10-01", "until": "2021-07-14", "value": False},
        {"from": "2021-07-15", "until": None, "value": True},
    ]
    assert [day for day, _ in rule.citation_history] == [D("1996-10-01"), D("2021-07-15")]


@pytest.mark.parametrize(
    "day, document",
    [
        ("1996-10-01", "中华人民共和国行政处罚法（1996年）"),
        ("2021-07-14", "中华人民共和国行政处罚法（1996年）"),
        ("2021-07-15", "中华人民共和国行政处罚法（2021年修订）"),
        ("2021-07-16", "中华人民共和国行政处罚法（2021年修订）"),
    ],
)
def test_dated_citations_follow_the_act_date(day, document):
    [rule] = default_catalog().rule("EC-NOTICE-BEFORE-DECISION", "national")
    assert rule.citation_on(D(day)).document == document
    assert rule.citation_on(None).document == "中华人民共和国行政处罚法（2021年修订）"


# --------------------------------------------------------------------------- broken folders

#: folder -> (file relative to the folder, line, dotted path, message)
BROKEN_DATED = {
    "dated_overlap": (
        "demo/normative_document.yaml",
        5,
        "rules[0].params.limit_days",
        "dated values overlap: the value from 2016-01-01 runs until 2018-12-31, the next starts 2018-06-01",
    ),
    "dated_overlap_in_template": (
        "templates/normative_document.yaml",
        7,
        "templates[0].params.limit_days",
        "dated values overlap: the value from 2016-01-01 runs until 2018-12-31, the next starts 2018-06-01",
    ),
    "dated_gap": (
        "demo/normative_document.yaml",
        5,
        "rules[0].params.limit_days",
        "dated values leave a gap: 2018-01-01 to 2018-01-31 has no value",
    ),
    "dated_mixed_types": (
        "templates/normative_document.yaml",
        6,
        "templates[0].params.limit_days",
        "dated values of one parameter must have one type, got number, str",
    ),
    "dated_duplicate_key": (
        "demo/normative_document.yaml",
        7,
        "rules[0].params.limit_days.2016-01-01",
        "not valid YAML: duplicate key '2016-01-01'",
    ),
    "dated_unknown_key": (
        "demo/normative_document.yaml",
        6,
        "rules[0].params.limit_days[1]",
        "a dated value needs from, value and optionally until; allowed keys: from, until, value",
    ),
    "dated_until_before_from": (
        "demo/normative_document.yaml",
        5,
        "rules[0].params.limit_days[0]",
        "until 2017-12-31 is before from 2018-01-01",
    ),
    "no_citation": ("demo/normative_document.yaml", 2, "rules[0]", "a rule needs exactly one of citation, citations"),
    "two_citations": ("demo/normative_document.yaml", 2, "rules[0]", "a rule needs exactly one of citation, citations"),
    "absent_step_not_violation": (
        "templates/normative_document.yaml",
        16,
        "templates[0].outcomes[2]",
        "absent_step marks a violation branch only",
    ),
}


def _errors(case: str):
    with pytest.raises(RuleFileErrors) as raised:
        load_catalog(BROKEN / case)
    return raised.value.errors


@pytest.mark.parametrize("case", sorted(BROKEN_DATED))
def test_each_broken_folder_is_rejected_naming_file_line_and_path(case):
    relative, line, path, message = BROKEN_DATED[case]
    errors = _errors(case)
    file = str(BROKEN / case / relative)
    matching = [error for error in errors if error.message == message]
    assert matching, [str(error) for error in errors]
    [error] = matching
    assert (error.file, error.line, error.path) == (file, line, path), str(error)
    where = f"{file}:{line}: {path}: {message}" if path else f"{file}:{line}: {message}"
    assert str(error) == where


def test_duplicate_date_key_names_the_dotted_path():
    # the other rule-file errors name a dotted path; a duplicate key's path is known when it is found
    [error] = [e for e in _errors("dated_duplicate_key") if "duplicate key" in e.message]
    assert "rules[0].params.limit_days" in str(error)


@pytest.mark.parametrize("case", sorted(BROKEN_DATED))
def test_broken_folders_keep_the_unknown_param_layout(case):
    folder = BROKEN / case
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.yaml")) == [
        "demo/normative_document.yaml",
        "demo/pack.yaml",
        "templates/normative_document.yaml",
    ]
