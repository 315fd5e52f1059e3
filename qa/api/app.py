"""The FastAPI application: routers, error handlers, request ids, size limits and access logs."""
from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from qa.api.errors import error_response, install_error_handlers
from qa.api.limits import BodyLimitMiddleware, RateLimiter
from qa.api.routers import ask, chat, feedback, health, search, units, widget
from qa.api.widget_auth import WidgetCORSMiddleware
from qa.config import Settings, load_settings
from qa.engine import Engine, load_engine

log = logging.getLogger("landqa.access")


def _log_request(request: Request, status: int, started: float, settings: Settings, question: str | None) -> None:
    record = {
        "request_id": request.state.request_id,
        "method": request.method,
        "path": request.url.path,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "client": request.client.host if request.client else None,
    }
    if settings.log_questions and question:
        record["question"] = question
    log.info(json.dumps(record, ensure_ascii=False))


async def _with_timeout(request: Request, call_next: Callable[[Request], Awaitable[Response]], seconds: float) -> Response:
    """The route's response, or a 504 once `seconds` have passed.

    A synchronous route keeps its worker thread until it returns (threads cannot be killed);
    the client is answered on time all the same, and the late result is dropped.
    """
    task = asyncio.ensure_future(call_next(request))
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    log.warning(json.dumps({"request_id": request.state.request_id, "event": "timeout", "seconds": seconds}))
    return error_response(
        request, 504, "timeout", f"处理超时（超过{seconds:g}秒），请稍后再试。", f"The request took longer than {seconds:g} s; try again later."
    )


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app; the engine is loaded at start-up unless one is given (tests share one)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.engine is None:
            app.state.engine = await run_in_threadpool(load_engine, settings)
            # The ONNX session is made before /readyz says ready, not by the first question.
            await run_in_threadpool(app.state.engine.embedder.warm_up)
        yield

    app = FastAPI(title="landqa", version="0.1.0", description="土地管理法规与规划问答 API：有据可查的回答、引用与计算。", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)  # 413 inside request_context: logged, with the request id
    app.add_middleware(WidgetCORSMiddleware, settings=settings)  # CORS for /widget/* only; inside request_context

    @app.middleware("http")
    async def request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        request.state.request_id = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex[:16]
        response = await _with_timeout(request, call_next, settings.request_timeout_s)
        response.headers["X-Request-ID"] = request.state.request_id
        _log_request(request, response.status_code, started, settings, getattr(request.state, "question", None))
        return response

    for module in (health, ask, search, units, chat, widget, feedback):
        app.include_router(module.router)
    return app
