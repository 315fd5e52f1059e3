"""`landqa eval`: run the question set through the engine and the baselines, print the table, write JSON and HTML, gate."""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.metrics import UnitRelations, aggregate, answer_scores, citation_rank_scores, retrieval_scores
from eval.questions import DEFAULT_QUESTIONS_PATH, Question, load_questions, select_split

__all__ = ["DEFAULT_REPORT_DIR", "ENGINE_MODES", "SYSTEMS", "add_cli", "evaluate", "main", "register_cli"]

DEFAULT_REPORT_DIR = Path(__file__).resolve().parent / "reports"
ENGINE_MODES = ("bm25", "dense", "hybrid")
BASELINE = "llama-index"
SYSTEMS = (*ENGINE_MODES, BASELINE)
TOP_K_RETRIEVAL = 10
TOP_K_ASK = 5
EXTERNAL_BESIDE = ("test", "all", "external")  # splits whose report carries the external section


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _question_record(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "question": q.question,
        "type": q.type,
        "split": q.split,
        "doc_ids": q.doc_ids,
        "gold": q.gold,
        "facts": q.facts,
        "computed": q.computed,
        "note": q.note,
        "retrieval": {},
        "ask": None,
        "scores": {},
    }


def evaluate(
    engine: Any,
    questions: Sequence[Question],
    *,
    modes: Sequence[str] = ENGINE_MODES,
    baseline: Any | None = None,
    with_ask: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Per-question records: retrieval for each engine mode and the baseline, then the full answer.

    Usable on its own (e.g. by tuning code, with_ask=False) as well as behind the CLI.
    """
    relations = UnitRelations.from_corpus(engine.corpus)
    records = []
    for n, q in enumerate(questions, 1):
        record = _question_record(q)
        for mode in modes:
            started = time.perf_counter()
            hits = engine.search(q.question, TOP_K_RETRIEVAL, mode)
            elapsed = _ms(started)
            ranked = [h.unit.id for h in hits]
            record["retrieval"][mode] = {"ranked": ranked, "ms": elapsed, **retrieval_scores(ranked, q.gold, relations)}
        if baseline is not None:
            started = time.perf_counter()
            chunks = baseline.retrieve(q.question, TOP_K_RETRIEVAL)
            elapsed = _ms(started)
            groups = [c.unit_ids for c in chunks]
            record["retrieval"][BASELINE] = {
                "ranked": groups,
                "chunks": [f"{c.doc_id}[{c.start}:{c.end}]" for c in chunks],
                "ms": elapsed,
                **retrieval_scores(groups, q.gold, relations),
            }
        if with_ask:
            started = time.perf_counter()
            response = engine.ask(q.question, TOP_K_ASK, history=q.history_dicts()) if q.history else engine.ask(q.question, TOP_K_ASK)
            elapsed = _ms(started)
            quoted = [c.id for c in response.citations if c.quote]
            cited = list(dict.fromkeys(quoted or [c.id for c in response.citations]))
            record["ask"] = {
                "ms": elapsed,
                "answer": response.answer,
                "abstained": response.abstained,
                "reason": response.reason,
                "cited": cited,
                "citations": [{"id": c.id, "label": c.label, "quoted": bool(c.quote), "score": c.score} for c in response.citations],
                "computations": [{"rule": c.rule, "result": c.result, "formula": c.formula} for c in response.computations],
                "warnings": list(response.warnings),
                "timings_ms": dict(response.timings_ms),
            }
            record["scores"] = answer_scores(
                q, response.answer, response.abstained, cited, [c.result for c in response.computations], relations
            )
            if q.answerable:
                record["scores"].update(citation_rank_scores([c.id for c in response.citations], q.gold, relations, TOP_K_ASK))
        records.append(record)
        if progress:
            progress(n, len(questions))
    return records


def baseline_ratios(metrics: dict[str, Any], reference: str = "hybrid") -> dict[str, dict[str, float | None]]:
    """reference ÷ each other system, metric by metric (above 1: the reference is better)."""
    retrieval = metrics["overall"]["retrieval"]
    ratios: dict[str, dict[str, float | None]] = {}
    if reference not in retrieval:
        return ratios
    for system, values in retrieval.items():
        if system == reference:
            continue
        ratios[system] = {}
        for name in ("hit@1", "hit@5", "mrr@10", "ndcg@10"):
            ref, other = retrieval[reference].get(name), values.get(name)
            ratios[system][name] = round(ref / other, 3) if ref is not None and other else None
    return ratios


def run_external(engine: Any, path: Path | None, limit: int, log: Callable[[str], None],
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The external section of a report; {'skipped': why} when the file is absent or unreadable."""
    from eval.external import DEFAULT_EXTERNAL_PATH, aggregate_external, evaluate_external, load_external

    path = Path(path) if path is not None else DEFAULT_EXTERNAL_PATH
    try:
        questions = load_external(path)
    except FileNotFoundError:
        log(f"external split skipped: {path} not found (pass --external PATH)")
        return {"path": str(path), "skipped": f"{path} not found"}
    except (OSError, ValueError) as exc:
        log(f"external split skipped: {path} could not be read: {exc}")
        return {"path": str(path), "skipped": f"{path} could not be read: {exc}"}
    if limit:
        questions = questions[:limit]
    log(f"external split: {len(questions)} questions from {path} (measured only, never tuned on) …")
    evaluated = evaluate_external(engine, questions, progress=progress)
    return {"path": str(path), "questions": len(questions), "metrics": aggregate_external(evaluated), "records": evaluated["records"]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Everything `landqa eval` does before printing: engine, baseline, questions, metrics, files."""
    from eval import report
    from qa.engine import load_engine

    started = time.perf_counter()
    own = args.split != "external"
    questions: list[Question] = []
    if own:
        questions = select_split(load_questions(args.questions), args.split)
        if args.limit:
            questions = questions[: args.limit]
        if not questions:
            raise SystemExit(f"no questions in split {args.split!r}")
    # The external split sits beside the test split (and in `all`), never beside tune: nothing tuned sees it.
    with_external = args.split in EXTERNAL_BESIDE and not args.no_external and not args.no_ask
    log = (lambda msg: print(msg, file=sys.stderr)) if not args.quiet else (lambda msg: None)
    log(f"landqa eval: {len(questions)} questions ({args.split}); loading the engine …")
    engine = load_engine()
    baseline = None
    if own and not args.no_baseline:
        from eval.baseline import LlamaIndexBaseline

        log("building the llama-index baseline (SentenceSplitter defaults, vector retrieval) …")
        baseline = LlamaIndexBaseline(engine.corpus, engine.embedder, cache_dir=engine.settings.build_dir / "eval")
    last = [time.perf_counter()]

    def progress(n: int, total: int) -> None:
        if n == total or time.perf_counter() - last[0] > 15:
            last[0] = time.perf_counter()
            log(f"  {n}/{total}")

    records: list[dict[str, Any]] = []
    metrics: dict[str, Any] | None = None
    if own:
        records = evaluate(engine, questions, baseline=baseline, with_ask=not args.no_ask, progress=progress)
        systems = [s for s in SYSTEMS if s != BASELINE or baseline is not None]
        metrics = aggregate(records, systems, [d.id for d in engine.corpus.catalog.documents])
    external = run_external(engine, args.external, args.limit, log, progress) if with_external else None
    root = Path(__file__).resolve().parent.parent
    result: dict[str, Any] = {
        "meta": {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "split": args.split,
            "questions": len(questions),
            "questions_file": str(Path(args.questions or DEFAULT_QUESTIONS_PATH)),
            "commit": _git_commit(root),
            "embedding_model": getattr(engine.embedder, "model_id", None),
            "fusion": engine.ranker.params.model_dump() if hasattr(engine.ranker, "params") else None,
            "llm": bool(getattr(engine.settings, "llm_base_url", None)),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "baseline": baseline.stats if baseline is not None else None,
            "duration_s": None,
            "top_k": {"retrieval": TOP_K_RETRIEVAL, "ask": TOP_K_ASK},
        },
        "metrics": metrics,
        "ratios": baseline_ratios(metrics) if metrics else {},
        "records": records,
        "external": external,
    }
    result["meta"]["duration_s"] = round(time.perf_counter() - started, 1)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "latest.json"
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(json_path)
    html_path = out_dir / "report.html"
    report.write_html(result, html_path)
    result["meta"]["files"] = {"json": str(json_path), "html": str(html_path)}
    return result


def main(args: argparse.Namespace) -> int:
    from eval import gate, report

    if args.perturb:
        from eval import perturb

        return perturb.main(args)
    thresholds = None
    if args.gate:
        thresholds = gate.load_thresholds(args.thresholds)
        if thresholds.split != args.split:
            print(
                f"landqa eval --gate: the thresholds are for the {thresholds.split!r} split, "
                f"not {args.split!r}; run with --split {thresholds.split}",
                file=sys.stderr,
            )
            return 2
        if args.limit:
            print("landqa eval --gate: --limit evaluates a subset; the gate needs the whole split", file=sys.stderr)
            return 2
    if args.split == "external" and args.propose_thresholds:
        print("landqa eval: no thresholds are proposed on the external split (it is measured, not gated)", file=sys.stderr)
        return 2
    result = run(args)
    print(report.render_text(result))
    print(f"\nJSON: {result['meta']['files']['json']}\nHTML: {result['meta']['files']['html']}")
    if args.propose_thresholds:
        note = f" on the {args.split} split at commit {result['meta'].get('commit') or '?'} ({result['meta']['created'][:10]})"
        proposal = gate.proposal(result["metrics"], note=note)
        args.propose_thresholds.write_text(json.dumps(proposal, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"proposed thresholds: {args.propose_thresholds} (review the reasons, then copy to eval/thresholds.json)")
    if thresholds is not None:
        failures = gate.check(result["metrics"], thresholds)
        print()
        print(gate.format_failures(failures, thresholds))
        return 1 if failures else 0
    return 0


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `eval` subcommand on the `landqa` parser's subparsers."""
    parser = subparsers.add_parser(
        "eval",
        help="evaluate on the question set: retrieval vs baselines, answers, citations, abstention, latency",
        description="Run eval/questions.jsonl through BM25, dense, hybrid and a plain llama-index pipeline, "
        "print the metric table, write eval/reports/latest.json and report.html.",
    )
    parser.add_argument("--split", choices=["test", "tune", "all", "external"], default="test",
                        help="question split (default: test); test and all also report the external split as its own section")
    parser.add_argument("--external", type=Path, default=None, metavar="PATH",
                        help="external questions (default: ../shared/questions/external-dev.jsonl beside the repository); "
                        "skipped with a message when missing")
    parser.add_argument("--no-external", action="store_true", help="do not run the external split beside test/all")
    parser.add_argument("--perturb", action="store_true",
                        help="perturbation invariance instead: variants of each answerable question of --split "
                        "(traditional characters, full-width digits, filler, spaces, a typo, a synonym) must keep "
                        "the first citation and the computed results")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a test metric is below eval/thresholds.json")
    parser.add_argument("--thresholds", type=Path, default=None, help="thresholds file (default: eval/thresholds.json)")
    parser.add_argument("--questions", type=Path, default=None, help="question file (default: eval/questions.jsonl)")
    parser.add_argument("--out", type=Path, default=DEFAULT_REPORT_DIR, help="report directory (default: eval/reports)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions of the split (smoke runs)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the llama-index baseline")
    parser.add_argument("--no-ask", action="store_true", help="retrieval metrics only")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--propose-thresholds", type=Path, default=None, metavar="PATH",
                        help="write thresholds at the level reached (minus a margin) to PATH, for review")
    parser.set_defaults(func=main)
    return parser


register_cli = add_cli  # the name qa/cli.py looks up
