"""What the log guarantees: append-only in the database, no skipped events, a verifiable chain."""

from __future__ import annotations

import asyncio
from datetime import date

import asyncpg
import pytest

from shared.eventlog import NewEvent, verify_chain
from shared.eventlog.store import EventStore
from shared.migrations import url_for_role
from shared.services import service


def ev(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2025, 5, 1))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE eventlog.events SET data = '{\"n\": 666}' WHERE position = 1",
        "DELETE FROM eventlog.events WHERE position = 1",
        "TRUNCATE eventlog.events CASCADE",
        "UPDATE eventlog.idempotency_keys SET last_position = 1",
    ],
)
async def test_the_log_refuses_to_change_history_even_for_a_superuser(store, pool, statement):
    await store.append("school-100001", [ev(1)], idempotency_key="guard-key-01")
    with pytest.raises(asyncpg.PostgresError) as refused:
        await pool.execute(statement)
    assert "append-only" in str(refused.value)
    assert [e.data for e in await store.read_stream("school-100001")] == [{"n": 1}]


async def test_a_service_role_has_no_update_delete_or_truncate_privilege(store, database_url):
    """Refused by the privilege check itself, before the trigger: the trigger raises the same
    error class, so only the message tells them apart (every role: test_eventlog_roles.py)."""
    await store.append("school-100001", [ev(1)])
    conn = await asyncpg.connect(url_for_role(database_url, service("schools").db_role))
    try:
        assert await conn.fetchval("SELECT count(*) FROM eventlog.events") == 1
        for statement in ("DELETE FROM eventlog.events", "UPDATE eventlog.events SET data = '{}'",
                          "TRUNCATE eventlog.events CASCADE"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for table"):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_verify_accepts_an_untouched_log(store, pool):
    for i in range(30):
        await store.append(f"child-C{i % 4}", [ev(i), ev(i + 100)])
    result = await verify_chain(pool, page_size=7)
    assert result.ok
    assert result.checked == 60
    assert result.last_position == 60


async def test_verify_names_the_first_corrupted_row(store, pool):
    for i in range(20):
        await store.append("child-C1", [ev(i)])
    # A superuser deliberately disables the guard to tamper with position 7.
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(
                "UPDATE eventlog.events SET data = '{\"n\": 999}' WHERE position = 7"
            )
    result = await verify_chain(pool)
    assert not result.ok
    assert result.broken_position == 7
    assert result.checked == 6
    assert "does not match its hash" in result.reason


async def test_verify_notices_a_deleted_row(store, pool):
    for i in range(5):
        await store.append("child-C1", [ev(i)])
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute("DELETE FROM eventlog.events WHERE position = 3")
    result = await verify_chain(pool)
    assert (result.ok, result.broken_position) == (False, 3)


async def test_a_follower_sees_every_event_exactly_once_in_order_under_concurrent_appenders(pool):
    """Many appenders (several stores = several processes' writers, each with many callers)
    race while a follower reads "after position" in small pages; it must never skip an event
    that commits late with a lower position."""
    stores = [EventStore(pool, max_group=7) for _ in range(4)]
    for s in stores:
        s.start()
    writers, per_writer = 24, 40
    done = asyncio.Event()
    seen: list[int] = []

    async def follower() -> None:
        after = 0
        while True:
            finished = done.is_set()
            async with pool.acquire() as conn:
                rows = await conn.fetch(
                    "SELECT position FROM eventlog.events WHERE position > $1 ORDER BY position LIMIT 13",
                    after,
                )
            for row in rows:
                seen.append(row["position"])
            if rows:
                after = rows[-1]["position"]
            elif finished:
                return
            else:
                await asyncio.sleep(0)

    async def writer(w: int) -> None:
        s = stores[w % len(stores)]
        for i in range(per_writer):
            await s.append(f"child-W{w}", [ev(i)])

    reader = asyncio.create_task(follower())
    await asyncio.gather(*[writer(w) for w in range(writers)])
    done.set()
    await reader
    for s in stores:
        await s.close()

    total = writers * per_writer
    assert seen == list(range(1, total + 1))
    assert (await verify_chain(pool)).ok
