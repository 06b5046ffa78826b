"""Every read of a child's record by a person is recorded (who, when, which child, which route),
and auditors can ask who read what. What recording costs a read is measured, not asserted:
``benchmarks/read_audit_cost.py``."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from shared.web.audit import list_record_reads

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import HOME_URN, create_children_table, create_security_test_app  # noqa: E402

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
