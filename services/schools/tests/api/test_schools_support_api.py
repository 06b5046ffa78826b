"""Adviser support through the API: days from the category, increases, visits against them, and
the days used and remaining."""

from __future__ import annotations

from datetime import datetime, timezone

from schools.deadlines import ANNUAL_SUPPORT


async def test_visits_use_the_years_days_and_an_increase_adds_to_them(
    client, register, categorise, adviser, settled, head
):
    await register()
    await categorise("118234", "requires_improvement")
    await settled()

    visit = await client.post(
        "/schools/118234/support/visits",
        json={"visited_on": "2026-10-14", "days": 1.5, "purpose": "Review of the action plan"},
        headers=adviser,
    )
    too_many = await client.post(
        "/schools/118234/support/visits",
        json={"visited_on": "2026-10-21", "days": 11, "purpose": "Teaching and learning review"},
        headers=adviser,
    )
    refused_at = await head()
    increased = await client.post(
        "/schools/118234/support/increases",
        json={"extra_days": 2, "reason": "section 5 inspection due"},
        headers=adviser,
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()

    assert visit.status_code == 201, visit.text
    assert visit.json()["adviser"] == "sia.khan" and visit.json()["academic_year"] == 2026
    assert visit.json()["year"]["days_used"] == 1.5 and visit.json()["year"]["days_remaining"] == 10.5
    assert too_many.status_code == 422 and too_many.json()["field"] == "days"
    assert increased.status_code == 201 and increased.json()["days_total"] == 14
    # The answers name the category the days were allocated under, as the school's record does.
    assert increased.json()["category"] == visit.json()["year"]["category"] == "requires_improvement"
    assert await head() == refused_at + 1
    [year] = profile["support"]
    assert (year["days_allocated"], year["days_increased"], year["days_used"], year["days_remaining"]) == (
        12,
        2,
        1.5,
        12.5,
    )
    assert profile["visits"][0]["purpose"] == "Review of the action plan"


async def test_a_visit_retried_with_its_idempotency_key_is_logged_once(
    client, register, categorise, adviser, settled, stream
):
    await register()
    await categorise("118234", "good")
    await settled()
    headers = {**adviser, "Idempotency-Key": "visit-2026-10-14-sia"}
    body = {"visited_on": "2026-10-14", "days": 0.5, "purpose": "Annual conversation"}

    first = await client.post("/schools/118234/support/visits", json=body, headers=headers)
    retried = await client.post("/schools/118234/support/visits", json=body, headers=headers)

    assert first.status_code == retried.status_code == 201
    assert retried.json()["visit_id"] == first.json()["visit_id"]
    assert retried.json()["year"]["days_used"] == 0.5
    assert await stream("support-118234") == ["SupportAllocated", "AdviserVisitLogged"]


async def test_support_is_allocated_from_a_category_and_refused_without_one(
    client, register, principal_adviser, adviser, head
):
    await register()
    before = await head()

    uncategorised = await client.post(
        "/schools/118234/support/allocations", json={}, headers=principal_adviser
    )
    by_adviser = await client.post("/schools/118234/support/allocations", json={}, headers=adviser)

    assert uncategorised.status_code == 422 and uncategorised.json()["field"] == "category"
    assert by_adviser.status_code == 403
    assert await head() == before


async def test_each_new_academic_year_allocates_the_categorised_schools_days_once(
    client, register, categorise, clock, settled, stream
):
    await register()
    await register("148001", name="Weald Academy", establishment_type="academy_converter")
    await categorise("118234", "requires_improvement")
    await settled()

    still_this_year = await ANNUAL_SUPPORT.run(client.app.state)
    clock.set(datetime(2027, 9, 6, 9, 0, tzinfo=timezone.utc))
    next_year = await ANNUAL_SUPPORT.run(client.app.state)
    await settled()
    again = await ANNUAL_SUPPORT.run(client.app.state)

    assert still_this_year == 1  # the academy, which has an offer whatever its category
    assert next_year == 2 and again == 0
    support = await client.app.state.store.read_stream("support-118234")
    assert [(e.data["academic_year"], e.data["days"]) for e in support] == [(2026, "12"), (2027, "12")]
    academy = await client.app.state.store.read_stream("support-148001")
    assert [(e.data["academic_year"], e.data["days"], e.data["academy"]) for e in academy] == [
        (2026, "2", True),
        (2027, "2", True),
    ]
