"""Errors as JSON in Chinese and English, for every 4xx the API returns (and the 500 it should never)."""
from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

log = logging.getLogger("landqa.api")


class ErrorBody(BaseModel):
    code: str
    message_zh: str
    message_en: str
    request_id: str | None = None
    details: list[dict[str, object]] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(HTTPException):
    """An error with its message in both languages; `headers` carry e.g. Retry-After."""

    def __init__(self, status: int, code: str, zh: str, en: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=en, headers=headers)
        self.code, self.zh, self.en = code, zh, en


def error_response(request: Request, status: int, code: str, zh: str, en: str, headers: dict[str, str] | None = None, details: list[dict[str, object]] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message_zh=zh, message_en=en, request_id=getattr(request.state, "request_id", None), details=details))
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True), headers=headers)


def _readable(errors: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status_code, exc.code, exc.zh, exc.en, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(request, 400, "invalid_json", "请求体不是有效的 JSON。", "The request body is not valid JSON.")
        return error_response(request, 422, "invalid_request", "请求参数有误：" + "；".join(str(e.get("msg")) for e in errors), "Invalid request: " + "; ".join(str(e.get("msg")) for e in errors), details=_readable(errors))

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> JSONResponse:
        messages = "；".join(str(e.get("msg")) for e in exc.errors())
        return error_response(request, 422, "invalid_request", "请求参数有误：" + messages, "Invalid request: " + messages, details=_readable(exc.errors()))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        messages = {404: ("找不到该资源。", "Not found."), 405: ("不支持该请求方法。", "Method not allowed."), 413: ("请求体过大。", "Request body too large.")}
        zh, en = messages.get(exc.status_code, ("请求有误。", str(exc.detail)))
        return error_response(request, exc.status_code, f"http_{exc.status_code}", zh, en, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": getattr(request.state, "request_id", None)})
        return error_response(request, 500, "internal_error", "服务器内部错误，请稍后再试。", "Internal server error; please try again later.")
