"""The serving side of the `landqa` command line: units, report, ingest, index, search, ask, serve.

Every command module exposes `register(subparsers)`; a handler takes the parsed arguments and
the Settings built once in `main`, and returns the exit code. Developer commands (eval, tune,
bench, loadtest) live in eval/, which qa never imports: eval/cli.py, the `landqa` console
script, calls `main` with qa's `register` and theirs.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ingest.catalog import corpus_problem
from qa.config import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # argparse names its subparsers action privately; the type exists for the checker only
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
Handler = Callable[[argparse.Namespace, Settings], int]
Registrar = Callable[["Subparsers"], object]


def _note_empty(settings: Settings) -> None:
    problem = corpus_problem(settings.corpus_dir)
    if problem:
        print(problem, file=sys.stderr)


def _cmd_units(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import build_corpus

    _note_empty(settings)
    corpus = build_corpus(settings.corpus_dir, settings.build_dir)
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


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import build_corpus, ingest_report

    _note_empty(settings)
    print(json.dumps(ingest_report(build_corpus(settings.corpus_dir, settings.build_dir)), ensure_ascii=False, indent=1))
    return 0


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.addfile import add_document
    from ingest.reader import DocumentError

    corpus_dir = Path(args.corpus_dir) if args.corpus_dir else settings.corpus_dir
    try:
        added = add_document(Path(args.file), corpus_dir, doc_id=args.id, title=args.title, status=args.status, region=args.region, kind=args.kind)
    except DocumentError as error:
        print(str(error), file=sys.stderr)
        return 2
    doc = added.document
    print(f"{doc.id}\t{len(added.parsed.units)} units\t{doc.parser}\t{corpus_dir / doc.file}")
    return 0


def _cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from qa.engine import load_engine

    engine = load_engine(settings, force_rebuild=args.force)
    print(f"index ready: {engine.index.directory} ({len(engine.index.units)} units, model {engine.index.model_id})")
    return 0


def _cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from qa.engine import load_engine
    from qa.schemas import SearchRequest

    query = SearchRequest(query=args.query, top_k=args.top_k).query
    engine = load_engine(settings)
    for hit in engine.search(query, args.top_k, args.mode):
        if args.json:
            scores = {"score": round(hit.score, 4), "bm25": round(hit.bm25, 3), "dense": round(hit.dense, 3)}
            print(json.dumps({"id": hit.unit.id, "label": hit.unit.label, **scores, "text": hit.unit.text}, ensure_ascii=False))
        else:
            print(f"{hit.score:.3f}\t{hit.unit.id}\t{hit.unit.label}\n\t{hit.unit.text[:120]}")
    return 0


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import ValidationError

    from qa.engine import load_engine
    from qa.schemas import AskRequest

    try:
        request = AskRequest(question=args.question, top_k=args.top_k)
    except ValidationError as exc:
        print("; ".join(str(e["msg"]) for e in exc.errors()), file=sys.stderr)
        return 2
    result = load_engine(settings).ask(request.question, request.top_k)
    if args.json:
        print(result.model_dump_json(indent=1))
        return 0
    print(result.answer)
    for computation in result.computations:
        inputs = json.dumps(computation.inputs, ensure_ascii=False)
        print(f"\n[计算 {computation.rule}] {computation.title}\n  结果：{computation.result}\n  公式：{computation.formula}\n  输入：{inputs}")
    print("\n引用 / citations:")
    for c in result.citations:
        print(f"  {c.score:.3f} {c.id}  {c.label}（{c.status}）")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from qa.serve import serve

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    print(f"landqa: http://{settings.host}:{settings.port}/widget/demo  (API docs: /docs)")
    serve(settings, args.workers)
    return 0


def _cmd_feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.atomic import write_text_atomic
    from qa.feedback import FeedbackStoreError, export_lines, store_for

    store = store_for(settings.build_dir)
    try:
        lines = export_lines(store, args.rating)
    except FeedbackStoreError as exc:
        print(f"无法读取反馈库 / cannot read the feedback store: {exc}", file=sys.stderr)
        return 2
    if args.out:
        try:
            write_text_atomic(args.out, "".join(f"{line}\n" for line in lines))
        except OSError as exc:
            print(f"无法写入 / cannot write {args.out}: {exc}", file=sys.stderr)
            return 2
        print(f"{len(lines)} 条候选评测题 / candidate eval lines -> {args.out} (reviewed: false)", file=sys.stderr)
    else:
        for line in lines:
            print(line)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add the serving commands to the `landqa` parser."""
    units = subparsers.add_parser("units", help="print every unit (one JSON object per line with --json)")
    units.add_argument("--doc", help="only this document id")
    units.add_argument("--json", action="store_true")
    units.set_defaults(func=_cmd_units, needs_corpus=False)

    report = subparsers.add_parser("report", help="the ingest report: units per kind, tables, every removed span")
    report.set_defaults(func=_cmd_report, needs_corpus=False)

    ingest = subparsers.add_parser(
        "ingest",
        help="add a document (.txt UTF-8/GB18030, .md, .docx) to the corpus and catalog",
        description="导入新文档到语料库 / add a new document to the corpus. Exit code 2 if the file cannot be read or parsed; nothing is written then.",
    )
    ingest.add_argument("file", metavar="FILE", help="the document to add")
    ingest.add_argument("--id", help="document id (default: from the file name)")
    ingest.add_argument("--title", help="title (default: the first line of the text)")
    ingest.add_argument("--status", help="status (default: 征求意见稿 if the title says so, else 现行)")
    ingest.add_argument("--region", help="region (default: 未注明)")
    ingest.add_argument("--kind", help="kind of document, e.g. 地方性法规, 规划 (default: 未注明)")
    ingest.add_argument("--corpus-dir", help="corpus directory holding catalog.json (default: LANDQA_CORPUS_DIR, else the project's corpus/)")
    ingest.set_defaults(func=_cmd_ingest, needs_corpus=False)  # add_document explains a missing catalog itself

    index = subparsers.add_parser("index", help="build (or check and load) the BM25 and FAISS indexes")
    index.add_argument("--force", action="store_true", help="rebuild even when a valid index exists")
    index.set_defaults(func=_cmd_index)

    search = subparsers.add_parser("search", help="ranked units for a query")
    search.add_argument("query")
    search.add_argument("--top-k", type=int, default=10)
    search.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_cmd_search)

    ask = subparsers.add_parser("ask", help="answer a question with citations (--json: the /api/ask object)")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=_cmd_ask)

    serve = subparsers.add_parser("serve", help="serve the API, the OpenAI-compatible endpoint and the widget demo")
    serve.add_argument("--host", help="default: LANDQA_HOST, else 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: LANDQA_PORT, else 8000")
    serve.add_argument("--workers", type=int, help="worker processes sharing one loaded engine (default: one per core)")
    serve.set_defaults(func=_cmd_serve)

    feedback = subparsers.add_parser("feedback", help="staff feedback on answers (👍/👎 from the widget and /api/feedback)")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", required=True)
    export = feedback_sub.add_parser("export", help="candidate eval lines (eval/questions.jsonl format, reviewed: false) for a person to review")
    export.add_argument("--out", type=Path, help="write to this file (atomically) instead of standard output")
    export.add_argument("--rating", choices=["up", "down"], help="only 👍 or only 👎")
    export.set_defaults(func=_cmd_feedback_export, needs_corpus=False)


def build_parser(registrars: Iterable[Registrar] = (register,)) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="landqa", description="landqa：土地管理法规与规划问答 / QA over land-administration texts")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add_commands in registrars:
        add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None, registrars: Iterable[Registrar] = (register,)) -> int:
    """Parse, build the Settings once, refuse commands that need documents when the corpus has none, run."""
    args = build_parser(registrars).parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if getattr(args, "needs_corpus", True):
        problem = corpus_problem(settings.corpus_dir)
        if problem:
            print(problem, file=sys.stderr)
            return 2
    handler: Handler = args.func
    try:
        return int(handler(args, settings) or 0)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed stream for the interpreter's exit flush
        return 141


if __name__ == "__main__":
    sys.exit(main())
