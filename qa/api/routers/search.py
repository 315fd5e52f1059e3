"""POST /api/search: ranked units for a query, without composing an answer."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from qa.api.deps import api_access, get_engine
from qa.api.routers.ask import ERRORS
from qa.engine import Engine
from qa.schemas import SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/api/search", response_model=SearchResponse, responses=ERRORS)
def search(body: SearchRequest, engine: Engine = Depends(get_engine), _: str | None = Depends(api_access)) -> SearchResponse:
    return SearchResponse(results=engine.search_citations(body.query, body.top_k))
