"""Audit reports: the HTML page in headless Chromium (escaping, counts, charts), XLSX sheets, text formats."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess

import openpyxl
import pytest

from fzcheck.engine.audit import AuditParams, run_audit
from fzcheck.engine.db.database import connect
from fzcheck.engine.db.importer import import_paths
from fzcheck.engine.db.runs import load_run
from fzcheck.engine.reports import render_report

HOSTILE_ID = "<script>document.title='pwned'</script>"
RECORDS = [
    {"kind": "normative_document", "id": HOSTILE_ID, "region_code": "532301", "agency": "楚雄市<b>人民政府</b>",
     "doc_number": "楚市政发〔2019〕3号", "title": "<script>alert(1)</script>办法", "published_on": "2019-03-04",
     "filed_on": "2019-04-30", "validity_years": 5, "legality_review_on": "2019-02-01",
     "legality_review_passed": True, "collective_discussion_on": "2019-02-20"},
    {"kind": "reconsideration_case", "id": "rc-1", "region_code": "532301", "agency": "楚雄市人民政府",
     "received_on": "2019-03-01", "decided_on": "2019-07-30", "handlers": ["张伟"]},
    {"kind": "enforcement_case", "id": "ec-1", "region_code": "532301", "agency": "楚雄市市场监督管理局",
     "officers": ["of-x"], "decided_on": "2019-05-06", "opened_on": "2019-04-01"},
]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    engine = connect(str(folder / "report.db"), create=True)
    import_paths(engine, [path])
    run = run_audit(engine, AuditParams(as_of=dt.date(2026, 11, 23)), jobs=1)
    return load_run(engine, run.run_id), folder


def test_html_is_self_contained_and_escapes_record_content(stored):
    report, _ = stored
    page = render_report(report, "html")
    assert HOSTILE_ID not in page and "<b>人民政府" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<svg" in page and "@import" not in page
    assert report.summary()["violation"] > 0
    assert f'id="count-violation">{report.summary()["violation"]}<' in page


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium not installed (CI installs Debian's chromium)")
def test_html_report_renders_in_headless_chromium(stored):
    report, folder = stored
    page = folder / "report.html"
    page.write_text(render_report(report, "html"), encoding="utf-8")
    result = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                             page.as_uri()], capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert "<tbody>" in dom, result.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", dom).group(1)
    assert "pwned" not in title
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr class=\"row-(\w+)\">", body)
    assert len(rows) == len(report.outcomes)
    assert rows.count("violation") == report.summary()["violation"]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in body
    assert "楚雄市&lt;b&gt;人民政府&lt;/b&gt;" in body
    assert "<script>document.title" not in body
    assert f'id="count-violation">{report.summary()["violation"]}<' in dom
    assert "RC-HANDLERS-MIN" in body and "“" in body


def test_xlsx_has_a_summary_and_a_sheet_per_record_kind(stored):
    report, _ = stored
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    assert book.sheetnames[0] == "汇总"
    kinds = {o.record_kind for o in report.outcomes}
    assert len(book.sheetnames) == 1 + len(kinds)
    sheet = book["行政规范性文件"]
    ids = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert HOSTILE_ID in ids
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert summary["违规"] == report.summary()["violation"]


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_text_formats_come_from_the_check_renderers(stored, fmt):
    report, _ = stored
    content = render_report(report, fmt)
    assert "RC-HANDLERS-MIN" in content
    if fmt == "json":
        assert json.loads(content)["summary"]["violation"] == report.summary()["violation"]
