"""Grounded answers: lead with the computed result or the quoted clause, cite, flag drafts, or abstain."""
from __future__ import annotations

import re

from ingest.catalog import Document
from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import tokenize
from qa.retrieve import Ranker, Scored
from qa.route import Route
from qa.schemas import Citation, ComputationOut

SENTENCE_END = re.compile(r"(?<=[。；！？])")
EVIDENCE_FOR_COVERAGE = 3
FINEST_PART_SHARE = 0.75
YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
# "多少万元", "几个月", "每亩多少钱": the question asks for a quantity in a unit of some family.
UNIT_FAMILIES = {
    "money": ("元", "钱"),
    "area": ("亩", "公顷", "平方米", "平米", "平方公里", "平方千米"),
    "duration": ("年", "个月", "月", "天", "日", "个工作日", "工作日"),
    "count": ("个", "处", "项", "座", "宗"),
    "share": ("%", "％", "比例", "百分之"),
}
FAMILY_NAMES = {"money": ("金额", "amount"), "area": ("面积", "area"), "duration": ("期限", "period"), "count": ("数量", "count"), "share": ("比例", "share")}
ASKED_QUANTITY = re.compile(r"(?:多少|几)\s*(万元|亿元|元|钱|万亩|亩|公顷|平方米|平米|平方公里|平方千米|年|个月|天|日|个工作日|工作日|个|处|项|座|宗|比例)")
NUMBER = r"(?:[0-9０-９]+(?:\.[0-9]+)?|[一二三四五六七八九十百千万两半]+)"
ABSTAIN_HEAD = "现有五份文件中没有可靠依据回答这个问题。/ The five texts do not cover this question."


def _query_weight(ranker: Ranker, tokens: set[str], text: str) -> float:
    return sum(ranker.idf.get(t, ranker.unknown_idf) for t in tokens if t in text)


def best_quote(corpus: Corpus, ranker: Ranker, question: str, unit: Unit) -> tuple[Unit, str]:
    """The finest part of `unit` that answers: a 款 or 项 of an article, or a sentence of a paragraph.

    The quote is always a verbatim substring of the unit text; ties go to the shorter part.
    """
    tokens = set(tokenize.tokenize(tokenize.expand_query(question)))
    if unit.kind == "article":
        clauses = corpus.children(unit.id)
        children = clauses + [item for clause in clauses for item in corpus.children(clause.id)]
        weights = {c.id: _query_weight(ranker, tokens, c.text) for c in children}
        top = max(weights.values(), default=0.0)
        if top > 0:
            # The finest part that carries nearly all the question's weight: a 项 rather
            # than its whole 款 when the 款's other words add little.
            close = [c for c in children if weights[c.id] >= FINEST_PART_SHARE * top]
            best = min(close, key=lambda c: len(c.text))
            return best, best.text
        return unit, unit.text
    if unit.kind in {"table_row", "table_header", "box", "title"}:
        return unit, unit.text
    sentences = [s for s in SENTENCE_END.split(unit.text) if s.strip()]
    if len(sentences) <= 1:
        return unit, unit.text
    best_sentence = max(sentences, key=lambda s: (_query_weight(ranker, tokens, s), -len(s)))
    return unit, best_sentence.strip()


def draft_warning(doc: Document) -> str:
    return f"{doc.citation_title()}为征求意见稿，内容可能调整，尚不具有正式效力。/ This text is a draft for comment, not in force."


def citation(corpus: Corpus, scored: Scored, cited: Unit, quote: str | None) -> Citation:
    doc = corpus.document(cited.doc_id)
    return Citation(id=cited.id, doc_id=doc.id, doc_title=doc.title, label=cited.label, status=doc.status, text=cited.text, score=round(scored.score, 4), quote=quote, refs=corpus.refs(cited.id))


