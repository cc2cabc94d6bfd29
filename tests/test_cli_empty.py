"""cli.md: an input in which no record at all could be found is an input error (exit 2) — a CI job
pointed at the wrong folder, an empty register or `[]` must not pass — and a missing path reports
only its error (no "nothing that needs attention" above it)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fzcheck.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["check", *args, "--as-of", "2019-01-01"])


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.csv", ""),
        ("header-only.csv", "类型,编号,行政区划代码\n"),
        ("empty.jsonl", ""),
        ("list.json", "[]"),
        ("blank.yaml", ""),
    ],
)
def test_a_file_without_records_is_exit_2_naming_what_was_read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run(str(path), "--format", "json")
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["records"] == 0
    [error] = report["errors"]
    assert error["message"] == f"未读到任何记录：已读取 1 个文件（{name}），其中没有记录"


def test_an_empty_folder_is_exit_2(tmp_path):
    result = run(str(tmp_path), "--lang", "en", "--format", "json")
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert error["message"] == "no records read: no readable record file (JSON, JSON Lines, YAML, CSV, XLSX)"


def test_a_missing_path_reports_only_its_error(tmp_path):
    result = run(str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "文件或文件夹不存在" in result.output and "no such file or folder" not in result.output
    assert "未发现需要关注的结果" not in result.output
    assert "未读到任何记录" not in result.output


def test_a_folder_with_records_is_checked_as_before(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {
                "kind": "normative_document",
                "id": "d1",
                "region_code": "110105",
                "published_on": "2018-06-01",
                "sets_license": False,
                "sets_penalty": False,
                "sets_compulsion": False,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = run(str(tmp_path))
    assert result.exit_code == 0
    assert "未读到任何记录" not in result.output
