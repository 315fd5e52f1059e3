"""`landqa bench --scale`: the growth curve over synthetic corpora of 10^3 … 10^6 units made from the real ones.

A synthetic unit joins the first half of one real unit's BM25 tokens to the second half of
another's (so tokens and lengths stay those of the corpus), and its vector is the normalised
mixture w·a + (1−w)·b of the two real units' vectors, w uniform in [0.3, 0.7]; encoding a
million units would take hours on 2 cores (the measured cost per unit is reported and
extrapolated instead). The queries are the evaluation questions, encoded by the served
encoder. Each size runs in its own process, so its peak RSS is its own; FAISS searches use
one thread, as one server worker does.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from qa.config import Settings

SIZES = (1_000, 10_000, 100_000, 1_000_000)
TOP_K = 10
HNSW_M = 32
HNSW_EF_SEARCH = 64
SEED = 12


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 3)


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def real_material(settings: Settings, work: Path) -> dict[str, Any]:
    """Token ids and vectors of the real units, the questions' token ids and vectors, and the encoder's cost per unit."""
    from eval.questions import load_questions
    from ingest.nodes import retrieval_text
    from qa import tokenize
    from qa.embedding import Embedder
    from qa.engine import load_engine
    from qa.index import embed_in_length_order, indexed_units

    engine = load_engine(settings)
    embedder = engine.embedder
    assert isinstance(embedder, Embedder), embedder
    units = indexed_units(engine.corpus)
    texts = [retrieval_text(u, engine.corpus.document(u.doc_id)) for u in units]
    vocab: dict[str, int] = {}
    unit_tokens = [[vocab.setdefault(t, len(vocab)) for t in tokenize.tokenize(text)] for text in texts]
    questions = [q.question for q in load_questions()]
    query_tokens = [[vocab[t] for t in tokenize.tokenize(tokenize.expand_query(q)) if t in vocab] for q in questions]
    vectors = engine.index.faiss_index.reconstruct_n(0, engine.index.faiss_index.ntotal)
    embedder.set_threads(len(os.sched_getaffinity(0)))
    started, cpu = time.perf_counter(), time.process_time()
    embed_in_length_order(embedder, texts, progress=False)
    encode_s, encode_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    np.save(work / "unit_vectors.npy", vectors.astype(np.float32))
    np.save(work / "query_vectors.npy", embedder.encode_queries(questions))
    (work / "tokens.json").write_text(json.dumps({"units": unit_tokens, "queries": query_tokens, "vocab": len(vocab)}), encoding="utf-8")
    return {
        "real_units": len(units),
        "encoder": embedder.variant,
        "encode_real_units_s": round(encode_s, 2),
        "encode_ms_per_unit": round(1000 * encode_s / len(units), 2),
        # CPU time does not grow when other work shares the box; wall time on idle cores is about half of it (2 threads).
        "encode_cpu_ms_per_unit": round(1000 * encode_cpu_s / len(units), 2),
        "mean_tokens_per_unit": round(float(np.mean([len(t) for t in unit_tokens])), 1),
    }


def _synthesize(size: int, work: Path) -> tuple[list[list[int]], np.ndarray, dict[str, Any], np.ndarray]:
    data = json.loads((work / "tokens.json").read_text(encoding="utf-8"))
    units, real = data["units"], np.load(work / "unit_vectors.npy")
    rng = np.random.default_rng(SEED + size)
    first, second = rng.integers(0, len(units), size), rng.integers(0, len(units), size)
    weight = rng.uniform(0.3, 0.7, size).astype(np.float32)[:, None]
    vectors = np.empty((size, real.shape[1]), np.float32)
    step = 200_000
    for start in range(0, size, step):  # in slices: no second copy of a 1.5 GB matrix
        end = min(size, start + step)
        mixed = weight[start:end] * real[first[start:end]] + (1 - weight[start:end]) * real[second[start:end]]
        vectors[start:end] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    tokens = [units[a][: len(units[a]) // 2] + units[b][len(units[b]) // 2 :] for a, b in zip(first.tolist(), second.tolist(), strict=True)]
    return tokens, vectors, data, np.load(work / "query_vectors.npy")


def measure_size(size: int, work: Path) -> dict[str, Any]:
    """One corpus size: build, size on disk, p50/p95 per query and recall@10 of HNSW (run in a child process)."""
    import bm25s
    import faiss
    from bm25s.tokenization import Tokenized

    started = time.perf_counter()
    tokens, vectors, data, queries = _synthesize(size, work)
    out: dict[str, Any] = {"units": size, "synthesize_s": round(time.perf_counter() - started, 1), "rss_after_synthesis_mb": _rss_mb()}
    threads = len(os.sched_getaffinity(0))
    store = Path(tempfile.mkdtemp(dir=work, prefix=f"size{size}-"))

    rss = _rss_mb()
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(Tokenized(ids=tokens, vocab={str(i): i for i in range(data["vocab"])}), show_progress=False)
    out["bm25"] = {"build_s": round(time.perf_counter() - started, 2), "rss_mb": round(_rss_mb() - rss, 1)}
    del tokens
    bm25.save(str(store / "bm25"), show_progress=False)
    out["bm25"]["size_mb"] = _dir_mb(store / "bm25")
    times = []
    for query in data["queries"]:
        query_ids = [str(t) for t in query]
        t = time.perf_counter()
        scores = bm25.get_scores(query_ids) if query_ids else np.zeros(size, np.float32)
        np.argpartition(-scores, min(TOP_K, size - 1))[:TOP_K]
        times.append((time.perf_counter() - t) * 1000)
    out["bm25"].update(p50_ms=_p(times, 0.5), p95_ms=_p(times, 0.95))
    del bm25

    faiss.omp_set_num_threads(threads)
    rss = _rss_mb()
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    out["flat"] = {"build_s": round(time.perf_counter() - started, 2), "rss_mb": round(_rss_mb() - rss, 1)}
    faiss.write_index(flat, str(store / "flat.index"))
    out["flat"]["size_mb"] = round((store / "flat.index").stat().st_size / 2**20, 1)
    rss = _rss_mb()
    started = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.add(vectors)
    out["hnsw"] = {"build_s": round(time.perf_counter() - started, 2), "rss_mb": round(_rss_mb() - rss, 1), "M": HNSW_M, "ef_search": HNSW_EF_SEARCH}
    del vectors
    faiss.write_index(hnsw, str(store / "hnsw.index"))
    out["hnsw"]["size_mb"] = round((store / "hnsw.index").stat().st_size / 2**20, 1)
    hnsw.hnsw.efSearch = HNSW_EF_SEARCH

    faiss.omp_set_num_threads(1)  # one query in one worker
    exact: list[set[int]] = []
    recalls = []
    for name, index in (("flat", flat), ("hnsw", hnsw)):
        times = []
        for i, query in enumerate(queries):
            t = time.perf_counter()
            _, ids = index.search(query[None, :], TOP_K)
            times.append((time.perf_counter() - t) * 1000)
            if name == "flat":
                exact.append(set(ids[0].tolist()))
            else:
                recalls.append(len(exact[i] & set(ids[0].tolist())) / TOP_K)
        out[name].update(p50_ms=_p(times, 0.5), p95_ms=_p(times, 0.95))
    out["hnsw"]["recall_at_10"] = round(float(np.mean(recalls)), 4)
    out["peak_rss_mb"] = _rss_mb("VmHWM")
    return out


def run_scale(settings: Settings, max_units: int = 100_000) -> dict[str, Any]:
    """Every size up to max_units, each in its own process; the encoder's cost per unit and its extrapolation."""
    sizes = [s for s in SIZES if s <= max_units]
    with tempfile.TemporaryDirectory(dir=settings.build_dir) as scratch:
        work = Path(scratch)
        result: dict[str, Any] = {"material": real_material(settings, work), "sizes": []}
        for size in sizes:
            print(f"scale: {size} units …", file=sys.stderr, flush=True)
            child = subprocess.run([sys.executable, "-m", "eval.scale", str(size), str(work)], capture_output=True, text=True, check=True)
            result["sizes"].append(json.loads(child.stdout.strip().splitlines()[-1]))
    per_unit_s = result["material"]["encode_ms_per_unit"] / 1000
    result["encoder_extrapolation_hours"] = {str(s): round(s * per_unit_s / 3600, 2) for s in SIZES}
    cpu_per_unit_s = result["material"]["encode_cpu_ms_per_unit"] / 1000
    result["encoder_extrapolation_cpu_hours"] = {str(s): round(s * cpu_per_unit_s / 3600, 2) for s in SIZES}
    return result


