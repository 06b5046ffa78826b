"""The virtual school's alert follows the council's report-card concern policy, end to end: a
principal adviser sets the policy in the schools service, an adviser records a report-card
inspection there, and the pep service alerts the virtual school about the looked-after children
on roll - or does not - from the inspection's ``below_good`` alone, as the policy version in
force on the inspection's date decided it (domain.md sections 2 and 7).

The test clock stands at Monday 2 November 2026."""

from __future__ import annotations

from typing import Any

import httpx
from pep.main import create_app as create_pep
from schools.main import create_app as create_schools

from shared.testing.fixtures import settle

AREAS = (
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
)
# From September 2026 the council alerts only on urgent improvement.
URGENT_IMPROVEMENT_ONLY = {
    "effective_from": "2026-09-01",
    "concern_areas": list(AREAS),
    "concern_grades": ["urgent_improvement"],
    "good_or_better_areas": list(AREAS),
    "good_or_better_grades": ["exceptional", "strong_standard", "expected_standard"],
    "source": "Virtual school governing board, July 2026: alert on urgent improvement only",
}
SCHOOLS = {"118001": "Ash Primary School", "118002": "Birch Primary School"}


def school(urn: str) -> dict[str, Any]:
    return {
        "urn": urn,
        "name": SCHOOLS[urn],
        "la_code": "886",
        "la_name": "Kent",
        "establishment_type": "community",
        "phase": "primary",
        "opened_on": "1974-09-01",
    }


def needing_attention(inspection_id: str, inspected_on: str) -> dict[str, Any]:
    """A report card with one area needing attention and the rest at the expected standard."""
    return {
        "inspection_id": inspection_id,
        "inspected_on": inspected_on,
        "inspection_type": "graded",
        "framework": "ofsted_report_cards_november_2025",
        "judgements": {area: "expected_standard" for area in AREAS} | {"achievement": "needs_attention"},
        "safeguarding": "met",
    }


def child(child_id: str) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "name": f"Child {child_id}",
        "date_of_birth": "2014-05-01",
        "entered_care_on": "2026-01-05",
        "legal_status": "interim_care_order",
        "placing_authority": "Kent",
        "social_worker": "Sam Jones",
        "carer": "Pat Brown",
        "independent_reviewing_officer": "Jo Green",
        "sen_status": "sen_support",
        "year_group": "year_7",
    }


async def ok(
    client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str], json: Any = None
) -> Any:
    answer = await client.request(method, url, headers=headers, json=json)
    assert answer.status_code < 300, f"{method} {url}: {answer.status_code} {answer.text}"
    return answer.json()


async def test_the_alert_is_raised_under_one_policy_version_and_not_under_the_next(service_client, auth):
    principal_adviser = auth("principal_adviser", sub="pa.okafor")
    adviser = auth("school_improvement_adviser", sub="sia.khan")
    social_worker = auth("social_worker")
    officer = auth("virtual_school_officer")

    async with service_client(create_schools) as schools, service_client(create_pep) as pep:
        # Given: a looked-after child on roll at each of two schools, and the council's new policy
        # from September 2026.
        for urn in SCHOOLS:
            await ok(schools, "POST", "/schools", principal_adviser, school(urn))
            child_id = f"LAC-{urn}"
            await ok(pep, "POST", "/children", social_worker, child(child_id))
            await ok(
                pep,
                "POST",
                f"/children/{child_id}/school-placement",
                social_worker,
                {"urn": urn, "start_date": "2026-01-06"},
            )
        await ok(
            schools,
            "POST",
            "/configuration/report-card-concern-policies",
            principal_adviser,
            URGENT_IMPROVEMENT_ONLY,
        )

        # When: the same report card is recorded for each, once before September (the default
        # policy in force: needing attention is a concern) and once after (it is not).
        before = await ok(
            schools, "POST", "/schools/118001/inspections", adviser, needing_attention("50001", "2026-06-10")
        )
        after = await ok(
            schools, "POST", "/schools/118002/inspections", adviser, needing_attention("50002", "2026-10-14")
        )
        await settle(schools.app)
        await settle(pep.app)

        # Then: only the first raises the virtual school's alert.
        alerts = (await pep.get("/alerts", headers=officer)).json()["items"]

    assert (before["below_good"], before["concern_policy_from"]) == (True, "2025-11-10")
    assert (after["below_good"], after["concern_policy_from"]) == (False, "2026-09-01")
    assert [(a["urn"], a["child_id"], a["concern"], a["concern_on"]) for a in alerts] == [
        ("118001", "LAC-118001", "inspection_below_good", "2026-06-10")
    ]
