"""Over HTTP: the stuck rule of each framework and the report-card concern policy set as council
configuration and used by the inspections recorded after them; a school's RISE engagement from
its start to its end, on the school's profile; every read model rebuilt from the log the same.

The test clock stands at Monday 2 November 2026."""

from __future__ import annotations

from typing import Any

from schools.projections import read_models

from shared.eventlog.subscriptions import rebuild
from shared.testing.problems import refused

EIF = ("quality_of_education", "behaviour_and_attitudes", "personal_development", "leadership_and_management")
REPORT_CARD_AREAS = (
    "inclusion",
    "curriculum_and_teaching",
    "achievement",
    "attendance_and_behaviour",
    "personal_development_and_wellbeing",
    "leadership_and_governance",
)


def report_card(inspection_id: str, inspected_on: str, **grades: str) -> dict[str, Any]:
    return {
        "inspection_id": inspection_id,
        "inspected_on": inspected_on,
        "inspection_type": "graded",
        "framework": "ofsted_report_cards_november_2025",
        "judgements": {area: "expected_standard" for area in REPORT_CARD_AREAS} | grades,
        "safeguarding": "met",
    }


URGENT_ONLY = {
    "effective_from": "2026-09-01",
    "concern_areas": list(REPORT_CARD_AREAS),
    "concern_grades": ["urgent_improvement"],
    "good_or_better_areas": list(REPORT_CARD_AREAS),
    "good_or_better_grades": ["exceptional", "strong_standard", "expected_standard"],
    "source": "Virtual school governing board, July 2026: alert on urgent improvement only",
}
RISE_FOR_2012 = {
    "framework": "ofsted_september_2012",
    "effective_from": "2020-01-01",
    "rule": "rise",
    "source": "Cabinet member decision, January 2026: stuck schools as the DfE's RISE teams define them",
}
START = {
    "adviser": "Dr R Adeyemi, RISE adviser, South East",
    "started_on": "2026-01-12",
    "planned_end_on": "2027-07-12",
    "plan": "RISE improvement plan SE-2026-0142",
    "amount_pence": 4500000,
}


