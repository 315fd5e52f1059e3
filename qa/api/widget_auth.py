"""Widget keys, their allowed origins and CORS: checked on every call the embedded widget makes.

A widget key is public (it sits in the host page's HTML), so it is paired with the exact origins
allowed to use it.  Every /widget/* call must carry the key (X-Landqa-Key header, or ?key= for the
simple GET calls that must not trigger a preflight) and come from one of that key's origins:

* no key                     -> 401 widget_key_missing
* unknown key                -> 403 widget_key_invalid
* no Origin (nor Referer)    -> 403 widget_origin_missing
* origin not allowed for key -> 403 widget_origin_not_allowed
* too many calls             -> 429 rate_limited + Retry-After (per key and per client address)

CORS (WidgetCORSMiddleware): a preflight is answered only for an origin some widget key allows;
responses echo Access-Control-Allow-Origin only to such origins, except refusals (401/403), which
carry no data and are readable by any origin so the widget can say why it was refused.
"""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.api.deps import enforce_rate_limit
from qa.api.errors import ApiError, error_response
from qa.config import Settings, WidgetKey

KEY_HEADER = "x-landqa-key"
WIDGET_PREFIX = "/widget/"
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Content-Type, X-Landqa-Key, X-Request-ID"
EXPOSE_HEADERS = "Retry-After, X-Request-ID, X-Landqa-Widget-Version"
PREFLIGHT_MAX_AGE = "600"


def normalize_origin(value: str | None) -> str | None:
    """`scheme://host[:port]` in lower case, default ports dropped; None for "null" or junk."""
    if not value or value.strip().lower() == "null":
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def allowed_origins(settings: Settings) -> set[str]:
    """Every origin at least one widget key allows: the set CORS preflights are answered for."""
    return {o for k in settings.widget_keys for o in (normalize_origin(x) for x in k.origins) if o}


def find_key(settings: Settings, key: str) -> WidgetKey | None:
    found = None
    for candidate in settings.widget_keys:
        # Compare against every key, in constant time per key.
        if hmac.compare_digest(candidate.key.encode(), key.encode()):
            found = candidate
    return found


def request_origin(request: Request) -> str | None:
    """The calling page's origin: the Origin header, else the origin of the Referer.

    Browsers send Origin on every cross-origin call and on same-origin POSTs; a same-origin GET
    (the demo page) carries only the Referer, which the default referrer policy still sends.
    """
    origin = request.headers.get("origin")
    if origin is not None:
        return normalize_origin(origin)
    referer = request.headers.get("referer")
    return normalize_origin(referer) if referer else None


def check_widget_key(request: Request, key: str | None) -> WidgetKey:
    settings: Settings = request.app.state.settings
    key = (key or "").strip()
    if not key:
        raise ApiError(401, "widget_key_missing", "缺少组件密钥（data-key）。", "Missing widget key (X-Landqa-Key).")
    widget_key = find_key(settings, key)
    if widget_key is None:
        raise ApiError(403, "widget_key_invalid", "组件密钥无效，请联系管理员。", "Unknown widget key.")
    origin = request_origin(request)
    if origin is None:
        raise ApiError(403, "widget_origin_missing", "请求缺少来源（Origin），已拒绝。", "The request carries no Origin; refused.")
    if origin not in {normalize_origin(o) for o in widget_key.origins}:
        zh = f"此网页（{origin}）未获授权使用该组件密钥，请联系管理员。"
        raise ApiError(403, "widget_origin_not_allowed", zh, f"Origin {origin} is not allowed for this widget key.")
    return widget_key


def widget_access(request: Request) -> WidgetKey:
    """Dependency for widget calls: key from the header (or ?key=), origin, then rate limits."""
    key = request.headers.get(KEY_HEADER) or request.query_params.get("key")
    widget_key = check_widget_key(request, key)
    enforce_rate_limit(request, f"widget:{widget_key.key}")
    return widget_key


def widget_key_only(request: Request) -> WidgetKey:
    """Key check without an origin, for top-level navigations (the full-unit page opened from a card)."""
    settings: Settings = request.app.state.settings
    key = (request.query_params.get("key") or "").strip()
    if not key:
        raise ApiError(401, "widget_key_missing", "缺少组件密钥。", "Missing widget key.")
    widget_key = find_key(settings, key)
    if widget_key is None:
        raise ApiError(403, "widget_key_invalid", "组件密钥无效，请联系管理员。", "Unknown widget key.")
    enforce_rate_limit(request, f"widget:{widget_key.key}")
    return widget_key


class WidgetCORSMiddleware:
    """CORS for /widget/* only; the JSON API and the OpenAI-compatible endpoint stay same-origin."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.origins = allowed_origins(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(WIDGET_PREFIX):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        raw_origin = request.headers.get("origin")
        origin = normalize_origin(raw_origin)
        if request.method == "OPTIONS" and raw_origin is not None and "access-control-request-method" in request.headers:
            await self._preflight(request, origin)(scope, receive, send)
            return
        if raw_origin is None:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Origin")
                status = message["status"]
                if origin in self.origins or (status in (401, 403) and raw_origin):
                    headers["Access-Control-Allow-Origin"] = raw_origin
                    headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, request: Request, origin: str | None) -> Response:
        if origin is None or origin not in self.origins:
            zh, en = "此网页的来源未获授权使用问答组件。", "This origin is not allowed to use the widget."
            response = error_response(request, 403, "widget_origin_not_allowed", zh, en)
            response.headers["Vary"] = "Origin"
            return response
        return Response(status_code=204, headers={
            "Access-Control-Allow-Origin": request.headers["origin"],
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
            "Vary": "Origin",
        })
