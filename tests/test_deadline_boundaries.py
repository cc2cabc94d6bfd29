"""Every deadline rule's own examples sit on both sides of its last day.

Messages say "最迟应于{due_on}（含当日）" / "no later than {due_on} (inclusive)"; that is only true if
the check lets the act happen on due_on and flags it on the day after. Each pack's rule must carry an
example on the deadline and one on the next day (`fzcheck rules test` runs them), so a check that
slips to "before due_on" or to "due_on + 1" fails its own examples — and this test fails when such an
example is missing.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fzcheck.engine.rules.examples import ExampleResult, run_examples
from fzcheck.engine.rules.packs import default_catalog

#: rule -> (the act's date, the deadline, outcomes allowed on the deadline, outcome on the day after).
#: "as_of" is the day the check is run for (an act not done yet); year_end is 31 December of the year.
LATE = ({"pass"}, "violation")
OPEN = ({"pending"}, "violation")
BOUNDARIES: dict[str, list[tuple[str, str, set[str], str]]] = {
    "ND-FILING-DEADLINE": [("filed_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "EC-DECISION-DEADLINE": [("decided_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "EC-SERVICE-DEADLINE": [("served_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "EC-PUBLISH-DEADLINE": [("published_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "RC-DECISION-DEADLINE": [
        ("decided_on", "due_on", *LATE),
        ("decided_on", "extended_due_on", *LATE),
        ("decided_on", "simple_due_on", *LATE),
        ("as_of", "due_on", *OPEN),
    ],
    # the party may ask for a hearing up to and including request_ends_on: a decision that day is early
    "EC-HEARING-WINDOW": [("decided_on", "request_ends_on", {"violation"}, "pass")],
    "TR-SESSIONS": [("as_of", "year_end", *OPEN)],
    "TR-DAYS": [("as_of", "year_end", *OPEN)],
    "TR-HOURS": [("as_of", "year_end", *OPEN)],
    # agency-level obligations (issue #12): reports and publications due in the next year, answers
    "AY-ANNUAL-REPORT": [("report_submitted_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "AY-ANNUAL-REPORT-PUBLIC": [("report_published_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "AY-FILING-CATALOGUE": [("filing_catalogue_published_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "RQ-ANSWERED": [("replied_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    "DR-DISCLOSURE-DEADLINE": [("answered_on", "due_on", *LATE), ("as_of", "due_on", *OPEN)],
    # no publication recorded once it was due is an absent step: indeterminate (records.md, Outcomes)
    "RC-DECISION-PUBLIC": [
        ("decision_published_on", "due_on", *LATE),
        ("as_of", "due_on", {"pending"}, "indeterminate"),
    ],
}
DEADLINE_NAME = re.compile(r"(?:^|_)(?:due_on|ends_on)$")

CATALOG = default_catalog()
DEADLINE_RULES = [(pack.id, rule) for pack in CATALOG.packs.values() for rule in pack.rules if rule.id in BOUNDARIES]


def test_every_rule_with_a_deadline_is_listed():
    """A new rule deriving a deadline (…due_on, …ends_on) must be added above, with its boundary examples."""
    unlisted = sorted(
        {
            f"{pack.id}/{rule.id}"
            for pack in CATALOG.packs.values()
            for rule in pack.rules
            if any(DEADLINE_NAME.search(name) for name in rule.derived_names) and rule.id not in BOUNDARIES
        }
    )
    assert not unlisted, unlisted
    assert len(DEADLINE_RULES) >= len(BOUNDARIES)


def _value(result: ExampleResult, name: str) -> dt.date | None:
    if name == "as_of":
        return result.as_of
    if name == "year_end":
        year = result.evidence.get("year")
        return dt.date(int(year), 12, 31) if year is not None else None
    value = result.evidence.get(name)
    return dt.date.fromisoformat(str(value)) if value else None


@pytest.mark.parametrize("pack_id, rule", DEADLINE_RULES, ids=lambda value: getattr(value, "id", value))
def test_examples_on_the_deadline_and_the_day_after(pack_id, rule):
    results = run_examples(CATALOG, {rule.id}, {pack_id})
    assert results and all(result.ok for result in results), [r.label for r in results if not r.ok]
    missing = []
    for act, deadline, on_due, after in BOUNDARIES[rule.id]:
        pairs = [(result, _value(result, act), _value(result, deadline)) for result in results]
        on_the_day = [r for r, day, due in pairs if day and due and day == due and r.got in on_due]
        # the day after: the outcome this deadline gives (a deadline shown in messages: its date in the message)
        shown = deadline != "year_end" and after == "violation"
        next_day = [
            r
            for r, day, due in pairs
            if day
            and due
            and day == due + dt.timedelta(days=1)
            and r.got == after
            and (not shown or due.isoformat() in r.message)
        ]
        if not on_the_day:
            missing.append(f"no example with {act} on {deadline} giving {sorted(on_due)}")
        if not next_day:
            missing.append(f"no example with {act} the day after {deadline} giving {after}")
    assert not missing, f"{pack_id}/{rule.id}: " + "; ".join(missing)
