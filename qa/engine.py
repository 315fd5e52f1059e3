"""The engine: corpus, embedder, indexes and rules loaded once; ask, search and unit lookups."""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.catalog import corpus_problem
from ingest.pipeline import Corpus, build_corpus
from ingest.units import Unit
from qa import answer as composer
from qa import decide, llm
from qa.config import Settings, load_settings
from qa.index import SearchIndex, load_or_build
from qa.question import Analysis, analyse
from qa.retrieve import ANSWER_RANKING, Mode, Ranker, Scored, load_fusion_params
from qa.rules import run_rules
from qa.rules.model import Computation
from qa.rules.params import assert_corpus
from qa.schemas import AskResponse, Citation, DocumentInfo, UnitView

if TYPE_CHECKING:  # the embedding stack is imported only when an engine is loaded
    from qa.embedding import Embedder

log = logging.getLogger(__name__)
SECOND_SOURCE_RATIO = 0.9  # quote another unit too when it scores this close to the first (chosen on the tune split)
MAX_QUOTES = 3
MULTI_PART_RATIO = 0.6  # a question asking two things reaches further down for its second unit


def _in_time(days_after_due: int) -> str:
    """The verdict on whether the day the question stands on is still within a deadline computed for its case."""
    if days_after_due > 0:
        return f"已过期限（超期{days_after_due}天，见下方计算）"
    return "还在期限内（今天是最后一日）" if days_after_due == 0 else f"还在期限内（距最后一日还有{-days_after_due}天，见下方计算）"


def _within(unit_id: str | None, applied: list[str]) -> bool:
    """Is the unit one of the applied units, or a part or the whole of one (a53.k1 and a53.k1.x2)?"""
    return unit_id is not None and any(unit_id == a or a.startswith(unit_id + ".") or unit_id.startswith(a + ".") for a in applied)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


