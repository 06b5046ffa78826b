"""The budget and the council's settings through the API: the grant from the census (the rate for
the year times the children the log says were looked after) or from the grant letter, top-slices
for central provision, the position on any date, and the rates, devolution policy and term dates
the Virtual School Head sets."""


import pytest
from pp_api import (
    FY,
    URN,
    approve,
    budget_events,
    create_app,
    event_count,
    given_child,
    grant,
    make_request,
    settle,
)
from pupil_premium.domain.council_config import config_stream_id

from shared.testing.calendar import set_term_dates


@pytest.fixture
def vsh(auth):
    return auth("virtual_school_head")


async def test_the_grant_from_the_census_is_the_years_rate_times_the_children_looked_after(
    service_client, auth, vsh
):
    async with service_client(create_app) as client:
        for n in range(3):
            await given_child(client, f"C{n}", settled=False)
        await settle(client.app)
        body = {"census_date": "2026-03-31"}
        no_rate = await client.post(f"/budgets/{FY}/grant/census", json=body, headers=vsh)
        assert no_rate.status_code == 422
        assert no_rate.json()["field"] == "financial_year"
        assert "no PP+ rate" in no_rate.json()["detail"]

        rate = await client.post(
            "/settings/rates", json={"financial_year": FY, "rate_pence": 270_000}, headers=vsh
        )
        assert rate.status_code == 200, rate.text
        assert {"financial_year": FY, "rate_pence": 270_000} in rate.json()["rates"]

        counted = await client.post(f"/budgets/{FY}/grant/census", json=body, headers=vsh)
        assert counted.status_code == 200, counted.text
        assert counted.json()["grant_pence"] == 3 * 270_000
        given = await client.post(
            f"/budgets/{FY}/grant/census",
            json={**body, "looked_after_children": 389},
            headers=auth("finance_officer"),
        )
        assert given.json()["grant_pence"] == 389 * 270_000
        [first, second] = [e.data for e in await budget_events(client)]
        assert (first["looked_after_children"], first["rate_pence"]) == (3, 270_000)
        assert second["looked_after_children"] == 389

        # Children who entered care after the census date do not count.
        before_care = await client.post(
            "/budgets/2024-25/grant/census", json={"census_date": "2024-03-31"}, headers=vsh
        )
        assert before_care.json()["grant_pence"] == 0


async def test_top_slices_come_out_of_the_same_balance_as_approvals(service_client, auth, vsh):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 100_000)
        sliced = await client.post(
            f"/budgets/{FY}/top-slices",
            json={
                "name": "Arts awards",
                "purpose": "Arts Award for every child in Year 7",
                "amount_pence": 60_000,
            },
            headers=vsh,
        )
        assert sliced.status_code == 201, sliced.text
        top_slice_id = sliced.json()["top_slice_id"]
        too_much = await client.post(
            f"/budgets/{FY}/top-slices",
            json={"name": "Training", "purpose": "Designated teacher training", "amount_pence": 40_001},
            headers=vsh,
        )
        assert too_much.status_code == 422 and too_much.json()["field"] == "amount_pence"

        request_id = await make_request(client, auth("designated_teacher", urn=URN), "C1", 45_000)
        refused = await approve(client, vsh, request_id)
        assert (
            refused.status_code == 422
            and "40000" not in refused.text
            and "400.00 pounds remains" in refused.text
        )
        amended = await client.post(
            f"/budgets/{FY}/top-slices/{top_slice_id}/amendments",
            json={"amount_pence": 50_000, "reason": "Fewer children took part"},
            headers=vsh,
        )
        assert amended.status_code == 200, amended.text
        assert (await approve(client, vsh, request_id)).status_code == 200

        budget = await client.get(f"/budgets/{FY}", headers=auth("social_worker"))
        assert budget.status_code == 200
        assert {
            k: budget.json()[k]
            for k in ("grant_pence", "top_sliced_pence", "committed_pence", "paid_pence", "remaining_pence")
        } == {
            "grant_pence": 100_000,
            "top_sliced_pence": 50_000,
            "committed_pence": 45_000,
            "paid_pence": 0,
            "remaining_pence": 5_000,
        }
        assert budget.headers["etag"] == f'"{len(await budget_events(client))}"'
        assert (
            await client.get(f"/budgets/{FY}", headers=auth("designated_teacher", urn=URN))
        ).status_code == 403

        lower_grant = await client.post(
            f"/budgets/{FY}/grant/letter",
            json={"letter_reference": "Revised", "letter_date": "2026-10-01", "grant_pence": 90_000},
            headers=vsh,
        )
        assert lower_grant.status_code == 422 and lower_grant.json()["field"] == "grant_pence"

        await settle(client.app)
        june = await client.get(f"/budgets/{FY}/position?as_of=2026-06-30", headers=auth("auditor"))
        assert june.json()["grant_pence"] == 100_000 and june.json()["committed_pence"] == 0
        today = (await client.get(f"/budgets/{FY}/position", headers=auth("auditor"))).json()
        assert (today["top_sliced_pence"], today["remaining_pence"]) == (50_000, 5_000)
        assert today["top_slices"] == [
            {"top_slice_id": top_slice_id, "name": "Arts awards", "amount_pence": 50_000}
        ]


