"""Grounded answers: lead with the computed result or the quoted clause, cite, flag drafts, or abstain."""
from __future__ import annotations

from ingest.catalog import Document
from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import tokenize
from qa.cues import QUESTION_CHARACTERS, cues
from qa.decide import A_NOT_A, PLAN_PERIOD, Binding, asks_what_it_is, out_of_scope, sentences
from qa.question import Analysis, speller_for
from qa.retrieve import Ranker, Scored
from qa.route import Route
from qa.rules.model import Computation
from qa.schemas import Citation

EVIDENCE_FOR_COVERAGE = 3
COMPOUND = 3  # characters from which a word of the question is a compound term (盐碱地), not a common word
FINEST_PART_SHARE = 0.75
UNDECIDED = "结论：文件没有直接规定可以或不可以，以下是最相关的规定。/ The texts do not decide this yes/no question directly; the closest provisions follow."
ABSTAIN_HEAD = "现有文件中没有可靠依据回答这个问题。/ The texts do not cover this question."


def _query_weight(ranker: Ranker, tokens: set[str], text: str) -> float:
    return sum(ranker.idf.get(t, ranker.unknown_idf) for t in tokens if t in text)


def best_quote(corpus: Corpus, ranker: Ranker, analysis: Analysis, unit: Unit) -> tuple[Unit, str]:
    """The finest part of `unit` that answers: a 款 or 项 of an article, or a sentence of a paragraph.

    The quote is always a verbatim substring of the unit text; ties go to the shorter part.
    """
    tokens = set(analysis.search_tokens)
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
    cut = sentences(unit.text)
    if len(cut) <= 1:
        return unit, unit.text
    return unit, max(cut, key=lambda s: (_query_weight(ranker, tokens, s), -len(s)))


def other_region_only(corpus: Corpus, routed: Route, quoted_docs: list[str]) -> str | None:
    """The reason, when the question names regions of the corpus and no quoted text governs any of them."""
    if not routed.regions or not quoted_docs:
        return None
    governs = [
        doc_id for doc_id in quoted_docs
        if any(
            r == corpus.document(doc_id).region or corpus.document(doc_id).region.startswith(r) or r.startswith(corpus.document(doc_id).region)
            for r in routed.regions
        )
    ]
    if governs:
        return None
    asked = "、".join(dict.fromkeys(routed.places or routed.regions))
    others = "、".join(dict.fromkeys(corpus.document(d).region for d in quoted_docs))
    return (
        f"问题问的是{asked}，{asked}的文件对此没有规定；找到的只有{others}的规定，不能套用。"
        "/ The texts for the place asked about do not state this; only another region's rule was found."
    )


def other_region_text(analysis: Analysis, reason: str, quotes: list[str]) -> str:
    lines = [*understood(analysis), reason]
    lines.extend(f"仅供参考（其他地区）：{q}" for q in quotes[:2])
    return "\n".join(lines)


def draft_warning(doc: Document) -> str:
    return f"{doc.citation_title()}为征求意见稿，内容可能调整，尚不具有正式效力。/ This text is a draft for comment, not in force."


def citation(corpus: Corpus, scored: Scored, cited: Unit, quote: str | None) -> Citation:
    doc = corpus.document(cited.doc_id)
    return Citation(
        id=cited.id, doc_id=doc.id, doc_title=doc.title, label=cited.label, status=doc.status, text=cited.text,
        score=round(scored.score, 4), quote=quote, refs=corpus.refs(cited.id),
    )


def region_warnings(corpus: Corpus, routed: Route, cited_docs: list[str]) -> list[str]:
    """Say so whenever evidence comes from a region other than the one asked about."""
    warnings: list[str] = []
    for doc_id in dict.fromkeys(cited_docs):
        doc = corpus.document(doc_id)
        asked = [r for r in routed.regions if r != doc.region and not doc.region.startswith(r) and not r.startswith(doc.region)]
        if routed.regions and len(asked) == len(routed.regions):
            warnings.append(
                f"{doc.citation_title()}适用于{doc.region}，问题涉及{'、'.join(dict.fromkeys(routed.places))}，不能直接套用。"
                f"/ This rule is {doc.region}'s, not the place asked about."
            )
        if routed.foreign_places:
            warnings.append(
                f"问题涉及{'、'.join(routed.foreign_places)}；{doc.citation_title()}适用于{doc.region}，不能套用到其他地区。"
                "/ The texts cover Xinjiang and Ningxia only."
            )
    return warnings


def understood(analysis: Analysis) -> list[str]:
    """'理解为：…' when the question was completed from the conversation or a typo was read as the texts' word."""
    if not (analysis.resolved or analysis.repairs):
        return []
    fixes = "；".join(f"“{r.typed}”按“{r.read_as}”理解" for r in analysis.repairs)
    return [f"理解为：{analysis.text}" + (f"（{fixes}）" if fixes else "")]


