"""Rules registered on durable-rules once per process and shared by every later check of them.

Each registration holds ~2 MB that durable-rules never gives back: before the rules were shared, 200
checks of one draft grew a process by 370 MB (a server would not last a day). These tests hold the
sharing to its promise — no second registration, the same outcomes as fresh rules, and correct
outcomes when many threads check at once (the web server's request threads).
"""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fzcheck.engine.backends.durable import backend as durable_prepared
from fzcheck.engine.backends.durable import host as durable_backend
from fzcheck.engine.backends.durable.backend import _PREPARED
from fzcheck.engine.evaluate.check import check_files
from fzcheck.engine.rules.packs import load_catalog, packaged_rulesets_dir

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "sample_cases" / "readme_example" / "draft.jsonl"
REGISTERS = sorted((ROOT / "sample_cases" / "county_years").rglob("*.jsonl"))
AS_OF = dt.date(2019, 1, 1)


def fingerprint(report) -> str:
    return json.dumps(
        [(o.record_id, o.ruleset, o.rule_id, o.outcome, o.message("zh"), o.evidence) for o in report.outcomes],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


def test_a_second_check_registers_nothing(monkeypatch):
    check_files([DRAFT], as_of=AS_OF)
    registered = []
    original = durable_backend.DurableRuleset.__init__

    def counting(self, *args, **kwargs):
        registered.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(durable_backend.DurableRuleset, "__init__", counting)
    for _ in range(5):
        check_files([DRAFT], as_of=AS_OF)
    assert registered == []
    # other rules (absent steps are violations): registered once more — unless an earlier test of this
    # process registered them, so they are forgotten first
    kept = {key: value for key, value in durable_prepared._PREPARED.items() if "violation" not in key}
    monkeypatch.setattr(durable_prepared, "_PREPARED", kept)
    check_files([DRAFT], as_of=AS_OF, absent_steps="violation")
    assert registered


def test_shared_rules_give_the_outcomes_of_fresh_ones():
    shared = check_files([DRAFT, *REGISTERS], as_of=dt.date(2026, 11, 23))
    fresh_catalog = load_catalog(packaged_rulesets_dir())  # new pack objects: nothing shared with the above
    before = len(_PREPARED)
    fresh = check_files([DRAFT, *REGISTERS], as_of=dt.date(2026, 11, 23), catalog=fresh_catalog)
    assert len(_PREPARED) > before
    assert fingerprint(shared) == fingerprint(fresh) and shared.summary() == fresh.summary()


def test_threads_checking_at_once_get_their_own_outcomes():
    inputs = [[DRAFT], REGISTERS[:1], REGISTERS[1:2], [DRAFT, *REGISTERS[:2]]]
    expected = [fingerprint(check_files(paths, as_of=dt.date(2026, 11, 23))) for paths in inputs]
    with ThreadPoolExecutor(8) as pool:
        got = list(
            pool.map(
                lambda index: (index, fingerprint(check_files(inputs[index % 4], as_of=dt.date(2026, 11, 23)))),
                range(32),
            )
        )
    assert all(found == expected[index % 4] for index, found in got)
