"""Where the document is in a text: its title, header block, body, signature block and end —
and which lines are page chrome (a saved web page's navigation, catalogue fields, share buttons).

The document starts at its first title line (``……关于……的通知``, ``……暂行办法``); lines before it
are chrome, except a 文号 printed just above the title. After the title, lines that only a web page
has (``责任编辑``, ``下载地址``, ``上一篇``…) are chrome; at the first of those closing markers after
the signature the document ends. A text whose last line ends mid-sentence, with no signature
date after it, is a truncated capture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import CN_DATE, parse_date
from .docnumber import doc_number_of_line, doc_number_of_two_lines
from .intake import Line

_TYPE_WORDS = (
    "通知",
    "通告",
    "公告",
    "意见",
    "决定",
    "批复",
    "通报",
    "命令",
    "决议",
    "办法",
    "规定",
    "细则",
    "规则",
    "方案",
    "预案",
    "制度",
    "规划",
    "纲要",
    "措施",
    "标准",
    "守则",
    "须知",
    "要点",
    "目录",
    "清单",
)
_TITLE_END = re.compile(
    r"(?:(?:" + "|".join(_TYPE_WORDS) + r")(?:[（(](?:试行|暂行|修订|征求意见稿|草案)[）)])?"
    r"(?:[（(](?:\d{4}年)?(?:修订|征求意见稿|草案)?[）)])?"
    r"(?:[（(]第?[\d一二三四五六七八九十]+号[）)])?|第?[\d一二三四五六七八九十]+号令)$"
)
_SENTENCE_MARK = re.compile(r"[。；;：:！？!?，,]")
#: A line only a web page has; anywhere after the title it is chrome.
CHROME = re.compile(
    r"^\s*(?:[•·>»|]|您的位置|您当前所在位置|当前位置|首页\s*[>»]|热门站点|收藏本站|作者\s*[:：]|时间\s*[:：]|来源\s*[:：]|"
    r"浏览(?:量|次数)?\s*[:：]|阅读\s*[:：]|下载地址|分享到|索\s*引\s*号|主题分类|发布机构|发文机构|发文字号|"
    r"发文日期|发布日期|生成日期|生效时间|废止时间|名\s*称\s*[:：]|文\s*号\s*[:：]|主\s*题\s*词|信息分类|信息来源|"
    r"关\s*键\s*词|内容概述|组配分类|有\s*效\s*性\s*[:：]|返回顶部|打印本页|关闭窗口|【?\s*打印|\[?\s*责任编辑|责任编辑|"
    r"上一篇|下一篇|相关阅读|相关链接|相关文章|扫一扫|预览时标签|我要说两句|查看更多评论|Original URL|"
    r"字号\s*[:：]?\s*[大中小]|【\s*字体|点击数|访问量|跳至内容|维基文库|官方来源|本作品收录于|收录于《|"
    r"本文标签|相关推荐|猜你喜欢|大家正在看|延伸阅读|网站标识|网站地图|ICP备|版权所有|Copyright|"
    r"\S{2,30}?(?:主办|承办)\s{2,}|本作品是中华人民共和国的法律)"
)
#: Chrome that closes a document: after the signature, the document ends at the first of these.
CLOSING = re.compile(
    r"^\s*(?:\[?\s*责任编辑|责编|本内容不代表|网友评论|评论一下|智能检索|显示全文|展开阅读全文|相关资源|下载地址|上一篇|下一篇|相关阅读|相关链接|相关文章|预览时标签|我要说两句|"
    r"查看更多评论|返回顶部|打印本页|关闭窗口|【?\s*打印|扫一扫|本文标签|相关推荐|猜你喜欢|大家正在看|延伸阅读|"
    r"网站标识|ICP备|版权所有|Copyright|\S{2,30}?(?:主办|承办)\s{2,}|本作品是中华人民共和国的法律)"
)
#: a page's time stamp on a line of its own: [2013-8-31 23:12:30]
_TIMESTAMP = re.compile(r"[\[【(（]?\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?")
#: a signature that prints the year and month only (乐至县人民政府 2024年12月): the end of a document
_YEAR_MONTH_END = re.compile(
    r"(?:\d{4}|[〇○Oo0零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月$"
)
_END_PUNCTUATION = re.compile(r"[。！？!?；;”’」』）)】]$|特此(?:通知|通告|公告|函告|批复)[。]?$")
_BROKEN_DATE = re.compile(r"月\s*\d{1,2}\s*日$")
_ARTICLE_START = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条")
_TAKES_EFFECT = re.compile(r"起(?:施行|执行|实施|生效|试行)")
_CLOSING_FORMULA = re.compile(r"特此(?:通知|通告|公告|函告|批复)[。]?")
#: a label a page sets before the title: 「通告」, 【权威发布】
PAGE_LABEL = re.compile(r"^(?:「[^」]{1,8}」|【[^】]{1,8}】)\s*")
_AGENCY_END = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|管理委员会|局|厅|委|院|署|处|站|中心|办|会|部|队|所)$")


@dataclass
class Layout:
    lines: list[Line]
    title: str | None = None
    title_lines: list[Line] = field(default_factory=list)
    start: int = 0  # index of the first document line in ``lines``
    end: int = 0  # index after the last document line
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)  # document lines after the header, chrome left out
    chrome: list[Line] = field(default_factory=list)
    signature_date: Line | None = None
    signature_agency: Line | None = None
    truncated: bool = False
    last_line: Line | None = None
    issuers: list[Line] = field(default_factory=list)  # agency lines a page prints above the title


def is_title(text: str) -> bool:
    text = text.strip()
    if _CLOSING_FORMULA.fullmatch(text):
        return False
    return (
        4 <= len(text) <= 90
        and _TITLE_END.search(text) is not None
        and _SENTENCE_MARK.search(text) is None
        and not CHROME.match(text)
        and "《" not in text[:1]
    )


def is_date_line(text: str) -> bool:
    return parse_date(text) is not None


def is_agency_line(text: str) -> bool:
    text = text.strip()
    return 3 <= len(text) <= 40 and _AGENCY_END.search(text) is not None and _SENTENCE_MARK.search(text) is None


def _title_at(lines: list[Line], index: int) -> tuple[str, list[Line]] | None:
    """The title starting at ``index``: one line, or up to three lines that together end as a title
    (``广安市广安区人民政府办公室`` / ``关于印发……管理`` / ``实施细则的通知``): the first of them an
    agency's name or a ``关于`` line, none a date."""
    text = lines[index].text.strip()
    if not text or CHROME.match(text) or _SENTENCE_MARK.search(text) or CN_DATE.search(text):
        return None
    if is_title(text):
        return text, [lines[index]]
    if not (text.startswith("关于") or is_agency_line(text)):
        return None
    joined, used = text, [lines[index]]
    for following in lines[index + 1 : index + 6]:
        part = following.text.strip()
        if not part:
            continue
        if _SENTENCE_MARK.search(part) or CHROME.match(part) or CN_DATE.search(part) or len(used) == 3:
            return None
        begins = is_agency_line(text) and part.startswith("关于") and following.number == lines[index].number + 1
        if len(used) == 1 and is_title(part) and not begins:
            # the agency line stands above a title of its own — unless the title is a 关于… line right
            # under it, which the agency's name begins (乐至县人民政府 / 关于……的通告)
            return None
        joined += part
        used.append(following)
        if is_title(joined) and "关于" in joined:
            return joined, used
    return None


