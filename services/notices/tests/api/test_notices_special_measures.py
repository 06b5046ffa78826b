"""The special-measures shortcut: an Ofsted judgement recorded by the schools service (its event
appended to ``inspections-<urn>``) makes a maintained school eligible for intervention at once,
with or without a notice in progress - and the powers that follow, with the IEB/s66 rule."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import low_standards_notice, settled  # noqa: E402

WITH_NOTICE, WITHOUT_NOTICE = "100004", "100005"
ALL_POWERS = [
    "s63_require_arrangements",
    "s64_additional_governors",
    "s65_interim_executive_board",
    "s66_suspend_delegated_budget",
]


async def test_special_measures_mid_notice_makes_the_school_eligible_at_once(
    client, schools, on, adviser, director, events
):
    await schools.register(WITH_NOTICE, "Hillside Community School")
    on(date(2024, 9, 2))
    body = low_standards_notice(WITH_NOTICE, compliance_period={"working_days": 30})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-09-02"}, headers=director)
    await settled(client.app)
    [running] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert (running["stage"], running["powers_available"]) == ("compliance_period_running", [])

    on(date(2024, 9, 20))
    await schools.inspect(WITH_NOTICE, "10293847", date(2024, 9, 18), "special_measures")
    await settled(client.app)

    [eligible] = await events(client, "SchoolBecameEligibleForIntervention")
    assert (eligible["basis"], eligible["eligible_from"], eligible["inspection_id"]) == (
        "special_measures",
        "2024-09-18",
        "10293847",
    )
    assert eligible["powers_lapse_on"] is None  # no time limit on powers from a category of concern
    [concern] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert (concern["stage"], concern["since"], concern["powers_available"]) == (
        "eligible_for_intervention_special_measures",
        "2024-09-18",
        ALL_POWERS,
    )
    # The notice's own compliance period runs on regardless.
    assert (await client.get(f"/notices/{notice_id}", headers=adviser)).json()["stage"] == "compliance_period"

    appointed = await client.post(
        f"/interventions/{WITH_NOTICE}/s64",
        json={"appointed_on": "2024-09-20", "governors": ["Dr E Mensah", "Mrs F Walsh"]},
        headers=director,
    )
    assert appointed.status_code == 200, appointed.text

    # Recording it again by hand from the same inspection (e.g. after a parked reaction) changes nothing.
    version = (await client.get(f"/interventions/{WITH_NOTICE}", headers=adviser)).json()["version"]
    again = await client.post(
        f"/interventions/{WITH_NOTICE}/eligibility", json={"inspection_id": "10293847"}, headers=adviser
    )
    assert again.status_code == 200 and again.json()["version"] == version
    for body, status, field in (
        ({"inspection_id": "99999999"}, 404, "inspection_id"),
        ({"notice_id": notice_id}, 422, "notice_id"),  # the notice has not made the school eligible
        ({}, 422, "notice_id"),
    ):
        answer = await client.post(f"/interventions/{WITH_NOTICE}/eligibility", json=body, headers=adviser)
        assert (answer.status_code, answer.json()["field"]) == (status, field), answer.text
    assert (await client.get("/interventions/999999", headers=adviser)).status_code == 404

    # Delivered again (a consumer that crashed before its checkpoint), it records nothing new.
    async with client.app.state.pool.acquire() as conn:
        await conn.execute(
            "UPDATE notices.subscription_checkpoints SET position = 0 WHERE name = 'notices-reactions'"
        )
    await settled(client.app)
    assert len(await events(client, "SchoolBecameEligibleForIntervention")) == 1


async def test_serious_weaknesses_without_a_notice_allow_an_ieb_and_then_no_s66(
    client, schools, on, adviser, director, count_events
):
    await schools.register(WITHOUT_NOTICE, "Marsh Lane Primary School")
    on(date(2024, 9, 20))
    await schools.inspect(WITHOUT_NOTICE, "10300001", date(2024, 9, 12), "serious_weaknesses")
    await settled(client.app)
    case = (await client.get(f"/interventions/{WITHOUT_NOTICE}", headers=adviser)).json()
    assert case["eligible_today"] and case["eligibility"][0]["basis"] == "serious_weaknesses"

    consultation = await client.post(
        f"/interventions/{WITHOUT_NOTICE}/consultations",
        json={
            "power": "s65_interim_executive_board",
            "proposal": "Replace the governing body",
            "started_on": "2024-09-20",
        },
        headers=director,
    )
    consultation_id = consultation.json()["consultations"][0]["consultation_id"]
    on(date(2024, 10, 7))
    applied = await client.post(
        f"/interventions/{WITHOUT_NOTICE}/s65/application",
        json={"applied_on": "2024-10-07", "consultation_id": consultation_id},
        headers=director,
    )
    assert applied.status_code == 200, applied.text
    on(date(2024, 10, 9))
    consent = await client.post(
        f"/interventions/{WITHOUT_NOTICE}/s65/secretary-of-state-decision",
        json={"decided_on": "2024-10-08", "consented": True},
        headers=adviser,
    )
    assert consent.status_code == 200, consent.text

    board = {"notice_given_on": "2024-10-09", "starts_on": "2024-10-14", "members": ["Mr G Hale", "Ms H Ito"]}
    before = await count_events(client)
    for wrong, field in (
        ({**board, "members": ["Mr G Hale"], "chair": "Mr G Hale"}, "members"),
        ({**board, "chair": "Someone Else"}, "chair"),
        ({**board, "chair": "Mr G Hale", "ends_on": "2024-10-01"}, "ends_on"),
    ):
        refused = await client.post(
            f"/interventions/{WITHOUT_NOTICE}/s65/establishment", json=wrong, headers=director
        )
        assert (refused.status_code, refused.json()["field"]) == (422, field), refused.text
    assert await count_events(client) == before

    established = await client.post(
        f"/interventions/{WITHOUT_NOTICE}/s65/establishment",
        json={**board, "chair": "Mr G Hale", "ends_on": "2025-08-31"},
        headers=director,
    )
    assert established.status_code == 200, established.text
    ieb = established.json()["interim_executive_board"]
    assert (ieb["starts_on"], ieb["ends_on"], ieb["chair"]) == ("2024-10-14", "2025-08-31", "Mr G Hale")

    before = await count_events(client)
    suspended = await client.post(
        f"/interventions/{WITHOUT_NOTICE}/s66",
        json={"notice_given_on": "2024-10-09", "suspended_from": "2024-10-21"},
        headers=director,
    )
    assert suspended.status_code == 422
    assert (
        suspended.json()["field"] == "suspended_from"
        and "interim executive board" in suspended.json()["detail"]
    )
    assert await count_events(client) == before
    [concern] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert (
        concern["stage"] == "eligible_for_intervention_serious_weaknesses"
    )  # the board starts on 14 October
