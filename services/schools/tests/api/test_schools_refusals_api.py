"""Each family of the school improvement service's refusals answers with its own problem type, so a
calling system tells them apart without reading the prose; and a refused request records nothing."""

from __future__ import annotations

from shared.testing.problems import refused

URN = "118234"
CLOSED = "118238"


def proposal(category: str) -> dict:
    return {"category": category, "reasons": ["latest inspection and results"]}


async def test_a_closed_school_is_not_categorised_and_its_urn_never_reopens(
    client, register, adviser, principal_adviser
):
    await register(
        CLOSED,
        name="Fir Primary School",
        establishment_type="community",
        status="closed",
        closed_on="2020-08-31",
        religious_character=None,
        diocese=None,
    )

    closed = await refused(
        client, "POST", f"/schools/{CLOSED}/categorisation/proposals", headers=adviser, json=proposal("good"),
        status=422, problem_type="school-not-open", field="urn",
    )
    assert closed["detail"] == "a closed school is not categorised"
    reopened = await refused(
        client, "POST", f"/schools/{CLOSED}/status", headers=principal_adviser, json={"status": "open"},
        status=422, problem_type="register-change-not-allowed", field="status",
    )
    assert "a closed URN never reopens" in reopened["detail"]


async def test_a_maintained_school_does_not_become_an_academy_by_a_change_of_details(
    client, register, principal_adviser
):
    await register(URN)

    problem = await refused(
        client, "PATCH", f"/schools/{URN}", headers=principal_adviser,
        json={"establishment_type": "academy_converter", "changed_on": "2026-11-02"},
        status=422, problem_type="register-change-not-allowed", field="establishment_type",
    )
    assert "record an academy conversion" in problem["detail"]


async def test_a_second_proposal_while_one_awaits_approval_is_refused(client, register, adviser):
    await register(URN)
    first = await client.post(
        f"/schools/{URN}/categorisation/proposals", json=proposal("good"), headers=adviser
    )
    assert first.status_code == 201, first.text

    problem = await refused(
        client, "POST", f"/schools/{URN}/categorisation/proposals", headers=adviser,
        json=proposal("requires_improvement"),
        status=409, problem_type="proposal-awaiting-approval", field="proposal_id",
    )
    assert "approve or reject it first" in problem["detail"]


async def test_an_ofsted_category_without_ofsteds_judgement_disagrees_with_ofsted(client, register, adviser):
    await register(URN)

    problem = await refused(
        client, "POST", f"/schools/{URN}/categorisation/proposals", headers=adviser,
        json=proposal("ofsted_category"),
        status=422, problem_type="category-disagrees-with-ofsted", field="category",
    )
    assert "is categorised at_risk" in problem["detail"]


async def test_the_adviser_who_proposed_a_category_cannot_approve_it(client, register, principal_adviser):
    await register(URN)
    proposed = await client.post(
        f"/schools/{URN}/categorisation/proposals", json=proposal("good"), headers=principal_adviser
    )
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]

    await refused(
        client, "POST", f"/schools/{URN}/categorisation/proposals/{proposal_id}/approval",
        headers=principal_adviser,
        status=422, problem_type="second-adviser-needed", field="approved_by",
    )


async def test_support_for_a_school_without_a_category_is_refused_as_not_categorised(
    client, register, principal_adviser
):
    await register(URN)

    problem = await refused(
        client, "POST", f"/schools/{URN}/support/allocations", headers=principal_adviser, json={},
        status=422, problem_type="not-categorised", field="category",
    )
    assert problem["detail"] == "the school has no approved category yet: categorise it first"


async def test_a_visit_beyond_the_years_allocation_is_refused(client, register, categorise, adviser, settled):
    await register(URN)
    await categorise(URN, "requires_improvement")
    await settled()

    problem = await refused(
        client, "POST", f"/schools/{URN}/support/visits", headers=adviser,
        json={"visited_on": "2026-10-21", "days": 13, "purpose": "Teaching and learning review"},
        status=422, problem_type="beyond-support-allocation", field="days",
    )
    assert "12 of 12 days remain; record an increase first" in problem["detail"]


async def test_a_review_while_another_is_scheduled_is_refused_by_its_stage(
    client, register, categorise, adviser, settled
):
    await register(URN)
    await categorise(URN, "requires_improvement")
    await settled()

    problem = await refused(
        client, "POST", f"/schools/{URN}/reviews", headers=adviser, json={},
        status=409, problem_type="review-stage", field="review_id",
    )
    assert "is already scheduled for" in problem["detail"]
