"""Audit reports: the HTML page in headless Chromium (escaping, counts, charts), XLSX sheets, text formats;
golden HTML and XLSX of the fixture report (provisional outcomes, coverage warnings, the calendar).

Regenerate the golden files with `FZCHECK_UPDATE_GOLDEN=1 pytest tests/test_report.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from fzcheck.engine.evaluate.audit import AuditParams, run_audit
from fzcheck.engine.output import render_report
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.importer import import_paths
from fzcheck.engine.store.runs import load_run

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import COVERAGE_MESSAGE, sample_audit_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FZCHECK_UPDATE_GOLDEN") == "1"
NOTE_ZH = "标“暂定”的结果取决于尚无国务院放假安排的年份（2019）的调休，可用 --holidays 载入正式安排"
STANDARD_ZH = "判定口径：案卷评查口径（未见记录视为未履行，--absent-steps violation）"

HOSTILE_ID = "<script>document.title='pwned'</script>"
RECORDS = [
    {
        "kind": "normative_document",
        "id": HOSTILE_ID,
        "region_code": "532301",
        "agency": "楚雄市<b>人民政府</b>",
        "doc_number": "楚市政发〔2019〕3号",
        "title": "<script>alert(1)</script>办法",
        "published_on": "2019-03-04",
        "filed_on": "2019-04-30",
        "validity_years": 5,
        "legality_review_on": "2019-02-01",
        "legality_review_passed": True,
        "collective_discussion_on": "2019-02-20",
    },
    {
        "kind": "reconsideration_case",
        "id": "rc-1",
        "region_code": "532301",
        "agency": "楚雄市人民政府",
        "received_on": "2019-03-01",
        "decided_on": "2019-07-30",
        "handlers": ["张伟"],
    },
    {
        "kind": "enforcement_case",
        "id": "ec-1",
        "region_code": "532301",
        "agency": "楚雄市市场监督管理局",
        "officers": ["of-x"],
        "decided_on": "2019-05-06",
        "opened_on": "2019-04-01",
    },
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
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
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


# Draws each character in the report body's own font on a canvas and reports its pixels' fingerprint. Without a
# CJK font Chromium draws every Han character as the same box ("tofu") — the DOM test above still passes then.
TOFU_PROBE = """<script>
(() => {
  const font = "40px " + getComputedStyle(document.body).fontFamily;
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 64, 64);
    ctx.fillStyle = "#000"; ctx.font = font; ctx.textBaseline = "top"; ctx.fillText(text, 8, 8);
    const data = ctx.getImageData(0, 0, 64, 64).data;
    let ink = 0, hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const dark = data[i] < 128 ? 1 : 0;
      ink += dark; hash = (hash * 31 + dark * (i + 1)) >>> 0;
    }
    return {ink, hash, width: ctx.measureText(text).width};
  };
  const out = {font, chu: draw("楚"), xiong: draw("雄"), missing: draw("\\u{10FFFD}")};
  const pre = document.createElement("pre"); pre.id = "tofu-probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium not installed (CI installs Debian's chromium)")
