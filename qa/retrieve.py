"""Hybrid retrieval: BM25 and dense scores fused with tuned weights, masked by the route."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel

from ingest.pipeline import Corpus
from ingest.units import Unit
from qa import tokenize
from qa.index import SearchIndex
from qa.route import Route, in_scope

Mode = Literal["hybrid", "bm25", "dense"]
# a token that is only a figure of the case, in digits or in words with its measure word as jieba cuts them
# (100; 一百, 一百亩, 百亩)
NUMERAL_TOKEN = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十百千万两半零〇]+(?:亩|公顷|平米|个|户|块|人|年|天|元)?")
SINGLE_CHAR_WEIGHT = 0.3
ANSWER_RANKING = 64  # units an answer's ranking keeps, best first
FOCUS_MASKS_KEPT = 256


class FusionParams(BaseModel):
    alpha: float  # weight of the dense score; 1 - alpha goes to BM25
    focus_boost: float  # multiplier for documents of the very place the question names
    min_coverage: float  # abstain below this share of the question's weight found in the evidence
    min_dense: float  # abstain below this cosine of the best unit
    # Low word coverage is no refusal when the best unit is at least this similar: colloquial wording of a
    # subject the texts cover, not another field of law (1.0 = coverage alone decides).
    colloquial_min_dense: float = 1.0


def load_fusion_params(path: Path) -> FusionParams:
    data = json.loads(path.read_text(encoding="utf-8"))
    return FusionParams.model_validate({k: v for k, v in data.items() if not k.startswith("_")})


@dataclass(slots=True)
class Scored:
    unit: Unit
    score: float
    bm25: float
    dense: float


def _normalize(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Min-max over the allowed units, so the two scales meet on [0, 1]."""
    if not mask.any():
        return np.zeros_like(scores)
    allowed = scores[mask]
    low, high = float(allowed.min()), float(allowed.max())
    if high - low < 1e-9:
        return np.where(mask, 1.0 if high > 0 else 0.0, 0.0).astype(np.float32)
    return np.where(mask, (scores - low) / (high - low), 0.0).astype(np.float32)


