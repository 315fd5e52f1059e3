"""`landqa tune`: fit fusion weights and abstention thresholds on the tune split and write the fusion file.

The file is data the server reads through Settings.fusion_file (LANDQA_FUSION_FILE, default the
shipped qa/fusion.json). The tool writes it in the source checkout or the build folder, never
into an installed package (see `output_path`).
"""
from __future__ import annotations

import argparse
import json
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from eval.metrics import UnitRelations, retrieval_scores
from eval.questions import load_questions, select_split
from ingest.atomic import write_text_atomic
from qa.config import SHIPPED_FUSION_FILE, Settings

if TYPE_CHECKING:  # the engine is imported when tuning runs, so registering `tune` stays light
    from qa.cli import Subparsers
    from qa.engine import Engine
    from qa.retrieve import FusionParams
    from qa.route import Route

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
    from qa.answer import EVIDENCE_FOR_COVERAGE, refusal, subject_coverage
    from qa.question import analyse
    from qa.rules import run_rules

    questions = select_split(load_questions(), "tune")
    cases = []
    analyses = [analyse(q.question, engine.corpus) for q in questions]  # read once, as the engine does
    for q, analysis in zip(questions, analyses, strict=True):
        routed = analysis.route
        bm25, dense, mask = engine.ranker.raw_scores(analysis.text, routed, lexical_query=analysis.search_text)
        computations = run_rules(analysis.case, engine.corpus)
        fixed = bool(routed.explicit_ids) or any(not c.missing for c in computations)
        cases.append(Case(q.gold, q.answerable, routed, bm25, dense, mask, fixed))
    base = engine.ranker.params
    relations = UnitRelations.from_corpus(engine.corpus)
    best = max(
        (_mrr(engine, cases, base.model_copy(update={"alpha": a, "focus_boost": f}), relations), -abs(a - 0.5), a, f)
        for a in ALPHAS
        for f in FOCUS_BOOSTS
    )
    params = base.model_copy(update={"alpha": best[2], "focus_boost": best[3]})
    # Abstention features under the chosen fusion.
    features = []
    for analysis, case in zip(analyses, cases, strict=True):
        # with both thresholds at zero, refusal() gives only the reasons that do not depend on them
        engine.ranker.params = params.model_copy(update={"min_coverage": 0.0, "min_dense": 0.0})
        ranked = engine.ranker.rank(analysis.text, case.routed, lexical_query=analysis.search_text)
        pre_reason = None if case.fixed else refusal(engine.ranker, analysis, ranked, [])
        coverage = subject_coverage(engine.ranker, analysis, [s.unit for s in ranked[:EVIDENCE_FOR_COVERAGE]])
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


def _installed(path: Path) -> bool:
    """True when `path` lies inside an installed package (site-packages), not a source checkout."""
    roots = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    return any(path.resolve().is_relative_to(root) for root in roots)


def output_path(settings: Settings) -> Path:
    """Where the tuned parameters go: the configured fusion file, unless that is inside an installed package.

    In a source checkout that is qa/fusion.json (the shipped file, committed with the tuning);
    from an installed package it is <build_dir>/fusion.json, to be named by LANDQA_FUSION_FILE.
    """
    return settings.build_dir / SHIPPED_FUSION_FILE.name if _installed(settings.fusion_file) else settings.fusion_file


def _cmd_tune(args: argparse.Namespace, settings: Settings) -> int:
    from qa.engine import load_engine

    target: Path = args.out or output_path(settings)
    result = tune(load_engine(settings))
    previous = json.loads(settings.fusion_file.read_text(encoding="utf-8")) if settings.fusion_file.is_file() else {}
    data = {"_comment": previous.get("_comment", ""), **result["params"], "_tuned_on": {k: v for k, v in result.items() if k != "params"}}
    write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"written: {target}", file=sys.stderr)
    if target.resolve() != settings.fusion_file.resolve():
        print(f"the server reads {settings.fusion_file}; set LANDQA_FUSION_FILE={target} to use the tuned values", file=sys.stderr)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add `landqa tune [--out PATH]`."""
    parser = subparsers.add_parser("tune", help="tune fusion weights and abstention thresholds on the tune split")
    parser.add_argument("--out", type=Path, help="write here (default: LANDQA_FUSION_FILE, or qa/fusion.json in a source checkout, else <build>/fusion.json)")
    parser.set_defaults(func=_cmd_tune)
