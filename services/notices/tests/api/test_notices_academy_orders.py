"""Academy orders over HTTP: an order the law requires (a school in special measures in 2017), the
council's record of when the Children's Wellbeing and Schools Act 2026 makes it a power, a
decision not to make one accepted under the power and refused under the duty, and the steps
that follow an order."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import settled  # noqa: E402

IN_2017, BEFORE, AFTER = "100071", "100072", "100073"


async def test_an_order_under_the_duty_in_2017_then_the_steps_to_convert_and_its_revocation(
    client, schools, on, adviser, director, count_events
):
    await schools.register(IN_2017, "Saltings Community Primary School")
    on(date(2017, 3, 20))
    await schools.inspect(IN_2017, "10040071", date(2017, 3, 8), "special_measures")
    await settled(client.app)

    expected = (await client.get(f"/academy-orders/{IN_2017}", headers=adviser)).json()
    assert expected["today"]["status"] == "order_expected_under_duty"
    assert (expected["today"]["summary"], expected["today"]["since"]) == (
        "Academy order expected (duty)",
        "2017-03-08",
    )

    before = await count_events(client)
    refused = await client.post(
        f"/academy-orders/{IN_2017}/decision-not-to-make",
        json={
            "decided_on": "2017-03-20",
            "decided_by": "Regional Schools Commissioner",
            "reason": "Improving",
        },
        headers=adviser,
    )
    assert refused.status_code == 422, refused.text
    assert (
        refused.json()["type"].endswith("/academy-order-required") and refused.json()["field"] == "decided_on"
    )
    assert "s4(A1)" in refused.json()["detail"]
    assert await count_events(client) == before

    made = await client.post(
        f"/academy-orders/{IN_2017}/order",
        json={"made_on": "2017-03-20", "made_by": "Regional Schools Commissioner, South East"},
        headers=adviser,
    )
    assert made.status_code == 201, made.text
    [order] = made.json()["orders"]
    assert (order["rule"], order["basis"], order["eligible_from"]) == (
        "duty",
        "special_measures",
        "2017-03-08",
    )
    assert made.json()["today"]["status"] == "order_made"

    on(date(2017, 4, 3))
    for party, who, action in (
        (
            "local_authority",
            "Head of School Organisation",
            "Sent the sponsor the draft commercial transfer agreement",
        ),
        (
            "governing_body",
            "Chair of governors",
            "Gave the sponsor access to the school's budget and staffing records",
        ),
    ):
        step = await client.post(
            f"/academy-orders/{IN_2017}/conversion-steps",
            json={"party": party, "taken_on": "2017-04-03", "taken_by": who, "action": action},
            headers=adviser,
        )
        assert step.status_code == 201, step.text
    assert [s["party"] for s in step.json()["orders"][0]["steps"]] == ["local_authority", "governing_body"]
    future = await client.post(
        f"/academy-orders/{IN_2017}/conversion-steps",
        json={
            "party": "local_authority",
            "taken_on": "2017-05-01",
            "taken_by": "Officer",
            "action": "Something",
        },
        headers=adviser,
    )
    assert (future.status_code, future.json()["field"]) == (422, "taken_on")

    revoked = await client.post(
        f"/academy-orders/{IN_2017}/revocation",
        json={"revoked_on": "2017-04-03", "reason": "The school is to close"},
        headers=director,
    )
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["today"]["status"], revoked.json()["orders"][0]["revoked_on"]) == (
        "order_revoked",
        "2017-04-03",
    )
    assert (await client.get("/academy-orders/999999", headers=adviser)).status_code == 404


async def test_the_commencement_the_council_records_turns_the_duty_into_a_power_for_schools_eligible_from_it(
    client, schools, on, adviser, director, count_events
):
    on(date(2026, 12, 1))
    law = (await client.get("/academy-order-law", headers=adviser)).json()
    assert (law["power_commences_on"], law["settings"]) == (None, [])  # the default: not commenced
    body = {"commences_on": "2026-09-01", "source": "Commencement No. 2 Regulations 2026"}
    assert (await client.post("/academy-order-law", json=body, headers=adviser)).status_code == 403
    early = await client.post(
        "/academy-order-law", json={**body, "commences_on": "2026-01-05"}, headers=director
    )
    assert (early.status_code, early.json()["field"]) == (422, "commences_on")
    set_ = await client.post("/academy-order-law", json=body, headers=director)
    assert set_.status_code == 200 and set_.json()["power_commences_on"] == "2026-09-01", set_.text

    await schools.register(BEFORE, "Eastgate Community Primary School")
    await schools.register(AFTER, "Westgate Community Primary School")
    await schools.inspect(BEFORE, "10090072", date(2026, 6, 10), "serious_weaknesses")
    await schools.inspect(AFTER, "10090073", date(2026, 10, 7), "serious_weaknesses")
    await settled(client.app)
    decision = {
        "decided_on": "2026-12-01",
        "decided_by": "Regional Director, South East",
        "reason": "Improving fast",
    }

    after = (await client.get(f"/academy-orders/{AFTER}", headers=adviser)).json()["today"]
    assert (after["status"], after["rule"]) == ("order_may_be_made_under_power", "power")
    declined = await client.post(
        f"/academy-orders/{AFTER}/decision-not-to-make", json=decision, headers=adviser
    )
    assert declined.status_code == 201, declined.text
    assert declined.json()["today"]["status"] == "declined_under_power"
    assert declined.json()["not_made"][0]["reason"] == "Improving fast"

    # Eligible before commencement, decided after it: the day of the decision decides by default
    # (s58(9) saves only orders already made), so the power; a decision dated before it, the duty.
    assert (await client.get(f"/academy-orders/{BEFORE}", headers=adviser)).json()["today"]["status"] == (
        "order_may_be_made_under_power"
    )
    before = await count_events(client)
    refused = await client.post(
        f"/academy-orders/{BEFORE}/decision-not-to-make",
        json={**decision, "decided_on": "2026-08-03"},
        headers=adviser,
    )
    assert refused.status_code == 422 and "2026-09-01" in refused.json()["detail"], refused.text
    assert await count_events(client) == before

    # A council advised that the duty already owed continues keys the switch by the day of eligibility.
    keyed = await client.post(
        "/academy-order-law", json={**body, "decided_by": "day_school_became_eligible"}, headers=director
    )
    assert keyed.json()["decided_by"] == "day_school_became_eligible", keyed.text
    assert (await client.get(f"/academy-orders/{BEFORE}", headers=adviser)).json()["today"]["status"] == (
        "order_expected_under_duty"
    )
    refused = await client.post(
        f"/academy-orders/{BEFORE}/decision-not-to-make", json=decision, headers=adviser
    )
    assert refused.status_code == 422 and "after the school became eligible" in refused.json()["detail"]
    assert (await client.get(f"/academy-orders/{AFTER}", headers=adviser)).json()["today"]["status"] == (
        "declined_under_power"
    )

    # Set back to "not commenced": the duty again for a school eligible since; the decision already
    # recorded keeps the rule it was decided under.
    before = await count_events(client)
    reset = await client.post(
        "/academy-order-law", json={"commences_on": None, "source": "Regulations withdrawn"}, headers=director
    )
    assert reset.json()["power_commences_on"] is None and len(reset.json()["settings"]) == 3
    assert await count_events(client) == before + 1
    case = (await client.get(f"/academy-orders/{AFTER}", headers=adviser)).json()
    assert case["today"]["status"] == "declined_under_power"
    assert "2026-09-01" in case["not_made"][0]["provision"]
