"""The `landqa` command line: ingest, units, search, ask, serve, eval, bench."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _cmd_units(args: argparse.Namespace) -> int:
    from ingest.pipeline import build_corpus

    corpus = build_corpus()
    for unit in corpus.units:
        if args.doc and unit.doc_id != args.doc:
            continue
        if args.json:
            print(json.dumps(unit.model_dump(mode="json"), ensure_ascii=False))
        else:
            print(f"{unit.id}\t{unit.short_label}\t{unit.text[:60]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="landqa", description="landqa: 土地管理法规与规划问答")
    sub = parser.add_subparsers(dest="command", required=True)
    units = sub.add_parser("units", help="print every unit (one JSON object per line with --json)")
    units.add_argument("--doc", help="only this document id")
    units.add_argument("--json", action="store_true")
    units.set_defaults(func=_cmd_units)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
