"""Every read of a child's record by a person is recorded (who, when, which child, which route),
auditors can ask who read what, and recording does not noticeably slow the read."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from shared.web.audit import list_record_reads

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import HOME_URN, create_children_table, create_security_test_app  # noqa: E402

READS = 1000


@pytest.fixture
async def children(pool):
    await create_children_table(pool, [("C1", "Ada", HOME_URN), ("C2", "Grace", HOME_URN)])


async def test_a_persons_read_is_recorded_with_who_when_which_child_and_route(
    service_client, auth, children, clock, pool
):
    async with service_client(create_security_test_app) as client:
        answer = await client.get(
            "/children/C1", headers={**auth("social_worker", sub="sw-jones"), "X-Request-Id": "req-read-1"}
        )
        assert answer.status_code == 200
    [read] = await list_record_reads(pool)
    assert (read.actor, read.role, read.service) == ("sw-jones", "social_worker", "security-test")
    assert read.child_id == "C1" and read.subject == "child:C1"
    assert read.route == "GET /children/{child_id}"
    assert read.read_at == clock.now()
    assert read.request_id == "req-read-1"


async def test_an_answer_showing_several_children_records_a_read_of_each(
    service_client, auth, children, pool
):
    async with service_client(create_security_test_app) as client:
        headers = auth("designated_teacher", urn=HOME_URN, sub="dt-1")
        answer = await client.get(f"/schools/{HOME_URN}/children", headers=headers)
        assert [c["child_id"] for c in answer.json()] == ["C1", "C2"]
        empty = await client.get("/schools/999999/children", headers=auth("auditor"))
        assert empty.json() == []
    reads = await list_record_reads(pool)
    assert [(r.actor, r.child_id, r.route) for r in reads] == [
        ("dt-1", "C1", "GET /schools/{urn}/children"), ("dt-1", "C2", "GET /schools/{urn}/children")
    ]


async def test_reads_by_service_accounts_refused_reads_and_lists_are_not_personal_record_reads(
    service_client, auth, children, pool
):
    async with service_client(create_security_test_app) as client:
        feed = auth("service", sub="case-system", scopes=["security-test:read"])
        assert (await client.get("/children/C1", headers=feed)).status_code == 200
        assert (await client.get("/children/C1", headers=auth("finance_officer"))).status_code == 403
        assert (await client.get("/children/C1")).status_code == 401
        assert (await client.get("/children/NOBODY", headers=auth("auditor"))).status_code == 404
    assert await list_record_reads(pool) == []


async def test_auditors_can_ask_who_read_a_child_what_a_person_read_and_when(
    service_client, auth, children, clock, pool
):
    start = clock.now()
    async with service_client(create_security_test_app) as client:
        for minute, (sub, child) in enumerate(
            [("alice", "C1"), ("bob", "C1"), ("alice", "C2"), ("alice", "C1"), ("bob", "C2")]
        ):
            clock.set(start + timedelta(minutes=minute))
            headers = auth("virtual_school_officer", sub=sub)
            assert (await client.get(f"/children/{child}", headers=headers)).status_code == 200

    by_child = await list_record_reads(pool, child_id="C1")
    assert [(r.actor, r.read_at - start) for r in by_child] == [
        ("alice", timedelta(0)), ("bob", timedelta(minutes=1)), ("alice", timedelta(minutes=3))
    ]
    by_actor = await list_record_reads(pool, actor="alice")
    assert [r.child_id for r in by_actor] == ["C1", "C2", "C1"]
    window = await list_record_reads(
        pool, read_from=start + timedelta(minutes=1), read_before=start + timedelta(minutes=3)
    )
    assert [(r.actor, r.child_id) for r in window] == [("bob", "C1"), ("alice", "C2")]
    both = await list_record_reads(pool, child_id="C2", actor="bob")
    assert [(r.actor, r.child_id) for r in both] == [("bob", "C2")]

    first_page = await list_record_reads(pool, limit=2)
    second_page = await list_record_reads(pool, limit=2, after_id=first_page[-1].id)
    assert [r.actor for r in first_page + second_page] == ["alice", "bob", "alice", "alice"]
    with pytest.raises(ValueError):
        await list_record_reads(pool, limit=5000)


async def test_nobody_can_change_or_remove_the_record_of_reads(service_client, auth, children, pool):
    async with service_client(create_security_test_app) as client:
        await client.get("/children/C1", headers=auth("auditor"))
    async with pool.acquire() as conn:
        for statement in (
            "UPDATE eventlog.record_reads SET actor = 'nobody'",
            "DELETE FROM eventlog.record_reads",
            "TRUNCATE eventlog.record_reads",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    assert len(await list_record_reads(pool)) == 1


async def timed_reads(client, headers, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        answer = await client.get("/children/C1", headers=headers)
        assert answer.status_code == 200
    return time.perf_counter() - started


@pytest.mark.slow
async def test_recording_a_read_costs_less_than_the_read_itself(service_client, auth, children, pool):
    """Both services run side by side and take turns, 100 reads at a time, so whatever else the
    machine is doing weighs on both the same."""
    headers = auth("virtual_school_officer", sub="timed")
    totals = {"without": 0.0, "with": 0.0}
    async with (
        service_client(lambda: create_security_test_app(audited=False)) as unrecorded,
        service_client(create_security_test_app) as recorded,
    ):
        for client in (unrecorded, recorded):  # warm up connections and caches
            await timed_reads(client, headers, 50)
        for _ in range(READS // 100):
            totals["without"] += await timed_reads(unrecorded, headers, 100)
            totals["with"] += await timed_reads(recorded, headers, 100)
    extra_ms = (totals["with"] - totals["without"]) / READS * 1000
    print(
        f"\n{READS} reads: {totals['without']:.2f}s without recording, {totals['with']:.2f}s with; "
        f"{extra_ms:+.3f} ms a read ({(totals['with'] / totals['without'] - 1) * 100:+.0f}%)"
    )
    assert await pool.fetchval("SELECT count(*) FROM eventlog.record_reads WHERE actor = 'timed'") == READS + 50
    # Measured: +0.2 to +0.7 ms on a read of 1.2 to 1.6 ms in-process on a quiet machine, and the
    # same share when it is busy. A bound relative to the read holds on a loaded machine too, and
    # recording that waited for a disk flush or opened a connection would break it.
    assert totals["with"] < 2 * totals["without"]
