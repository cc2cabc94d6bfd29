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
        return message(f"finding.{self.verdict}", lang, **values)

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
    found, article = [], None
    for line in lines:
        text = line.text.strip()
        match = _ARTICLE.match(text) or _ITEM.match(text)
        if match:
            article = match[1].rstrip("、") if match.re is _ARTICLE else match[1]
        for part in _SENTENCE.finditer(text):
            sentence = part[0].strip()
            if len(sentence) >= 4:
                found.append((sentence, line.number, article))
    return found


def _judge(sentence: str, concrete: bool) -> tuple[str, str | None]:
    cited = CITED_LAW.search(sentence)
    if cited is not None:
        return "restates", cited[0]
    generic = GENERIC_BASIS.search(sentence)
    if generic is not None:
        return ("doubtful" if concrete else "restates"), generic[0]
    return "creates", None


def find_content(lines: list[Line], own_title: str | None = None) -> list[Finding]:
    """Every finding in the body lines, in order. A sentence can hold several (a penalty and a licence)."""
    findings = []
    for sentence, number, article in sentences(lines):
        if own_title and f"《{own_title}》" in sentence:
            sentence_for_basis = sentence.replace(f"《{own_title}》", "本文件")
        else:
            sentence_for_basis = sentence
        penalty = PENALTY.search(sentence)
        if penalty is not None:
            verdict, basis = _judge(sentence_for_basis, True)
            findings.append(Finding("penalty", verdict, sentence, number, article, penalty[0], basis))
        else:
            generic = GENERIC_PENALTY.search(sentence)
            if generic is not None:
                verdict, basis = _judge(sentence_for_basis, False)
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
                    )
                )
        found = LICENSE.search(sentence)
        # a licence sentence is not counted a second time as a disguised one
        licence = ("license", found) if found is not None else ("disguised_license", DISGUISED_LICENSE.search(sentence))
        for category, match in (licence, ("compulsion", COMPULSION.search(sentence))):
            if match is not None:
                verdict, basis = _judge(sentence_for_basis, True)
                findings.append(Finding(category, verdict, sentence, number, article, match[0], basis))
        duty = DUTY.search(sentence)
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
