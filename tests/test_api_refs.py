"""Cross-references over the API: citations carry `refs`, units show links both ways, the widget opens them."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings, WidgetKey

XJ = "xj-measures"
ORIGIN = "http://oa.example"
KEY = "refs-key"
WIDGET = {"Origin": ORIGIN, "X-Landqa-Key": KEY}


@pytest.fixture(scope="module")
def client(engine) -> Iterator[TestClient]:
    settings = Settings(widget_keys=[WidgetKey(key=KEY, origins=[ORIGIN])], rate_limit_per_minute=100_000)
    with TestClient(create_app(settings, engine=engine)) as test_client:
        yield test_client


def test_a_cited_clause_carries_what_it_points_to(client: TestClient) -> None:
    # 第十条第二款 "前款第（三）项规定的……、第（四）项规定的……": named by the question, so cited as is.
    body = client.post("/api/ask", json={"question": "第十条第二款"}).json()
    cited = next(c for c in body["citations"] if c["id"] == f"{XJ}:a10.k2")
    assert [(r["id"], r["text"], r["outside"]) for r in cited["refs"]] == [
        (f"{XJ}:a10.k1.x3", "前款第（三）项", False), (f"{XJ}:a10.k1.x4", "第（四）项", False),
    ]
    assert cited["refs"][0]["label"].endswith("第十条第一款第（三）项")


def test_citations_of_outside_laws_are_marked(client: TestClient) -> None:
    body = client.post("/api/search", json={"query": "第五十三条"}).json()
    cited = next(c for c in body["results"] if c["id"] == f"{XJ}:a53")
    assert [(r["title"], r["outside"], r["id"]) for r in cited["refs"]] == [
        ("中华人民共和国土地管理法", True, None), ("中华人民共和国土地管理法实施条例", True, None),
    ]


def test_unit_view_shows_links_both_ways(client: TestClient) -> None:
    clause = client.get(f"/api/units/{XJ}:a10.k2").json()
    assert [r["id"] for r in clause["refs"]] == [f"{XJ}:a10.k1.x3", f"{XJ}:a10.k1.x4"] and clause["referenced_by"] == []
    item = client.get(f"/api/units/{XJ}:a10.k1.x3").json()
    assert item["refs"] == [] and [(r["id"], r["text"]) for r in item["referenced_by"]] == [(f"{XJ}:a10.k2", "前款第（三）项")]
    assert [r["id"] for r in client.get(f"/api/units/{XJ}:a19.k1").json()["referenced_by"]] == [f"{XJ}:a19.k2"]
    plain = client.get(f"/api/units/{XJ}:a30").json()
    assert plain["refs"] == [] and plain["referenced_by"] == []


def test_widget_opens_a_reference_as_json(client: TestClient) -> None:
    response = client.get(f"/widget/units/{XJ}:a10.k1.x3?key={KEY}", headers={"Origin": ORIGIN})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ORIGIN
    assert response.json()["text"].startswith("（三）县（市）国土空间总体规划")
    assert client.get(f"/widget/units/{XJ}:a999", headers=WIDGET).status_code == 404
    assert client.get(f"/widget/units/{XJ}:a10.k1.x3", headers={"Origin": "http://evil.example", "X-Landqa-Key": KEY}).status_code == 403
    assert client.get(f"/widget/units/{XJ}:a10.k1.x3", headers={"Origin": ORIGIN}).status_code == 401


def test_unit_page_links_both_ways(client: TestClient) -> None:
    clause = client.get(f"/widget/unit/{XJ}:a10.k2?key={KEY}").text
    assert "本条引用" in clause and f'href="/widget/unit/{XJ}:a10.k1.x3?key={KEY}"' in clause
    item = client.get(f"/widget/unit/{XJ}:a10.k1.x3?key={KEY}").text
    assert "被以下条文引用" in item and f'href="/widget/unit/{XJ}:a10.k2?key={KEY}"' in item
    article = client.get(f"/widget/unit/{XJ}:a53?key={KEY}").text
    assert "《中华人民共和国土地管理法》（未收录于本系统）" in article
