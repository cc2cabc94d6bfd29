"""Evaluate compiled branches on durable-rules, with the safeguards of notes/durable-rules.md.

- a Host subclass whose background timer threads never start (they race with the caller);
- rulesets built from copies of the definitions (``set_rulesets`` mutates its input);
- one session (sid) per chunk of at most ``CHUNK`` facts, deleted afterwards (bounded sids/memory);
- every rule has ``cap`` = CHUNK, so an action runs once per batch of matches, not once per match
  (the per-action Python round trip is what the notes measured as most of the cost);
- a chunk rejected as a false duplicate (32-bit hash) is replayed fact by fact in fresh sessions;
- after each chunk, every fact must have reached the catch-all rule: a fact that did not is replayed
  alone, and if it still does not, evaluation stops with an EngineError (nothing silently dropped);
- an error code durable-rules raises (e.g. 113 when registering, 303 when asserting) becomes a
  RuleEngineError naming what the ruleset holds (``owner``: the rules of that ruleset);
- a watchdog around every call into the C extension (``engine_watchdog``): those calls cannot be
  interrupted from Python, so one that runs past ``FZCHECK_ENGINE_TIMEOUT`` seconds stops the process.
  Rules that would hang the engine are rejected when loading (limits.engine_limit_problems);
  the watchdog is the last resort for a hang nobody foresaw.
"""

from __future__ import annotations

import contextlib
import copy
import faulthandler
import itertools
import os
import re
import signal
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable

import durable_rules_engine
import msgspec
import orjson
from durable import engine as durable_engine

from .translate import parse_branch_name

CHUNK = 1000
_ruleset_counter = itertools.count()


class EngineError(RuntimeError):
    """The rule engine did not process a fact, even when replayed alone."""


class RuleEngineError(EngineError):
    """durable-rules refused a ruleset or a fact with an error code; the message names what the
    ruleset holds (the rules of one pack and record kind)."""

    def __init__(self, message: str, code: int | None = None, owner: str | None = None):
        super().__init__(message)
        self.code = code
        self.owner = owner


#: what durable-rules' error codes mean (src/rules/rules.h; limits.py has the limits behind them)
DURABLE_ERRORS = {
    101: "out of memory",
    106: "too many rules in one ruleset",
    107: "one test is an alternative of too many `or` groups",
    108: "too many branches end on the same tests",
    113: "a branch has too many `and`/`or` groups (each `!=` or `not` on a value that may be missing is one)",
    302: "a fact has too many properties",
    303: "a fact satisfies too many tests at once",
}
_ERROR_CODE = re.compile(r"error code: (\d+)")


def _durable_error(exc: Exception, doing: str, owner: str) -> RuleEngineError:
    match = _ERROR_CODE.search(str(exc))
    code = int(match.group(1)) if match else None
    meaning = f" ({DURABLE_ERRORS[code]})" if code in DURABLE_ERRORS else ""
    return RuleEngineError(
        f"durable-rules {doing} {owner}: error {code if code is not None else exc}{meaning}; "
        "split the rule, or derive one value that its condition tests",
        code,
        owner,
    )


#: seconds one call into durable-rules may take before the watchdog stops the process (0: no watchdog)
DEFAULT_ENGINE_TIMEOUT = 120.0


def engine_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("FZCHECK_ENGINE_TIMEOUT", DEFAULT_ENGINE_TIMEOUT)))
    except ValueError:
        return DEFAULT_ENGINE_TIMEOUT


