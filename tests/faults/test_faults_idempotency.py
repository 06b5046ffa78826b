"""Many copies of one request, sent at once with the same Idempotency-Key (a client retrying
over a flaky network, a double-clicked button, a gateway's own retries), on real write routes:
exactly one append, and every caller gets the same answer. Also while PostgreSQL restarts or
the service's connections are cut, with callers retrying 503s as a client would."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from pep.main import create_app as create_pep
from schools.main import create_app as create_schools

sys.path.insert(0, str(Path(__file__).parent))
from fault_support import (  # noqa: E402
    Tally,
    assert_chain_verifies,
    assert_no_key_appended_twice,
    request_until_answered,
)
from test_faults_services import child_body, school_body  # noqa: E402

COPIES = 12


async def send_copies(client, tally, method, url, headers, body, key, *, fault=None, spread=0.0):
    """COPIES identical requests; with ``spread`` they start that many seconds apart, so some
    arrive before the fault, some during it and some after."""

    async def one(i: int):
        await asyncio.sleep(i * spread)
        return await request_until_answered(client, tally, method, url, headers=headers, json=body, key=key)

    async def inject():
        if fault is not None:
            await asyncio.sleep(spread * 2)
            await fault()

    async with asyncio.timeout(90):
        *answers, _ = await asyncio.gather(*[one(i) for i in range(COPIES)], inject())
    return answers


def fault_of(kind: str, fault_pg, fault_db):
    if kind == "none":
        return None, 0.0
    if kind == "restart":
        return (lambda: asyncio.to_thread(fault_pg.restart, "fast")), 0.1

    async def terminate():
        await fault_pg.terminate_backends(fault_db.name)

    return terminate, 0.02


def one_answer_for_all(tally: Tally, answers) -> list:
    """Every copy was answered 201 with the same body, and no caller saw a failure."""
    assert not tally.failures, tally.summary()
    assert all(a is not None for a in answers)
    assert {a.status_code for a in answers} == {201}
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies), bodies
    return bodies


@pytest.mark.slow
@pytest.mark.parametrize("fault_kind", ["none", "terminate-backends", "restart"])
async def test_same_key_copies_of_a_child_entering_care_append_once_and_get_one_answer(
    fault_pg, fault_db, fault_service, observer, auth, fault_kind
):
    fault, spread = fault_of(fault_kind, fault_pg, fault_db)
    tally = Tally()
    social_worker = auth("social_worker", sub="sw.jones")
    async with fault_service(create_pep) as pep:
        answers = await send_copies(
            pep, tally, "POST", "/children", social_worker, child_body("K1"), "enter-care-K1-0001",
            fault=fault, spread=spread,
        )
    bodies = one_answer_for_all(tally, answers)
    assert [e["type"] for e in bodies[0]["events"]], "the answer names no recorded event"

    async with observer() as obs:
        logged = await obs.fetch(
            "SELECT position, event_type FROM eventlog.events WHERE stream_id = 'child-K1' ORDER BY position"
        )
        assert [(r["position"], r["event_type"]) for r in logged] == [
            (e["position"], e["type"]) for e in bodies[0]["events"]
        ]
        await assert_no_key_appended_twice(obs)
        await assert_chain_verifies(obs)
    print(f"{fault_kind}: {tally.summary()}")


@pytest.mark.slow
@pytest.mark.parametrize("fault_kind", ["none", "terminate-backends"])
async def test_same_key_copies_of_a_school_registration_append_once_and_get_one_answer(
    fault_pg, fault_db, fault_service, observer, auth, fault_kind
):
    fault, spread = fault_of(fault_kind, fault_pg, fault_db)
    tally = Tally()
    principal = auth("principal_adviser", sub="pa.okafor")
    async with fault_service(create_schools) as schools:
        answers = await send_copies(
            schools, tally, "POST", "/schools", principal, school_body("140001"), "register-140001-a",
            fault=fault, spread=spread,
        )
    bodies = one_answer_for_all(tally, answers)
    assert {a.headers["etag"] for a in answers} == {'"1"'}

    async with observer() as obs:
        logged = await obs.fetch(
            "SELECT event_type FROM eventlog.events WHERE stream_id = 'school-140001' ORDER BY position"
        )
        assert [r["event_type"] for r in logged] == bodies[0]["recorded"]
        await assert_no_key_appended_twice(obs)
        await assert_chain_verifies(obs)
    print(f"{fault_kind}: {tally.summary()}")
