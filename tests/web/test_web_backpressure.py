"""Back-pressure: past its bound on requests in flight a service answers at once with a 503
problem and Retry-After instead of queueing; health, readiness and metrics are never turned away."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from shared.events import EventCatalogue
from shared.settings import ServiceSettings
from shared.web.app import create_service_app
from shared.web import problem_types
from shared.web.backpressure import RequestsInFlightMiddleware
from shared.web.problems import PROBLEM_JSON


def busy_app(limit: int) -> tuple[FastAPI, asyncio.Event, asyncio.Event]:
    """An app whose /work holds each request until ``release`` is set."""
    app = FastAPI()
    entered, release = asyncio.Event(), asyncio.Event()

    @app.get("/work")
    async def work() -> PlainTextResponse:
        entered.set()
        await release.wait()
        return PlainTextResponse("done")

    @app.get("/health")
    async def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    app.add_middleware(RequestsInFlightMiddleware, limit=limit, retry_after_seconds=3)
    return app, entered, release


async def test_a_request_past_the_bound_is_answered_503_at_once_and_the_bound_frees_as_requests_end():
    app, entered, release = busy_app(limit=1)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        first = asyncio.create_task(client.get("/work"))
        async with asyncio.timeout(10):
            await entered.wait()

        # Answered while the first is still held: had it queued, this would never return.
        async with asyncio.timeout(10):
            refused = await client.get("/work")
        assert refused.status_code == 503
        assert refused.headers["content-type"] == PROBLEM_JSON
        assert refused.headers["retry-after"] == "3"
        body = refused.json()
        assert body["type"] == problem_types.entry("service-unavailable").uri
        assert body["status"] == 503

        # Health is never turned away, even at the bound.
        async with asyncio.timeout(10):
            health = await client.get("/health")
        assert health.status_code == 200

        release.set()
        async with asyncio.timeout(10):
            assert (await first).status_code == 200
            # The first has ended, so the next is taken.
            assert (await client.get("/work")).status_code == 200


async def test_requests_within_the_bound_are_all_taken():
    app, entered, release = busy_app(limit=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        held = [asyncio.create_task(client.get("/work")) for _ in range(3)]
        async with asyncio.timeout(10):
            while app.middleware_stack is None or _in_flight(app) < 3:
                await asyncio.sleep(0.01)
        release.set()
        async with asyncio.timeout(10):
            answers = await asyncio.gather(*held)
    assert [a.status_code for a in answers] == [200, 200, 200]


def _in_flight(app: FastAPI) -> int:
    layer = app.middleware_stack
    while not isinstance(layer, RequestsInFlightMiddleware):
        layer = layer.app
    return layer.in_flight


def test_every_service_app_is_built_with_the_bound_its_settings_name(signing_keys):
    app = create_service_app(
        name="schools",
        title="Bounded",
        description="An app built only to read its middleware.",
        settings=ServiceSettings(
            database_url="postgresql://nobody@localhost/none", max_requests_in_flight=7,
            overload_retry_after_seconds=4, dev_public_key_path=signing_keys[1],
        ),
        catalogue=EventCatalogue("bounded"),
        routers=[],
    )
    [bound] = [m for m in app.user_middleware if m.cls is RequestsInFlightMiddleware]
    assert bound.kwargs == {"limit": 7, "retry_after_seconds": 4}
