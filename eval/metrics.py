"""Metrics: retrieval (hit@k, MRR, nDCG) with article/款/项 matching, answer facts, computations, citations, abstention, latency."""
from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.textmatch import fact_present, result_matches

__all__ = [
    "UnitRelations",
    "aggregate",
    "answer_scores",
    "citation_rank_scores",
    "percentile",
    "retrieval_scores",
]

RETRIEVAL_K = 10


class UnitRelations:
    """Parent links between units, so a retrieved article matches its gold 款/项 and vice versa."""

    def __init__(self, parents: Mapping[str, str | None]) -> None:
        self._parents = dict(parents)

    @classmethod
    def from_corpus(cls, corpus: Any) -> UnitRelations:
        return cls({u.id: u.parent for u in corpus.units})

    def ancestors(self, unit_id: str) -> list[str]:
        chain, seen = [], {unit_id}
        parent = self._parents.get(unit_id)
        while parent and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self._parents.get(parent)
        return chain

    def matches(self, retrieved: str, gold: str) -> bool:
        """Same unit, or one is an ancestor of the other (article ↔ its 款 ↔ its 项)."""
        return retrieved == gold or retrieved in self.ancestors(gold) or gold in self.ancestors(retrieved)


def retrieval_scores(
    ranked: Sequence[Sequence[str]] | Sequence[str],
    gold: Sequence[str],
    relations: UnitRelations,
    k: int = RETRIEVAL_K,
) -> dict[str, float]:
    """hit@1, hit@5, reciprocal rank and nDCG within the top k for one question.

    `ranked` is either a list of unit ids or a list of groups of unit ids (one group per
    retrieved item, e.g. the units a baseline chunk overlaps): an item matches every gold unit
    that one of its units matches. An item's gain is the number of gold units it matches for
    the first time, so a retrieved article that holds several gold 款 gets them all; nDCG is
    capped at 1.
    """
    items = [[r] if isinstance(r, str) else list(r) for r in ranked][:k]
    matched: set[str] = set()
    first_hit: int | None = None
    dcg = 0.0
    for rank, item in enumerate(items, 1):
        new = {g for g in gold if g not in matched and any(relations.matches(r, g) for r in item)}
        hit_any = new or any(relations.matches(r, g) for r in item for g in gold)
        if hit_any and first_hit is None:
            first_hit = rank
        if new:
            matched |= new
            dcg += len(new) / math.log2(rank + 1)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return {
        "hit@1": float(first_hit == 1),
        "hit@5": float(first_hit is not None and first_hit <= 5),
        "mrr@10": 1.0 / first_hit if first_hit else 0.0,
        "ndcg@10": min(1.0, dcg / ideal) if ideal else 0.0,
    }


def citation_rank_scores(ordered_ids: Sequence[str], gold: Sequence[str], relations: UnitRelations, k: int = 5) -> dict[str, bool]:
    """Whether the ask's first citation, and any of its first k, is a gold unit (or its article/款/项)."""
    hits = [any(relations.matches(c, g) for g in gold) for c in ordered_ids[:k]]
    return {"ask_gold_first": bool(hits and hits[0]), "ask_gold_top5": any(hits)}


