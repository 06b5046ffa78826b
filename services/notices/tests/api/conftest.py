"""Fixtures of the notices API tests: the app, the clock it reads, and the schools service's
events appended to the log as the schools service writes them (its own event classes)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from shared.eventlog.records import NewEvent
from schools.domain import inspections as schools_inspections
from schools.domain import register as schools_register
from notices.main import create_app


@pytest.fixture
async def client(service_client):
    async with service_client(create_app) as http:
        yield http


@pytest.fixture
def on(clock):
    """``on(date(2015, 3, 31))`` sets the council's today (10:00 in London)."""

    def set_today(day: date) -> None:
        clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc))

    return set_today


class SchoolsService:
    """Appends what the schools service would, to its own streams."""

    def __init__(self, store) -> None:
        self.store = store

    async def _append(self, stream_id: str, event) -> None:
        await self.store.append(
            stream_id,
            [NewEvent.from_event(event, default_effective_date=date(2000, 1, 1))],
            metadata={"service": "schools", "actor": "schools-tester"},
        )

    async def register(self, urn: str, name: str = "Riverside Community Primary School", **details) -> None:
        fields = {
            "urn": urn,
            "name": name,
            "la_code": "886",
            "establishment_type": "community",
            "phase": "primary",
            "headteacher": "Ms A Patel",
            "status": "open",
            "registered_on": date(2001, 9, 1),
            **details,
        }
        await self._append(f"school-{urn}", schools_register.SchoolRegistered(**fields))

    async def close(self, urn: str, closed_on: date) -> None:
        event = schools_register.SchoolClosed(urn=urn, previous_status="open", closed_on=closed_on)
        await self._append(f"school-{urn}", event)

    async def inspect(self, urn: str, inspection_id: str, inspected_on: date, category: str | None) -> None:
        event = schools_inspections.InspectionRecorded(
            urn=urn,
            inspection_id=inspection_id,
            inspected_on=inspected_on,
            inspection_type="graded",
            framework="ofsted_september_2012",
            overall_effectiveness="inadequate" if category else "good",
            category_of_concern=category,
            below_good=category is not None,
        )
        await self._append(f"inspections-{urn}", event)


@pytest.fixture
def schools(store) -> SchoolsService:
    return SchoolsService(store)


@pytest.fixture
def adviser(auth):
    return auth("school_improvement_adviser")


@pytest.fixture
def director(auth):
    return auth("principal_adviser")


async def event_count(client) -> int:
    async with client.app.state.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM eventlog.events")


async def events_of(client, event_type: str) -> list[dict]:
    async with client.app.state.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT stream_id, data FROM eventlog.events WHERE event_type = $1 ORDER BY position", event_type
        )
    return [{"stream_id": r["stream_id"], **r["data"]} for r in rows]


@pytest.fixture
def count_events():
    return event_count


@pytest.fixture
def events():
    return events_of