def test_html_report_draws_han_characters_not_tofu(stored):
    """CI's Chromium once had no CJK font: the report was a page of boxes and every DOM check still passed."""
    report, folder = stored
    page = folder / "report-glyphs.html"
    html = render_report(report, "html")
    assert html.count("</body>") == 1
    page.write_text(html.replace("</body>", TOFU_PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'<pre id="tofu-probe">(.*?)</pre>', result.stdout)
    assert found, result.stderr[-2000:]
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    chu, xiong, missing = probe["chu"], probe["xiong"], probe["missing"]
    assert chu["ink"] > 0 and xiong["ink"] > 0, probe
    hint = "no CJK font for Chromium (CI installs fonts-wqy-zenhei in .ci/services.sh; check `fc-list :lang=zh`)"
    assert (chu["hash"], chu["ink"]) != (xiong["hash"], xiong["ink"]), f"楚 and 雄 draw the same box: {hint}: {probe}"
    assert (chu["hash"], chu["ink"]) != (missing["hash"], missing["ink"]), (
        f"楚 draws as a missing glyph: {hint}: {probe}"
    )


GEOMETRY_PROBE = """<script>
(() => {
  const rect = (el) => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  const out = {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    months: Array.from(document.querySelectorAll(".month-label")).map((el) => ({text: el.textContent, ...rect(el),
      font: parseFloat(getComputedStyle(el).fontSize)})),
    columns: Array.from(document.querySelectorAll("#findings thead th")).map((el) => ({text: el.textContent, ...rect(el)})),
    rows: document.querySelectorAll("#findings tbody tr").length,
  };
  const pre = document.createElement("pre"); pre.id = "geometry-probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def page_geometry(html: str, folder: Path, name: str) -> dict:
    page = folder / name
    page.write_text(html.replace("</body>", GEOMETRY_PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1280,900",
            "--hide-scrollbars",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'<pre id="geometry-probe">(.*?)</pre>', result.stdout)
    assert found, result.stderr[-2000:]
    return json.loads(
        found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium not installed (CI installs Debian's chromium)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_fits_1280_px_with_every_month_labelled(lang, tmp_path):
    """A 1280 px window: no sideways scrolling, no one-character columns, every month of the run on the axis
    (months without violations too) with labels at least 11 px tall."""
    report = sample_audit_report()
    probe = page_geometry(render_report(report, "html", lang=lang), tmp_path, f"geometry-{lang}.html")
    assert probe["innerWidth"] == 1280, probe
    assert probe["scrollWidth"] <= 1280, probe
    assert probe["rows"] == len(report.outcomes)
    months = [f"{year}-{month:02d}" for year in (2018, 2019) for month in range(1, 13)][5:]
    assert [m["text"] for m in probe["months"]] == months
    assert all(m["h"] >= 11 and m["font"] >= 11 and m["w"] > 0 for m in probe["months"]), probe["months"]
    assert all(c["w"] >= 50 for c in probe["columns"]), probe["columns"]


def test_xlsx_has_a_summary_and_a_sheet_per_record_kind(stored):
    report, _ = stored
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    assert book.sheetnames[0] == "汇总"
    kinds = {o.record_kind for o in report.outcomes}
    assert len(book.sheetnames) == 1 + len(kinds)
    sheet = book["行政规范性文件"]
    ids = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
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


# --- the fixture report: provisional outcomes, coverage warnings, calendar, standard -------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return f"{value.date().isoformat()} (date)"
    return str(value)


def xlsx_text(content: bytes) -> str:
    """Every sheet's cells as text, one row a line (the XLSX bytes carry timestamps; the cells don't)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    lines = []
    for sheet in book:
        lines.append(f"== {sheet.title}")
        lines += [
            "\t".join(cell_text(v) for v in row).rstrip("\t").replace("\n", "\\n")
            for row in sheet.iter_rows(values_only=True)
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("fmt", "name"), [("html", "report.zh.html"), ("xlsx", "report.xlsx.zh.txt")])
def test_golden(fmt, name):
    content = render_report(sample_audit_report(), fmt)
    output = xlsx_text(content) if fmt == "xlsx" else content
    path = GOLDEN / name
    if UPDATE:
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with FZCHECK_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as golden:
        assert output == golden.read()


def rows_of(page: str) -> list[list]:
    return json.loads(re.search(r'<script type="application/json" id="rows">(.*?)</script>', page, re.DOTALL).group(1))


def test_html_marks_provisional_and_lists_coverage():
    report = sample_audit_report()
    page = render_report(report, "html")
    marked = [(r[7], r[4], r[15]) for r in rows_of(page) if r[15]]
    assert marked == [("cx-nd-0416", "违规（暂定）", True)]
    assert '<b id="count-provisional">2</b>' in page
    assert f'<p class="note" id="provisional-note">{NOTE_ZH}</p>' in page
    assert (
        "<h2>适用范围</h2>" in page
        and f"<tr><td>km-ec-3</td><td>kunming/cases.csv:4</td><td>{COVERAGE_MESSAGE}</td></tr>" in page
    )
    assert '<span id="calendar">chinesecalendar 0.0.0-golden（国务院放假安排 2004—2018年）；无用户文件</span>' in page
    assert '<p id="parameters">参数: <span class="parameter">基准日 2019-11-23</span></p>' in page
    assert 'id="standard"' not in page
    report.absent_steps = "violation"
    assert f'<p id="standard"><b>{STANDARD_ZH}</b></p>' in render_report(report, "html")
    english = render_report(report, "html", lang="en")
    assert [r[4] for r in rows_of(english) if r[15]] == ["violation (provisional)"]
    assert "<h2>Coverage</h2>" in english and "Standard: case-file review" in english


