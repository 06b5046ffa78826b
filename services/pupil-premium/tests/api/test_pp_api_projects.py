"""School projects through the API: a designated teacher proposes pooled PP+ for looked-after
children on roll at their school, with a plan and milestones; the panel approves it against the
budget; milestones are recorded as met; it is paid in a payment run like a request."""

import pytest

from pp_api import (
    FY,
    OTHER_URN,
    PANEL,
    URN,
    budget_events,
    create_app,
    event_count,
    given_child,
    grant,
    settle,
)
from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL


def project_body(**overrides):
    return {
        "title": "Nurture group",
        "plan": "A nurture group run twice weekly by a trained mentor",
        "child_ids": ["C1", "C2", "C3"],
        "milestones": [
            {"milestone_id": "M1", "description": "Mentor trained", "due_on": "2026-12-01"},
            {"milestone_id": "M2", "description": "First cohort review", "due_on": "2027-02-12"},
        ],
        "amount_pence": 300_000,
        **overrides,
    }


@pytest.fixture
def teacher(auth):
    return auth("designated_teacher", urn=URN)


async def test_a_project_is_proposed_approved_followed_and_paid(service_client, auth, teacher):
    vsh, finance = auth("virtual_school_head"), auth("finance_officer")
    async with service_client(create_app) as client:
        for child in ("C1", "C2", "C3"):
            await given_child(client, child, settled=False)
        await settle(client.app)
        await grant(client, vsh, 1_000_000)
        proposed = await client.post(f"/budgets/{FY}/projects", json=project_body(), headers=teacher)
        assert proposed.status_code == 201, proposed.text
        project_id = proposed.json()["project_id"]
        assert proposed.json()["school_urn"] == URN and proposed.json()["status"] == "proposed"

        less_without_reasons = await client.post(
            f"/budgets/{FY}/projects/{project_id}/approval",
            json={"amount_approved_pence": 250_000, "panel_members": PANEL},
            headers=vsh,
        )
        assert less_without_reasons.status_code == 422 and less_without_reasons.json()["field"] == "reasons"
        approved = await client.post(
            f"/budgets/{FY}/projects/{project_id}/approval",
            json={
                "amount_approved_pence": 250_000,
                "reasons": ["Mentor costs shared"],
                "panel_members": PANEL,
            },
            headers=vsh,
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["budget_remaining_pence"] == 750_000
        again = await client.post(
            f"/budgets/{FY}/projects/{project_id}/refusal",
            json={"reasons": ["No"], "panel_members": PANEL},
            headers=vsh,
        )
        assert again.status_code == 409 and again.json()["field"] == "project_id"

        met = await client.post(
            f"/budgets/{FY}/projects/{project_id}/milestones/M1/met",
            json={"met_on": "2026-11-02", "evidence": "Training certificate"},
            headers=teacher,
        )
        assert met.status_code == 200, met.text
        assert [m["met"] for m in met.json()["milestones"]] == [True, False]
        future = await client.post(
            f"/budgets/{FY}/projects/{project_id}/milestones/M2/met",
            json={"met_on": "2027-01-01", "evidence": "Review notes"},
            headers=teacher,
        )
        assert future.status_code == 422 and future.json()["field"] == "met_on"

        run = await client.post(
            f"/budgets/{FY}/payment-runs",
            json={"run_id": "RUN-P", "project_ids": [project_id]},
            headers=finance,
        )
        assert run.status_code == 201
        assert run.json()["payments"][0]["child_ids"] == ["C1", "C2", "C3"]
        await client.post(
            f"/budgets/{FY}/payment-runs/RUN-P/paid",
            json={"finance_reference": "AP-77", "paid_on": "2026-11-02"},
            headers=finance,
        )

        await settle(client.app)
        listed = (await client.get(f"/budgets/{FY}/projects", headers=teacher)).json()
        assert [(p["project_id"], p["status"], p["amount_approved_pence"]) for p in listed["items"]] == [
            (project_id, "paid", 250_000)
        ]
        record = (await client.get(f"/budgets/{FY}/projects/{project_id}", headers=auth("auditor"))).json()
        assert record["milestones"][0]["evidence"] == "Training certificate"
        assert record["run_id"] == "RUN-P" and record["paid_on"] == "2026-11-02"
        other_teacher = auth("designated_teacher", urn=OTHER_URN)
        assert (await client.get(f"/budgets/{FY}/projects", headers=other_teacher)).json()["items"] == []
        refused = await client.get(f"/budgets/{FY}/projects/{project_id}", headers=other_teacher)
        assert refused.status_code == 403 and refused.json()["detail"] == OUTSIDE_SCOPE_DETAIL


async def test_a_project_for_children_not_on_roll_at_the_teachers_school_is_refused(
    service_client, auth, teacher
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C2")
        await given_child(client, "C9", urn=OTHER_URN)
        before = await event_count(client)
        elsewhere = await client.post(
            f"/budgets/{FY}/projects", json=project_body(child_ids=["C1", "C9"]), headers=teacher
        )
        assert elsewhere.status_code == 403 and elsewhere.json()["detail"] == OUTSIDE_SCOPE_DETAIL
        other_school = await client.post(
            f"/budgets/{FY}/projects",
            json=project_body(child_ids=["C1", "C2"], school_urn=OTHER_URN),
            headers=teacher,
        )
        assert other_school.status_code == 403
        too_few = await client.post(
            f"/budgets/{FY}/projects", json=project_body(child_ids=["C1"]), headers=teacher
        )
        assert too_few.status_code == 422 and too_few.json()["field"] == "child_ids"
        past_milestone = await client.post(
            f"/budgets/{FY}/projects",
            json=project_body(
                child_ids=["C1", "C2"],
                milestones=[{"milestone_id": "M1", "description": "Done already", "due_on": "2026-10-01"}],
            ),
            headers=teacher,
        )
        assert past_milestone.status_code == 422 and past_milestone.json()["field"] == "milestones[0].due_on"
        assert await event_count(client) == before
        assert not await budget_events(client)
