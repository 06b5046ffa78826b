"""Parked events, for the council's operators: see them, apply them again once the cause is
fixed, or skip them with a reason.

An event is parked (a dead letter) when a subscription's handler failed on it every time it was
tried (``shared.eventlog.subscriptions``). Until someone acts, the read model or policy behind
that subscription is missing the event's effect - for the notices service that can be a
statutory deadline that never fires - and ``/ready`` says the service is degraded.

* ``GET  /operations/dead-letters``               the parked events (or the retried or skipped ones)
* ``GET  /operations/dead-letters/{id}``          one of them, with everything done about it
* ``POST /operations/dead-letters/{id}/retry``    apply it again through its subscription
* ``POST /operations/dead-letters/{id}/skip``     leave it unapplied, saying why

A retry applies the event in the transaction that marks the letter retried, holding the
subscription's checkpoint lock as a batch of the subscription would: the event's effect happens
exactly once, and a second retry is refused. A retry that fails again leaves the letter parked
and is recorded with its error. Every action is kept in the append-only ``dead_letter_actions``.

The routes and the operator command (``python -m shared.ops parked``) act through the same
functions below (``parked_letters``, ``retry_dead_letter``, ``skip_dead_letter``), so a letter is
retried or skipped the same way, and recorded the same way, whichever is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.database import BIGINT_MAX
from shared.errors import Conflict, NotFound
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.sealing import reveal
from shared.eventlog.subscriptions import Projection, describe_error
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.web import problem_types
from shared.web.context import CommandContext, UnversionedContextDep
from shared.web.paging import Keyset, Page, Paging, keyset_paging
from shared.web.problems import PROBLEM_JSON

# Operators act on parked events; auditors, who read everything, may see them too.
SEE = allow(Role.OPERATOR, Role.AUDITOR)
ACT = allow(Role.OPERATOR, writes=True)

See = Annotated[Principal, Depends(SEE)]
Act = Annotated[Principal, Depends(ACT)]
LetterId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The dead letter's id, from the list")]
# Letters are listed in the order they were parked: by id.
LettersPage = Annotated[Paging[tuple[int] | None], keyset_paging(Keyset(int), max_limit=1000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class DeadLetterStatus(StrEnum):
    PARKED = "parked"
    RETRIED = "retried"
    SKIPPED = "skipped"


class RetryRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "URN 118236 was missing from the register; it was imported on 2 November (INC-20431)."},
                {},
            ]
        },
    )
    reason: Reason | None = Field(default=None, description="What was fixed, for the record")


class SkipRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "A test event sent by the pep service's supplier to live by mistake (INC-20477)."}
            ]
        },
    )
    reason: Reason = Field(description="Why the event is not to be applied; kept with the action")


class DeadLetterAction(BaseModel):
    action: str = Field(description="retried, retry_failed or skipped")
    actor: str
    role: str
    reason: str | None
    error: str | None = Field(description="For a retry that failed: what it failed with")
    acted_at: datetime


class DeadLetter(BaseModel):
    id: int
    subscription: str = Field(description="The read model or policy that could not apply the event")
    position: int = Field(description="The event's position in the log")
    event_type: str
    stream_id: str
    error: str = Field(description="The last error the event failed with")
    attempts: int = Field(description="Tries so far, the operators' retries included")
    parked_at: datetime
    status: DeadLetterStatus
    resolved_at: datetime | None
    resolved_by: str | None
    later_events_in_stream: int = Field(
        description="Events of the same stream after this one that the subscription has already "
        "applied: a retry applies this one after them, out of order (see docs/operations.md)"
    )


class DeadLetterDetail(DeadLetter):
    actions: list[DeadLetterAction]


class DeadLetters(Page[DeadLetter]):
    """Dead letters in the order they were parked, a page at a time."""


def dead_letters_router() -> APIRouter:
    router = APIRouter(prefix="/operations/dead-letters", tags=["operations"])

    @router.get("", summary="Parked events: events a subscription could not apply")
    async def list_dead_letters(
        request: Request,
        principal: See,
        paging: LettersPage,
        status: DeadLetterStatus = DeadLetterStatus.PARKED,
        subscription: Annotated[str | None, Query(max_length=200)] = None,
    ) -> DeadLetters:
        async with request.app.state.pool.acquire() as conn:
            letters = await parked_letters(
                conn,
                _schema(request),
                status=status,
                subscription=subscription,
                after=paging.after[0] if paging.after else 0,
                limit=paging.fetch,
            )
        return DeadLetters(**paging.page(letters, key=lambda letter: (letter["id"],)))

    @router.get("/{letter_id}", summary="A parked event and everything done about it")
    async def dead_letter(request: Request, letter_id: LetterId, principal: See) -> DeadLetterDetail:
        async with request.app.state.pool.acquire() as conn:
            return await dead_letter_detail(conn, _schema(request), letter_id)

    @router.post("/{letter_id}/retry", summary="Apply a parked event again, once its cause is fixed")
    async def retry(
        request: Request,
        letter_id: LetterId,
        principal: Act,
        ctx: UnversionedContextDep,
        body: RetryRequest | None = None,
    ) -> DeadLetterDetail:
        try:
            return await retry_dead_letter(
                request.app.state.pool,
                _schema(request),
                letter_id,
                [s.projection for s in getattr(request.app.state, "subscriptions", ())],
                Actor.of(ctx),
                body and body.reason,
                key=ctx.scoped_idempotency_key(f"dead-letter-{letter_id}-retry"),
            )
        except StillFailing as failure:
            return _still_failing(request, failure)

    @router.post("/{letter_id}/skip", summary="Leave a parked event unapplied, with the reason why")
    async def skip(
        request: Request, letter_id: LetterId, body: SkipRequest, principal: Act, ctx: UnversionedContextDep
    ) -> DeadLetterDetail:
        return await skip_dead_letter(
            request.app.state.pool,
            _schema(request),
            letter_id,
            Actor.of(ctx),
            body.reason,
            key=ctx.scoped_idempotency_key(f"dead-letter-{letter_id}-skip"),
        )

    return router


def _schema(request: Request) -> str:
    return request.app.state.dead_letter_schema


# -- acting on parked events: the routes above and the operator command ------------------------


@dataclass(frozen=True)
class Actor:
    """Who acts on a parked event, as ``dead_letter_actions`` records it."""

    subject: str  # the token's subject, or the name the operator command was given
    role: str
    request_id: str | None = None

    @classmethod
    def of(cls, ctx: CommandContext) -> Actor:
        return cls(ctx.principal.subject, ctx.principal.role.value, ctx.request_id or None)


class StillFailing(Exception):
    """A retried event failed again: it stays parked, and the failed attempt is recorded."""

    def __init__(self, letter_id: int, error: str, attempts: int) -> None:
        super().__init__(f"the event of dead letter {letter_id} failed again and stays parked: {error}")
        self.letter_id = letter_id
        self.error = error
        self.attempts = attempts


async def parked_letters(
    conn: asyncpg.Connection,
    schema: str,
    *,
    status: DeadLetterStatus = DeadLetterStatus.PARKED,
    subscription: str | None = None,
    after: int = 0,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Letters with ``status`` (of one subscription, or all), in the order they were parked,
    after the letter ``after``."""
    rows = await conn.fetch(
        _letters_query(schema)
        + " WHERE d.status = $1 AND ($2::text IS NULL OR d.subscription = $2) AND d.id > $3 "
        "ORDER BY d.id LIMIT $4",
        status.value,
        subscription,
        after,
        limit,
    )
    return [dict(r) for r in rows]


