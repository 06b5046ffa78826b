"""Bad input gets a problem-details answer naming the field at fault, and nothing is written."""

from __future__ import annotations

import pytest

from shared.testing.problems import assert_problem

REPORT_CARD_AREAS = (
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
)



async def test_an_unknown_urn_is_not_found_and_named(client, register, adviser, graded, head):
    await register()
    before = await head()

    inspection = await client.post(
        "/schools/999999/inspections", json=graded("10001", "2019-10-01", "good"), headers=adviser
    )
    profile = await client.get("/schools/999999", headers=adviser)

    assert_problem(inspection, 404, "urn")
    assert "999999" in inspection.json()["detail"]
    assert_problem(profile, 404, "urn")
    assert await head() == before


@pytest.mark.parametrize("urn", ["12345", "12a456", "1234567"])
async def test_a_malformed_urn_is_refused_and_named(
    client, register, adviser, principal_adviser, oak_tree, graded, head, urn
):
    await register()
    before = await head()

    in_path = await client.post(
        f"/schools/{urn}/inspections", json=graded("10001", "2019-10-01", "good"), headers=adviser
    )
    in_body = await client.post("/schools", json={**oak_tree, "urn": urn}, headers=principal_adviser)

    assert_problem(in_path, 422, "urn")
    assert "six digits" in in_path.json()["detail"]
    assert_problem(in_body, 422, "urn")
    assert await head() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # "requires improvement" did not exist before September 2012
        (
            {
                "framework": "ofsted_until_august_2012",
                "inspected_on": "2011-05-10",
                "judgements": {},
                "overall_effectiveness": "requires_improvement",
                "safeguarding": None,
            },
            "overall_effectiveness",
        ),
        # report cards grade on five points, not outstanding ... inadequate
        (
            {
                "framework": "ofsted_report_cards_november_2025",
                "inspected_on": "2026-01-20",
                "overall_effectiveness": None,
                "safeguarding": "met",
                "judgements": {area: "good" for area in REPORT_CARD_AREAS},
            },
            "judgements.inclusion",
        ),
        # a report-card area under the 2012 framework
        (
            {
                "judgements": {
                    "quality_of_education": "good",
                    "behaviour_and_attitudes": "good",
                    "personal_development": "good",
                    "leadership_and_management": "good",
                    "inclusion": "strong_standard",
                }
            },
            "judgements.inclusion",
        ),
    ],
)
async def test_a_judgement_from_another_framework_is_refused_and_named(
    client, register, adviser, graded, head, changes, field
):
    await register()
    before = await head()

    response = await client.post(
        "/schools/118234/inspections",
        json={**graded("10001", "2019-10-01", "good"), **changes},
        headers=adviser,
    )

    assert_problem(response, 422, field)
    assert await head() == before


async def test_an_inspection_dated_in_the_future_is_refused_and_named(
    client, register, adviser, graded, head
):
    await register()
    before = await head()

    tomorrow = await client.post(
        "/schools/118234/inspections",
        json=graded(
            "10001",
            "2026-11-03",
            "strong_standard",
            framework="ofsted_report_cards_november_2025",
            overall_effectiveness=None,
            safeguarding="met",
            judgements={area: "strong_standard" for area in REPORT_CARD_AREAS},
        ),
        headers=adviser,
    )

    assert_problem(tomorrow, 422, "inspected_on")
    assert await head() == before


@pytest.mark.parametrize("body", [{"category": "good", "reasons": []}, {"category": "good"}])
async def test_a_category_without_reasons_is_refused_and_named(client, register, adviser, head, body):
    await register()
    before = await head()

    response = await client.post("/schools/118234/categorisation/proposals", json=body, headers=adviser)

    assert_problem(response, 422, "reasons")
    assert await head() == before


async def test_a_field_the_api_does_not_know_is_refused_rather_than_ignored(
    client, register, principal_adviser, head
):
    await register()
    before = await head()

    response = await client.patch(
        "/schools/118234", json={"head_teacher": "Mr C Wood"}, headers=principal_adviser
    )

    assert_problem(response, 422, "head_teacher")
    assert await head() == before
