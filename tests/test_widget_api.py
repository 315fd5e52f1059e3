"""The widget's server side: keys and origins, CORS preflights, rate limits, widget.js caching, the demo and unit pages."""
from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.api.routers.widget import ask_events, widget_script
from qa.api.widget_auth import normalize_origin
from qa.config import Settings, WidgetKey
from qa.schemas import AskRequest

ALLOWED = "http://intranet.example:8080"
OTHER_ALLOWED = "https://gis.example"
EVIL = "http://evil.example"
KEY = "test-key"
QUESTION = "征收土地补偿费用应在多长时间内支付？"


def _settings(rate_limit_per_minute: int = 100_000, widget_keys: list[WidgetKey] | None = None) -> Settings:
    keys = widget_keys if widget_keys is not None else [
        WidgetKey(key=KEY, origins=[ALLOWED], name="测试"),
        WidgetKey(key="gis-key", origins=[OTHER_ALLOWED], name="gis"),
        WidgetKey(key="self-key", origins=["http://testserver"], name="self"),
    ]
    return Settings(widget_keys=keys, rate_limit_per_minute=rate_limit_per_minute)


@pytest.fixture(scope="module")
def client(engine) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(), engine=engine)) as test_client:
        yield test_client


def _headers(origin: str | None = ALLOWED, key: str | None = KEY, stream: bool = True) -> dict[str, str]:
    headers = {"Accept": "text/event-stream" if stream else "application/json"}
    if origin is not None:
        headers["Origin"] = origin
    if key is not None:
        headers["X-Landqa-Key"] = key
    return headers


def _events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def _error(response) -> dict:
    body = response.json()["error"]
    assert body["message_zh"] and body["message_en"]
    return body


# ---------------------------------------------------------------------- keys and origins
def test_ask_streams_answer_then_full_result(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in response.headers["vary"]
    events = _events(response.text)
    assert events[0][0] == "start"
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert len(deltas) > 1
    name, done = events[-1]
    assert name == "done"
    assert "".join(deltas) == done["answer"]
    assert not done["abstained"]
    assert "三个月" in done["answer"]
    assert any(c["id"].startswith("xj-measures:a30") for c in done["citations"])


def test_engine_failure_is_reported_inside_the_stream() -> None:
    class Broken:
        def ask(self, question: str, top_k: int = 5, history: list[dict[str, str]] | None = None) -> None:
            raise RuntimeError("boom")

    events = _events("".join(ask_events(Broken(), AskRequest(question=QUESTION), "rid-1")))  # type: ignore[arg-type]
    assert [name for name, _ in events] == ["start", "error"]
    assert events[1][1]["error"]["code"] == "internal_error" and events[1][1]["error"]["request_id"] == "rid-1"


def test_ask_as_json_when_not_streaming(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(stream=False))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["citations"]


def test_missing_key_is_401(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(key=None))
    assert response.status_code == 401
    assert _error(response)["code"] == "widget_key_missing"


def test_unknown_key_is_403(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(key="nope"))
    assert response.status_code == 403
    assert _error(response)["code"] == "widget_key_invalid"


def test_origin_not_allowed_for_key_is_403(client: TestClient) -> None:
    for origin, key in ((EVIL, KEY), (OTHER_ALLOWED, KEY), (ALLOWED, "gis-key")):
        response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(origin=origin, key=key))
        assert response.status_code == 403, (origin, key)
        assert _error(response)["code"] == "widget_origin_not_allowed"
    # A refusal carries no data, so the refused page may read it and tell its user why.
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_missing_origin_is_403(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(origin=None))
    assert response.status_code == 403
    assert _error(response)["code"] == "widget_origin_missing"


def test_null_origin_is_refused(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers(origin="null"))
    assert response.status_code == 403


def test_referer_stands_in_for_origin_on_same_origin_get(client: TestClient) -> None:
    # Browsers send no Origin on a same-origin GET; the Referer's origin is used instead.
    ok = client.get(f"/widget/hello?key={KEY}", headers={"Referer": ALLOWED + "/page/x?y=1"})
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    refused = client.get(f"/widget/hello?key={KEY}", headers={"Referer": EVIL + "/"})
    assert refused.status_code == 403


def test_hello_reports_key_and_version(client: TestClient) -> None:
    response = client.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "name": "测试", "version": widget_script().version}
    assert client.get("/widget/hello", headers={"Origin": ALLOWED}).status_code == 401


def test_invalid_question_is_a_bilingual_422(client: TestClient) -> None:
    response = client.post("/widget/ask", json={"question": "   "}, headers=_headers())
    assert response.status_code == 422
    _error(response)
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_origin_normalization() -> None:
    assert normalize_origin("HTTP://Intranet.Example:80/") == "http://intranet.example"
    assert normalize_origin("https://gis.example:443") == "https://gis.example"
    assert normalize_origin("http://127.0.0.1:8000/widget/demo") == "http://127.0.0.1:8000"
    assert normalize_origin("null") is None
    assert normalize_origin("javascript:alert(1)") is None
    assert normalize_origin("http://x:notaport") is None


