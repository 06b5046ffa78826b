"""The feed: pages after a position, filters, long polling and server-sent events, and how open
feeds end when the service is stopped."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from datetime import date

import httpx

from shared.testing.served import served

from eventlog_api_support import raw


def school_event(n: int, urn: str = "100001", kind: str = "InspectionRecorded"):
    return raw(kind, {"urn": urn, "n": n}, date(2025, 1, 1), (f"school:{urn}",))


async def test_the_feed_pages_through_the_log_in_order_with_both_dates(client, auth, log, clock):
    for i in range(7):
        await log.append(f"inspections-10000{i % 3}", [school_event(i, urn=f"10000{i % 3}")])
    headers = auth("auditor")
    first = (await client.get("/feed", params={"limit": 3}, headers=headers)).json()
    assert [e["position"] for e in first["items"]] == [1, 2, 3]
    assert first["next_cursor"] == "3" and first["head_position"] == 7
    following = httpx.URL(first["next"])
    assert (following.path, dict(following.params)) == ("/feed", {"limit": "3", "after": "3"})
    rest = (await client.get("/feed", params={"after": 3, "limit": 100}, headers=headers)).json()
    assert [e["position"] for e in rest["items"]] == [4, 5, 6, 7]
    assert rest["next_cursor"] is None and rest["next"] is None
    event = rest["items"][0]
    assert event["effective_date"] == "2025-01-01"
    assert event["recorded_at"] == clock.now().isoformat()
    assert event["prev_hash"] == first["items"][-1]["hash"]
    empty = (await client.get("/feed", params={"after": 7}, headers=headers)).json()
    assert empty == {"items": [], "next_cursor": None, "next": None, "head_position": 7}


async def test_the_feed_filters_by_event_type_stream_category_and_subject(client, auth, log):
    await log.append("inspections-100001", [school_event(1)])
    await log.append("categorisation-100001", [school_event(2, kind="SchoolCategorised")])
    await log.append("inspections-100002", [school_event(3, urn="100002")])
    await log.append("notice-N1", [school_event(4, kind="WarningNoticeGiven")])
    headers = auth("service", scopes=["event-log:read"])

    async def positions(**params) -> list[int]:
        body = (await client.get("/feed", params=params, headers=headers)).json()
        return [e["position"] for e in body["items"]]

    assert await positions(type="InspectionRecorded") == [1, 3]
    assert await positions(type=["SchoolCategorised", "WarningNoticeGiven"]) == [2, 4]
    assert await positions(category="inspections") == [1, 3]
    assert await positions(category=["notice", "categorisation"]) == [2, 4]
    assert await positions(subject="school:100001") == [1, 2, 4]
    assert await positions(subject="school:100001", category="inspections") == [1]
    refused = await client.get("/feed", params={"limit": 5000}, headers=headers)
    assert refused.status_code == 422 and refused.json()["field"] == "limit"


async def test_a_long_poll_answers_as_soon_as_an_event_is_appended(client, auth, log):
    await log.append("inspections-100001", [school_event(1)])
    headers = auth("service", scopes=["event-log:read"])
    started = time.monotonic()
    waiting = asyncio.create_task(client.get("/feed", params={"after": 1, "wait": 20}, headers=headers))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    appended_at = time.monotonic()
    await log.append("inspections-100001", [school_event(2)])
    body = (await waiting).json()
    answered_in = time.monotonic() - appended_at
    assert [e["position"] for e in body["items"]] == [2]
    # Woken by the append, not by the 20-second wait running out. (Typically well under a
    # second; the bound is loose so a busy machine does not fail the test.)
    assert answered_in < 10, answered_in
    assert time.monotonic() - started < 15


async def test_a_long_poll_with_nothing_new_returns_an_empty_page_when_its_wait_ends(client, auth, log):
    await log.append("inspections-100001", [school_event(1)])
    started = time.monotonic()
    body = (await client.get("/feed", params={"after": 1, "wait": 1.5}, headers=auth("auditor"))).json()
    elapsed = time.monotonic() - started
    assert body["items"] == [] and body["next_cursor"] is None
    assert 1.4 <= elapsed < 10


async def test_a_long_poll_ignores_events_outside_its_filter(client, auth, log):
    headers = auth("auditor")
    waiting = asyncio.create_task(
        client.get("/feed", params={"type": "SchoolCategorised", "wait": 20}, headers=headers)
    )
    await asyncio.sleep(0.2)
    await log.append("inspections-100001", [school_event(1)])
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await log.append("categorisation-100001", [school_event(2, kind="SchoolCategorised")])
    body = (await waiting).json()
    assert [e["type"] for e in body["items"]] == ["SchoolCategorised"]


async def _read_sse(lines, count: int) -> list[dict]:
    """The next ``count`` messages from an SSE stream's line iterator (comments skipped)."""
    messages: list[dict] = []
    current: dict = {}
    async for line in lines:
        if line == "":
            if "data" in current:
                messages.append(current)
                if len(messages) == count:
                    return messages
            current = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            current[name] = value
    return messages


