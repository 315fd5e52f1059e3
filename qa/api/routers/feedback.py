"""POST /api/feedback and POST /widget/feedback: 👍/👎 with an optional comment on one answer, stored in SQLite."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request

from qa.api.deps import api_access
from qa.api.errors import ApiError, ErrorResponse
from qa.api.widget_auth import widget_access
from qa.config import Settings, WidgetKey
from qa.feedback import FeedbackRequest, FeedbackResponse, FeedbackStore, FeedbackStoreError, store_for

log = logging.getLogger("landqa.feedback")
router = APIRouter(tags=["feedback"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 413, 422, 429, 503)}
WIDGET_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 422, 429, 503)}


def _store(request: Request) -> FeedbackStore:
    """One store per app, under the app's build folder (created on first use)."""
    store = getattr(request.app.state, "feedback_store", None)
    if store is None:
        settings: Settings = request.app.state.settings
        store = request.app.state.feedback_store = store_for(settings.build_dir)
    return store


def _save(request: Request, body: FeedbackRequest, channel: str) -> FeedbackResponse:
    try:
        return _store(request).save(body, channel)
    except FeedbackStoreError:
        log.exception("feedback not stored", extra={"request_id": getattr(request.state, "request_id", None)})
        zh, en = "反馈暂时无法保存，请稍后再试。", "Feedback cannot be stored right now; try again later."
        raise ApiError(503, "feedback_unavailable", zh, en, {"Retry-After": "30"}) from None


@router.post("/api/feedback", response_model=FeedbackResponse, responses=ERRORS)
def api_feedback(body: FeedbackRequest, request: Request, key: str | None = Depends(api_access)) -> FeedbackResponse:
    """For integrators of the JSON API: the same Bearer key and rate limits as /api/ask."""
    return _save(request, body, "api")


@router.post("/widget/feedback", response_model=FeedbackResponse, responses=WIDGET_ERRORS)
def widget_feedback(body: FeedbackRequest, request: Request, widget_key: WidgetKey = Depends(widget_access)) -> FeedbackResponse:
    """What the widget calls: its key, from a page origin the key allows, within the key's rate limit."""
    return _save(request, body, f"widget:{widget_key.name or 'unnamed'}")
