"""A categorisation dated when it happened: a council loads its historic categories with the dates
they were proposed, approved or sent back, and the log answers "what was the category on date X"."""

from __future__ import annotations

from event_log.main import create_app as event_log_app

from shared.testing.fixtures import settle

PROPOSALS = "/schools/118234/categorisation/proposals"


async def propose(client, headers, **body):
    return await client.post(
        PROPOSALS,
        json={"category": "good", "reasons": ["good at the last inspection"], **body},
        headers=headers,
    )


async def test_a_historic_categorisation_is_loaded_with_its_dates_and_sets_nothing_going(
    client, register, adviser, second_principal_adviser, settled
):
    await register()

    proposed = await propose(client, adviser, proposed_on="2019-10-10")
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
    approved = await client.post(
        f"{PROPOSALS}/{proposal_id}/approval",
        json={"approved_on": "2019-10-21"},
        headers=second_principal_adviser,
    )
    await settled()

    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["pending_proposal"]["proposed_on"] == "2019-10-10"
    assert approved.status_code == 200, approved.text
    assert approved.json()["categorised_on"] == "2019-10-21"
    assert approved.json()["review_cycle"] == "2019-20 term 1"
    store = client.app.state.store
    recorded = await store.read_stream("categorisation-118234")
    assert [(r.event_type, r.effective_date.isoformat()) for r in recorded] == [
        ("CategoryProposed", "2019-10-10"),
        ("SchoolCategorised", "2019-10-21"),
    ]
    assert recorded[0].data["proposed_on"] == "2019-10-10"
    assert recorded[1].data["categorised_on"] == "2019-10-21"
    # 2019-20 is over by the clock (2026-11-02): no support for it, no review from it
    assert await store.read_stream("support-118234") == []
    assert await store.read_stream("reviews-118234") == []


async def test_the_category_as_of_a_date_before_and_after_the_approval(
    client, service_client, register, adviser, second_principal_adviser, auth
):
    await register()
    proposed = await propose(client, adviser, proposed_on="2019-10-10")
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
    approved = await client.post(
        f"{PROPOSALS}/{proposal_id}/approval",
        json={"approved_on": "2019-10-21"},
        headers=second_principal_adviser,
    )
    assert approved.status_code == 200, approved.text

    async with service_client(event_log_app) as event_log:
        await settle(event_log.app)

        async def as_of(day: str) -> dict:
            answer = await event_log.get(
                "/streams/categorisation-118234/state", params={"as_of": day}, headers=auth("auditor")
            )
            assert answer.status_code == 200, answer.text
            return answer.json()["state"]

        before_proposal, awaiting, after = (
            await as_of("2019-10-09"),
            await as_of("2019-10-20"),
            await as_of("2019-10-21"),
        )

    assert before_proposal["current"] is None and before_proposal["pending"] is None
    assert awaiting["current"] is None and awaiting["pending"]["category"] == "good"
    assert after["current"]["category"] == "good" and after["current"]["categorised_on"] == "2019-10-21"
    assert after["pending"] is None


async def test_a_rejection_is_dated_when_it_was_sent_back(
    client, register, adviser, second_principal_adviser
):
    await register()
    proposed = await propose(client, adviser, proposed_on="2019-10-10")
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]

    rejected = await client.post(
        f"{PROPOSALS}/{proposal_id}/rejection",
        json={"reason": "the results do not support good", "rejected_on": "2019-10-14"},
        headers=second_principal_adviser,
    )

    assert rejected.status_code == 200, rejected.text
    [_, recorded] = await client.app.state.store.read_stream("categorisation-118234")
    assert recorded.event_type == "CategoryProposalRejected"
    assert (
        recorded.data["rejected_on"] == "2019-10-14" and recorded.effective_date.isoformat() == "2019-10-14"
    )


async def test_a_date_in_the_future_is_refused_naming_the_field(
    client, register, adviser, second_principal_adviser, head
):
    await register()
    before = await head()

    future_proposal = await propose(client, adviser, proposed_on="2026-11-03")

    assert future_proposal.status_code == 422 and future_proposal.json()["field"] == "proposed_on"
    assert await head() == before
    proposal_id = (await propose(client, adviser)).json()["pending_proposal"]["proposal_id"]
    future_approval = await client.post(
        f"{PROPOSALS}/{proposal_id}/approval",
        json={"approved_on": "2026-11-03"},
        headers=second_principal_adviser,
    )
    future_rejection = await client.post(
        f"{PROPOSALS}/{proposal_id}/rejection",
        json={"reason": "not yet", "rejected_on": "2026-11-03"},
        headers=second_principal_adviser,
    )
    assert future_approval.status_code == 422 and future_approval.json()["field"] == "approved_on"
    assert future_rejection.status_code == 422 and future_rejection.json()["field"] == "rejected_on"