def subject_coverage(ranker: Ranker, analysis: Analysis, evidence: list[Unit]) -> float:
    """How much of the subject's word weight the evidence holds: the words naming a searched document count as
    found in its title (retrieval no longer reads them), colloquial passing words (县里, 直接) not at all."""
    titles = [f"{d}:title" for d in dict.fromkeys(u.doc_id for u in evidence)]
    subject = analysis.subject
    for word in cues().passing:
        subject = subject.replace(word, " ")
    return ranker.coverage(subject, evidence + [ranker.corpus.unit(t) for t in titles if ranker.corpus.has_unit(t)])


def refusal(
    ranker: Ranker, analysis: Analysis, ranked: list[Scored], computations: list[Computation], part_ranked: list[list[Scored]] | None = None
) -> tuple[str, str] | None:
    """(code, reason) to refuse as out of scope, or None: another region, year or plan period, or a
    question whose words the texts do not use (another field of law). A multi-part question is weighed
    on what every part found ("巴楚计划怎么处理，喀什十三五处置了多少" is not confined to the Bachu plan)."""
    # a rule that read the question's own facts (even one short of an input, showing every reading) is in scope
    if analysis.route.explicit_ids or any((not c.missing or c.understood) and "region" not in c.missing for c in computations):
        return None
    if not ranked:
        return "no_units", "没有可检索的内容 / nothing to search"
    evidence = [s.unit for s in ranked[:EVIDENCE_FOR_COVERAGE]]
    scope_evidence = evidence + [s.unit for found in part_ranked or [] for s in found[:EVIDENCE_FOR_COVERAGE]]
    # a document's title says its period and place ("十四五规划"), which its units need not repeat
    titles = {ranker.corpus.document(u.doc_id).title for u in scope_evidence}
    documents_text = ""
    if PLAN_PERIOD.search(analysis.text):  # only then is the whole text of the searched documents needed
        routes = [analysis.route, *(part.route for part in analysis.parts)]
        searched = set(ranker.corpus.catalog.ids()) if any(r.doc_ids is None for r in routes) else {d for r in routes for d in r.doc_ids or []}
        documents_text = " ".join(u.text for u in ranker.corpus.units if u.doc_id in searched and u.covers_source)
    scope = _another_places_text(ranker.corpus, analysis.route) or out_of_scope(
        analysis, " ".join([*titles, *(u.text for u in scope_evidence)]), documents_text
    )
    if scope:
        return scope
    coverage = _coverage(ranker, analysis, ranked)
    if coverage < ranker.params.min_coverage and analysis.parts and part_ranked:
        # a message asking several things is in scope when one of them is: the others are then said to be unstated
        coverage = max([coverage, *(_coverage(ranker, part, found) for part, found in zip(analysis.parts, part_ranked, strict=True) if found)])
    # a question that names one of the texts is about the corpus: whether that text says it is for the decision
    # (answered or not stated), not a reason to call it another field of law
    if coverage < ranker.params.min_coverage and ranked[0].dense < ranker.params.colloquial_min_dense and not analysis.route.named_doc_ids:
        return "not_covered", (
            f"问题中的关键内容在文件中找不到（覆盖率{coverage:.2f}）。/ Key terms of the question are not in the texts (coverage {coverage:.2f})."
        )
    if ranked[0].dense < ranker.params.min_dense:
        return "not_covered", f"最相关条文的语义相似度过低（{ranked[0].dense:.2f}）。/ The nearest unit is too far from the question."
    return None


def _coverage(ranker: Ranker, analysis: Analysis, ranked: list[Scored]) -> float:
    """The subject's word weight held by the head of the ranking."""
    evidence = [s.unit for s in ranked[:EVIDENCE_FOR_COVERAGE]]
    coverage = subject_coverage(ranker, analysis, evidence)
    if coverage < ranker.params.min_coverage:
        # compounds of the subject (盐碱地) that units further down the ranking print are the texts' words, whatever
        # the head of the ranking speaks of (盐碱耕地 projects): those units join the evidence
        compounds = [
            t for t in tokenize.content_tokens(analysis.subject) if len(t) >= COMPOUND and not any(t in unit.text for unit in evidence)
        ]
        printing = [s.unit for s in ranked[EVIDENCE_FOR_COVERAGE:] if any(t in s.unit.text for t in compounds)][:EVIDENCE_FOR_COVERAGE]
        # only when the ranking prints every such compound: one it never prints (增值税) is another field's word
        if printing and all(any(t in unit.text for unit in printing) for t in compounds):
            coverage = subject_coverage(ranker, analysis, evidence + printing)
    return coverage


def asks(word: str) -> bool:
    """Is the word a question form (是不是, 什么样, 多少钱) rather than a word of what is asked about?"""
    return bool(A_NOT_A.search(word) or set(word) & QUESTION_CHARACTERS)


