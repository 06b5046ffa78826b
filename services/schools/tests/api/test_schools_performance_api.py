"""Published results through the API: the floor standard of each year (configurable), and the
below-floor and downward-trend flags recorded as events and shown on the profile."""

from __future__ import annotations


def ks2(year: int, level4: float, english: float = 80, maths: float = 80) -> dict:
    return {
        "year": year,
        "key_stage": "ks2",
        "measures": {
            "pct_level4_english_and_maths": level4,
            "pct_expected_progress_english": english,
            "pct_expected_progress_maths": maths,
        },
        "published_on": f"{year}-12-10",
    }


async def test_results_below_the_2011_floor_after_three_falling_years_flag_the_school(
    client, register, adviser, settled
):
    await register()
    await client.post("/schools/118234/results", json=ks2(2009, 66), headers=adviser)
    await client.post("/schools/118234/results", json=ks2(2010, 62), headers=adviser)

    recorded = await client.post("/schools/118234/results", json=ks2(2011, 55), headers=adviser)
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    below = (await client.get("/schools", params={"below_floor": "true"}, headers=adviser)).json()

    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["recorded"] == ["ResultsRecorded", "SchoolBelowFloor", "DownwardTrendIdentified"]
    assert recorded.json()["below_floor"] is True and recorded.json()["downward_trend"] is True
    assert profile["below_floor"] is True and profile["downward_trend"] is True and profile["at_risk"] is True
    assert profile["performance"]["floor_outcomes"] == {"ks2": {"2011": True}}
    assert profile["performance"]["downward_trends"]["ks2"]["years"] == [2009, 2010, 2011]
    assert [s["urn"] for s in below["items"]] == ["118234"]


async def test_median_progress_in_either_subject_keeps_a_school_above_the_2011_floor(
    client, register, adviser
):
    """Medway's 2011 figures: below 60% at level 4, yet above floor on progress (seed 004)."""
    await register()

    above = await client.post("/schools/118234/results", json=ks2(2011, 55, english=88), headers=adviser)

    assert above.json()["recorded"] == ["ResultsRecorded", "SchoolAboveFloor"]
    assert above.json()["below_floor"] is False


async def test_a_floor_rule_set_for_a_later_year_is_used_for_that_years_results(
    client, register, adviser, principal_adviser, settled
):
    await register()
    await client.post("/schools/118234/results", json=ks2(2011, 55), headers=adviser)
    no_rule_yet = await client.post("/schools/118234/results", json=ks2(2012, 58), headers=adviser)

    rule = await client.put(
        "/configuration/floor-rules/2013/ks2",
        json={
            "attainment": {"measure": "pct_level4_english_and_maths", "minimum": 60},
            "progress": [
                {"measure": "pct_expected_progress_english", "minimum": 89},
                {"measure": "pct_expected_progress_maths", "minimum": 88},
            ],
            "progress_short_on": "all",
            "source": "DfE performance tables 2013",
        },
        headers=principal_adviser,
    )
    evaluated = await client.post("/schools/118234/results", json=ks2(2013, 72, 91, 90), headers=adviser)
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()

    assert no_rule_yet.json()["below_floor"] is None  # no rule for 2012: a floor is never carried over
    assert rule.status_code == 200, rule.text
    assert rule.json()["configured"] is True
    assert evaluated.json()["recorded"] == ["ResultsRecorded", "SchoolAboveFloor"]
    assert profile["below_floor"] is False  # the latest evaluated year is above floor
    assert profile["performance"]["floor_outcomes"]["ks2"] == {"2011": True, "2013": False}


async def test_results_missing_a_measure_the_years_floor_needs_are_refused(client, register, adviser, head):
    await register()
    before = await head()
    body = ks2(2011, 55)
    del body["measures"]["pct_expected_progress_maths"]

    refused = await client.post("/schools/118234/results", json=body, headers=adviser)

    assert refused.status_code == 422
    assert refused.json()["field"] == "measures.pct_expected_progress_maths"
    assert await head() == before
