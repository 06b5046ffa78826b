"""Requests for PP+ through the API: a designated teacher asks for a child on roll at their school,
against the child's PEP targets; anything else is refused at once, naming the field, and nothing
is written."""

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
    make_request,
    request_body,
    settle,
)
from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL


@pytest.fixture
def teacher(auth):
    return auth("designated_teacher", urn=URN)


async def test_a_designated_teacher_requests_pp_plus_for_a_child_on_roll_at_their_school(
    service_client, auth, teacher, pool
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        answer = await client.post(
            f"/budgets/{FY}/requests", json=request_body("C1", 45_000), headers=teacher
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["status"] == "submitted"
        assert body["school_urn"] == URN
        assert body["amount_requested_pence"] == 45_000
        assert body["targets"] == [
            {"target_id": "C1-T1", "description": "Reading: Read a Year 6 text aloud with fluency"}
        ]
        assert body["pep_id"] == "PEP-C1-1"
        assert answer.headers["location"] == f"/budgets/{FY}/requests/{body['request_id']}"
        assert answer.headers["etag"] == '"1"'

        [recorded] = await budget_events(client)
        assert recorded.event_type == "PupilPremiumPlusRequested"
        assert recorded.data["requested_by"] == "designated_teacher-tester"  # the token's subject
        assert recorded.metadata["actor_urn"] == URN
        assert set(recorded.subjects) == {"child:C1", f"school:{URN}"}

        await settle(client.app)
        record = await client.get(f"/budgets/{FY}/requests/{body['request_id']}", headers=teacher)
        assert record.status_code == 200
        assert record.json()["history"] == [{"on": "2026-11-02", "status": "submitted"}]
        assert record.json()["intervention"] == "Weekly one-to-one reading tuition"
        # Read as the owner: the service itself may only append to the read audit, not read it.
        reads = await pool.fetch("SELECT actor, subject FROM eventlog.record_reads")
        assert [(r["actor"], r["subject"]) for r in reads] == [("designated_teacher-tester", "child:C1")]


async def test_a_designated_teacher_is_refused_a_child_elsewhere_or_unknown_in_the_same_words(
    service_client, teacher
):
    async with service_client(create_app) as client:
        await given_child(client, "C2", urn=OTHER_URN)
        before = await event_count(client)
        answers = [
            await client.post(f"/budgets/{FY}/requests", json=request_body("C2"), headers=teacher),
            await client.post(f"/budgets/{FY}/requests", json=request_body("NOBODY"), headers=teacher),
            await client.post(
                f"/budgets/{FY}/requests", json=request_body("C2", school_urn=OTHER_URN), headers=teacher
            ),
        ]
        for answer in answers:
            assert answer.status_code == 403, answer.text
            assert answer.json()["detail"] == OUTSIDE_SCOPE_DETAIL
            assert answer.json()["field"] == "urn"
            assert "C2" not in answer.text and OTHER_URN not in answer.text
        assert await event_count(client) == before


async def test_a_request_breaking_a_rule_is_refused_naming_the_field_and_nothing_is_written(
    service_client, auth, teacher
):
    officer = auth("virtual_school_officer")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C3", pep_completed_on=None)
        await given_child(client, "C4")
        await make_request(client, teacher, "C1", 30_000)
        before = await event_count(client)
        cases = [
            # negative, fractional, zero and text amounts of money
            (request_body("C1", -100), teacher, 422, "amount_pence"),
            (request_body("C1", 12.5), teacher, 422, "amount_pence"),
            (request_body("C1", 1000.0), teacher, 422, "amount_pence"),
            (request_body("C1", 0), teacher, 422, "amount_pence"),
            (request_body("C1", "500"), teacher, 422, "amount_pence"),
            # the summer term of 2027 belongs to the 2027-28 budget; a term that does not exist
            (request_body("C4", term="summer-2027"), teacher, 422, "term"),
            (request_body("C4", term="winter-2026"), teacher, 422, "term"),
            # a child the log has never heard of, asked for by an officer who may see every school
            (request_body("NOBODY", school_urn=URN), officer, 404, "child_id"),
            # no PEP, no premium
            (request_body("C3"), teacher, 422, "child_id"),
            # another child's target
            (request_body("C4", target_ids=["C1-T1"]), teacher, 422, "target_ids[0]"),
            # more than the 650 pounds a term the default policy allows
            (request_body("C4", 65_001), teacher, 422, "amount_pence"),
            # C1 already has an open request this term
            (request_body("C1", 10_000), teacher, 409, "term"),
            # the actor comes from the token, never from the body
            ({**request_body("C4"), "requested_by": "Someone else"}, teacher, 422, "requested_by"),
        ]
        for body, headers, status, field in cases:
            answer = await client.post(f"/budgets/{FY}/requests", json=body, headers=headers)
            assert answer.status_code == status, (body, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["field"] == field, (body, answer.json())
        bad_year = await client.post("/budgets/2026-28/requests", json=request_body("C4"), headers=teacher)
        assert bad_year.status_code == 422 and bad_year.json()["field"] == "financial_year"
        assert await event_count(client) == before


async def test_the_school_answers_the_panels_questions_and_may_withdraw_before_payment(
    service_client, auth, teacher
):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 1_000_000)
        request_id = await make_request(client, teacher, "C1", 60_000)
        asked = await client.post(
            f"/budgets/{FY}/requests/{request_id}/information-request",
            json={"questions": ["What does the tuition cost an hour?"], "panel_members": PANEL},
            headers=vsh,
        )
        assert asked.json()["status"] == "awaiting_information"
        answered = await client.post(
            f"/budgets/{FY}/requests/{request_id}/more-information",
            json={"information": "35 pounds an hour, 16 hours", "revised_amount_pence": 56_000},
            headers=teacher,
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["status"] == "submitted"
        assert answered.json()["amount_requested_pence"] == 56_000
        approved = await client.post(
            f"/budgets/{FY}/requests/{request_id}/approval", json={"panel_members": PANEL}, headers=vsh
        )
        assert approved.json()["budget_remaining_pence"] == 1_000_000 - 56_000
        withdrawn = await client.post(
            f"/budgets/{FY}/requests/{request_id}/withdrawal",
            json={"reason": "The child's placement is ending"},
            headers=teacher,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "withdrawn"
        assert withdrawn.json()["budget_remaining_pence"] == 1_000_000

        await settle(client.app)
        record = (await client.get(f"/budgets/{FY}/requests/{request_id}", headers=vsh)).json()
        assert [step["status"] for step in record["history"]] == [
            "submitted",
            "awaiting_information",
            "submitted",
            "approved",
            "withdrawn",
        ]
        assert record["information"][0]["amount_pence"] == 56_000
        assert record["withdrawal_reason"] == "The child's placement is ending"


async def test_a_designated_teacher_lists_only_their_own_schools_requests(service_client, auth, teacher):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C2", urn=OTHER_URN)
        mine = await make_request(client, teacher, "C1")
        theirs = await make_request(client, auth("designated_teacher", urn=OTHER_URN), "C2")
        await settle(client.app)

        listed = await client.get(f"/budgets/{FY}/requests", headers=teacher)
        assert [r["request_id"] for r in listed.json()["items"]] == [mine]
        elsewhere = await client.get(f"/budgets/{FY}/requests?school_urn={OTHER_URN}", headers=teacher)
        assert elsewhere.status_code == 403
        other_record = await client.get(f"/budgets/{FY}/requests/{theirs}", headers=teacher)
        assert other_record.status_code == 403
        assert other_record.json()["detail"] == OUTSIDE_SCOPE_DETAIL

        everything = await client.get(f"/budgets/{FY}/requests", headers=auth("virtual_school_officer"))
        assert {r["request_id"] for r in everything.json()["items"]} == {mine, theirs}
        first_page = await client.get(f"/budgets/{FY}/requests?limit=1", headers=auth("auditor"))
        assert [r["request_id"] for r in first_page.json()["items"]] == [mine]
        second_page = await client.get(first_page.json()["next"], headers=auth("auditor"))
        assert [r["request_id"] for r in second_page.json()["items"]] == [theirs]
        assert second_page.json()["next"] is None
