"""Two replicas as real processes (uvicorn on loopback) sharing one Redis: one limit, failover, the index version."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from qa.shared_state import VersionStore
from tests.redis_server import free_port, redis_server

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 240  # two engines loading at once on 2 busy cores; normally about 15 s
QUESTIONS = ["临时用地谁审批？", "宅基地面积标准是多少", "未经批准占用一般耕地2000平方米罚多少？", "喀什地区有哪些土地整治项目"]


@dataclass
class Replica:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def ready(self) -> dict[str, object]:
        return dict(self.client.get("/readyz").json())


def _start(redis_url: str, log_dir: Path, name: str) -> Replica:
    port = free_port()
    env = {**os.environ, "LANDQA_REDIS_URL": redis_url, "LANDQA_RATE_LIMIT_PER_MINUTE": "30", "LANDQA_REDIS_VERSION_POLL_S": "0.3"}
    log = log_dir / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "qa.api.app:create_app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    return Replica(process, f"http://127.0.0.1:{port}", log)


def _wait_ready(replica: Replica, deadline: float) -> None:
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            pytest.fail(f"replica exited with {replica.process.returncode}: {replica.log.read_text(errors='replace')[-2000:]}")
        try:
            if replica.client.get("/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"replica not ready after {START_TIMEOUT_S} s: {replica.log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[tuple[str, list[Replica]]]:
    with redis_server(tmp_path_factory.mktemp("redis")) as redis_url:
        log_dir = tmp_path_factory.mktemp("replicas")
        replicas = [_start(redis_url, log_dir, name) for name in ("a", "b")]
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            for replica in replicas:
                _wait_ready(replica, deadline)
            yield redis_url, replicas
        finally:
            for replica in replicas:
                replica.client.close()
                if replica.process.poll() is None:
                    replica.process.terminate()
                    try:
                        replica.process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        replica.process.kill()
                        replica.process.wait()


def _address(n: int) -> dict[str, str]:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (its default): each simulated client gets its own address bucket.
    return {"X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}


def _ask(replica: Replica, n: int) -> int:
    return replica.client.post("/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]}, headers=_address(n)).status_code


def test_two_replicas_enforce_one_30_per_minute_limit(cluster: tuple[str, list[Replica]]) -> None:
    _, replicas = cluster
    one_client = {"X-Forwarded-For": "192.0.2.7"}
    statuses = [replicas[i % 2].client.get("/v1/models", headers=one_client).status_code for i in range(60)]
    assert statuses.count(200) == 30 and statuses.count(429) == 30, statuses  # not 60: one window across both
    assert {replicas[i % 2].url for i, s in enumerate(statuses) if s == 200} == {r.url for r in replicas}


def test_both_report_the_shared_version_and_redis(cluster: tuple[str, list[Replica]]) -> None:
    _, replicas = cluster
    a, b = (replica.ready() for replica in replicas)
    assert a["search_backend"] == b["search_backend"] == "faiss"
    assert a["redis"] == b["redis"] == "up"
    assert a["index_version"] == b["index_version"] == a["announced_version"] == b["announced_version"]
    assert a["generation"] == b["generation"] == 1  # announced once, by whichever started first


def _wait_for(replica: Replica, condition: str, predicate: object, timeout: float, load: list[int]) -> dict[str, object]:
    """Poll /readyz until `predicate` holds, asking a question between polls (the replica must keep answering)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        load.append(_ask(replica, 1000 + len(load)))
        body = replica.ready()
        if predicate(body):  # type: ignore[operator]
            return body
        time.sleep(0.2)
    pytest.fail(f"{condition} not seen within {timeout} s: {replica.ready()}")


def test_an_announced_version_is_loaded_by_every_replica_while_the_old_one_serves(cluster: tuple[str, list[Replica]]) -> None:
    redis_url, replicas = cluster
    version = str(replicas[0].ready()["index_version"])
    store = VersionStore(redis_url)
    generation = store.announce(version, by="test")  # what `python -m qa.shared_state announce` does after `landqa index`
    load: list[int] = []
    for replica in replicas:
        body = _wait_for(replica, "reload", lambda b: b["generation"] == generation and b["reloads"] == 1 and not b["reloading"], 120, load)
        assert body["reload_error"] is None and body["index_version"] == version
    assert set(load) == {200}, load  # answered throughout the reload
    bogus = "0" * 20
    generation = store.announce(bogus, by="test")
    for replica in replicas:
        body = _wait_for(replica, "refusal", lambda b: b["generation"] == generation, 30, load)
        assert body["announced_version"] == bogus and body["index_version"] == version and body["reloads"] == 1
        assert bogus in str(body["reload_error"]) and f"serving {version}" in str(body["reload_error"])
    assert set(load) == {200}, load
    store.close()


def test_killing_one_replica_mid_load_leaves_the_other_serving(cluster: tuple[str, list[Replica]]) -> None:
    _, (a, b) = cluster
    survivor: list[int] = []
    stop = threading.Event()

    def hammer(replica: Replica, out: list[int], offset: int) -> None:
        n = offset
        while not stop.is_set():
            try:
                out.append(_ask(replica, n))
            except httpx.TransportError:
                out.append(-1)  # a connection the dead replica dropped: the load balancer's retry, not ours
                if replica is a:
                    return
            n += 1

    victim: list[int] = []
    threads = [threading.Thread(target=hammer, args=(a, victim, 20_000)), threading.Thread(target=hammer, args=(b, survivor, 30_000))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(victim) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    before = len(survivor)
    a.process.send_signal(signal.SIGKILL)
    a.process.wait(timeout=10)
    while len(survivor) < before + 15 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(victim) >= 5 and len(survivor) >= before + 15
    assert set(survivor) == {200}, survivor  # no error on the survivor, before, during or after the kill
    assert b.ready()["redis"] == "up"