class QueryEncoder(Protocol):
    """What ranking needs of the embedder (qa.embedding.Embedder): query vectors."""

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass(eq=False, repr=False)  # one ranker per engine: compared and shown by identity, as before
class Ranker:
    """Scores every indexed unit for a query; shared by the retriever, ask and eval."""

    corpus: Corpus
    index: SearchIndex
    embedder: QueryEncoder
    params: FusionParams
    # read off the index once: each unit's document, its word set (tokenized when the index was built), word weights
    doc_ids: np.ndarray = field(init=False)
    unit_tokens: dict[str, set[str]] = field(init=False)
    idf: dict[str, float] = field(init=False)
    unknown_idf: float = field(init=False)
    _focus_masks: dict[tuple[str, ...], np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        units = self.index.units
        tokenized = [set(tokens) for tokens in self.index.text_tokens]
        frequency = Counter(token for tokens in tokenized for token in tokens)
        self.doc_ids = np.array([u.doc_id for u in units])
        self.unit_tokens = {u.id: tokens for u, tokens in zip(units, tokenized, strict=True)}
        self.idf = {token: math.log(1 + len(units) / count) for token, count in frequency.items()}
        self.unknown_idf = math.log(1 + len(units))

    def query_vector(self, query: str) -> np.ndarray:
        return self.embedder.encode_queries([query])[0]

    def raw_scores(
        self, query: str, routed: Route, mode: Mode = "hybrid", query_vector: np.ndarray | None = None, lexical_query: str | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """BM25 and dense scores of every unit, and the mask of units the route allows."""
        mask = np.ones(len(self.index.units), dtype=bool) if routed.doc_ids is None else np.isin(self.doc_ids, routed.doc_ids)
        bm25 = self.index.bm25_scores(tokenize.expand_query(lexical_query or query)) if mode != "dense" else np.zeros(len(mask), np.float32)
        dense = np.zeros(len(mask), np.float32)
        if mode != "bm25":
            dense = self.index.dense_scores(query_vector if query_vector is not None else self.query_vector(query))
        return bm25, dense, mask

    def fuse(
        self, bm25: np.ndarray, dense: np.ndarray, mask: np.ndarray, routed: Route, mode: Mode = "hybrid", params: FusionParams | None = None
    ) -> np.ndarray:
        """Weighted sum of normalized scores; units of the very place asked about get a boost."""
        params = params or self.params
        alpha = {"hybrid": params.alpha, "bm25": 0.0, "dense": 1.0}[mode]
        fused = (1 - alpha) * _normalize(bm25, mask) + alpha * _normalize(dense, mask)
        if routed.places and mode == "hybrid":
            fused = np.where(self._focus(tuple(routed.places)), fused * params.focus_boost, fused)
        return np.where(mask, fused, -1.0)

    def _focus(self, places: tuple[str, ...]) -> np.ndarray:
        """Which units belong to a plan of one of `places` (the statute is everyone's); computed once per set of places."""
        found = self._focus_masks.get(places)
        if found is None:
            focus = [
                d.id for d in self.corpus.catalog.documents
                if d.parser != "statute" and any(p in place or place in p for p in d.places for place in places)
            ]
            found = np.isin(self.doc_ids, focus)
            if len(self._focus_masks) < FOCUS_MASKS_KEPT:  # places come from the question: keep the common ones only
                self._focus_masks[places] = found
        return found

    def rank(
        self, query: str, routed: Route, mode: Mode = "hybrid", query_vector: np.ndarray | None = None, lexical_query: str | None = None,
        limit: int | None = None,
    ) -> list[Scored]:
        """Units by fused score, the best `limit` of them when given. `lexical_query`, when given, is what BM25 reads: the question less the name of
        a document the route already limits the search to, whose words its title and preamble repeat."""
        bm25, dense, mask = self.raw_scores(query, routed, mode, query_vector, lexical_query)
        fused = self.fuse(bm25, dense, mask, routed, mode)
        if routed.scope_ids:
            # a part of a text the question names (专栏9, 第九章第三节, 表1): only the units inside it are ranked, scored
            # against the whole text searched, so the weakest of a few units is not scored zero
            inside = in_scope(self.corpus, routed)
            mask = mask & np.fromiter((u.id in inside for u in self.index.units), dtype=bool, count=len(mask))
        order = np.argsort(-fused, kind="stable")
        # an answer reads only the head (it cites at most 20 units): the rest need not become Python objects
        order = order[mask[order]][:limit]
        # one conversion to Python floats per array, not one per unit
        units = self.index.units
        return [
            Scored(units[i], score, lexical, semantic)
            for i, score, lexical, semantic in zip(order.tolist(), fused[order].tolist(), bm25[order].tolist(), dense[order].tolist(), strict=True)
        ]

    def coverage(self, query: str, evidence: list[Unit]) -> float:
        """IDF-weighted share of the question's tokens that occur in the evidence.

        Words the corpus never uses weigh the most, so a question about another field of
        law scores low even when a few common words match.
        """
        tokens = tokenize.content_tokens(query)
        if not tokens:
            return 0.0
        found: set[str] = set()
        for unit in evidence:
            found |= self.unit_tokens.get(unit.id) or set(tokenize.tokenize(unit.text))
        # a word the evidence prints inside another word (盐碱地 in 盐碱地综合整治, cut there as 盐碱|地) is found:
        # the question and the texts were only cut differently
        found |= {t for t in tokens if len(t) > 1 and t not in found and any(t in unit.text for unit in evidence)}
        # A single character says little on its own; words carry the question. A figure of the case ("100") the
        # evidence does not print is a fact of the case, not a word of another field of law.
        weight = {
            t: self.idf.get(t, self.unknown_idf) * (SINGLE_CHAR_WEIGHT if len(t) == 1 else 1.0)
            for t in tokens if t in found or not NUMERAL_TOKEN.fullmatch(t)
        }
        total = sum(weight.values())
        return sum(w for t, w in weight.items() if t in found) / total if total else 0.0
