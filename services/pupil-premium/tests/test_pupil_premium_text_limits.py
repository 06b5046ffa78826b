"""Everything a client writes to the pupil-premium service is bounded (``shared.text``), the bounds
are in /openapi.json, and an over-long value - a panel member's name, a project's title, a grant
letter's reference - is refused with 422 naming the field before anything reaches the log."""

from __future__ import annotations

import copy

from pupil_premium.main import create_app

from shared.testing.problems import assert_problem
from shared.text import LABEL_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX, unlimited_request_fields

FY = "2026-27"



async def test_every_string_list_and_map_a_request_body_can_carry_has_a_limit_in_openapi(service_client):
    async with service_client(create_app) as client:
        document = (await client.get("/openapi.json")).json()

    assert unlimited_request_fields(document) == []
    schemas = document["components"]["schemas"]
    assert schemas["ProjectCreate"]["properties"]["title"]["maxLength"] == TITLE_MAX
    assert schemas["RefusalCreate"]["properties"]["panel_members"]["items"]["maxLength"] == NAME_MAX

    # The check fails for a list that comes without a limit.
    unbounded = copy.deepcopy(document)
    del unbounded["components"]["schemas"]["RefusalCreate"]["properties"]["panel_members"]["maxItems"]
    assert unlimited_request_fields(unbounded) == [
        "POST /budgets/{financial_year}/requests/{request_id}/refusal panel_members: a list with no maxItems"
    ]


async def test_a_grant_letter_reference_one_past_the_limit_is_refused_and_one_at_it_is_recorded(
    service_client, auth
):
    vsh = auth("virtual_school_head")
    letter = {"letter_date": "2026-06-12", "grant_pence": 100_000}
    async with service_client(create_app) as client:
        store = client.app.state.store
        head = await store.head_position()

        for reference in ("R" * 10_001, "R" * (LABEL_MAX + 1), "   "):
            refused = await client.post(
                f"/budgets/{FY}/grant/letter", json={**letter, "letter_reference": reference}, headers=vsh
            )
            assert_problem(refused, 422, "letter_reference")
        assert await store.head_position() == head

        # Surrounding whitespace is trimmed before the length is checked, as it always was.
        longest = f"  {'R' * LABEL_MAX}  "
        accepted = await client.post(
            f"/budgets/{FY}/grant/letter", json={**letter, "letter_reference": longest}, headers=vsh
        )
        assert accepted.status_code == 200, accepted.text
        assert await store.head_position() == head + 1


async def test_over_long_text_in_panel_decisions_projects_and_payments_is_refused_naming_the_field(
    service_client, auth
):
    vsh, teacher = auth("virtual_school_head"), auth("designated_teacher", urn="118000")
    budget = f"/budgets/{FY}"
    project = {
        "school_urn": "118000",
        "title": "Whole-school reading recovery",
        "plan": "Reading tutor for the looked-after children, two sessions a week",
        "child_ids": ["C1", "C2"],
        "milestones": [{"milestone_id": "M1", "description": "Baseline tests", "due_on": "2027-01-15"}],
        "amount_pence": 200_000,
    }
    cases = [
        (
            f"{budget}/requests/R1/approval",
            vsh,
            {"panel_members": ["Virtual School Head", "P" * 10_001]},
            "panel_members.1",
        ),
        (
            f"{budget}/requests/R1/refusal",
            vsh,
            {"panel_members": ["Virtual School Head"], "reasons": ["R" * (NOTE_MAX + 1)]},
            "reasons.0",
        ),
        (
            f"{budget}/requests/R1/approval",
            vsh,
            {"panel_members": ["Panel member"] * 21},
            "panel_members",
        ),
        (
            f"{budget}/requests",
            teacher,
            {
                "child_id": "C1",
                "term": "autumn-2026",
                "amount_pence": 50_000,
                "target_ids": ["C1-T1"],
                "intervention_type": "tutoring",
                "intervention": "I" * (NOTE_MAX + 1),
            },
            "intervention",
        ),
        (f"{budget}/projects", teacher, {**project, "title": "T" * (TITLE_MAX + 1)}, "title"),
        (
            f"{budget}/projects",
            teacher,
            {**project, "milestones": [{**project["milestones"][0], "description": "D" * 10_001}]},
            "milestones.0.description",
        ),
        (
            f"{budget}/top-slices",
            vsh,
            {"name": "N" * (TITLE_MAX + 1), "purpose": "Tutoring", "amount_pence": 1},
            "name",
        ),
        (f"{budget}/payment-runs", vsh, {"request_ids": ["R1"] * 1001}, "request_ids"),
        (f"{budget}/payment-runs/RUN1/cancellation", vsh, {"reason": "R" * (NOTE_MAX + 1)}, "reason"),
    ]
    async with service_client(create_app) as client:
        store = client.app.state.store
        head = await store.head_position()
        for url, headers, body, field in cases:
            assert_problem(await client.post(url, json=body, headers=headers), 422, field)
        assert await store.head_position() == head
