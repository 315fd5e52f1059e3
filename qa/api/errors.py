"""Errors as JSON in Chinese and English, for every 4xx the API returns (and the 500 it should never)."""
from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def error_response(
    request: Request, status: int, code: str, zh: str, en: str, headers: dict[str, str] | None = None, details: list[dict[str, object]] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message_zh=zh, message_en=en, request_id=getattr(request.state, "request_id", None), details=details))
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True), headers=headers)


def _readable(errors: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors]  # type: ignore[call-overload]


# Pydantic's error types in Chinese; {name} is filled from the error's ctx (limits, choices).
_ZH_BY_TYPE = {
    "missing": "缺少必填字段",
    "string_type": "应为字符串",
    "string_unicode": "不是有效的 Unicode 文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值",
    "float_type": "应为数字",
    "list_type": "应为数组",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "extra_forbidden": "不允许的字段",
    "literal_error": "取值应为 {expected}",
    "enum": "取值应为 {expected}",
}
_BODY_NOT_OBJECT = ("请求体应为 JSON 对象（Content-Type: application/json）", "the body must be a JSON object sent with Content-Type: application/json")


def _field(loc: object) -> str:
    parts = [str(p) for p in (loc if isinstance(loc, list | tuple) else [])]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] if len(parts) > 1 or parts[0] != "body" else []
    return ".".join(parts)


def _messages(error: dict[str, object]) -> tuple[str, str]:
    """One validation error as (Chinese, English), prefixed by the field it concerns."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    ctx = error.get("ctx") if isinstance(error.get("ctx"), dict) else {}
    field = _field(error.get("loc", ()))
    if kind == "value_error":
        # Our validators raise "中文 / English".
        text = msg.removeprefix("Value error, ")
        zh, _, en = text.partition(" / ")
        zh, en = zh.strip(), (en or text).strip()
    elif kind in ("model_attributes_type", "dict_type", "model_type") and not field:
        zh, en = _BODY_NOT_OBJECT
    elif kind == "missing" and not field:
        zh, en = "缺少请求体（JSON 对象）", "the request body (a JSON object) is missing"
    else:
        template = _ZH_BY_TYPE.get(kind)
        try:
            zh = template.format(**ctx) if template else msg  # type: ignore[arg-type]
        except (KeyError, IndexError, ValueError):
            zh = msg
        en = msg
    if field:
        return f"{field}：{zh}", f"{field}: {en}"
    return zh, en


def validation_response(request: Request, errors: list[dict[str, object]]) -> JSONResponse:
    pairs = [_messages(e) for e in errors]
    return error_response(
        request, 422, "invalid_request",
        "请求参数有误：" + "；".join(zh for zh, _ in pairs), "Invalid request: " + "; ".join(en for _, en in pairs),
        details=_readable(errors),
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status_code, exc.code, exc.zh, exc.en, dict(exc.headers) if exc.headers else None)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(request, 400, "invalid_json", "请求体不是有效的 JSON。", "The request body is not valid JSON.")
        return validation_response(request, errors)  # type: ignore[arg-type]

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> JSONResponse:
        return validation_response(request, exc.errors())  # type: ignore[arg-type]

    # Starlette's own HTTPException (the router's 404 and 405), of which FastAPI's is a subclass.
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":  # FastAPI: body not decodable
            return error_response(request, 400, "invalid_json", "请求体不是有效的 JSON。", "The request body is not valid JSON.")
        messages = {404: ("找不到该资源。", "Not found."), 405: ("不支持该请求方法。", "Method not allowed."), 413: ("请求体过大。", "Request body too large.")}
        zh, en = messages.get(exc.status_code, ("请求有误。", str(exc.detail)))
        return error_response(request, exc.status_code, f"http_{exc.status_code}", zh, en, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": getattr(request.state, "request_id", None)})
        return error_response(request, 500, "internal_error", "服务器内部错误，请稍后再试。", "Internal server error; please try again later.")
