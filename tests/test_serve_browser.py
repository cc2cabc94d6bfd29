"""fzcheck serve in a real browser: Debian's Chromium driven by Selenium through Debian's ChromeDriver.

A reviewer logs in, uploads a clerk's register (an XLSX with Chinese headers) and reads the
findings on the page; an agency clerk logs in and sees, on a run's page, only their agency.
The server is uvicorn on 127.0.0.1 in a thread of this process.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.sources.generator import write_sample
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.users import add_user
from fzcheck.engine.web import Settings, create_app

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "sample_cases" / "normative_documents" / "chuxiong-2016" / "楚雄市规范性文件台账.xlsx"
PASSWORD = "browser pass 1"
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium")

if not (CHROMEDRIVER and CHROMIUM):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must run the browser test: .ci/services.sh installs chromium and chromium-driver")
    pytest.skip(
        "chromium and chromedriver not installed (CI installs Debian's chromium and chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    engine = connect(str(folder / "web.db"), create=True)
    sample = folder / "sample.jsonl"
    write_sample(sample, 300, seed=8)
    import_paths(engine, [sample])
    run = run_audit(engine, AuditParams(as_of=dt.date(2026, 11, 23)), jobs=1)
    agencies = sorted({placed.agency for placed in run.placement.values() if placed.agency})
    add_user(engine, "reviewer", "reviewer", PASSWORD)
    add_user(engine, "clerk", "agency", PASSWORD, agency=agencies[0])
    app = create_app(Settings(db_url=str(folder / "web.db"), upload_dir=folder / "uploads"))
    port = _free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "run": run, "agency": agencies[0], "others": agencies[1:]}
    instance.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


def log_in(browser, server, name: str) -> None:
    browser.get(server["url"] + "/")
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()
    assert name in browser.find_element(By.ID, "who").text


def test_reviewer_uploads_a_register_and_reads_the_findings(server, browser):
    log_in(browser, server, "reviewer")
    browser.get(server["url"] + "/check")
    browser.find_element(By.ID, "file").send_keys(str(REGISTER))
    browser.find_element(By.ID, "submit-check").click()
    findings = browser.find_element(By.ID, "findings")
    rows = findings.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert rows, browser.page_source[:2000]
    text = findings.text
    assert "违规" in text and "楚委〔2016〕31号" in text
    assert REGISTER.name in text  # the register as the clerk named it, not the server's copy
    summary = browser.find_element(By.ID, "summary").text
    assert summary.startswith("记录数 ")


def test_agency_clerk_sees_only_their_agency_on_the_run_page(server, browser):
    log_in(browser, server, "clerk")
    browser.get(f"{server['url']}/runs/{server['run'].run_id}?outcome=violation")
    assert f"agency={server['agency']}" in browser.find_element(By.ID, "scope").text
    shown = {
        row.find_elements(By.TAG_NAME, "td")[3].text.splitlines()[0]
        for row in browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
    }
    run = server["run"]
    own = {
        o.record_id
        for o in run.outcomes
        if o.outcome == "violation" and run.placement[(o.record_kind, o.record_id)].agency == server["agency"]
    }
    everyone = {o.record_id for o in run.outcomes if o.outcome == "violation"}
    assert shown and shown <= own and own < everyone