def summary_rows(scale: dict[str, Any]) -> list[tuple[str, str]]:
    material = scale["material"]
    rows = [(
        "encoder cost per unit (2 threads)",
        f"{material['encode_ms_per_unit']} ms wall, {material['encode_cpu_ms_per_unit']} ms CPU ({material['encoder']}, "
        f"{material['mean_tokens_per_unit']} BM25 tokens/unit); 10^6 units ≈ {scale['encoder_extrapolation_hours']['1000000']} h wall, "
        f"{scale['encoder_extrapolation_cpu_hours']['1000000']} CPU-hours",
    )]
    for size in scale["sizes"]:
        rows.append((
            f"{size['units']:>9,} units",
            f"BM25 {size['bm25']['build_s']} s / {size['bm25']['size_mb']} MB / p50 {size['bm25']['p50_ms']} ms; "
            f"flat {size['flat']['build_s']} s / {size['flat']['size_mb']} MB / p50 {size['flat']['p50_ms']} ms; "
            f"HNSW {size['hnsw']['build_s']} s / {size['hnsw']['size_mb']} MB / p50 {size['hnsw']['p50_ms']} ms, recall@10 {size['hnsw']['recall_at_10']}; "
            f"peak RSS {size['peak_rss_mb']} MB",
        ))
    return rows


