"""What the event-log API tests share: a small ledger aggregate of their own (with a schema change
and its upcaster), the app wired with it, and helpers to write and tamper with the log."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, ClassVar

import asyncpg
import httpx
import uvicorn

from shared.eventlog.hashing import GENESIS_HASH, event_hash
from shared.eventlog.records import NewEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.events import Event, EventCatalogue, child_subject, school_subject

from event_log.main import create_app
from event_log.registry import Aggregate, ServiceCatalogue, discover

# -- a ledger: one aggregate owned by the tests, folded by the event log like any service's ----


class LedgerOpened(Event):
    """A ledger was opened for a school."""

    event_type: ClassVar[str] = "LedgerOpened"

    ledger_id: str
    urn: str
    opened_on: date

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]

    def effective_on(self) -> date:
        return self.opened_on


class AmountAdded(Event):
    """Money added to a ledger. Version 1 held whole pounds; version 2 holds pence."""

    event_type: ClassVar[str] = "AmountAdded"
    schema_version: ClassVar[int] = 2

    ledger_id: str
    amount_pence: int
    added_on: date
    child_id: str | None = None

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)] if self.child_id else []

    def effective_on(self) -> date:
        return self.added_on


LEDGER_CATALOGUE = EventCatalogue("ledger", [LedgerOpened, AmountAdded])


@LEDGER_CATALOGUE.upcaster("AmountAdded", 1)
def _pounds_to_pence(data: dict[str, Any]) -> dict[str, Any]:
    upgraded = {k: v for k, v in data.items() if k != "amount_pounds"}
    upgraded["amount_pence"] = data["amount_pounds"] * 100
    return upgraded


@dataclass(frozen=True)
class Ledger:
    ledger_id: str | None = None
    urn: str | None = None
    balance_pence: int = 0
    entries: tuple[int, ...] = ()


def evolve_ledger(state: Ledger, event: Event) -> Ledger:
    if isinstance(event, LedgerOpened):
        return replace(state, ledger_id=event.ledger_id, urn=event.urn)
    if isinstance(event, AmountAdded):
        if state.ledger_id is None:
            raise ValueError("money was added to a ledger that is not open")
        return replace(
            state,
            balance_pence=state.balance_pence + event.amount_pence,
            entries=state.entries + (event.amount_pence,),
        )
    raise TypeError(f"not a ledger event: {type(event).__name__}")


LEDGER = Aggregate("ledger", "ledger", Ledger(), evolve_ledger, LEDGER_CATALOGUE)


def registry_with_ledger():
    return discover(
        extra_catalogues=[ServiceCatalogue("ledger", __name__, LEDGER_CATALOGUE)], extra_aggregates=[LEDGER]
    )


def event_log_app():
    """The event-log app factory, knowing the test ledger besides every service's aggregates."""
    return partial(create_app, registry=registry_with_ledger())


def new(event: Event, default: date = date(2026, 1, 1)) -> NewEvent:
    return NewEvent.from_event(event, default_effective_date=default)


def raw(
    event_type: str, data: dict[str, Any], effective: date, subjects: tuple[str, ...] = (), version: int = 1
):
    return NewEvent(
        event_type=event_type, data=data, effective_date=effective, schema_version=version, subjects=subjects
    )


# -- changing history the way only a superuser could ---------------------------------------------


async def tamper(pool: asyncpg.Pool, position: int, data: dict[str, Any]) -> None:
    """Change one event's data, leaving its hash as it was."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(
                "UPDATE eventlog.events SET data = $2::jsonb WHERE position = $1", position, data
            )


async def rewrite_and_rehash(pool: asyncpg.Pool, position: int, data: dict[str, Any]) -> None:
    """Change one event's data and recompute every hash from it to the head, so that the chain
    verifies again: the forgery only a signed checkpoint can reveal."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(
                "UPDATE eventlog.events SET data = $2::jsonb WHERE position = $1", position, data
            )
            rows = await conn.fetch(
                f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position >= $1 ORDER BY position",
                position,
            )
            prev = await conn.fetchval("SELECT hash FROM eventlog.events WHERE position = $1", position - 1)
            prev_hash = bytes(prev) if prev is not None else GENESIS_HASH
            for row in rows:
                e = record_from_row(row)
                digest = event_hash(
                    prev_hash=prev_hash,
                    position=e.position,
                    stream_id=e.stream_id,
                    stream_version=e.stream_version,
                    event_type=e.event_type,
                    schema_version=e.schema_version,
                    data=e.data,
                    metadata=e.metadata,
                    effective_date=e.effective_date,
                    recorded_at=e.recorded_at,
                    subjects=e.subjects,
                )
                await conn.execute(
                    "UPDATE eventlog.events SET prev_hash = $2, hash = $3 WHERE position = $1",
                    e.position,
                    prev_hash,
                    digest,
                )
                prev_hash = digest


# -- a real HTTP server, for what the in-process transport cannot show (streaming) -------------


@contextlib.asynccontextmanager
async def real_server(app):
    """Serve the app with uvicorn on a free local port; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def get_json(client: httpx.AsyncClient, url: str, headers: dict[str, str], **params) -> Any:
    response = await client.get(url, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()
