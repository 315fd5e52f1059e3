"""Load test: many /api/ask requests from concurrent clients, bounded in count and wall-clock time.

Each round sends `total` requests from `concurrency` threads (one keep-alive httpx client
each) and reports throughput, latency percentiles, errors and, when the server's pid is
given, its resident memory before and after the round. Loopback use only: the server must
be started with a rate limit above the load (e.g. LANDQA_RATE_LIMIT_PER_MINUTE=1000000).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Varied questions: lookups, computations, plans, drafts, places outside the corpus, noise.
DEFAULT_QUESTIONS: tuple[str, ...] = (
    "宅基地申请要公示几天？",
    "征地补偿款多久要付清？",
    "对土地权属争议的处理决定不服，多长时间内能去法院起诉？",
    "巴楚县2025年国有建设用地供应计划总面积是多少？",
    "喀什地区十四五期间耕地保有量目标是多少？",
    "非法占用耕地建房怎么处罚？",
    "临时用地期限一般不超过几年？",
    "全域土地综合整治要坚持哪些原则？",
    "新疆土地资源十四五规划的主要目标有哪些？",
    "农村村民一户能有几处宅基地？",
    "上海市的土地出让金怎么算？",
    "土地的电子证照跟纸质证书效力一样吗",
    "2030年巴楚县供地多少公顷？",
    "今天天气怎么样",
)
MAX_ERROR_SAMPLES = 10


def rss_kb(pid: int | None) -> int | None:
    """Resident set size of a process in KiB (Linux /proc), or None when unknown."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def run_load(
    base_url: str,
    total: int,
    concurrency: int,
    questions: list[str] | tuple[str, ...] = DEFAULT_QUESTIONS,
    *,
    pid: int | None = None,
    time_limit_s: float = 600.0,
    request_timeout_s: float = 30.0,
    path: str = "/api/ask",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Send up to `total` POST {path} requests from `concurrency` threads; stop early at `time_limit_s`.

    A request counts as an error unless it returns 200 with a JSON body holding `answer`
    and `citations`; transport failures and timeouts are errors too.
    """
    if total < 1 or concurrency < 1 or not questions:
        raise ValueError("total, concurrency and questions must be positive / non-empty")
    questions = list(questions)
    url = base_url.rstrip("/") + path
    lock = threading.Lock()
    next_index = 0
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    error_samples: list[str] = []
    errors = 0
    started = time.perf_counter()
    deadline = started + time_limit_s

    def take() -> int | None:
        nonlocal next_index
        with lock:
            if next_index >= total or time.perf_counter() >= deadline:
                return None
            next_index += 1
            return next_index - 1

    def record(latency: float, status: str, problem: str | None) -> None:
        nonlocal errors
        with lock:
            latencies.append(latency)
            statuses[status] += 1
            if problem is not None:
                errors += 1
                if len(error_samples) < MAX_ERROR_SAMPLES:
                    error_samples.append(problem)

    import httpx  # here, not at the top: `landqa` imports this module for every command, `serve` included

    def worker() -> None:
        with httpx.Client(timeout=request_timeout_s, headers=headers) as client:
            while (index := take()) is not None:
                question = questions[index % len(questions)]
                t0 = time.perf_counter()
                problem: str | None = None
                try:
                    response = client.post(url, json={"question": question})
                    status = str(response.status_code)
                    if response.status_code != 200:
                        problem = f"{status}: {response.text[:200]}"
                    else:
                        body = response.json()
                        if not isinstance(body, dict) or "answer" not in body or "citations" not in body:
                            problem = f"200 without answer: {response.text[:200]}"
                except (httpx.HTTPError, ValueError) as exc:
                    status = type(exc).__name__
                    problem = f"{status}: {exc}"
                record((time.perf_counter() - t0) * 1000, status, problem)

    rss_before = rss_kb(pid)
    threads = [threading.Thread(target=worker, name=f"load-{i}", daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each request is bounded by its own timeout, so the join is bounded too.
        thread.join(max(0.0, deadline - time.perf_counter()) + request_timeout_s + 5)
    wall = time.perf_counter() - started
    rss_after = rss_kb(pid)
    with lock:
        ordered = sorted(latencies)
        sent = len(ordered)
        summary: dict[str, Any] = {
            "url": url,
            "requested": total,
            "concurrency": concurrency,
            "sent": sent,
            "ok": sent - errors,
            "errors": errors,
            "unfinished": total - sent,
            "stopped_by_time_limit": sent < total,
            "statuses": dict(statuses),
            "error_samples": list(error_samples),
            "wall_s": round(wall, 3),
            "throughput_rps": round(sent / wall, 2) if wall > 0 else None,
            "latency_ms": {
                "p50": _round(percentile(ordered, 50)),
                "p95": _round(percentile(ordered, 95)),
                "p99": _round(percentile(ordered, 99)),
                "max": _round(ordered[-1] if ordered else None),
                "mean": _round(sum(ordered) / sent if sent else None),
            },
            "server_pid": pid,
            "rss_kb_before": rss_before,
            "rss_kb_after": rss_after,
        }
    return summary


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def run_rounds(
    base_url: str,
    total: int,
    concurrency: int,
    rounds: int = 2,
    questions: list[str] | tuple[str, ...] = DEFAULT_QUESTIONS,
    *,
    pid: int | None = None,
    warmup: int = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Several rounds of `run_load`; memory growth is measured between the ends of the rounds.

    The first round pays for one-off allocations (thread pools, caches, allocator arenas);
    steady state means later rounds end with about the same RSS as the first.
    """
    if warmup:
        run_load(base_url, warmup, concurrency, questions, pid=pid, **kwargs)
    results = [run_load(base_url, total, concurrency, questions, pid=pid, **kwargs) for _ in range(rounds)]
    after = [r["rss_kb_after"] for r in results]
    growth = after[-1] - after[0] if len(after) > 1 and None not in after else None
    return {
        "rounds": results,
        "total_sent": sum(r["sent"] for r in results),
        "total_errors": sum(r["errors"] for r in results),
        "rss_growth_kb_between_rounds": growth,
    }


