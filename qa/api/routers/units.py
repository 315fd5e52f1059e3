"""GET /api/units/{id} and GET /api/docs: one unit with its context, and the catalog."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from qa.api.deps import api_access, get_engine
from qa.api.errors import ApiError, ErrorResponse
from qa.engine import Engine
from qa.schemas import DocumentInfo, UnitView

router = APIRouter(tags=["units"])


@router.get("/api/units/{unit_id}", response_model=UnitView, responses={404: {"model": ErrorResponse}, 429: {"model": ErrorResponse}})
def get_unit(unit_id: str = Path(max_length=200), engine: Engine = Depends(get_engine), _: str | None = Depends(api_access)) -> UnitView:
    if not engine.corpus.has_unit(unit_id):
        raise ApiError(404, "unit_not_found", f"没有编号为 {unit_id} 的条文单元。", f"No unit with id {unit_id}.")
    return engine.unit_view(unit_id)


@router.get("/api/docs", response_model=list[DocumentInfo])
def list_docs(engine: Engine = Depends(get_engine), _: str | None = Depends(api_access)) -> list[DocumentInfo]:
    return engine.documents()
