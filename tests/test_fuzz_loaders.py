"""Fuzzing the other things fzcheck parses from users (#16): the condition and derive parsers, and the
waiver and holiday loaders. Whatever the input, each either gives a result or raises its own domain
error (which the CLI turns into a message naming file, line and field, exit 2) — never anything
else, never slowly. Kept small enough to run in CI on every push.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.derive.calendar import HolidayFileError, load_holiday_file
from fzcheck.engine.outcomes.waivers import WaiverError, load_waivers
from fzcheck.engine.rules import language as cond

FAST = settings(
    max_examples=150,
    deadline=dt.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: the characters the condition language is made of, plus some that are not
CONDITION_ALPHABET = list("abc_xyz 0123456789()[],.'\"<>=!") + [
    "and",
    "or",
    "not",
    "in",
    "present(",
    "missing(",
    "2019-02-30",
    "2018-06-01",
    "\x00",
    "\u3000",
    "一",
]


@FAST
@given(parts=st.lists(st.sampled_from(CONDITION_ALPHABET), max_size=40))
def test_the_condition_parser_gives_a_tree_or_a_syntax_error(parts):
    text = "".join(parts)
    try:
        node = cond.parse_condition(text)
    except cond.ConditionSyntaxError:
        return
    assert isinstance(node, dict) and "op" in node
    # a parsed condition can always be negated (the compiler relies on it) and evaluated
    cond.negate(node)
    cond.evaluate(node, {})


@FAST
@given(parts=st.lists(st.sampled_from(CONDITION_ALPHABET), max_size=40))
def test_the_derive_parser_gives_a_tree_or_a_syntax_error(parts):
    try:
        tree = cond.parse_derive("".join(parts))
    except cond.ConditionSyntaxError:
        return
    assert isinstance(tree, dict)


@FAST
@given(depth=st.integers(min_value=1, max_value=3000))
def test_deeply_nested_conditions_are_refused_or_parsed_never_a_recursion_error(depth):
    text = "(" * depth + "a == 1" + ")" * depth
    if depth <= cond.MAX_NESTING:
        assert cond.parse_condition(text)["op"] == "cmp"
        return
    try:
        cond.parse_condition(text)
    except cond.ConditionSyntaxError as exc:
        assert f"nested more than {cond.MAX_NESTING} levels deep" in str(exc)
    else:
        raise AssertionError("a condition nested past the limit was accepted")


def test_deeply_nested_not_and_calls_are_syntax_errors():
    for text in ("not " * 5000 + "a",):
        try:
            cond.parse_condition(text)
        except cond.ConditionSyntaxError as exc:
            assert "nested more than" in str(exc)
    try:
        cond.parse_derive("coalesce(" * 5000 + "a" + ")" * 5000)
    except cond.ConditionSyntaxError as exc:
        assert "nested more than" in str(exc)
    else:
        raise AssertionError("a derive expression nested past the limit was accepted")


WAIVER_LINES = st.sampled_from(
    [
        "waivers:",
        "  - rule: ND-*",
        "    record: cx-nd-*",
        "    reason: 备案系统故障",
        "    approver: 张三",
        "    expires: 2027-06-30",
        "    expires: 2019-02-30",
        "    expires: 20270630",
        "  - &a rule: x",
        "  - *a",
        "    ruleset: chuxiong-2016",
        "    extra: 1",
        "- [",
        "rule,record,ruleset,reason,approver,expires",
        "ND-*,cx-*,,理由,张三,2027-06-30",
        "ND-*,cx-*,,理由,张三,2019-13-01",
        "\x00",
        "\ufeff",
        "   ",
        "{",
        "}",
    ]
)


@FAST
@given(lines=st.lists(WAIVER_LINES, max_size=12), suffix=st.sampled_from([".yaml", ".csv"]))
def test_the_waiver_loader_gives_waivers_or_a_waiver_error(tmp_path_factory, lines, suffix):
    path = tmp_path_factory.mktemp("waivers") / f"w{suffix}"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        waivers = load_waivers(path)
    except WaiverError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(waivers, list)


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".yaml", ".csv"]))
def test_the_waiver_loader_survives_random_bytes(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("waivers") / f"w{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(WaiverError):
        load_waivers(path)


HOLIDAY_LINES = st.sampled_from(
    [
        "holidays:",
        "workdays:",
        "  - 2027-01-01",
        "  - 20270102",
        "  - 2027-02-30",
        "  - {date: 2027-10-01, name: 国庆}",
        "  - &d 2027-01-01",
        "  - *d",
        "date,type,name",
        "2027-01-01,holiday,元旦",
        "2027-01-02,班,调休",
        "2027-01-03,nope,x",
        "2027-01-01,workday,x",
        "\x00",
        "[",
        "other: 1",
    ]
)


@FAST
@given(lines=st.lists(HOLIDAY_LINES, max_size=12), suffix=st.sampled_from([".yaml", ".csv"]))
def test_the_holiday_loader_gives_days_or_a_holiday_file_error(tmp_path_factory, lines, suffix):
    path = tmp_path_factory.mktemp("holidays") / f"h{suffix}"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        days = load_holiday_file(path)
    except HolidayFileError as exc:
        assert exc.file == str(path)
        return
    assert all(isinstance(day, dt.date) and isinstance(working, bool) for day, working in days.items())


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".yaml", ".csv"]))
def test_the_holiday_loader_survives_random_bytes(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("holidays") / f"h{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(HolidayFileError):
        load_holiday_file(path)
