"""RFC 9457 problem details for every error, mapped in one place.

Bodies always carry ``type``, ``title``, ``status`` and a ``detail`` a person can act on, and,
where one input is at fault, ``field`` (and ``errors`` listing every field for validation
failures). They never carry stack traces, SQL or internal identifiers.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.database import database_unavailable
from shared.errors import DomainError, ServiceUnavailable

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    if errors:
        body["errors"] = errors
    if instance:
        body["instance"] = instance
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    # FastAPI prefixes the location with where it was found ("body", "query", "path").
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _safe_message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is not valid"))
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        headers = None
        if isinstance(exc, ServiceUnavailable):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            exc.status, exc.detail, title=exc.title, field=exc.field, instance=request.url.path,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_path(e.get("loc", ())), "message": _safe_message(e)} for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "body", "message": "is not valid"}
        detail = f"{first['field']}: {first['message']}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        return problem(422, detail, field=first["field"], errors=errors, instance=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
        return problem(
            exc.status_code, detail, instance=request.url.path, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", None)
        return unexpected_error(exc, request.method, request.url.path, request_id)


def unexpected_error(exc: BaseException, method: str | None, path: str, request_id: str | None) -> JSONResponse:
    """The answer to an exception no handler mapped: 503 when the database is away (not a fault
    in the request; the caller should try again shortly), otherwise a 500 naming only the
    request id. Either way nothing internal reaches the caller; the details go to the log."""
    if database_unavailable(exc):
        log.warning("database unavailable on %s %s (request %s): %s", method, path, request_id, exc)
        return problem(
            503,
            "the service's database is not reachable just now; nothing was changed. Try again shortly.",
            instance=path,
            headers={"Retry-After": "2"},
        )
    log.error("unhandled error on %s %s (request %s)", method, path, request_id, exc_info=exc)
    return problem(
        500,
        f"something went wrong on our side. Quote request id {request_id} when reporting it.",
        instance=path,
    )
