"""A notice of intention and the eligibility it makes are one decision: once the answer says the
school is eligible, the powers of sections 63-66 can be used straight away - never refused as
"not eligible" while the service's reactions catch up. The same for a confirmed pre-2016 notice's
eligibility date, and a reaction that comes later records nothing a second time."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice, settled  # noqa: E402

from notices.main import create_app

ROUNDS = 200


@pytest.fixture
async def busy_client(service_client, monkeypatch):
    # A thousand writes by one officer in well under a minute; reactions follow the log at
    # production's pace, not the tests' usual 0.05 s.
    monkeypatch.setenv("WRITE_RATE_PER_MINUTE", "5000")
    monkeypatch.setenv("SUBSCRIPTION_POLL_SECONDS", "1")
    async with service_client(create_app) as http:
        yield http


async def test_a_power_is_never_refused_straight_after_the_notice_of_intention(
    busy_client, schools, on, adviser, director, events
):
    client = busy_client
    refused: list[str] = []
    started = time.monotonic()
    for n in range(ROUNDS):
        urn = f"{170000 + n}"
        await schools.register(urn, f"Round {n} Community Primary School")
        on(date(2024, 1, 8))
        body = low_standards_notice(urn, compliance_period={"working_days": 20})
        drafted = await client.post("/notices", json=body, headers=adviser)
        assert drafted.status_code == 201, drafted.text
        notice_id = drafted.json()["notice_id"]
        given = await client.post(
            f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director
        )
        assert given.status_code == 200, given.text
        assert given.json()["dates"]["compliance_period_ends_on"] == "2024-02-05"

        on(date(2024, 2, 6))  # the compliance period has passed
        judged = await client.post(
            f"/notices/{notice_id}/compliance-judgement",
            json={"judged_on": "2024-02-06", "complied": False, "evidence": "No governance review"},
            headers=director,
        )
        assert judged.status_code == 200, judged.text
        intention = await client.post(
            f"/notices/{notice_id}/notice-of-intention",
            json={"given_on": "2024-02-06", "powers": ["s64_additional_governors"]},
            headers=director,
        )
        assert intention.status_code == 200, intention.text
        assert intention.json()["stage"] == "school_eligible"

        appointed = await client.post(
            f"/interventions/{urn}/s64",
            json={"appointed_on": "2024-02-06", "governors": ["Mr C Obi"]},
            headers=director,
        )
        if appointed.status_code != 200:
            refused.append(f"round {n}: {appointed.status_code} {appointed.text}")
    elapsed = time.monotonic() - started
    print(f"{ROUNDS} notices of intention, each followed at once by s64, in {elapsed:.1f} s")
    assert refused == [], f"{len(refused)} of {ROUNDS} refused, e.g. {refused[:3]}"

    # The reaction, when it comes, finds each eligibility already recorded: one per school.
    await settled(client.app)
    eligible = await events(client, "SchoolBecameEligibleForIntervention")
    assert len(eligible) == ROUNDS
    assert {e["stream_id"] for e in eligible} == {f"intervention-{170000 + n}" for n in range(ROUNDS)}


async def test_the_notice_of_intention_records_the_eligibility_it_makes_with_it(
    client, schools, on, adviser, director, events
):
    urn = "100090"
    await schools.register(urn, "Meadow Lane Primary School")
    on(date(2024, 1, 8))
    body = low_standards_notice(urn, compliance_period={"working_days": 20})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director)
    on(date(2024, 2, 7))
    await client.post(
        f"/notices/{notice_id}/compliance-judgement",
        json={"judged_on": "2024-02-06", "complied": False, "evidence": "No governance review"},
        headers=director,
    )
    intention = await client.post(
        f"/notices/{notice_id}/notice-of-intention",
        json={"given_on": "2024-02-07", "powers": ["s63_require_arrangements"]},
        headers={**director, "Idempotency-Key": "intention-100090"},
    )
    assert intention.status_code == 200, intention.text
    answer = intention.json()
    assert answer["stage"] == "school_eligible"
    assert "SchoolBecameEligibleForIntervention" in [e["event_type"] for e in answer["timeline"]]

    # The eligibility is the same event, with the same data, the reaction used to record.
    [eligible] = await events(client, "SchoolBecameEligibleForIntervention")
    assert eligible == {
        "stream_id": f"intervention-{urn}",
        "urn": urn,
        "basis": "warning_notice",
        "eligible_from": "2024-02-07",
        "notice_id": notice_id,
        "inspection_id": None,
        "compliance_period_ended_on": "2024-02-05",
        "powers_lapse_on": "2024-04-06",
    }
    case = (await client.get(f"/interventions/{urn}", headers=adviser)).json()
    assert case["eligible_today"] is True

    # A retry is answered as the first time, and the reaction records nothing more.
    again = await client.post(
        f"/notices/{notice_id}/notice-of-intention",
        json={"given_on": "2024-02-07", "powers": ["s63_require_arrangements"]},
        headers={**director, "Idempotency-Key": "intention-100090"},
    )
    assert again.status_code == 200 and again.json() == answer
    await settled(client.app)
    assert len(await events(client, "SchoolBecameEligibleForIntervention")) == 1


async def test_a_confirmed_notices_eligibility_date_records_the_eligibility_in_the_same_append(
    client, schools, on, adviser, director, events
):
    urn = "100091"
    await schools.register(urn, "Brook Street Primary School")
    on(date(2015, 3, 2))
    notice_id = (await client.post("/notices", json=low_standards_notice(urn), headers=adviser)).json()[
        "notice_id"
    ]
    given = await client.post(f"/notices/{notice_id}/give", json={"given_on": "2015-03-02"}, headers=director)
    assert given.status_code == 200, given.text
    on(date(2015, 3, 4))
    made = await client.post(
        f"/notices/{notice_id}/representations",
        json={"made_on": "2015-03-04", "summary": "The governors disagree"},
        headers=adviser,
    )
    assert made.status_code == 200, made.text
    confirmed = await client.post(
        f"/notices/{notice_id}/ofsted-decision",
        json={"decided_on": "2015-03-04", "confirmed": True},
        headers=adviser,
    )
    assert confirmed.status_code == 200, confirmed.text
    eligible_on = confirmed.json()["dates"]["eligible_on"]

    on(date.fromisoformat(eligible_on))
    await settled(client.app)
    fired = await client.app.state.scheduler.run_once()  # the reactions have not run yet
    assert fired >= 1
    [reached] = await events(client, "WarningNoticeEligibilityDateReached")
    [eligible] = await events(client, "SchoolBecameEligibleForIntervention")
    assert (eligible["eligible_from"], eligible["notice_id"]) == (eligible_on, notice_id)
    assert eligible["powers_lapse_on"] == reached["powers_lapse_on"]
    appointed = await client.post(
        f"/interventions/{urn}/s64",
        json={"appointed_on": eligible_on, "governors": ["Mr C Obi"]},
        headers=director,
    )
    assert appointed.status_code == 200, appointed.text
    await fire_deadlines(client.app)
    assert len(await events(client, "SchoolBecameEligibleForIntervention")) == 1