@contextlib.contextmanager
def engine_watchdog():
    """Stop the process when the calls inside take longer than ``engine_timeout()`` seconds.

    durable-rules' C calls never return to Python while they run (nor release the GIL), so no Python
    thread or signal handler can stop one. The kernel can: an interval timer sends SIGALRM, whose
    default action ends the process (status 128 + 14 = 142 in a shell), after faulthandler's C
    handler has written every thread's Python stack to standard error (the engine call, where it
    was made). Armed only where it disturbs nothing: on systems with interval timers, when SIGALRM
    has its default action and no interval timer is running (a host application's own alarm is
    left alone). The calls it guards take well under a second each.
    """
    timeout = engine_timeout()
    armed = (
        timeout > 0
        and hasattr(signal, "setitimer")
        and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if armed:
        faulthandler.register(signal.SIGALRM, file=2, all_threads=True, chain=True)  # 2: standard error
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            faulthandler.unregister(signal.SIGALRM)


def _read_by_drain(c) -> None:
    """durable-rules wants an action per rule; matches are read by :func:`assert_facts` instead."""


class _QuietHost(durable_engine.Host):
    def _run(self) -> None:  # no background dispatch/timer threads
        return None


class DurableRuleset:
    """One registered durable ruleset; ``run`` returns, per fact id, every fired (rule index, branch index).

    ``owner`` says what the ruleset holds (e.g. the rules of one pack and kind, with their files and
    lines): durable-rules' errors name it.
    """

    def __init__(self, host: _QuietHost, definition: dict[str, dict], owner: str | None = None):
        self.host = host
        self.name = f"fz{next(_ruleset_counter)}"
        self.owner = owner or f"ruleset {self.name}"
        self._fired: list[tuple[str, int, int]] = []
        self._seen: list[str] = []
        actions = {}
        for rule_name, rule_def in copy.deepcopy(definition).items():
            rule_def["cap"] = CHUNK
            rule_def["run"] = _read_by_drain
            actions[rule_name] = rule_def
        try:
            with engine_watchdog():
                host.set_rulesets({self.name: actions})
        except durable_rules_engine.error as exc:
            raise _durable_error(exc, "could not register the rules of", self.owner) from exc
        self._sessions = itertools.count()
        self._running = threading.Lock()

    def _assert(self, facts: list[dict]) -> None:
        sid = f"s{next(self._sessions)}"
        for fact in facts:
            fact["sid"] = sid
        try:
            assert_facts(self.host.get_ruleset(self.name), facts, self._record)
        except durable_rules_engine.error as exc:
            # the session is left alone: deleting it after an engine error crashed the process (measured)
            raise _durable_error(exc, "failed on a record checked against", self.owner) from exc
        except BaseException:
            self.host.delete_state(self.name, sid)
            raise
        self.host.delete_state(self.name, sid)

    def _record(self, action_name: str, matches: list[Match]) -> None:
        ids = [match.m.id if match.m is not None else str(match.id) for match in matches]
        parsed = parse_branch_name(action_name)
        if parsed is None:
            self._seen.extend(ids)
        else:
            rule_index, branch_index = parsed
            self._fired.extend((fact_id, rule_index, branch_index) for fact_id in ids)

    def run(self, facts: Iterable[dict]) -> dict[str, list[tuple[int, int]]]:
        """Per fact id, every (rule index, branch index) that fired. One thread at a time: the fired
        matches are collected on the instance, and a registered ruleset is shared by every check of
        its process (``backend.DurableBackend.prepare``)."""
        with self._running:
            return self._run(facts)

    def _run(self, facts: Iterable[dict]) -> dict[str, list[tuple[int, int]]]:
        results: dict[str, list[tuple[int, int]]] = defaultdict(list)
        facts = list(facts)
        for start in range(0, len(facts), CHUNK):
            chunk = facts[start : start + CHUNK]
            self._fired.clear()
            self._seen.clear()
            try:
                self._assert(chunk)
                fired, seen = list(self._fired), set(self._seen)
            except durable_engine.MessageObservedException:
                fired, seen = [], set()
            bad = {fact["id"] for fact in chunk} - seen
            by_fact: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for fact_id, rule_index, branch_index in fired:
                by_fact[fact_id].append((rule_index, branch_index))
            for fact in chunk:
                if fact["id"] in bad:
                    by_fact[fact["id"]] = self._replay(fact)
            for fact_id, pairs in by_fact.items():
                results[fact_id].extend(sorted(set(pairs)))
        self._fired.clear()  # not kept until the next run: a registration lives as long as its process
        self._seen.clear()
        return results

    def _replay(self, fact: dict) -> list[tuple[int, int]]:
        self._fired.clear()
        self._seen.clear()
        self._assert([dict(fact)])
        if not self._seen:
            raise EngineError(f"fact {fact['id']} was not processed by the rule engine")
        return sorted({(rule_index, branch_index) for _, rule_index, branch_index in self._fired})


class MatchedFact(msgspec.Struct):
    id: str


class Match(msgspec.Struct):
    """One match of an action, by the fact ids only: ``m`` for the single-pattern rules, ``link`` and
    ``ref`` for the joins, ``id`` for a fact matched by itself."""

    m: MatchedFact | None = None
    link: MatchedFact | None = None
    ref: MatchedFact | None = None
    id: str | None = None


#: Action messages hold every matched fact whole; decoding only the ids (msgspec skips the rest
#: without building objects) is four times faster than decoding the facts.
_ACTIONS = msgspec.json.Decoder(dict[str, list[Match] | Match])
OnMatch = Callable[[str, list[Match]], None]


def assert_facts(ruleset, facts: list[dict], on_match: OnMatch) -> None:
    """Assert facts straight to the C extension (encoded by orjson) and hand each matched action's
    matches to ``on_match``; raises durable's MessageObservedException on a false duplicate.

    durable's own dispatch wraps every matched fact in Python objects and writes the session state
    back after each action (re-asserting the state document); these actions only record which facts
    matched, so the matches are read and the action completed, nothing more.
    """
    with engine_watchdog():
        state_handle = ruleset._handle_result(
            durable_rules_engine.assert_facts(ruleset._handle, orjson.dumps(facts).decode()), facts
        )
        _drain(ruleset._handle, state_handle, on_match)


def retract_facts(ruleset, facts: list[dict], on_match: OnMatch) -> None:
    with engine_watchdog():
        state_handle = ruleset._handle_result(
            durable_rules_engine.retract_facts(ruleset._handle, orjson.dumps(facts).decode()), facts
        )
        _drain(ruleset._handle, state_handle, on_match)


def _drain(handle, state_handle, on_match: OnMatch) -> None:
    result = durable_rules_engine.start_action_for_state(handle, state_handle)
    message = result[1] if result else None
    while message:
        for action_name, matches in _ACTIONS.decode(message).items():
            on_match(action_name, matches if isinstance(matches, list) else [matches])
        message = durable_rules_engine.complete_and_start_action(handle, state_handle)


def new_host() -> _QuietHost:
    return _QuietHost()
