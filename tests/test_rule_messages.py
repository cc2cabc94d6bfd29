"""Rule messages state deadlines so that the last allowed day is plainly allowed.

"应于2024-10-15前报送" reads as "before the 15th" although a filing on the 15th is on time, and
"due by {due_on}" leaves the same doubt in English. Every message of every pack (as resolved,
templates included) is walked in both languages; the wording decided in issue #14 is
"最迟应于{due_on}（含当日）…" / "no later than {due_on} (inclusive)".
"""

from __future__ import annotations

import re

import pytest

from fzcheck.engine.rules.packs import default_catalog

#: a placeholder that holds a date ({due_on}, {year_end}, {as_of} ...; not {days_over})
DATE = r"\{(?:[a-z_]*_)?(?:on|end|from|until|of|day|date)\}"
#: a date immediately followed by 前 ("{due_on}前"), and the words that read as "strictly before"
AMBIGUOUS_ZH = [
    (re.compile(DATE + r"前"), "“{日期}前” reads as strictly before the date"),
    (re.compile(r"前报送"), "“前报送” reads as strictly before the date"),
    (re.compile(r"之前"), "“之前” leaves open whether the day itself is allowed"),
    (re.compile(r"期限至\{"), "“期限至{日期}” is a deadline without saying the day is included"),
]
#: "valid until {date}" states a document's last day of validity, not a deadline
AMBIGUOUS_EN = [
    (re.compile(r"\bbefore " + DATE), "'before {date}' excludes the date"),
    (re.compile(r"\bby " + DATE), "'by {date}' leaves open whether the date is allowed"),
    (re.compile(r"(?<!valid )(?<!validity )\buntil " + DATE), "'until {date}' leaves open whether the date is allowed"),
]
INCLUSIVE_ZH = re.compile(r"最迟(?:应|可)?于\{[a-z_]+\}（含当日")
INCLUSIVE_EN = re.compile(r"no later than \{[a-z_]+\} \(inclusive")


def ambiguities(text: str, lang: str) -> list[str]:
    """Why ``text`` words a deadline ambiguously (empty when it does not)."""
    patterns = AMBIGUOUS_ZH if lang == "zh" else AMBIGUOUS_EN
    return [f"{reason}: {text}" for pattern, reason in patterns if pattern.search(text)]


def _texts():
    """(label, lang, text) for the title and every outcome message of every rule of every pack."""
    for pack in default_catalog().packs.values():
        for rule in pack.rules:
            for lang in ("zh", "en"):
                yield f"{pack.id}/{rule.id} title", lang, rule.title.get(lang, "")
                for index, branch in enumerate(rule.branches):
                    yield (
                        f"{pack.id}/{rule.id} outcome {index + 1} ({branch.outcome})",
                        lang,
                        branch.message.get(lang, ""),
                    )


TEXTS = list(_texts())


def test_every_message_is_walked_in_both_languages():
    """The walk reaches every pack and both languages (a walk over nothing would pass)."""
    packs = {label.split("/", 1)[0] for label, _, _ in TEXTS}
    assert packs >= {"national", "chuxiong-2016", "hunan-2021", "lvyuan-2021", "panjin-2010"}
    assert {lang for _, lang, _ in TEXTS} == {"zh", "en"}
    assert all(text for _, _, text in TEXTS), [label for label, _, text in TEXTS if not text]


def test_no_message_words_a_deadline_ambiguously():
    problems = [f"{label} [{lang}]: {problem}" for label, lang, text in TEXTS for problem in ambiguities(text, lang)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("备案逾期：应于{due_on}前报送备案", "zh"),
        ("告知应在决定之前", "zh"),
        ("{year_end}前应达到{min_days}天", "zh"),
        ("{min_days} required by {year_end}", "en"),
        ("尚未作出处罚决定，期限至{due_on}", "zh"),
        ("Filed late: due for filing by {due_on}", "en"),
        ("the party could ask until {request_ends_on}", "en"),
        ("decided before {due_on}", "en"),
    ],
)
def test_the_check_finds_the_old_wordings(text, lang):
    assert ambiguities(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("备案逾期：最迟应于{due_on}（含当日）报送备案", "zh"),
        ("Validity too long: valid until {stated_end}", "en"),
        ("whether validity until {valid_until} exceeds", "en"),
        ("beyond {limit_on} by {days_over} day(s)", "en"),
        ("to be filed no later than {due_on} (inclusive)", "en"),
    ],
)
def test_the_check_lets_unambiguous_wordings_pass(text, lang):
    assert not ambiguities(text, lang)


DEADLINE_NAME = re.compile(r"(?:^|_)(?:due_on|ends_on)$")


def test_messages_naming_a_deadline_say_it_is_inclusive():
    """A message that shows a derived deadline (due_on, request_ends_on ...) says the day is included."""
    problems = []
    for pack in default_catalog().packs.values():
        for rule in pack.rules:
            deadlines = [name for name in rule.derived_names if DEADLINE_NAME.search(name)]
            for branch in rule.branches:
                for lang, inclusive in (("zh", INCLUSIVE_ZH), ("en", INCLUSIVE_EN)):
                    text = branch.message.get(lang, "")
                    shown = [name for name in deadlines if "{" + name + "}" in text]
                    if shown and not inclusive.search(text):
                        problems.append(
                            f"{pack.id}/{rule.id} [{lang}] shows {shown} without the inclusive wording: {text}"
                        )
    assert not problems, "\n".join(problems)
