"""``parked list | retry | skip``: parked events (dead letters), through the very functions the
operations routes use (shared/web/dead_letters.py), so an action here is taken, refused and
recorded in ``dead_letter_actions`` exactly as one taken over HTTP.

Letters are numbered within each service, as in its ``/operations/dead-letters/{id}``, so a retry
or a skip names the service and the letter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import asyncpg

from shared.ops.service_app import ServiceParts
from shared.services import ServiceSpec
from shared.web.dead_letters import (
    Actor,
    DeadLetterDetail,
    DeadLetterStatus,
    parked_letters,
    retry_dead_letter,
    skip_dead_letter,
)

# How dead_letter_actions shows an action taken with this command: the actor is the name the
# operator gave (--actor), not a verified token's subject, and the role says so.
COMMAND_LINE_ROLE = "command-line"
PAGE = 1000


async def list_letters(
    pool: asyncpg.Pool,
    spec: ServiceSpec,
    *,
    status: DeadLetterStatus,
    subscription: str | None,
    say: Callable[[str], None],
) -> int:
    """Print the service's letters with ``status``; returns how many there are."""
    assert spec.schema is not None
    letters: list[dict[str, Any]] = []
    async with pool.acquire() as conn:
        while True:
            page = await parked_letters(
                conn,
                spec.schema,
                status=status,
                subscription=subscription,
                after=letters[-1]["id"] if letters else 0,
                limit=PAGE,
            )
            letters += page
            if len(page) < PAGE:
                break
    of = f" of {subscription}" if subscription else ""
    if not letters:
        say(f"{spec.name}: no {status.value} events{of}")
        return 0
    say(f"{spec.name}: {_count(len(letters), f'{status.value} event')}{of}")
    for letter in letters:
        say(
            f"  {letter['id']}  {letter['subscription']}  position {letter['position']}  "
            f"{letter['event_type']}  stream {letter['stream_id']}"
        )
        say(f"      parked {_when(letter['parked_at'])} after {_count(letter['attempts'], 'try', 'tries')}: "
            f"{letter['error']}")
        if letter["resolved_at"] is not None:
            say(f"      {letter['status']} by {letter['resolved_by']} {_when(letter['resolved_at'])}")
        if status is DeadLetterStatus.PARKED and letter["later_events_in_stream"]:
            say(
                f"      {_count(letter['later_events_in_stream'], 'later event')} of its stream already "
                f"applied: a retry would apply it out of order; rebuild {letter['subscription']} instead"
            )
    return len(letters)


async def retry(
    parts: ServiceParts, spec: ServiceSpec, letter_id: int, *, actor: str, reason: str | None
) -> str:
    """Apply a parked event through the service's own projection; what was done, in a line.
    Raises ``StillFailing`` (the attempt recorded) when it fails again."""
    assert spec.schema is not None
    detail = await retry_dead_letter(
        parts.pool, spec.schema, letter_id, parts.projections, Actor(actor, COMMAND_LINE_ROLE), reason
    )
    return _done(spec, detail, "retried: the event is applied")


async def skip(pool: asyncpg.Pool, spec: ServiceSpec, letter_id: int, *, actor: str, reason: str) -> str:
    assert spec.schema is not None
    detail = await skip_dead_letter(pool, spec.schema, letter_id, Actor(actor, COMMAND_LINE_ROLE), reason)
    return _done(spec, detail, "skipped: the event stays unapplied")


def _done(spec: ServiceSpec, letter: DeadLetterDetail, what: str) -> str:
    return (
        f"{spec.name} dead letter {letter.id} ({letter.subscription}, position {letter.position}, "
        f"{letter.event_type}) {what}; recorded in {spec.schema}.dead_letter_actions as done by "
        f"{letter.resolved_by}"
    )


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S %Z}"
