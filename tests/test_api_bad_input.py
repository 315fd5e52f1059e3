"""Bad input gets a 4xx with a clear message in Chinese and English, never a 500."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(engine) -> Iterator[TestClient]:
    app = create_app(Settings(rate_limit_per_minute=100_000), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _assert_error(response, status: int, code: str, zh_part: str = "", en_part: str = "") -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert HAN.search(error["message_zh"]), error  # really Chinese
    assert error["message_en"].isascii() or not HAN.search(error["message_en"].split(":", 1)[0]), error
    assert zh_part in error["message_zh"], error["message_zh"]
    assert en_part in error["message_en"], error["message_en"]
    assert error["request_id"] == response.headers["x-request-id"]
    return error


ASK_CASES = [
    ("empty", {"question": ""}, "问题不能为空", "the question is empty"),
    ("whitespace", {"question": " \t\n\u3000 "}, "问题不能为空", "the question is empty"),
    ("zero-width only", {"question": "\u200b\u200d\ufeff"}, "问题不能为空", "the question is empty"),
    ("control only", {"question": "\x00\x07\x1b"}, "问题不能为空", "the question is empty"),
    ("1001 chars", {"question": "宅" * 1001}, "问题超过1000个字符", "longer than 1000 characters"),
    ("missing question", {"top_k": 3}, "question：缺少必填字段", "question: Field required"),
    ("question int", {"question": 123}, "question：应为字符串", "question: Input should be a valid string"),
    ("question null", {"question": None}, "question：应为字符串", "valid string"),
    ("question list", {"question": ["宅基地"]}, "question：应为字符串", "valid string"),
    ("question object", {"question": {"q": "宅基地"}}, "question：应为字符串", "valid string"),
    ("top_k string", {"question": "宅基地", "top_k": "5"}, "top_k：应为整数", "top_k: Input should be a valid integer"),
    ("top_k float", {"question": "宅基地", "top_k": 5.0}, "top_k：应为整数", "valid integer"),
    ("top_k bool", {"question": "宅基地", "top_k": True}, "top_k：应为整数", "valid integer"),
    ("top_k zero", {"question": "宅基地", "top_k": 0}, "top_k：应不小于 1", "greater than or equal to 1"),
    ("top_k negative", {"question": "宅基地", "top_k": -3}, "top_k：应不小于 1", "greater than or equal to 1"),
    ("top_k 21", {"question": "宅基地", "top_k": 21}, "top_k：应不大于 20", "less than or equal to 20"),
    ("top_k huge", {"question": "宅基地", "top_k": 10**40}, "top_k：应不大于 20", "less than or equal to 20"),
    ("extra field", {"question": "宅基地", "debug": True}, "debug：不允许的字段", "debug: Extra inputs are not permitted"),
    ("list body", ["宅基地"], "请求体应为 JSON 对象", "JSON object"),
    ("string body", "宅基地", "请求体应为 JSON 对象", "JSON object"),
    ("number body", 42, "请求体应为 JSON 对象", "JSON object"),
]


@pytest.mark.parametrize(("body", "zh", "en"), [c[1:] for c in ASK_CASES], ids=[c[0] for c in ASK_CASES])
def test_bad_ask_bodies_are_422(client: TestClient, body: object, zh: str, en: str) -> None:
    error = _assert_error(client.post("/api/ask", json=body), 422, "invalid_request", zh, en)
    assert error["details"]


SEARCH_CASES = [
    ("empty", {"query": ""}, "query：问题不能为空", "query: the question is empty"),
    ("whitespace", {"query": "\u3000 \n"}, "query：问题不能为空", "the question is empty"),
    ("missing query", {"top_k": 3}, "query：缺少必填字段", "query: Field required"),
    ("question instead of query", {"question": "宅基地"}, "question：不允许的字段", "question: Extra inputs are not permitted"),
    ("1001 chars", {"query": "宅" * 1001}, "问题超过1000个字符", "longer than 1000 characters"),
    ("query int", {"query": 1}, "query：应为字符串", "valid string"),
    ("top_k zero", {"query": "宅基地", "top_k": 0}, "top_k：应不小于 1", "greater than or equal to 1"),
    ("top_k 21", {"query": "宅基地", "top_k": 21}, "top_k：应不大于 20", "less than or equal to 20"),
    ("top_k string", {"query": "宅基地", "top_k": "3"}, "top_k：应为整数", "valid integer"),
    ("list body", [], "请求体应为 JSON 对象", "JSON object"),
]


@pytest.mark.parametrize(("body", "zh", "en"), [c[1:] for c in SEARCH_CASES], ids=[c[0] for c in SEARCH_CASES])
def test_bad_search_bodies_are_422(client: TestClient, body: object, zh: str, en: str) -> None:
    _assert_error(client.post("/api/search", json=body), 422, "invalid_request", zh, en)


@pytest.mark.parametrize(
    "raw",
    [b'{"question": ', b'{"question": "\xe5\xae\x85"', b"{'question': 'x'}", b"\xff\xfe\x00", b'{"question": "x",}', b"nul", b"{" * 5000],
    ids=["truncated", "unterminated string", "single quotes", "not utf-8", "trailing comma", "bare word", "deep nesting"],
)
def test_invalid_json_is_400(client: TestClient, raw: bytes) -> None:
    _assert_error(client.post("/api/ask", content=raw, headers=JSON), 400, "invalid_json", "不是有效的 JSON", "not valid JSON")


def test_empty_body_is_422(client: TestClient) -> None:
    _assert_error(client.post("/api/ask", content=b"", headers=JSON), 422, "invalid_request", "缺少请求体", "body")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_wrong_content_type_is_422_with_a_hint(client: TestClient, content_type: str) -> None:
    response = client.post("/api/ask", content='{"question": "宅基地"}'.encode(), headers={"content-type": content_type})
    _assert_error(response, 422, "invalid_request", "Content-Type: application/json", "Content-Type: application/json")


def test_lone_surrogate_is_422(client: TestClient) -> None:
    response = client.post("/api/ask", content=b'{"question": "\\ud800\\u5b85"}', headers=JSON)
    _assert_error(response, 422, "invalid_request", "question：", "question:")


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "宅" * 100_000})
    _assert_error(response, 413, "body_too_large", "请求体超过16384字节", "exceeds 16384 bytes")


@pytest.mark.parametrize("value", ["-1", "abc", "1e9", "99999999999999999999"])
def test_bad_content_length_is_413(client: TestClient, value: str) -> None:
    response = client.post("/api/ask", content=b'{"question": "x"}', headers={**JSON, "content-length": value})
    assert response.status_code in (400, 413)


@pytest.mark.parametrize("top_k", [1, 20])
def test_top_k_bounds_are_inclusive(client: TestClient, top_k: int) -> None:
    response = client.post("/api/ask", json={"question": "宅基地申请要公示几天？", "top_k": top_k})
    assert response.status_code == 200
    assert 1 <= len(response.json()["citations"]) <= top_k


def test_exactly_1000_characters_is_accepted(client: TestClient) -> None:
    question = ("宅基地申请要公示几天？" * 100)[:1000]
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    assert len(response.json()["question"]) == 1000


def test_length_counts_after_cleaning(client: TestClient) -> None:
    # 1000 visible characters padded with zero-width ones: the cleaned question is what counts.
    question = "\u200b".join("宅" * 1000)
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text


CHAT_CASES = [
    ("no messages", {"messages": []}, "messages：至少 1 项", "messages: List should have at least 1 item"),
    ("messages not a list", {"messages": "宅基地"}, "messages：应为数组", "valid list"),
    ("bad role", {"messages": [{"role": "boss", "content": "x"}]}, "messages.0.role：取值应为", "messages.0.role: Input should be"),
    ("content int", {"messages": [{"role": "user", "content": 5}]}, "messages.0.content", "messages.0.content"),
    ("no user message", {"messages": [{"role": "system", "content": "你好"}]}, "消息中没有用户问题", "No user message"),
    ("empty user message", {"messages": [{"role": "user", "content": " "}]}, "问题不能为空", "the question is empty"),
    ("only image parts", {"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, "问题不能为空", "the question is empty"),
    ("too long", {"messages": [{"role": "user", "content": "宅" * 1001}]}, "问题超过1000个字符", "longer than 1000"),
    ("model int", {"model": 7, "messages": [{"role": "user", "content": "宅基地"}]}, "model：应为字符串", "model: Input should be a valid string"),
]


@pytest.mark.parametrize(("body", "zh", "en"), [c[1:] for c in CHAT_CASES], ids=[c[0] for c in CHAT_CASES])
def test_bad_chat_bodies_are_422(client: TestClient, body: dict, zh: str, en: str) -> None:
    code = "no_user_message" if "消息中没有" in zh else "invalid_request"
    _assert_error(client.post("/v1/chat/completions", json=body), 422, code, zh, en)


def test_unknown_path_is_a_bilingual_404(client: TestClient) -> None:
    _assert_error(client.get("/api/nothing-here"), 404, "http_404", "找不到", "Not found")


def test_wrong_method_is_a_bilingual_405(client: TestClient) -> None:
    response = client.get("/api/ask")
    _assert_error(response, 405, "http_405", "不支持该请求方法", "Method not allowed")
    assert response.headers["allow"] == "POST"


def test_overlong_unit_id_is_422(client: TestClient) -> None:
    _assert_error(
        client.get("/api/units/" + "x" * 201), 422, "invalid_request", "unit_id：最多 200 个字符", "unit_id: String should have at most 200 characters"
    )


@pytest.mark.parametrize("unit_id", ["%00", "..%2F..%2Fetc%2Fpasswd", "%ED%A0%80", "'; DROP TABLE units; --", "<script>alert(1)</script>"])
def test_odd_unit_ids_are_404(client: TestClient, unit_id: str) -> None:
    response = client.get(f"/api/units/{unit_id}")
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/json")