async def retry_dead_letter(
    pool: asyncpg.Pool,
    schema: str,
    letter_id: int,
    projections: Sequence[Projection],
    actor: Actor,
    reason: str | None,
    *,
    key: str | None = None,
) -> DeadLetterDetail:
    """Apply a parked event through its subscription's projection (one of ``projections``) and
    mark it retried, in one transaction. Raises ``StillFailing`` when it fails again, after
    recording the attempt."""
    failed: tuple[str, int] | None = None
    async with pool.acquire() as conn:
        async with conn.transaction():
            name = await conn.fetchval(
                f'SELECT subscription FROM "{schema}".dead_letters WHERE id = $1', letter_id
            )
            if name is None:
                raise NotFound(f"there is no dead letter {letter_id}", field="id")
            # The subscription's own lock first, as each of its batches takes it: the event is
            # never applied alongside a batch of the same read model.
            await conn.execute(
                f'SELECT 1 FROM "{schema}".subscription_checkpoints WHERE name = $1 FOR UPDATE', name
            )
            letter = await _locked_parked_letter(conn, schema, letter_id, key)
            if letter is None:  # this same request, sent again, already succeeded
                return await dead_letter_detail(conn, schema, letter_id)
            projection = _projection(projections, name)
            [event] = await reveal(
                conn,
                [
                    record_from_row(
                        await conn.fetchrow(
                            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position = $1", letter["position"]
                        )
                    )
                ],
            )
            try:
                async with conn.transaction():  # a savepoint: a failure undoes only the event
                    await projection.apply(conn, event)
            except Exception as exc:  # the handler's own failure, whatever it is
                error = describe_error(exc)
                attempts = await conn.fetchval(
                    f'UPDATE "{schema}".dead_letters SET attempts = attempts + 1, error = $2 '
                    "WHERE id = $1 RETURNING attempts",
                    letter_id,
                    error,
                )
                await _record(conn, schema, letter, "retry_failed", actor, reason, error=error)
                failed = (error, attempts)
            else:
                await _resolve(conn, schema, letter_id, DeadLetterStatus.RETRIED, actor)
                await _record(conn, schema, letter, "retried", actor, reason, key=key)
        if failed is None:
            return await dead_letter_detail(conn, schema, letter_id)
    raise StillFailing(letter_id, *failed)


