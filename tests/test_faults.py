"""Injected faults: killed builds and ingests, damaged indexes and models, a dead LLM, limits, timeouts, logs.

Index and ingest faults run on a tiny copy of the corpus (the statute and the Bachu plan) in a
temporary build directory, so the real build/ is never touched.
"""
from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import qa.index as qindex
from eval.loadtest import serve_in_thread
from ingest.pipeline import build_corpus
from qa.api.app import create_app
from qa.api.limits import RateLimiter
from qa.config import Settings
from qa.index import IndexDamaged, load_or_build, verify_manifest
from qa.schemas import AskResponse

ROOT = Path(__file__).resolve().parent.parent
TINY_DOCS = ("xj-measures", "bachu-supply-2025")
QUESTION = "宅基地申请要公示几天？"


def _digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.rglob("*")) if p.is_file()}


def _make_tiny_corpus(target: Path) -> Path:
    target.mkdir(parents=True)
    catalog = json.loads((ROOT / "corpus" / "catalog.json").read_text(encoding="utf-8"))
    catalog["documents"] = [d for d in catalog["documents"] if d["id"] in TINY_DOCS]
    for doc in catalog["documents"]:
        shutil.copy(ROOT / "corpus" / doc["file"], target / doc["file"])
    (target / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, engine) -> dict:
    """A tiny corpus with a real index (real embedder), built once for this module."""
    base = tmp_path_factory.mktemp("tiny")
    corpus_dir = _make_tiny_corpus(base / "corpus")
    build_dir = base / "build"
    corpus = build_corpus(corpus_dir, build_dir)
    index = load_or_build(corpus, engine.embedder, build_dir)
    pristine = base / "pristine"
    shutil.copytree(index.directory, pristine)
    return {"corpus_dir": corpus_dir, "build_dir": build_dir, "corpus": corpus, "directory": index.directory, "pristine": pristine, "embedder": engine.embedder}


def _restore(tiny: dict) -> None:
    shutil.rmtree(tiny["directory"], ignore_errors=True)
    shutil.copytree(tiny["pristine"], tiny["directory"])


# --------------------------------------------------------------------------- kill -9 mid build
# The child builds with a stand-in embedder (same model id, random vectors) that signals and then
# hangs, so the kill lands at a known point without loading torch.
CHILD_BUILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import numpy as np
    import ingest.atomic as atomic
    from ingest.pipeline import build_corpus
    from qa.index import load_or_build

    corpus_dir, build_dir, model_id, variant, dim, where = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]

    def hang(tag):
        print(tag, flush=True)
        time.sleep(600)

    class Stand:
        def __init__(self):
            self.model_id = model_id
            self.variant = variant
            self.calls = 0
        def encode_passages(self, texts):
            self.calls += 1
            if where == "embed" and self.calls == 2:
                hang("HANG embed")
            v = np.random.default_rng(self.calls).normal(size=(len(texts), dim)).astype("float32")
            return v / np.linalg.norm(v, axis=1, keepdims=True)

    if where == "swap":
        # The two-rename fallback, killed between its renames: the old index is at the backup path.
        atomic._exchange = lambda a, b: False
        real_replace = os.replace
        def replace(src, dst):
            real_replace(src, dst)
            if str(dst).endswith(".old"):
                hang("HANG swap")
        atomic.os.replace = replace

    corpus = build_corpus(Path(corpus_dir), Path(build_dir))
    load_or_build(corpus, Stand(), Path(build_dir), force=True)
    print("DONE", flush=True)
    """
)


def _run_until(args: list[str], marker: str, timeout: float = 180) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = child.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        seen.append(line)
        if line.startswith(marker):
            return child
    child.kill()
    raise AssertionError(f"child never reached {marker!r}: {seen} {child.stderr.read()[-2000:]}")  # type: ignore[union-attr]


def _kill9(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(30) == -signal.SIGKILL
    child.stdout.close()  # type: ignore[union-attr]
    child.stderr.close()  # type: ignore[union-attr]


@pytest.mark.parametrize("where", ["embed", "swap"])
def test_killed_index_build_leaves_the_previous_index(tiny: dict, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _restore(tiny)
    directory: Path = tiny["directory"]
    before = _digests(directory)
    embedder = tiny["embedder"]
    child = _run_until(
        [CHILD_BUILD, str(tiny["corpus_dir"]), str(tiny["build_dir"]), embedder.model_id, embedder.variant, str(embedder.dim), where], f"HANG {where}"
    )
    root = directory.parent
    if where == "embed":
        staging = [p for p in root.glob(f".staging-{child.pid}-*")]
        assert staging and (staging[0] / "bm25").is_dir()  # really mid-build: BM25 written, vectors not
        assert _digests(directory) == before
    else:
        assert not directory.exists() and (root / f".{directory.name}.old").is_dir()  # killed mid-swap
    _kill9(child)

    # The next start finds the previous index whole and loads it: no rebuild, leftovers removed.
    monkeypatch.setattr(qindex, "_build", lambda *a: pytest.fail("the previous index should have been loaded, not rebuilt"))
    index = load_or_build(tiny["corpus"], tiny["embedder"], tiny["build_dir"])
    assert index.directory == directory
    assert _digests(directory) == before
    verify_manifest(directory)
    assert not list(root.glob(".staging-*")) and not list(root.glob(".*.old"))
    assert index.units and index.bm25_scores("宅基地 公示").max() > 0


CHILD_INGEST = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import ingest.atomic as atomic
    from ingest.addfile import add_document

    source, corpus_dir = sys.argv[1], sys.argv[2]
    real_fsync = os.fsync
    def fsync(fd):
        real_fsync(fd)
        if ".catalog.json." in os.readlink(f"/proc/self/fd/{fd}"):
            print("HANG catalog", flush=True)  # the new catalog is written but not yet renamed into place
            time.sleep(600)
    atomic.os.fsync = fsync
    add_document(Path(source), Path(corpus_dir), doc_id="nx-copy")
    print("DONE", flush=True)
    """
)


