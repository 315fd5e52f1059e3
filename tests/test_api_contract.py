"""The JSON API's contract: shapes of /api/ask, /api/search, /api/units/{id}, /api/docs, health and readiness."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings
from qa.rules.model import Computation

CITATION_FIELDS = {"id", "doc_id", "doc_title", "label", "status", "text", "score"}
ASK_FIELDS = {"question", "answer", "abstained", "citations", "computations", "timings_ms"}


@pytest.fixture(scope="module")
def client(engine) -> Iterator[TestClient]:
    app = create_app(Settings(rate_limit_per_minute=100_000), engine=engine)
    with TestClient(app) as test_client:
        yield test_client


def _check_citation(citation: dict, corpus) -> None:
    assert citation.keys() >= CITATION_FIELDS
    assert isinstance(citation["score"], float | int)
    unit = corpus.unit(citation["id"])  # KeyError if the id is not in the corpus
    assert citation["text"] == unit.text
    assert citation["doc_id"] == unit.doc_id
    doc = corpus.document(unit.doc_id)
    assert citation["doc_title"] == doc.title and citation["status"] == doc.status
    if citation.get("quote") is not None:
        assert citation["quote"] in unit.text


def test_ask_returns_the_documented_shape(client: TestClient, corpus) -> None:
    response = client.post("/api/ask", json={"question": "宅基地申请要公示几天？"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body.keys() >= ASK_FIELDS
    assert body["question"] == "宅基地申请要公示几天？"
    assert body["abstained"] is False
    assert "十日" in body["answer"]
    assert isinstance(body["computations"], list)
    assert isinstance(body["timings_ms"], dict) and body["timings_ms"]["total"] >= 0
    assert 1 <= len(body["citations"]) <= 5
    assert any(c["id"].startswith("xj-measures:a40") for c in body["citations"])
    for citation in body["citations"]:
        _check_citation(citation, corpus)


def test_ask_honours_top_k(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "临时用地的期限一般不超过几年？", "top_k": 2}).json()
    assert len(body["citations"]) <= 2


def test_ask_computation_is_returned_with_its_sources(client: TestClient, corpus) -> None:
    body = client.post("/api/ask", json={"question": "巴楚县2025年国有建设用地供应总量是多少公顷？"}).json()
    assert body["abstained"] is False
    assert "383.73" in body["answer"]
    for computation in body["computations"]:
        assert {"rule", "title", "result", "formula", "inputs", "citation_ids", "warnings"} <= computation.keys()
        for unit_id in computation["citation_ids"]:
            assert corpus.has_unit(unit_id)
    for citation in body["citations"]:
        _check_citation(citation, corpus)


# the computation's API shape: every field of qa.rules.model.Computation except the engine's own `answers`
COMPUTATION_FIELDS = {
    "rule", "title", "result", "value", "formula", "inputs", "citation_ids", "warnings", "missing", "other_regions",
    "details", "understood", "unbound", "readings", "yields_to",
}


def test_ask_computation_is_the_rules_computation_with_a_json_number(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "人均耕地0.05公顷宅基地最多多大"}).json()
    computation = next(c for c in body["computations"] if c["rule"] == "xj.a39.homestead_cap")
    assert list(computation) == [f for f in Computation.model_fields if f in COMPUTATION_FIELDS]
    assert set(computation) == COMPUTATION_FIELDS
    assert computation["value"] == 300 and isinstance(computation["value"], int)
    assert all(isinstance(u["words"], str) for u in computation["understood"])
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Computation"]
    assert set(schema["properties"]) == COMPUTATION_FIELDS
    assert {t.get("type") for t in schema["properties"]["value"]["anyOf"]} == {"integer", "number", "null"}


def test_ask_abstains_outside_the_corpus(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "上海市的土地出让金怎么计算？"}).json()
    assert body["abstained"] is True
    assert body["reason"]


def test_search_returns_ranked_citations(client: TestClient, corpus) -> None:
    response = client.post("/api/search", json={"query": "宅基地 公示", "top_k": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 1 <= len(results) <= 3
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    for result in results:
        _check_citation(result, corpus)
    assert results[0]["id"].startswith("xj-measures:a40")


def test_search_default_top_k_is_ten(client: TestClient) -> None:
    assert len(client.post("/api/search", json={"query": "耕地保护"}).json()["results"]) == 10


def test_unit_has_heading_path_and_neighbours(client: TestClient, corpus) -> None:
    response = client.get("/api/units/xj-measures:a40")
    assert response.status_code == 200
    unit = response.json()
    assert unit["text"] == corpus.unit("xj-measures:a40").text
    assert unit["heading_path"] == ["第五章 建设用地"]
    assert unit["previous"] == "xj-measures:a39"
    assert unit["next"] and corpus.has_unit(unit["next"])
    assert unit["children"] == ["xj-measures:a40.k1"]
    previous = client.get(f"/api/units/{unit['previous']}").json()
    assert previous["next"] == "xj-measures:a40"
    child = client.get("/api/units/xj-measures:a40.k1").json()
    assert child["parent"] == "xj-measures:a40" and child["kind"] == "clause"


def test_plan_unit_heading_path(client: TestClient) -> None:
    unit = client.get("/api/units/bachu-supply-2025:h3.i2.p1").json()
    assert unit["heading_path"] == ["三、计划指标", "（二）国有建设用地供应结构"]
    assert unit["status"] == "征求意见稿"


def test_unknown_unit_is_a_bilingual_404(client: TestClient) -> None:
    response = client.get("/api/units/xj-measures:a9999")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unit_not_found"
    assert error["message_zh"] and error["message_en"] and error["request_id"]


def test_docs_lists_the_catalog(client: TestClient, corpus) -> None:
    docs = client.get("/api/docs").json()
    assert [d["id"] for d in docs] == [d.id for d in corpus.catalog.documents]
    units = {p.doc_id: len(p.units) for p in corpus.documents}
    for doc in docs:
        assert {"title", "short_name", "issuer", "region", "kind", "status", "dates"} <= doc.keys()
        assert doc["units"] == units[doc["id"]]


def test_healthz_and_readyz(client: TestClient, engine) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["units"] == len(engine.index.units) > 0
    assert body["index"] == engine.index.directory.name
    assert body["model"] == engine.index.model_id


def test_readyz_is_503_until_the_engine_is_loaded() -> None:
    app = create_app(Settings())
    # No lifespan run (no `with`): the engine was never loaded.
    client = TestClient(app)
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "loading"
    not_ready = client.post("/api/ask", json={"question": "宅基地"})
    assert not_ready.status_code == 503 and not_ready.headers["retry-after"] == "5"
    assert not_ready.json()["error"]["code"] == "not_ready"


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 16 and generated != client.get("/healthz").headers["x-request-id"]


def test_chat_completion_carries_the_grounded_result(client: TestClient, corpus) -> None:
    response = client.post("/v1/chat/completions", json={"model": "landqa", "messages": [{"role": "user", "content": "宅基地申请要公示几天？"}]})
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"]["content"] == body["landqa"]["answer"]
    for citation in body["landqa"]["citations"]:
        _check_citation(citation, corpus)


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/search", "/api/units/{unit_id}", "/api/docs", "/v1/chat/completions", "/healthz", "/readyz"):
        assert path in paths
