"""Dependencies: the engine, settings, API keys, rate limits per key and per client address (in Redis when configured)."""
from __future__ import annotations

import hmac
import threading

from fastapi import Depends, FastAPI, Request

from qa.api.errors import ApiError
from qa.api.limits import RateLimiter
from qa.config import Settings
from qa.engine import Engine, load_engine
from qa.shared_state import SharedState, SharedStateUnavailable

_SHARED_LOCK = threading.Lock()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def shared_state(app: FastAPI) -> SharedState | None:
    """The app's Redis-backed state when LANDQA_REDIS_URL is set (made on first use), else None."""
    settings: Settings = app.state.settings
    if not settings.redis_url:
        return None
    with _SHARED_LOCK:
        state: SharedState | None = getattr(app.state, "shared_state", None)
        if state is None:
            state = SharedState(settings, local=app.state.rate_limiter)
            app.state.shared_state = state
    return state


def follow_index_version(app: FastAPI) -> None:
    """Once the engine is loaded, start following the index version announced in Redis (no-op without Redis)."""
    state = shared_state(app)
    if state is not None and getattr(app.state, "engine", None) is not None:
        state.watch(get_engine=lambda: app.state.engine, set_engine=lambda engine: setattr(app.state, "engine", engine), loader=load_engine)


def get_engine(request: Request) -> Engine:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise ApiError(503, "not_ready", "索引正在加载，请稍后再试。", "Indexes are still loading; try again shortly.", {"Retry-After": "5"})
    follow_index_version(request.app)
    return engine


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def require_api_key(request: Request, settings: Settings = Depends(get_settings)) -> str | None:
    """Bearer key for integrators when keys are configured; the JSON API is open otherwise."""
    if not settings.api_keys:
        return None
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not any(hmac.compare_digest(token, key) for key in settings.api_keys):
        raise ApiError(401, "invalid_api_key", "API 密钥无效或缺失。", "Missing or invalid API key.", {"WWW-Authenticate": "Bearer"})
    return token


def enforce_rate_limit(request: Request, key: str | None) -> None:
    """429 over the limit; shared by every replica through Redis when LANDQA_REDIS_URL is set."""
    state = shared_state(request.app)
    limiter = state.rate_limiter if state is not None else request.app.state.rate_limiter
    buckets = [f"addr:{client_address(request)}"] + ([f"key:{key}"] if key else [])
    for bucket in buckets:
        try:
            wait = limiter.check(bucket)
        except SharedStateUnavailable:
            # LANDQA_REDIS_FAIL_OPEN=false: without the shared counters no call is let through.
            zh, en = "限流服务暂不可用，请稍后再试。", "The shared rate limiter is unavailable; try again shortly."
            raise ApiError(503, "rate_limit_unavailable", zh, en, {"Retry-After": "5"}) from None
        if wait is not None:
            raise ApiError(429, "rate_limited", "请求过于频繁，请稍后再试。", "Too many requests; slow down.", {"Retry-After": RateLimiter.retry_after(wait)})


def api_access(request: Request, key: str | None = Depends(require_api_key)) -> str | None:
    """Key check then rate limit, for every JSON API call."""
    enforce_rate_limit(request, key)
    return key
