"""Load, short form: 2 rounds of 200 /api/ask requests from 8 concurrent clients on loopback.

Zero errors, and no memory growth between the rounds beyond a generous bound. The long form
(2 000 requests at 16 clients against a separate `uvicorn` process) is a command in the README:
`landqa loadtest --total 2000 --concurrency 16 --rounds 2 --pid <server pid>`.
"""
from __future__ import annotations

import os

import pytest

from eval.loadtest import DEFAULT_QUESTIONS, percentile, rss_kb, run_load, run_rounds, serve_in_thread
from qa.api.app import create_app
from qa.config import Settings

TOTAL = 200
CONCURRENCY = 8
MAX_GROWTH_KB = 64 * 1024  # between the ends of round 1 and round 2; the process holds ~1.5 GB


def test_short_load_has_no_errors_and_no_memory_growth(engine, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(Settings(rate_limit_per_minute=10**9), engine=engine)
    with serve_in_thread(app) as url:
        # The server runs in this process, so its RSS is this process's.
        report = run_rounds(url, TOTAL, CONCURRENCY, rounds=2, pid=os.getpid(), warmup=2 * CONCURRENCY, time_limit_s=300, request_timeout_s=60)
    for number, result in enumerate(report["rounds"], 1):
        assert result["sent"] == TOTAL, result
        assert result["errors"] == 0, result["error_samples"]
        assert result["statuses"] == {"200": TOTAL}
        assert result["latency_ms"]["p50"] <= result["latency_ms"]["p95"] <= result["latency_ms"]["p99"] <= result["latency_ms"]["max"]
        with capsys.disabled():
            lat = result["latency_ms"]
            print(
                f"\nload round {number}: {TOTAL} requests x{CONCURRENCY}, {result['throughput_rps']} req/s, "
                f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, RSS {result['rss_kb_before']}->{result['rss_kb_after']} KiB"
            )
    assert report["total_errors"] == 0
    growth = report["rss_growth_kb_between_rounds"]
    assert growth is not None and growth < MAX_GROWTH_KB, report


def test_run_load_counts_errors_and_stops_at_the_time_limit(engine) -> None:
    app = create_app(Settings(rate_limit_per_minute=5), engine=engine)  # most requests get 429
    with serve_in_thread(app) as url:
        limited = run_load(url, 20, 4, DEFAULT_QUESTIONS[:2])
        assert limited["sent"] == 20 and limited["errors"] >= 15
        assert limited["statuses"].get("429", 0) == limited["errors"]
        assert limited["error_samples"] and limited["error_samples"][0].startswith("429")
        bounded = run_load(url, 10_000, 2, ["x"], time_limit_s=0.5)
        assert bounded["stopped_by_time_limit"] and bounded["sent"] < 10_000
    refused = run_load("http://127.0.0.1:9", 3, 1, ["x"], request_timeout_s=2)  # nothing listens on port 9
    assert refused["errors"] == 3 and refused["ok"] == 0


def test_helpers() -> None:
    assert percentile([], 50) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 99) == 99.0
    own = rss_kb(os.getpid())
    assert own is not None and own > 0
    assert rss_kb(None) is None
