"""The council's configuration as data: the council calendar's term dates, and the support offers
and review rules set by a principal adviser, used by the decisions made after them."""

from __future__ import annotations

import json

YEAR_2026 = {
    "council": "Kent",
    "autumn": {
        "start": "2026-09-02",
        "half_term_start": "2026-10-26",
        "half_term_end": "2026-10-30",
        "end": "2026-12-18",
    },
    "spring": {
        "start": "2027-01-05",
        "half_term_start": "2027-02-15",
        "half_term_end": "2027-02-19",
        "end": "2027-03-26",
    },
    "summer": {
        "start": "2027-04-12",
        "half_term_start": "2027-05-31",
        "half_term_end": "2027-06-04",
        "end": "2027-07-21",
    },
    "closure_days": ["2026-09-02"],
}


async def test_the_council_calendar_is_set_once_and_names_the_review_cycle(
    client, register, principal_adviser, adviser, head, auth, settled
):
    await register()
    await settled()
    typical = (await client.get("/configuration/terms/2026", headers=adviser)).json()

    set_terms = await client.put("/council/term-dates/2026", json=YEAR_2026, headers=principal_adviser)
    after_setting = await head()
    again = await client.put("/council/term-dates/2026", json=YEAR_2026, headers=auth("virtual_school_head"))
    after_again = await head()
    cycles = (await client.get("/configuration/terms/2026", headers=adviser)).json()
    calendar = await client.get("/council/term-dates", headers=auth("designated_teacher", urn="118234"))
    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["good"], "proposed_on": "2026-11-02"},
        headers=adviser,
    )

    assert typical["configured"] is False and len(typical["terms"]) == 6
    assert set_terms.status_code == 200, set_terms.text
    assert set_terms.json()["autumn"]["half_term_start"] == "2026-10-26"
    assert set_terms.json()["academic_year_label"] == "2026/27"
    assert again.status_code == 200 and after_again == after_setting  # the same dates again: nothing new
    assert cycles["configured"] is True
    assert [(t["name"], t["starts_on"], t["ends_on"]) for t in cycles["terms"][:2]] == [
        ("2026-27 term 1", "2026-09-02", "2026-10-25"),
        ("2026-27 term 2", "2026-10-31", "2026-12-18"),
    ]
    assert calendar.status_code == 200
    assert (calendar.json()["council"], [y["academic_year"] for y in calendar.json()["years"]]) == (
        "Kent",
        [2026],
    )
    assert proposed.json()["pending_proposal"]["review_cycle"] == "2026-27 term 2"


async def test_term_dates_that_do_not_make_a_year_or_leave_a_gap_are_refused_and_change_nothing(
    client, principal_adviser, head
):
    set_first = await client.put("/council/term-dates/2026", json=YEAR_2026, headers=principal_adviser)
    before = await head()
    half_term_first = await client.put(
        "/council/term-dates/2026",
        json={**YEAR_2026, "autumn": {**YEAR_2026["autumn"], "half_term_start": "2026-09-01"}},
        headers=principal_adviser,
    )
    two_years_on = json.loads(json.dumps(YEAR_2026).replace("2027-", "2029-").replace("2026-", "2028-"))
    gap = await client.put("/council/term-dates/2028", json=two_years_on, headers=principal_adviser)
    wrong_year = await client.put("/council/term-dates/2027", json=YEAR_2026, headers=principal_adviser)
    not_set = await client.get("/council/term-dates/2030", headers=principal_adviser)

    assert set_first.status_code == 200
    assert (half_term_first.status_code, half_term_first.json()["field"]) == (422, "autumn.half_term_start")
    assert (gap.status_code, gap.json()["field"]) == (422, "academic_year")
    assert (wrong_year.status_code, wrong_year.json()["field"]) == (422, "autumn.start")
    assert (not_set.status_code, not_set.json()["field"]) == (404, "academic_year")
    assert await head() == before


async def test_only_a_principal_adviser_or_the_virtual_school_head_sets_the_calendar(client, auth, head):
    refused = [
        await client.put("/council/term-dates/2026", json=YEAR_2026, headers=auth(role))
        for role in ("school_improvement_adviser", "virtual_school_officer", "finance_officer", "auditor")
    ]

    assert [answer.status_code for answer in refused] == [403] * len(refused)
    assert await head() == 0


async def test_a_new_support_offer_and_review_rule_govern_later_categorisations(
    client, register, categorise, principal_adviser, adviser, settled
):
    await register()
    offer = await client.post(
        "/configuration/support-offers",
        json={
            "effective_from": "2026-09-01",
            "days_by_category": {
                "outstanding": 2,
                "good": 3,
                "requires_improvement": 15,
                "ofsted_category": 24,
                "at_risk": 18,
            },
            "academy_days": 2,
            "source": "Cabinet decision, July 2026",
        },
        headers=principal_adviser,
    )
    rule = await client.post(
        "/configuration/review-rules",
        json={
            "effective_from": "2026-09-01",
            "frequent_categories": ["requires_improvement", "ofsted_category", "at_risk"],
            "frequent_interval_days": 28,
            "source": "Cabinet decision, July 2026",
        },
        headers=principal_adviser,
    )
    configuration = (await client.get("/configuration", headers=adviser)).json()

    await categorise("118234", "at_risk")
    await settled()

    assert offer.status_code == 201 and rule.status_code == 201
    assert [(o["effective_from"], o["configured"]) for o in configuration["support_offers"]] == [
        ("2013-09-01", False),
        ("2026-09-01", True),
    ]
    assert configuration["review_rules"][-1]["frequent_interval_days"] == 28
    [allocated] = await client.app.state.store.read_stream("support-118234")
    assert allocated.data["days"] == "18" and allocated.data["offer_effective_from"] == "2026-09-01"
    [scheduled] = await client.app.state.store.read_stream("reviews-118234")
    assert scheduled.data["due_on"] == "2026-11-30"  # 28 days after categorisation
