"""RFC 9457 problem details for every error, mapped in one place.

Bodies always carry ``type`` (an entry of ``shared.web.problem_types``: ``/problems/<slug>``),
``title``, ``status`` and a ``detail`` a person can act on, and, where one input is at fault,
``field`` (and ``errors`` listing every field for validation failures, each with a sentence
naming the field and the rule). They never carry stack traces, SQL or internal identifiers.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.database import database_unavailable
from shared.errors import DomainError, ServiceUnavailable
from shared.web import problem_types

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



def type_of(exc: DomainError) -> str:
    """The catalogue slug of a domain error: the raise site's ``problem_type=``, else the nearest
    class naming one; by its status when that entry is for another status (a subclass that
    changed the status) or none is named."""
    slug = vars(exc).get("problem_type")
    if slug is None:
        for cls in type(exc).__mro__:
            if vars(cls).get("problem_type") is not None:
                slug = vars(cls)["problem_type"]
                break
    if slug is not None and problem_types.entry(slug).status == exc.status:
        return slug
    return problem_types.for_status(exc.status).slug


def problem(
    status: int,
    detail: str,
    *,
    problem_type: str | None = None,
    title: str | None = None,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem response; ``problem_type`` is a catalogue slug (by default the status's)."""
    if problem_type is None:
        kind = problem_types.for_status(status)
    else:
        kind = problem_types.entry(problem_type)
        if kind.status != status:
            raise ValueError(f"problem type {problem_type!r} is catalogued with status {kind.status}, not {status}")
    body: dict[str, Any] = {
        "type": kind.uri,
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


# -- validation errors in plain English --------------------------------------------------------

# Where pydantic found the value: dropped from the field's name.
_LOCATIONS = {"body", "query", "path", "header", "cookie"}
# Segments pydantic adds for a branch of a union or a validator wrapping a type
# ("function-after[_checked(), str]", "constrained-str", "int"): not part of the field's path.
_TYPE_TAGS = {"str", "int", "float", "bool", "date", "datetime", "time", "decimal", "list", "dict", "none", "uuid"}
_TAG = re.compile(r"^[a-z]+(-[a-z]+)+(\[.*\])?$|\[")


def field_path(error: dict[str, Any], body: Any = None) -> str:
    """The field at fault as a dotted path (``judgements.quality_of_education``, ``targets.1.target``)
    or the parameter's name; ``body`` for the body as a whole (not JSON, or missing).

    ``body`` is the request body as received, where there is one: a segment pydantic adds to say
    which member of a union it tried (the tag of a union told apart by a field, such as
    ``ofsted_september_2012`` for ``framework``) is not a field of the body and is left out, so
    the path is one the caller recognises. An error about the field that tells a union's members
    apart names that field (``framework``)."""
    loc = list(error.get("loc", ()))
    where = loc[0] if loc and loc[0] in _LOCATIONS else None
    if where is not None:
        loc = loc[1:]
    if error.get("type") == "json_invalid":
        return "body"  # the location is the decoder's character offset, not a field
    parts: list[str] = []
    value = body if where == "body" else _UNKNOWN
    last = len(loc) - 1
    for index, part in enumerate(loc):
        text = str(part)
        # The first segment is the parameter or top-level field itself, kept whatever it looks like.
        if index and (text in _TYPE_TAGS or (isinstance(part, str) and _TAG.search(text))):
            continue
        # A segment under which a value sits that is not in the body: a union member's tag.
        if index < last and isinstance(value, dict) and isinstance(part, str) and part not in value:
            continue
        parts.append(text)
        value = _inside(value, part)
    if error.get("type") in _UNION_TAG_ERRORS:
        parts.append(_discriminator(error))
    return ".".join(parts) or "body"


_UNKNOWN = object()
# A union told apart by a field: that field is missing, or names no member.
_UNION_TAG_ERRORS = frozenset({"union_tag_not_found", "union_tag_invalid"})


def _inside(value: Any, part: Any) -> Any:
    if isinstance(value, dict):
        return value.get(part, _UNKNOWN)
    if isinstance(value, list) and isinstance(part, int) and -len(value) <= part < len(value):
        return value[part]
    return _UNKNOWN


def _discriminator(error: dict[str, Any]) -> str:
    return str((error.get("ctx") or {}).get("discriminator", "")).strip("'\"") or "type"


def _one_of(listed: str) -> str:
    """``'a', 'b', 'c'`` as ``'a', 'b' or 'c'``."""
    head, comma, tail = listed.rpartition(", ")
    return f"{head} or {tail}" if comma else listed


# Patterns the services use, said in words.
_PATTERNS = {
    r"^[0-9]{6}$": "six digits, e.g. 100001",
    r"^\d{6}$": "six digits, e.g. 100001",
    r"^[0-9a-fA-F]{64}$": "64 hexadecimal digits",
    r"^[0-9a-fA-F]{128}$": "128 hexadecimal digits",
}
_CHARACTER_RUN = re.compile(r"^\^\[([^\]]+)\]\{(\d+),(\d+)\}\$$")


def _pattern_in_words(pattern: str) -> str:
    if pattern in _PATTERNS:
        return f"must be {_PATTERNS[pattern]}"
    run = _CHARACTER_RUN.match(pattern)
    if run:
        chars, low, high = run.groups()
        kinds = []
        for span, name in (("A-Za-z", "letters"), ("a-z", "lower-case letters"), ("A-Z", "capital letters"),
                           ("0-9", "digits")):
            if span in chars:
                kinds.append(name)
                chars = chars.replace(span, "")
        others = " ".join(sorted(set(chars.replace("\\", ""))))
        words = ", ".join(kinds) + (f" or {others}" if others else "")
        return f"must be {low} to {high} {words}" if low != high else f"must be {low} {words}"
    return f"must match the pattern {pattern}"


def _quantity(n: Any, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


# A number outside its bounds: pydantic's error kind -> the words and the bound it names.
_BOUNDS = {
    "greater_than": ("more than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
    "multiple_of": ("a multiple of", "multiple_of"),
}


def _bound(ctx: dict[str, Any], key: str) -> Any:
    value = ctx.get(key)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def message_for(field: str, error: dict[str, Any]) -> str:
    """A sentence naming the field and the rule it breaks: ``urn must be six digits, e.g.
    100001``, ``financial_year is required``, ``amount_pence must be a whole number of pence``."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    whole = "a whole number of pence" if field.endswith("_pence") else "a whole number"
    if kind == "json_invalid":
        reason = ctx.get("error")
        return "the body is not valid JSON" + (f" ({reason})" if reason else "")
    if kind == "missing":
        return "the body is required" if field == "body" else f"{field} is required"
    if kind == "extra_forbidden":
        return f"{field} is not a field this request takes"
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return f"{field} must be {whole}"
    if kind in {"float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"}:
        return f"{field} must be a number"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{field} must be true or false"
    if kind in {"string_type", "string_unicode"}:
        return f"{field} must be text (a JSON string)"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return f"{field} must be a date, e.g. 2026-09-01"
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return f"{field} must be a date and time with its offset, e.g. 2026-09-01T09:00:00Z"
    if kind in {"uuid_type", "uuid_parsing"}:
        return f"{field} must be a UUID"
    if kind in {"list_type", "tuple_type", "set_type", "iterable_type"}:
        return f"{field} must be a list"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "the body must be a JSON object" if field == "body" else f"{field} must be an object"
    if kind == "string_pattern_mismatch":
        return f"{field} {_pattern_in_words(str(ctx.get('pattern', '')))}"
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return f"{field} must not be empty" if n == 1 else f"{field} must be at least {n} characters long"
    if kind == "string_too_long":
        return f"{field} must be at most {_quantity(ctx.get('max_length'), 'character')} long"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"{field} must have at least {_quantity(n, 'item')}"
    if kind == "too_long":
        return f"{field} must have at most {_quantity(ctx.get('max_length'), 'item')}"
    if kind in {"enum", "literal_error"}:
        return f"{field} must be one of {ctx.get('expected', 'the listed values')}"
    if kind == "union_tag_not_found":
        return f"{field} is required"
    if kind == "union_tag_invalid":
        return f"{field} must be one of {_one_of(str(ctx.get('expected_tags', 'the listed values')))}"
    if kind == "none_required":
        return f"{field} must be left out (or null)"
    if kind in _BOUNDS:
        words, bound = _BOUNDS[kind]
        return f"{field} must be {words} {_bound(ctx, bound)}"
    if kind in {"decimal_max_places", "decimal_max_digits", "decimal_whole_digits"}:
        return f"{field}: {error.get('msg', 'is not a valid number')}"
    message = str(error.get("msg", "is not valid"))
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    elif message.startswith("Assertion failed, "):
        message = message[len("Assertion failed, ") :]
    # A validator's own message is a rule in words ("a URN is exactly six digits, e.g. 118234").
    return f"{field}: {message}"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        headers = None
        if isinstance(exc, ServiceUnavailable):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            exc.status, exc.detail, problem_type=type_of(exc), title=exc.title, field=exc.field,
            instance=request.url.path, headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            field = field_path(e, exc.body)
            errors.append({"field": field, "message": message_for(field, e)})
        first = errors[0] if errors else {"field": "body", "message": "the body is not valid"}
        detail = first["message"]
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        return problem(
            422, detail, problem_type="validation", field=first["field"], errors=errors,
            instance=request.url.path,
        )

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
            problem_type="service-unavailable",
            instance=path,
            headers={"Retry-After": "2"},
        )
    log.error("unhandled error on %s %s (request %s)", method, path, request_id, exc_info=exc)
    return problem(
        500,
        f"something went wrong on our side. Quote request id {request_id} when reporting it.",
        problem_type="internal-error",
        instance=path,
    )
