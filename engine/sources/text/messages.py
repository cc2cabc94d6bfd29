"""Every message the text extraction shows, in one table (id -> (zh, en)).

Kept here, apart from the code, so that the project's message catalog can take them over as they are;
:func:`message` fills the placeholders (``str.format``) in the language asked for (zh by default).
"""

from __future__ import annotations

import contextvars
from typing import Any

from ..scoped import scoped

MESSAGES: dict[str, tuple[str, str]] = {
    # intake: what cannot be read is an error naming the file
    "file.missing": ("文件不存在", "no such file"),
    "file.unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "file.too_large": (
        "文件过大（{size}），文档文本最多读取{limit}",
        "file too large ({size}); a document may have at most {limit}",
    ),
    "file.suffix": (
        "不支持的文档类型“{suffix}”；应为 .docx、.pdf、.txt 或 -（标准输入）",
        "unsupported document type '{suffix}'; expected .docx, .pdf, .txt or - (standard input)",
    ),
    "docx.not_zip": (
        "不是可读取的 Word 文档（.docx）：文件不是 ZIP 包（损坏，或为旧版 .doc、其他格式改名）",
        (
            "not a readable Word document (.docx): the file is not a ZIP package (damaged, or an old .doc "
            "or another format renamed)"
        ),
    ),
    "docx.spreadsheet": (
        "不是 Word 文档：这是改名为 .docx 的电子表格（XLSX）；登记表请直接用 fzcheck check 读取",
        "not a Word document: this is a spreadsheet (XLSX) renamed .docx; check a register as it is",
    ),
    "docx.encrypted": (
        "Word 文档已加密（设有打开密码），无法读取正文；请另存为未加密文件",
        "the Word document is encrypted (password to open): its text cannot be read; save an unencrypted copy",
    ),
    "docx.broken": ("不是可读取的 Word 文档（.docx）：{reason}", "not a readable Word document (.docx): {reason}"),
    "pdf.broken": ("不是可读取的 PDF 文件：{reason}", "not a readable PDF file: {reason}"),
    "pdf.encrypted": (
        "PDF 文件已加密，无法读取正文；请提供未加密文件",
        ("the PDF file is encrypted: its text cannot be read; provide an unencrypted copy"),
    ),
    "pdf.no_text": (
        "PDF 没有文本层（扫描件？共{pages}页无可提取文字）；请提供带文字的 PDF、Word 或文本文件，或先做文字识别",
        (
            "the PDF has no text layer (a scan? no text on its {pages} page(s)); provide a PDF with text, a Word "
            "or text file, or run OCR first"
        ),
    ),
    "txt.encoding": (
        "无法识别文本编码：既不是 UTF-8 也不是 GB18030（第{offset}字节）",
        "cannot tell the text's encoding: neither UTF-8 nor GB18030 (byte {offset})",
    ),
    "txt.binary": ("不是文本文件：含有二进制数据（NUL 字节）", "not a text file: it holds binary data (NUL bytes)"),
    "text.empty": ("文档没有文字", "the document holds no text"),
    "text.no_document": (
        "未在文本中找到规范性文件：没有标题行（如“关于……的通知”“……办法”）",
        "no normative document found in the text: no title line (such as 关于……的通知 or ……办法)",
    ),
    # metadata: what the record needs and the text does not say
    "region.unknown": (
        "无法从发文机关“{agency}”确定行政区划代码；请在{where}中填写 region_code",
        ("cannot tell the region code from the issuing agency '{agency}'; give region_code {where_en}"),
    ),
    "region.ambiguous": (
        "发文机关“{agency}”对应多个行政区划（{candidates}）；请在{where}中填写 region_code",
        ("the issuing agency '{agency}' fits several regions ({candidates}); give region_code {where_en}"),
    ),
    "region.no_agency": (
        "文本中没有发文机关（落款或标题中的机关名称）；请在{where}中填写 region_code",
        ("the text names no issuing agency (signature or title); give region_code {where_en}"),
    ),
    "region.renamed": (
        "发文机关“{agency}”所在的{old}已于{date}更名为{new}（{source}）；按成文日期取{code}",
        (
            "the issuing agency '{agency}' belongs to {old}, renamed {new} on {date} ({source}); {code} "
            "taken for the signing date"
        ),
    ),
    "meta.disagrees": (
        "旁注文件与正文不一致：{field} 旁注为“{given}”，正文为“{found}”（第{line}行“{snippet}”）；采用旁注",
        (
            "the side file and the text disagree: {field} is '{given}' in the side file and '{found}' in the "
            "text (line {line}, '{snippet}'); the side file's value is taken"
        ),
    ),
    "meta.unreadable": ("旁注文件无法读取：{reason}", "the side file cannot be read: {reason}"),
    "meta.not_mapping": (
        "旁注文件应为一个 YAML 映射（字段: 值）",
        "the side file must be one YAML mapping (field: value)",
    ),
    "text.truncated": (
        "文本似乎不完整（末行“{snippet}”没有结束标点，也没有落款日期）；未写明的事项（有效期、是否设定处罚等）不作推断",
        (
            "the text seems truncated (its last line '{snippet}' ends without closing punctuation or a "
            "signature date); what it does not state (validity, whether it sets penalties…) is not inferred"
        ),
    ),
    "text.chrome": (
        "已略去网页导航等非正文内容{count}行（正文自第{start}行起）",
        "{count} line(s) of page chrome (navigation, site notes) left out; the document starts at line {start}",
    ),
    # content findings for ND-PROHIBITED-CONTENT
    "finding.creates": (
        (
            "第{line}行{article}“{sentence}”：设定{what}（“{words}”），未引用法律、法规、规章的依据——规范性文件不得设定，"
            "须有{law}"
        ),
        (
            "line {line}{article_en} '{sentence}': creates {what_en} ('{words}') without citing a law, regulation or "
            "rule that provides it — a normative document may not create it ({law_en})"
        ),
    ),
    "finding.restates": (
        "第{line}行{article}“{sentence}”：{what}（“{words}”）系重申上位法（“{basis}”），不是设定",
        (
            "line {line}{article_en} '{sentence}': {what_en} ('{words}') restates a higher law ('{basis}'), "
            "it does not create one"
        ),
    ),
    "finding.restates_article": (
        "第{line}行{article}“{sentence}”：{what}（“{words}”）承接同条援引的“{basis}”（前款、上述等），系重申上位法，不是设定",
        (
            "line {line}{article_en} '{sentence}': {what_en} ('{words}') refers back to '{basis}', cited in the "
            "same article: it restates a higher law, it does not create one"
        ),
    ),
    "finding.doubtful_article": (
        (
            "第{line}行{article}“{sentence}”：{what}（“{words}”）本句未写依据，同条另句援引“{basis}”，是否为该上位法所规定"
            "须由法制审核人员判断（{law}）"
        ),
        (
            "line {line}{article_en} '{sentence}': {what_en} ('{words}') states no basis itself; another sentence of "
            "the article cites '{basis}': whether that law provides it needs a lawyer's reading ({law_en})"
        ),
    ),
    "finding.doubtful": (
        (
            "第{line}行{article}“{sentence}”：{what}（“{words}”）只写“{basis}”而未指明法律条款，是否越权设定须由法制审核人员判断"
            "（{law}）"
        ),
        (
            "line {line}{article_en} '{sentence}': {what_en} ('{words}') says only '{basis}' and names no "
            "article of law: whether it creates one needs a lawyer's reading ({law_en})"
        ),
    ),
    "finding.duty": (
        (
            "第{line}行{article}“{sentence}”：可能增加公民、法人和其他组织的义务或减损其权利（“{words}”），"
            "须有法律、法规、规章依据（楚委〔2016〕31号措施17；国办发〔2018〕37号），请法制审核人员判断"
        ),
        (
            "line {line}{article_en} '{sentence}': may add duties to, or cut the rights of, citizens and "
            "organisations ('{words}'); that needs a basis in law, regulation or rule (楚委〔2016〕31号 measure "
            "17; 国办发〔2018〕37号): a lawyer's reading is needed"
        ),
    ),
    "kind.penalty": ("行政处罚", "an administrative penalty"),
    "kind.license": ("行政许可", "an administrative licence"),
    "kind.disguised_license": ("以备案、登记为名的变相行政许可", "a licence in the guise of a filing or registration"),
    "kind.compulsion": ("行政强制措施", "an administrative compulsory measure"),
    "law.penalty": (
        "行政处罚法第16条（1996年法第14条）：除法律、法规、规章外，其他规范性文件不得设定行政处罚",
        "行政处罚法 Art. 16 (Art. 14 of the 1996 law): only laws, regulations and rules may create penalties",
    ),
    "law.license": (
        "行政许可法第17条：除第14、15条规定的外，其他规范性文件一律不得设定行政许可",
        "行政许可法 Art. 17: no other normative document may create a licence",
    ),
    "law.compulsion": (
        "行政强制法第10条：法律、法规以外的其他规范性文件不得设定行政强制措施",
        "行政强制法 Art. 10: documents other than laws and regulations may not create compulsory measures",
    ),
    "article": ("（{article}）", " ({article})"),
    # the extract command
    "extract.none_creates": ("全文未见设定该事项的语句", "no sentence of the text creates it"),
}

_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("fzcheck_text_lang", default="zh")


def message(key: str, lang: str | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (the current language when None), placeholders filled."""
    zh, en = MESSAGES[key]
    text = en if (lang or _LANG.get()) == "en" else zh
    return text.format(**values) if values else text


def language(lang: str):
    """Messages made inside the block are in ``lang`` (the check command's --lang)."""
    return scoped(_LANG, lang)
