"""The embeddable widget: GET /widget.js, the demo page, and the calls the widget makes.

GET  /widget.js               the script (ETag, Cache-Control; immutable when ?v= names its version)
GET  /widget/demo             a demo intranet page that embeds it with a key allowed for this origin
GET  /widget/hello?key=       key and origin check, a simple request the widget makes on first open
POST /widget/ask              {question, history?} -> text/event-stream: start, delta…, done (the AskResponse)
GET  /widget/unit/{id}?key=   the full unit as an HTML page, for the link on a citation card
GET  /widget/units/{id}?key=  the unit as JSON (UnitView), for a cross-reference opened inside a card
(POST /widget/feedback, 👍/👎 on an answer, is in routers/feedback.py with POST /api/feedback.)
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from qa.api.deps import get_engine
from qa.api.errors import ApiError, ErrorResponse
from qa.api.widget_auth import normalize_origin, widget_access, widget_key_only
from qa.config import Settings, WidgetKey
from qa.engine import Engine
from qa.schemas import AskRequest, AskResponse, UnitView

log = logging.getLogger("landqa.widget")
router = APIRouter(tags=["widget"])
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STREAM_CHUNK_CHARS = 16
# FastAPI types `responses` as dict[int | str, dict[str, Any]].
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 422, 429, 503)}


# ---------------------------------------------------------------------- the script
@dataclass(frozen=True)
class Script:
    body: bytes
    gzipped: bytes
    version: str
    etag: str

    @property
    def etag_gzip(self) -> str:
        return self.etag[:-1] + '-gz"'


_script_cache: dict[tuple[str, int], Script] = {}


def widget_script() -> Script:
    """widget.js with its version (from the file) and a strong ETag; re-read when the file changes."""
    path = STATIC_DIR / "widget.js"
    stamp = (str(path), path.stat().st_mtime_ns)
    if stamp not in _script_cache:
        body = path.read_bytes()
        found = re.search(rb'VERSION\s*=\s*"([0-9A-Za-z.\-]+)"', body)
        version = found.group(1).decode() if found else "0"
        _script_cache.clear()
        _script_cache[stamp] = Script(body, gzip.compress(body, 9, mtime=0), version, f'"{version}-{hashlib.sha256(body).hexdigest()[:16]}"')
    return _script_cache[next(iter(_script_cache))]


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request) -> Response:
    script = widget_script()
    versioned = request.query_params.get("v") == script.version
    compress = "gzip" in request.headers.get("accept-encoding", "").lower()
    headers = {
        "ETag": script.etag_gzip if compress else script.etag,
        "Vary": "Accept-Encoding",
        # A ?v= naming the current version never changes; the bare URL of the snippet is revalidated.
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "public, max-age=300, must-revalidate",
        "X-Landqa-Widget-Version": script.version,
        "Cross-Origin-Resource-Policy": "cross-origin",
        "X-Content-Type-Options": "nosniff",
    }
    if _etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    if compress:
        headers["Content-Encoding"] = "gzip"
    return Response(script.gzipped if compress else script.body, media_type="text/javascript; charset=utf-8", headers=headers)


# ---------------------------------------------------------------------- the demo page
def _own_origin(request: Request) -> str | None:
    return normalize_origin(str(request.base_url))


def demo_key(settings: Settings, origin: str | None) -> WidgetKey | None:
    """The first widget key that allows the server's own origin, so the demo works as served."""
    return next((k for k in settings.widget_keys if origin in {normalize_origin(o) for o in k.origins}), None)


