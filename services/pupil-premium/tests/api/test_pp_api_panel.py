"""The PP+ panel through the API: the Virtual School Head records approvals, part-approvals,
requests for more information and refusals, with reasons and panel members; a decided request
cannot be decided again, a stale If-Match is refused, and a retried decision is recorded once."""

import pytest

from pp_api import FY, PANEL, URN, approve, budget_events, create_app, given_child, grant, make_request


@pytest.fixture
def teacher(auth):
    return auth("designated_teacher", urn=URN)


async def test_the_panel_approves_part_approves_and_refuses_with_reasons_and_members(
    service_client, auth, teacher
):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        for child in ("C1", "C2", "C3"):
            await given_child(client, child)
        await grant(client, vsh, 500_000)
        r1, r2, r3 = [await make_request(client, teacher, c, 60_000) for c in ("C1", "C2", "C3")]

        approved = await approve(client, vsh, r1)
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
        assert approved.json()["amount_approved_pence"] == 60_000
        part = await client.post(
            f"/budgets/{FY}/requests/{r2}/part-approval",
            json={
                "amount_approved_pence": 40_000,
                "reasons": ["Half a term of tuition"],
                "panel_members": PANEL,
            },
            headers=vsh,
        )
        assert part.json()["status"] == "part_approved"
        assert part.json()["budget_remaining_pence"] == 500_000 - 100_000
        refused = await client.post(
            f"/budgets/{FY}/requests/{r3}/refusal",
            json={"reasons": ["The school's own budget covers this"], "panel_members": PANEL},
            headers=vsh,
        )
        assert refused.json()["status"] == "refused"

        decisions = [e for e in await budget_events(client) if e.event_type.startswith("Request")]
        assert [e.event_type for e in decisions] == [
            "RequestApproved",
            "RequestPartApproved",
            "RequestRefused",
        ]
        assert all(e.data["panel_members"] == PANEL for e in decisions)
        assert decisions[2].data["reasons"] == ["The school's own budget covers this"]
        assert all(e.metadata["role"] == "virtual_school_head" for e in decisions)


async def test_a_decision_on_a_request_already_decided_is_a_conflict_and_writes_nothing(
    service_client, auth, teacher
):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 500_000)
        request_id = await make_request(client, teacher, "C1")
        assert (await approve(client, vsh, request_id)).status_code == 200
        before = len(await budget_events(client))
        for path, body in (
            ("approval", {"panel_members": PANEL}),
            ("refusal", {"reasons": ["Changed our minds"], "panel_members": PANEL}),
            ("part-approval", {"amount_approved_pence": 100, "reasons": ["Less"], "panel_members": PANEL}),
            ("information-request", {"questions": ["Why?"], "panel_members": PANEL}),
        ):
            answer = await client.post(f"/budgets/{FY}/requests/{request_id}/{path}", json=body, headers=vsh)
            assert answer.status_code == 409, answer.text
            assert answer.json()["field"] == "request_id"
            assert "already been decided" in answer.json()["detail"]
        assert len(await budget_events(client)) == before


async def test_bad_decisions_are_refused_naming_the_field(service_client, auth, teacher):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 500_000)
        request_id = await make_request(client, teacher, "C1", 50_000)
        before = len(await budget_events(client))
        base = f"/budgets/{FY}/requests/{request_id}"
        cases = [
            (
                "part-approval",
                {"amount_approved_pence": 60_000, "reasons": ["More"], "panel_members": PANEL},
                422,
                "amount_approved_pence",
            ),
            (
                "part-approval",
                {"amount_approved_pence": 100.5, "reasons": ["Less"], "panel_members": PANEL},
                422,
                "amount_approved_pence",
            ),
            (
                "part-approval",
                {"amount_approved_pence": -1, "reasons": ["Less"], "panel_members": PANEL},
                422,
                "amount_approved_pence",
            ),
            ("refusal", {"reasons": [], "panel_members": PANEL}, 422, "reasons"),
            ("approval", {"panel_members": []}, 422, "panel_members"),
        ]
        for path, body, status, field in cases:
            answer = await client.post(f"{base}/{path}", json=body, headers=vsh)
            assert answer.status_code == status, answer.text
            assert answer.json()["field"] == field
        unknown = await client.post(
            f"/budgets/{FY}/requests/PPR-NOPE/approval", json={"panel_members": PANEL}, headers=vsh
        )
        assert unknown.status_code == 404 and unknown.json()["field"] == "request_id"
        assert len(await budget_events(client)) == before


async def test_only_the_virtual_school_head_decides_and_social_workers_never_approve_money(
    service_client, auth, teacher
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, auth("virtual_school_head"), 500_000)
        request_id = await make_request(client, teacher, "C1")
        before = len(await budget_events(client))
        for role in ("social_worker", "virtual_school_officer", "finance_officer", "auditor"):
            answer = await approve(client, auth(role), request_id)
            assert answer.status_code == 403, role
        assert (await approve(client, teacher, request_id)).status_code == 403
        assert len(await budget_events(client)) == before


async def test_a_decision_against_a_stale_budget_version_is_refused(service_client, auth, teacher):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C2")
        await grant(client, vsh, 500_000)
        r1 = await make_request(client, teacher, "C1")
        seen = await client.get(f"/budgets/{FY}", headers=vsh)
        etag = seen.headers["etag"]
        await make_request(client, teacher, "C2")  # the budget moves on
        stale = await client.post(
            f"/budgets/{FY}/requests/{r1}/approval",
            json={"panel_members": PANEL},
            headers={**vsh, "If-Match": etag},
        )
        assert stale.status_code == 409
        assert stale.json()["field"] == "If-Match"
        current = (await client.get(f"/budgets/{FY}", headers=vsh)).headers["etag"]
        fresh = await client.post(
            f"/budgets/{FY}/requests/{r1}/approval",
            json={"panel_members": PANEL},
            headers={**vsh, "If-Match": current},
        )
        assert fresh.status_code == 200
        assert fresh.headers["etag"] == f'"{int(current.strip(chr(34))) + 1}"'


async def test_a_retried_approval_with_the_same_idempotency_key_is_recorded_once(
    service_client, auth, teacher
):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 500_000)
        request_id = await make_request(client, teacher, "C1")
        headers = {**vsh, "Idempotency-Key": "panel-2026-11-02-item-1"}
        first = await approve(client, headers, request_id)
        again = await approve(client, headers, request_id)
        assert first.status_code == again.status_code == 200
        assert again.json() == first.json()
        approvals = [e for e in await budget_events(client) if e.event_type == "RequestApproved"]
        assert len(approvals) == 1