async def test_bad_budget_input_is_refused_naming_the_field_and_writes_nothing(service_client, auth, vsh):
    async with service_client(create_app) as client:
        before = await event_count(client)
        letter = {"letter_reference": "DfE", "letter_date": "2026-06-12", "grant_pence": 100}
        cases = [
            (f"/budgets/{FY}/grant/letter", {**letter, "grant_pence": -1}, "grant_pence"),
            (f"/budgets/{FY}/grant/letter", {**letter, "grant_pence": 99.99}, "grant_pence"),
            (f"/budgets/{FY}/grant/letter", {**letter, "letter_date": "2026-12-01"}, "letter_date"),
            ("/budgets/2026/grant/letter", letter, "financial_year"),
            (
                f"/budgets/{FY}/grant/census",
                {"census_date": "2027-04-01", "looked_after_children": 3},
                "census_date",
            ),
            (
                f"/budgets/{FY}/grant/census",
                {"census_date": "2026-03-31", "looked_after_children": -3},
                "looked_after_children",
            ),
            (f"/budgets/{FY}/top-slices", {"name": "X", "purpose": "Y", "amount_pence": 0}, "amount_pence"),
        ]
        for path, body, field in cases:
            answer = await client.post(path, json=body, headers=vsh)
            assert answer.status_code == 422, (path, body, answer.text)
            assert answer.json()["field"] == field
        missing = await client.get(f"/budgets/{FY}", headers=vsh)
        assert missing.status_code == 404
        assert await event_count(client) == before


async def test_the_devolution_policy_adopted_applies_to_requests_made_from_its_date(
    service_client, auth, vsh
):
    teacher = auth("designated_teacher", urn=URN)
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C2")
        over_default_cap = await client.post(
            f"/budgets/{FY}/requests",
            json={
                "child_id": "C1",
                "term": "autumn-2026",
                "amount_pence": 70_000,
                "target_ids": ["C1-T1"],
                "intervention_type": "tutoring",
                "intervention": "Tuition",
            },
            headers=teacher,
        )
        assert over_default_cap.status_code == 422 and over_default_cap.json()["field"] == "amount_pence"

        past = await client.post(
            "/settings/devolution-policies",
            json={"effective_from": "2026-09-01", "policy": {"model": "bands"}},
            headers=vsh,
        )
        assert past.status_code == 422 and past.json()["field"] == "effective_from"
        unknown_model = await client.post(
            "/settings/devolution-policies",
            json={"effective_from": "2026-11-02", "policy": {"model": "lottery"}},
            headers=vsh,
        )
        assert unknown_model.status_code == 422 and unknown_model.json()["field"].startswith("policy")
        adopted = await client.post(
            "/settings/devolution-policies",
            json={
                "effective_from": "2026-11-02",
                "policy": {"model": "capped_termly_requests", "termly_cap_pence": 80_000},
            },
            headers=vsh,
        )
        assert adopted.status_code == 200, adopted.text
        assert (
            adopted.json()["policy_in_force"] == "requests against PEP targets of up to 800.00 pounds a term"
        )

        request_id = await make_request(client, teacher, "C1", 70_000)
        [requested] = [e for e in await budget_events(client) if e.data.get("request_id") == request_id]
        assert requested.data["policy"] == "requests against PEP targets of up to 800.00 pounds a term"
        assert (
            await client.post(
                "/settings/rates",
                json={"financial_year": FY, "rate_pence": 1},
                headers=auth("finance_officer"),
            )
        ).status_code == 403


async def test_the_council_calendars_term_dates_replace_the_default_terms(service_client, auth, vsh):
    """Term dates are set once for every service (the schools service keeps the council calendar);
    this service names its terms by them as soon as they are in the log."""
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        settings = (await client.get("/settings", headers=auth("auditor"))).json()
        assert {
            "term": "autumn-2026",
            "name": "Autumn 2026",
            "starts_on": "2026-09-01",
            "ends_on": "2026-12-31",
            "financial_year": FY,
        } in settings["terms"]
        app = client.app
        await set_term_dates(
            app.state.store,
            2026,
            {
                "council": "Medway",
                "autumn": {"start": "2026-09-03", "end": "2026-12-18"},
                "spring": {"start": "2027-01-05", "end": "2027-03-26"},
                "summer": {"start": "2027-04-12", "end": "2027-07-21"},
            },
            set_on=app.state.clock.today(),
        )
        settings = (await client.get("/settings", headers=auth("auditor"))).json()
        assert {
            "term": "autumn-2026",
            "name": "Autumn 2026",
            "starts_on": "2026-09-03",
            "ends_on": "2026-12-18",
            "financial_year": FY,
        } in settings["terms"]
        assert {t["term"]: t["ends_on"] for t in settings["terms"]}["spring-2027"] == "2027-03-26"
        typed_here = await client.post("/settings/term-dates", json={"academic_year": 2026}, headers=vsh)
        assert typed_here.status_code == 404
        assert await app.state.store.read_stream(config_stream_id()) == []
