"""Reading your own writes.

A service's read models (and the reactions that decide on another service's events) follow the
log a moment behind it. So that a caller who has just written can read what its write caused:

* every answer to a request that wrote to the log (or was answered with an earlier write, on a
  retried ``Idempotency-Key``) carries ``Log-Position``: the highest log position it wrote;
* any request may send ``Min-Log-Position: <n>`` - a position from any service's answer - and is
  then held until this service has applied the log up to ``n`` (every read model and reaction of
  its own), for at most ``CONSISTENCY_WAIT_SECONDS``; if it has not by then, the answer is 503
  with ``Retry-After``, and nothing was read or changed.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import Header, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import InvalidInput, ServiceUnavailable
from shared.eventlog.written import track_writes

LOG_POSITION = "Log-Position"
MIN_LOG_POSITION = "Min-Log-Position"
# How often a held request looks again; the subscriptions are woken at once, so a read model that
# is only a few events behind is usually there within one or two looks.
LOOK_EVERY_SECONDS = 0.01


class LogPositionMiddleware:
    """Adds ``Log-Position`` to the answer of a request that wrote to the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        written = track_writes()

        async def send_with_position(message: Message) -> None:
            if message["type"] == "http.response.start" and written:
                message["headers"] = [
                    *message.get("headers", []),
                    (LOG_POSITION.lower().encode(), str(max(written)).encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_position)


async def applied_up_to(
    request: Request,
    min_log_position: Annotated[
        str | None,
        Header(
            alias=MIN_LOG_POSITION,
            description="A `Log-Position` from an earlier answer (of any service), e.g. `1042`: the "
            "request is held until this service has applied the log up to it, so it sees everything "
            "that write caused. If the service cannot catch up within a few seconds the answer is 503 "
            "with `Retry-After` (nothing was read or changed: repeat it); a value that is not a "
            "position, or one beyond the end of the log, is refused with 422.",
        ),
    ] = None,
) -> None:
    """The dependency every route has: hold the request until the service has caught up."""
    if min_log_position is None:
        return
    position = _position(min_log_position)
    state = request.app.state
    head = await state.store.head_position()
    if position > head:
        raise InvalidInput(
            f"{MIN_LOG_POSITION} {position} is beyond the end of the log ({head})", field=MIN_LOG_POSITION
        )
    subscriptions = getattr(state, "subscriptions", [])
    if not subscriptions:
        return  # the log itself is this service's only read model
    schema = subscriptions[0].projection.schema
    names = [s.name for s in subscriptions]
    deadline = time.monotonic() + state.settings.consistency_wait_seconds
    while True:
        async with state.pool.acquire() as conn:
            # A subscription that has not yet written its checkpoint has applied nothing.
            counted, reached = await conn.fetchrow(
                f'SELECT count(*), min(position) FROM "{schema}".subscription_checkpoints '
                "WHERE name = ANY($1::text[])",
                names,
            )
        if counted == len(names) and reached >= position:
            return
        if time.monotonic() >= deadline:
            raise ServiceUnavailable(
                f"this service has not yet applied the log up to position {position}; try again shortly",
                field=MIN_LOG_POSITION,
            )
        for subscription in subscriptions:
            subscription.wake()
        await asyncio.sleep(LOOK_EVERY_SECONDS)


def _position(value: str) -> int:
    text = value.strip()
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput(f"{MIN_LOG_POSITION} must be a log position, a whole number such as 1042",
                           field=MIN_LOG_POSITION)
    return int(text)
