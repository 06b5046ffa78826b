"""Progress reviews through the API: scheduled by the review rule, held (and the next scheduled
once), cancelled, and listed when overdue as of the clock's today."""

from __future__ import annotations

from datetime import datetime, timezone

from schools.policies import SchoolsPolicies


async def pending_review(client, headers) -> dict:
    profile = (await client.get("/schools/118234", headers=headers)).json()
    [pending] = [r for r in profile["reviews"] if r["held_on"] is None and r["cancelled_on"] is None]
    return pending


async def test_a_held_review_schedules_the_next_one_once(
    client, register, categorise, adviser, settled, stream
):
    await register()
    await categorise("118234", "good")
    await settled()
    first = await pending_review(client, adviser)

    held = await client.post(
        f"/schools/118234/reviews/{first['review_id']}/outcome",
        json={
            "held_on": "2026-11-02",
            "outcome": "good_progress",
            "summary": "On track",
            "actions": ["share the reading plan with governors"],
        },
        headers=adviser,
    )
    await settled()
    record = (await client.app.state.store.read_stream("reviews-118234"))[-2]
    async with client.app.state.pool.acquire() as conn:
        await SchoolsPolicies(client.app.state).apply(conn, record)
    following = await pending_review(client, adviser)

    assert first["frequency"] == "termly" and first["due_on"] == "2026-12-19"
    assert held.status_code == 200, held.text
    assert held.json()["outcome"] == "good_progress" and held.json()["actions"] == [
        "share the reading plan with governors"
    ]
    assert await stream("reviews-118234") == [
        "ProgressReviewScheduled",
        "ProgressReviewHeld",
        "ProgressReviewScheduled",
    ]
    assert record.event_type == "ProgressReviewHeld"
    assert following["due_on"] == "2027-02-13"  # by the end of the next term


async def test_a_review_is_cancelled_and_rescheduled_by_hand(
    client, register, categorise, adviser, settled, head
):
    await register()
    await categorise("118234", "requires_improvement")
    await settled()
    first = await pending_review(client, adviser)

    second_while_pending = await client.post("/schools/118234/reviews", json={}, headers=adviser)
    cancelled = await client.post(
        f"/schools/118234/reviews/{first['review_id']}/cancellation",
        json={"reason": "headteacher on leave"},
        headers=adviser,
    )
    scheduled = await client.post(
        "/schools/118234/reviews", json={"planned_for": "2026-12-01"}, headers=adviser
    )
    before_blank = await head()
    blank_reason = await client.post(
        f"/schools/118234/reviews/{scheduled.json()['review_id']}/cancellation",
        json={"reason": " "},
        headers=adviser,
    )

    assert second_while_pending.status_code == 409 and second_while_pending.json()["field"] == "review_id"
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "headteacher on leave"
    assert scheduled.status_code == 201, scheduled.text
    assert scheduled.json()["due_on"] == "2026-12-01" and scheduled.json()["required_by"] == "2026-12-14"
    assert scheduled.json()["frequency"] == "six_weekly"
    assert blank_reason.status_code == 422 and blank_reason.json()["field"] == "reason"
    assert await head() == before_blank


async def test_overdue_reviews_are_those_not_held_by_their_date_as_of_today(
    client, register, categorise, adviser, auditor, clock, settled
):
    await register()
    await register("118235", name="Beech Junior School")
    await categorise("118234", "requires_improvement")
    await categorise("118235", "good")
    await settled()

    on_time = (await client.get("/reviews/overdue", headers=auditor)).json()
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=timezone.utc))
    later = (await client.get("/reviews/overdue", headers=auditor)).json()

    assert on_time == {"as_of": "2026-11-02", "items": [], "next_cursor": None, "next": None}
    assert later["as_of"] == "2026-12-16"
    [overdue] = later["items"]
    assert overdue["urn"] == "118234" and overdue["school_name"] == "Oak Tree Primary School"
    assert overdue["due_on"] == "2026-12-14" and overdue["days_overdue"] == 2
    assert overdue["current_category"] == "requires_improvement"
