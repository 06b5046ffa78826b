"""The log writer outlives its database connection: an append in flight when the connection is
cut is recorded once or answered "retry"; while the database is away appends are answered at
once with a retry hint, never left hanging; when it is back, appends succeed again on their own."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from datetime import date

import asyncpg
import pytest

from shared.eventlog import NewEvent, verify_chain
from shared.eventlog.records import StreamAppend
from shared.eventlog.store import APPEND_LOCK_KEY, EventStore, StoreUnavailable, init_connection
# The writer's own parts, to replay a group whose answer was lost exactly as the writer sent it.
from shared.eventlog.store import _APPEND_GROUP, NOTIFY_CHANNEL, _Attempt, _GroupPlan, _PendingAppend


def ev(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2026, 11, 2))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def terminate_connections(postgres_url: str, database: str) -> None:
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
    finally:
        await admin.close()


async def allow_connections(postgres_url: str, database: str, allowed: bool) -> None:
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')
    finally:
        await admin.close()


async def test_an_append_in_flight_when_its_connection_is_cut_is_recorded_exactly_once(store, pool):
    await store.append("school-100001", [ev(0)])
    async with pool.acquire() as holder:
        async with holder.transaction():
            # Hold the append lock so the writer's transaction is open and waiting, then cut the
            # writer's connection under it.
            await holder.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK_KEY)
            pending = asyncio.create_task(store.append("school-100001", [ev(1)], idempotency_key="cut-key-001"))
            async with asyncio.timeout(10):
                # Activity is read as of the transaction's first look unless the snapshot is cleared.
                while not (waiting := await holder.fetch(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND objid = $1::bigint % 4294967296 AND pid <> pg_backend_pid()",
                    APPEND_LOCK_KEY,
                )):
                    await asyncio.sleep(0.02)
            for row in waiting:
                await holder.execute("SELECT pg_terminate_backend($1)", row["pid"])
    async with asyncio.timeout(20):
        outcome = await asyncio.gather(pending, return_exceptions=True)
    [result] = outcome
    recorded = [e.data["n"] for e in await store.read_stream("school-100001")]
    if isinstance(result, StoreUnavailable):
        # Allowed: the caller was told to retry. Retrying with the same key records it once.
        await store.append("school-100001", [ev(1)], idempotency_key="cut-key-001")
        recorded = [e.data["n"] for e in await store.read_stream("school-100001")]
    else:
        assert not isinstance(result, BaseException), result
    assert recorded == [0, 1]
    assert store.running
    # The writer goes on with a new connection.
    await store.append("school-100001", [ev(2)])
    assert (await verify_chain(pool)).ok


async def test_while_the_database_is_away_appends_are_answered_at_once_and_resume_when_it_is_back(
    postgres_url, database_url
):
    pool = await asyncpg.create_pool(database_url, min_size=0, max_size=4, init=init_connection)
    store = EventStore(pool, reconnect_backoff=(0.05, 0.2), acquire_timeout=2)
    store.start()
    name = database_name(database_url)
    try:
        await store.append("school-100001", [ev(0)])
        await allow_connections(postgres_url, name, False)
        await terminate_connections(postgres_url, name)
        for n in range(3):
            with pytest.raises(StoreUnavailable) as refused:
                async with asyncio.timeout(15):
                    await store.append("school-100001", [ev(100 + n)], idempotency_key=f"away-key-{n:03}")
            assert refused.value.status == 503 and refused.value.retry_after >= 1
        assert store.running

        await allow_connections(postgres_url, name, True)
        async with asyncio.timeout(20):
            while True:
                try:
                    await store.append("school-100001", [ev(1)], idempotency_key="back-key-001")
                    break
                except StoreUnavailable:
                    await asyncio.sleep(0.05)
        recorded = [e.data["n"] for e in await store.read_stream("school-100001")]
        assert recorded == [0, 1]
        assert (await verify_chain(pool)).ok
    finally:
        await allow_connections(postgres_url, name, True)
        await store.close()
        # Not close(): that waits for every connection to be handed back, and this test is about
        # connections that were cut.
        pool.terminate()


async def test_after_a_lost_answer_the_writer_finds_exactly_the_appends_its_group_recorded(store, pool):
    """The group's statement committed but its answer never came back: the writer must find the
    appends that were recorded (answered with their events) and only those; the one refused in
    the group (a version conflict) and an identical event recorded earlier are not taken for it."""
    await store.append("school-100001", [ev(7)])  # identical to one below, but recorded earlier
    loop = asyncio.get_running_loop()
    group = [
        _PendingAppend((StreamAppend("school-100001", (ev(7),)),), {}, None, None, loop.create_future()),
        _PendingAppend((StreamAppend("school-100002", (ev(1), ev(2)), 5),), {}, None, None, loop.create_future()),
        _PendingAppend((StreamAppend("school-100003", (ev(3),), 0),), {}, "found-key-001", None, loop.create_future()),
    ]
    head = await store.head_position()
    # An earlier event of this very content at this very time must not be mistaken for the group's.
    recorded_at = (await store.read_stream("school-100001"))[0].recorded_at
    plan = _GroupPlan(group, recorded_at, seen_head=head)
    async with pool.acquire() as lost:  # the connection whose answer was lost
        await lost.fetch(_APPEND_GROUP, APPEND_LOCK_KEY, plan.recorded_at, NOTIFY_CHANNEL, *plan.arguments)

    attempt = _Attempt(plan=plan)
    async with pool.acquire() as conn:
        found = await store._find_written(conn, group, attempt)

    assert set(found) == {0, 2}  # the second expected version 5 of a new stream: refused
    assert [(e.stream_id, e.position, e.data["n"]) for e in found[0]] == [("school-100001", head + 1, 7)]
    assert [(e.stream_id, e.position, e.data["n"]) for e in found[2]] == [("school-100003", head + 2, 3)]
    assert all(e.hash == e.content_hash() for events in found.values() for e in events)
