"""What a document sets, sentence by sentence, for ND-PROHIBITED-CONTENT.

A sentence that attaches a penalty (罚款, 没收, 暂扣或者吊销许可证, 责令停产停业, 拘留…), a licence
(须经……批准/许可/审批 方可; 备案、登记 used as a licence — 楚委〔2016〕31号 措施2) or a compulsory
measure (查封, 扣押, 冻结…) is judged by what it rests on:

- it cites a law or regulation by name (``依照《公路法》第七十七条``) — it **restates** a higher law;
- it says only ``依法`` / ``按照有关法律法规`` beside a concrete measure — **doubtful**: a warning that
  asks for a lawyer's reading;
- it rests on nothing — it **creates** the measure: a violation (行政处罚法 Art. 16, 行政许可法
  Art. 17, 行政强制法 Art. 10).

A generic ``予以处罚`` with ``依法`` or a citation and no concrete measure restates. Sentences that
may add duties or cut rights (deposits, fees, proofs: 措施17) are always doubtful: warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .intake import Line
from .messages import message

_CLAUSE = r"[^，。；;,]"
PENALTY = re.compile(
    rf"(?:处以?|并处|可处|予以|给予){_CLAUSE}{{0,25}}?(?:罚款|拘留|警告)|没收{_CLAUSE}{{0,15}}?(?:违法所得|非法财物|工具|物品|财物|设备|车辆|产品)"
    rf"|(?:暂扣|吊销){_CLAUSE}{{0,12}}?(?:许可证|执照|证照|证书|驾驶证)|责令停产停业|责令关闭|行政拘留|降低资质等级"
    rf"|限制开展生产经营活动|限制从业|通报批评|并处以?{_CLAUSE}{{0,20}}?处罚"
)
GENERIC_PENALTY = re.compile(rf"(?:予以|给予|交由{_CLAUSE}{{1,12}}?|由{_CLAUSE}{{1,12}}?|规定)(?:治安管理|行政)?处罚")
LICENSE = re.compile(
    rf"经{_CLAUSE}{{1,20}}?(?:批准|许可|审批|核准)(?:后)?{_CLAUSE}{{0,8}}?(?:方可|才能|方能|才可)"
    rf"|未经{_CLAUSE}{{0,20}}?(?:批准|许可|审批|核准)[^。；;]{{0,14}}?(?:不得|禁止|一律不)"
    rf"|实行{_CLAUSE}{{0,10}}?许可证?制度|(?:须|必须|应当|需)经{_CLAUSE}{{1,20}}?(?:批准|许可|审批|核准)"
    rf"|(?:须|必须|应当|需){_CLAUSE}{{0,20}}?(?:领取|取得){_CLAUSE}{{0,15}}?(?:许可证|批准文件|批准书|经营证)"
)
#: an approval by consent (需经县政府研究同意并…): a licence in substance, or an internal step of the
#: administration (须经集体讨论同意后印发) — the words cannot tell, so it is at most doubtful
CONSENT = re.compile(rf"(?:须|必须|需)经{_CLAUSE}{{1,20}}?同意(?:后|并|方可|才能)")
DISGUISED_LICENSE = re.compile(
    rf"(?:未经|未|没有|未予)(?:备案|登记)[^。；;]{{0,14}}?(?:不得|禁止|不予|一律不)"
    rf"|(?:备案|登记)(?:后|之后|以后){_CLAUSE}{{0,8}}?(?:方可|才能|方能|才可)"
    rf"|经{_CLAUSE}{{0,12}}?(?:备案|登记){_CLAUSE}{{0,8}}?(?:方可|才能|方能|才可)"
)
COMPULSION = re.compile(
    rf"查封|扣押|冻结{_CLAUSE}{{0,6}}?(?:存款|汇款|账户|资金|财产)|强制拆除|强制清除|强制隔离|强制带离|扣留"
    rf"|暂扣{_CLAUSE}{{0,8}}?(?:车辆|物品|工具|设备|财物)|强行(?:带离|拖离|拆除)|强制(?:拖离|拖移|执行)"
)
DUTY = re.compile(
    rf"(?:须|必须|应当|需)(?:向{_CLAUSE}{{1,12}}?)?(?:交纳|缴纳|缴存|交存){_CLAUSE}{{0,14}}?(?:保证金|抵押金|押金|费|基金)"
    rf"|收取{_CLAUSE}{{0,10}}?费|(?:须|必须|应当|需){_CLAUSE}{{0,6}}?(?:出具|提供|开具){_CLAUSE}{{0,14}}?证明"
    rf"|不予(?:办理|受理|审批|发放)"
)
#: A higher law cited by name (not 本办法 itself): 依照《中华人民共和国公路法》第七十七条
CITED_LAW = re.compile(r"《[^》]{2,40}(?:法|条例|规定|办法|细则|决定|规则)》(?:第[一二三四五六七八九十百零〇\d]+条)?")
GENERIC_BASIS = re.compile(
    r"依法|依照有关|按照(?:国家)?有关(?:法律|法规|规定)|依照(?:国家)?有关(?:法律|法规|规定)|依据有关(?:法律|法规|规定)"
    r"|按(?:照)?(?:相关|有关)规定"
)
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条)")
_ITEM = re.compile(r"^\s*([一二三四五六七八九十]+、)")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_LAW_KEYS = {
    "penalty": "law.penalty",
    "license": "law.license",
    "disguised_license": "law.license",
    "compulsion": "law.compulsion",
}
#: the record flag each kind of finding decides
FLAG_OF = {
    "penalty": "sets_penalty",
    "license": "sets_license",
    "disguised_license": "sets_license",
    "compulsion": "sets_compulsion",
}


@dataclass(frozen=True)
class Finding:
    """One sentence that touches ND-PROHIBITED-CONTENT."""

    category: str  # penalty, license, disguised_license, compulsion, duty
    verdict: str  # creates, restates, doubtful
    sentence: str
    line: int
    article: str | None
    words: str  # the words that made it a finding
    basis: str | None  # the citation or the generic words it rests on
    from_article: bool = False  # the basis is cited by another sentence of its article

    @property
    def flag(self) -> str | None:
        return FLAG_OF.get(self.category)

    def explain(self, lang: str | None = None) -> str:
        """The finding in a sentence: which words, what they rest on, and which law forbids or needs it."""
        article = message("article", "zh", article=self.article) if self.article else ""
        article_en = message("article", "en", article=self.article) if self.article else ""
        sentence = self.sentence if len(self.sentence) <= 120 else self.sentence[:118] + "……"
        values = {
            "line": self.line,
            "article": article,
            "article_en": article_en,
            "sentence": sentence,
            "words": self.words,
            "basis": self.basis or "",
        }
        if self.category == "duty":
            return message("finding.duty", lang, **values)
        law_key = _LAW_KEYS[self.category]
        values.update(
            what=message(f"kind.{self.category}", "zh"),
            what_en=message(f"kind.{self.category}", "en"),
            law=message(law_key, "zh"),
            law_en=message(law_key, "en"),
        )
        key = f"finding.{self.verdict}_article" if self.from_article else f"finding.{self.verdict}"
        return message(key, lang, **values)

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "category": self.category,
            "verdict": self.verdict,
            "flag": self.flag,
            "line": self.line,
            "article": self.article,
            "sentence": self.sentence,
            "words": self.words,
            "basis": self.basis,
            "explanation": self.explain(lang),
        }


def sentences(lines: list[Line]) -> list[tuple[str, int, str | None]]:
    """(sentence, line, article) for the body, the article (第X条, or an item 三、) carried on."""
    return [(sentence, number, article) for sentence, number, article, _group in _sentences(lines)]


def _sentences(lines: list[Line]) -> list[tuple[str, int, str | None, int | None]]:
    """As :func:`sentences`, with the article's place (a count of the 第X条 and items met; None before
    the first): the sentences of one article, from its 第X条 up to the next, share it."""
    found, article, group = [], None, None
    for line in lines:
        text = line.text.strip()
        match = _ARTICLE.match(text) or _ITEM.match(text)
        if match:
            article = match[1].rstrip("、") if match.re is _ARTICLE else match[1]
            group = 0 if group is None else group + 1
        for part in _SENTENCE.finditer(text):
            sentence = part[0].strip()
            if len(sentence) >= 4:
                found.append((sentence, line.number, article, group))
    return found


#: words by which a sentence takes its basis from another of its article: 违反前款规定的, 有前款行为的,
#: 依照前项规定, 上述行为, 该条例
REFERS_BACK = re.compile(r"前款|前项|前两款|前述|上述|本条|同款|该(?:法|条例|规定|办法|决定)")


#: a clause that gives the basis of the clause before it (…，处二千元罚款；依照《…》第X条的规定执行。)
_BASIS_CLAUSE = re.compile(r"^(?:并|均|一律)?(?:由[^，。；;]{1,20}?)?(?:依照|依据|按照|根据)《")


def _in_article(
    verdict: str, basis: str | None, sentence: str, others: list[str], next_clause: str | None
) -> tuple[str, str | None, bool]:
    """A sentence with no higher law of its own judged in its article (第X条 up to the next):

    - the clause after it (the same sentence, past a ；) gives the basis, ``依照《…》第X条的规定`` —
      restates;
    - it refers back (违反前款规定的…, 有前款行为的…, 上述) to a sentence of the article that cites a
      higher law, and itself says ``依法`` or names no concrete measure — restates;
    - it refers back so, but sets a concrete measure with no basis of its own — doubtful: the law is
      near, whether it provides this measure is a lawyer's reading;
    - otherwise the sentence's own verdict stands (a law cited for another sentence lends nothing).

    The third value says the basis came from the article."""
    if verdict == "restates" and basis is not None and CITED_LAW.fullmatch(basis):
        return verdict, basis, False
    if next_clause is not None and _BASIS_CLAUSE.match(next_clause):
        cited = CITED_LAW.search(next_clause)
        if cited is not None:
            return "restates", cited[0], True
    if REFERS_BACK.search(sentence) is None:
        return verdict, basis, False
    cited_law = next((found[0] for other in others if (found := CITED_LAW.search(other)) is not None), None)
    if cited_law is None:
        return verdict, basis, False
    if verdict == "restates" or basis is not None:  # 依法 beside the measure, or no concrete measure
        return "restates", cited_law, True
    return "doubtful", cited_law, True


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


def _collapse(sentence: str) -> str:
    """The sentence with the spaces between two Chinese characters taken out (a page's or a PDF's line
    breaks: ``处一百元以上五百元以下罚 款``), for matching; the finding quotes it as printed."""
    return _CJK_GAP.sub("", sentence)


def _judge(sentence: str, concrete: bool) -> tuple[str, str | None]:
    cited = CITED_LAW.search(sentence)
    if cited is not None:
        return "restates", cited[0]
    generic = GENERIC_BASIS.search(sentence)
    if generic is not None:
        return ("doubtful" if concrete else "restates"), generic[0]
    return "creates", None


def find_content(lines: list[Line], own_title: str | None = None) -> list[Finding]:
    """Every finding in the body lines, in order. A sentence can hold several (a penalty and a licence).
    A sentence is judged with its article: a basis cited in another of its sentences counts
    (:func:`_in_article`)."""
    findings = []
    listed = _sentences(lines)
    own = f"《{own_title}》" if own_title else None

    def for_basis(sentence: str) -> str:
        sentence = _collapse(sentence)
        return sentence.replace(own, "本文件") if own and own in sentence else sentence

    members: dict[int, list[int]] = {}
    for index, (_sentence, _number, _article, group) in enumerate(listed):
        if group is not None:
            members.setdefault(group, []).append(index)
    for index, (sentence, number, article, group) in enumerate(listed):
        sentence_for_basis = for_basis(sentence)
        probe = _collapse(sentence)  # 罚 款 as a page or PDF broke it is 罚款
        others = [] if group is None else [for_basis(listed[i][0]) for i in members[group] if i != index]
        following = listed[index + 1] if index + 1 < len(listed) else None
        next_clause = (
            for_basis(following[0])
            if following is not None and group is not None and following[3] == group and sentence[-1] in "；;，,"
            else None
        )

        def judged(
            concrete: bool,
            sentence_for_basis: str = sentence_for_basis,
            others: list[str] = others,
            next_clause: str | None = next_clause,
        ) -> tuple[str, str | None, bool]:
            verdict, basis = _judge(sentence_for_basis, concrete)
            return _in_article(verdict, basis, sentence_for_basis, others, next_clause)

        penalty = PENALTY.search(probe)
        if penalty is not None:
            verdict, basis, near = judged(True)
            findings.append(Finding("penalty", verdict, sentence, number, article, penalty[0], basis, near))
        else:
            generic = GENERIC_PENALTY.search(probe)
            if generic is not None:
                verdict, basis, near = judged(False)
                # a bare 予以处罚 with no basis names no measure: for a lawyer to read, not a creation
                findings.append(
                    Finding(
                        "penalty",
                        "doubtful" if verdict == "creates" else verdict,
                        sentence,
                        number,
                        article,
                        generic[0],
                        basis,
                        near,
                    )
                )
        found = LICENSE.search(probe)
        # a licence sentence is not counted a second time as a disguised one
        licence = ("license", found) if found is not None else ("disguised_license", DISGUISED_LICENSE.search(probe))
        for category, match in (licence, ("compulsion", COMPULSION.search(probe))):
            if match is not None:
                verdict, basis, near = judged(True)
                findings.append(Finding(category, verdict, sentence, number, article, match[0], basis, near))
        consent = CONSENT.search(probe) if licence[1] is None else None
        if consent is not None:
            verdict, basis, near = judged(True)
            verdict = "doubtful" if verdict == "creates" else verdict
            findings.append(Finding("license", verdict, sentence, number, article, consent[0], basis, near))
        duty = DUTY.search(probe)
        if duty is not None and CITED_LAW.search(sentence_for_basis) is None:
            findings.append(Finding("duty", "doubtful", sentence, number, article, duty[0], None))
    return findings


def flags(findings: list[Finding], complete: bool) -> dict[str, bool | None]:
    """The record's sets_* flags: True when a sentence creates the measure; False only for a complete
    text in which no sentence does and none is doubtful; otherwise absent (None: indeterminate)."""
    result: dict[str, bool | None] = {}
    for flag in ("sets_license", "sets_penalty", "sets_compulsion"):
        mine = [finding for finding in findings if finding.flag == flag]
        if any(finding.verdict == "creates" for finding in mine):
            result[flag] = True
        elif complete and not any(finding.verdict == "doubtful" for finding in mine):
            result[flag] = False
        else:
            result[flag] = None
    return result
