"""Everything a client writes to the PEP service is bounded (``shared.text``), the bounds are in
/openapi.json, and an over-long value - a SMART target's ``who``, an attendee's name, the child's
voice - is refused with 422 naming the field before anything reaches the append-only log."""

from __future__ import annotations

import copy
from typing import Any

from pep.main import create_app

from shared.testing.calendar import set_term_dates
from shared.testing.problems import assert_problem
from shared.text import NAME_MAX, NARRATIVE_MAX, NOTE_MAX, TITLE_MAX, unlimited_request_fields

URN = "118001"
PEP = "/children/C1/peps/P1"
TERMS = {
    2025: {
        "autumn": ("2025-09-03", "2025-10-27", "2025-10-31", "2025-12-19"),
        "spring": ("2026-01-05", "2026-02-16", "2026-02-20", "2026-03-27"),
        "summer": ("2026-04-13", "2026-05-25", "2026-05-29", "2026-07-21"),
    },
    2026: {
        "autumn": ("2026-09-03", "2026-10-26", "2026-10-30", "2026-12-18"),
        "spring": ("2027-01-05", "2027-02-15", "2027-02-19", "2027-03-25"),
        "summer": ("2027-04-12", "2027-05-31", "2027-06-04", "2027-07-21"),
    },
}



def target(**changes: Any) -> dict[str, Any]:
    return {
        "target_id": "T1",
        "subject_or_area": "Reading",
        "baseline": "Reading age 10 years",
        "target": "Reading age 12 years",
        "by_when": "2026-12-11",
        "who": "Designated teacher with the reading tutor",
        **changes,
    }


def review(**changes: Any) -> dict[str, Any]:
    return {
        "meeting_date": "2026-09-21",
        "attendance": {"percentage": "95.0", "period_start": "2026-09-03", "period_end": "2026-09-21"},
        "attainment": [{"subject": "English", "attainment": "Working towards", "progress": "expected"}],
        "child_voice": "I like art and want help with reading.",
        "attendees": [
            {"name": "Sam Jones", "role": "social_worker"},
            {"name": "Dee Teacher", "role": "designated_teacher"},
        ],
        **changes,
    }