def test_killed_ingest_leaves_the_previous_corpus(tmp_path: Path) -> None:
    corpus_dir = _make_tiny_corpus(tmp_path / "corpus")
    build_dir = tmp_path / "build"
    catalog_before = (corpus_dir / "catalog.json").read_bytes()
    before = build_corpus(corpus_dir, build_dir, use_cache=False)
    source = tmp_path / "new-doc.txt"
    shutil.copy(ROOT / "corpus" / "nx-consolidation.txt", source)

    child = _run_until([CHILD_INGEST, str(source), str(corpus_dir)], "HANG catalog", timeout=120)
    _kill9(child)

    assert (corpus_dir / "catalog.json").read_bytes() == catalog_before
    after = build_corpus(corpus_dir, build_dir, use_cache=False)
    assert after.checksum == before.checksum
    assert [p.doc_id for p in after.documents] == list(TINY_DOCS)
    assert [u.text for u in after.units] == [u.text for u in before.units]


def test_killed_corpus_cache_write_keeps_the_old_cache(tmp_path: Path) -> None:
    corpus_dir = _make_tiny_corpus(tmp_path / "corpus")
    build_dir = tmp_path / "build"
    corpus = build_corpus(corpus_dir, build_dir)
    cache = next((build_dir / "corpus").glob("*.json"))
    good = cache.read_bytes()
    script = textwrap.dedent(
        """
        import os, sys, time
        import ingest.atomic as atomic
        real_write = os.fdopen
        def fdopen(fd, mode):
            handle = real_write(fd, mode)
            real = handle.write
            def write(data):
                real(data[: len(data) // 2]); handle.flush()
                print("HANG write", flush=True); time.sleep(600)
            handle.write = write
            return handle
        atomic.os.fdopen = fdopen
        atomic.write_bytes_atomic(__import__("pathlib").Path(sys.argv[1]), b"x" * 100000)
        """
    )
    child = _run_until([script, str(cache)], "HANG write", timeout=60)
    _kill9(child)
    assert cache.read_bytes() == good  # half a new file exists only under a temporary name
    assert build_corpus(corpus_dir, build_dir).checksum == corpus.checksum


# --------------------------------------------------------------------------- damaged index files
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


