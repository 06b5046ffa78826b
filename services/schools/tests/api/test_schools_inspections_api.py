"""Ofsted inspections through the API: recorded in their framework's vocabulary, published, and
the "stuck" flag when the same sub-good judgement comes twice in a row."""

from __future__ import annotations


async def test_an_inspection_is_recorded_with_its_headline_and_its_report_published(
    client, register, adviser, graded, settled
):
    await register()

    recorded = await client.post(
        "/schools/118234/inspections", json=graded("10001", "2019-10-01", "good"), headers=adviser
    )
    published = await client.post(
        "/schools/118234/inspections/10001/publication", json={"published_on": "2019-11-04"}, headers=adviser
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()

    assert recorded.status_code == 201, recorded.text
    assert recorded.headers["etag"] == '"1"'
    assert recorded.json()["headline_judgement"] == "good" and recorded.json()["below_good"] is False
    assert published.status_code == 200 and published.json()["published_on"] == "2019-11-04"
    assert profile["latest_judgement"] == "good" and profile["good_or_better"] is True
    assert profile["ofsted"]["inspections"][0]["published_on"] == "2019-11-04"
    assert profile["ofsted"]["inspections"][0]["judgements"]["quality_of_education"] == "good"
    assert profile["versions"]["inspections"] == 2


async def test_the_same_sub_good_judgement_twice_in_a_row_flags_the_school_stuck(
    client, register, adviser, graded, settled, stream
):
    await register()
    await client.post(
        "/schools/118234/inspections",
        json=graded("10001", "2019-10-01", "requires_improvement"),
        headers=adviser,
    )

    second = await client.post(
        "/schools/118234/inspections",
        json=graded("10002", "2022-03-09", "requires_improvement"),
        headers=adviser,
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    stuck = (await client.get("/schools", params={"at_risk": "true"}, headers=adviser)).json()

    assert second.json()["stuck"] is True
    assert second.json()["recorded"] == ["InspectionRecorded", "SchoolIdentifiedAsStuck"]
    assert await stream("inspections-118234") == [
        "InspectionRecorded",
        "InspectionRecorded",
        "SchoolIdentifiedAsStuck",
    ]
    assert profile["stuck"] is True and profile["at_risk"] is True
    assert profile["latest_judgement"] == "requires_improvement" and profile["good_or_better"] is False
    assert [s["urn"] for s in stuck["items"]] == ["118234"]


async def test_a_monitoring_visit_leaves_the_last_graded_judgement_standing(
    client, register, adviser, graded, settled
):
    await register()
    await client.post(
        "/schools/118234/inspections",
        json=graded("10001", "2019-10-01", "requires_improvement"),
        headers=adviser,
    )

    monitoring = await client.post(
        "/schools/118234/inspections",
        json={
            "inspection_id": "10002",
            "inspected_on": "2020-02-11",
            "inspection_type": "monitoring",
            "framework": "ofsted_september_2012",
        },
        headers=adviser,
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()

    assert monitoring.status_code == 201, monitoring.text
    assert profile["ofsted"]["latest_inspection_id"] == "10001"
    assert profile["latest_judgement"] == "requires_improvement"
    assert len(profile["ofsted"]["inspections"]) == 2


async def test_a_report_cannot_be_published_before_the_inspection(client, register, adviser, graded, head):
    await register()
    await client.post(
        "/schools/118234/inspections", json=graded("10001", "2019-10-01", "good"), headers=adviser
    )
    before = await head()

    early = await client.post(
        "/schools/118234/inspections/10001/publication", json={"published_on": "2019-09-30"}, headers=adviser
    )
    unknown = await client.post(
        "/schools/118234/inspections/99999/publication", json={"published_on": "2019-11-04"}, headers=adviser
    )

    assert early.status_code == 422 and early.json()["field"] == "published_on"
    assert unknown.status_code == 404 and unknown.json()["field"] == "inspection_id"
    assert await head() == before


def report_card(inspection_id: str, category: str | None) -> dict:
    areas = (
        "inclusion",
        "curriculum_and_teaching",
        "achievement",
        "attendance_and_behaviour",
        "personal_development_and_wellbeing",
        "leadership_and_governance",
    )
    return {
        "inspection_id": inspection_id,
        "inspected_on": "2026-02-03",
        "inspection_type": "graded",
        "framework": "ofsted_report_cards_november_2025",
        "judgements": {area: "urgent_improvement" for area in areas},
        "safeguarding": "met",
        "category_of_concern": category,
    }


async def test_a_report_card_names_the_lesser_category_requires_significant_improvement(
    client, register, adviser, settled
):
    """Under report cards Ofsted's category is "requires significant improvement", the statutory
    words for what it called "serious weaknesses": recorded as the one category the other services
    read; the older frameworks keep their own word."""
    await register()
    recorded = await client.post(
        "/schools/118234/inspections",
        json=report_card("20001", "requires_significant_improvement"),
        headers=adviser,
    )
    assert recorded.status_code == 201, recorded.text
    records = await client.app.state.store.read_stream("inspections-118234")
    [event] = [r for r in records if r.event_type == "InspectionRecorded"]
    assert event.data["category_of_concern"] == "serious_weaknesses"
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    assert profile["ofsted"]["inspections"][0]["category_of_concern"] == "serious_weaknesses"

    older = {
        "inspection_id": "20002",
        "inspected_on": "2023-02-03",
        "inspection_type": "graded",
        "framework": "ofsted_september_2012",
        "overall_effectiveness": "inadequate",
        "category_of_concern": "requires_significant_improvement",
    }
    refused = await client.post("/schools/118234/inspections", json=older, headers=adviser)
    assert refused.status_code == 422, refused.text
    assert "category_of_concern" in refused.text


async def test_a_2014_inspection_is_recorded_with_the_key_judgements_of_its_handbook(
    client, register, adviser, settled
):
    await register()
    body = {
        "inspection_id": "14001",
        "inspected_on": "2014-06-11",
        "inspection_type": "graded",
        "framework": "ofsted_september_2012",
        "overall_effectiveness": "good",
        "judgements": {
            "achievement_of_pupils": "good",
            "quality_of_teaching": "good",
            "behaviour_and_safety_of_pupils": "outstanding",
            "leadership_and_management": "good",
        },
    }
    recorded = await client.post("/schools/118234/inspections", json=body, headers=adviser)
    assert recorded.status_code == 201, recorded.text
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    assert (
        profile["ofsted"]["inspections"][0]["judgements"]["behaviour_and_safety_of_pupils"] == "outstanding"
    )

    in_2017 = {**body, "inspection_id": "17001", "inspected_on": "2017-06-11"}
    refused = await client.post("/schools/118234/inspections", json=in_2017, headers=adviser)
    assert refused.status_code == 422, refused.text
    assert (
        refused.json()["field"] == "judgements.achievement_of_pupils"
        or "achievement_of_pupils" in refused.text
    )