@contextlib.contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", log_level: str = "warning", port: int = 0) -> Iterator[str]:
    """Run an ASGI app under uvicorn in a background thread on a loopback port (a free one unless `port` is given, for
    an app whose settings must name its own origin); yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def _read_questions(path: Path) -> list[str]:
    """Questions from a text file (one a line) or JSONL with a `question` field."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            out.append(str(json.loads(line)["question"]))
        else:
            out.append(line)
    return out


def _format(report: dict[str, Any]) -> str:
    lines = []
    for number, r in enumerate(report["rounds"], 1):
        lat = r["latency_ms"]
        rss = f", RSS {r['rss_kb_before']}→{r['rss_kb_after']} KiB" if r["rss_kb_after"] is not None else ""
        lines.append(
            f"round {number}: {r['sent']}/{r['requested']} requests, {r['errors']} errors, "
            f"{r['throughput_rps']} req/s, p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, "
            f"max {lat['max']} ms{rss}"
        )
        lines.extend(f"  error: {sample}" for sample in r["error_samples"])
    growth = report["rss_growth_kb_between_rounds"]
    growth_note = f", RSS growth between rounds {growth} KiB" if growth is not None else ""
    lines.append(f"total: {report['total_sent']} requests, {report['total_errors']} errors{growth_note}")
    return "\n".join(lines)


def _cmd_loadtest(args: argparse.Namespace) -> int:
    questions = _read_questions(Path(args.questions)) if args.questions else list(DEFAULT_QUESTIONS)
    report = run_rounds(
        args.url, args.total, args.concurrency, args.rounds, questions,
        pid=args.pid, warmup=args.warmup, time_limit_s=args.time_limit, request_timeout_s=args.timeout,
    )
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else _format(report))
    return 0 if report["total_errors"] == 0 and all(not r["stopped_by_time_limit"] for r in report["rounds"]) else 1


def register_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Add `landqa loadtest` to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "loadtest",
        help="load-test a running server's /api/ask (start it with a high LANDQA_RATE_LIMIT_PER_MINUTE)",
        description="Send --total POST /api/ask requests from --concurrency clients per round; report throughput, latency percentiles, errors and server RSS.",
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="server base URL (default %(default)s)")
    parser.add_argument("--total", type=int, default=2000, help="requests per round (default %(default)s)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=0, help="unmeasured requests before the rounds")
    parser.add_argument("--pid", type=int, help="server process id, to report its RSS before/after each round")
    parser.add_argument("--time-limit", type=float, default=600.0, help="wall-clock limit per round in seconds (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (default %(default)s)")
    parser.add_argument("--questions", help="questions file: one per line, or JSONL with a question field")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.set_defaults(func=_cmd_loadtest)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="landqa-loadtest")
    sub = parser.add_subparsers(dest="command", required=True)
    register_cli(sub)
    args = parser.parse_args(["loadtest", *(argv or [])])
    return int(args.func(args))


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
