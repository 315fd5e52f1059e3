"""Hybrid retrieval: fusion arithmetic, modes, narrowing, and the units found for staff questions."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from qa.retrieve import _normalize
from qa.route import route


def test_normalize_maps_allowed_scores_to_unit_interval() -> None:
    scores = np.array([2.0, 4.0, 6.0, 100.0], dtype=np.float32)
    mask = np.array([True, True, True, False])
    assert _normalize(scores, mask).tolist() == pytest.approx([0.0, 0.5, 1.0, 0.0])


def test_hybrid_score_is_the_weighted_sum_of_normalized_scores(engine) -> None:
    question = "临时用地由谁审批"
    routed = route(question, engine.corpus)
    ranked = engine.ranker.rank(question, routed, "hybrid")
    units = engine.index.units
    bm25 = np.array([0.0] * len(units), dtype=np.float32)
    dense = np.array([0.0] * len(units), dtype=np.float32)
    position = {u.id: i for i, u in enumerate(units)}
    for s in ranked:
        bm25[position[s.unit.id]] = s.bm25
        dense[position[s.unit.id]] = s.dense
    mask = np.ones(len(units), dtype=bool)
    alpha = engine.ranker.params.alpha
    expected = (1 - alpha) * _normalize(bm25, mask) + alpha * _normalize(dense, mask)
    for s in ranked[:20]:
        assert s.score == pytest.approx(float(expected[position[s.unit.id]]), abs=1e-5)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_every_mode_ranks_all_units_once(engine, mode: str) -> None:
    ranked = engine.ranker.rank("耕地保护", route("耕地保护", engine.corpus), mode)
    ids = [s.unit.id for s in ranked]
    assert len(ids) == len(set(ids)) == len(engine.index.units)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_narrowed_search_returns_only_those_documents(engine) -> None:
    hits = engine.search("宁夏整治方案谁来批", top_k=10)
    assert hits and {h.unit.doc_id for h in hits} == {"nx-consolidation"}


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("未经批准占用一般耕地罚多少", "xj-measures:a53"),
        ("一次性开发50公顷荒地由谁批准", "xj-measures:a19"),
        ("巴楚县今年住宅用地供应多少", "bachu-supply-2025:h3.i2.p1"),
        ("宅基地申请公示几天", "xj-measures:a40"),
        ("征地补偿款多久要付清", "xj-measures:a30"),
        ("临时用地谁审批", "xj-measures:a43"),
        ("基本农田调整不能超过多少比例", "nx-consolidation:h4.i11"),
        ("喀什耕地保有量指标", "kashgar-plan:t1.r1"),
    ],
)
def test_staff_questions_find_the_unit_in_the_top_three(engine, question: str, gold: str) -> None:
    top = [h.unit.id for h in engine.search(question, top_k=3)]
    assert gold in top, top


# --------------------------------------------------------------------------- work done once, at load
def test_precomputed_unit_tokens_and_idf_equal_a_fresh_tokenization(engine) -> None:
    """Coverage reads token sets and IDF computed at index load; they must be what tokenizing now gives."""
    from qa import tokenize

    ranker = engine.ranker
    fresh = {u.id: set(tokenize.tokenize(u.text)) for u in engine.index.units}
    assert ranker.unit_tokens == fresh
    counts = Counter(token for tokens in fresh.values() for token in tokens)
    assert ranker.idf == {t: math.log(1 + len(fresh) / n) for t, n in counts.items()}


@pytest.mark.parametrize("question", ["巴楚县今年住宅用地供应多少", "喀什地区耕地保有量", "宁夏整治方案谁来批", "临时用地谁审批"])
def test_rank_lists_the_fused_scores_of_the_allowed_units_in_order(engine, question: str) -> None:
    """rank() converts the score arrays in bulk: every entry must be exactly the arrays' value, in stable order."""
    routed = route(question, engine.corpus)
    ranker = engine.ranker
    bm25, dense, mask = ranker.raw_scores(question, routed)
    fused = ranker.fuse(bm25, dense, mask, routed)
    expected = [i for i in np.argsort(-fused, kind="stable") if mask[i]]
    ranked = ranker.rank(question, routed)
    assert [s.unit.id for s in ranked] == [engine.index.units[i].id for i in expected]
    for s, i in zip(ranked, expected, strict=True):
        assert (s.score, s.bm25, s.dense) == (float(fused[i]), float(bm25[i]), float(dense[i]))
        assert type(s.score) is float


@pytest.mark.parametrize(
    ("places", "docs"),
    [
        (("巴楚县",), {"bachu-supply-2025", "kashgar-plan"}),
        (("喀什地区",), {"kashgar-plan"}),
        (("宁夏",), {"nx-consolidation"}),
        (("新疆",), {"xj-plan"}),  # the statute is every place's: never boosted
        (("巴楚县", "宁夏"), {"bachu-supply-2025", "kashgar-plan", "nx-consolidation"}),
    ],
)
def test_place_focus_is_the_plans_of_the_places_asked(engine, places: tuple[str, ...], docs: set[str]) -> None:
    """The per-place mask is kept between requests: asked twice, it is the same plans."""
    for _ in range(2):  # computed, then served from the cache
        focus = engine.ranker._focus(places)
        assert {u.doc_id for u, f in zip(engine.index.units, focus, strict=True) if f} == docs


def test_a_case_figure_the_evidence_does_not_print_is_no_unknown_word(engine) -> None:
    ranker = engine.ranker
    evidence = [engine.corpus.unit("xj-measures:a16")]
    with_figure = ranker.coverage("占用耕地100亩", evidence)
    # the same words weigh the same; the sums may differ in the last bit with the order tokens come in
    assert with_figure == pytest.approx(ranker.coverage("占用耕地 亩", evidence)) and with_figure > 0
    # a figure said in Chinese numerals is as much a figure of the case (jieba cuts 一百亩 whole)
    assert ranker.coverage("占用耕地一百亩", evidence) == pytest.approx(ranker.coverage("占用耕地", evidence))


def test_passing_colloquial_words_do_not_refuse_a_question(engine) -> None:
    # "县里", "直接" name nothing the texts regulate: the question about approving an expropriation is in scope
    assert engine.ask("县里能不能直接批征收100亩耕地？").answer_kind != "out_of_scope"


def test_a_limited_ranking_is_the_head_of_the_full_one(engine) -> None:
    from qa.question import analyse

    analysis = analyse("巴楚县今年住宅用地供应多少", engine.corpus)
    full = engine.ranker.rank(analysis.text, analysis.route)
    head = engine.ranker.rank(analysis.text, analysis.route, limit=5)
    assert [s.unit.id for s in head] == [s.unit.id for s in full[:5]]
