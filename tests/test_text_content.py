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


def judged_article(*texts: str) -> list[tuple[str, str, int, str | None]]:
    lines = [Line(number, text) for number, text in enumerate(texts, start=1)]
    return [(f.category, f.verdict, f.line, f.basis) for f in find_content(lines)]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # restates: the penalty sentence takes 依照《…》第X条 from the clause after its ；
        (
            (
                "第十二条 违反本办法第五条规定，在城市道路上堆放物料的，由市政部门责令限期改正，处二百元以上二千元以下罚款；",
                "依照《城市道路管理条例》第四十二条的规定执行。",
            ),
            [("penalty", "restates", 1, "《城市道路管理条例》第四十二条")],
        ),
        # restates: 有前款行为的，由…依法处罚 — the basis is in the article's first sentence
        (
            (
                "第十三条 违反《中华人民共和国道路交通安全法》规定，在人行道上停放机动车的，由公安机关交通管理部门"
                "依照《中华人民共和国道路交通安全法》第九十三条的规定处罚。",
                "有前款行为，拒不驶离的，由公安机关交通管理部门依法处二百元罚款。",
            ),
            [
                ("penalty", "restates", 1, "《中华人民共和国道路交通安全法》"),
                ("penalty", "restates", 2, "《中华人民共和国道路交通安全法》"),
            ],
        ),
        # doubtful: it refers back to the cited law, but sets a measure with no basis of its own
        (
            (
                "第十四条 违反《城市市容和环境卫生管理条例》规定，乱贴乱画的，由城管部门依照该条例第三十四条责令改正。",
                "违反前款规定，拒不改正的，处五百元罚款。",
            ),
            [("penalty", "doubtful", 2, "《城市市容和环境卫生管理条例》")],  # 责令改正 is no penalty
        ),
        # creates: a law cited for another measure of the article lends nothing to one that does not refer back
        (
            (
                "第十五条 违反《城市道路管理条例》规定的，由市政部门责令改正。",
                "在人行道上设摊经营的，处二百元罚款。",
            ),
            [("penalty", "creates", 2, None)],
        ),
        # creates: 前款 refers to this document's own rule, and the article cites no law
        (
            ("第十六条 禁止在广场设摊。", "违反前款规定的，处五百元罚款。"),
            [("penalty", "creates", 2, None)],
        ),
        # creates: the law cited is in the next article, not this one
        (
            (
                "第十七条 违反本办法规定设摊的，责令改正。",
                "有前款行为的，处二百元罚款。",
                "第十八条 违反《城市道路管理条例》第二十七条的，依照该条例第四十二条的规定处罚。",
            ),
            [("penalty", "creates", 2, None), ("penalty", "restates", 3, "《城市道路管理条例》第二十七条")],
        ),
        # a clause after the ； that cites a law for something else (刑法) gives no basis to the fine
        (
            ("第十九条 违反本办法规定的，处五日拘留；", "构成犯罪的，依照《中华人民共和国刑法》追究刑事责任。"),
            [("penalty", "creates", 1, None)],
        ),
    ],
)
def test_sentences_judged_in_their_article(texts, expected):
    assert judged_article(*texts) == expected


def test_article_basis_is_explained():
    lines = [
        Line(
            1, "第十四条 违反《城市市容和环境卫生管理条例》规定，乱贴乱画的，由城管部门依照该条例第三十四条责令改正。"
        ),
        Line(2, "违反前款规定，拒不改正的，处五百元罚款。"),
    ]
    [finding] = find_content(lines)
    assert finding.from_article and finding.verdict == "doubtful"
    assert "同条另句援引“《城市市容和环境卫生管理条例》”" in finding.explain("zh")
    assert "another sentence of the article cites" in finding.explain("en")
    restating = find_content(
        [
            Line(1, "第十二条 违反本办法规定的，由市政部门责令改正，处二百元罚款；"),
            Line(2, "依照《城市道路管理条例》第四十二条的规定执行。"),
        ]
    )[0]
    assert restating.verdict == "restates" and "承接同条援引" in restating.explain("zh")


def test_words_broken_by_spaces_are_matched():
    """A page or PDF breaks 罚款 as 罚 款: the finding is made all the same, quoting the text as printed."""
    text = "三、违反本通告规定燃放烟花爆竹的,由公安部 门依据《烟花爆竹安全管理条例》第四十二条第二款 规定,处一百元以上五百元以下罚 款;"
    [finding] = find_content([Line(7, text)])
    assert (finding.category, finding.verdict, finding.words) == ("penalty", "restates", "处一百元以上五百元以下罚款")
    assert finding.sentence == text


def test_approval_by_consent_is_a_doubtful_licence():
    """需经…同意 may be a licence or an internal step: never a violation by itself, always a warning."""
    assert judged("五、确需燃放烟花爆竹的,需经县政府研究同意并按程序实施。") == [("license", "doubtful")]
    assert judged("第八条 规范性文件须经制定机关集体讨论同意后方可发布。") == [("license", "doubtful")]
    assert judged("经市政府同意，现将办法印发给你们。") == []  # the issuing procedure, no licence