def _neutral(text: str) -> bool:
    """A short line that is no sentence: chrome, an agency, a 文号, an order's number (``（第48号）``)."""
    text = text.strip()
    return (
        not text
        or CHROME.match(text) is not None
        or _TIMESTAMP.fullmatch(text) is not None
        or doc_number_of_line(text) is not None
        or (len(text) <= 40 and _SENTENCE_MARK.search(text) is None and CN_DATE.search(text) is None)
    )


def _document_title(lines: list[Line]) -> tuple[int, tuple[str, list[Line]], list[Line]] | None:
    """The title the document starts at, and the agency lines above it. A saved page repeats the
    title (page title, then the document's own): the last title before the first sentence is the
    document's, and an agency line between them (``陕西省延安市人民政府``) names its issuer."""
    first = None
    for index in range(len(lines)):
        found = _title_at(lines, index)
        if found is not None:
            first = (index, found)
            break
    if first is None:
        return None
    chosen, issuers = first, []
    index = first[0] + len(first[1][1])
    while index < len(lines):
        line = lines[index]
        found = _title_at(lines, index) if not doc_number_of_line(line.text) else None
        if found is not None:
            chosen = (index, found)
            index = lines.index(found[1][-1]) + 1
            continue
        if not _neutral(line.text):
            break
        if is_agency_line(line.text):
            issuers.append(line)
        index += 1
    issuers = [line for line in issuers if line.number < chosen[1][1][0].number]
    return chosen[0], chosen[1], issuers


