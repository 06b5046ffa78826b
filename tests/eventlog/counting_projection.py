"""A deliberately non-idempotent read model for the subscription tests: applying an event twice
would double its count, so "exactly once" is visible in the numbers."""

from __future__ import annotations

import asyncpg

from shared.eventlog import RecordedEvent
from shared.eventlog.tables import subscription_tables_ddl

SCHEMA = "counting"


async def create_schema(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        if await conn.fetchval("SELECT to_regclass('counting.totals')") is None:
            for statement in subscription_tables_ddl(SCHEMA):
                await conn.execute(statement)
            await conn.execute(
                "CREATE TABLE counting.totals (stream_id text PRIMARY KEY, events int NOT NULL, total bigint NOT NULL)"
            )


class CountingProjection:
    name = "counting"
    schema = SCHEMA
    tables = ("totals",)
    event_types = frozenset({"Counted"})

    def __init__(self, fail_on: int | None = None, on_apply=None) -> None:
        self.fail_on = fail_on
        self.on_apply = on_apply

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.data["n"] == self.fail_on:
            raise ValueError(f"cannot count {self.fail_on}")
        await conn.execute(
            "INSERT INTO counting.totals (stream_id, events, total) VALUES ($1, 1, $2) "
            "ON CONFLICT (stream_id) DO UPDATE SET events = totals.events + 1, "
            "total = totals.total + EXCLUDED.total",
            event.stream_id,
            event.data["n"],
        )
        if self.on_apply is not None:
            await self.on_apply(event)


async def snapshot(pool: asyncpg.Pool) -> list[tuple]:
    rows = await pool.fetch("SELECT stream_id, events, total FROM counting.totals ORDER BY stream_id")
    return [tuple(r) for r in rows]
