"""The body limit on its own: what passes reaches the route whole, what does not is refused after reading little."""
from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from qa.api.limits import BodyLimitMiddleware

LIMIT = 1000


async def _echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"length": len(body), "head": body[:10].decode("latin-1")})


def _app() -> BodyLimitMiddleware:
    return BodyLimitMiddleware(Starlette(routes=[Route("/echo", _echo, methods=["GET", "POST"])]), max_bytes=LIMIT)


def _call(method: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]], disconnect_after: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """Run one request through the middleware; the response messages and how many chunks were read."""
    read = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if (disconnect_after is not None and read >= disconnect_after) or read >= len(chunks):
            await asyncio.sleep(0)
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http", "path": "/echo",
        "raw_path": b"/echo", "query_string": b"", "root_path": "", "headers": headers, "client": ("127.0.0.1", 1), "server": ("test", 80),
    }
    asyncio.run(_app()(scope, receive, send))  # type: ignore[arg-type]
    return messages, read


def _status_and_body(messages: list[dict[str, Any]]) -> tuple[int, bytes]:
    return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])


def test_a_chunked_body_under_the_limit_reaches_the_route_whole() -> None:
    chunks = [b"a" * 300, b"b" * 300, b"c" * 300]
    status, body = _status_and_body(_call("POST", chunks, [(b"transfer-encoding", b"chunked")])[0])
    assert status == 200 and body == b'{"length":900,"head":"aaaaaaaaaa"}'


def test_a_request_without_body_passes() -> None:
    status, body = _status_and_body(_call("GET", [b""], [])[0])
    assert status == 200 and b'"length":0' in body


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    messages, read = _call("POST", [b"x" * 2000], [(b"content-length", b"2000")])
    assert _status_and_body(messages)[0] == 413 and read == 0
    messages, read = _call("POST", [b"x"], [(b"content-length", b"12abc")])
    assert _status_and_body(messages)[0] == 413 and read == 0


def test_a_chunked_body_over_the_limit_is_refused_one_chunk_past_it() -> None:
    chunks = [b"x" * 400] * 50
    messages, read = _call("POST", chunks, [(b"transfer-encoding", b"chunked")])
    status, body = _status_and_body(messages)
    assert status == 413 and read == 3  # 1200 bytes read of 20000
    assert b'"body_too_large"' in body and b"1000" in body


def test_a_client_gone_mid_body_does_not_crash() -> None:
    messages, read = _call("POST", [b"x" * 100] * 5, [(b"transfer-encoding", b"chunked")], disconnect_after=2)
    assert read == 2 and _status_and_body(messages)[0] == 200  # the route saw what arrived; the answer goes nowhere
