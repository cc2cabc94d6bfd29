"""fzcheck serve: accounts, the authorization matrix, scopes, CSRF, limits and the API's agreement with the CLI.

The application runs in-process through httpx's ASGI transport (Starlette's TestClient); the real
browser test is tests/test_serve_browser.py, the fuzzing of the OpenAPI schema tests/test_serve_schema.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import Scope, load_run
from fzcheck.engine.store.users import (
    LOGIN_ATTEMPTS,
    AccountError,
    LoginRefused,
    add_user,
    authenticate,
    issue_token,
    set_disabled,
    user_for_token,
)
from fzcheck.engine.web import Settings, create_app
from fzcheck.engine.web.jobs import wait_for

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "sample_cases" / "readme_example" / "draft.jsonl"
AS_OF = dt.date(2026, 11, 23)
PASSWORD = "correct horse 1"
ROLES = ("admin", "auditor", "reviewer", "agency")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    write_sample(path, 600, seed=5)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory, sample):
    """A database with the sample imported and audited once, one account per role, and the app."""
    folder = tmp_path_factory.mktemp("serve")
    engine = connect(str(folder / "serve.db"), create=True)
    import_paths(engine, [sample])
    run = run_audit(engine, AuditParams(as_of=AS_OF), jobs=1)
    agencies = sorted({agency for agency, _month, _region in run.placement.values() if agency})
    regions = sorted({region for _agency, _month, region in run.placement.values() if region})
    agency = agencies[0]
    add_user(engine, "admin", "admin", PASSWORD)
    add_user(engine, "auditor", "auditor", PASSWORD)
    add_user(engine, "reviewer", "reviewer", PASSWORD)
    add_user(engine, "agency", "agency", PASSWORD, agency=agency)
    add_user(engine, "region", "auditor", PASSWORD, region=regions[0][:4])
    tokens = {name: issue_token(engine, name) for name in (*ROLES, "region")}
    app = create_app(Settings(db_url=str(folder / "serve.db"), upload_dir=folder / "uploads", max_upload_bytes=200_000))
    yield {
        "engine": engine,
        "app": app,
        "run": run,
        "tokens": tokens,
        "agency": agency,
        "agencies": agencies,
        "region": regions[0][:4],
        "folder": folder,
    }
    app.state.jobs.shutdown()
    engine.dispose()


def client(site) -> TestClient:
    return TestClient(site["app"])


def bearer(site, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site['tokens'][name]}"}


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_text).group(1)


def logged_in(site, name: str) -> TestClient:
    browser = client(site)
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf": token, "next": "/"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return browser


# --- accounts ------------------------------------------------------------------------------------


def test_passwords_are_argon2_hashes_and_tokens_are_kept_as_digests(site):
    from sqlalchemy import select

    from fzcheck.engine.store.schema import api_tokens, users

    with site["engine"].connect() as connection:
        hashes = [row.password_hash for row in connection.execute(select(users))]
        digests = [row.digest for row in connection.execute(select(api_tokens))]
    assert all(value.startswith("$argon2id$") and PASSWORD not in value for value in hashes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in digests)
    assert site["tokens"]["admin"] not in digests
    assert user_for_token(site["engine"], site["tokens"]["admin"]).name == "admin"
    assert user_for_token(site["engine"], site["tokens"]["admin"] + "x") is None


def test_account_rules(tmp_path):
    engine = connect(str(tmp_path / "a.db"), create=True)
    with pytest.raises(AccountError, match="at least 8 characters"):
        add_user(engine, "short", "reviewer", "1234567")
    with pytest.raises(AccountError, match="needs --agency or --region"):
        add_user(engine, "clerk", "agency", PASSWORD)
    with pytest.raises(AccountError, match="unknown role 'boss'"):
        add_user(engine, "boss", "boss", PASSWORD)
    with pytest.raises(AccountError, match="1 to 6 digits, got '53a'"):
        add_user(engine, "x", "auditor", PASSWORD, region="53a")
    add_user(engine, "wang", "reviewer", PASSWORD)
    with pytest.raises(AccountError, match="user 'wang' already exists"):
        add_user(engine, "wang", "reviewer", PASSWORD)
    token = issue_token(engine, "wang")
    set_disabled(engine, "wang", True)
    assert user_for_token(engine, token) is None
    assert authenticate(engine, "wang", PASSWORD) is None
    set_disabled(engine, "wang", False)
    assert user_for_token(engine, token) is None  # revoked with the account, not revived
    assert authenticate(engine, "wang", PASSWORD).name == "wang"


def test_failed_logins_are_rate_limited_per_account(tmp_path):
    engine = connect(str(tmp_path / "r.db"), create=True)
    add_user(engine, "li", "reviewer", PASSWORD)
    for _ in range(LOGIN_ATTEMPTS):
        assert authenticate(engine, "li", "wrong password", "10.0.0.9") is None
    with pytest.raises(LoginRefused, match="too many failed logins"):
        authenticate(engine, "li", PASSWORD, "10.0.0.8")  # even the right password, from elsewhere
    from fzcheck.engine.store.users import access_entries

    actions = [entry["action"] for entry in access_entries(engine)]
    assert actions.count("login") == LOGIN_ATTEMPTS and actions[0] == "login-refused"


def test_user_commands(tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "init", "--db", db]).exit_code == 0
    result = runner.invoke(
        cli,
        ["user", "add", "zhao", "--role", "agency", "--agency", "楚雄州司法局", "--password-stdin", "--db", db],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "已新增用户 zhao（agency）/ added user zhao (agency)\n"
    result = runner.invoke(
        cli, ["user", "add", "zhao", "--role", "reviewer", "--password-stdin", "--db", db], input=PASSWORD + "\n"
    )
    assert result.exit_code == 2
    assert "错误：用户“zhao”已存在 / user 'zhao' already exists" in result.output
    result = runner.invoke(cli, ["user", "token", "zhao", "--db", db])
    assert result.exit_code == 0 and re.fullmatch(r"fzc_[A-Za-z0-9_-]{43}\n", result.output)
    result = runner.invoke(cli, ["user", "list", "--format", "json", "--db", db])
    assert json.loads(result.output)[0] | {"created_at": None} == {
        "name": "zhao",
        "role": "agency",
        "agency": "楚雄州司法局",
        "region": None,
        "disabled": False,
        "created_at": None,
    }
    assert runner.invoke(cli, ["user", "disable", "zhao", "--db", db]).output == "已停用 zhao / disabled zhao\n"
    result = runner.invoke(cli, ["user", "token", "zhao", "--db", db])
    assert result.exit_code == 2 and "user 'zhao' is disabled" in result.output
    result = runner.invoke(cli, ["user", "disable", "nobody", "--db", db])
    assert result.exit_code == 2 and "错误：没有用户“nobody” / no user 'nobody'" in result.output


# --- who may do what ----------------------------------------------------------------------------


def _endpoints(site):
    run_id = site["run"].run_id
    draft = {"file": ("draft.jsonl", DRAFT.read_bytes())}
    return {
        "check": ("post", "/api/check?as_of=2019-01-01", {"files": draft}),
        "runs": ("get", "/api/runs", {}),
        "outcomes": ("get", f"/api/runs/{run_id}/outcomes", {}),
        "import": ("post", "/api/imports", {"files": {"file": ("empty-kind.csv", b"kind,id\n")}}),
        "audit": ("post", "/api/audits?as_of=2026-11-23&year=1999", {}),
    }


ALLOWED = {
    "admin": {"check", "runs", "outcomes", "import", "audit"},
    "auditor": {"check", "runs", "outcomes", "import", "audit"},
    "reviewer": {"check", "runs", "outcomes"},
    "agency": {"check", "runs", "outcomes"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["check", "runs", "outcomes", "import", "audit"])
def test_authorization_matrix(site, role, endpoint):
    method, url, extra = _endpoints(site)[endpoint]
    browser = client(site)
    assert getattr(browser, method)(url, **extra).status_code == 401
    assert (
        getattr(browser, method)(url, headers={"Authorization": "Bearer fzc_not-a-token"}, **extra).status_code == 401
    )
    response = getattr(browser, method)(url, headers=bearer(site, role), **extra)
    if endpoint in ALLOWED[role]:
        assert response.status_code in (200, 202), response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json() == {
            "detail": f"无权执行此操作 / not allowed: {'import' if endpoint == 'import' else 'audit'}"
        }


@pytest.mark.parametrize("path", ["/", "/check", "/runs", "/imports", "/admin/users", "/admin/log"])
def test_pages_need_a_login(site, path):
    response = client(site).get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize(
    "role,path,status",
    [
        ("reviewer", "/admin/users", 403),
        ("auditor", "/admin/log", 403),
        ("agency", "/admin/users", 403),
        ("reviewer", "/imports", 403),
        ("agency", "/imports", 200),
        ("admin", "/admin/log", 200),
    ],
)
def test_pages_by_role(site, role, path, status):
    assert logged_in(site, role).get(path).status_code == status


# --- an agency sees its own part only ---------------------------------------------------------------


def test_agency_account_sees_only_its_agency_whatever_the_filters(site):
    run_id, own = site["run"].run_id, site["agency"]
    other = next(agency for agency in site["agencies"] if agency != own)
    everything = json.loads(client(site).get(f"/api/runs/{run_id}/outcomes", headers=bearer(site, "admin")).text)
    mine = json.loads(client(site).get(f"/api/runs/{run_id}/outcomes", headers=bearer(site, "agency")).text)
    theirs = json.loads(
        client(site).get(f"/api/runs/{run_id}/outcomes", params={"agency": other}, headers=bearer(site, "agency")).text
    )
    assert mine["outcomes"] and len(mine["outcomes"]) < len(everything["outcomes"])
    stored = load_run(site["engine"], run_id, scope=Scope(agency=own))
    assert {o["record_id"] for o in mine["outcomes"]} == {o.record_id for o in stored.outcomes}
    assert all(stored.placement[(o.record_kind, o.record_id)].agency == own for o in stored.outcomes)
    assert theirs["outcomes"] == [] and theirs["summary"]["pass"] == 0
    assert mine["summary"]["pass"] < everything["summary"]["pass"]
    assert other not in json.dumps(mine, ensure_ascii=False)
    assert mine["warnings"] == []  # the run's coverage warnings name records of every agency


def test_region_account_counts_only_its_region(site):
    run_id, region = site["run"].run_id, site["region"]
    stored = load_run(site["engine"], run_id, scope=Scope(region=region))
    assert stored.outcomes and all(
        stored.placement[(o.record_kind, o.record_id)].region_code.startswith(region) for o in stored.outcomes
    )
    assert all((key.region_code or "").startswith(region) for key in stored.counts)
    whole = load_run(site["engine"], run_id)
    assert sum(stored.counts.values()) < sum(whole.counts.values())
    page = logged_in(site, "region").get(f"/runs/{run_id}")
    assert page.status_code == 200 and f"region={region}" in page.text


def test_agency_sees_only_its_quarantined_rows(site, tmp_path):
    own, other = site["agency"], next(a for a in site["agencies"] if a != site["agency"])
    bad = tmp_path / "bad-dates.csv"
    bad.write_text(
        "类型,编号,区划代码,机关,公布日期\n"
        f"行政规范性文件,q-own,532301,{own},not a date\n"
        f"行政规范性文件,q-other,532301,{other},not a date\n",
        "utf-8",
    )
    import_paths(site["engine"], [bad])
    page = logged_in(site, "agency").get("/imports")
    assert "q-own" in page.text and "q-other" not in page.text
    csv_text = logged_in(site, "agency").get("/imports/quarantine.csv").text
    assert "q-own" in csv_text and "q-other" not in csv_text and str(tmp_path) not in csv_text


# --- forms, uploads, limits -----------------------------------------------------------------------


def test_forms_without_the_csrf_token_are_refused(site):
    browser = client(site)
    browser.get("/login")
    response = browser.post("/login", data={"name": "admin", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF" in response.text
    browser = logged_in(site, "reviewer")
    response = browser.post("/check", files={"file": ("draft.jsonl", DRAFT.read_bytes())})
    assert response.status_code == 403


def test_login_redirects_only_within_the_site(site):
    browser = client(site)
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login",
        data={"name": "admin", "password": PASSWORD, "csrf": token, "next": "//evil.example/steal"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_session_cookie_is_httponly_and_samesite(site):
    browser = client(site)
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login", data={"name": "admin", "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert "fzcheck_session=" in cookie and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_a_disabled_account_loses_its_session(site, tmp_path):
    add_user(site["engine"], "leaver", "reviewer", PASSWORD)
    browser = logged_in(site, "leaver")
    assert browser.get("/check").status_code == 200
    set_disabled(site["engine"], "leaver", True)
    assert browser.get("/check", follow_redirects=False).status_code == 303


def test_reviewer_checks_a_draft_in_the_page_and_downloads_sarif(site):
    browser = logged_in(site, "reviewer")
    token = csrf_of(browser.get("/check").text)
    page = browser.post(
        "/check", data={"csrf": token, "as_of": "2019-01-01"}, files={"file": ("draft.jsonl", DRAFT.read_bytes())}
    )
    assert page.status_code == 200
    assert page.text.count('class="o-violation"') == 4
    assert "ND-FILING-DEADLINE" in page.text and "draft.jsonl:1" in page.text and "楚委〔2016〕31号" in page.text
    assert str(site["folder"]) not in page.text
    link = re.search(r'href="(/check/[^"]+/download\?format=sarif)"', page.text).group(1)
    sarif = browser.get(link)
    assert sarif.status_code == 200 and sarif.headers["content-type"] == "application/sarif+json"
    assert len(json.loads(sarif.text)["runs"][0]["results"]) == 4
    assert logged_in(site, "auditor").get(link).status_code == 404  # another account's check


def test_reviewer_fills_the_form_for_one_document(site):
    browser = logged_in(site, "reviewer")
    form = browser.get("/check").text
    assert 'name="doc.filed_on"' in form and "报送备案日期" in form
    page = browser.post(
        "/check",
        data={
            "csrf": csrf_of(form),
            "as_of": "2019-01-01",
            "doc.id": "form-doc",
            "doc.region_code": "532301",
            "doc.published_on": "2018-06-01",
            "doc.filed_on": "2018-06-30",
        },
    )
    assert page.status_code == 200 and "ND-FILING-DEADLINE" in page.text and "form-doc" in page.text


def test_api_check_returns_the_json_of_fzcheck_check(site, tmp_path, monkeypatch):
    shutil.copy(DRAFT, tmp_path / "draft.jsonl")
    monkeypatch.chdir(tmp_path)  # the CLI names the file as given: draft.jsonl, as the upload is named
    expected = CliRunner().invoke(cli, ["check", "draft.jsonl", "--as-of", "2019-01-01", "--format", "json"])
    response = client(site).post(
        "/api/check?as_of=2019-01-01",
        headers=bearer(site, "reviewer"),
        files={"file": ("draft.jsonl", DRAFT.read_bytes())},
    )
    assert response.status_code == 200
    assert response.headers["x-fzcheck-exit-code"] == str(expected.exit_code) == "1"
    assert json.loads(response.text) == json.loads(expected.output)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("notes.md", b"hello", "notes.md: unsupported file type"),
        ("empty.json", b"", "empty.json: the file is empty"),
    ],
)
def test_bad_uploads_name_the_file(site, name, content, message):
    response = client(site).post("/api/check", headers=bearer(site, "reviewer"), files={"file": (name, content)})
    assert response.status_code == 400 and message in response.json()["detail"]


def test_uploads_over_the_limit_are_refused(site):
    big = b'{"kind": "normative_document", "id": "x", "title": "' + b"x" * 300_000 + b'"}'
    response = client(site).post(
        "/api/check?lang=en", headers=bearer(site, "reviewer"), files={"file": ("big.json", big)}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "the upload exceeds the 0.19 MB limit"}
    response = client(site).post("/api/check", headers=bearer(site, "reviewer"), files={"file": ("big.json", big)})
    assert response.json() == {"detail": "上传文件超过0.19 MB的限制"}


def test_an_unreadable_row_is_named_with_file_row_and_field(site):
    bad = "类型,编号,区划代码,公布日期\n行政规范性文件,nd-1,532301,2018-13-45\n".encode()
    response = client(site).post(
        "/api/check?lang=en", headers=bearer(site, "reviewer"), files={"file": ("register.csv", bad)}
    )
    errors = json.loads(response.text)["errors"]
    assert errors and errors[0]["file"] == "register.csv" and errors[0]["line"] == 2
    assert errors[0]["field"] == "公布日期"  # as the file's header names it


# --- imports and audits in the background ---------------------------------------------------------


def test_import_then_audit_through_the_api(site, tmp_path):
    register = tmp_path / "more.jsonl"
    write_sample(register, 50, seed=99)
    response = client(site).post(
        "/api/imports?wait=true", headers=bearer(site, "auditor"), files={"file": ("more.jsonl", register.read_bytes())}
    )
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["state"] == "done" and job["result"]["files"][0]["file"] == "more.jsonl"
    assert job["result"]["files"][0]["inserted"] > 0
    response = client(site).post("/api/audits?as_of=2026-11-23&wait=true", headers=bearer(site, "auditor"))
    job = response.json()
    assert job["state"] == "done", job
    run_id = job["result"]["run_id"]
    runs = client(site).get("/api/runs", headers=bearer(site, "auditor")).json()
    assert runs[0]["id"] == run_id and runs[0]["status"] == "done"
    assert client(site).get(f"/api/jobs/{job['id']}", headers=bearer(site, "reviewer")).status_code == 404


def test_region_auditor_audits_only_their_region(site):
    response = client(site).post("/api/audits?as_of=2026-11-23&wait=true", headers=bearer(site, "region"))
    job = response.json()
    assert job["state"] == "done", job
    stored = load_run(site["engine"], job["result"]["run_id"])
    assert stored.parameters["region"] == site["region"]


def test_the_import_page_starts_a_job_and_shows_its_result(site, tmp_path):
    browser = logged_in(site, "auditor")
    token = csrf_of(browser.get("/imports").text)
    register = tmp_path / "page.jsonl"
    write_sample(register, 20, seed=3)
    response = browser.post(
        "/imports", data={"csrf": token}, files={"file": ("page.jsonl", register.read_bytes())}, follow_redirects=False
    )
    assert response.status_code == 303
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    wait_for(site["engine"], job_id)
    page = browser.get(f"/jobs/{job_id}")
    assert 'id="job-state">done' in page.text and "page.jsonl" in page.text


def test_run_page_diff_and_reports(site):
    browser = logged_in(site, "auditor")
    run_id = site["run"].run_id
    page = browser.get(f"/runs/{run_id}", params={"outcome": "violation"})
    assert page.status_code == 200 and '<svg class="bars"' in page.text
    assert page.text.count('class="o-violation"') == min(
        200, sum(1 for o in site["run"].outcomes if o.outcome == "violation")
    )
    assert browser.get(f"/runs/{run_id}/report.xlsx").content[:2] == b"PK"
    assert "<html" in browser.get(f"/runs/{run_id}/report.html").text
    assert browser.get(f"/runs/{run_id}/diff/{run_id}").status_code == 200
    assert browser.get("/runs/99999").status_code == 404


def test_pages_switch_to_english(site):
    browser = logged_in(site, "reviewer")
    assert "审核草稿" in browser.get("/").text
    browser.get("/lang/en?next=/")
    assert "Check a draft" in browser.get("/").text


# --- the same on PostgreSQL -------------------------------------------------------------------------


def test_scoped_api_and_background_jobs_on_postgresql(sample):
    import os

    from pg_reset import drop_every_table

    url = os.environ.get("FZCHECK_TEST_PG_URL")
    if not url:
        pytest.skip("FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)")
    drop_every_table(url)
    engine = connect(url, create=True)
    add_user(engine, "pg-auditor", "auditor", PASSWORD)
    app = create_app(Settings(db_url=url))
    site = {"tokens": {"pg-auditor": issue_token(engine, "pg-auditor")}}
    with TestClient(app) as browser:
        job = browser.post(
            "/api/imports?wait=true",
            headers=bearer(site, "pg-auditor"),
            files={"file": ("sample.jsonl", sample.read_bytes())},
        ).json()
        assert job["state"] == "done" and job["progress"]["total"] is not None
        job = browser.post("/api/audits?as_of=2026-11-23&wait=true", headers=bearer(site, "pg-auditor")).json()
        assert job["state"] == "done", job
        run_id = job["result"]["run_id"]
        stored = load_run(engine, run_id)
        agency = sorted({placed.agency for placed in stored.placement.values() if placed.agency})[0]
        add_user(engine, "pg-clerk", "agency", PASSWORD, agency=agency)
        site["tokens"]["pg-clerk"] = issue_token(engine, "pg-clerk")
        mine = json.loads(browser.get(f"/api/runs/{run_id}/outcomes", headers=bearer(site, "pg-clerk")).text)
        expected = load_run(engine, run_id, scope=Scope(agency=agency))
        assert mine["outcomes"] and len(mine["outcomes"]) == len(expected.outcomes) < len(stored.outcomes)
        assert mine["summary"] == json.loads(json.dumps(expected.summary()))
    engine.dispose()


def test_every_check_format_downloads(site):
    from fzcheck.cli.common import FORMATS

    browser = logged_in(site, "reviewer")
    page = browser.post(
        "/check",
        data={"csrf": csrf_of(browser.get("/check").text), "as_of": "2019-01-01"},
        files={"file": ("draft.jsonl", DRAFT.read_bytes())},
    )
    links = re.findall(r'href="(/check/[^"]+/download\?format=(\w+))"', page.text)
    assert sorted(fmt for _, fmt in links) == sorted(FORMATS)
    for link, fmt in links:
        response = browser.get(link)
        assert response.status_code == 200 and "ND-FILING-DEADLINE" in response.text, fmt


def test_a_yaml_bomb_upload_is_an_input_error_naming_the_file(site):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    response = client(site).post(
        "/api/check?lang=en", headers=bearer(site, "reviewer"), files={"file": ("bomb.yaml", bomb.encode())}
    )
    assert response.status_code == 200
    report = json.loads(response.text)
    assert report["errors"] and report["errors"][0]["file"] == "bomb.yaml" and report["summary"]["records"] == 0


def test_a_request_over_the_timeout_is_answered_504(tmp_path):
    engine = connect(str(tmp_path / "t.db"), create=True)
    add_user(engine, "slow", "reviewer", PASSWORD)
    token = issue_token(engine, "slow")
    app = create_app(Settings(db_url=str(tmp_path / "t.db"), upload_dir=tmp_path / "up", request_timeout=0.001))
    response = TestClient(app).post(
        "/api/check", headers={"Authorization": f"Bearer {token}"}, files={"file": ("draft.jsonl", DRAFT.read_bytes())}
    )
    assert response.status_code == 504 and response.json() == {"detail": "请求超时 / the request took too long"}


@pytest.mark.parametrize(
    "path", ["/api/runs/9223372036854775808/outcomes", "/api/runs/0/outcomes", "/api/jobs/99999999999999999999"]
)
def test_ids_beyond_the_databases_integers_are_422(site, path):
    """Found by the schema fuzzing: a run id past SQLite's 64-bit INTEGER was an OverflowError (500)."""
    assert client(site).get(path, headers=bearer(site, "admin")).status_code == 422


def test_reviewer_checks_the_draft_itself_a_word_file(site, tmp_path):
    """Documents' own text (issue #13) through the page: a .docx upload is extracted and checked."""
    import docx

    draft = docx.Document()
    for line in (
        "楚雄州人民政府文件",
        "楚政发〔2018〕3号",
        "楚雄州人民政府关于加强城市管理的通告",
        "第一条 违反本通告规定的，由城市管理部门处以五千元罚款。",
        "第二条 本通告自公布之日起施行。",
        "楚雄州人民政府",
        "2018年6月1日",
    ):
        draft.add_paragraph(line)
    draft.save(tmp_path / "通告.docx")
    browser = logged_in(site, "reviewer")
    page = browser.post(
        "/check",
        data={"csrf": csrf_of(browser.get("/check").text), "as_of": "2019-01-01"},
        files={"file": ("通告.docx", (tmp_path / "通告.docx").read_bytes())},
    )
    assert page.status_code == 200
    assert "ND-PROHIBITED-CONTENT" in page.text and "通告.docx" in page.text
    assert str(site["folder"]) not in page.text
