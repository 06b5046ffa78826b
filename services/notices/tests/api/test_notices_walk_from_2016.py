"""A notice given under the rules from 18 April 2016, walked through the API: the council sets the
compliance period, there are no representations, the notice is not complied with, notice of
intention makes the school eligible, s63 follows a consultation, and two months after the
compliance period ended s63, s64 and s66 lapse by themselves."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice  # noqa: E402

URN = "100002"


async def test_a_post_2016_notice_runs_from_a_council_set_period_to_s63_and_the_lapse_of_powers(
    client, schools, on, adviser, director, events, count_events
):
    await schools.register(URN, "Riverside Community Primary School")
    on(date(2024, 1, 8))
    body = low_standards_notice(URN, compliance_period={"working_days": 20})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    given = await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director)
    assert given.status_code == 200, given.text
    notice = given.json()
    assert notice["rules"] == "eaa2016"
    assert notice["dates"]["compliance_period_ends_on"] == "2024-02-05"
    assert notice["dates"]["representation_window_ends_on"] is None
    # s60(6) and (6A) as amended: no copy to Ofsted since 18 April 2016; the Secretary of State has one.
    assert [r["role"] for r in notice["recipients"]] == [
        "governing_body",
        "headteacher",
        "secretary_of_state",
    ]

    # No representations to Ofsted since 18 April 2016.
    before = await count_events(client)
    refused = await client.post(
        f"/notices/{notice_id}/representations",
        json={"made_on": "2024-01-10", "summary": "We disagree"},
        headers=adviser,
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "notice_id" and "18 April 2016" in refused.json()["detail"]
    assert await count_events(client) == before

    on(date(2024, 2, 6))
    assert await fire_deadlines(client.app) == 1
    assert [e["ended_on"] for e in await events(client, "CompliancePeriodEnded")] == ["2024-02-05"]
    judged = await client.post(
        f"/notices/{notice_id}/compliance-judgement",
        json={"judged_on": "2024-02-06", "complied": False, "evidence": "No governance review commissioned"},
        headers=director,
    )
    assert judged.status_code == 200 and judged.json()["stage"] == "not_complied"

    # Not complied is not yet eligible: the written notice of intention comes first.
    before = await count_events(client)
    too_soon = await client.post(
        f"/interventions/{URN}/s64",
        json={"appointed_on": "2024-02-06", "governors": ["Mr C Obi"]},
        headers=director,
    )
    assert too_soon.status_code == 422, too_soon.text
    assert too_soon.json()["field"] == "urn" and "not eligible" in too_soon.json()["detail"]
    assert await count_events(client) == before

    on(date(2024, 2, 7))
    intention = await client.post(
        f"/notices/{notice_id}/notice-of-intention",
        json={"given_on": "2024-02-07", "powers": ["s63_require_arrangements", "s64_additional_governors"]},
        headers=director,
    )
    assert intention.status_code == 200, intention.text
    assert intention.json()["dates"]["last_day_to_use_lapsing_powers"] == "2024-04-05"
    await fire_deadlines(client.app)
    case = (await client.get(f"/interventions/{URN}", headers=adviser)).json()
    assert case["eligible_today"] is True
    [eligibility] = case["eligibility"]
    assert (eligibility["basis"], eligibility["eligible_from"], eligibility["powers_lapse_on"]) == (
        "warning_notice",
        "2024-02-07",
        "2024-04-06",
    )

    on(date(2024, 2, 8))
    consultation = await client.post(
        f"/interventions/{URN}/consultations",
        json={
            "power": "s63_require_arrangements",
            "proposal": "Require an advisory contract with the Kent Leadership Partnership",
            "started_on": "2024-02-08",
        },
        headers=director,
    )
    assert consultation.status_code == 201, consultation.text
    [started] = consultation.json()["consultations"]
    assert started["closes_on"] == "2024-02-22"
    assert [c["role"] for c in started["consultees"]] == ["governing_body"]
    consultation_id = started["consultation_id"]
    assert consultation.headers["Location"] == f"/interventions/{URN}/consultations/{consultation_id}"
    on(date(2024, 2, 15))
    response = await client.post(
        f"/interventions/{URN}/consultations/{consultation_id}/responses",
        json={"consultee": "governing_body", "received_on": "2024-02-15", "summary": "The governors agree"},
        headers=adviser,
    )
    assert response.status_code == 200, response.text
    read = (await client.get(consultation.headers["Location"], headers=adviser)).json()
    assert [(r["consultee"], r["received_on"]) for r in read["responses"]] == [
        ("governing_body", "2024-02-15")
    ]

    s63 = {
        "form": "advisory_services",
        "with_whom": "Kent Leadership Partnership",
        "details": "Leadership and governance support, two days a week for a term",
        "consultation_id": consultation_id,
    }
    on(date(2024, 2, 22))
    during = await client.post(
        f"/interventions/{URN}/s63", json={**s63, "required_on": "2024-02-22"}, headers=director
    )
    assert during.status_code == 422 and during.json()["field"] == "required_on"

    on(date(2024, 2, 23))
    assert await fire_deadlines(client.app) == 1
    [closed] = await events(client, "ConsultationWindowClosed")
    assert (closed["closed_on"], closed["responses_received"]) == ("2024-02-22", 1)
    used = await client.post(
        f"/interventions/{URN}/s63", json={**s63, "required_on": "2024-02-23"}, headers=director
    )
    assert used.status_code == 200, used.text
    assert [p["power"] for p in used.json()["powers_used"]] == ["s63_require_arrangements"]

    # Two months after the compliance period ended the powers lapse, as an event, by themselves.
    on(date(2024, 4, 6))
    assert await fire_deadlines(client.app) == 1
    [lapsed] = await events(client, "PowersLapsed")
    assert (lapsed["notice_id"], lapsed["lapsed_on"]) == (notice_id, "2024-04-06")
    assert await client.app.state.scheduler.run_once() == 0

    before = await count_events(client)
    late = await client.post(
        f"/interventions/{URN}/s64",
        json={"appointed_on": "2024-04-06", "governors": ["Mr C Obi"]},
        headers=director,
    )
    assert late.status_code == 422
    assert late.json()["field"] == "appointed_on" and "lapsed on 2024-04-06" in late.json()["detail"]
    for power, body in (
        ("s66", {"notice_given_on": "2024-04-06", "suspended_from": "2024-04-08"}),
        ("s63", {**s63, "required_on": "2024-04-06"}),
    ):
        refused = await client.post(f"/interventions/{URN}/{power}", json=body, headers=director)
        assert refused.status_code == 422 and "lapsed" in refused.json()["detail"], (power, refused.text)
    assert await count_events(client) == before

    case = (await client.get(f"/interventions/{URN}", headers=adviser)).json()
    assert case["powers_available_today"] == ["s65_interim_executive_board"]
    assert case["eligibility"][0]["lapsed"] is True
    timeline = (await client.get(f"/notices/{notice_id}", headers=adviser)).json()["timeline"]
    assert ("2024-04-06", "PowersLapsed") in [(e["on"], e["event_type"]) for e in timeline]