def not_covered(ranker: Ranker, part: Analysis, ranked: list[Scored]) -> bool:
    """Is a part of a message about something the texts do not use the words of (个人所得税 beside 宅基地)? So
    its words are poorly found and one of its compounds is printed nowhere in the texts; a short part leaning on
    the message ("耕地目标上咋提的") uses the texts' words and is not."""
    if not ranked or ranked[0].dense >= ranker.params.colloquial_min_dense:
        return False
    printed = speller_for(ranker.corpus).corpus_text  # the texts as the speller and decide read them, once per corpus
    foreign = [t for t in tokenize.content_tokens(part.subject) if len(t) >= COMPOUND and t not in printed and not asks(t)]
    return bool(foreign) and _coverage(ranker, part, ranked) < ranker.params.min_coverage


def _another_places_text(corpus: Corpus, routed: Route) -> tuple[str, str] | None:
    """The question names a text by its kind and a place that text is not for ("伊犁州的供应计划" when the only
    供应计划 is 巴楚县's): the texts hold no such document for that place."""
    if not (routed.named_doc_ids and routed.place_doc_ids) or set(routed.named_doc_ids) & set(routed.place_doc_ids):
        return None
    if any(place in corpus.document(d).region for d in routed.named_doc_ids for place in routed.places):
        return None  # a place containing the text's own ("喀什的供地计划" of 巴楚县's) may mean it
    places = "、".join(routed.places)
    held = "、".join(corpus.document(d).citation_title() for d in routed.named_doc_ids)
    return "other_place", (
        f"问题问的是{places}的文件，现有文件中只有{held}，不适用于{places}。/ The texts hold no such document for {places}; the one named is for another place."
    )


def refusal_text(analysis: Analysis, reason: str, nearest: list[Citation]) -> str:
    lines = understood(analysis)
    lines += [ABSTAIN_HEAD, f"原因：{reason}", "可参考：" + "；".join(c.label for c in nearest[:3])]
    return "\n".join(lines)


def not_stated_text(corpus: Corpus, analysis: Analysis, bindings: list[Binding], why: list[str] | None = None) -> str:
    """Say exactly that the texts do not state what is asked, and quote the nearest provisions; `why` is what a
    rule found where the value should stand ("表1对2025年的“耕地保有量”没有给出数字…")."""
    lines = understood(analysis)
    subject = analysis.subject.strip(" ，。？") or analysis.text
    lines.append(f"文件对“{subject}”没有规定问题所问的内容。/ The texts do not state what is asked.")
    lines += [f"说明：{reason}" for reason in why or []]
    for binding in bindings:
        if binding.reason:
            lines.append(f"原因：{binding.reason}")
        for passage in binding.nearest[:2]:
            lines.append(f"最接近的规定：{quote_line(corpus, passage.unit, passage.text)}")
    return "\n".join(dict.fromkeys(lines))


def is_multi_part(analysis: Analysis) -> bool:
    """A question that asks two things, or compares two texts, needs more than one unit."""
    return analysis.is_multi_part or any(word in analysis.text for word in ("比较", "对比", "一致吗", "一样吗", "有何不同", "有什么不同", "区别"))


def quote_line(corpus: Corpus, unit: Unit, quote: str) -> str:
    flag = "（征求意见稿）" if corpus.document(unit.doc_id).is_draft else ""
    return f"{unit.label}{flag}：“{quote}”"


def compose(corpus: Corpus, analysis: Analysis, lead: list[str], quotes: list[tuple[Unit, str]], bindings: list[Binding], warnings: list[str]) -> str:
    """Lead with what was understood and computed, then the verdict, then every part with its own quote."""
    lines = understood(analysis)
    if analysis.followup_note:
        lines.append(analysis.followup_note)
    lines.extend(lead)
    quoted = list(quotes)
    if analysis.is_multi_part and len(bindings) == len(analysis.parts):
        for n, (part, binding) in enumerate(zip(analysis.parts, bindings, strict=True), start=1):
            head = f"（{n}）{part.text.strip()}"
            if binding.reason_code == "computed":
                lines.append(f"{head}：见上方计算。")
                continue
            if binding.kind == "not_stated" or binding.passage is None:
                lines.append(f"{head}：文件没有规定。{binding.reason or ''}")
                continue
            verdict = f"{binding.verdict}。" if binding.verdict else ""
            lines.append(f"{head}：{verdict}依据：{quote_line(corpus, binding.passage.unit, binding.passage.text)}")
            quoted = [q for q in quoted if q != (binding.passage.unit, binding.passage.text)]
    else:
        verdicts = [b.verdict for b in bindings if b.verdict]
        if verdicts:
            lines.insert(len(lines) - len(lead), f"结论：{verdicts[0]}。")  # a yes/no answer first, then any computation
        elif analysis.slot.kind == "verdict" and bindings and not lead and not asks_what_it_is(analysis):
            lines.append(UNDECIDED)
    lines.extend(f"依据：{quote_line(corpus, unit, quote)}" for unit, quote in quoted)
    lines.extend(f"提示：{w}" for w in dict.fromkeys(warnings))
    return "\n".join(lines)
