"""GET /healthz (the process is alive) and GET /readyz (indexes loaded and checked)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return JSONResponse(status_code=503, content={"status": "loading"})
    return JSONResponse({"status": "ready", "units": len(engine.index.units), "index": engine.index.directory.name, "model": engine.index.model_id})
