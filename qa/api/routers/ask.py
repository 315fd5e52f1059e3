"""POST /api/ask: a grounded answer with citations and computations."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from qa.api.deps import api_access, get_engine
from qa.api.errors import ErrorResponse
from qa.engine import Engine
from qa.schemas import AskRequest, AskResponse

router = APIRouter(tags=["ask"])
# FastAPI types `responses` as dict[int | str, dict[str, Any]].
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 413, 422, 429)}


@router.post("/api/ask", response_model=AskResponse, responses=ERRORS)
def ask(body: AskRequest, request: Request, engine: Engine = Depends(get_engine), _: str | None = Depends(api_access)) -> AskResponse:
    request.state.question = body.question  # logged only when log_questions is set
    return engine.ask(body.question, body.top_k, history=body.history_dicts())