def answer_scores(
    question: Any,
    answer: str,
    abstained: bool,
    cited_ids: Sequence[str],
    computation_results: Sequence[str],
    relations: UnitRelations,
) -> dict[str, Any]:
    """Per-question answer metrics; None where a metric does not apply to the question."""
    scores: dict[str, Any] = {
        "abstained": abstained,
        "facts_found": [],
        "facts_missing": [],
        "facts_ok": None,
        "fact_recall": None,
        "computed_ok": None,
        "citation_precision": None,
        "citation_recall": None,
        "correct_refusal": None,
        "false_refusal": None,
        "correct": None,
    }
    if not question.answerable:
        scores["correct_refusal"] = abstained
        scores["correct"] = abstained
        return scores
    scores["false_refusal"] = abstained
    text = "" if abstained else answer
    found = [f for f in question.facts if fact_present(f, text)]
    scores["facts_found"] = found
    scores["facts_missing"] = [f for f in question.facts if f not in found]
    scores["fact_recall"] = len(found) / len(question.facts) if question.facts else 1.0
    scores["facts_ok"] = not abstained and len(found) == len(question.facts)
    if question.computed:
        candidates = [] if abstained else [*computation_results, answer]
        scores["computed_ok"] = any(result_matches(question.computed, c) for c in candidates)
    if not abstained:
        supporting = [c for c in cited_ids if any(relations.matches(c, g) for g in question.gold)]
        scores["citation_precision"] = len(supporting) / len(cited_ids) if cited_ids else 0.0
        covered = [g for g in question.gold if any(relations.matches(c, g) for c in cited_ids)]
        scores["citation_recall"] = len(covered) / len(question.gold)
    correct = bool(scores["facts_ok"])
    if question.computed:
        correct = correct and bool(scores["computed_ok"])
    scores["correct"] = correct
    return scores


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in [0, 1]); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def _mean(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return round(statistics.fmean(kept), 4) if kept else None


def _answer_block(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in records if r["type"] != "unanswerable"]
    unanswerable = [r for r in records if r["type"] == "unanswerable"]
    with_computed = [r for r in answerable if r.get("computed")]
    return {
        "n": len(records),
        "answer_accuracy": _mean(r["scores"].get("facts_ok") for r in answerable),
        "fact_recall": _mean(r["scores"].get("fact_recall") for r in answerable),
        "computed_exact_match": _mean(r["scores"].get("computed_ok") for r in with_computed),
        "citation_precision": _mean(r["scores"].get("citation_precision") for r in answerable),
        "citation_recall": _mean(r["scores"].get("citation_recall") for r in answerable),
        "correct_refusal_rate": _mean(r["scores"].get("correct_refusal") for r in unanswerable),
        "false_refusal_rate": _mean(r["scores"].get("false_refusal") for r in answerable),
        "overall_accuracy": _mean(r["scores"].get("correct") for r in records),
        "ask_gold_first": _mean(r["scores"].get("ask_gold_first") for r in answerable),
        "ask_gold_top5": _mean(r["scores"].get("ask_gold_top5") for r in answerable),
    }


def _retrieval_block(records: Sequence[Mapping[str, Any]], systems: Sequence[str]) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    with_gold = [r for r in records if r["gold"]]
    for system in systems:
        rows = [r["retrieval"][system] for r in with_gold if system in r.get("retrieval", {})]
        if not rows:
            continue
        block[system] = {name: _mean(row[name] for row in rows) for name in ("hit@1", "hit@5", "mrr@10", "ndcg@10")}
        block[system]["n"] = len(rows)
        latencies = [row["ms"] for row in rows if row.get("ms") is not None]
        block[system]["latency_ms_mean"] = round(statistics.fmean(latencies), 2) if latencies else None
    return block


def aggregate(records: Sequence[Mapping[str, Any]], systems: Sequence[str], group_docs: Sequence[str]) -> dict[str, Any]:
    """Overall, per-type and per-document metrics from per-question records."""
    ask_ms = [r["ask"]["ms"] for r in records if r.get("ask")]
    overall: dict[str, Any] = {
        "n": len(records),
        "retrieval": _retrieval_block(records, systems),
        "answer": _answer_block(records),
        "latency": {
            "ask_ms_mean": round(statistics.fmean(ask_ms), 2) if ask_ms else None,
            "ask_ms_p50": round(percentile(ask_ms, 0.5), 2) if ask_ms else None,
            "ask_ms_p95": round(percentile(ask_ms, 0.95), 2) if ask_ms else None,
            "ask_ms_max": round(max(ask_ms), 2) if ask_ms else None,
        },
    }
    by_type: dict[str, Any] = {}
    for qtype in dict.fromkeys(r["type"] for r in records):
        subset = [r for r in records if r["type"] == qtype]
        by_type[qtype] = {"n": len(subset), "retrieval": _retrieval_block(subset, systems), "answer": _answer_block(subset)}
    by_doc: dict[str, Any] = {}
    for doc_id in group_docs:
        subset = [r for r in records if doc_id in r["doc_ids"] and r["type"] != "unanswerable"]
        if subset:
            by_doc[doc_id] = {"n": len(subset), "retrieval": _retrieval_block(subset, systems), "answer": _answer_block(subset)}
    return {"overall": overall, "by_type": by_type, "by_document": by_doc}
