"""A small service for the operations tests: the schools schema's migrations (so its
``dead_letters`` and ``dead_letter_actions`` are the real ones) and one read model, a tally,
whose handler the test can break, mend or make crash."""

from __future__ import annotations

from collections import Counter
from datetime import date

import asyncpg

from shared.eventlog import NewEvent, RecordedEvent
from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app


class Crash(BaseException):
    """Not an ``Exception``: nothing on the way catches it, so the subscription's task ends."""


class Tally:
    """Adds each event's ``n`` to its stream's total (applied twice, it shows in the sum).

    ``broken`` holds the ``n`` whose events fail; ``crash_on`` the one that kills the task.
    """

    name = "tally"
    schema = "schools"
    tables: tuple[str, ...] = ()
    event_types = frozenset({"Tallied"})

    def __init__(self) -> None:
        self.broken: set[int] = set()
        self.crash_on: int | None = None
        self.tries: Counter[int] = Counter()

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        n = event.data["n"]
        self.tries[n] += 1
        if n == self.crash_on:
            raise Crash(f"the tally of {n} brought the subscription down")
        await conn.execute(
            "INSERT INTO tally.totals (stream_id, events, total) VALUES ($1, 1, $2) "
            "ON CONFLICT (stream_id) DO UPDATE SET events = totals.events + 1, total = totals.total + $2",
            event.stream_id,
            n,
        )
        if n in self.broken:
            raise RuntimeError(f"the tally of {n} cannot be written")


def tally_app(tally: Tally):
    def create_app():
        spec = service("schools")
        return create_service_app(
            name="schools",
            title="Tally",
            description="A read model whose handler the tests break and mend.",
            settings=ServiceSettings(),
            catalogue=EventCatalogue("tally"),
            routers=[],
            migrations=[spec.migrations],
            projections=lambda: [tally],
        )

    return create_app


async def create_tally_table(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute("CREATE SCHEMA tally")
        await conn.execute(
            "CREATE TABLE tally.totals (stream_id text PRIMARY KEY, events int NOT NULL, total bigint NOT NULL)"
        )


def tallied(n: int) -> NewEvent:
    return NewEvent(event_type="Tallied", data={"n": n}, effective_date=date(2026, 11, 2))


async def append_tallies(store, *numbers: int) -> list[int]:
    positions = []
    for n in numbers:
        [recorded] = await store.append(f"tally-{n}", [tallied(n)])
        positions.append(recorded.position)
    return positions


async def tally_of(pool: asyncpg.Pool, n: int) -> tuple[int, int] | None:
    row = await pool.fetchrow("SELECT events, total FROM tally.totals WHERE stream_id = $1", f"tally-{n}")
    return None if row is None else (row["events"], row["total"])