async def test_an_approval_dated_before_its_proposal_is_refused(
    client, register, adviser, second_principal_adviser, head
):
    await register()
    proposal_id = (await propose(client, adviser, proposed_on="2019-10-10")).json()["pending_proposal"][
        "proposal_id"
    ]
    before = await head()

    approved = await client.post(
        f"{PROPOSALS}/{proposal_id}/approval",
        json={"approved_on": "2019-10-09"},
        headers=second_principal_adviser,
    )

    assert approved.status_code == 422 and approved.json()["field"] == "approved_on"
    assert await head() == before


async def test_a_proposal_dated_before_the_school_opened_is_refused(client, register, adviser, head):
    await register(opened_on="2015-09-01")
    before = await head()

    proposed = await propose(client, adviser, proposed_on="2015-08-31")

    assert proposed.status_code == 422 and proposed.json()["field"] == "proposed_on"
    assert await head() == before


async def test_a_proposal_dated_before_the_current_category_is_refused(
    client, register, adviser, categorise, settled, head
):
    await register()
    await categorise("118234", "good")
    await settled()  # the support and review that follow are recorded first
    before = await head()

    proposed = await propose(client, adviser, proposed_on="2019-10-10")

    assert proposed.status_code == 422 and proposed.json()["field"] == "proposed_on"
    assert await head() == before


async def categorise_on(client, adviser, approver, category: str, proposed_on: str, approved_on: str) -> dict:
    proposed = await propose(client, adviser, category=category, proposed_on=proposed_on)
    assert proposed.status_code == 201, proposed.text
    proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
    approved = await client.post(
        f"{PROPOSALS}/{proposal_id}/approval", json={"approved_on": approved_on}, headers=approver
    )
    assert approved.status_code == 200, approved.text
    return approved.json()


async def test_a_school_s_history_loaded_oldest_first_then_its_current_category(
    client, register, adviser, second_principal_adviser, auditor, categorise, settled
):
    """2012 is before the first support offer (September 2013); 2016 and 2019 are years that are
    over. None of them parks an event (the test app fails on one), allocates support or leaves a
    review overdue; the current categorisation is followed as ever."""
    await register()

    for category, proposed_on, approved_on in (
        ("requires_improvement", "2012-10-08", "2012-10-15"),
        ("at_risk", "2016-10-10", "2016-10-17"),
        ("requires_improvement", "2019-10-10", "2019-10-21"),
    ):
        await categorise_on(client, adviser, second_principal_adviser, category, proposed_on, approved_on)
    await settled()
    await categorise("118234", "requires_improvement")  # today, 2026-11-02
    await settled()

    store = client.app.state.store
    categorised = [
        r for r in await store.read_stream("categorisation-118234") if r.event_type == "SchoolCategorised"
    ]
    assert [r.data["categorised_on"] for r in categorised] == [
        "2012-10-15",
        "2016-10-17",
        "2019-10-21",
        "2026-11-02",
    ]
    [allocated] = await store.read_stream("support-118234")
    assert allocated.event_type == "SupportAllocated"
    assert allocated.data["academic_year"] == 2026 and allocated.data["allocated_on"] == "2026-11-02"
    assert allocated.data["category"] == "requires_improvement" and allocated.data["days"] == "12"
    assert allocated.metadata["causation_position"] == categorised[-1].position
    [scheduled] = await store.read_stream("reviews-118234")
    assert scheduled.event_type == "ProgressReviewScheduled"
    assert scheduled.data["scheduled_on"] == "2026-11-02" and scheduled.data["due_on"] == "2026-12-14"
    assert scheduled.metadata["causation_position"] == categorised[-1].position
    overdue = await client.get("/reviews/overdue", headers=auditor)
    assert overdue.status_code == 200, overdue.text
    assert overdue.json() == {"as_of": "2026-11-02", "items": [], "next_cursor": None, "next": None}
