"""Dependencies: the engine, settings, API keys, rate limits per key and per client address."""
from __future__ import annotations

import hmac

from fastapi import Depends, Request

from qa.api.errors import ApiError
from qa.api.limits import RateLimiter
from qa.config import Settings
from qa.engine import Engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise ApiError(503, "not_ready", "索引正在加载，请稍后再试。", "Indexes are still loading; try again shortly.", {"Retry-After": "5"})
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
    limiter: RateLimiter = request.app.state.rate_limiter
    buckets = [f"addr:{client_address(request)}"] + ([f"key:{key}"] if key else [])
    for bucket in buckets:
        wait = limiter.check(bucket)
        if wait is not None:
            raise ApiError(429, "rate_limited", "请求过于频繁，请稍后再试。", "Too many requests; slow down.", {"Retry-After": RateLimiter.retry_after(wait)})


def api_access(request: Request, key: str | None = Depends(require_api_key)) -> str | None:
    """Key check then rate limit, for every JSON API call."""
    enforce_rate_limit(request, key)
    return key