DAMAGE = {
    "truncated faiss.index": lambda d: _truncate(d / "faiss.index"),
    "one bit of the BM25 matrix": lambda d: _flip(d / "bm25" / "data.csc.index.npy"),
    "unit_ids.json deleted": lambda d: (d / "unit_ids.json").unlink(),
    "unit_ids.json emptied": lambda d: (d / "unit_ids.json").write_text("[]"),
    "manifest garbage": lambda d: (d / "manifest.json").write_bytes(b"\x00garbage"),
    "manifest deleted": lambda d: (d / "manifest.json").unlink(),
    "manifest lists nothing": lambda d: (d / "manifest.json").write_text(json.dumps({"files": {}, "model_id": "x"})),
    "bm25 vocab zeroed": lambda d: (d / "bm25" / "vocab.index.json").write_bytes(b"\x00" * 64),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_index_is_detected_and_rebuilt(tiny: dict, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _restore(tiny)
    directory: Path = tiny["directory"]
    DAMAGE[damage](directory)
    with pytest.raises(IndexDamaged):
        verify_manifest(directory)
    with pytest.raises(IndexDamaged):
        qindex._load(tiny["corpus"], directory)  # never served
    builds = []

    def fast_build(corpus, embedder, staging: Path) -> None:
        builds.append(staging)
        shutil.copytree(tiny["pristine"], staging, dirs_exist_ok=True)

    monkeypatch.setattr(qindex, "_build", fast_build)
    index = load_or_build(tiny["corpus"], tiny["embedder"], tiny["build_dir"])
    assert len(builds) == 1
    verify_manifest(index.directory)
    assert _digests(index.directory) == _digests(tiny["pristine"])


def test_truncated_index_is_really_rebuilt(tiny: dict) -> None:
    """One real rebuild (real embedder) after a truncation: the new index verifies and answers alike."""
    _restore(tiny)
    directory: Path = tiny["directory"]
    _truncate(directory / "faiss.index")
    index = load_or_build(tiny["corpus"], tiny["embedder"], tiny["build_dir"])
    manifest = verify_manifest(index.directory)
    assert manifest["units"] == len(index.units)
    assert (index.directory / "unit_ids.json").read_bytes() == (tiny["pristine"] / "unit_ids.json").read_bytes()
    query = tiny["embedder"].encode_queries([QUESTION])[0]
    dense = index.dense_scores(query)
    assert index.units[int(dense.argmax())].id.startswith("xj-measures:a40")


# --------------------------------------------------------------------------- the model directory
def test_missing_or_damaged_model_dir_is_rebuilt_from_the_bundled_weights(tmp_path: Path, engine) -> None:
    from qa.e5_convert import MANIFEST_NAME, VERIFIED_NAME, _manifest_problem, default_model_id, ensure_default_model
    from qa.embedding import load_embedder

    cache = tmp_path / "models"
    model_dir = ensure_default_model(cache)
    assert default_model_id(model_dir) == engine.embedder.model_id.split("#")[0]  # same id: indexes stay valid

    def content() -> dict[str, str]:  # every file but the manifest (creation time) and the check stamp (inodes)
        return {name: digest for name, digest in _digests(model_dir).items() if name not in (MANIFEST_NAME, VERIFIED_NAME)}

    good = content()
    shutil.rmtree(model_dir)  # missing
    assert ensure_default_model(cache) == model_dir and content() == good

    _truncate(model_dir / "model.safetensors")  # truncated weights
    assert ensure_default_model(cache) == model_dir and content() == good

    (model_dir / MANIFEST_NAME).unlink()  # no manifest: never trusted
    assert ensure_default_model(cache) == model_dir and content() == good

    source_sha = json.loads((model_dir / MANIFEST_NAME).read_text())["source"]["sha256"]
    assert _manifest_problem(model_dir, source_sha) is None
    rebuilt = load_embedder(None, cache, backend="torch")  # the converted directory itself, not an export of it
    assert rebuilt.model_id == engine.embedder.model_id
    a = rebuilt.encode_queries([QUESTION])[0]
    b = engine.embedder.encode_queries([QUESTION])[0]
    assert float(a @ b) > 0.9999


# --------------------------------------------------------------------------- the optional LLM
def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture()
def blackhole() -> Iterator[str]:
    """A port that accepts connections (kernel backlog) but never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    sock.close()


@pytest.fixture()
def trickle() -> Iterator[str]:
    """A server that answers one byte of headers every 0.3 s, for 9 s: no single read ever times out."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.5)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 12:  # ~9 s in all
                    if stop.wait(0.3):
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    stop.set()
    thread.join(5)
    sock.close()


def _with_llm(engine, url: str, timeout: float):
    clone = copy.copy(engine)
    clone.settings = engine.settings.model_copy(update={"llm_base_url": url, "llm_timeout_s": timeout})
    return clone


def _timed_ask(engine, question: str = QUESTION) -> tuple[AskResponse, float]:
    started = time.perf_counter()
    result = engine.ask(question)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("kind", ["refused", "blackhole"])
def test_unreachable_llm_falls_back_to_the_extractive_answer(engine, kind: str, request: pytest.FixtureRequest) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1" if kind == "refused" else request.getfixturevalue("blackhole")
    extractive, plain_s = _timed_ask(engine)
    result, llm_s = _timed_ask(_with_llm(engine, url, timeout=1.0))
    assert result.answer == extractive.answer and result.citations == extractive.citations
    assert not any("LLM" in w for w in result.warnings)
    assert llm_s < plain_s + 1.0 * 3 + 1.0  # connect/read timeout of 1 s each, not the default 8 s


def test_trickling_llm_is_cut_off_by_the_request_timeout(engine, trickle: str) -> None:
    """With an LLM timeout longer than the request timeout, the API's request timeout answers 504."""
    app = create_app(Settings(rate_limit_per_minute=1000, request_timeout_s=3.0), engine=_with_llm(engine, trickle, timeout=20.0))
    with serve_in_thread(app) as url:
        started = time.perf_counter()
        response = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30)
        elapsed = time.perf_counter() - started
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "timeout" and "超时" in response.json()["error"]["message_zh"]
        assert elapsed < 8  # well before the trickling server would finish (~9 s)
        assert httpx.get(f"{url}/healthz").status_code == 200  # the server is still serving


def test_trickling_llm_is_bounded_by_llm_timeout(engine, trickle: str) -> None:
    extractive, plain_s = _timed_ask(engine)
    result, llm_s = _timed_ask(_with_llm(engine, trickle, timeout=1.0))
    assert result.answer == extractive.answer
    assert llm_s < plain_s + 3.0


# --------------------------------------------------------------------------- limits
class _SlowEngine:
    def __init__(self, seconds: float = 3.0) -> None:
        self.seconds = seconds

    def ask(self, question: str, top_k: int = 5, history: list[dict[str, str]] | None = None) -> AskResponse:
        time.sleep(self.seconds)
        return AskResponse(question=question, answer="late", abstained=True, citations=[], computations=[], timings_ms={})


def test_request_timeout_answers_504_on_time() -> None:
    app = create_app(Settings(request_timeout_s=0.5), engine=_SlowEngine())  # type: ignore[arg-type]
    with serve_in_thread(app) as url:
        started = time.perf_counter()
        response = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30)
        assert time.perf_counter() - started < 2.0
        assert response.status_code == 504
        error = response.json()["error"]
        assert error["code"] == "timeout" and error["message_zh"] and error["message_en"]
        assert response.headers["x-request-id"] == error["request_id"]
        fast = create_app(Settings(request_timeout_s=5), engine=_SlowEngine(0.1))  # type: ignore[arg-type]
        with TestClient(fast) as client:  # under the limit: the route's own answer
            assert client.post("/api/ask", json={"question": QUESTION}).json()["answer"] == "late"


