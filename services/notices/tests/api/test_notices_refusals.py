"""What the law and the input rules refuse, through the API: each with a problem-details answer
naming the field, and nothing written."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import low_standards_notice  # noqa: E402

from schools.domain import register as schools_register
from shared.eventlog.records import NewEvent

MAINTAINED, ACADEMY, CLOSED, CONVERTED = "100020", "140021", "100022", "100023"


@pytest.fixture
async def register(schools, on):
    on(date(2024, 5, 1))
    await schools.register(MAINTAINED, "Riverside Community Primary School")
    await schools.register(ACADEMY, "Oakfield Academy", establishment_type="academy_converter")
    await schools.register(CLOSED, "Old Mill Infant School")
    await schools.close(CLOSED, date(2023, 8, 31))
    await schools.register(CONVERTED, "Brook Street Primary School")
    converted = schools_register.SchoolConvertedToAcademy(
        urn=CONVERTED,
        academy_urn="149999",
        academy_name="Brook Street Academy",
        academy_type="academy_converter",
        trust_name="Medway Learning Trust",
        converted_on=date(2023, 9, 1),
    )
    await schools.store.append(
        f"school-{CONVERTED}", [NewEvent.from_event(converted, default_effective_date=date(2023, 9, 1))]
    )


async def refused(
    client, count_events, method: str, path: str, body: dict | None, headers, status: int, field: str
):
    before = await count_events(client)
    answer = await client.request(method, path, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field, answer.json()
    assert await count_events(client) == before
    return answer.json()


async def test_a_notice_is_refused_for_an_academy_a_closed_school_and_an_unknown_urn(
    client, register, adviser, director, count_events
):
    academy = await refused(
        client, count_events, "POST", "/notices", low_standards_notice(ACADEMY), adviser, 422, "urn"
    )
    assert "academy" in academy["detail"] and "letter of concern" in academy["detail"]
    assert academy["type"] == "/problems/school-not-maintained"
    converted = await refused(
        client, count_events, "POST", "/notices", low_standards_notice(CONVERTED), adviser, 422, "urn"
    )
    assert "became an academy under URN 149999 on 2023-09-01" in converted["detail"]
    closed = await refused(
        client, count_events, "POST", "/notices", low_standards_notice(CLOSED), adviser, 422, "urn"
    )
    assert "closed on 2023-08-31" in closed["detail"]
    assert closed["type"] == "/problems/school-not-maintained"
    unknown = await refused(
        client, count_events, "POST", "/notices", low_standards_notice("999999"), adviser, 404, "urn"
    )
    assert "999999" in unknown["detail"]
    assert unknown["type"] == "/problems/not-found"

    # For an academy the council writes to the trust, then to the Secretary of State.
    letter = {"sent_on": "2024-05-01", "concerns": ["Safeguarding records incomplete"]}
    early = await refused(
        client,
        count_events,
        "POST",
        f"/academy-concerns/{ACADEMY}/letters-to-secretary-of-state",
        letter,
        director,
        422,
        "urn",
    )
    assert "trust first" in early["detail"]
    assert early["type"] == "/problems/refused-by-rules"
    to_trust = await client.post(
        f"/academy-concerns/{ACADEMY}/letters-to-trust",
        json={**letter, "trust_name": "Coastal Learning Trust"},
        headers=director,
    )
    assert to_trust.status_code == 201, to_trust.text
    to_sos = await client.post(
        f"/academy-concerns/{ACADEMY}/letters-to-secretary-of-state", json=letter, headers=director
    )
    assert to_sos.status_code == 201 and to_sos.headers["ETag"] == '"2"'
    read = (await client.get(f"/academy-concerns/{ACADEMY}", headers=adviser)).json()
    assert (read["trust_name"], read["letters_to_secretary_of_state"]) == (
        "Coastal Learning Trust",
        ["2024-05-01"],
    )
    await refused(
        client,
        count_events,
        "POST",
        f"/academy-concerns/{MAINTAINED}/letters-to-trust",
        letter,
        director,
        422,
        "urn",
    )


BAD_DRAFTS = [
    ({"grounds": []}, "grounds"),
    ({"grounds": ["bad_smell"]}, "grounds.0"),
    ({"low_standards_basis": []}, "low_standards_basis"),
    ({"concerns": ["   "]}, "concerns.0"),
    ({"required_actions": []}, "required_actions"),
    ({"compliance_period": {"working_days": 10, "ends_on": "2024-07-01"}}, "compliance_period"),
    ({"compliance_period": {"working_days": 0}}, "compliance_period.working_days"),
    ({"powers_minded_to_use": [], "other_action_minded_to_take": None}, "powers_minded_to_use"),
    ({"drafted_on": "2024-05-02"}, "drafted_on"),
    ({"drafted_on": "May Day"}, "drafted_on"),
    ({"urn": "not-a-urn"}, "urn"),
    ({"grounds_typo": ["low_standards"]}, "grounds_typo"),
]


async def test_a_draft_with_bad_input_is_refused_naming_the_field(client, register, adviser, count_events):
    for changes, field in BAD_DRAFTS:
        body = {**low_standards_notice(MAINTAINED), **changes}
        await refused(client, count_events, "POST", "/notices", body, adviser, 422, field)


async def test_giving_a_notice_refuses_what_the_regime_forbids_and_writes_nothing(
    client, register, on, adviser, director, count_events
):
    notice_id = (
        await client.post("/notices", json=low_standards_notice(MAINTAINED), headers=adviser)
    ).json()["notice_id"]
    give = f"/notices/{notice_id}/give"
    # From 18 April 2016 the notice must set its compliance period.
    await refused(
        client, count_events, "POST", give, {"given_on": "2024-05-01"}, director, 422, "compliance_period"
    )
    await refused(client, count_events, "POST", give, {"given_on": "2024-05-02"}, director, 422, "given_on")
    await refused(
        client,
        count_events,
        "POST",
        give,
        {"given_on": "2024-05-01", "compliance_period": {"ends_on": "2024-04-30"}},
        director,
        422,
        "compliance_period.ends_on",
    )
    await refused(
        client,
        count_events,
        "POST",
        "/notices/nosuchnotice/give",
        {"given_on": "2024-05-01"},
        director,
        404,
        "notice_id",
    )
    await refused(
        client,
        count_events,
        "POST",
        f"/notices/{notice_id}/compliance-judgement",
        {"judged_on": "2024-05-01", "complied": False, "evidence": "x"},
        director,
        409,
        "notice_id",
    )
    # Writes honour If-Match: a stale version is refused.
    await refused(
        client,
        count_events,
        "POST",
        give,
        {"given_on": "2024-05-01", "compliance_period": {"working_days": 20}},
        {**director, "If-Match": '"7"'},
        409,
        "If-Match",
    )
    given = await client.post(
        give,
        json={"given_on": "2024-05-01", "compliance_period": {"working_days": 20}},
        headers={**director, "If-Match": '"1"'},
    )
    assert given.status_code == 200 and given.headers["ETag"] == '"5"'  # given + 3 copies
    amend = {k: v for k, v in low_standards_notice(MAINTAINED).items() if k != "urn"}
    answer = await refused(
        client, count_events, "POST", f"/notices/{notice_id}/amend", amend, adviser, 409, "notice_id"
    )
    assert "can no longer be changed" in answer["detail"]


async def test_a_notice_given_before_18_april_2016_cannot_set_its_own_compliance_period(
    client, schools, on, adviser, director, count_events
):
    await schools.register(MAINTAINED)
    on(date(2016, 4, 15))
    body = low_standards_notice(MAINTAINED, compliance_period={"working_days": 30})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    answer = await refused(
        client,
        count_events,
        "POST",
        f"/notices/{notice_id}/give",
        {"given_on": "2016-04-15"},
        director,
        422,
        "compliance_period",
    )
    assert "2016-05-09" in answer["detail"]  # the 15th working day following, over the May bank holiday


async def test_a_retried_draft_with_the_same_idempotency_key_is_answered_with_the_same_notice(
    client, register, adviser, count_events
):
    headers = {**adviser, "Idempotency-Key": "draft-riverside-0001"}
    first = await client.post("/notices", json=low_standards_notice(MAINTAINED), headers=headers)
    before = await count_events(client)
    again = await client.post("/notices", json=low_standards_notice(MAINTAINED), headers=headers)
    assert again.status_code == 201
    assert again.json()["notice_id"] == first.json()["notice_id"]
    assert await count_events(client) == before
