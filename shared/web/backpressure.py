"""A bound on the requests a service works on at once.

Past the bound a request is answered at once with 503 ``service-unavailable`` and
``Retry-After``, before anything is read or changed, instead of joining a queue that grows
without limit while every caller's wait grows with it. The health, readiness and metrics routes
are never turned away: an orchestrator must be able to see an overloaded service, and what it
sees then is true. The event log's writer has a bound of its own on appends waiting for it
(``EventStore`` ``max_queued``), answered the same way.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.web.middleware import HttpMiddleware
from shared.web.problems import problem

# Never turned away: how operators and orchestrators see the service.
EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})


class RequestsInFlightMiddleware(HttpMiddleware):
    """At most ``limit`` requests are inside the service at once (a request is inside until its
    answer has been sent, streamed answers included)."""

    def __init__(self, app: ASGIApp, limit: int, retry_after_seconds: int = 1) -> None:
        super().__init__(app)
        if limit < 1:
            raise ValueError("the bound on requests in flight must be at least 1")
        self.limit = limit
        self.retry_after_seconds = retry_after_seconds
        self.in_flight = 0

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            response = problem(
                503,
                f"the service is working on as many requests as it takes at once ({self.limit}); "
                "nothing was read or changed: repeat the request after the seconds in Retry-After",
                problem_type="service-unavailable",
                instance=scope["path"],
                headers={"Retry-After": str(self.retry_after_seconds)},
            )
            await response(scope, receive, send)
            return
        # One event loop per process: the check and the increment cannot be interleaved.
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
