"""The list of schools with its filters, and the council dashboard, over a small council."""

from __future__ import annotations

FILTERED = [
    ({}, ["118234", "118235", "118236", "118237", "118238"]),
    ({"type": "community"}, ["118235", "118237", "118238"]),
    ({"phase": "secondary"}, ["118236", "118237"]),
    ({"category": "requires_improvement"}, ["118235"]),
    ({"judgement": "inadequate"}, ["118236"]),
    ({"judgement": "good"}, ["118234"]),
    ({"below_floor": "true"}, ["118237"]),
    ({"at_risk": "true"}, ["118235", "118237"]),
    ({"status": "closed"}, ["118238"]),
    ({"phase": "primary", "status": "open", "maintained": "true"}, ["118234", "118235"]),
]


async def test_the_list_of_schools_filters_by_what_the_council_asks(client, council, auditor):
    for filters, urns in FILTERED:
        response = await client.get("/schools", params=filters, headers=auditor)

        assert response.status_code == 200, response.text
        assert [s["urn"] for s in response.json()["items"]] == urns, filters


async def test_an_unknown_filter_value_is_refused_and_named(client, auditor):
    response = await client.get("/schools", params={"judgement": "brilliant"}, headers=auditor)

    assert response.status_code == 422 and response.json()["field"] == "judgement"


async def test_the_dashboard_shows_good_or_better_by_phase_concerns_floor_and_days(client, council, auditor):
    response = await client.get("/dashboard", headers=auditor)

    assert response.status_code == 200, response.text
    board = response.json()
    assert board["as_of"] == "2026-11-02"
    assert (board["schools"], board["inspected"], board["good_or_better"]) == (4, 3, 1)
    assert board["share_good_or_better"] == 0.3333
    assert board["by_phase"] == [
        {"phase": "primary", "schools": 2, "inspected": 2, "good_or_better": 1, "share_good_or_better": 0.5},
        {
            "phase": "secondary",
            "schools": 2,
            "inspected": 1,
            "good_or_better": 0,
            "share_good_or_better": 0.0,
        },
    ]
    assert board["in_category_of_concern"] == {"total": 1, "serious_weaknesses": 0, "special_measures": 1}
    assert board["council_categories"] == {"good": 1, "ofsted_category": 1, "requires_improvement": 1}
    assert (board["below_floor"], board["stuck"], board["at_risk"]) == (1, 1, 2)
    assert board["support"] == {
        "academic_year": 2026,
        "academic_year_label": "2026-27",
        "schools_supported": 3,
        "days_allocated": 35.0,
        "days_increased": 0.0,
        "days_total": 35.0,
        "days_used": 1.0,
        "days_remaining": 34.0,
    }
