"""The powers a school's intervention lists as available today agree with the powers the routes
accept: while an interim executive board is constituted (or due to start) the delegated budget
cannot be suspended, so s66 is not offered, on the intervention or on the list of schools
causing concern."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import settled  # noqa: E402

URN = "100041"
S66 = "s66_suspend_delegated_budget"


async def _school_with_an_interim_executive_board(client, schools, on, adviser, director) -> None:
    await schools.register(URN, "Church Lane Primary School")
    on(date(2024, 9, 20))
    await schools.inspect(URN, "10300041", date(2024, 9, 12), "serious_weaknesses")
    await settled(client.app)
    consultation = await client.post(
        f"/interventions/{URN}/consultations",
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
        f"/interventions/{URN}/s65/application",
        json={"applied_on": "2024-10-07", "consultation_id": consultation_id},
        headers=director,
    )
    assert applied.status_code == 200, applied.text
    on(date(2024, 10, 9))
    consent = await client.post(
        f"/interventions/{URN}/s65/secretary-of-state-decision",
        json={"decided_on": "2024-10-08", "consented": True},
        headers=adviser,
    )
    assert consent.status_code == 200, consent.text


async def test_s66_is_offered_before_the_board_and_not_once_it_is_established(
    client, schools, on, adviser, director
):
    await _school_with_an_interim_executive_board(client, schools, on, adviser, director)
    before = (await client.get(f"/interventions/{URN}", headers=adviser)).json()
    assert S66 in before["powers_available_today"]

    established = await client.post(
        f"/interventions/{URN}/s65/establishment",
        json={
            "notice_given_on": "2024-10-09",
            "starts_on": "2024-10-14",
            "members": ["Mr G Hale", "Ms H Ito"],
            "chair": "Mr G Hale",
        },
        headers=director,
    )
    assert established.status_code == 200, established.text
    assert S66 not in established.json()["powers_available_today"]  # due to start: already barred

    on(date(2024, 10, 21))
    await settled(client.app)
    case = (await client.get(f"/interventions/{URN}", headers=adviser)).json()
    assert case["powers_available_today"] == [
        "s63_require_arrangements",
        "s64_additional_governors",
        "s65_interim_executive_board",
    ]
    [concern] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert (
        S66 not in concern["powers_available"] and "s64_additional_governors" in concern["powers_available"]
    )
    # The route says the same.
    refused = await client.post(
        f"/interventions/{URN}/s66",
        json={"notice_given_on": "2024-10-21", "suspended_from": "2024-10-28"},
        headers=director,
    )
    assert refused.status_code == 422 and "interim executive board" in refused.json()["detail"]

    ended = await client.post(
        f"/interventions/{URN}/s65/end", json={"ended_on": "2024-10-21"}, headers=director
    )
    assert ended.status_code == 200, ended.text
    assert S66 in ended.json()["powers_available_today"]  # the board has finished: s66 is open again


async def test_s66_is_not_offered_once_the_secretary_of_state_has_appointed_additional_governors(
    client, schools, on, adviser, director
):
    await schools.register(URN, "Church Lane Primary School")
    on(date(2024, 9, 20))
    await schools.inspect(URN, "10300041", date(2024, 9, 12), "special_measures")
    await settled(client.app)
    appointed = await client.post(
        f"/interventions/{URN}/secretary-of-state-governors",
        json={"appointed_on": "2024-09-20", "governors": ["Dr E Mensah"]},
        headers=director,
    )
    assert appointed.status_code == 200, appointed.text
    assert S66 not in appointed.json()["powers_available_today"]
    await settled(client.app)
    [concern] = (await client.get("/schools-causing-concern", headers=adviser)).json()["items"]
    assert S66 not in concern["powers_available"]
