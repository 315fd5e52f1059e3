"""Limits on what a client may send: a sliding one-minute rate window per key and address, and a body size cap."""
from __future__ import annotations

import math
import threading
import time
from collections import deque

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.api.errors import error_response


class RateLimiter:
    def __init__(self, per_minute: int, window_s: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, bucket: str, now: float | None = None) -> float | None:
        """Record a hit; return None when allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(bucket, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(0.0, self.window_s - (now - hits[0]))
            hits.append(now)
            if len(self._hits) > 10_000:
                # Forget idle buckets so many distinct clients cannot grow memory without bound.
                for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window_s]:
                    del self._hits[key]
            return None

    @staticmethod
    def retry_after(seconds: float) -> str:
        return str(max(1, math.ceil(seconds)))


class BodyLimitMiddleware:
    """413 for a request body over `max_bytes`, read no further than one chunk past the limit.

    A declared Content-Length over the limit (or not a number) is refused unread; a chunked body,
    which declares nothing, is read up to the limit. An accepted body is handed downstream whole
    through a replaying `receive`, so routes read it as usual.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Request(scope).headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break  # nobody to answer; the route sees what arrived and its response goes nowhere
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the client's disconnect, for streaming responses
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes
        response = error_response(Request(scope), 413, "body_too_large", f"请求体超过{limit}字节。", f"Request body exceeds {limit} bytes.")
        await response(scope, receive, send)
