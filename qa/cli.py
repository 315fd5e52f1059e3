"""The `landqa` command line: ingest, units, index, search, ask, serve, eval, tune, bench, loadtest."""
from __future__ import annotations

import argparse
import json
import sys


def _cmd_units(args: argparse.Namespace) -> int:
    from ingest.pipeline import build_corpus

    corpus = build_corpus()
    if args.doc and args.doc not in corpus.catalog.ids():
        print(f"没有文件 {args.doc} / no document {args.doc}; 可选 / known: {', '.join(corpus.catalog.ids())}", file=sys.stderr)
        return 2
    for unit in corpus.units:
        if args.doc and unit.doc_id != args.doc:
            continue
        if args.json:
            print(json.dumps(unit.model_dump(mode="json"), ensure_ascii=False))
        else:
            print(f"{unit.id}\t{unit.short_label}\t{unit.text[:60]}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from ingest.pipeline import build_corpus, ingest_report

    print(json.dumps(ingest_report(build_corpus()), ensure_ascii=False, indent=1))
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from qa.engine import load_engine

    engine = load_engine(force_rebuild=args.force)
    print(f"index ready: {engine.index.directory} ({len(engine.index.units)} units, model {engine.index.model_id})")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from qa.engine import load_engine
    from qa.schemas import SearchRequest

    query = SearchRequest(query=args.query, top_k=args.top_k).query
    engine = load_engine()
    for hit in engine.search(query, args.top_k, args.mode):
        if args.json:
            print(json.dumps({"id": hit.unit.id, "label": hit.unit.label, "score": round(hit.score, 4), "bm25": round(hit.bm25, 3), "dense": round(hit.dense, 3), "text": hit.unit.text}, ensure_ascii=False))
        else:
            print(f"{hit.score:.3f}\t{hit.unit.id}\t{hit.unit.label}\n\t{hit.unit.text[:120]}")
    return 0


def _cmd_ask(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from qa.engine import load_engine
    from qa.schemas import AskRequest

    try:
        request = AskRequest(question=args.question, top_k=args.top_k)
    except ValidationError as exc:
        print("; ".join(str(e["msg"]) for e in exc.errors()), file=sys.stderr)
        return 2
    result = load_engine().ask(request.question, request.top_k)
    if args.json:
        print(result.model_dump_json(indent=1))
        return 0
    print(result.answer)
    for computation in result.computations:
        print(f"\n[计算 {computation.rule}] {computation.title}\n  结果：{computation.result}\n  公式：{computation.formula}\n  输入：{json.dumps(computation.inputs, ensure_ascii=False)}")
    print("\n引用 / citations:")
    for c in result.citations:
        print(f"  {c.score:.3f} {c.id}  {c.label}（{c.status}）")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from qa.api.app import create_app
    from qa.config import load_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings().model_copy(update={"host": args.host, "port": args.port})
    print(f"landqa: http://{args.host}:{args.port}/widget/demo  (API docs: /docs)")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from qa import bench

    return bench.main(args)


def _cmd_tune(args: argparse.Namespace) -> int:
    from qa import tune

    return tune.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="landqa", description="landqa：土地管理法规与规划问答 / QA over land-administration texts")
    sub = parser.add_subparsers(dest="command", required=True)

    units = sub.add_parser("units", help="print every unit (one JSON object per line with --json)")
    units.add_argument("--doc", help="only this document id")
    units.add_argument("--json", action="store_true")
    units.set_defaults(func=_cmd_units)

    report = sub.add_parser("report", help="the ingest report: units per kind, tables, every removed span")
    report.set_defaults(func=_cmd_report)

    index = sub.add_parser("index", help="build (or check and load) the BM25 and FAISS indexes")
    index.add_argument("--force", action="store_true", help="rebuild even when a valid index exists")
    index.set_defaults(func=_cmd_index)

    search = sub.add_parser("search", help="ranked units for a query")
    search.add_argument("query")
    search.add_argument("--top-k", type=int, default=10)
    search.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_cmd_search)

    ask = sub.add_parser("ask", help="answer a question with citations (--json: the /api/ask object)")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=_cmd_ask)

    serve = sub.add_parser("serve", help="serve the API, the OpenAI-compatible endpoint and the widget demo")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_cmd_serve)

    bench = sub.add_parser("bench", help="latency, throughput, build and start-up time, peak memory")
    bench.add_argument("--skip-build", action="store_true", help="do not measure the cold index build")
    bench.set_defaults(func=_cmd_bench)

    tune = sub.add_parser("tune", help="tune fusion weights and abstention thresholds on the tune split")
    tune.set_defaults(func=_cmd_tune)

    for module_name in ("ingest.addfile", "eval.runner", "qa.loadtest"):
        module = __import__(module_name, fromlist=["register_cli"])
        module.register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
