"""Rate limits and widget quotas in Redis (LANDQA_REDIS_URL), in-process: two apps, each with its own limiter, one Redis."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings, WidgetKey
from tests.redis_server import free_port, redis_server

ORIGIN = "http://intranet.example:8080"
KEY = "replica-key"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(autouse=True)
def _empty_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushall()


def _settings(**overrides: Any) -> Settings:
    return Settings.model_validate({"widget_keys": [WidgetKey(key=KEY, origins=[ORIGIN])], "rate_limit_per_minute": 30, **overrides})


def _statuses(clients: list[TestClient], path: str, total: int, headers: dict[str, str] | None = None) -> list[int]:
    return [clients[i % len(clients)].get(path, headers=headers).status_code for i in range(total)]


def test_two_apps_share_one_limit_through_redis(redis_url: str) -> None:
    # No engine is needed for /v1/models: it is rate-limited like every API call and cheap.
    apps = [create_app(_settings(redis_url=redis_url)) for _ in range(2)]
    statuses = _statuses([TestClient(app) for app in apps], "/v1/models", 60)
    assert statuses.count(200) == 30 and statuses.count(429) == 30
    assert statuses[:30] == [200] * 30  # the window is shared: the 31st call is refused whichever app gets it
    for app in apps:
        app.state.shared_state.close()


def test_without_redis_each_app_counts_alone() -> None:
    apps = [create_app(_settings()) for _ in range(2)]
    statuses = _statuses([TestClient(app) for app in apps], "/v1/models", 60)
    assert statuses.count(200) == 60  # today's per-process behaviour: the reason for LANDQA_REDIS_URL


def test_widget_quota_is_shared_and_says_when_to_retry(redis_url: str) -> None:
    apps = [create_app(_settings(redis_url=redis_url, rate_limit_per_minute=4)) for _ in range(2)]
    clients = [TestClient(app) for app in apps]
    statuses = _statuses(clients, f"/widget/hello?key={KEY}", 6, {"Origin": ORIGIN})
    assert statuses == [200, 200, 200, 200, 429, 429]
    refused = clients[0].get(f"/widget/hello?key={KEY}", headers={"Origin": ORIGIN})
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    for app in apps:
        app.state.shared_state.close()


def test_api_keys_are_not_stored_in_redis_in_clear(redis_url: str) -> None:
    import redis

    app = create_app(_settings(redis_url=redis_url, api_keys=["sk-secret-123"]))
    assert TestClient(app).get("/v1/models", headers={"Authorization": "Bearer sk-secret-123"}).status_code == 200
    names = [str(name) for name in redis.Redis.from_url(redis_url, decode_responses=True).scan_iter("*")]
    assert names and not any("sk-secret" in name or "127.0.0.1" in name for name in names)
    app.state.shared_state.close()


def _dead_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_redis_down_fails_open_with_one_log_line_and_local_limits(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(_settings(redis_url=_dead_redis(), rate_limit_per_minute=3, redis_fail_open=True))
    client = TestClient(app)
    with caplog.at_level(logging.WARNING, logger="landqa.shared_state"):
        statuses = _statuses([client], "/v1/models", 5)
    assert statuses == [200, 200, 200, 429, 429]  # the replica's own limit still applies
    down = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(down) == 1 and "LANDQA_REDIS_FAIL_OPEN=true" in down[0].getMessage()


def test_redis_down_fails_closed_with_503_never_500() -> None:
    app = create_app(_settings(redis_url=_dead_redis(), redis_fail_open=False))
    client = TestClient(app)
    for path, headers in (("/v1/models", {}), (f"/widget/hello?key={KEY}", {"Origin": ORIGIN})):
        response = client.get(path, headers=headers)
        assert response.status_code == 503, response.text
        error = response.json()["error"]
        assert error["code"] == "rate_limit_unavailable" and error["message_zh"] and error["message_en"]
        assert response.headers["retry-after"] == "5"
    assert client.get("/healthz").status_code == 200


def test_readyz_reports_backend_version_and_redis(redis_url: str, engine, tmp_path: Path) -> None:
    with TestClient(create_app(_settings(), engine=engine)) as client:
        body = client.get("/readyz").json()
    assert body["search_backend"] == "faiss" and body["index_version"] == engine.index.directory.name and body["redis"] == "off"
    app = create_app(_settings(redis_url=redis_url), engine=engine)
    with TestClient(app) as client:
        body = client.get("/readyz").json()
    assert body["redis"] == "up" and body["announced_version"] == engine.index.directory.name and body["generation"] == 1
    app.state.shared_state.close()
    app = create_app(_settings(redis_url=_dead_redis()), engine=engine)
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["redis"] == "down" and "ConnectionError" in response.json()["redis_error"]
    app.state.shared_state.close()


def test_a_replica_puts_its_version_back_when_redis_lost_it(redis_url: str, engine) -> None:
    import redis

    app = create_app(_settings(redis_url=redis_url), engine=engine)
    with TestClient(app) as client:
        assert client.get("/readyz").json()["generation"] == 1
        redis.Redis.from_url(redis_url).flushall()  # a Redis restarted without persistence
        watcher = app.state.shared_state.watcher
        watcher.stop()  # poll by hand, not racing the thread
        watcher.poll()
        body = client.get("/readyz").json()
    assert body["announced_version"] == engine.index.directory.name and body["generation"] == 1 and body["reloads"] == 0
    held = app.state.shared_state.store.read()  # in Redis again, for the other replicas and the next announcement
    assert held is not None and held.version == engine.index.directory.name and held.generation == 1
    app.state.shared_state.close()