def _svg(title: str, sizes: list[int], series: dict[str, list[float]], unit: str) -> str:
    """A log-log line chart, hand-written SVG (no plotting library on the serving side)."""
    width, height, left, bottom, top, right = 520, 300, 60, 40, 30, 110
    values = [v for vs in series.values() for v in vs if v > 0]
    y_low, y_high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    y_high = max(y_high, y_low + 1)
    x_low, x_high = math.log10(sizes[0]), math.log10(sizes[-1]) if len(sizes) > 1 else math.log10(sizes[0]) + 1

    def x(size: int) -> float:
        return left + (math.log10(size) - x_low) / max(x_high - x_low, 1e-9) * (width - left - right)

    def y(value: float) -> float:
        return top + (y_high - math.log10(max(value, 10**y_low))) / (y_high - y_low) * (height - top - bottom)

    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="16" font-size="13">{title}</text>']
    for exponent in range(y_low, y_high + 1):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(10**exponent):.1f}" y2="{y(10**exponent):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(10**exponent) + 4:.1f}" text-anchor="end">{10.0**exponent:g}</text>')
    for size in sizes:
        parts.append(f'<text x="{x(size):.1f}" y="{height - bottom + 16}" text-anchor="middle">{size:,}</text>')
    parts.append(f'<text x="{left - 45}" y="{top - 10}">{unit}</text><text x="{(width - right) / 2}" y="{height - 6}">units</text>')
    for (name, points), colour in zip(series.items(), colours, strict=False):
        path = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in zip(sizes, points, strict=True) if v > 0)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.append(f'<text x="{width - right + 8}" y="{y(points[-1]) + 4:.1f}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_html(scale: dict[str, Any], out_dir: Path) -> str:
    """The growth-curve section of the bench report; the two charts are also written as .svg files."""
    from html import escape

    sizes = [s["units"] for s in scale["sizes"]]
    charts = {
        "scale_query.svg": _svg("query time p50 (one thread)", sizes, {k: [s[k]["p50_ms"] for s in scale["sizes"]] for k in ("bm25", "flat", "hnsw")}, "ms"),
        "scale_build.svg": _svg("build time", sizes, {k: [s[k]["build_s"] for s in scale["sizes"]] for k in ("bm25", "flat", "hnsw")}, "s"),
        "scale_memory.svg": _svg("index size on disk", sizes, {k: [s[k]["size_mb"] for s in scale["sizes"]] for k in ("bm25", "flat", "hnsw")}, "MB"),
    }
    for name, svg in charts.items():
        (out_dir / name).write_text(svg, encoding="utf-8")
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in summary_rows(scale))
    return "<h2>Growth curve</h2><p>" + escape(__doc__ or "") + "</p>" + "".join(charts.values()) + f"<table border=1 cellpadding=4>{rows}</table>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scale", description="one size of the growth curve (run by landqa bench --scale)")
    parser.add_argument("size", type=int)
    parser.add_argument("work", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(measure_size(args.size, args.work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