def test_rate_limit_per_address(engine) -> None:
    app = create_app(Settings(rate_limit_per_minute=3), engine=engine)
    with TestClient(app, client=("10.0.0.1", 5000)) as first, TestClient(app, client=("10.0.0.2", 5000)) as second:
        for _ in range(3):
            assert first.post("/api/search", json={"query": "宅基地"}).status_code == 200
        limited = first.post("/api/search", json={"query": "宅基地"})
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        error = limited.json()["error"]
        assert error["code"] == "rate_limited" and "频繁" in error["message_zh"] and "Too many" in error["message_en"]
        assert first.post("/api/ask", json={"question": QUESTION}).status_code == 429  # one budget for every JSON route
        assert first.get("/healthz").status_code == 200  # health is never limited
        assert second.post("/api/search", json={"query": "宅基地"}).status_code == 200  # other address, own budget


def test_rate_limit_per_key(engine) -> None:
    app = create_app(Settings(rate_limit_per_minute=3, api_keys=["key-a", "key-b"]), engine=engine)
    clients = [TestClient(app, client=(f"10.0.1.{i}", 5000)) for i in range(5)]
    with clients[0], clients[1], clients[2], clients[3], clients[4]:
        auth = {"authorization": "Bearer key-a"}
        for client in clients[:3]:  # three addresses share key-a's budget
            assert client.post("/api/search", json={"query": "宅基地"}, headers=auth).status_code == 200
        assert clients[3].post("/api/search", json={"query": "宅基地"}, headers=auth).status_code == 429
        assert clients[4].post("/api/search", json={"query": "宅基地"}, headers={"authorization": "Bearer key-b"}).status_code == 200
        assert clients[4].post("/api/search", json={"query": "宅基地"}).status_code == 401


def test_rate_limiter_window_slides() -> None:
    limiter = RateLimiter(2, window_s=60)
    assert limiter.check("a", now=0) is None and limiter.check("a", now=10) is None
    assert limiter.check("a", now=20) == pytest.approx(40)
    assert limiter.check("a", now=60) is None  # the first hit has left the window
    assert RateLimiter.retry_after(0.2) == "1"


