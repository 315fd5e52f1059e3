"""Eval metrics on synthetic data: article/款/项 matching, hit@k, MRR, nDCG, answer and citation scores."""
from __future__ import annotations

import math

import pytest

from eval.metrics import UnitRelations, aggregate, answer_scores, percentile, retrieval_scores
from eval.questions import Question

REL = UnitRelations({
    "m:a53": None, "m:a53.k1": "m:a53", "m:a53.k1.x1": "m:a53.k1", "m:a53.k1.x2": "m:a53.k1",
    "m:a54": None, "k:c1.p1": None, "k:c1.p2": None,
})


def _q(**kw) -> Question:
    base = {"id": "q001", "question": "测试问题", "type": "lookup", "doc_ids": ["m"], "gold": ["m:a53"], "facts": ["500元"], "split": "test"}
    base.update(kw)
    return Question.model_validate(base)


def test_article_and_its_parts_match_each_other():
    assert REL.matches("m:a53", "m:a53.k1.x2")  # retrieved article, gold 项
    assert REL.matches("m:a53.k1.x2", "m:a53")  # retrieved 项, gold article
    assert REL.matches("m:a53.k1", "m:a53.k1.x1")
    assert not REL.matches("m:a53.k1.x1", "m:a53.k1.x2")  # siblings are different answers
    assert not REL.matches("m:a54", "m:a53")
    assert not REL.matches("k:c1.p1", "k:c1.p2")


def test_hit_mrr_ndcg_single_gold():
    s = retrieval_scores(["m:a54", "k:c1.p1", "m:a53.k1.x2"], ["m:a53"], REL)
    assert s["hit@1"] == 0.0 and s["hit@5"] == 1.0
    assert s["mrr@10"] == pytest.approx(1 / 3)
    assert s["ndcg@10"] == pytest.approx(1 / math.log2(4))
    top = retrieval_scores(["m:a53"], ["m:a53"], REL)
    assert top == {"hit@1": 1.0, "hit@5": 1.0, "mrr@10": 1.0, "ndcg@10": 1.0}


def test_miss_and_rank_beyond_cutoffs():
    ranked = [f"x:{i}" for i in range(5)] + ["m:a53"]
    s = retrieval_scores(ranked, ["m:a53"], REL)
    assert s["hit@5"] == 0.0 and s["mrr@10"] == pytest.approx(1 / 6)
    assert retrieval_scores([f"x:{i}" for i in range(10)] + ["m:a53"], ["m:a53"], REL)["mrr@10"] == 0.0
    assert retrieval_scores([], ["m:a53"], REL)["ndcg@10"] == 0.0


