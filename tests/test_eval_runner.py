"""The eval runner: CLI registration, chunk-to-unit mapping of the llama-index baseline, an end-to-end run on a few questions."""
from __future__ import annotations

import argparse
import json
import zlib

import numpy as np
import pytest

from eval import report, runner
from eval.baseline import BaselineHit, LlamaIndexBaseline, units_in_span
from eval.metrics import aggregate
from eval.questions import load_questions
from ingest.units import Unit


class FakeEmbedder:
    """Bag-of-characters vectors: deterministic and fast, enough to exercise the plumbing."""

    model_id = "fake-chars"
    dim = 64

    def _vectors(self, texts):
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for ch in text:
                out[i, zlib.crc32(ch.encode()) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    encode_queries = _vectors
    encode_passages = _vectors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="landqa")
    runner.add_cli(parser.add_subparsers(dest="command"))
    return parser


def test_cli_registration_and_defaults():
    args = _parser().parse_args(["eval"])
    assert args.split == "test" and not args.gate and args.func is runner.main
    args = _parser().parse_args(["eval", "--split", "all", "--gate", "--no-baseline", "--limit", "3"])
    assert (args.split, args.gate, args.no_baseline, args.limit) == ("all", True, True, 3)
    with pytest.raises(SystemExit):
        _parser().parse_args(["eval", "--split", "dev"])
    assert runner.register_cli is runner.add_cli


def test_gate_refuses_a_split_other_than_the_thresholds(capsys):
    args = _parser().parse_args(["eval", "--split", "tune", "--gate"])
    assert runner.main(args) == 2
    assert "thresholds are for the 'test' split" in capsys.readouterr().err


def test_units_in_span_needs_half_a_unit_or_a_chunk_inside_it():
    def unit(uid: str, spans: list[tuple[int, int]]) -> Unit:
        return Unit(id=uid, doc_id="d", kind="article", label=uid, short_label=uid, text="", spans=spans)

    units = [unit("a", [(0, 100)]), unit("b", [(100, 200)]), unit("c", [(200, 1000)]), unit("child", [])]
    assert units_in_span(units, 40, 210) == ["b", "a"]  # a: 60 of 100 characters; c only grazed
    assert units_in_span(units, 300, 400) == ["c"]  # the chunk lies inside a long unit
    assert units_in_span(units, 0, 30) == ["a"]
    assert units_in_span(units, 1000, 1100) == []


def test_llamaindex_baseline_chunks_map_to_units_of_their_document(corpus, tmp_path):
    baseline = LlamaIndexBaseline(corpus, FakeEmbedder(), cache_dir=tmp_path)
    assert baseline.stats["chunks"] > 20
    assert {d.id for d in corpus.catalog.documents} == {doc for doc, *_ in baseline.chunks.values()}
    for doc_id, start, end, unit_ids in baseline.chunks.values():
        assert 0 <= start < end
        assert all(corpus.unit(u).doc_id == doc_id for u in unit_ids)
    assert sum(1 for *_, u in baseline.chunks.values() if u) / len(baseline.chunks) > 0.9
    hits = baseline.retrieve("宅基地面积标准 人均耕地 每户住宅用地不得超过", 5)
    assert len(hits) == 5 and all(h.unit_ids is not None for h in hits)
    assert list(tmp_path.glob("llamaindex-chunks-*.npy")), "chunk vectors are cached"
    again = LlamaIndexBaseline(corpus, FakeEmbedder(), cache_dir=tmp_path)

    def spans(hits: list[BaselineHit]) -> list[tuple[str, int, int]]:
        return [(h.doc_id, h.start, h.end) for h in hits]

    assert spans(again.retrieve("宅基地面积标准", 3)) == spans(baseline.retrieve("宅基地面积标准", 3))


@pytest.mark.slow
def test_evaluate_end_to_end_on_one_question_per_type(engine, tmp_path):
    questions = load_questions()
    picked = list({q.type: q for q in questions}.values())
    records = runner.evaluate(engine, picked)
    assert [r["id"] for r in records] == [q.id for q in picked]
    for record in records:
        assert set(record["retrieval"]) == set(runner.ENGINE_MODES)
        assert record["ask"]["answer"] and record["ask"]["ms"] > 0
        assert record["scores"]["correct"] in (True, False)
    metrics = aggregate(records, list(runner.ENGINE_MODES), [d.id for d in engine.corpus.catalog.documents])
    result = {"meta": {"split": "test", "questions": len(records), "commit": None, "created": "now", "duration_s": 1.0},
              "metrics": metrics, "ratios": runner.baseline_ratios(metrics), "records": records}
    text = report.render_text(result)
    assert "hit@1" in text and "By type" in text
    html_path = tmp_path / "report.html"
    report.write_html(result, html_path)
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "http" not in page.split("<body>", 1)[1].replace("http://www.w3.org/2000/svg", "")
    json.dumps(result, ensure_ascii=False)  # the JSON report is serializable
