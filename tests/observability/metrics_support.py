"""What the metrics tests share: reading a /metrics answer, waiting for a value, and a small
service whose one read model the test can hold back or break."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from shared.eventlog import NewEvent, RecordedEvent
from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

Labels = dict[str, str]


class Scrape:
    """One /metrics answer: its text, and every sample by name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.samples: dict[str, list[tuple[Labels, float]]] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                self.samples.setdefault(sample.name, []).append((sample.labels, sample.value))

    def value(self, name: str, **labels: str) -> float | None:
        """The value of the one sample of ``name`` with these labels (others may differ); None
        when there is none."""
        found = [v for have, v in self.samples.get(name, []) if labels.items() <= have.items()]
        assert len(found) <= 1, f"{len(found)} samples of {name} match {labels}"
        return found[0] if found else None

    def label_values(self) -> set[str]:
        return {value for samples in self.samples.values() for labels, _ in samples for value in labels.values()}


async def scrape(client: httpx.AsyncClient) -> Scrape:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


async def until_scraped(
    client: httpx.AsyncClient, holds: Callable[[Scrape], bool], *, timeout: float = 10.0
) -> Scrape:
    """Scrape until ``holds`` is true of the answer; fail after ``timeout`` seconds."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                found = await scrape(client)
                if holds(found):
                    return found
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"/metrics never showed what was waited for; last:\n{found.text}") from None


async def first_run_over(scheduler, timeout: float = 10.0) -> None:
    """The scheduler runs every job as soon as the service starts: wait until each has succeeded."""
    async with asyncio.timeout(timeout):
        while set(scheduler.last_successes) != set(scheduler.job_names):
            await asyncio.sleep(0.01)


class HeldBack:
    """A read model that waits at ``gate`` before applying an event, and fails on the ``n`` in
    ``broken`` every time."""

    name = "held-back"
    schema = "schools"
    tables: tuple[str, ...] = ()
    event_types = frozenset({"Counted"})

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.gate.set()
        self.broken: set[int] = set()
        self.applied: list[int] = []

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        await self.gate.wait()
        n = event.data["n"]
        if n in self.broken:
            raise RuntimeError(f"count {n} cannot be applied")
        self.applied.append(n)


def held_back_app(projection: HeldBack, **settings: object):
    """The schools schema's subscription tables under the one read model."""

    def create_app():
        return create_service_app(
            name="schools",
            title="Held back",
            description="A read model the tests hold back and break.",
            settings=ServiceSettings(**settings),
            catalogue=EventCatalogue("counting"),
            routers=[],
            migrations=[service("schools").migrations],
            projections=lambda: [projection],
        )

    return create_app


async def append_counts(store, *numbers: int) -> None:
    for n in numbers:
        await store.append(f"count-{n}", [NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2026, 11, 2))])
