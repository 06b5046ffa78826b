"""Each family of Pupil Premium Plus refusals answers with its own problem type, so a school's or
the finance system's software tells them apart without reading the prose; and a refused request
records nothing."""

import pytest

from pp_api import FY, OTHER_URN, URN, approve, create_app, given_child, grant, make_request, request_body
from shared.testing.problems import refused


@pytest.fixture
def teacher(auth):
    return auth("designated_teacher", urn=URN)


@pytest.fixture
def vsh(auth):
    return auth("virtual_school_head")


@pytest.fixture
def finance(auth):
    return auth("finance_officer")


async def test_a_request_for_a_child_without_a_completed_pep_is_no_pep_no_premium(service_client, teacher):
    async with service_client(create_app) as client:
        await given_child(client, "C1", pep_completed_on=None)

        problem = await refused(
            client, "POST", f"/budgets/{FY}/requests", headers=teacher, json=request_body("C1"),
            status=422, problem_type="no-pep-no-premium", field="child_id",
        )
        assert problem["detail"].startswith("no PEP, no premium")


async def test_a_request_naming_a_school_the_child_is_not_on_roll_at_is_refused_as_not_on_roll(
    service_client, auth
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")

        problem = await refused(
            client, "POST", f"/budgets/{FY}/requests", headers=auth("virtual_school_officer"),
            json=request_body("C1", school_urn=OTHER_URN),
            status=422, problem_type="not-on-roll", field="school_urn",
        )
        assert f"is not on roll at school {OTHER_URN}" in problem["detail"]


async def test_a_request_over_the_termly_cap_is_outside_the_devolution_policy(service_client, teacher):
    async with service_client(create_app) as client:
        await given_child(client, "C1")

        problem = await refused(
            client, "POST", f"/budgets/{FY}/requests", headers=teacher, json=request_body("C1", 65_001),
            status=422, problem_type="outside-devolution-policy", field="amount_pence",
        )
        assert "at most 650.00 pounds per child in a term" in problem["detail"]


async def test_a_second_open_request_for_the_child_and_term_is_refused_as_already_open(
    service_client, teacher
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        first = await make_request(client, teacher, "C1", 20_000)

        problem = await refused(
            client, "POST", f"/budgets/{FY}/requests", headers=teacher, json=request_body("C1", 20_000),
            status=409, problem_type="request-already-open", field="term",
        )
        assert problem["detail"].startswith(f"request {first} for C1")


async def test_an_approval_the_budget_cannot_cover_is_refused_as_budget_exceeded(
    service_client, teacher, vsh
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        request_id = await make_request(client, teacher, "C1", 50_000)
        approval = {"panel_members": ["Virtual School Head"]}
        path = f"/budgets/{FY}/requests/{request_id}/approval"

        no_grant = await refused(
            client, "POST", path, headers=vsh, json=approval,
            status=422, problem_type="budget-exceeded", field="request_id",
        )
        assert "no grant is recorded" in no_grant["detail"]
        await grant(client, vsh, 40_000)
        overspend = await refused(
            client, "POST", path, headers=vsh, json=approval,
            status=422, problem_type="budget-exceeded", field="request_id",
        )
        assert "would overspend the budget: 400.00 pounds remains" in overspend["detail"]


async def test_a_decision_on_a_request_already_decided_is_refused_by_its_stage(service_client, teacher, vsh):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 1_000_000)
        request_id = await make_request(client, teacher, "C1", 50_000)
        assert (await approve(client, vsh, request_id)).status_code == 200

        problem = await refused(
            client, "POST", f"/budgets/{FY}/requests/{request_id}/refusal", headers=vsh,
            json={"panel_members": ["Virtual School Head"], "reasons": ["changed our minds"]},
            status=409, problem_type="funding-stage", field="request_id",
        )
        assert problem["detail"] == f"request {request_id} has already been decided (approved)"


async def test_a_payment_run_paying_a_request_twice_or_one_not_approved_is_refused(
    service_client, teacher, vsh, finance
):
    async with service_client(create_app) as client:
        await given_child(client, "C1", settled=False)
        await given_child(client, "C2")
        await grant(client, vsh, 1_000_000)
        approved = await make_request(client, teacher, "C1", 50_000)
        assert (await approve(client, vsh, approved)).status_code == 200
        submitted = await make_request(client, teacher, "C2", 50_000)
        runs = f"/budgets/{FY}/payment-runs"
        first = await client.post(runs, json={"run_id": "RUN-A", "request_ids": [approved]}, headers=finance)
        assert first.status_code == 201, first.text

        twice = await refused(
            client, "POST", runs, headers=finance, json={"run_id": "RUN-B", "request_ids": [approved]},
            status=409, problem_type="already-in-payment-run", field="request_ids[0]",
        )
        assert twice["detail"] == f"request {approved} is already in payment run RUN-A"
        unapproved = await refused(
            client, "POST", runs, headers=finance, json={"run_id": "RUN-C", "request_ids": [submitted]},
            status=422, problem_type="not-approved-for-payment", field="request_ids[0]",
        )
        assert unapproved["detail"] == f"request {submitted} is submitted, not approved"


async def test_a_grant_from_the_census_for_a_year_without_a_rate_is_refused_as_no_rate(service_client, vsh):
    async with service_client(create_app) as client:
        await given_child(client, "C1")

        problem = await refused(
            client, "POST", f"/budgets/{FY}/grant/census", headers=vsh, json={"census_date": "2026-03-31"},
            status=422, problem_type="no-rate-for-year", field="financial_year",
        )
        assert problem["detail"].startswith(f"no PP+ rate is recorded for {FY}")