@router.get("/widget/demo", response_class=HTMLResponse, include_in_schema=False)
def demo(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    origin = _own_origin(request)
    key = demo_key(settings, origin)
    script = widget_script()
    base = str(request.base_url).rstrip("/")
    snippet = f'<script src="{base}/widget.js" data-key="{key.key if key else "KEY"}" async></script>'
    if key is None:
        notice = f"未配置允许本页来源（{origin}）的组件密钥：请在 widget_keys 中为某个密钥加入该来源。"
        embed = ""
    else:
        notice = f"本页使用密钥“{key.name or key.key}”，允许的来源：{'、'.join(key.origins)}。"
        embed = f'<script src="/widget.js?v={html.escape(script.version, quote=True)}" data-key="{html.escape(key.key, quote=True)}" async></script>'
    page = (STATIC_DIR / "demo.html").read_text(encoding="utf-8")
    page = page.replace("{{SNIPPET}}", html.escape(snippet)).replace("{{NOTICE}}", html.escape(notice))
    page = page.replace("{{VERSION}}", html.escape(script.version)).replace("{{EMBED}}", embed)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


# ---------------------------------------------------------------------- the calls the widget makes
@router.get("/widget/hello", responses=ERRORS)
def hello(widget_key: WidgetKey = Depends(widget_access)) -> dict[str, object]:
    """A simple GET (no preflight) so the widget learns early whether this page may use its key."""
    return {"status": "ok", "name": widget_key.name, "version": widget_script().version}


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def ask_events(engine: Engine, body: AskRequest, request_id: str) -> Iterator[str]:
    """start at once (the widget shows it is searching), then the answer in pieces, then the whole result."""
    yield _sse("start", {"request_id": request_id})
    try:
        result: AskResponse = engine.ask(body.question, body.top_k, history=body.history_dicts())
    except Exception:
        log.exception("widget ask failed", extra={"request_id": request_id})
        yield _sse("error", {"error": {
            "code": "internal_error",
            "message_zh": "服务器内部错误，请稍后再试。",
            "message_en": "Internal server error; please try again later.",
            "request_id": request_id,
        }})
        return
    for start in range(0, len(result.answer), STREAM_CHUNK_CHARS):
        yield _sse("delta", {"text": result.answer[start : start + STREAM_CHUNK_CHARS]})
    yield _sse("done", result.model_dump(mode="json"))


ASK_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}, "application/json": {"schema": {"$ref": "#/components/schemas/AskResponse"}}}}
}