# ---------------------------------------------------------------------- CORS preflight
def test_preflight_for_allowed_origin(client: TestClient) -> None:
    response = client.options(
        "/widget/ask", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-landqa-key"}
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "x-landqa-key" in allowed_headers and "content-type" in allowed_headers
    assert int(response.headers["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in response.headers


def test_preflight_for_disallowed_origin_is_refused(client: TestClient) -> None:
    response = client.options(
        "/widget/ask", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-landqa-key"}
    )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert _error(response)["code"] == "widget_origin_not_allowed"


def test_json_api_gets_no_cors_headers(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


# ---------------------------------------------------------------------- rate limits
def test_rate_limit_per_key_gives_429_with_retry_after(engine) -> None:
    with TestClient(create_app(_settings(rate_limit_per_minute=2), engine=engine)) as client:
        statuses = [client.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        response = client.post("/widget/ask", json={"question": QUESTION}, headers=_headers())
        assert response.status_code == 429
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert _error(response)["code"] == "rate_limited"
        # The widget must be able to read both the refusal and its Retry-After.
        assert response.headers["access-control-allow-origin"] == ALLOWED
        assert "retry-after" in response.headers["access-control-expose-headers"].lower()


def test_rate_limit_per_key_spans_client_addresses(engine) -> None:
    app = create_app(_settings(rate_limit_per_minute=2), engine=engine)
    with TestClient(app, client=("10.0.0.1", 5000)) as first, TestClient(app, client=("10.0.0.2", 5000)) as second:
        assert first.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED}).status_code == 200
        assert second.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED}).status_code == 200
        # Same key from a third request: the key's bucket is full although this address made one call.
        assert second.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED}).status_code == 429
        # Another key from a fresh address is not affected.
        with TestClient(app, client=("10.0.0.3", 5000)) as third:
            assert third.get("/widget/hello?key=gis-key", headers={"Origin": OTHER_ALLOWED}).status_code == 200


def test_rate_limit_per_client_address_spans_keys(engine) -> None:
    app = create_app(_settings(rate_limit_per_minute=2), engine=engine)
    with TestClient(app, client=("10.0.0.9", 5000)) as client:
        assert client.get(f"/widget/hello?key={KEY}", headers={"Origin": ALLOWED}).status_code == 200
        assert client.get("/widget/hello?key=gis-key", headers={"Origin": OTHER_ALLOWED}).status_code == 200
        response = client.get("/widget/hello?key=self-key", headers={"Origin": "http://testserver"})
        assert response.status_code == 429
        assert response.headers["retry-after"].isdigit()


# ---------------------------------------------------------------------- widget.js, demo and unit pages
def test_widget_js_is_small_versioned_and_cacheable(client: TestClient) -> None:
    response = client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert len(response.content) < 36_000  # 1.1 adds history, cross-references and feedback; gzipped < 12 KB below
    assert "content-encoding" not in response.headers
    version = response.headers["x-landqa-widget-version"]
    assert f'VERSION = "{version}"' in response.text
    etag = response.headers["etag"]
    assert version in etag
    assert "max-age" in response.headers["cache-control"]
    assert "immutable" not in response.headers["cache-control"]
    plain = {"Accept-Encoding": "identity"}
    cached = client.get("/widget.js", headers={**plain, "If-None-Match": etag})
    assert cached.status_code == 304 and not cached.content
    assert cached.headers["etag"] == etag
    assert client.get("/widget.js", headers={**plain, "If-None-Match": '"other"'}).status_code == 200
    pinned = client.get(f"/widget.js?v={version}")
    assert "immutable" in pinned.headers["cache-control"]
    assert client.get("/widget.js?v=0.0.0-old").headers["cache-control"] == response.headers["cache-control"]


def test_widget_js_is_served_gzipped_with_its_own_etag(client: TestClient) -> None:
    plain = client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes it
    assert int(zipped.headers["content-length"]) < 12_000
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert client.get("/widget.js", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}).status_code == 304


def test_widget_js_never_parses_data_as_html(client: TestClient) -> None:
    source = client.get("/widget.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink
    assert "attachShadow" in source and "sessionStorage" in source
    code = source.split("*/", 1)[1].replace('"http://www.w3.org/2000/svg"', "")
    for external in ("http://", "https://", "@import", "url(", "@font-face"):  # no CDN, no fonts, no remote assets
        assert external not in code, external


def test_demo_page_embeds_the_widget_with_a_key_for_its_origin(client: TestClient) -> None:
    response = client.get("/widget/demo")
    assert response.status_code == 200
    page = response.text
    version = widget_script().version
    assert f'<script src="/widget.js?v={version}" data-key="self-key" async></script>' in page
    assert "&lt;script src=&quot;http://testserver/widget.js&quot; data-key=&quot;self-key&quot; async&gt;&lt;/script&gt;" in page
    assert "{{" not in page


def test_demo_page_explains_when_no_key_allows_its_origin(engine) -> None:
    with TestClient(create_app(_settings(widget_keys=[WidgetKey(key=KEY, origins=[ALLOWED])]), engine=engine)) as client:
        page = client.get("/widget/demo").text
    assert "data-key=" in page and "<script src=\"/widget.js" not in page
    assert "未配置允许本页来源" in page


def test_unit_page_is_escaped_and_needs_a_key(client: TestClient) -> None:
    unit_id = "bachu-supply-2025:h3.i1.p1"
    assert client.get(f"/widget/unit/{unit_id}").status_code == 401
    assert client.get(f"/widget/unit/{unit_id}?key=nope").status_code == 403
    response = client.get(f"/widget/unit/{unit_id}?key={KEY}")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text.lower()
    assert "征求意见稿" in response.text and "尚未正式施行" in response.text
    assert "383.73" in response.text
    missing = client.get(f"/widget/unit/%3Cimg%20src%3Dx%3E?key={KEY}")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "<img" not in missing.text and "&lt;img src=x&gt;" in missing.text