def test_ndcg_two_gold_and_duplicates_do_not_count_twice():
    gold = ["m:a53", "k:c1.p1"]
    ideal = 1 + 1 / math.log2(3)
    assert retrieval_scores(["m:a53", "k:c1.p1"], gold, REL)["ndcg@10"] == pytest.approx(1.0)
    # the article's 项 after the article itself adds nothing
    s = retrieval_scores(["m:a53", "m:a53.k1.x1", "k:c1.p1"], gold, REL)
    assert s["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / ideal)


def test_article_holding_several_gold_parts_gets_full_credit():
    s = retrieval_scores(["m:a53"], ["m:a53.k1.x1", "m:a53.k1.x2"], REL)
    assert s["ndcg@10"] == 1.0 and s["hit@1"] == 1.0


def test_grouped_items_match_through_any_member():
    s = retrieval_scores([["x:1", "x:2"], ["k:c1.p2", "m:a53.k1"]], ["m:a53"], REL)
    assert s["hit@1"] == 0.0 and s["mrr@10"] == 0.5


def test_answer_scores_facts_citations_and_computed():
    q = _q(type="computation", facts=["60万元", "100万元"], computed="60万元至100万元", gold=["m:a53"])
    s = answer_scores(q, "罚款六十万元至一百万元。依据第五十三条", False, ["m:a53.k1.x2", "m:a54"], ["60万元至100万元"], REL)
    assert s["facts_ok"] and s["fact_recall"] == 1.0 and s["computed_ok"] is True
    assert s["citation_precision"] == 0.5 and s["citation_recall"] == 1.0
    assert s["correct"] and s["false_refusal"] is False and s["correct_refusal"] is None
    wrong = answer_scores(q, "罚款60万元", False, ["m:a54"], ["30万元至50万元"], REL)
    assert wrong["facts_missing"] == ["100万元"] and wrong["computed_ok"] is False and not wrong["correct"]
    assert wrong["citation_precision"] == 0.0 and wrong["citation_recall"] == 0.0


def test_refusals():
    unanswerable = _q(type="unanswerable", gold=[], facts=[], doc_ids=[])
    assert answer_scores(unanswerable, "无依据", True, [], [], REL)["correct_refusal"] is True
    assert answer_scores(unanswerable, "罚500元", False, ["m:a53"], [], REL)["correct"] is False
    refused = answer_scores(_q(), "无依据", True, [], [], REL)
    assert refused["false_refusal"] is True and refused["facts_ok"] is False
    assert refused["citation_precision"] is None  # not scored when nothing was answered


def test_aggregate_groups_and_skips_inapplicable_metrics():
    def rec(qid, qtype, doc, hit, ok, refused=False, computed=None):
        return {"id": qid, "type": qtype, "doc_ids": [doc] if doc else [], "gold": ["g"] if qtype != "unanswerable" else [],
                "computed": computed, "retrieval": {"hybrid": {"hit@1": hit, "hit@5": hit, "mrr@10": hit, "ndcg@10": hit, "ms": 2.0}},
                "ask": {"ms": 10.0},
                "scores": {"facts_ok": ok if qtype != "unanswerable" else None, "fact_recall": float(ok) if qtype != "unanswerable" else None,
                           "computed_ok": ok if computed else None, "citation_precision": 1.0 if ok else 0.0,
                           "citation_recall": 1.0 if ok else 0.0, "correct_refusal": refused if qtype == "unanswerable" else None,
                           "false_refusal": refused if qtype != "unanswerable" else None,
                           "correct": refused if qtype == "unanswerable" else ok}}
    records = [rec("q1", "lookup", "a", 1.0, True), rec("q2", "lookup", "b", 0.0, False),
               rec("q3", "computation", "a", 1.0, True, computed="1元"), rec("q4", "unanswerable", None, 0.0, None, refused=True)]
    m = aggregate(records, ["hybrid"], ["a", "b", "c"])
    assert m["overall"]["retrieval"]["hybrid"]["hit@1"] == pytest.approx(2 / 3, abs=1e-3)  # unanswerable has no gold
    assert m["overall"]["answer"]["answer_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["overall"]["answer"]["computed_exact_match"] == 1.0
    assert m["overall"]["answer"]["correct_refusal_rate"] == 1.0
    assert m["overall"]["answer"]["overall_accuracy"] == pytest.approx(3 / 4, abs=1e-3)
    assert set(m["by_type"]) == {"lookup", "computation", "unanswerable"}
    assert set(m["by_document"]) == {"a", "b"}
    assert m["by_type"]["lookup"]["answer"]["computed_exact_match"] is None


def test_percentile_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert math.isnan(percentile([], 0.5))


def test_aggregate_without_answers_reports_retrieval_only():
    record = {"id": "q1", "type": "lookup", "doc_ids": ["a"], "gold": ["g"], "computed": None, "ask": None, "scores": {},
              "retrieval": {"bm25": {"hit@1": 1.0, "hit@5": 1.0, "mrr@10": 1.0, "ndcg@10": 1.0, "ms": 1.0}}}
    m = aggregate([record], ["bm25"], ["a"])
    assert m["overall"]["retrieval"]["bm25"]["hit@1"] == 1.0
    assert m["overall"]["answer"]["answer_accuracy"] is None and m["overall"]["latency"]["ask_ms_p95"] is None
