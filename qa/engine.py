"""The engine: corpus, embedder, indexes and rules loaded once; ask, search and unit lookups."""
from __future__ import annotations

import logging
import time

from ingest.pipeline import Corpus, build_corpus
from ingest.units import Unit
from qa import answer as composer
from qa import llm
from qa.config import Settings, load_settings
from qa.index import SearchIndex, load_or_build
from qa.retrieve import Mode, Ranker, Scored, load_fusion_params
from qa.route import route
from qa.rules import run_rules
from qa.rules.params import assert_corpus
from qa.schemas import AskResponse, Citation, ComputationOut, DocumentInfo, UnitView

log = logging.getLogger(__name__)
SECOND_SOURCE_RATIO = 0.9  # quote another unit too when it scores this close to the first (chosen on the tune split)
MAX_QUOTES = 3
MULTI_PART_RATIO = 0.6  # a question asking two things reaches further down for its second unit


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


class Engine:
    def __init__(self, settings: Settings, corpus: Corpus, embedder: object, index: SearchIndex) -> None:
        self.settings = settings
        self.corpus = corpus
        self.embedder = embedder
        self.index = index
        self.ranker = Ranker(corpus, index, embedder, load_fusion_params())

    # ------------------------------------------------------------------ search
    def search(self, query: str, top_k: int = 10, mode: Mode = "hybrid") -> list[Scored]:
        return self.ranker.rank(query, route(query, self.corpus), mode)[:top_k]

    def search_citations(self, query: str, top_k: int = 10) -> list[Citation]:
        return [composer.citation(self.corpus, hit, hit.unit, None) for hit in self.search(query, top_k)]

    # ------------------------------------------------------------------ ask
    def ask(self, question: str, top_k: int = 5) -> AskResponse:
        result = self._extractive(question, top_k)
        if self.settings.llm_base_url and not result.abstained:
            started = time.perf_counter()
            result = llm.rewrite(self.settings, result)
            result.timings_ms["llm"] = _ms(started)
        return result

    def _extractive(self, question: str, top_k: int) -> AskResponse:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        step = time.perf_counter()
        routed = route(question, self.corpus)
        timings["route"] = _ms(step)
        step = time.perf_counter()
        ranked = self.ranker.rank(question, routed)
        timings["retrieve"] = _ms(step)
        step = time.perf_counter()
        computations = [ComputationOut.model_validate(c.model_dump(mode="json")) for c in run_rules(question, self.corpus)]
        timings["rules"] = _ms(step)
        step = time.perf_counter()
        reason = composer.should_abstain(self.ranker, question, routed, ranked, computations)
        explicit = [Scored(self.corpus.unit(uid), 1.0, 0.0, 0.0) for uid in routed.explicit_ids]
        computed = [Scored(self.corpus.unit(uid), 1.0, 0.0, 0.0) for c in computations for uid in c.citation_ids if self.corpus.has_unit(uid)]
        evidence = self._dedupe(computed + explicit + ranked)[:top_k]
        warnings = [w for c in computations for w in c.warnings]
        if reason:
            nearest = [composer.citation(self.corpus, s, s.unit, None) for s in self._dedupe(ranked)[:top_k]]
            text = f"{composer.ABSTAIN_HEAD}\n原因：{reason}\n可参考：" + "；".join(c.label for c in nearest[:3])
            timings["compose"] = _ms(step)
            timings["total"] = _ms(started)
            return AskResponse(question=question, answer=text, abstained=True, reason=reason, citations=nearest, computations=computations, warnings=[], route=routed.model_dump(), timings_ms=timings)
        quoted = self._quotes(question, evidence, {s.unit.id for s in computed + explicit})
        citations = []
        for scored in evidence:
            # A quoted 款 or 项 is cited in place of its article, with the quote.
            cited, quote = next(((u, q) for u, q in quoted if scored.unit.id in self._lineage(u.id)), (scored.unit, None))
            citations.append(composer.citation(self.corpus, scored, cited, quote))
        answer_docs = [u.doc_id for u, _ in quoted]
        for doc_id in dict.fromkeys(answer_docs):
            doc = self.corpus.document(doc_id)
            if doc.is_draft:
                warnings.append(composer.draft_warning(doc))
        warnings.extend(composer.region_warnings(self.corpus, routed, answer_docs))
        lead = [f"{c.title}：{c.result}" + (f"\n计算：{c.formula}" if c.formula and not c.missing else "") for c in computations]
        text = composer.compose(self.corpus, question, lead, quoted, warnings)
        timings["compose"] = _ms(step)
        timings["total"] = _ms(started)
        return AskResponse(question=question, answer=text, abstained=False, citations=citations, computations=computations, warnings=list(dict.fromkeys(warnings)), route=routed.model_dump(), timings_ms=timings)

    def _lineage(self, unit_id: str) -> set[str]:
        """The unit and its ancestors through parent links (项 -> 款 -> 条)."""
        chain = {unit_id}
        parent = self.corpus.unit(unit_id).parent
        while parent and parent not in chain:
            chain.add(parent)
            parent = self.corpus.unit(parent).parent
        return chain

    def _dedupe(self, scored: list[Scored]) -> list[Scored]:
        """One entry per unit; an article and its own 款 or 项 are not both listed."""
        kept: list[Scored] = []
        lineages: list[set[str]] = []
        for item in scored:
            lineage = self._lineage(item.unit.id)
            if any(item.unit.id in other or kept_item.unit.id in lineage for kept_item, other in zip(kept, lineages)):
                continue
            kept.append(item)
            lineages.append(lineage)
        return kept

    def _quotes(self, question: str, evidence: list[Scored], fixed_ids: set[str]) -> list[tuple[Unit, str]]:
        """What the answer quotes: the finest part of the best unit, and of others nearly as good.

        A question that needs two articles, or two documents, gets both quoted when the second
        scores within SECOND_SOURCE_RATIO of the first (at most MAX_QUOTES).
        """
        if not evidence:
            return []
        # Units named by the question or by a computation are quoted as they are: they are the
        # basis of the answer. Otherwise the searched units close to the best one.
        named = [(s.unit, s.unit.text) for s in evidence if s.unit.id in fixed_ids]
        if named:
            return named
        ratio = MULTI_PART_RATIO if composer.is_multi_part(question) else SECOND_SOURCE_RATIO
        close = [s for s in evidence if s.score >= ratio * evidence[0].score]
        return [composer.best_quote(self.corpus, self.ranker, question, s.unit) for s in close[:MAX_QUOTES]]

    # ------------------------------------------------------------------ units and documents
    def unit_view(self, unit_id: str) -> UnitView:
        unit = self.corpus.unit(unit_id)
        doc = self.corpus.document(unit.doc_id)
        siblings = [u for u in self.corpus.units if u.doc_id == unit.doc_id and u.covers_source]
        anchor = unit if unit.covers_source else self.corpus.unit(unit.parent.split(".")[0]) if unit.parent else unit
        position = next((i for i, u in enumerate(siblings) if u.id == anchor.id), None)
        previous = siblings[position - 1].id if position else None
        following = siblings[position + 1].id if position is not None and position + 1 < len(siblings) else None
        return UnitView(
            id=unit.id, doc_id=doc.id, doc_title=doc.title, status=doc.status, kind=unit.kind, label=unit.label,
            text=unit.text, heading_path=unit.heading_path, parent=unit.parent, children=[c.id for c in self.corpus.children(unit.id)],
            previous=previous, next=following, cells=unit.cells,
            refs=self.corpus.refs(unit.id), referenced_by=self.corpus.referenced_by(unit.id),
        )

    def documents(self) -> list[DocumentInfo]:
        counts: dict[str, int] = {}
        for unit in self.corpus.units:
            counts[unit.doc_id] = counts.get(unit.doc_id, 0) + 1
        return [DocumentInfo(id=d.id, title=d.title, short_name=d.short_name, issuer=d.issuer, region=d.region, kind=d.kind, status=d.status, dates=d.dates, units=counts.get(d.id, 0)) for d in self.corpus.catalog.documents]


def load_engine(settings: Settings | None = None, force_rebuild: bool = False) -> Engine:
    """Ingest (cached), check every rule quote against the units, load or build the indexes."""
    from qa.embedding import load_embedder

    settings = settings or load_settings()
    corpus = build_corpus(settings.corpus_dir, settings.build_dir)
    assert_corpus(corpus)  # a changed text must not leave a stale rule behind
    embedder = load_embedder(None if settings.embedding_model == "default" else settings.embedding_model, settings.build_dir / "models")
    index = load_or_build(corpus, embedder, settings.build_dir, force=force_rebuild)
    return Engine(settings, corpus, embedder, index)