async def a_child_with_a_pep(client, headers: dict[str, str], vsh: dict[str, str]) -> None:
    for year, seasons in TERMS.items():
        body: dict[str, Any] = {"council": "Medway"}
        for season, (start, half_start, half_end, end) in seasons.items():
            body[season] = {
                "start": start, "half_term_start": half_start, "half_term_end": half_end, "end": end
            }
        app = client.app
        await set_term_dates(app.state.store, year, body, set_on=app.state.clock.today())
    child = {
        "child_id": "C1",
        "name": "Child One",
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
    pep = {
        "pep_id": "P1",
        "term": {"academic_year": 2026, "season": "autumn"},
        "occasion": "initial",
        "initiated_on": "2026-09-10",
    }
    for url, body in [
        ("/children", child),
        ("/children/C1/school-placement", {"urn": URN, "start_date": "2026-09-08"}),
        ("/children/C1/peps", pep),
    ]:
        answer = await client.post(url, json=body, headers=headers)
        assert answer.status_code < 300, answer.text


async def test_every_string_list_and_map_a_request_body_can_carry_has_a_limit_in_openapi(service_client):
    async with service_client(create_app) as client:
        document = (await client.get("/openapi.json")).json()

    assert unlimited_request_fields(document) == []
    schemas = document["components"]["schemas"]
    assert schemas["SmartTargetIn"]["properties"]["who"]["maxLength"] == NAME_MAX
    assert schemas["AttendeeIn"]["properties"]["name"]["maxLength"] == NAME_MAX
    assert schemas["ReviewCreate"]["properties"]["child_voice"]["maxLength"] == NARRATIVE_MAX

    # The check fails for a field that comes without a limit.
    unbounded = copy.deepcopy(document)
    del unbounded["components"]["schemas"]["SmartTargetIn"]["properties"]["who"]["maxLength"]
    assert unlimited_request_fields(unbounded) == [
        "POST /children/{child_id}/peps/{pep_id}/targets targets[].who: text with no maxLength"
    ]


async def test_a_smart_target_whose_who_is_10001_characters_is_refused_and_nothing_is_appended(
    service_client, auth
):
    social_worker, vsh = auth("social_worker"), auth("virtual_school_head")
    async with service_client(create_app) as client:
        await a_child_with_a_pep(client, social_worker, vsh)
        store = client.app.state.store
        head = await store.head_position()

        cases = [
            ({"who": "W" * 10_001}, "targets.0.who"),
            ({"who": "W" * (NAME_MAX + 1)}, "targets.0.who"),
            ({"who": ""}, "targets.0.who"),
            ({"subject_or_area": "S" * (TITLE_MAX + 1)}, "targets.0.subject_or_area"),
            ({"target": "T" * (NOTE_MAX + 1)}, "targets.0.target"),
        ]
        for changes, field in cases:
            body = {"targets": [target(**changes)], "set_on": "2026-09-21"}
            assert_problem(await client.post(f"{PEP}/targets", json=body, headers=social_worker), 422, field)
        assert await store.head_position() == head

        longest = {"targets": [target(who="W" * NAME_MAX)], "set_on": "2026-09-21"}
        accepted = await client.post(f"{PEP}/targets", json=longest, headers=social_worker)
        assert accepted.status_code == 200, accepted.text
        assert [e["type"] for e in accepted.json()["events"]] == ["PepTargetsSet"]


async def test_an_attendee_name_of_10001_characters_is_refused_and_nothing_is_appended(service_client, auth):
    social_worker, vsh = auth("social_worker"), auth("virtual_school_head")
    async with service_client(create_app) as client:
        await a_child_with_a_pep(client, social_worker, vsh)
        targets = {"targets": [target()], "set_on": "2026-09-21"}
        assert (await client.post(f"{PEP}/targets", json=targets, headers=social_worker)).status_code == 200
        store = client.app.state.store
        head = await store.head_position()

        long_name = [{"name": "Sam Jones", "role": "social_worker"}, {"name": "A" * 10_001, "role": "carer"}]
        exclusion = {"kind": "fixed_term", "first_day": "2026-09-15", "reason": "R" * (NOTE_MAX + 1)}
        too_precise = {"percentage": "9" * 40, "period_start": "2026-09-03", "period_end": "2026-09-21"}
        cases = [
            ({"attendees": long_name}, "attendees.1.name"),
            ({"child_voice": "V" * (NARRATIVE_MAX + 1)}, "child_voice"),
            ({"exclusions": [exclusion]}, "exclusions.0.reason"),
            ({"attendance": too_precise}, "attendance.percentage"),
            ({"attendees": [{"name": "Sam Jones", "role": "social_worker"}] * 51}, "attendees"),
        ]
        for changes, field in cases:
            answer = await client.post(f"{PEP}/review", json=review(**changes), headers=social_worker)
            assert_problem(answer, 422, field)
        assert await store.head_position() == head

        at_the_limit = [{"name": "A" * NAME_MAX, "role": "carer"}]
        accepted = await client.post(
            f"{PEP}/review", json=review(attendees=at_the_limit), headers=social_worker
        )
        assert accepted.status_code == 200, accepted.text
        assert [e["type"] for e in accepted.json()["events"]] == ["PepReviewRecorded"]


async def test_over_long_details_of_a_child_are_refused_naming_the_field(service_client, auth):
    social_worker = auth("social_worker")
    async with service_client(create_app) as client:
        store = client.app.state.store
        head = await store.head_position()
        details = {"changed_on": "2026-10-01", "carer": "C" * (NAME_MAX + 1)}
        move = {"to_urn": "118002", "start_date": "2026-10-05", "reason": "R" * (NOTE_MAX + 1)}
        cases = [
            ("/children/C1/details", details, "carer"),
            ("/children/C1/school-moves", move, "reason"),
            ("/children/C1/school-placement", {"urn": "1" * 101, "start_date": "2026-10-05"}, "urn"),
        ]
        for url, body, field in cases:
            assert_problem(await client.post(url, json=body, headers=social_worker), 422, field)
        assert await store.head_position() == head
