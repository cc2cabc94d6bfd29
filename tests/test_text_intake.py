"""Reading documents: .docx and .pdf written in the test, GB18030 text, and every kind of bad input
as a clear error naming the file, with no record."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.sources.text import extract_file, read_lines

DRAFT = [
    "楚政办发〔2018〕12号",
    "楚雄市人民政府办公室关于印发楚雄市摊点管理暂行办法的通知",
    "各乡镇人民政府，市直各部门：",
    "现将《楚雄市摊点管理暂行办法》印发给你们，请认真遵照执行。",
    "楚雄市人民政府办公室",
    "二〇一八年五月二十日",
    "楚雄市摊点管理暂行办法",
    "第一条 为规范摊点经营，根据《中华人民共和国城乡规划法》等规定，制定本办法。",
    "第二条 设置摊点须经市城市管理局批准后方可经营。",
    "第三条 违反本办法第二条规定的，由市城市管理局没收经营工具，并处五百元罚款。",
    "第四条 违反城市规划的，依照《中华人民共和国城乡规划法》第六十五条的规定处罚。",
    "第五条 本办法自2018年6月1日起施行，有效期3年。",
]
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_docx_written_by_python_docx(tmp_path):
    extraction = extract_file(str(_docx(tmp_path / "draft.docx", DRAFT)))
    assert extraction.errors == []
    record = extraction.record
    assert record["doc_number"] == "楚政办发〔2018〕12号" and extraction.found["doc_number"].line == 1
    assert record["region_code"] == "532301"
    assert str(record["signed_on"]) == "2018-05-20" and str(record["effective_from"]) == "2018-06-01"
    assert record["validity_years"] == 3 and record["interim"] is True
    assert record["sets_license"] is True and record["sets_penalty"] is True and record["sets_compulsion"] is False
    verdicts = [(f.category, f.verdict, f.article) for f in extraction.findings]
    assert verdicts == [
        ("license", "creates", "第二条"),
        ("penalty", "creates", "第三条"),
        ("penalty", "restates", "第四条"),
    ]
    assert record["id"] == "draft"


@pytest.mark.skipif(not FONT.exists(), reason="no CJK font (WenQuanYi Zen Hei) to write a Chinese PDF with")
def test_pdf_with_a_text_layer(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", "", str(FONT), collection_font_number=0)
    pdf.set_font("wqy", size=11)
    for line in DRAFT:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "draft.pdf"))
    extraction = extract_file(str(tmp_path / "draft.pdf"))
    assert extraction.errors == []
    assert extraction.record["doc_number"] == "楚政办发〔2018〕12号"
    assert extraction.record["sets_penalty"] is True


def test_scanned_pdf_has_no_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(tmp_path / "scan.pdf")
    extraction = extract_file(str(tmp_path / "scan.pdf"))
    assert extraction.record is None
    assert extraction.errors == [
        (None, None, "PDF 没有文本层（扫描件？共1页无可提取文字）；请提供带文字的 PDF、Word 或文本文件，或先做文字识别")
    ]


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    writer.write(tmp_path / "locked.pdf")
    extraction = extract_file(str(tmp_path / "locked.pdf"))
    assert extraction.record is None and "已加密" in extraction.errors[0][2]


def _error(path: Path) -> str:
    extraction = extract_file(str(path))
    assert extraction.record is None
    [(_line, _field, text)] = extraction.errors
    return text


def test_spreadsheet_renamed_docx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "文号"
    book.save(tmp_path / "register.docx")
    assert "电子表格" in _error(tmp_path / "register.docx")


def test_corrupt_and_encrypted_docx(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "不是 ZIP 包" in _error(tmp_path / "broken.docx")
    # an encrypted OOXML file is an OLE compound file holding an EncryptedPackage stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    (tmp_path / "locked.docx").write_bytes(ole)
    assert "已加密" in _error(tmp_path / "locked.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed")
        archive.writestr("[Content_Types].xml", "<Types/>")
    (tmp_path / "badxml.docx").write_bytes(buffer.getvalue())
    assert _error(tmp_path / "badxml.docx").startswith("不是可读取的 Word 文档（.docx）：")


def test_empty_and_binary_text(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    assert _error(tmp_path / "empty.txt") == "文档没有文字"
    _docx(tmp_path / "empty.docx", [])
    assert _error(tmp_path / "empty.docx") == "文档没有文字"
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def")
    assert "二进制" in _error(tmp_path / "nul.txt")
    (tmp_path / "notes.txt").write_text("会议纪要：今天讨论了三件事。", encoding="utf-8")
    assert "未在文本中找到规范性文件" in _error(tmp_path / "notes.txt")


def test_gb18030_text(tmp_path):
    (tmp_path / "gbk.txt").write_bytes("\n".join(DRAFT).encode("gb18030"))
    extraction = extract_file(str(tmp_path / "gbk.txt"))
    assert extraction.record["doc_number"] == "楚政办发〔2018〕12号"


def test_lines_of_standard_input():
    lines = read_lines("-", "第一行\n第二行".encode())
    assert [(line.number, line.text) for line in lines] == [(1, "第一行"), (2, "第二行")]


def test_side_file_wins_and_disagreement_is_a_warning(tmp_path):
    path = _docx(tmp_path / "draft.docx", DRAFT)
    (tmp_path / "draft.docx.yaml").write_text(
        "filed_on: 2018-06-10\nsigned_on: 2018-05-21\nid: cx-draft\n", encoding="utf-8"
    )
    extraction = extract_file(str(path))
    assert str(extraction.record["filed_on"]) == "2018-06-10"
    assert str(extraction.record["signed_on"]) == "2018-05-21" and extraction.record["id"] == "cx-draft"
    [warning] = [w for w in extraction.warnings if w[1] == "signed_on"]
    assert warning == (
        6,
        "signed_on",
        (
            "旁注文件与正文不一致：signed_on 旁注为“2018-05-21”，正文为“2018-05-20”"
            "（第6行“二〇一八年五月二十日”）；采用旁注"
        ),
    )


def test_unknown_issuer_needs_region_code_unless_the_side_file_gives_it(tmp_path):
    lines = ["关于做好某项工作的通知", "各单位：", "请做好工作。", "某某协会", "2024年1月2日"]
    path = tmp_path / "n.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    text = _error(path)
    assert "region_code" in text and "某某协会" in text
    (tmp_path / "n.txt.yaml").write_text("region_code: '532301'\n", encoding="utf-8")
    assert extract_file(str(path)).record["region_code"] == "532301"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".docx", ".pdf", ".txt"]))
def test_any_bytes_are_a_record_or_an_error_never_a_crash(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    extraction = extract_file(str(path))
    assert (extraction.record is None) == bool(extraction.errors)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet="关于印发的通知第一条处罚款〔〕2018号年月日，。：须经批准扣押依法《》法人民政府楚雄市", max_size=40
        ),
        max_size=12,
    )
)
def test_any_text_is_a_record_or_an_error(lines):
    from fzcheck.engine.sources.text import extract_lines
    from fzcheck.engine.sources.text.intake import Line

    extraction = extract_lines("t.txt", [Line(number, text) for number, text in enumerate(lines, start=1)])
    for finding in extraction.findings:
        assert finding.verdict in ("creates", "restates", "doubtful") and finding.explain()