async def test_server_sent_events_deliver_a_new_event_within_a_second_and_resume(served, auth, log):
    for i in range(3):
        await log.append("inspections-100001", [school_event(i)])
    async with served() as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            headers = auth("service", scopes=["event-log:read"])
            async with http.stream("GET", "/feed/events", params={"after": 1}, headers=headers) as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                lines = response.aiter_lines()
                backlog = await _read_sse(lines, 2)
                assert [m["id"] for m in backlog] == ["2", "3"]
                assert backlog[0]["event"] == "InspectionRecorded"

                async def append_later() -> float:
                    await asyncio.sleep(0.5)
                    await log.append("inspections-100001", [school_event(99)])
                    return time.monotonic()

                appending = asyncio.create_task(append_later())
                (live,) = await _read_sse(lines, 1)
                received_at = time.monotonic()
                assert received_at - await appending < 10  # delivered while the stream stays open
                assert live["id"] == "4"
                assert json.loads(live["data"])["data"] == {"urn": "100001", "n": 99}

            resumed_headers = {**headers, "Last-Event-ID": "3"}
            async with http.stream("GET", "/feed/events", headers=resumed_headers) as response:
                (again,) = await _read_sse(response.aiter_lines(), 1)
                assert again["id"] == "4"


async def test_on_sigterm_open_feeds_finish_what_they_are_sending_and_the_service_stops(
    service_database_url, signing_keys, auth, log
):
    """uvicorn waits for open requests before it shuts the app down; a feed that never ended would
    hold the process until it was killed. Run as in production, with no graceful-shutdown limit."""
    for i in range(3):
        await log.append("inspections-100001", [school_event(i)])
    environment = {
        "DATABASE_URL": service_database_url("event-log"),
        "ENVIRONMENT": "test",
        "DEV_PUBLIC_KEY_PATH": str(signing_keys[1]),
    }
    headers = auth("service", scopes=["event-log:read"])
    async with served("event-log", environment) as event_log:
        async with httpx.AsyncClient(base_url=event_log.base_url, timeout=60) as http:
            sent = asyncio.Event()

            async def note_sent(name: str, info: dict) -> None:
                if name == "http11.send_request_body.complete":
                    sent.set()

            # Nothing new after 3: it would wait 30 seconds.
            long_poll = asyncio.create_task(
                http.get("/feed", params={"after": 3, "wait": 30}, headers=headers,
                         extensions={"trace": note_sent})
            )
            async with asyncio.timeout(30):
                await sent.wait()
            async with http.stream("GET", "/feed/events", params={"after": 1}, headers=headers) as stream:
                lines = stream.aiter_lines()
                assert [m["id"] for m in await _read_sse(lines, 2)] == ["2", "3"]
                # The stream is open and the long poll (sent before it) is waiting.
                event_log.process.send_signal(signal.SIGTERM)
                async with asyncio.timeout(20):
                    assert await _read_sse(lines, 1) == []  # ended, cleanly, with nothing more
                    answer = await long_poll
            assert answer.status_code == 200
            assert answer.json()["items"] == [] and answer.json()["head_position"] == 3
        assert await event_log.stopped(timeout=20) == -signal.SIGTERM
        assert any('"Application shutdown complete."' in line for line in event_log.lines())

