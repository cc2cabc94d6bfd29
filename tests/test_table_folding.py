"""Tables fold by words (#14, "tables cut values"): no line of the table view ends inside a date, a
文号, an id, a field name or a file name; `audit list` shows whole dates and file names at width 80."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from fzcheck.cli.main import cli
from fzcheck.engine.output import RenderOptions, render
from fzcheck.engine.output.plain_table import Column, fold, table_lines, units
from fzcheck.engine.store.database import connect
from fzcheck.engine.store.schema import audit_runs

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import sample_report  # noqa: E402

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIELDS = ["collective_discussion_on", "legality_review_on", "published_on", "filing_submitted_on"]
MESSAGES = [
    (
        "未经集体讨论决定（collective_discussion_on）：应于2024-10-08前完成，依据楚委〔2016〕31号、"
        "楚政办〔2019〕7号，实际2024-10-21"
    ),
    (
        "合法性审核（legality_review_on）晚于公布日期（published_on）2024-10-08，另见"
        "filing_submitted_on 与 2024-12-31 的比较；record cx-nd-2024-0416 of kunming/cases_2024-10.csv"
    ),
    "Filed late: due by 2018-06-19 (filing_submitted_on), filed on 2018-06-20 under 楚委〔2016〕31号 " * 2,
]
#: what must stay on one line: dates, 文号, field names, ids and file names
TOKENS = re.compile(r"\d{4}-\d{2}-\d{2}|[\u4e00-\u9fff]{1,4}〔\d{4}〕\d+号|[A-Za-z0-9_./-]*[A-Za-z_][A-Za-z0-9_./-]*")


def _assert_whole(lines: list[str], texts: list[str]) -> None:
    """Every date, 文号, field name, id or file name of ``texts`` is on one line of ``lines``, and no
    line ends inside a date or a field name."""
    joined = "\n".join(lines)
    for value in texts:
        for token in TOKENS.findall(value):
            if cell_len(token) <= 20 or token in FIELDS:  # a longer path may be wider than its column
                assert token in joined, (token, joined)
    for line, following in zip(lines, lines[1:] + [""]):
        stripped = line.rstrip()
        assert not re.search(r"\d{4}-\d{0,2}-?\d?$", stripped) or DATE.search(stripped[-10:]), line
        for field in FIELDS:
            for cut in range(1, len(field)):
                assert not (
                    stripped.endswith(field[:cut])
                    and following.strip().split(" ")[-1:] != []
                    and field[cut:] in following
                ), (line, following)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_table_never_splits_a_token(width: int, lang: str, monkeypatch) -> None:
    report = sample_report()
    from fzcheck.engine.output import table as table_module

    real = table_module.display_message
    counter = iter(range(10**6))
    monkeypatch.setattr(table_module, "display_message", lambda o, options: MESSAGES[next(counter) % len(MESSAGES)])
    output = render(report, "table", RenderOptions(lang=lang, width=width))
    monkeypatch.setattr(table_module, "display_message", real)
    lines = output.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "collective_discussion_on" in output and "2024-10-08" in output and "楚政办〔2019〕7号" in output
    _assert_whole(lines, MESSAGES)


def test_fold_keeps_tokens_and_breaks_chinese_anywhere() -> None:
    text = "应于2024-10-08前报送（collective_discussion_on）依据楚委〔2016〕31号执行"
    for width in range(26, 40):
        lines = fold(text, width)
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines) == text
        _assert_whole(lines, [text])
    assert fold("备案逾期应于", 4) == ["备案", "逾期", "应于"]
    assert units("（collective_discussion_on）：") == ["（collective_discussion_on）："]


def test_fold_breaks_a_token_wider_than_the_column_at_a_natural_point() -> None:
    assert fold("kunming/cases_2024.csv", 12) == ["kunming/", "cases_", "2024.csv"]
    assert fold("collective_discussion_on", 12) == ["collective_", "discussion_", "on"]
    assert fold("2024-10-08", 7) == ["2024-", "10-08"]
    assert fold("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_whole_columns_keep_file_names() -> None:
    columns = [Column("file", whole=True), Column("line", justify="right", no_wrap=True), Column("message")]
    rows = [["台账/执法案件 2026-12-01.xlsx", "4", "无法识别的日期 '2026-12-32'（published_on） " * 4]]
    lines = table_lines(None, columns, rows, 80)
    assert "台账/执法案件 2026-12-01.xlsx" in "\n".join(lines)
    assert max(cell_len(line) for line in lines) <= 80
    _assert_whole(lines, rows[0])


def test_audit_list_at_width_80_shows_full_dates_and_file_names(tmp_path) -> None:
    path = tmp_path / "audit.db"
    engine = connect(str(path), create=True)
    failure = "cannot read /data/registers/2026/楚雄州/执法案件台账_2026-12-01.xlsx: sheet 执法案件 is missing"
    with engine.begin() as connection:
        for run_id, status, detail in ((1, "done", None), (2, "failed", failure)):
            connection.execute(
                audit_runs.insert().values(
                    id=run_id,
                    started_at=dt.datetime(2026, 12, 1, 9, 30, run_id),
                    finished_at=dt.datetime(2026, 12, 1, 9, 31),
                    duration_seconds=61.5,
                    status=status,
                    as_of=dt.date(2026, 12, 31),
                    parameters={"region": "532300", "year": 2026, "kinds": ["enforcement_case", "normative_document"]},
                    tool_version="test",
                    records=3000,
                    summary={"violation": 12345},
                    status_detail=detail,
                )
            )
    engine.dispose()
    result = CliRunner().invoke(cli, ["audit", "list", "--db", str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any("violations" in line for line in lines[:3]) and "…" not in result.output
    for value in (
        "2026-12-01",
        "09:30:01",
        "09:30:02",
        "2026-12-31",
        "12345",
        "/data/registers/2026/楚雄州/执法案件台账_2026-12-01.xlsx",
        "enforcement_case,normative_document",
    ):
        assert value in result.output, value
    _assert_whole(lines, [failure])