@router.post("/widget/ask", responses={**ERRORS, **ASK_RESPONSE})
def widget_ask(body: AskRequest, request: Request, engine: Engine = Depends(get_engine), _: WidgetKey = Depends(widget_access)) -> Response:
    request.state.question = body.question  # logged only when log_questions is set
    if "text/event-stream" not in request.headers.get("accept", ""):
        return JSONResponse(engine.ask(body.question, body.top_k, history=body.history_dicts()).model_dump(mode="json"))
    return StreamingResponse(
        ask_events(engine, body, request.state.request_id),
        media_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-cache, no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/widget/units/{unit_id}", response_model=UnitView, responses={**ERRORS, 404: {"model": ErrorResponse}})
def widget_unit(unit_id: str = PathParam(max_length=200), engine: Engine = Depends(get_engine), _: WidgetKey = Depends(widget_access)) -> UnitView:
    """A simple GET (key in ?key=, no preflight): the unit a citation card's cross-reference opens."""
    if not engine.corpus.has_unit(unit_id):
        raise ApiError(404, "unit_not_found", f"没有编号为 {unit_id} 的条文单元。", f"No unit with id {unit_id}.")
    return engine.unit_view(unit_id)


# ---------------------------------------------------------------------- the full unit
UNIT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _unit_link(unit_id: str, key: str, text: str) -> str:
    href = f'/widget/unit/{html.escape(quote(unit_id, safe=":"), quote=True)}?key={html.escape(quote(key, safe=""), quote=True)}'
    return f'<a href="{href}">{html.escape(text)}</a>'


@router.get(
    "/widget/unit/{unit_id}",
    response_class=HTMLResponse,
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}, 404: {"description": "未找到条文（HTML 页面）"}},
)
def unit_page(unit_id: str = PathParam(max_length=200), engine: Engine = Depends(get_engine), widget_key: WidgetKey = Depends(widget_key_only)) -> HTMLResponse:
    """The unit opened from a citation card: every value escaped, no script, a strict CSP."""
    headers = {"Content-Security-Policy": UNIT_PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if not engine.corpus.has_unit(unit_id):
        missing = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>未找到条文</title></head>'
            f"<body><h1>未找到条文</h1><p>没有编号为“{html.escape(unit_id)}”的条文单元。/ No unit with this id.</p></body></html>"
        )
        return HTMLResponse(missing, status_code=404, headers=headers)
    view = engine.unit_view(unit_id)
    esc = html.escape
    draft = engine.corpus.document(view.doc_id).is_draft
    key = widget_key.key
    nav = []
    if view.parent:
        nav.append(_unit_link(view.parent, key, "上一级"))
    if view.previous:
        nav.append(_unit_link(view.previous, key, "← 上一条"))
    if view.next:
        nav.append(_unit_link(view.next, key, "下一条 →"))
    children = "".join(f"<li>{_unit_link(c, key, engine.corpus.unit(c).label)}</li>" for c in view.children if engine.corpus.has_unit(c))
    # Cross-references both ways: what this text points to (an outside law is only named), and what points here.
    targets = [f"{esc('《' + (r.title or '') + '》')}（未收录于本系统）" if r.outside else _unit_link(r.id or "", key, r.label or "") for r in view.refs]
    refs = "".join(f"<li>{esc(r.text)} → {target}</li>" for r, target in zip(view.refs, targets, strict=True))
    referenced_by = "".join(f"<li>{_unit_link(r.id or '', key, r.label or '')}（“{esc(r.text)}”）</li>" for r in view.referenced_by)
    links = (f'<h2>本条引用</h2><ul class="refs">{refs}</ul>' if refs else "")
    links += f'<h2>被以下条文引用</h2><ul class="refd">{referenced_by}</ul>' if referenced_by else ""
    cells = ""
    if view.cells:
        cells = "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in view.cells.items()) + "</table>"
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(view.label)} · landqa</title>
<style>
body{{font:16px/1.7 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
max-width:760px;margin:0 auto;padding:16px;color:#1f2933;background:#fff}}
.badge{{display:inline-block;padding:0 8px;border-radius:10px;font-size:13px;background:#e3f5e9;color:#1d6b3a;border:1px solid #9fd3b0}}
.badge.draft{{background:#fff1e0;color:#9a4a00;border-color:#f0b36b;font-weight:600}}
.path{{color:#52606d;font-size:14px}} .text{{white-space:pre-wrap;border-left:4px solid #2b6cb0;padding:4px 12px;background:#f7fafc}}
.warn{{background:#fff1e0;border:1px solid #f0b36b;padding:8px 12px;border-radius:6px}}
h2{{font-size:16px;margin:16px 0 4px}} nav{{margin-top:16px}} nav a{{margin-right:16px}}
table{{border-collapse:collapse}} th,td{{border:1px solid #cbd2d9;padding:4px 8px;text-align:left}}
</style></head><body>
<p class="path">{esc(view.doc_title)} <span class="badge{' draft' if draft else ''}">{esc(view.status)}</span></p>
<h1>{esc(view.label)}</h1>
{f'<p class="warn">注意：本文件为{esc(view.status)}，尚未正式施行，内容可能调整，请勿作为办理依据。</p>' if draft else ''}
<p class="path">{esc(" › ".join(view.heading_path))}</p>
<div class="text">{esc(view.text)}</div>
{cells}
{f'<ul>{children}</ul>' if children else ''}
{links}
<nav>{''.join(nav)}</nav>
<p class="path">编号：{esc(view.id)}</p>
</body></html>"""
    return HTMLResponse(page, headers={**headers, "Cache-Control": "private, max-age=300"})