def region_warnings(corpus: Corpus, routed: Route, cited_docs: list[str]) -> list[str]:
    """Say so whenever evidence comes from a region other than the one asked about."""
    warnings: list[str] = []
    for doc_id in dict.fromkeys(cited_docs):
        doc = corpus.document(doc_id)
        asked = [r for r in routed.regions if r != doc.region and not doc.region.startswith(r) and not r.startswith(doc.region)]
        if routed.regions and len(asked) == len(routed.regions):
            warnings.append(f"{doc.citation_title()}适用于{doc.region}，问题涉及{'、'.join(dict.fromkeys(routed.places))}，不能直接套用。/ This rule is {doc.region}'s, not the place asked about.")
        if routed.foreign_places:
            warnings.append(f"问题涉及{'、'.join(routed.foreign_places)}；{doc.citation_title()}适用于{doc.region}，不能套用到其他地区。/ The texts cover Xinjiang and Ningxia only.")
    return warnings


def should_abstain(ranker: Ranker, question: str, routed: Route, ranked: list[Scored], computations: list[ComputationOut]) -> str | None:
    """The reason to abstain, or None when the evidence is strong enough to answer."""
    if routed.explicit_ids or any(not c.missing for c in computations):
        return None
    if not ranked:
        return "没有可检索的内容 / nothing to search"
    if routed.foreign_places and not routed.places:
        top_text = " ".join(s.unit.text for s in ranked[:EVIDENCE_FOR_COVERAGE])
        if not any(place in top_text for place in routed.foreign_places):
            return f"问题涉及{'、'.join(routed.foreign_places)}，现有文件只覆盖新疆（含喀什地区、巴楚县）和宁夏。/ The question is about {', '.join(routed.foreign_places)}; the texts cover Xinjiang and Ningxia only."
    evidence_text = " ".join(s.unit.text for s in ranked[:EVIDENCE_FOR_COVERAGE])
    missing_years = [y for y in YEAR.findall(question) if y not in evidence_text]
    if missing_years:
        return f"文件中没有{'、'.join(missing_years)}年的相关内容。/ The texts say nothing for {', '.join(missing_years)}."
    asked = _asked_unit_family(question)
    if asked and not _states_quantity(evidence_text, asked):
        return f"文件没有给出问题所问的{FAMILY_NAMES[asked][0]}数值。/ The texts give no {FAMILY_NAMES[asked][1]} figure of the kind asked for."
    coverage = ranker.coverage(question, [s.unit for s in ranked[:EVIDENCE_FOR_COVERAGE]])
    if coverage < ranker.params.min_coverage:
        return f"问题中的关键内容在文件中找不到（覆盖率{coverage:.2f}）。/ Key terms of the question are not in the texts (coverage {coverage:.2f})."
    if ranked[0].dense < ranker.params.min_dense:
        return f"最相关条文的语义相似度过低（{ranked[0].dense:.2f}）。/ The nearest unit is too far from the question."
    return None


def _asked_unit_family(question: str) -> str | None:
    match = ASKED_QUANTITY.search(question)
    if not match:
        return None
    unit = match.group(1)
    return next((family for family, units in UNIT_FAMILIES.items() if any(unit.endswith(u) or u in unit for u in units)), None)


def _states_quantity(text: str, family: str) -> bool:
    """Whether `text` gives a number in a unit of `family` (or, for shares, a percentage)."""
    units = [u for u in UNIT_FAMILIES[family] if u not in ("钱", "比例")]
    if family == "money":
        units = ["元"]
    pattern = rf"{NUMBER}\s*(?:万|亿)?(?:{'|'.join(map(re.escape, units))})"
    return re.search(pattern, text) is not None


INTERROGATIVES = re.compile(r"多少|多久|多长|多大|几[个天年月日项处]|谁|哪|什么|怎么|咋|如何|是否|能不能|可不可以|吗|啥")


def is_multi_part(question: str) -> bool:
    """A question that asks two things, or compares two texts, needs more than one unit."""
    asks = len(INTERROGATIVES.findall(question))
    compares = any(word in question for word in ("分别", "和宁夏", "跟喀什", "与喀什", "比较", "对比", "一致吗", "一样", "都"))
    return asks >= 2 or compares


def compose(corpus: Corpus, question: str, lead: list[str], quotes: list[tuple[Unit, str]], warnings: list[str]) -> str:
    lines = list(lead)
    for unit, quote in quotes:
        doc = corpus.document(unit.doc_id)
        flag = "（征求意见稿）" if doc.is_draft else ""
        lines.append(f"依据：{unit.label}{flag}：“{quote}”")
    lines.extend(f"提示：{w}" for w in dict.fromkeys(warnings))
    return "\n".join(lines)
