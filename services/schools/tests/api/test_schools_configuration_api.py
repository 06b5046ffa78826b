"""The council's configuration as data: term dates, support offers and review rules set by a
principal adviser and used by the decisions made after them."""

from __future__ import annotations

THREE_TERMS = [
    {"name": "2026-27 autumn", "starts_on": "2026-09-02", "ends_on": "2026-12-18"},
    {"name": "2026-27 spring", "starts_on": "2027-01-05", "ends_on": "2027-03-26"},
    {"name": "2026-27 summer", "starts_on": "2027-04-12", "ends_on": "2027-07-21"},
]


async def test_the_councils_term_dates_name_the_review_cycle(
    client, register, principal_adviser, adviser, head
):
    await register()
    typical = (await client.get("/configuration/terms/2026", headers=adviser)).json()

    set_terms = await client.put(
        "/configuration/terms/2026", json={"terms": THREE_TERMS}, headers=principal_adviser
    )
    after_setting = await head()
    again = await client.put(
        "/configuration/terms/2026", json={"terms": THREE_TERMS}, headers=principal_adviser
    )
    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["good"]},
        headers=adviser,
    )

    assert typical["configured"] is False and len(typical["terms"]) == 6
    assert set_terms.status_code == 200, set_terms.text
    assert set_terms.json()["configured"] is True and [t["name"] for t in set_terms.json()["terms"]] == [
        "2026-27 autumn",
        "2026-27 spring",
        "2026-27 summer",
    ]
    assert again.status_code == 200 and await head() == after_setting + 1  # the same dates again: nothing new
    assert proposed.json()["pending_proposal"]["review_cycle"] == "2026-27 autumn"


async def test_term_dates_outside_the_year_or_overlapping_are_refused(client, principal_adviser, head):
    outside = await client.put(
        "/configuration/terms/2026",
        json={"terms": [{"name": "early", "starts_on": "2026-08-20", "ends_on": "2026-10-20"}]},
        headers=principal_adviser,
    )
    overlapping = await client.put(
        "/configuration/terms/2026",
        json={"terms": [THREE_TERMS[0], {**THREE_TERMS[1], "starts_on": "2026-12-01"}]},
        headers=principal_adviser,
    )

    assert outside.status_code == 422 and outside.json()["field"] == "terms.0.starts_on"
    assert overlapping.status_code == 422 and overlapping.json()["field"] == "terms"
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
