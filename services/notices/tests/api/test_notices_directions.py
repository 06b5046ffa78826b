"""The Secretary of State's direction to consider giving a notice: the response due within 10
working days and, having agreed, the notice within 5 - each overdue as an event of its own - and
the notice given under the direction recorded against it."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice, settled  # noqa: E402

URN = "100003"


async def test_direction_deadlines_fall_overdue_by_themselves_and_the_late_notice_is_recorded(
    client, schools, on, adviser, director, events
):
    await schools.register(URN, "Northgate Primary School")
    on(date(2024, 3, 4))
    received = await client.post(
        "/directions",
        json={
            "urn": URN,
            "given_on": "2024-03-04",
            "specified_terms": "Low standards in key stage 2 mathematics",
        },
        headers=adviser,
    )
    assert received.status_code == 201, received.text
    direction_id = received.json()["direction_id"]
    assert received.json()["response_due_on"] == "2024-03-15"  # 10 working days beginning with the 4th
    await settled(client.app)
    upcoming = (await client.get("/deadlines", params={"working_days": 10}, headers=adviser)).json()
    assert [(d["kind"], d["due_on"], d["school_name"]) for d in upcoming["items"]] == [
        ("direction_response", "2024-03-15", "Northgate Primary School")
    ]

    on(date(2024, 3, 18))
    assert await fire_deadlines(client.app) == 1
    [overdue] = await events(client, "DirectionResponseOverdue")
    assert (overdue["direction_id"], overdue["due_on"]) == (direction_id, "2024-03-15")

    answered = await client.post(
        f"/directions/{direction_id}/response",
        json={"responded_on": "2024-03-18", "will_give_notice": True},
        headers=director,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["response_overdue"] is True
    assert answered.json()["notice_due_on"] == "2024-03-25"  # 5 working days from the response

    on(date(2024, 3, 26))
    assert await fire_deadlines(client.app) == 1
    assert [e["due_on"] for e in await events(client, "DirectedWarningNoticeOverdue")] == ["2024-03-25"]

    body = low_standards_notice(URN, compliance_period={"ends_on": "2024-05-24"}, direction_id=direction_id)
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    given = await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-03-26"}, headers=director)
    assert given.json()["recipients"][-1] == {"role": "secretary_of_state", "name": "The Secretary of State"}
    await fire_deadlines(client.app)

    direction = await client.get(f"/directions/{direction_id}", headers=adviser)
    assert direction.status_code == 200 and direction.headers["ETag"] == '"5"'
    assert (direction.json()["notice_id"], direction.json()["notice_given_on"]) == (notice_id, "2024-03-26")
    assert direction.json()["notice_overdue"] is True and direction.json()["pending_deadlines"] == []
    [recorded] = await events(client, "DirectedWarningNoticeGiven")
    assert recorded["on_time"] is False
    await settled(client.app)
    listed = (await client.get("/directions", params={"urn": URN}, headers=adviser)).json()
    assert [d["direction_id"] for d in listed["items"]] == [direction_id]


async def test_a_notice_cannot_answer_a_direction_about_another_school(
    client, schools, on, adviser, count_events
):
    await schools.register(URN)
    await schools.register("100009", "Other School")
    on(date(2024, 3, 4))
    direction_id = (
        await client.post(
            "/directions",
            json={"urn": URN, "given_on": "2024-03-04", "specified_terms": "Safety"},
            headers=adviser,
        )
    ).json()["direction_id"]
    before = await count_events(client)
    wrong = await client.post(
        "/notices", json=low_standards_notice("100009", direction_id=direction_id), headers=adviser
    )
    assert (wrong.status_code, wrong.json()["field"]) == (422, "direction_id")
    unknown = await client.post(
        "/notices", json=low_standards_notice(URN, direction_id="nosuchdirection"), headers=adviser
    )
    assert (unknown.status_code, unknown.json()["field"]) == (404, "direction_id")
    assert await count_events(client) == before
