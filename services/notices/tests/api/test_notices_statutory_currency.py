"""The law as it stands, over HTTP: compliance is judged only once the compliance period has
passed (never on its last day), and a notice dated before Part 4 of the Education and Inspections
Act 2006 came into force is refused with the reason, recording nothing."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice  # noqa: E402

URN = "100031"


async def test_compliance_is_not_judged_on_the_last_day_of_the_period_and_the_school_is_not_eligible_that_day(
    client, schools, on, adviser, director, count_events
):
    await schools.register(URN, "Riverside Community Primary School")
    on(date(2024, 1, 8))
    body = low_standards_notice(URN, compliance_period={"working_days": 20})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    given = await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director)
    assert given.json()["dates"]["compliance_period_ends_on"] == "2024-02-05"

    # The last day of the period: the governing body still has the day to comply.
    on(date(2024, 2, 5))
    before = await count_events(client)
    refused = await client.post(
        f"/notices/{notice_id}/compliance-judgement",
        json={"judged_on": "2024-02-05", "complied": False, "evidence": "No governance review commissioned"},
        headers=director,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "judged_on"
    assert "2024-02-06" in refused.json()["detail"]
    intention = await client.post(
        f"/notices/{notice_id}/notice-of-intention",
        json={"given_on": "2024-02-05", "powers": ["s64_additional_governors"]},
        headers=director,
    )
    assert intention.status_code == 409, intention.text
    s64 = await client.post(
        f"/interventions/{URN}/s64",
        json={"appointed_on": "2024-02-05", "governors": ["Mr C Obi"]},
        headers=director,
    )
    assert s64.status_code == 422 and "not eligible" in s64.json()["detail"]
    assert await count_events(client) == before
    await fire_deadlines(client.app)
    shown = (await client.get("/schools-causing-concern", headers=adviser)).json()
    [school] = [s for s in shown["items"] if s["urn"] == URN]
    assert school["stage"] == "compliance_period_running"

    # The day after: judged, then notice of intention makes the school eligible.
    on(date(2024, 2, 6))
    judged = await client.post(
        f"/notices/{notice_id}/compliance-judgement",
        json={"judged_on": "2024-02-06", "complied": False, "evidence": "No governance review commissioned"},
        headers=director,
    )
    assert judged.status_code == 200, judged.text
    intention = await client.post(
        f"/notices/{notice_id}/notice-of-intention",
        json={"given_on": "2024-02-06", "powers": ["s64_additional_governors"]},
        headers=director,
    )
    assert intention.status_code == 200, intention.text
    s64 = await client.post(
        f"/interventions/{URN}/s64",
        json={"appointed_on": "2024-02-06", "governors": ["Mr C Obi"]},
        headers=director,
    )
    assert s64.status_code == 200, s64.text


async def test_a_notice_given_before_part_4_came_into_force_is_refused_and_nothing_is_recorded(
    client, schools, on, adviser, director, count_events
):
    await schools.register(URN, "Riverside Community Primary School", registered_on=date(1990, 9, 1))
    on(date(2024, 1, 8))
    body = low_standards_notice(URN, drafted_on="2001-03-01")
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    before = await count_events(client)
    refused = await client.post(
        f"/notices/{notice_id}/give", json={"given_on": "2001-03-05"}, headers=director
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["field"] == "given_on"
    assert "Education and Inspections Act 2006" in problem["detail"] and "2007-04-01" in problem["detail"]
    assert await count_events(client) == before

    consultation = await client.post(
        f"/interventions/{URN}/consultations",
        json={
            "power": "s63_require_arrangements",
            "proposal": "An advisory contract",
            "started_on": "2001-03-05",
        },
        headers=director,
    )
    assert consultation.status_code == 422, consultation.text
    assert consultation.json()["field"] == "started_on"
    assert await count_events(client) == before
