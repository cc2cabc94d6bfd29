"""The JSON API fuzzed from its own OpenAPI schema (schemathesis): whatever a client sends — odd
dates, unknown rulesets, huge numbers, empty or binary uploads — the server never answers 5xx.

Every operation is called twice per example: with an admin's token (so requests get past
authentication and reach the code behind it) and without one (never a 2xx, never an error).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.users import add_user, issue_token
from fzcheck.engine.web import Settings, create_app

_FOLDER = Path(tempfile.mkdtemp(prefix="fzcheck-schema-"))
_engine = connect(str(_FOLDER / "api.db"), create=True)
write_sample(_FOLDER / "sample.jsonl", 120, seed=4)
import_paths(_engine, [_FOLDER / "sample.jsonl"])
run_audit(_engine, AuditParams(as_of=dt.date(2026, 11, 23)), jobs=1)
add_user(_engine, "fuzzer", "admin", "fuzzing pass 1")
TOKEN = issue_token(_engine, "fuzzer")
APP = create_app(Settings(db_url=str(_FOLDER / "api.db"), upload_dir=_FOLDER / "uploads", max_upload_bytes=100_000))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case):
    if case.query and case.query.get("wait") in (True, "true"):
        case.query["wait"] = False  # a fuzzed audit is started, not waited for
    authorized = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(authorized, checks=[not_a_server_error])
    anonymous = case.call()
    case.validate_response(anonymous, checks=[not_a_server_error])
    assert not 200 <= anonymous.status_code < 300  # nothing answers without credentials (401, or 405 for a
    # method the path does not have)