class Engine:
    def __init__(self, settings: Settings, corpus: Corpus, embedder: Embedder, index: SearchIndex) -> None:
        self.settings = settings
        self.corpus = corpus
        self.embedder = embedder
        self.index = index
        self.ranker = Ranker(corpus, index, embedder, load_fusion_params(settings.fusion_file))
        self._lineages: dict[str, frozenset[str]] = {}  # unit id -> itself and its ancestors
        # each document's units in reading order (those that cover the source), for unit views' previous/next
        self._reading_order: dict[str, list[Unit]] = {}
        for unit in corpus.units:
            if unit.covers_source:
                self._reading_order.setdefault(unit.doc_id, []).append(unit)
        self._reading_position = {u.id: i for units in self._reading_order.values() for i, u in enumerate(units)}
        self._unit_counts = Counter(unit.doc_id for unit in corpus.units)

    # ------------------------------------------------------------------ search
    def search(self, query: str, top_k: int = 10, mode: Mode = "hybrid") -> list[Scored]:
        analysis = analyse(query, self.corpus)
        return self.ranker.rank(analysis.text, analysis.route, mode, lexical_query=analysis.search_text)[:top_k]

    def search_citations(self, query: str, top_k: int = 10) -> list[Citation]:
        return [composer.citation(self.corpus, hit, hit.unit, None) for hit in self.search(query, top_k)]

    # ------------------------------------------------------------------ ask
    def ask(self, question: str, top_k: int = 5, history: list[dict[str, str]] | None = None) -> AskResponse:
        """Analyse the question once (with the conversation so far), then retrieve, compute, decide, compose."""
        started = time.perf_counter()
        analysis = analyse(question, self.corpus, history=history)
        result = self._extractive(analysis, top_k)
        result.timings_ms = {"analyse": _ms(started) - sum(result.timings_ms.values()), **result.timings_ms}
        if self.settings.llm_base_url and not result.abstained:
            step = time.perf_counter()
            result = llm.rewrite(self.settings, result)
            result.timings_ms["llm"] = _ms(step)
        result.timings_ms["total"] = _ms(started)
        return result

    def _rules(self, analysis: Analysis) -> list[Computation]:
        """The rules' computations over the question's case (read in the texts' terms when its own words compute
        nothing), without questions back about what the question does not ask."""
        rule_results = run_rules(analysis.case, self.corpus)
        if analysis.canonical_case is not None and not any(c.complete for c in rule_results):
            # the question's own words computed nothing: read it in the texts' terms
            second = run_rules(analysis.canonical_case, self.corpus)
            rule_results = second if any(c.complete for c in second) else rule_results
        if analysis.slot.kind != "lookup":
            # a rule short of an input asks back only when the question asks what the rule answers
            rule_results = [c for c in rule_results if not c.missing or not c.answers or analysis.slot.kind in c.answers]
        return rule_results

    def _bind_part(self, part: Analysis, ranked: list[Scored]) -> decide.Binding:
        """A part's binding; a part leaning on the one before ("…又是谁来定") whose own words bind nothing is asked
        with the part before it, and so first is a part opening with its predicate ("占全地区国土面积多少？")."""
        own = decide.bind(self.corpus, self.ranker, part, ranked)
        leaning = part.with_context
        own_strong = own.kind == "answered" and own.passage is not None and own.passage.share >= decide.BIND_SHARE
        if leaning is None or (own_strong and not part.predicate_only):
            return own
        context_ranked = self.ranker.rank(leaning.text, leaning.route, lexical_query=leaning.search_text, limit=ANSWER_RANKING)
        read = decide.bind(self.corpus, self.ranker, leaning, context_ranked)
        # the passage found with the context must still speak of the part's own words, unless the part's own words are
        # only its predicate ("折合多少亩": the subject is the one before's)
        speaks = part.predicate_only or (read.passage is not None and decide.holds_own_words(self.ranker, part, read.passage))
        return read if read.kind == "answered" and read.passage is not None and speaks else own

    def _act_unstated(self, analysis: Analysis, settles: list[Computation]) -> decide.Binding | None:
        """"自治区批完以后还要报哪里备案": the authority rules found the provision for the case, and it names who
        approves, not who does the act asked (备案). The texts do not state that for this case; a clause stating it
        for another case (州审批的项目…报自治区备案) does not count."""
        if analysis.slot.kind != "authority" or analysis.is_multi_part or not settles or not all("authority" in c.answers for c in settles):
            return None
        pattern = decide.slot_value_pattern(analysis)
        applied = [self.corpus.unit(uid) for c in settles for uid in c.citation_ids if self.corpus.has_unit(uid)]
        if pattern is None or not applied or any(pattern.search(unit.text) for unit in applied):
            return None
        return decide.Binding(
            kind="not_stated", reason_code="act_not_stated",
            reason="适用于此情形的条款没有规定问题所问的负责机关。/ The provision for this case does not state the body asked for.",
            nearest=[decide.Passage(unit, unit.text, 0, 1.0, 0.0, False) for unit in applied[:2]],
        )

    def _extractive(self, analysis: Analysis, top_k: int) -> AskResponse:
        timings: dict[str, float] = {}
        step = time.perf_counter()
        routed = analysis.route
        ranked = self.ranker.rank(analysis.text, routed, lexical_query=analysis.search_text, limit=ANSWER_RANKING)
        part_ranked = [self.ranker.rank(part.text, part.route, lexical_query=part.search_text, limit=ANSWER_RANKING) for part in analysis.parts]
        timings["retrieve"] = _ms(step)
        step = time.perf_counter()
        if analysis.asks_separately:
            # two questions in one message ("A比B多多少？C和D合计占百分之几？") are two cases: each part's facts are
            # computed on their own, never merged into one sum
            rule_results: list[Computation] = []
            for part in analysis.parts:
                rule_results += [c for c in self._rules(part) if all(c.result != seen.result for seen in rule_results)]
        else:
            rule_results = self._rules(analysis)
        computations = rule_results
        timings["rules"] = _ms(step)
        step = time.perf_counter()
        explicit = [Scored(self.corpus.unit(uid), 1.0, 0.0, 0.0) for uid in routed.explicit_ids]
        pattern = decide.slot_value_pattern(analysis) if analysis.about_document and analysis.slot.kind in decide.VALUE_SLOTS else None
        if pattern is not None and not any(pattern.search(s.unit.text) for s in explicit):
            # a question about a document itself ("…哪一年出的") is answered by its title, signature or preamble only
            # when they state the kind of value asked; otherwise the texts are searched, and may not state it
            explicit = []
        computed = [Scored(self.corpus.unit(uid), 1.0, 0.0, 0.0) for c in computations for uid in c.citation_ids if self.corpus.has_unit(uid)]
        # a table's header names the columns; the row the computation read is what the answer rests on
        computed.sort(key=lambda s: s.unit.kind == "table_header")
        evidence = self._dedupe(computed + explicit + ranked, top_k)
        common = {"question": analysis.raw, "computations": computations, "route": routed.model_dump(), "resolved_question": analysis.resolved}
        refusal = composer.refusal(self.ranker, analysis, ranked, computations, part_ranked)
        whole: decide.Binding | None = None  # the single-part binding, computed once where needed
        part_bindings: list[decide.Binding] | None = None  # the same for every part of a multi-part question
        # low coverage of colloquial words is no reason to refuse what a passage clearly addresses: the whole
        # question's, or one part's
        if refusal and refusal[0] == "not_covered":
            if analysis.is_multi_part:
                part_bindings = [self._bind_part(part, pr) for part, pr in zip(analysis.parts, part_ranked, strict=True)]
                if any(decide.strongly_bound(b) for b in part_bindings):
                    refusal = None
            else:
                whole = decide.bind(self.corpus, self.ranker, analysis, ranked)
                if decide.strongly_bound(whole):
                    refusal = None
        if refusal:
            code, reason = refusal
            nearest = [composer.citation(self.corpus, s, s.unit, None) for s in self._dedupe(ranked, top_k)]
            text = composer.refusal_text(analysis, reason, nearest)
            timings["compose"] = _ms(step)
            return AskResponse(
                answer=text, abstained=True, answer_kind="out_of_scope", reason=reason, reason_code=code,
                citations=nearest, warnings=[], timings_ms=timings, **common,
            )
        if routed.missing_refs and not routed.explicit_ids and not analysis.is_multi_part:
            # "第六十条怎么规定" of a text with fifty-nine articles: say so rather than quote a neighbour
            reason = "；".join(routed.missing_refs)
            citations = [composer.citation(self.corpus, s, s.unit, None) for s in self._dedupe(ranked, top_k)]
            text = "\n".join([*composer.understood(analysis), f"文件中没有问题所指的条文：{reason}。"])
            timings["compose"] = _ms(step)
            return AskResponse(
                answer=text, abstained=True, answer_kind="not_stated", reason=reason, reason_code="no_such_unit",
                citations=citations, warnings=[], timings_ms=timings, **common,
            )
        fixed = {s.unit.id for s in computed + explicit}
        # A computation over the question's own facts answers; a rule restated without inputs does not
        # settle a question that asks for a value (a period, a figure) the texts may state for another step.
        over_case = [c for c in computations if not c.missing and (c.understood or c.inputs)]
        # a fine computed for the case does not say who imposes it: only a rule that answers what is asked settles it
        settles = [c for c in over_case if not c.answers or analysis.slot.kind not in decide.VALUE_SLOTS or analysis.slot.kind in c.answers]
        act_unstated = self._act_unstated(analysis, settles)
        if act_unstated is not None:
            settles = []
        restated_only = not settles and not explicit and analysis.slot.kind in decide.VALUE_SLOTS
        if analysis.is_multi_part:  # every part gets its own quote, beside any computation
            bindings = part_bindings or [self._bind_part(part, pr) for part, pr in zip(analysis.parts, part_ranked, strict=True)]
            # a part about another field of law (个人所得税 beside 宅基地) is reported as such, not quoted loosely
            bindings = [
                decide.silent(b) if not decide.strongly_bound(b) and composer.not_covered(self.ranker, part, pr) else b
                for part, b, pr in zip(analysis.parts, bindings, part_ranked, strict=True)
            ]
            if analysis.compares:
                # "新疆和宁夏一样吗": a text that says nothing on the matter is reported as silent, not quoted loosely
                bindings = [b if b.passage is None or b.passage.share >= decide.BIND_SHARE else decide.silent(b) for b in bindings]
            # a figure no clause states but a computation over the case gives ("离计划期满还剩多少天") is not unstated
            # nor is a part whose quote would only repeat the provision the computation applied ("最少罚多少、最多罚多少")
            computed_kinds = {kind for c in over_case for kind in c.answers}
            applied = [uid for c in over_case for uid in c.citation_ids]
            bindings = [
                decide.Binding(kind="answered", reason_code="computed")
                if part.slot.kind in computed_kinds
                and (b.kind == "not_stated" or (part.slot.kind != "verdict" and _within(b.passage.unit.id if b.passage else None, applied))) else b
                for part, b in zip(analysis.parts, bindings, strict=True)
            ]
        elif act_unstated is not None:
            bindings = [act_unstated]
        elif fixed and not restated_only and analysis.slot.kind != "verdict":
            bindings = []  # the computation answers; a yes/no question still gets its verdict from a clause
        else:
            bindings = [whole or decide.bind(self.corpus, self.ranker, analysis, ranked)]
            # "县里能不能自己批": the body a rule found to approve decides it, unless a clause decides it already (the
            # approving body "可以授权" the one named)
            approving = [str(c.details["authority"]) for c in computations if not c.missing and c.details.get("authority")]
            named_body = decide.authority_verdict(analysis.text, approving)
            if named_body and analysis.slot.kind == "verdict" and bindings[0].verdict is None:
                bindings = [replace(bindings[0], verdict=named_body)]
            # "今天是…，现在起诉还来得及吗": the case's own dates against the deadline decide, not the clause's 可以
            timed = next((c for c in over_case if "days_after_due" in c.details), None)
            if timed is not None and analysis.slot.kind == "verdict":
                bindings = [replace(bindings[0], verdict=_in_time(int(str(timed.details["days_after_due"]))))]
        # a rule that applies but lacks an input asks for it: the texts do state the rule, the question left a gap
        asks_back = any(c.missing and not set(c.missing) <= {"region", "value"} for c in rule_results)
        if bindings and all(b.kind == "not_stated" for b in bindings) and not settles and not explicit and not asks_back:
            nearest_units = [p.unit for b in bindings for p in b.nearest]
            cited = self._dedupe([Scored(u, 1.0, 0.0, 0.0) for u in nearest_units] + ranked, top_k)
            citations = [composer.citation(self.corpus, s, s.unit, None) for s in cited]
            # a rule that found the place of the value and no value there says why ("2025年栏写“落实自治区下达目标”")
            why = [c.result for c in computations if c.missing == ["value"] and c.result]
            text = composer.not_stated_text(self.corpus, analysis, bindings, why)
            timings["compose"] = _ms(step)
            first = bindings[0]
            return AskResponse(
                answer=text, abstained=True, answer_kind="not_stated", reason=first.reason, reason_code=first.reason_code,
                citations=citations, warnings=[], timings_ms=timings, **common,
            )
        quoted = self._quotes(analysis, evidence, fixed, bindings)
        foreign = composer.other_region_only(self.corpus, routed, [u.doc_id for u, _ in quoted])
        if foreign and not analysis.is_multi_part:
            # the question is about one covered region, the only answer is another region's rule
            citations = self._citations(quoted, evidence, top_k)
            text = composer.other_region_text(analysis, foreign, [composer.quote_line(self.corpus, u, q) for u, q in quoted])
            timings["compose"] = _ms(step)
            return AskResponse(
                answer=text, abstained=True, answer_kind="not_stated", reason=foreign, reason_code="other_region_rule",
                citations=citations, warnings=[], timings_ms=timings, **common,
            )
        citations = self._citations(quoted, evidence, top_k)
        warnings = [w for c in computations for w in c.warnings]
        answer_docs = [u.doc_id for u, _ in quoted]
        for doc_id in dict.fromkeys(answer_docs):
            doc = self.corpus.document(doc_id)
            if doc.is_draft:
                warnings.append(composer.draft_warning(doc))
        warnings.extend(composer.region_warnings(self.corpus, routed, answer_docs))
        # what the rule read from the question comes before the number, so staff can check the reading
        lead = [
            "\n".join(filter(None, [c.understood_text(), f"{c.title}：{c.result}", f"计算：{c.formula}" if c.formula and not c.missing else ""]))
            for c in rule_results
        ]
        text = composer.compose(self.corpus, analysis, lead, quoted, bindings, warnings)
        timings["compose"] = _ms(step)
        # a rule found the asked figure missing from its table ("2025年：控制在下达指标内"): the texts do not state it
        absent = [c for c in rule_results if c.details.get("not_stated")]
        if absent and not analysis.is_multi_part and not any(c.complete and not c.details.get("not_stated") for c in rule_results):
            reason = f"{absent[0].title}：文件没有给出所问的数字。/ The texts do not state the figure asked for."
            return AskResponse(
                answer=text, abstained=True, answer_kind="not_stated", reason=reason, reason_code="value_not_stated", citations=citations,
                warnings=list(dict.fromkeys(warnings)), timings_ms=timings, **common,
            )
        return AskResponse(
            answer=text, abstained=False, answer_kind="answered", citations=citations,
            warnings=list(dict.fromkeys(warnings)), timings_ms=timings, **common,
        )

    def _citations(self, quoted: list[tuple[Unit, str]], evidence: list[Scored], top_k: int) -> list[Citation]:
        """Quoted units first (a 款 or 项 in place of its article), then the other evidence, one entry per article."""
        scores = {s.unit.id: s for s in evidence}
        out: list[Citation] = []
        covered: set[str] = set()
        for unit, quote in quoted:
            lineage = self._lineage(unit.id)
            scored = next((scores[i] for i in lineage if i in scores), Scored(unit, 1.0, 0.0, 0.0))
            out.append(composer.citation(self.corpus, scored, unit, quote))
            covered |= lineage
        for scored in evidence:
            if len(out) >= max(top_k, len(quoted)):
                break
            if scored.unit.id in covered or self._lineage(scored.unit.id) & covered:
                continue
            out.append(composer.citation(self.corpus, scored, scored.unit, None))
            covered |= self._lineage(scored.unit.id)
        return out

    def _lineage(self, unit_id: str) -> frozenset[str]:
        """The unit and its ancestors through parent links (项 -> 款 -> 条), walked once per unit."""
        chain = self._lineages.get(unit_id)
        if chain is None:
            links = {unit_id}
            parent = self.corpus.unit(unit_id).parent
            while parent and parent not in links:
                links.add(parent)
                parent = self.corpus.unit(parent).parent
            chain = self._lineages[unit_id] = frozenset(links)
        return chain

    def _dedupe(self, scored: list[Scored], limit: int) -> list[Scored]:
        """The first `limit` entries, one per unit; an article and its own 款 or 项 are not both listed."""
        kept: list[Scored] = []
        lineages: list[frozenset[str]] = []
        for item in scored:
            if len(kept) >= limit:
                break  # the ranked list is long (every unit); only its head is ever shown
            lineage = self._lineage(item.unit.id)
            if any(item.unit.id in other or kept_item.unit.id in lineage for kept_item, other in zip(kept, lineages, strict=True)):
                continue
            kept.append(item)
            lineages.append(lineage)
        return kept

    def _quotes(self, analysis: Analysis, evidence: list[Scored], fixed_ids: set[str], bindings: list[decide.Binding]) -> list[tuple[Unit, str]]:
        """What the answer quotes: the passage bound to each part, then close units' finest parts.

        Units named by the question or by a computation are quoted as they are: they are the basis
        of the answer. A question that needs two articles gets both when the second scores within
        SECOND_SOURCE_RATIO of the first (at most MAX_QUOTES).
        """
        named = [(s.unit, s.unit.text) for s in evidence if s.unit.id in fixed_ids]
        quoted: list[tuple[Unit, str]] = list(named)
        for binding in bindings:
            if binding.passage is None:
                continue
            unit = binding.passage.unit
            if all((u.id, q) != (unit.id, binding.passage.text) and u.id not in self._lineage(unit.id) for u, q in quoted):
                quoted.append((unit, binding.passage.text))
        if named:
            return quoted
        if not evidence:
            return quoted
        ratio = MULTI_PART_RATIO if composer.is_multi_part(analysis) else SECOND_SOURCE_RATIO
        for s in [s for s in evidence if s.score >= ratio * evidence[0].score][:MAX_QUOTES]:
            if len(quoted) >= max(MAX_QUOTES, len(bindings)):
                break
            if any(s.unit.id in self._lineage(u.id) or u.id in self._lineage(s.unit.id) for u, _ in quoted):
                continue
            quoted.append(composer.best_quote(self.corpus, self.ranker, analysis, s.unit))
        return quoted

    # ------------------------------------------------------------------ units and documents
    def unit_view(self, unit_id: str) -> UnitView:
        unit = self.corpus.unit(unit_id)
        doc = self.corpus.document(unit.doc_id)
        siblings = self._reading_order.get(unit.doc_id, [])
        anchor = unit if unit.covers_source else self.corpus.unit(unit.parent.split(".")[0]) if unit.parent else unit
        position = self._reading_position.get(anchor.id)
        previous = siblings[position - 1].id if position else None
        following = siblings[position + 1].id if position is not None and position + 1 < len(siblings) else None
        return UnitView(
            id=unit.id, doc_id=doc.id, doc_title=doc.title, status=doc.status, kind=unit.kind, label=unit.label,
            text=unit.text, heading_path=unit.heading_path, parent=unit.parent, children=[c.id for c in self.corpus.children(unit.id)],
            previous=previous, next=following, cells=unit.cells,
            refs=self.corpus.refs(unit.id), referenced_by=self.corpus.referenced_by(unit.id),
        )

    def documents(self) -> list[DocumentInfo]:
        counts = self._unit_counts
        return [
            DocumentInfo(
                id=d.id, title=d.title, short_name=d.short_name, issuer=d.issuer, region=d.region, kind=d.kind,
                status=d.status, dates=d.dates, units=counts.get(d.id, 0),
            )
            for d in self.corpus.catalog.documents
        ]


def load_engine(settings: Settings | None = None, force_rebuild: bool = False) -> Engine:
    """Ingest (cached), check every rule quote against the units, load or build the indexes."""
    from qa.embedding import load_embedder

    settings = settings or load_settings()
    problem = corpus_problem(settings.corpus_dir)
    if problem:  # e.g. `uvicorn --factory` with LANDQA_CORPUS_DIR on an empty folder
        raise SystemExit(problem)
    corpus = build_corpus(settings.corpus_dir, settings.build_dir)
    assert_corpus(corpus)  # a changed text must not leave a stale rule behind
    embedder = load_embedder(None if settings.embedding_model == "default" else settings.embedding_model, settings.build_dir / "models",
                             backend=settings.embedding_backend)
    index = load_or_build(corpus, embedder, settings.build_dir, force=force_rebuild)
    if settings.search_backend == "milvus":
        from qa.milvus_index import open_milvus  # pymilvus is imported only by those who chose Milvus

        index = open_milvus(index, corpus, settings)
    return Engine(settings, corpus, embedder, index)
