"""The council's categorisation through the API, and what follows from it on its own: the year's
support allocated and progress reviews scheduled, each exactly once."""

from __future__ import annotations

from schools.policies import SchoolsPolicies

from shared.eventlog.subscriptions import Subscription


async def test_an_advisers_proposal_approved_by_a_principal_adviser_allocates_support_and_schedules_a_review(
    client, register, adviser, second_principal_adviser, settled, stream
):
    await register()

    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={
            "category": "requires_improvement",
            "reasons": ["RI at the last inspection", "KS2 results fell"],
        },
        headers=adviser,
    )
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
    by_adviser = await client.post(
        f"/schools/118234/categorisation/proposals/{proposal_id}/approval", headers=adviser
    )
    approved = await client.post(
        f"/schools/118234/categorisation/proposals/{proposal_id}/approval", headers=second_principal_adviser
    )
    await settled()

    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["pending_proposal"]["proposed_by"] == "sia.khan"
    assert by_adviser.status_code == 403
    assert approved.status_code == 200, approved.text
    assert approved.json()["category"] == "requires_improvement"
    assert approved.json()["approved_by"] == "pa.wright"
    assert approved.json()["review_cycle"] == "2026-27 term 2"  # 2 November is in the half-term holiday
    [allocated] = await client.app.state.store.read_stream("support-118234")
    assert allocated.event_type == "SupportAllocated"
    assert allocated.data["days"] == "12" and allocated.data["academic_year"] == 2026
    assert allocated.metadata["actor"] == "schools-policies"
    categorised = (await client.app.state.store.read_stream("categorisation-118234"))[-1]
    assert allocated.metadata["causation_position"] == categorised.position
    [scheduled] = await client.app.state.store.read_stream("reviews-118234")
    assert scheduled.data["frequency"] == "six_weekly" and scheduled.data["due_on"] == "2026-12-14"
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    assert profile["categorisation"]["category"] == "requires_improvement"
    assert profile["support"][0]["days_allocated"] == 12 and profile["support"][0]["days_remaining"] == 12
    assert profile["reviews"][0]["due_on"] == "2026-12-14"


async def test_a_principal_adviser_cannot_approve_their_own_proposal(
    client, register, principal_adviser, head
):
    await register()
    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["good at the last inspection"]},
        headers=principal_adviser,
    )
    before = await head()

    own = await client.post(
        f"/schools/118234/categorisation/proposals/{proposed.json()['pending_proposal']['proposal_id']}/approval",
        headers=principal_adviser,
    )

    assert own.status_code == 422 and own.json()["field"] == "approved_by"
    assert await head() == before


async def test_a_rejected_proposal_leaves_the_school_uncategorised_and_unsupported(
    client, register, adviser, second_principal_adviser, settled, stream
):
    await register()
    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "outstanding", "reasons": ["strong results"]},
        headers=adviser,
    )

    rejected = await client.post(
        f"/schools/118234/categorisation/proposals/{proposed.json()['pending_proposal']['proposal_id']}/rejection",
        json={"reason": "the results do not support outstanding"},
        headers=second_principal_adviser,
    )
    await settled()

    assert rejected.status_code == 200
    assert rejected.json()["category"] is None and rejected.json()["pending_proposal"] is None
    assert await stream("support-118234") == []
    assert await stream("reviews-118234") == []


async def test_a_category_must_follow_ofsteds_category_of_concern(client, register, adviser, graded, head):
    await register()
    await client.post(
        "/schools/118234/inspections",
        json=graded("10001", "2023-05-03", "inadequate", category_of_concern="special_measures"),
        headers=adviser,
    )
    before = await head()

    good = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["improving"]},
        headers=adviser,
    )

    assert good.status_code == 422 and good.json()["field"] == "category"
    assert await head() == before


async def test_each_reaction_happens_once_however_often_its_event_is_delivered(
    client, register, categorise, settled, stream
):
    await register()
    await categorise("118234", "requires_improvement")
    await settled()
    store, state = client.app.state.store, client.app.state
    categorised = (await store.read_stream("categorisation-118234"))[-1]

    policies = SchoolsPolicies(state)
    async with state.pool.acquire() as conn:
        await policies.apply(conn, categorised)
        await policies.apply(conn, categorised)
    await state.pool.execute(
        "UPDATE schools.subscription_checkpoints SET position = 0 WHERE name = $1", policies.name
    )
    await Subscription(state.pool, policies).catch_up()

    assert await stream("support-118234") == ["SupportAllocated"]
    assert await stream("reviews-118234") == ["ProgressReviewScheduled"]


async def test_recategorised_into_a_six_weekly_category_the_termly_review_is_replaced(
    client, register, categorise, settled, stream
):
    await register()
    await categorise("118234", "good")
    await settled()

    await categorise("118234", "requires_improvement")
    await settled()

    support = await client.app.state.store.read_stream("support-118234")
    assert [(e.data["days"], e.data["previous_days"]) for e in support] == [("3", None), ("12", "3")]
    reviews = await client.app.state.store.read_stream("reviews-118234")
    assert [e.event_type for e in reviews] == [
        "ProgressReviewScheduled",
        "ProgressReviewCancelled",
        "ProgressReviewScheduled",
    ]
    assert (reviews[0].data["frequency"], reviews[0].data["due_on"]) == ("termly", "2026-12-19")
    assert (reviews[2].data["frequency"], reviews[2].data["due_on"]) == ("six_weekly", "2026-12-14")