async def record(client, adviser, urn: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await client.post(f"/schools/{urn}/inspections", json=body, headers=adviser)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_under_the_rise_rule_set_for_a_framework_inadequate_then_requires_improvement_is_stuck(
    client, register, graded, adviser, principal_adviser, head, settled
):
    await register("118234")
    await register("118235", name="Beech Primary School")
    inadequate = graded("30001", "2022-03-09", "inadequate", category_of_concern="serious_weaknesses")
    # Recorded while the council's rule is the same judgement twice: not stuck.
    await record(client, adviser, "118235", {**inadequate, "inspection_id": "30011"})
    older_rule = await record(
        client, adviser, "118235", graded("30012", "2024-05-15", "requires_improvement")
    )

    set_rule = await client.post("/configuration/stuck-rules", json=RISE_FOR_2012, headers=principal_adviser)
    after = await head()
    again = await client.post("/configuration/stuck-rules", json=RISE_FOR_2012, headers=principal_adviser)
    after_again = await head()
    await record(client, adviser, "118234", inadequate)
    under_rise = await record(
        client, adviser, "118234", graded("30002", "2024-05-15", "requires_improvement")
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()
    unchanged = (await client.get("/schools/118235", headers=adviser)).json()
    configuration = (await client.get("/configuration", headers=adviser)).json()

    assert set_rule.status_code == 201, set_rule.text
    assert set_rule.json() | {"source": None} == RISE_FOR_2012 | {"configured": True, "source": None}
    assert again.status_code == 200 and after_again == after  # the same rule again: nothing new
    assert (older_rule["stuck"], older_rule["stuck_rule"]) == (False, None)
    assert (under_rise["stuck"], under_rise["stuck_rule"]) == (True, "rise")
    assert profile["stuck"] is True and profile["at_risk"] is True
    assert profile["ofsted"]["inspections"][0]["stuck_rule"] == "rise"
    assert unchanged["stuck"] is False
    rules = {(r["framework"], r["effective_from"]): r for r in configuration["stuck_rules"]}
    assert rules[("ofsted_september_2012", "2020-01-01")]["rule"] == "rise"
    assert rules[("ofsted_september_2012", "1993-09-01")]["rule"] == "same_judgement_twice"
    assert rules[("ofsted_report_cards_november_2025", "1993-09-01")]["configured"] is False


async def test_a_report_card_raises_the_alert_under_one_policy_version_and_not_under_the_next(
    client, register, adviser, principal_adviser, settled
):
    await register("118234")
    await register("118235", name="Beech Primary School")
    await register("118236", name="Cedar Primary School")

    before = await record(
        client, adviser, "118234", report_card("40001", "2026-06-10", achievement="needs_attention")
    )
    set_policy = await client.post(
        "/configuration/report-card-concern-policies", json=URGENT_ONLY, headers=principal_adviser
    )
    after = await record(
        client, adviser, "118235", report_card("40002", "2026-10-14", achievement="needs_attention")
    )
    expected = await record(client, adviser, "118236", report_card("40003", "2026-10-14"))
    await settled()
    profiles = {
        urn: (await client.get(f"/schools/{urn}", headers=adviser)).json() for urn in ("118234", "118235")
    }
    dashboard = (await client.get("/dashboard", headers=adviser)).json()
    configuration = (await client.get("/configuration", headers=adviser)).json()

    assert set_policy.status_code == 201, set_policy.text
    assert (before["below_good"], before["good_or_better"], before["concern_policy_from"]) == (
        True,
        False,
        "2025-11-10",
    )
    assert (after["below_good"], after["good_or_better"], after["concern_policy_from"]) == (
        False,
        False,
        "2026-09-01",
    )
    assert (expected["below_good"], expected["good_or_better"]) == (False, True)
    assert profiles["118234"]["ofsted"]["inspections"][0]["concern_policy_from"] == "2025-11-10"
    assert profiles["118235"]["good_or_better"] is False
    # Not below good under the new policy, yet not good or better either: one of three counts.
    assert (dashboard["inspected"], dashboard["good_or_better"]) == (3, 1)
    assert [p["effective_from"] for p in configuration["report_card_concern_policies"]] == [
        "2025-11-10",
        "2026-09-01",
    ]


async def test_a_policy_naming_what_report_cards_do_not_grade_is_refused_and_changes_nothing(
    client, principal_adviser
):
    await refused(
        client,
        "POST",
        "/configuration/report-card-concern-policies",
        headers=principal_adviser,
        json={**URGENT_ONLY, "concern_areas": ["quality_of_education"]},
        status=422,
        problem_type="invalid-input",
        field="concern_areas.0",
    )
    await refused(
        client,
        "POST",
        "/configuration/report-card-concern-policies",
        headers=principal_adviser,
        json={**URGENT_ONLY, "concern_grades": ["expected_standard"]},
        status=422,
        problem_type="invalid-input",
        field="good_or_better_grades",
    )
    await refused(
        client,
        "POST",
        "/configuration/stuck-rules",
        headers=principal_adviser,
        json={**RISE_FOR_2012, "rule": "three_strikes"},
        status=422,
        problem_type="validation",
        field="rule",
    )


async def test_only_a_principal_adviser_sets_the_policy(client, adviser):
    answer = await client.post(
        "/configuration/report-card-concern-policies", json=URGENT_ONLY, headers=adviser
    )

    assert answer.status_code == 403


async def test_a_rise_engagement_from_start_to_end_on_the_schools_profile(
    client, register, adviser, principal_adviser, settled
):
    await register()

    started = await client.post("/schools/118234/rise-engagements", json=START, headers=adviser)
    engagement_id = started.json()["engagement_id"]
    planned = await client.put(
        f"/schools/118234/rise-engagements/{engagement_id}/plan",
        json={"plan": "RISE improvement plan SE-2026-0142, revised May 2026"},
        headers=adviser,
    )
    funded = await client.put(
        f"/schools/118234/rise-engagements/{engagement_id}/funding",
        json={"amount_pence": 6000000},
        headers=principal_adviser,
    )
    await settled()
    running = (await client.get("/schools/118234", headers=adviser)).json()
    ended = await client.post(
        f"/schools/118234/rise-engagements/{engagement_id}/end",
        json={"ended_on": "2026-10-30", "outcome": "improved", "summary": "Expected standard in every area"},
        headers=adviser,
    )
    await settled()
    profile = (await client.get("/schools/118234", headers=adviser)).json()

    assert started.status_code == 201, started.text
    assert (started.json()["plan"], started.json()["amount_pence"]) == (START["plan"], 4500000)
    assert planned.status_code == 200 and funded.status_code == 200
    assert running["rise_engagements"] == [
        {
            "engagement_id": engagement_id,
            "adviser": START["adviser"],
            "started_on": "2026-01-12",
            "planned_end_on": "2027-07-12",
            "plan": "RISE improvement plan SE-2026-0142, revised May 2026",
            "amount_pence": 6000000,
            "ended_on": None,
            "outcome": None,
            "summary": None,
        }
    ]
    assert ended.status_code == 200, ended.text
    [done] = profile["rise_engagements"]
    assert (done["ended_on"], done["outcome"], done["summary"]) == (
        "2026-10-30",
        "improved",
        "Expected standard in every area",
    )
    assert profile["versions"]["rise"] == 6  # started, plan and funding, plan, funding, ended


async def test_rise_records_that_cannot_be_right_are_refused_and_change_nothing(
    client, register, adviser, auth
):
    await register()
    started = await client.post("/schools/118234/rise-engagements", json=START, headers=adviser)
    engagement_id = started.json()["engagement_id"]

    await refused(
        client,
        "POST",
        "/schools/118234/rise-engagements",
        headers=adviser,
        json={**START, "started_on": "2026-06-01"},
        status=422,
        problem_type="refused-by-rules",
        field="engagement_id",
    )
    await refused(
        client,
        "PUT",
        f"/schools/118234/rise-engagements/{engagement_id}/funding",
        headers=adviser,
        json={"amount_pence": -5},
        status=422,
        problem_type="validation",
        field="amount_pence",
    )
    await refused(
        client,
        "POST",
        f"/schools/118234/rise-engagements/{engagement_id}/end",
        headers=adviser,
        json={"ended_on": "2025-12-01", "outcome": "improved", "summary": "too early"},
        status=422,
        problem_type="invalid-input",
        field="ended_on",
    )
    await refused(
        client,
        "PUT",
        "/schools/118234/rise-engagements/rise-unknown/plan",
        headers=adviser,
        json={"plan": "x"},
        status=404,
        problem_type="not-found",
        field="engagement_id",
    )
    await refused(
        client,
        "POST",
        "/schools/999999/rise-engagements",
        headers=adviser,
        json=START,
        status=404,
        problem_type="not-found",
        field="urn",
    )
    forbidden = await client.post("/schools/118234/rise-engagements", json=START, headers=auth("auditor"))
    assert forbidden.status_code == 403


async def test_the_profiles_rebuilt_from_the_log_equal_the_live_ones(
    client, register, graded, adviser, principal_adviser, settled
):
    await register()
    await client.post("/configuration/stuck-rules", json=RISE_FOR_2012, headers=principal_adviser)
    await client.post(
        "/configuration/report-card-concern-policies", json=URGENT_ONLY, headers=principal_adviser
    )
    await record(
        client,
        adviser,
        "118234",
        graded("30001", "2022-03-09", "inadequate", category_of_concern="serious_weaknesses"),
    )
    await record(client, adviser, "118234", graded("30002", "2024-05-15", "requires_improvement"))
    await record(client, adviser, "118234", report_card("40002", "2026-10-14", achievement="needs_attention"))
    started = await client.post("/schools/118234/rise-engagements", json=START, headers=adviser)
    assert started.status_code == 201, started.text
    await settled()
    pool = client.app.state.pool
    [profiles] = [p for p in read_models(client.app.state.catalogue) if p.name == "schools.profiles"]
    live = {
        table: [dict(r) for r in await pool.fetch(f"SELECT * FROM schools.{table} ORDER BY 1, 2")]
        for table in profiles.tables
    }

    await rebuild(pool, profiles)
    await settled()

    assert live["school_profiles"][0]["rise_engagements"][0]["amount_pence"] == 4500000
    assert live["school_inspections"][-1]["concern_policy_from"] is not None
    for table in profiles.tables:
        assert [dict(r) for r in await pool.fetch(f"SELECT * FROM schools.{table} ORDER BY 1, 2")] == live[
            table
        ]
