"""Structured logs: every line a process writes is one JSON object on standard output.

The app's own records (``logging.getLogger(__name__)`` everywhere), structlog's, the libraries'
and uvicorn's all go through one handler on the root logger and come out alike:

    {"time": "2026-11-02T10:00:00.123456Z", "level": "info", "service": "pep",
     "event": "request answered", "logger": "shared.observability.access",
     "request_id": "...", "correlation_id": "...", "method": "GET", "route": "/children/{child_id}",
     "status": 200, "duration_ms": 12.5, "subject": "...", "role": "social_worker"}

``install_logging`` configures the process (the level from ``LOG_LEVEL``) and adds the request
middleware: it binds the request's ids and method to every line logged while the request is
answered, and writes one access line per request. The route is the template the request matched,
never the address asked for; no request body or query value is ever logged. uvicorn's own access
log is switched off (the middleware's line says more), whatever the command line that started it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import structlog
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send
from structlog.contextvars import bound_contextvars, merge_contextvars
from structlog.typing import EventDict, WrappedLogger

from shared.web.middleware import HttpMiddleware, request_ids

ACCESS_LOGGER = "shared.observability.access"
# The fields a line starts with (those it has), in this order; any others follow.
LEADING_FIELDS = (
    "time", "level", "service", "event", "logger",
    "request_id", "correlation_id", "method", "route", "status", "duration_ms", "subject", "role",
)
# uvicorn configures these loggers (handlers of their own, plain text) before it loads the app.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")
UVICORN_ACCESS_LOGGER = "uvicorn.access"
# httpx and httpcore log every request they send, full address and query included: a query value
# may be personal data, so they say only what went wrong.
QUIETENED_LOGGERS = ("httpx", "httpcore")

# The ASGI scope of the request being answered, for the route it matched and the verified caller:
# both become known only part-way through the request, after the ids are bound.
_answering: ContextVar[Scope | None] = ContextVar("answering", default=None)
# Named once per process by ``configure_logging``: lines outside any request or background task
# of a service (uvicorn starting and stopping) still say which service wrote them.
_process_service: str | None = None


def install_logging(app: FastAPI) -> None:
    """Log as ``app.state.settings.log_level`` says, and log every request the app answers.

    Called after the app's other middleware is added, so this one is outermost: its access line
    has the status of every answer, the 413s and last-resort 500s of the inner ones included.
    """
    service = app.state.service_name
    configure_logging(app.state.settings.log_level, service=service)
    app.add_middleware(RequestLogMiddleware, service=service)
    shared_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        # A server embedding the app (rather than loading it by name) configures uvicorn's
        # loggers after the app was built: take them over again now that it is starting.
        _take_over_uvicorn_loggers()
        # The background tasks started here (subscriptions, the scheduler, the log writer) copy
        # this context, so their lines name the service too.
        with bound_contextvars(service=service):
            async with shared_lifespan(app_) as state:
                yield state

    app.router.lifespan_context = lifespan


def configure_logging(level: str, *, service: str | None = None) -> None:
    """One JSON handler on the root logger for everything this process logs, at ``level``.

    Calling it again (another app built in the same process, as the tests do) replaces the
    handler rather than adding a second; handlers others attached (pytest's) are left alone.
    """
    global _process_service
    _process_service = service
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, JsonLinesHandler)]:
        root.removeHandler(handler)
    handler = JsonLinesHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                merge_contextvars,
                _request_fields,
                _record_fields,
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _leading_fields_first,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIETENED_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    _take_over_uvicorn_loggers()
    # structlog's loggers hand their fields to the standard library's, so the handler above
    # writes them with the same processors as every other record.
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class JsonLinesHandler(logging.StreamHandler):
    """Writes each record as one line on whatever ``sys.stdout`` is at the time (a process
    capturing its own output, as the tests do, replaces it after the handler is made)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


class RequestLogMiddleware(HttpMiddleware):
    """Binds the request's ids and method to every line logged while it is answered, and writes
    its access line: route template, status and how long it took."""

    def __init__(self, app, service: str) -> None:
        super().__init__(app)
        self.service = service
        self.access = structlog.get_logger(ACCESS_LOGGER)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id, correlation_id = request_ids(scope)
        status: int | None = None
        started = time.perf_counter()

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with bound_contextvars(
            service=self.service, request_id=request_id, correlation_id=correlation_id, method=scope["method"]
        ):
            answering = _answering.set(scope)
            try:
                await self.app(scope, receive, noting_status)
            except Exception:
                if status is None:  # the server's last resort answers it
                    status = 500
                raise
            finally:
                # Still None: the client went away, or the server gave up on the request, unanswered.
                self.access.info(
                    "request answered", status=status, duration_ms=round((time.perf_counter() - started) * 1000, 2)
                )
                _answering.reset(answering)


def _request_fields(logger: WrappedLogger, method: str, event: EventDict) -> EventDict:
    """The route template the request matched and the caller its token names, once known."""
    scope = _answering.get()
    if scope is None:
        return event
    route = getattr(scope.get("route"), "path", None)
    if route is not None:
        event.setdefault("route", route)
    principal = scope.get("state", {}).get("principal")
    if principal is not None:
        event.setdefault("subject", principal.subject)
        event.setdefault("role", principal.role.value)
    return event


def _record_fields(logger: WrappedLogger, method: str, event: EventDict) -> EventDict:
    """When, how severe and where from, taken from the standard library's record, which every
    line has whichever way it was logged."""
    record: logging.LogRecord = event["_record"]
    event["time"] = datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z")
    event["level"] = record.levelname.lower()
    event["logger"] = record.name
    if _process_service is not None:
        event.setdefault("service", _process_service)
    return event


def _leading_fields_first(logger: WrappedLogger, method: str, event: EventDict) -> EventDict:
    return {
        **{name: event.pop(name) for name in LEADING_FIELDS if name in event},
        **event,
    }


def _take_over_uvicorn_loggers() -> None:
    """uvicorn's lines go to the root's JSON handler at the root's level, whatever its command
    line said (``--log-level``); its access log is off, the middleware's access line replacing
    it (uvicorn writes none when the access logger has no handler to reach)."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
    access = logging.getLogger(UVICORN_ACCESS_LOGGER)
    access.handlers.clear()
    access.propagate = False
