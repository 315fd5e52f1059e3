"""POST /v1/chat/completions and GET /v1/models: the OpenAI-compatible face of landqa."""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from qa.api.deps import api_access, get_engine
from qa.api.errors import ApiError
from qa.api.routers.ask import ERRORS
from qa.engine import Engine
from qa.schemas import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS, MAX_TURN_CHARS, AskRequest, AskResponse, clean_question

router = APIRouter(tags=["chat completions"])
MODEL_NAME = "landqa"
STREAM_CHUNK_CHARS = 24


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: StrictStr
    text: StrictStr | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: StrictStr | list[ContentPart] | None = None


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens… are accepted and ignored
    model: StrictStr = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    return "".join(part.text or "" for part in message.content or [] if part.type == "text")


def _last_user_index(messages: list[ChatMessage]) -> int:
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role == "user" and messages[index].content is not None:
            return index
    raise ApiError(422, "no_user_message", "消息中没有用户问题。", "No user message in messages.")


def last_question(messages: list[ChatMessage]) -> str:
    """The last user message is the question."""
    return _text(messages[_last_user_index(messages)])


def conversation(messages: list[ChatMessage]) -> list[dict[str, str]] | None:
    """The user and assistant turns before the question, as /api/ask's `history`.

    OpenAI clients send the whole conversation every time, so instead of refusing a long one the
    most recent turns are kept within the history bounds, each cut to MAX_TURN_CHARS. System,
    developer and tool messages are not conversation turns.
    """
    turns: list[dict[str, str]] = []
    total = 0
    for message in reversed(messages[: _last_user_index(messages)]):
        if message.role not in ("user", "assistant"):
            continue
        content = clean_question(_text(message))[:MAX_TURN_CHARS]
        if not content:
            continue
        if len(turns) == MAX_HISTORY_TURNS or total + len(content) > MAX_HISTORY_CHARS:
            break
        turns.append({"role": message.role, "content": content})
        total += len(content)
    return list(reversed(turns)) or None


def _completion(result: AskResponse, completion_id: str, created: int) -> dict[str, object]:
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_NAME,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": result.answer}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": len(result.question), "completion_tokens": len(result.answer), "total_tokens": len(result.question) + len(result.answer)},
        "landqa": result.model_dump(mode="json"),
    }


def _chunks(result: AskResponse, completion_id: str, created: int) -> Iterator[str]:
    def event(delta: dict[str, str], finish: str | None = None, extra: dict[str, object] | None = None) -> str:
        payload = {
            "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_NAME,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **(extra or {}),
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for start in range(0, len(result.answer), STREAM_CHUNK_CHARS):
        yield event({"content": result.answer[start : start + STREAM_CHUNK_CHARS]})
    # The citations and computations travel with the last chunk, for clients that want them.
    yield event({}, "stop", {"landqa": result.model_dump(mode="json")})
    yield "data: [DONE]\n\n"


# The 200 is JSON, or server-sent events when the request says "stream": true: each event's data
# is one chat.completion.chunk as JSON, and the last is the literal [DONE].
SSE_EVENT = {"type": "object", "properties": {"data": {"type": "string"}}, "required": ["data"]}
STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "chat.completion (JSON), or chat.completion.chunk events when stream is true",
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    }
}


# Any: FastAPI reads the return type as the response model, and this one is JSON or an event stream
@router.post("/v1/chat/completions", responses={**ERRORS, **STREAM_RESPONSE})
def chat_completions(body: ChatRequest, engine: Engine = Depends(get_engine), _: str | None = Depends(api_access)) -> Any:
    question = AskRequest(question=last_question(body.messages)).question
    result = engine.ask(question, history=conversation(body.messages))
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    if body.stream:
        return StreamingResponse(_chunks(result, completion_id, created), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    return _completion(result, completion_id, created)


@router.get("/v1/models")
def models(_: str | None = Depends(api_access)) -> dict[str, object]:
    return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "landqa"}]}
