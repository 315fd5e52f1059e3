"""`landqa bench`: cold build, start-up, warm latency, throughput and peak memory, as a table."""
from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

from qa.config import load_settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    """VmHWM: the peak resident set size of the process so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bench_questions() -> list[str]:
    from eval.questions import load_questions

    return [q.question for q in load_questions()]


def cold_build_seconds(build_dir: Path) -> float:
    """Build the indexes from scratch in a scratch build dir (the converted model is reused)."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        if (build_dir / "models").exists():
            shutil.copytree(build_dir / "models", scratch_dir / "models")
        code = (
            "import time,sys; from pathlib import Path; from qa.config import Settings; from qa.engine import load_engine;"
            f"t=time.perf_counter(); load_engine(Settings(build_dir=Path({str(scratch_dir)!r}))); print(time.perf_counter()-t)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return round(float(out.stdout.strip().splitlines()[-1]), 1)


def run_bench(requests_per_client: int = 25, concurrency: int = 8, skip_build: bool = False) -> dict[str, object]:
    settings = load_settings()
    questions = bench_questions()
    results: dict[str, object] = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", "questions": len(questions)}
    if not skip_build:
        results["cold_build_s"] = cold_build_seconds(settings.build_dir)
    port = _free_port()
    env = {**os.environ, "LANDQA_RATE_LIMIT_PER_MINUTE": "1000000"}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "qa.api.app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise RuntimeError("server did not become ready")
                time.sleep(0.2)
            results["startup_s"] = round(time.perf_counter() - started, 1)
            for question in questions[:10]:  # warm-up
                client.post("/api/ask", json={"question": question})
            latencies = []
            for question in questions:
                t = time.perf_counter()
                response = client.post("/api/ask", json={"question": question})
                latencies.append((time.perf_counter() - t) * 1000)
                response.raise_for_status()
            results["ask_p50_ms"] = round(statistics.median(latencies), 1)
            results["ask_p95_ms"] = round(_percentile(latencies, 0.95), 1)

        def client_run(offset: int) -> int:
            errors = 0
            with httpx.Client(base_url=base, timeout=30) as own:
                for i in range(requests_per_client):
                    if own.post("/api/ask", json={"question": questions[(offset * 7 + i) % len(questions)]}).status_code != 200:
                        errors += 1
            return errors

        t = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            errors = sum(pool.map(client_run, range(concurrency)))
        elapsed = time.perf_counter() - t
        results["throughput_rps_at_%d" % concurrency] = round(concurrency * requests_per_client / elapsed, 1)
        results["errors"] = errors
        results["server_peak_rss_mb"] = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def print_table(results: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="landqa bench")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in results.items():
        table.add_row(key, str(value))
    Console().print(table)


def main(args: object) -> int:
    results = run_bench(skip_build=bool(getattr(args, "skip_build", False)))
    print_table(results)
    out = load_settings().build_dir / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