async def skip_dead_letter(
    pool: asyncpg.Pool, schema: str, letter_id: int, actor: Actor, reason: str, *, key: str | None = None
) -> DeadLetterDetail:
    """Leave a parked event unapplied, recording why."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            letter = await _locked_parked_letter(conn, schema, letter_id, key)
            if letter is not None:
                await _resolve(conn, schema, letter_id, DeadLetterStatus.SKIPPED, actor)
                await _record(conn, schema, letter, "skipped", actor, reason, key=key)
        return await dead_letter_detail(conn, schema, letter_id)


def _projection(projections: Sequence[Projection], name: str) -> Projection:
    for projection in projections:
        if projection.name == name:
            return projection
    raise Conflict(
        f"no subscription called {name} runs in this service any more, so its event cannot be "
        "applied here: skip it with a reason",
        field="id",
    )


def _letters_query(schema: str) -> str:
    return (
        "SELECT d.id, d.subscription, d.position, d.event_type, d.stream_id, d.error, d.attempts, "
        "d.parked_at, d.status, d.resolved_at, d.resolved_by, "
        "(SELECT count(*) FROM eventlog.events e WHERE e.stream_id = d.stream_id "
        " AND e.position > d.position AND e.position <= coalesce(c.position, 0)) AS later_events_in_stream "
        f'FROM "{schema}".dead_letters d '
        f'LEFT JOIN "{schema}".subscription_checkpoints c ON c.name = d.subscription'
    )


async def dead_letter_detail(conn: asyncpg.Connection, schema: str, letter_id: int) -> DeadLetterDetail:
    row = await conn.fetchrow(_letters_query(schema) + " WHERE d.id = $1", letter_id)
    if row is None:
        raise NotFound(f"there is no dead letter {letter_id}", field="id")
    actions = await conn.fetch(
        "SELECT action, actor, role, reason, error, acted_at "
        f'FROM "{schema}".dead_letter_actions WHERE dead_letter_id = $1 ORDER BY id',
        letter_id,
    )
    return DeadLetterDetail.model_validate(
        {**dict(row), "actions": [DeadLetterAction.model_validate(dict(a)) for a in actions]}
    )


async def _locked_parked_letter(
    conn: asyncpg.Connection, schema: str, letter_id: int, key: str | None
) -> asyncpg.Record | None:
    """The letter, locked, if it is still parked; None if this same request (by its
    Idempotency-Key) already resolved it. Refused if someone else has dealt with it."""
    letter = await conn.fetchrow(
        f'SELECT id, subscription, position, status, resolved_at, resolved_by FROM "{schema}".dead_letters '
        "WHERE id = $1 FOR UPDATE",
        letter_id,
    )
    if letter is None:
        raise NotFound(f"there is no dead letter {letter_id}", field="id")
    if key is not None and await conn.fetchval(
        f'SELECT 1 FROM "{schema}".dead_letter_actions WHERE idempotency_key = $1', key
    ):
        return None
    if letter["status"] != DeadLetterStatus.PARKED:
        raise Conflict(
            f"dead letter {letter_id} was already {letter['status']} by {letter['resolved_by']} "
            f"at {letter['resolved_at']:%Y-%m-%d %H:%M:%S %Z}; it is no longer parked",
            field="id",
        )
    return letter


async def _resolve(
    conn: asyncpg.Connection, schema: str, letter_id: int, status: DeadLetterStatus, actor: Actor
) -> None:
    await conn.execute(
        f'UPDATE "{schema}".dead_letters SET status = $2, resolved_at = now(), resolved_by = $3 WHERE id = $1',
        letter_id,
        status.value,
        actor.subject,
    )


async def _record(
    conn: asyncpg.Connection,
    schema: str,
    letter: asyncpg.Record,
    action: str,
    actor: Actor,
    reason: str | None,
    *,
    error: str | None = None,
    key: str | None = None,
) -> None:
    await conn.execute(
        f'INSERT INTO "{schema}".dead_letter_actions '
        "(dead_letter_id, subscription, position, action, actor, role, reason, error, request_id, "
        "idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        letter["id"],
        letter["subscription"],
        letter["position"],
        action,
        actor.subject,
        actor.role,
        reason,
        error,
        actor.request_id,
        key,
    )


def _still_failing(request: Request, failure: StillFailing) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem_types.entry("still-failing").uri,
        "title": "Still failing",
        "status": 409,
        "detail": str(failure),
        "field": "id",
        "error": failure.error,
        "attempts": failure.attempts,
        "instance": request.url.path,
    }
    return JSONResponse(body, status_code=409, media_type=PROBLEM_JSON)