def test_declared_body_over_the_limit_is_413(engine) -> None:
    app = create_app(Settings(max_body_bytes=1000), engine=engine)
    with TestClient(app) as client:
        response = client.post("/api/ask", json={"question": "宅" * 400})
        assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
        assert client.post("/api/ask", json={"question": "宅" * 100}).status_code == 200


def test_chunked_body_is_cut_off_at_the_limit() -> None:
    """Without Content-Length the body is read only up to the limit, not into memory whole."""
    app = create_app(Settings(max_body_bytes=16_384), engine=_SlowEngine())  # type: ignore[arg-type]
    consumed = 0
    chunk = b"x" * 4096
    messages: list[MutableMapping[str, Any]] = []

    async def receive() -> dict:
        nonlocal consumed
        consumed += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": consumed < 50_000_000}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/ask", "raw_path": b"/api/ask", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert messages[0]["status"] == 413
    assert consumed <= 16_384 + 2 * len(chunk)


def test_chunked_upload_to_a_real_server_is_413(engine) -> None:
    app = create_app(Settings(rate_limit_per_minute=1000), engine=engine)

    def body() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(2000):
            yield "宅".encode() * 1000
        yield b'"}'

    with serve_in_thread(app) as url:
        started = time.perf_counter()
        try:
            response = httpx.post(f"{url}/api/ask", content=body(), headers={"content-type": "application/json"}, timeout=30)
            assert response.status_code == 413
        except httpx.HTTPError:
            pass  # the server may close the connection while the client is still sending: also a refusal
        assert time.perf_counter() - started < 10
        assert httpx.get(f"{url}/healthz").status_code == 200


# --------------------------------------------------------------------------- request logs
SECRET_QUESTION = "宅基地申请要公示几天？机密标记XYZZY"


def _access_records(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "landqa.access"]


@pytest.mark.parametrize("log_questions", [False, True])
def test_every_request_is_logged_with_an_id_and_no_question_unless_configured(engine, caplog: pytest.LogCaptureFixture, log_questions: bool) -> None:
    app = create_app(Settings(rate_limit_per_minute=1000, log_questions=log_questions), engine=engine)
    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=False) as client:
        responses = [
            client.post("/api/ask", json={"question": SECRET_QUESTION}),
            client.post("/api/ask", json={"question": SECRET_QUESTION, "top_k": 99}),  # rejected: 422
            client.post("/api/search", json={"query": SECRET_QUESTION}),
            client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": SECRET_QUESTION}]}),
            client.get("/healthz", headers={"X-Request-ID": "given-id-1"}),
            client.get("/api/nowhere"),
        ]
    records = _access_records(caplog)
    assert len(records) == len(responses)
    for record, response in zip(records, responses, strict=True):
        assert record["request_id"] == response.headers["x-request-id"]
        assert {"method", "path", "status", "ms", "client"} <= record.keys()
        assert record["status"] == response.status_code
    assert records[4]["request_id"] == "given-id-1"
    everything = "\n".join(r.getMessage() for r in caplog.records)
    if log_questions:
        assert records[0]["question"] == SECRET_QUESTION
    else:
        assert "XYZZY" not in everything  # in no logger at all
        assert all("question" not in r for r in records)


# --------------------------------------------------------------------------- stale index
def test_changed_corpus_text_makes_the_old_index_stale(tiny: dict, tmp_path: Path) -> None:
    """An index is keyed by the corpus checksum: after an edit the old one is never served."""
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(tiny["corpus_dir"], corpus_dir)
    build_dir = tmp_path / "build"
    shutil.copytree(tiny["build_dir"], build_dir)
    before = load_or_build(build_corpus(corpus_dir, build_dir), tiny["embedder"], build_dir)
    assert before.directory.name == tiny["directory"].name  # same texts: the copied index is reused
    statute = corpus_dir / "xj-measures.txt"
    statute.write_text(statute.read_text(encoding="utf-8").replace("本办法自2022年11月1日起施行。", "本办法自2023年1月1日起施行。"), encoding="utf-8")
    changed = build_corpus(corpus_dir, build_dir)
    after = load_or_build(changed, tiny["embedder"], build_dir)
    assert after.directory != before.directory
    texts = {u.id: u.text for u in after.units}
    assert "2023年1月1日" in texts["xj-measures:a59"]
    top = after.bm25_scores("2023年1月1日 施行").argmax()
    assert after.units[top].id == "xj-measures:a59"
