"""Everything a client writes to the notices service is bounded (``shared.text``), the bounds are
in /openapi.json, and an over-long value - a concern in a warning notice, a governor's name, the
terms of a direction - is refused with 422 naming the field before anything reaches the log."""

from __future__ import annotations

import copy
from datetime import date

from notices.main import create_app
from schools.domain.register import SchoolRegistered

from shared.eventlog.records import NewEvent
from shared.testing.fixtures import settle
from shared.testing.problems import assert_problem
from shared.text import NAME_MAX, NARRATIVE_MAX, NOTE_MAX, unlimited_request_fields

URN = "100003"


def notice(**changes) -> dict:
    return {
        "urn": URN,
        "grounds": ["low_standards"],
        "low_standards_basis": ["expected_attainment"],
        "concerns": ["Key stage 2 reading well below comparable schools for three years"],
        "required_actions": ["Put in place a costed plan to raise attainment in reading"],
        "compliance_period": {"working_days": 15},
        **changes,
    }


async def test_every_string_list_and_map_a_request_body_can_carry_has_a_limit_in_openapi(service_client):
    async with service_client(create_app) as client:
        document = (await client.get("/openapi.json")).json()

    assert unlimited_request_fields(document) == []
    schemas = document["components"]["schemas"]
    assert schemas["WarningNoticeCreate"]["properties"]["concerns"]["items"]["maxLength"] == NARRATIVE_MAX
    assert schemas["InterimExecutiveBoardCreate"]["properties"]["chair"]["maxLength"] == NAME_MAX

    # The check fails for a field that comes without a limit.
    unbounded = copy.deepcopy(document)
    del unbounded["components"]["schemas"]["InterimExecutiveBoardCreate"]["properties"]["chair"]["maxLength"]
    assert unlimited_request_fields(unbounded) == [
        "POST /interventions/{urn}/s65/establishment chair: text with no maxLength"
    ]


async def test_over_long_text_in_notices_interventions_and_letters_is_refused_naming_the_field(
    service_client, auth
):
    adviser, director = auth("school_improvement_adviser"), auth("principal_adviser")
    board = {"notice_given_on": "2026-10-01", "starts_on": "2026-10-05", "chair": "Ms C Chair"}
    cases = [
        ("/notices", adviser, notice(concerns=["Reading", "C" * 10_001]), "concerns.1"),
        ("/notices", adviser, notice(required_actions=["A" * (NARRATIVE_MAX + 1)]), "required_actions.0"),
        ("/notices", adviser, notice(concerns=["A concern"] * 101), "concerns"),
        ("/notices/N1/discard", director, {"reason": "R" * (NOTE_MAX + 1)}, "reason"),
        (
            f"/interventions/{URN}/s65/establishment",
            director,
            {**board, "members": ["Ms C Chair", "M" * 10_001]},
            "members.1",
        ),
        (
            f"/interventions/{URN}/s64",
            director,
            {"appointed_on": "2026-10-01", "governors": ["G" * (NAME_MAX + 1)]},
            "governors.0",
        ),
        (
            f"/academy-concerns/{URN}/letters-to-trust",
            director,
            {"sent_on": "2026-10-01", "concerns": ["Results"], "trust_name": "T" * (NAME_MAX + 1)},
            "trust_name",
        ),
        (
            "/directions",
            adviser,
            {"urn": URN, "given_on": "2026-10-01", "specified_terms": "S" * 10_001},
            "specified_terms",
        ),
    ]
    async with service_client(create_app) as client:
        store = client.app.state.store
        head = await store.head_position()
        for url, headers, body, field in cases:
            assert_problem(await client.post(url, json=body, headers=headers), 422, field)
        assert await store.head_position() == head


async def test_the_terms_of_a_direction_are_recorded_up_to_the_limit_and_refused_one_past_it(
    service_client, auth
):
    adviser = auth("school_improvement_adviser")
    registered = SchoolRegistered(
        urn=URN,
        name="Northgate Primary School",
        la_code="886",
        establishment_type="community",
        phase="primary",
        status="open",
        registered_on=date(2001, 9, 1),
    )
    async with service_client(create_app) as client:
        store = client.app.state.store
        await store.append(
            f"school-{URN}",
            [NewEvent.from_event(registered, default_effective_date=date(2001, 9, 1))],
            metadata={"service": "schools", "actor": "schools-tester"},
        )
        await settle(client.app)
        head = await store.head_position()

        direction = {"urn": URN, "given_on": "2026-11-02"}
        too_long = {**direction, "specified_terms": "S" * (NARRATIVE_MAX + 1)}
        answer = await client.post("/directions", json=too_long, headers=adviser)
        assert_problem(answer, 422, "specified_terms")
        assert await store.head_position() == head

        longest = {**direction, "specified_terms": "S" * NARRATIVE_MAX}
        accepted = await client.post("/directions", json=longest, headers=adviser)
        assert accepted.status_code == 201, accepted.text
        assert accepted.json()["specified_terms"] == "S" * NARRATIVE_MAX