def test_xlsx_provisional_column_and_coverage_sheet():
    report = sample_audit_report()
    report.absent_steps = "violation"
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    sheet = book["行政规范性文件"]
    header = [c.value for c in sheet[1]]
    assert header[4:7] == ["结果", "暂定", "记录编号"]
    assert [(row[6], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("cx-nd-late", "否"),
        ("cx-nd-late", "否"),
        ("cx-nd-0416", "是"),
    ]
    assert [list(row) for row in book["适用范围"].iter_rows(values_only=True)] == [
        ["记录编号", "来源文件", "行", "说明"],
        ["km-ec-3", "kunming/cases.csv", 4, COVERAGE_MESSAGE],
    ]
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    assert ["暂定", 2] in summary and [NOTE_ZH, None] in summary and [STANDARD_ZH, None] in summary
    assert ["节假日数据", "chinesecalendar 0.0.0-golden（国务院放假安排 2004—2018年）；无用户文件"] in summary
    assert ["参数", "基准日 2019-11-23"] in summary
    english = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx", lang="en")))
    assert "Coverage" in english.sheetnames
    assert [row[5] for row in english["normative document"].iter_rows(min_row=2, values_only=True)] == [
        "no",
        "no",
        "yes",
    ]


def test_stored_run_without_coverage_has_no_coverage_sheet(stored):
    report, _ = stored
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    assert "适用范围" not in book.sheetnames
    assert "<h2>适用范围</h2>" not in render_report(report, "html")


def test_xlsx_written_a_row_at_a_time_keeps_its_layout():
    """Write-only mode: bold headers, frozen header row, column widths; every text cell a string."""
    book = openpyxl.load_workbook(io.BytesIO(render_report(sample_audit_report(), "xlsx")))
    sheet = book["行政规范性文件"]
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert {cell.data_type for cell in cells if isinstance(cell.value, str)} == {"s"}
    assert [cell.value for cell in sheet["P"][1:]] == [3, 3, 5]  # source lines stay numbers


def test_xlsx_widths_autofilter_and_date_cells():
    report = sample_audit_report()
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx")))
    for name in ("行政规范性文件", "行政执法案件", "适用范围"):
        sheet = book[name]
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
        assert sheet.freeze_panes == "A2"
    for sheet in book:
        widths = [
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, sheet.max_column + 1)
        ]
        assert all(6 <= width <= 60 for width in widths), (sheet.title, widths)
    findings = book["行政规范性文件"]
    widths = {
        findings.cell(1, i).value: findings.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        for i in range(1, findings.max_column + 1)
    }
    assert widths["说明"] == 60 and widths["暂定"] < 10 and widths["记录编号"] >= len("cx-nd-0416")
    as_of = next(row[1] for row in book["汇总"].iter_rows() if row[0].value == "基准日")
    assert as_of.is_date and as_of.value == dt.datetime(2019, 11, 23) and as_of.number_format == "yyyy-mm-dd"


PROGRAMMER_VALUES = re.compile(
    r"^(None|True|False|null|true|false)$|\{'|\{\"|\['|=\[|[=(：:]\s*(True|False|None)\b|[=(：:]\s*\["
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_programmer_values_in_html_or_xlsx(lang, stored):
    report = sample_audit_report()
    report.parameters = {
        **report.parameters,
        "region": "5323",
        "year": None,
        "kinds": ["enforcement_case"],
        "rulesets": [],
        "holidays": None,
        "absent_steps": "violation",
        "shown": {"rules": ["ND-FILING-DEADLINE"], "outcomes": ["violation"]},
    }
    for candidate in (report, stored[0]):
        book = openpyxl.load_workbook(io.BytesIO(render_report(candidate, "xlsx", lang=lang)))
        for sheet in book:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert not isinstance(value, bool)
                    assert not PROGRAMMER_VALUES.search(cell_text(value)), (sheet.title, value)
        page = render_report(candidate, "html", lang=lang)
        body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.DOTALL)
        texts = [t.strip() for t in re.sub(r"<[^>]+>", "\n", body).split("\n") if t.strip()]
        for text in texts:
            assert not PROGRAMMER_VALUES.search(text.replace("&#34;", '"').replace("&#39;", "'")), text
        for row in rows_of(page):
            for value in row[:15]:
                assert isinstance(value, str) and not PROGRAMMER_VALUES.search(value), (row, value)
    html = re.sub(r"<[^>]+>", "", render_report(report, "html", lang=lang))
    if lang == "zh":
        assert "地区 5323；年份 —；记录类型 行政执法案件；规则集 —" in html and "未见记录 视为未履行" in html
        assert "输入错误" in html
    else:
        assert "Region 5323; Year —; Record kinds enforcement case" in html and "Input errors" in html


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium not installed (CI installs Debian's chromium)")
def test_html_long_run_scrolls_the_month_axis_not_the_page(tmp_path):
    """Six years of months and a long agency name: the month axis scrolls in its box, the page stays 1280 px."""
    report = sample_audit_report()
    report.counts[("national", "EC-X", "enforcement_case", "某县人民政府" * 12, "2014-01", "violation")] = 3
    probe = page_geometry(render_report(report, "html"), tmp_path, "geometry-long.html")
    assert probe["scrollWidth"] <= 1280, probe["scrollWidth"]
    assert len(probe["months"]) == 72 and probe["months"][0]["text"] == "2014-01"
    assert all(m["h"] >= 11 for m in probe["months"])
