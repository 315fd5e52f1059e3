"""`landqa serve --workers 2`: workers forked from one loaded engine answer, torch and the build-time libraries are never loaded, SIGTERM stops them all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.bench import free_port, process_tree

ROOT = Path(__file__).resolve().parent.parent
HEAVY_MODULES = ("torch", "transformers", "sentence_transformers", "llama_index", "tokenizers")


@pytest.fixture(scope="module")
def server(engine) -> Iterator[tuple[subprocess.Popen[bytes], str]]:  # the session engine: the index is built before the server starts
    port = free_port()
    env = {**os.environ, "LANDQA_RATE_LIMIT_PER_MINUTE": "100000"}
    process = subprocess.Popen([sys.executable, "-m", "eval.cli", "serve", "--port", str(port), "--workers", "2"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("landqa serve --workers 2 did not become ready")
        time.sleep(0.1)
    yield process, base
    if process.poll() is None:
        process.kill()
        process.wait(10)


def test_two_workers_answer(server: tuple[subprocess.Popen[bytes], str]) -> None:
    process, base = server
    deadline = time.monotonic() + 20  # the second worker is forked a moment after the first
    while len(process_tree(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(process_tree(process.pid)) == 3  # the gunicorn master holding the engine, and two workers
    with httpx.Client(base_url=base, timeout=30) as client:
        answers = [client.post("/api/ask", json={"question": "临时用地由谁审批？"}) for _ in range(6)]
    assert all(r.status_code == 200 for r in answers)
    assert len({r.json()["answer"] for r in answers}) == 1  # every worker gives the same answer
    assert answers[0].json()["citations"]


def test_no_server_process_maps_torch(server: tuple[subprocess.Popen[bytes], str]) -> None:
    process, _ = server
    for pid in process_tree(process.pid):
        assert "libtorch" not in Path(f"/proc/{pid}/maps").read_text(), pid


def test_serving_imports_no_heavy_module(engine) -> None:
    """What a worker holds: the engine loaded and a question answered, none of the modules only building needs."""
    code = (
        "import sys; import qa.serve, qa.api.app; from qa.engine import load_engine;"
        "load_engine().ask('未经批准占用一般耕地2000平方米罚多少？');"
        f"loaded = [m for m in {HEAVY_MODULES!r} if m in sys.modules]; assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=300)


def test_sigterm_stops_every_process(server: tuple[subprocess.Popen[bytes], str]) -> None:
    process, _ = server
    pids = process_tree(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    time.sleep(0.5)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()]


def test_the_master_warms_up_without_an_onnx_session(engine) -> None:
    """The fork's master answers once with a stand-in query vector: no session to drop, and the real encoder serves after."""
    from qa.serve import warm_up_without_session

    engine.embedder.release()
    warm_up_without_session(engine)
    assert engine.embedder.encoder._session is None
    assert "query_vector" not in vars(engine.ranker)
    vector = engine.ranker.query_vector("临时用地谁审批")
    assert abs(float((vector * vector).sum()) - 1.0) < 1e-5
    assert engine.ask("临时用地谁审批").citations[0].doc_id == "xj-measures"


def test_a_one_thread_session_made_before_a_fork_serves_the_child(engine) -> None:
    """Workers of one thread each inherit the master's session (no thread pool to lose); a session with a pool is made again."""
    import multiprocessing

    import numpy as np

    embedder = engine.embedder
    threads = embedder.encoder.threads
    _forked["engine"] = engine  # a forked child inherits it: nothing is pickled
    try:
        embedder.set_threads(1)
        embedder.warm_up()
        expected = embedder.encode_queries(["临时用地谁审批"])
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            kept, vector = pool.apply(_child_encodes, (id(embedder.encoder._session),))
        assert kept
        np.testing.assert_array_equal(vector, expected)
        embedder.set_threads(2)
        embedder.warm_up()
        with context.Pool(1) as pool:
            assert pool.apply(_child_session_is_none)
    finally:
        _forked.clear()
        embedder.set_threads(threads)
        embedder.release()


_forked: dict[str, object] = {}


def _child_encodes(parent_session: int) -> tuple[bool, object]:
    embedder = _forked["engine"].embedder  # type: ignore[attr-defined]
    vector = embedder.encode_queries(["临时用地谁审批"])
    return id(embedder.encoder._session) == parent_session, vector


def _child_session_is_none() -> bool:
    return _forked["engine"].embedder.encoder._session is None  # type: ignore[attr-defined]