def analyse(lines: list[Line]) -> Layout:
    layout = Layout(lines)
    located = _document_title(lines)
    if located is None:
        return layout
    start, (layout.title, layout.title_lines), layout.issuers = located
    layout.title = PAGE_LABEL.sub("", layout.title)
    # a 文号 just above the title belongs to the header
    for back in range(start - 1, max(start - 4, -1), -1):
        if doc_number_of_line(lines[back].text):
            start = back
        elif back >= 1 and doc_number_of_two_lines(lines[back - 1].text, lines[back].text):
            start = back - 1  # broken over two lines: 楚政发〔2018〕 / 12号
    layout.start = start
    layout.chrome = [line for line in lines[:start] if line.text.strip()]
    # the end: the first closing marker after the title
    end = len(lines)
    for index in range(start, len(lines)):
        if CLOSING.match(lines[index].text):
            end = index
            break
    layout.end = end
    document = []
    for line in lines[start:end]:
        if not line.text.strip():
            continue
        if (CHROME.match(line.text) or _TIMESTAMP.fullmatch(line.text.strip())) and line not in layout.title_lines:
            layout.chrome.append(line)
        else:
            document.append(line)
    layout.chrome += [line for line in lines[end:] if line.text.strip()]
    # header: up to the first line that is a sentence (the addressee 各……： or the first clause)
    title_set = {line.number for line in layout.title_lines}
    header_end = len(document)
    for position, line in enumerate(document):
        if line.number in title_set:
            continue
        text = line.text.strip()
        if _SENTENCE_MARK.search(text) and not doc_number_of_line(text) and not is_date_line(text):
            header_end = position
            break
    layout.header = document[:header_end]
    layout.body = document[header_end:]
    for position, line in enumerate(layout.body):
        if is_date_line(line.text):
            layout.signature_date = line
            for previous in reversed(layout.body[max(0, position - 3) : position]):
                if is_agency_line(previous.text):
                    layout.signature_agency = previous
                    break
            break
    if layout.signature_date is None:
        # a date printed without its year (10月14日) is no date, but the agency above it still signed
        for position, line in enumerate(layout.body):
            if _BROKEN_DATE.search(line.text) and len(line.text.strip()) <= 12:
                for previous in reversed(layout.body[max(0, position - 3) : position]):
                    if is_agency_line(previous.text):
                        layout.signature_agency = previous
                        break
                break
    if document:
        last = document[-1]
        layout.last_line = last
        text = last.text.strip()
        ends = bool(
            _END_PUNCTUATION.search(text)
            or is_date_line(text)
            or is_agency_line(text)
            or CN_DATE.search(text)
            or _BROKEN_DATE.search(text)
            or _YEAR_MONTH_END.search(text)
        )
        # a text of articles (第X条) whose closing article never says when it takes effect lost its end
        articles = any(_ARTICLE_START.match(line.text) for line in layout.body)
        closing = any(_TAKES_EFFECT.search(line.text) for line in layout.body)
        layout.truncated = not ends or (articles and not closing)
    return layout
