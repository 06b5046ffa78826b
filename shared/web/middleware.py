"""Request ids, security headers, the request size limit and the last-resort error answer, as
plain ASGI middleware.

``create_service_app`` stacks them, outermost first: security headers, CORS, unhandled errors,
body size limit. Starlette's own last-resort handler sits outside every user middleware, so a
500 it produced would carry no security headers; ``UnhandledErrorMiddleware`` answers first.
"""

from __future__ import annotations

import logging
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.web.problems import problem

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
# A caller's X-Request-Id is echoed in logs, the read audit and error bodies: only plain ids.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = _header(scope, b"x-request-id")
        request_id = offered if offered and REQUEST_ID.match(offered) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
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


class UnhandledErrorMiddleware:
    """Any exception no handler mapped becomes a 500 problem naming only the request id: the
    traceback goes to the log, never to the caller (it may hold SQL, data or file paths)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception:
            request_id = scope.get("state", {}).get("request_id")
            log.exception("unhandled error on %s %s (request %s)", scope.get("method"), scope["path"], request_id)
            if started:
                raise  # half a response is out: the server can only drop the connection
            response = problem(
                500,
                f"something went wrong on our side. Quote request id {request_id}.",
                instance=scope["path"],
            )
            await response(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, whether or not Content-Length is declared."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
            413, f"the request body is larger than {self.max_bytes} bytes", instance=scope["path"]
        )
        await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None
