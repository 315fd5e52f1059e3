"""GET /healthz (the process is alive) and GET /readyz (indexes loaded and checked; search backend, index version, Redis)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from qa.api.deps import follow_index_version, shared_state
from qa.shared_state import engine_version

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return JSONResponse(status_code=503, content={"status": "loading"})
    follow_index_version(request.app)
    engine = request.app.state.engine  # the watcher may have swapped it in
    body: dict[str, object] = {"status": "ready", "units": len(engine.index.units), "index": engine.index.directory.name, "model": engine.index.model_id,
                            "search_backend": request.app.state.settings.search_backend, "index_version": engine_version(engine)}
    state = shared_state(request.app)
    body.update(state.status() if state is not None else {"redis": "off"})
    return JSONResponse(body)
