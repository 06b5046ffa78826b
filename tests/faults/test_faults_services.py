"""Two services (pep and schools) taking writes and reads from several officers at once while
PostgreSQL restarts or every connection is cut.

Callers do what a real client does: a 503 with Retry-After is retried after a pause, a write
with the same Idempotency-Key. Afterwards: no caller ever got a 500 or waited without an answer;
both services answer /ready 200 again by themselves and take new writes; every acknowledged
write is in the log exactly once; the hash chain verifies; and every read model equals its
rebuild from the log (a skipped or doubled event would show as a difference).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from pep.main import create_app as create_pep
from pep.projections import read_models as pep_read_models
from schools.main import create_app as create_schools
from schools.projections import read_models as schools_read_models

from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from fault_support import (  # noqa: E402
    Tally,
    assert_chain_verifies,
    assert_no_dead_letters,
    assert_no_key_appended_twice,
    assert_read_models_equal_rebuild,
    request_until_answered,
    wait_ready,
)

WORKERS = 3  # officers per service
AFTER_FAULT = 4  # each keeps working for this many rounds once the fault is over
MAX_ROUNDS = 150  # a bound, in case the fault never completes

TERM_DATES = {
    "council": "Medway",
    "autumn": {"start": "2026-09-03", "half_term_start": "2026-10-26", "half_term_end": "2026-10-30",
               "end": "2026-12-18"},
    "spring": {"start": "2027-01-05", "half_term_start": "2027-02-15", "half_term_end": "2027-02-19",
               "end": "2027-03-25"},
    "summer": {"start": "2027-04-12", "half_term_start": "2027-05-31", "half_term_end": "2027-06-04",
               "end": "2027-07-21"},
}


def child_body(child_id: str) -> dict:
    return {
        "child_id": child_id,
        "name": f"Child {child_id}",
        "date_of_birth": "2014-05-01",
        "entered_care_on": "2026-09-07",
        "legal_status": "interim_care_order",
        "placing_authority": "Medway",
        "social_worker": "Sam Jones",
        "carer": "Pat Brown",
        "independent_reviewing_officer": "Jo Green",
        "sen_status": "sen_support",
        "year_group": "year_7",
    }


def school_body(urn: str) -> dict:
    return {
        "urn": urn,
        "name": f"School {urn}",
        "la_code": "887",
        "la_name": "Medway",
        "establishment_type": "community",
        "phase": "primary",
        "opened_on": "1974-09-01",
        "headteacher": "Mrs A Patel",
    }


def inspection_body(inspection_id: str) -> dict:
    judgements = ("quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management")
    return {
        "inspection_id": inspection_id,
        "inspected_on": "2019-10-01",
        "inspection_type": "graded",
        "framework": "ofsted_september_2012",
        "overall_effectiveness": "good",
        "judgements": {j: "good" for j in judgements},
        "safeguarding": "effective",
    }


async def social_worker_round(pep, tally: Tally, headers, w: int, k: int) -> bool:
    child = f"F{w}x{k}"
    entered = await request_until_answered(
        pep, tally, "POST", "/children", headers=headers, json=child_body(child), key=f"enter-{child}"
    )
    if entered is None or entered.status_code >= 300:
        return False
    placed = await request_until_answered(
        pep, tally, "POST", f"/children/{child}/school-placement", headers=headers,
        json={"urn": "118001", "start_date": "2026-09-08"}, key=f"place-{child}",
    )
    if placed is None or placed.status_code >= 300:
        return False
    initiated = await request_until_answered(
        pep, tally, "POST", f"/children/{child}/peps", headers=headers, key=f"initiate-{child}",
        json={"pep_id": f"{child}-P1", "term": {"academic_year": 2026, "season": "autumn"},
              "occasion": "initial", "initiated_on": "2026-09-10"},
    )
    if initiated is None or initiated.status_code >= 300:
        return False
    # Read models follow the log, so the child may not be readable yet: 404 is an answer too.
    read = await request_until_answered(pep, tally, "GET", f"/children/{child}", headers=headers)
    return read is not None and read.status_code in (200, 404)


async def adviser_round(schools, tally: Tally, principal, adviser, w: int, k: int) -> bool:
    urn = f"13{w}{k:03d}"
    registered = await request_until_answered(
        schools, tally, "POST", "/schools", headers=principal, json=school_body(urn), key=f"register-{urn}"
    )
    if registered is None or registered.status_code >= 300:
        return False
    inspected = await request_until_answered(
        schools, tally, "POST", f"/schools/{urn}/inspections", headers=adviser,
        json=inspection_body(f"7{urn}"), key=f"inspect-{urn}",
    )
    if inspected is None or inspected.status_code >= 300:
        return False
    read = await request_until_answered(schools, tally, "GET", f"/schools/{urn}", headers=adviser)
    return read is not None and read.status_code in (200, 404)


@pytest.mark.slow
@pytest.mark.parametrize("fault_kind", ["restart", "terminate-backends"])
async def test_services_lose_and_double_nothing_acknowledged_through_a_database_fault(
    fault_pg, fault_db, fault_service, observer, auth, fault_kind
):
    tally = Tally()
    started, done = asyncio.Event(), asyncio.Event()
    begun: set[str] = set()
    rounds_after: dict[str, int] = {}

    gave_up = asyncio.Event()

    async def officer(name: str, one_round) -> None:
        rounds_after[name] = 0
        for k in range(MAX_ROUNDS):
            if gave_up.is_set():
                return
            if not await one_round(k):
                gave_up.set()
                return
            if k >= 1:
                begun.add(name)
                if len(begun) == 2 * WORKERS:
                    started.set()
            if done.is_set():
                rounds_after[name] += 1
                if rounds_after[name] >= AFTER_FAULT:
                    return

    async def inject() -> None:
        async with asyncio.timeout(60):
            await asyncio.wait(
                [asyncio.ensure_future(started.wait()), asyncio.ensure_future(gave_up.wait())],
                return_when=asyncio.FIRST_COMPLETED,
            )
        if gave_up.is_set():
            return  # an officer failed before the fault: the failure is reported below
        if fault_kind == "restart":
            await asyncio.to_thread(fault_pg.restart, "fast")
        else:
            assert await fault_pg.terminate_backends(fault_db.name) >= 2
        done.set()

    async with fault_service(create_pep) as pep, fault_service(create_schools) as schools:
        vsh = auth("virtual_school_head")
        setup = await request_until_answered(
            schools, tally, "PUT", "/council/term-dates/2026", headers=vsh, json=TERM_DATES, key="terms-2026"
        )
        assert setup is not None and setup.status_code < 300, setup and setup.text

        officers = []
        for w in range(WORKERS):
            sw = auth("social_worker", sub=f"sw-{w}")
            pa = auth("principal_adviser", sub=f"pa-{w}")
            sia = auth("school_improvement_adviser", sub=f"sia-{w}")
            officers.append(officer(f"sw-{w}", lambda k, w=w, sw=sw: social_worker_round(pep, tally, sw, w, k)))
            officers.append(
                officer(f"pa-{w}", lambda k, w=w, pa=pa, sia=sia: adviser_round(schools, tally, pa, sia, w, k))
            )
        async with asyncio.timeout(150):
            await asyncio.gather(inject(), *officers)

        assert not tally.failures, tally.summary()
        assert all(n >= AFTER_FAULT for n in rounds_after.values()), (
            f"not every officer kept working after the fault: {rounds_after}"
        )
        # Both services are ready again without being restarted.
        await wait_ready(pep)
        await wait_ready(schools)
        async with asyncio.timeout(60):
            for _ in range(2):  # a policy's appends are read by the read models on the next pass
                await settle(pep.app)
                await settle(schools.app)
        pep_models = pep_read_models(pep.app.state.catalogue)
        schools_models = schools_read_models(schools.app.state.catalogue)

    async with observer() as obs:
        await check_log_against_answers(obs, tally)
        await assert_no_key_appended_twice(obs)
        head = await assert_chain_verifies(obs)
        # With the services stopped, rebuild each read model and compare it with the live one.
        await assert_read_models_equal_rebuild(obs, pep_models, fed={"pep-children", "pep-peps", "pep-deadlines"})
        await assert_read_models_equal_rebuild(obs, schools_models, fed={"schools.profiles"})
        await assert_no_dead_letters(obs, "pep")
        await assert_no_dead_letters(obs, "schools")
    print(f"{fault_kind}: {tally.summary()}; {head} events")


async def check_log_against_answers(obs, tally: Tally) -> None:
    """Each stream written holds exactly what the acknowledged answers said was recorded."""
    children = sorted({key.split("-", 1)[1] for key in tally.acknowledged if key.startswith("enter-")})
    assert children, "no child was registered"
    for child in children:
        expected = [
            (e["position"], e["type"])
            for key in (f"enter-{child}", f"place-{child}")
            for e in tally.acknowledged[key]["events"]
        ]
        logged = [
            (r["position"], r["event_type"])
            for r in await obs.fetch(
                "SELECT position, event_type FROM eventlog.events WHERE stream_id = $1 ORDER BY position",
                f"child-{child}",
            )
        ]
        assert logged == expected, f"child-{child}: the log holds {logged}, the callers were told {expected}"
        pep_logged = [
            (r["position"], r["event_type"])
            for r in await obs.fetch(
                "SELECT position, event_type FROM eventlog.events WHERE stream_id = $1 ORDER BY position",
                f"pep-{child}",
            )
        ]
        pep_expected = [(e["position"], e["type"]) for e in tally.acknowledged[f"initiate-{child}"]["events"]]
        assert pep_logged == pep_expected, f"pep-{child}: {pep_logged} but the caller was told {pep_expected}"
    stray = await obs.fetchval(
        "SELECT count(DISTINCT stream_id) FROM eventlog.events WHERE stream_id LIKE 'child-F%'"
    )
    assert stray == len(children), "a child is in the log whose registration no caller was told of"

    urns = sorted({key.split("-", 1)[1] for key in tally.acknowledged if key.startswith("register-")})
    assert urns, "no school was registered"
    for urn in urns:
        for stream, key in ((f"school-{urn}", f"register-{urn}"), (f"inspections-{urn}", f"inspect-{urn}")):
            logged = [
                r["event_type"]
                for r in await obs.fetch(
                    "SELECT event_type FROM eventlog.events WHERE stream_id = $1 ORDER BY position", stream
                )
            ]
            assert logged == tally.acknowledged[key]["recorded"], f"{stream}: {logged}"
    stray = await obs.fetchval(
        "SELECT count(DISTINCT stream_id) FROM eventlog.events WHERE stream_id LIKE 'school-13%'"
    )
    assert stray == len(urns), "a school is in the log whose registration no caller was told of"
