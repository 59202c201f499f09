"""One error format for everything a client can get wrong, and for what we get wrong."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.observability import get_logger

log = get_logger(__name__)

_HTTP_CODES = {
    401: ErrorCode.AUTH_ERROR,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.DOCUMENT_TOO_LARGE,
    415: ErrorCode.DOCUMENT_UNSUPPORTED,
    429: ErrorCode.RATE_LIMIT,
}


# The official SDK resends these statuses unless told otherwise (x-should-retry).
_RESENT_BY_DEFAULT = frozenset({408, 409, 429})


def error_response(
    request_id: str | None,
    status: int,
    code: ErrorCode,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
    *,
    retry: bool | None = None,
) -> JSONResponse:
    """The one error body; `retry` says whether resending the same request can succeed."""
    body: dict[str, Any] = {"name": str(code), "code": status, "message": message}
    if details is not None:
        body["details"] = details
    if request_id:
        body["request_id"] = request_id
    headers = dict(headers or {})
    if retry is not None:
        headers.setdefault("x-should-retry", "true" if retry else "false")
    return _SafeJSONResponse({"error": body}, status_code=status, headers=headers)


class _SafeJSONResponse(JSONResponse):
    """A body that always encodes: text echoed from a request may hold lone surrogates."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=True, allow_nan=False, separators=(",", ":"), default=str
        ).encode("ascii")


def _request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


async def _docuforge_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DocuforgeError)
    if exc.status_code >= 500:
        log.warning("request failed", code=str(exc.code), error=exc.message)
    return error_response(
        _request_id(request),
        exc.status_code,
        exc.code,
        exc.message,
        exc.details,
        exc.headers,
        retry=exc.transient,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Never echo the input back: it may hold a password or a document.
    details = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type", "")}
        for error in exc.errors()
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"] if part != "body")
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return error_response(_request_id(request), 422, ErrorCode.INVALID_REQUEST, message, details, retry=False)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.INVALID_REQUEST)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    retry = exc.status_code in _RESENT_BY_DEFAULT or exc.status_code >= 500
    return error_response(
        _request_id(request), exc.status_code, code, message, headers=exc.headers, retry=retry
    )


async def _pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    # Every pooled database connection stayed busy past the pool's timeout: the service is
    # overloaded, not broken, and the same request a moment later can succeed.
    log.warning("no database connection free in time", error=str(exc))
    return error_response(
        _request_id(request),
        503,
        ErrorCode.SERVICE_UNAVAILABLE,
        "the service is busy; retry after the time in Retry-After",
        headers={"Retry-After": "1"},
        retry=True,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DocuforgeError, _docuforge_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
