"""`landqa tune`: fit fusion weights and abstention thresholds on the tune split, write qa/fusion.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from eval.metrics import UnitRelations, retrieval_scores
from eval.questions import load_questions, select_split
from qa.answer import should_abstain
from qa.engine import Engine, load_engine
from qa.retrieve import FUSION_FILE, FusionParams
from qa.route import Route, route
from qa.schemas import ComputationOut

ALPHAS = [round(a, 2) for a in np.arange(0.0, 1.0001, 0.05)]
FOCUS_BOOSTS = [1.0, 1.1, 1.2, 1.3, 1.5]
MIN_COVERAGES = [round(c, 2) for c in np.arange(0.0, 0.95, 0.02)]
MIN_DENSES = [0.0] + [round(d, 3) for d in np.arange(0.80, 0.9001, 0.005)]
# A refusal of an answerable question costs staff more than one missed refusal: thresholds
# must keep at least this share of the answerable tune questions answered.
MIN_ANSWER_RATE = 0.9


@dataclass
class Case:
    gold: list[str]
    answerable: bool
    routed: Route
    bm25: np.ndarray
    dense: np.ndarray
    mask: np.ndarray
    fixed: bool  # an explicit reference or a complete computation: never abstains


def _mrr(engine: Engine, cases: list[Case], params: FusionParams, relations: UnitRelations) -> float:
    scored = [c for c in cases if c.answerable]
    total = 0.0
    for case in scored:
        fused = engine.ranker.fuse(case.bm25, case.dense, case.mask, case.routed, "hybrid", params)
        top = [engine.index.units[i].id for i in np.argsort(-fused, kind="stable")[:10]]
        total += retrieval_scores(top, case.gold, relations)["mrr@10"]
    return total / max(1, len(scored))


def tune(engine: Engine) -> dict[str, Any]:
    from qa.rules import run_rules

    questions = select_split(load_questions(), "tune")
    cases = []
    for q in questions:
        routed = route(q.question, engine.corpus)
        bm25, dense, mask = engine.ranker.raw_scores(q.question, routed)
        computations = [ComputationOut.model_validate(c.model_dump(mode="json")) for c in run_rules(q.question, engine.corpus)]
        fixed = bool(routed.explicit_ids) or any(not c.missing for c in computations)
        cases.append(Case(q.gold, q.answerable, routed, bm25, dense, mask, fixed))
    base = engine.ranker.params
    relations = UnitRelations.from_corpus(engine.corpus)
    best = max((_mrr(engine, cases, base.model_copy(update={"alpha": a, "focus_boost": f}), relations), -abs(a - 0.5), a, f) for a in ALPHAS for f in FOCUS_BOOSTS)
    params = base.model_copy(update={"alpha": best[2], "focus_boost": best[3]})
    # Abstention features under the chosen fusion.
    features = []
    for q, case in zip(questions, cases):
        engine.ranker.params = params.model_copy(update={"min_coverage": 0.0, "min_dense": 0.0})
        ranked = engine.ranker.rank(q.question, case.routed)
        pre_reason = None if case.fixed else should_abstain(engine.ranker, q.question, case.routed, ranked, [])
        coverage = engine.ranker.coverage(q.question, [s.unit for s in ranked[:3]])
        features.append((case.answerable, case.fixed, pre_reason is not None, coverage, ranked[0].dense if ranked else 0.0))
    engine.ranker.params = base

    def balanced_accuracy(min_coverage: float, min_dense: float) -> float:
        """Mean of the refusal rate on unanswerable and the answer rate on answerable questions;
        -1 when the answer rate falls below MIN_ANSWER_RATE."""
        refused_ok = answered_ok = unanswerable = answerable = 0
        for answerable_q, fixed, pre, coverage, dense in features:
            abstains = not fixed and (pre or coverage < min_coverage or dense < min_dense)
            if answerable_q:
                answerable += 1
                answered_ok += not abstains
            else:
                unanswerable += 1
                refused_ok += abstains
        answer_rate = answered_ok / max(1, answerable)
        if answer_rate < MIN_ANSWER_RATE:
            return -1.0
        return 0.5 * refused_ok / max(1, unanswerable) + 0.5 * answer_rate

    score, _, _, min_coverage, min_dense = max((balanced_accuracy(c, d), -c, -d, c, d) for c in MIN_COVERAGES for d in MIN_DENSES)
    params = params.model_copy(update={"min_coverage": min_coverage, "min_dense": min_dense})
    return {"params": params.model_dump(), "tune_mrr@10": round(best[0], 4), "tune_abstention_balanced_accuracy": round(score, 4), "questions": len(questions)}


def main(args: object) -> int:
    result = tune(load_engine())
    data = {"_comment": json.loads(FUSION_FILE.read_text(encoding="utf-8")).get("_comment", ""), **result["params"], "_tuned_on": {k: v for k, v in result.items() if k != "params"}}
    FUSION_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0
