"""Request ids, security headers, the request size limit and the last-resort error answer, as
plain ASGI middleware.

``create_service_app`` stacks them, outermost first: security headers, CORS, unhandled errors,
body size limit. Starlette's own last-resort handler sits outside every user middleware, so a
500 it produced would carry no security headers; ``UnhandledErrorMiddleware`` answers first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import json
import logging
import re
import uuid
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.eventlog.hashing import find_unstorable, text_problem
from shared.web.problems import problem, unexpected_error

log = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DOCS_PATHS = ("/docs", "/redoc")
# A caller's X-Request-Id (and X-Correlation-Id) is echoed in logs, the read audit, error bodies
# and events' metadata: only plain ids.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class HttpMiddleware(ABC):
    """The pure-ASGI middlewares here act on HTTP requests only; anything else (the lifespan)
    passes straight through. Subclasses implement ``handle``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request (calling ``self.app`` to pass it on)."""


def request_ids(scope: Scope) -> tuple[str, str]:
    """The request's id and its correlation id, decided once per request and kept in its state:
    the caller's own ``X-Request-Id`` when it is a plain id, else a new one; the caller's
    ``X-Correlation-Id`` when it is a plain id, else the request id."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        offered = _header(scope, b"x-request-id")
        state["request_id"] = offered if offered and REQUEST_ID.match(offered) else str(uuid.uuid4())
        correlation = _header(scope, b"x-correlation-id")
        state["correlation_id"] = (
            correlation if correlation and REQUEST_ID.match(correlation) else state["request_id"]
        )
    return state["request_id"], state["correlation_id"]


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id, _ = request_ids(scope)
        relaxed_csp = scope["path"].startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = {name for name, _ in SECURITY_HEADERS} | {b"x-request-id"}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
                for name, value in SECURITY_HEADERS:
                    if relaxed_csp and name == b"content-security-policy":
                        continue  # the interactive docs page loads its own scripts
                    headers.append((name, value))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UnhandledErrorMiddleware(HttpMiddleware):
    """Any exception no handler mapped becomes a 500 problem naming only the request id: the
    traceback goes to the log, never to the caller (it may hold SQL, data or file paths)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            request_id = scope.get("state", {}).get("request_id")
            if started:
                log.exception("error after the answer began on %s %s (request %s)",
                              scope.get("method"), scope["path"], request_id)
                raise  # half a response is out: the server can only drop the connection
            response = unexpected_error(exc, scope.get("method"), scope["path"], request_id)
            await response(scope, receive, send)


class BodySizeLimitMiddleware(HttpMiddleware):
    """Refuses bodies over the limit with 413, whether or not Content-Length is declared."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        received = 0
        refused = False
        started = False

        async def limited_receive() -> Message:
            # A streamed body is counted as it arrives. Once over the limit we answer 413
            # ourselves and tell the app the client has gone, so it stops reading and whatever
            # it tries to answer is dropped.
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    if not started:
                        await self._too_large(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413, f"the request body is larger than {self.max_bytes} bytes", problem_type="payload-too-large",
            instance=scope["path"],
        )
        await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class UnstorableTextMiddleware(HttpMiddleware):
    """Refuses, with 422 naming the field, a request carrying text PostgreSQL cannot store: a NUL
    character or a lone surrogate in the path, a query parameter, or anywhere in a JSON or text
    body. Without this such a value travels as far as the log's writer, where the database
    refuses it; refused here, it is the sender's own clear error and never anyone else's."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "\x00" in scope["path"]:
            await _unstorable(scope, receive, send, "path", "the address contains a NUL character (%00)")
            return
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if (reason := text_problem(value)) is not None or (reason := text_problem(name)) is not None:
                # A parameter without a usable name (``?=%00``, or a NUL in the name) is named as
                # the query itself, so the answer still says where the fault is.
                field = name if name and text_problem(name) is None else "query"
                await _unstorable(scope, receive, send, field, f"{name if field == name else 'the query'} {reason}")
                return
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if scope.get("method") not in {"POST", "PUT", "PATCH"} or not (is_json or content_type.startswith("text/")):
            await self.app(scope, receive, send)
            return

        # Read the whole body (the size limit outside this has already bounded it), look, then
        # hand the same bytes on to the application.
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        found = _bad_json_text(body) if is_json else _bad_plain_text(body)
        if found is not None:
            await _unstorable(scope, receive, send, *found)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _bad_json_text(body: bytes) -> tuple[str, str] | None:
    try:
        # The standard library keeps a lone surrogate escape ("\ud800") as it is, so it can be
        # found and named; malformed JSON is left for the application to refuse.
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    problem = next(find_unstorable(value, numbers=False), None)
    if problem is None:
        return None
    return problem.path or "body", f"{problem.path or 'the body'} {problem.reason}"


def _bad_plain_text(body: bytes) -> tuple[str, str] | None:
    if b"\x00" in body:
        line = body[: body.index(b"\x00")].count(b"\n") + 1
        return "body", f"the body contains a NUL character on line {line}, which cannot be stored"
    return None


async def _unstorable(scope: Scope, receive: Receive, send: Send, field: str, detail: str) -> None:
    answer = problem(
        422, detail, problem_type="invalid-input", field=field, instance=scope["path"].replace("\x00", "%00")
    )
    await answer(scope, receive, send)
