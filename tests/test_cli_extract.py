"""``fzcheck extract`` and ``fzcheck check`` on documents, through click's CliRunner: exact exit codes
and messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fzcheck.cli.main import cli

CORPUS = Path(__file__).parent / "data" / "documents"
FENGZE = str(CORPUS / "fengze-2020-yanhua.txt")
DRAFT = (CORPUS / "fengze-2020-yanhua.txt").read_text(encoding="utf-8")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_extract_json():
    result = run("extract", FENGZE, "--format", "json")
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)
    assert doc["record"]["region_code"] == "350503" and doc["record"]["sets_penalty"] is True
    assert doc["found"]["effective_from"] == {
        "value": "2020-01-22",
        "line": 15,
        "snippet": "五、本通告自2020年1月22日起施行。本区的有关规定与本通告…",
    }
    assert [f["verdict"] for f in doc["findings"]] == ["restates", "creates", "doubtful"]


def test_extract_jsonl_yaml_and_table():
    lines = run("extract", FENGZE, FENGZE, "--format", "jsonl").output.splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["record"]["id"] == "fengze-2020-yanhua"
    result = run("extract", FENGZE, "--format", "yaml")
    assert result.exit_code == 0 and yaml.safe_load(result.output)[0]["record"]["signed_on"] == "2020-01-22"
    table = run("extract", FENGZE)
    assert table.exit_code == 0
    assert "  signed_on        2020-01-22               19  2020年1月22日" in table.output
    assert "[设定] 第11行（三、）" in table.output


def test_extract_english():
    result = run("extract", FENGZE, "--lang", "en")
    assert result.exit_code == 0
    assert "[creates] line 11 (三、) '三、在本行政区域内燃放烟花爆竹的" in result.output
    assert "行政处罚法 Art. 16" in result.output


def test_extract_standard_input():
    result = run("extract", "-", "--format", "json", input=DRAFT.encode("gb18030"))
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)
    assert doc["file"] == "-" and doc["record"]["id"] == "stdin" and doc["record"]["region_code"] == "350503"


def test_extract_bad_input_exits_2(tmp_path):
    (tmp_path / "scan.docx").write_bytes(b"not a zip")
    result = run("extract", str(tmp_path / "scan.docx"), FENGZE, "--format", "json")
    assert result.exit_code == 2
    broken, good = json.loads(result.output)
    assert broken["record"] is None and broken["errors"] == [
        {
            "line": None,
            "field": None,
            "message": "不是可读取的 Word 文档（.docx）：文件不是 ZIP 包（损坏，或为旧版 .doc、其他格式改名）",
        }
    ]
    assert good["record"] is not None


UNKNOWN_ISSUER = DRAFT.replace("泉州市丰泽区人民政府", "某某开发区管理委员会").replace(
    "丰泽区人民政府", "某某开发区管理委员会"
)


def test_extract_unknown_issuer_exits_2(tmp_path):
    draft = tmp_path / "通告.txt"
    draft.write_text(UNKNOWN_ISSUER, encoding="utf-8")
    result = run("extract", str(draft))
    assert result.exit_code == 2
    assert "region_code: 无法从发文机关“某某开发区管理委员会”确定行政区划代码" in result.output
    assert "未能生成记录" in result.output


def test_extract_national_issuer():
    """国务院机关事务管理局 is a national body: region_code 000000, a record (docs/text.md)."""
    result = run("extract", str(CORPUS / "guoguanju-2011-weixiu.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)
    assert doc["record"]["region_code"] == "000000" and doc["notes"]["national_issuer"] == "国务院机关事务管理局"
    assert doc["found"]["region_code"] == {"value": "000000", "line": 11, "snippet": "国务院机关事务管理局"}


def test_check_national_document_is_checked_against_national():
    result = run("check", str(CORPUS / "guoguanju-2011-weixiu.txt"), "--as-of", "2020-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == [] and report["summary"]["records"] == 1
    assert {outcome["ruleset"] for outcome in report["outcomes"]} == {"national"}


def test_check_document_with_side_values(tmp_path):
    """The text says it sets a fine; the side file gives what no text carries (the publication date)."""
    draft = tmp_path / "通告.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    (tmp_path / "meta.yaml").write_text("published_on: 2020-01-22\nsigned_on: 2020-01-21\n", encoding="utf-8")
    result = run(
        "check", str(draft), "--meta", str(tmp_path / "meta.yaml"), "--as-of", "2020-06-01", "--format", "json"
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    [outcome] = [o for o in report["outcomes"] if o["rule_id"] == "ND-PROHIBITED-CONTENT"]
    assert outcome["outcome"] == "violation"
    messages = [w["message"] for w in report["warnings"]]
    assert any(m.startswith("旁注文件与正文不一致：signed_on 旁注为“2020-01-21”，正文为“2020-01-22”") for m in messages)
    assert any("第11行（三、）" in m and "设定行政处罚" in m for m in messages)


def test_check_document_without_region_exits_2(tmp_path):
    draft = tmp_path / "通告.txt"
    draft.write_text(UNKNOWN_ISSUER, encoding="utf-8")
    result = run("check", str(draft), "--as-of", "2020-06-01", "--format", "json")
    assert result.exit_code == 2
    [error] = json.loads(result.output)["errors"]
    assert error["field"] == "region_code" and "某某开发区管理委员会" in error["message"]


def test_check_pasted_document_text(tmp_path):
    """``fzcheck check -``: pasted text that does not start with [ or { is a document's text."""
    (tmp_path / "meta.yaml").write_text("published_on: 2020-01-22\n", encoding="utf-8")
    result = run(
        "check", "-", "--meta", str(tmp_path / "meta.yaml"), "--as-of", "2020-06-01", "--format", "json", input=DRAFT
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    [outcome] = [o for o in report["outcomes"] if o["rule_id"] == "ND-PROHIBITED-CONTENT"]
    assert outcome["outcome"] == "violation" and outcome["record_id"] == "stdin"
    assert outcome["source"] == {"file": "-", "line": 1}
    assert any(w["file"] == "-" and w["line"] == 11 and "设定行政处罚" in w["message"] for w in report["warnings"])


def test_check_pasted_records():
    """``fzcheck check -`` with JSON Lines (or a JSON array) on standard input reads records, as a file."""
    record = {"kind": "normative_document", "id": "nd-1", "region_code": "532301", "title": "楚雄市摊点管理办法"}
    for text in (json.dumps(record, ensure_ascii=False) + "\n", json.dumps([record], ensure_ascii=False, indent=2)):
        result = run("check", "-", "--as-of", "2020-06-01", "--format", "json", input=text)
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.output)
        assert report["errors"] == [] and report["summary"]["records"] == 1
        assert {o["record_id"] for o in report["outcomes"]} == {"nd-1"}
        assert {o["source"]["file"] for o in report["outcomes"]} == {"-"}


def test_check_pasted_broken_records_name_stdin():
    result = run("check", "-", "--format", "json", input='{"kind": "normative_document", "id": \n')
    assert result.exit_code == 2
    [error] = json.loads(result.output)["errors"]
    assert error == {"file": "-", "line": 1, "field": None, "message": "JSON 无效（第 38 列）：此处应有一个值"}


def test_check_pasted_text_without_a_record_in_english(tmp_path):
    """Pasted text whose issuer no list knows: the error of '-' asks for region_code through --meta."""
    result = run("check", "-", "--lang", "en", "--format", "json", input=UNKNOWN_ISSUER)
    assert result.exit_code == 2
    [error] = json.loads(result.output)["errors"]
    assert (error["file"], error["field"]) == ("-", "region_code")
    assert error["message"] == (
        "cannot tell the region code from the issuing agency '某某开发区管理委员会'; give region_code with --meta FILE"
    )


def test_check_pasted_nothing_exits_2():
    result = run("check", "-", "--format", "json", input="")
    assert result.exit_code == 2
    [error] = json.loads(result.output)["errors"]
    assert error["file"] == "-"
    assert error["message"] == "文档没有文字"


def test_check_document_in_english(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = run("check", str(draft), "--as-of", "2020-06-01", "--lang", "en", "--format", "json")
    assert result.exit_code == 0  # no publication date in the text: ND-PROHIBITED-CONTENT indeterminate
    messages = [w["message"] for w in json.loads(result.output)["warnings"]]
    assert any(m.startswith("line 11 (三、)") for m in messages)


GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent


@pytest.mark.parametrize(
    ("fmt", "lang", "name"),
    [
        ("table", "zh", "extract.table.zh.txt"),
        ("table", "en", "extract.table.en.txt"),
        ("json", "zh", "extract.zh.json"),
        ("jsonl", "en", "extract.en.jsonl"),
        ("yaml", "zh", "extract.zh.yaml"),
    ],
)
def test_extract_golden(fmt, lang, name, monkeypatch):
    """One complete and one truncated real document, each format; regenerate with FZCHECK_UPDATE_GOLDEN=1."""
    monkeypatch.chdir(REPO)
    result = run(
        "extract",
        "tests/data/documents/fengze-2020-yanhua.txt",
        "tests/data/documents/lincang-2006-jiaotong.txt",
        "--format",
        fmt,
        "--lang",
        lang,
    )
    assert result.exit_code == 0
    path = GOLDEN / name
    if os.environ.get("FZCHECK_UPDATE_GOLDEN"):
        path.write_text(result.output, encoding="utf-8")
    assert result.output == path.read_text(encoding="utf-8")


def test_check_folder_reads_drafts_with_their_side_files(tmp_path):
    """A case folder: a .docx draft and its draft.docx.yaml (not read as a register), a register, a readme.txt."""
    import docx

    document = docx.Document()
    for line in DRAFT.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "通告.docx")
    (tmp_path / "通告.docx.yaml").write_text("published_on: 2020-01-22\nid: fz-2020\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("案卷说明", encoding="utf-8")
    result = run("check", str(tmp_path), "--as-of", "2020-06-01", "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["errors"] == []
    assert {o["record_id"] for o in report["outcomes"]} == {"fz-2020"}
    skipped = [w for w in report["warnings"] if w["file"].endswith("readme.txt")]
    assert skipped and skipped[0]["message"] == (
        "已跳过：不是 JSON、JSON Lines、YAML、CSV、XLSX、Word（.docx）或 PDF 文件（文件夹中的 .txt 文件须单独指定）"
    )
