"""The content findings for ND-PROHIBITED-CONTENT, sentence by sentence: what creates, what
restates a higher law, what is doubtful, and which flags follow."""

from __future__ import annotations

import pytest

from fzcheck.engine.sources.text.content import find_content, flags
from fzcheck.engine.sources.text.intake import Line


def judged(*texts: str, title: str | None = None) -> list[tuple[str, str]]:
    lines = [Line(number, text) for number, text in enumerate(texts, start=1)]
    return [(finding.category, finding.verdict) for finding in find_content(lines, title)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("第五条 违反本办法的，处二百元以上一千元以下罚款。", [("penalty", "creates")]),
        ("第五条 违反本办法的，没收违法所得。", [("penalty", "creates")]),
        ("第五条 情节严重的，吊销其经营许可证。", [("penalty", "creates")]),
        ("第五条 拒不改正的，责令停产停业。", [("penalty", "creates")]),
        ("第五条 违反本规定的，依照《中华人民共和国食品安全法》第一百二十二条的规定处罚。", [("penalty", "restates")]),
        (
            "第五条 违反本规定的，由市场监管部门依照《中华人民共和国食品安全法》处五万元以上罚款。",
            [("penalty", "restates")],
        ),
        ("第五条 违反本规定的，由公安机关依法予以处罚。", [("penalty", "restates")]),
        ("第五条 违反本规定的，由公安机关依法处十日以下拘留。", [("penalty", "doubtful")]),
        ("第五条 违反本规定的，交由公安机关处罚。", [("penalty", "doubtful")]),
        ("第六条 设立摊点须经街道办事处批准。", [("license", "creates")]),
        ("第六条 未经市交通运输局批准，任何单位不得开办驾驶培训。", [("license", "creates")]),
        ("第六条 从事经营活动的，应当依照《中华人民共和国行政许可法》的规定取得许可证。", [("license", "restates")]),
        ("第七条 未经备案的，不得开展经营活动。", [("disguised_license", "creates")]),
        ("第七条 经营者向商务部门登记后方可营业。", [("disguised_license", "creates")]),
        ("第八条 对违法运输的车辆，予以扣押。", [("compulsion", "creates")]),
        ("第八条 对违法建筑依照《中华人民共和国城乡规划法》第六十八条的规定强制拆除。", [("compulsion", "restates")]),
        ("第九条 申请人须交纳五万元保证金。", [("duty", "doubtful")]),
        ("第九条 申请人须提供无犯罪记录证明。", [("duty", "doubtful")]),
        ("第十条 各部门应当加强协调配合，做好相关工作。", []),
        ("第十条 罚款收入全额上缴国库。", []),
        ("第十条 构成犯罪的，依法追究刑事责任。", []),
    ],
)
def test_sentences(sentence, expected):
    assert judged(sentence) == expected


def test_citing_the_document_itself_is_no_higher_law():
    """《某某管理办法》 in the document of that title is the document itself: the fine is created."""
    sentence = "第十二条 违反《楚雄市摊点管理办法》第五条规定的，处五百元罚款。"
    assert judged(sentence, title="楚雄市摊点管理办法") == [("penalty", "creates")]
    assert judged(sentence) == [("penalty", "restates")]


def test_article_and_line_are_carried():
    lines = [Line(3, "第四条 违反本办法规定的，由城管部门责令改正，"), Line(4, "并处五百元罚款。")]
    [finding] = find_content(lines)
    assert (finding.line, finding.article) == (4, "第四条")
    assert "行政处罚法第16条" in finding.explain("zh") and "行政处罚法 Art. 16" in finding.explain("en")


def test_flags():
    lines = [Line(1, "第一条 未经批准不得设摊。"), Line(2, "第二条 违反的，由公安机关依法处五日拘留。")]
    findings = find_content(lines)
    assert flags(findings, complete=True) == {"sets_license": True, "sets_penalty": None, "sets_compulsion": False}
    assert flags(findings, complete=False) == {"sets_license": True, "sets_penalty": None, "sets_compulsion": None}
    assert flags([], complete=True) == {"sets_license": False, "sets_penalty": False, "sets_compulsion": False}
