"""The official `openai` client against landqa's /v1 endpoints on a real uvicorn server (loopback)."""
from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from eval.loadtest import serve_in_thread
from qa.api.app import create_app
from qa.config import Settings

QUESTION = "宅基地申请要公示几天？"
API_KEY = "test-key-123"


@pytest.fixture(scope="module")
def base_url(engine) -> Iterator[str]:
    app = create_app(Settings(rate_limit_per_minute=100_000), engine=engine)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused", timeout=60, max_retries=0)


@pytest.fixture(scope="module")
def expected(base_url: str) -> dict:
    return httpx.post(f"{base_url}/api/ask", json={"question": QUESTION}, timeout=60).json()


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["landqa"]


def test_completion_without_stream(client: openai.OpenAI, expected: dict, corpus) -> None:
    completion = client.chat.completions.create(model="landqa", messages=[{"role": "user", "content": QUESTION}])
    assert completion.object == "chat.completion"
    assert completion.model == "landqa"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content == expected["answer"]
    assert choice.message.content is not None and "十日" in choice.message.content
    assert completion.usage is not None and completion.usage.total_tokens > 0
    assert completion.model_extra is not None
    extra = completion.model_extra["landqa"]  # citations travel alongside the OpenAI fields
    assert [c["id"] for c in extra["citations"]] == [c["id"] for c in expected["citations"]]
    for citation in extra["citations"]:
        assert citation["text"] == corpus.unit(citation["id"]).text


def test_completion_with_stream(client: openai.OpenAI, expected: dict) -> None:
    stream = client.chat.completions.create(model="landqa", messages=[{"role": "user", "content": QUESTION}], stream=True)
    pieces: list[str] = []
    finish = []
    last_extra = None
    ids = set()
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        ids.add(chunk.id)
        delta = chunk.choices[0].delta
        if delta.content:
            pieces.append(delta.content)
        if chunk.choices[0].finish_reason:
            finish.append(chunk.choices[0].finish_reason)
            assert chunk.model_extra is not None
            last_extra = chunk.model_extra.get("landqa")
    assert "".join(pieces) == expected["answer"]
    assert len(pieces) > 1  # really streamed in pieces
    assert finish == ["stop"]
    assert len(ids) == 1
    assert last_extra is not None and last_extra["citations"]


def test_system_and_earlier_turns_are_accepted(client: openai.OpenAI, expected: dict) -> None:
    completion = client.chat.completions.create(
        model="landqa",
        temperature=0.2,
        max_tokens=300,
        messages=[
            {"role": "system", "content": "你是助手。"},
            {"role": "user", "content": "你好"},
            {"role": "assistant", "content": "你好，请问有什么问题？"},
            {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
        ],
    )
    assert completion.choices[0].message.content == expected["answer"]


def test_bad_requests_raise_client_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as empty:
        client.chat.completions.create(model="landqa", messages=[{"role": "user", "content": "   "}])
    assert empty.value.status_code == 422
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="landqa", messages=[{"role": "system", "content": "只有系统消息"}])
    with pytest.raises(openai.APIStatusError) as too_big:
        client.chat.completions.create(model="landqa", messages=[{"role": "user", "content": "宅" * 20_000}])
    assert too_big.value.status_code == 413


def test_api_keys_are_enforced_when_configured(engine) -> None:
    app = create_app(Settings(api_keys=[API_KEY], rate_limit_per_minute=100_000), engine=engine)
    with serve_in_thread(app) as url:
        wrong = openai.OpenAI(base_url=f"{url}/v1", api_key="wrong", max_retries=0, timeout=60)
        with pytest.raises(openai.AuthenticationError):
            wrong.chat.completions.create(model="landqa", messages=[{"role": "user", "content": QUESTION}])
        right = openai.OpenAI(base_url=f"{url}/v1", api_key=API_KEY, max_retries=0, timeout=60)
        answer = right.chat.completions.create(model="landqa", messages=[{"role": "user", "content": QUESTION}]).choices[0].message.content
        assert answer is not None and "十日" in answer
