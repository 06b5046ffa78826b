"""Payments through the API: approved amounts are scheduled in payment runs and marked paid with the
finance reference, and a request is never paid twice - not when a run is retried with the same
Idempotency-Key, nor with a new key and the same items, nor when retries race each other."""

import asyncio
from datetime import date

import pytest

from pp_api import (
    FY,
    URN,
    approve,
    budget_events,
    child_moves_school,
    create_app,
    given_child,
    grant,
    make_request,
    settle,
)
from shared.eventlog.verify import verify_chain


@pytest.fixture
def teacher(auth):
    return auth("designated_teacher", urn=URN)


async def approved_requests(client, auth, teacher, count: int, amount: int = 50_000) -> list[str]:
    vsh = auth("virtual_school_head")
    for n in range(count):
        await given_child(client, f"C{n}", settled=False)
    await settle(client.app)
    await grant(client, vsh, 5_000_000)
    request_ids = [await make_request(client, teacher, f"C{n}", amount) for n in range(count)]
    for request_id in request_ids:
        assert (await approve(client, vsh, request_id)).status_code == 200
    return request_ids


def runs_in(events) -> list:
    return [e for e in events if e.event_type in ("PaymentRunScheduled", "PaymentRunPaid")]


async def test_a_run_is_scheduled_then_paid_with_the_finance_reference(service_client, auth, teacher):
    finance = auth("finance_officer")
    async with service_client(create_app) as client:
        r1, r2 = await approved_requests(client, auth, teacher, 2)
        scheduled = await client.post(
            f"/budgets/{FY}/payment-runs",
            json={"run_id": "RUN-2026-11-A", "request_ids": [r1, r2]},
            headers=finance,
        )
        assert scheduled.status_code == 201, scheduled.text
        assert scheduled.json()["total_pence"] == 100_000
        assert [line["item_id"] for line in scheduled.json()["payments"]] == [r1, r2]
        paid = await client.post(
            f"/budgets/{FY}/payment-runs/RUN-2026-11-A/paid",
            json={"finance_reference": "AP-778812", "paid_on": "2026-11-02"},
            headers=finance,
        )
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "paid"
        budget = (await client.get(f"/budgets/{FY}", headers=finance)).json()
        assert (budget["paid_pence"], budget["committed_pence"]) == (100_000, 0)

        await settle(client.app)
        record = (await client.get(f"/budgets/{FY}/requests/{r1}", headers=finance)).json()
        assert (record["status"], record["finance_reference"], record["paid_on"]) == (
            "paid",
            "AP-778812",
            "2026-11-02",
        )
        runs = (await client.get(f"/budgets/{FY}/payment-runs", headers=auth("auditor"))).json()
        assert [(r["run_id"], r["status"]) for r in runs["items"]] == [("RUN-2026-11-A", "paid")]
        assert runs["next"] is None


async def test_a_retried_payment_run_pays_each_request_once(service_client, auth, teacher):
    finance = auth("finance_officer")
    async with service_client(create_app) as client:
        request_ids = await approved_requests(client, auth, teacher, 3)
        body = {"run_id": "RUN-7", "request_ids": request_ids}
        keyed = {**finance, "Idempotency-Key": "finance-run-7-attempt"}

        first = await client.post(f"/budgets/{FY}/payment-runs", json=body, headers=keyed)
        same_key = await client.post(f"/budgets/{FY}/payment-runs", json=body, headers=keyed)
        new_key = await client.post(
            f"/budgets/{FY}/payment-runs",
            json=body,
            headers={**finance, "Idempotency-Key": "finance-run-7-again"},
        )
        no_key = await client.post(f"/budgets/{FY}/payment-runs", json=body, headers=finance)
        assert first.status_code == 201 and same_key.status_code == 201
        assert new_key.status_code == no_key.status_code == 200  # the same run: nothing new
        assert first.json() == same_key.json() == new_key.json() == no_key.json()

        # Another run naming the same items is refused: they are already in RUN-7.
        other_run = await client.post(
            f"/budgets/{FY}/payment-runs",
            json={"run_id": "RUN-8", "request_ids": request_ids[1:]},
            headers=finance,
        )
        assert other_run.status_code == 409
        assert other_run.json()["field"] == "request_ids[0]"
        unnamed = await client.post(
            f"/budgets/{FY}/payment-runs", json={"request_ids": request_ids}, headers=finance
        )
        assert unnamed.status_code == 409

        paid_body = {"finance_reference": "AP-1001", "paid_on": "2026-11-02"}
        paid = [
            await client.post(f"/budgets/{FY}/payment-runs/RUN-7/paid", json=paid_body, headers=finance)
            for _ in range(3)
        ]
        assert [answer.status_code for answer in paid] == [200, 200, 200]
        other_reference = await client.post(
            f"/budgets/{FY}/payment-runs/RUN-7/paid",
            json={**paid_body, "finance_reference": "AP-1002"},
            headers=finance,
        )
        assert other_reference.status_code == 409 and other_reference.json()["field"] == "finance_reference"
        again_after_paid = await client.post(
            f"/budgets/{FY}/payment-runs",
            json={"run_id": "RUN-9", "request_ids": request_ids[:1]},
            headers=finance,
        )
        assert again_after_paid.status_code == 409
        assert "already been paid" in again_after_paid.json()["detail"]

        events = runs_in(await budget_events(client))
        assert [e.event_type for e in events] == ["PaymentRunScheduled", "PaymentRunPaid"]
        paid_items = [
            line["item_id"] for e in events if e.event_type == "PaymentRunPaid" for line in e.data["payments"]
        ]
        assert sorted(paid_items) == sorted(request_ids)


async def test_concurrent_retries_of_a_payment_run_pay_each_request_once(service_client, auth, teacher):
    finance = auth("finance_officer")
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        request_ids = await approved_requests(client, auth, teacher, 7)
        retried, contested = request_ids[:4], request_ids[4:]

        # Twelve retries of one run at once: the same key, new keys, no key, two officers.
        body = {"run_id": "RUN-RACE", "request_ids": retried}
        url = f"/budgets/{FY}/payment-runs"
        answers = await asyncio.gather(
            *(
                client.post(url, json=body, headers={**finance, "Idempotency-Key": "race-key-1"})
                for _ in range(4)
            ),
            *(
                client.post(url, json=body, headers={**finance, "Idempotency-Key": f"race-new-{n}"})
                for n in range(4)
            ),
            *(client.post(url, json=body, headers=vsh) for _ in range(4)),
        )
        assert all(answer.status_code in (200, 201) for answer in answers), [a.text for a in answers]
        assert {answer.json()["run_id"] for answer in answers} == {"RUN-RACE"}
        assert sorted(answer.status_code for answer in answers).count(201) >= 1

        # Four differently named runs race for the same three items: one wins, the rest are refused.
        competing = await asyncio.gather(
            *(
                client.post(url, json={"run_id": f"RUN-C{n}", "request_ids": contested}, headers=finance)
                for n in range(4)
            ),
            client.post(url, json={"run_id": "RUN-C9", "request_ids": retried}, headers=finance),
        )
        assert sorted(answer.status_code for answer in competing) == [201, 409, 409, 409, 409]
        assert all(a.json()["field"] == "request_ids[0]" for a in competing if a.status_code == 409)
        [winner] = [a.json()["run_id"] for a in competing if a.status_code == 201]

        paid_body = {"finance_reference": "AP-2001", "paid_on": "2026-11-02"}
        payments = await asyncio.gather(
            *(
                client.post(
                    f"{url}/{run_id}/paid",
                    json=paid_body,
                    headers={**finance, "Idempotency-Key": f"paid-{run_id}-{n % 2}"},
                )
                for run_id in ("RUN-RACE", winner)
                for n in range(6)
            )
        )
        assert all(answer.status_code == 200 for answer in payments), [a.text for a in payments]

        events = runs_in(await budget_events(client))
        assert sorted(e.event_type for e in events) == ["PaymentRunPaid"] * 2 + ["PaymentRunScheduled"] * 2
        paid_items = [
            line["item_id"] for e in events if e.event_type == "PaymentRunPaid" for line in e.data["payments"]
        ]
        assert sorted(paid_items) == sorted(request_ids)
        budget = (await client.get(f"/budgets/{FY}", headers=finance)).json()
        assert (budget["paid_pence"], budget["committed_pence"]) == (7 * 50_000, 0)
        await settle(client.app)
        ledger = await client.app.state.pool.fetch(
            "SELECT item_id, amount_pence FROM pupil_premium.ledger_entries WHERE kind = 'payment'"
        )
        assert sorted(row["item_id"] for row in ledger) == sorted(request_ids)
        assert (await verify_chain(client.app.state.pool)).ok


async def test_no_payment_for_a_child_who_has_left_the_school_and_a_cancelled_run_frees_its_items(
    service_client, auth, teacher
):
    finance = auth("finance_officer")
    async with service_client(create_app) as client:
        r0, r1 = await approved_requests(client, auth, teacher, 2)
        cancelled = await client.post(
            f"/budgets/{FY}/payment-runs", json={"run_id": "RUN-X", "request_ids": [r0, r1]}, headers=finance
        )
        assert cancelled.status_code == 201
        cancel = await client.post(
            f"/budgets/{FY}/payment-runs/RUN-X/cancellation",
            json={"reason": "Rejected by the ledger"},
            headers=finance,
        )
        assert cancel.json()["status"] == "cancelled"
        assert cancel.json()["cancellation_reason"] == "Rejected by the ledger"

        await child_moves_school(client, "C1", to_urn="118009", on=date(2026, 10, 30))
        before = len(await budget_events(client))
        refused = await client.post(
            f"/budgets/{FY}/payment-runs", json={"run_id": "RUN-Y", "request_ids": [r0, r1]}, headers=finance
        )
        assert refused.status_code == 422
        assert refused.json()["field"] == "request_ids[1]"
        assert "not on roll" in refused.json()["detail"]
        assert len(await budget_events(client)) == before

        rescheduled = await client.post(
            f"/budgets/{FY}/payment-runs", json={"run_id": "RUN-Y", "request_ids": [r0]}, headers=finance
        )
        assert rescheduled.status_code == 201
        assert rescheduled.json()["total_pence"] == 50_000


async def test_only_finance_records_a_payment(service_client, auth, teacher):
    async with service_client(create_app) as client:
        [r0] = await approved_requests(client, auth, teacher, 1)
        await client.post(
            f"/budgets/{FY}/payment-runs",
            json={"run_id": "RUN-1", "request_ids": [r0]},
            headers=auth("finance_officer"),
        )
        body = {"finance_reference": "AP-1", "paid_on": "2026-11-02"}
        for role in ("virtual_school_head", "social_worker", "virtual_school_officer", "auditor"):
            answer = await client.post(
                f"/budgets/{FY}/payment-runs/RUN-1/paid", json=body, headers=auth(role)
            )
            assert answer.status_code == 403, role
        finance_system = auth("service", scopes=["pupil-premium:write"])
        answer = await client.post(
            f"/budgets/{FY}/payment-runs/RUN-1/paid", json=body, headers=finance_system
        )
        assert answer.status_code == 200, answer.text
        future = await client.post(
            f"/budgets/{FY}/payment-runs/RUN-1/paid",
            json={"finance_reference": "AP-1", "paid_on": "2026-12-01"},
            headers=auth("finance_officer"),
        )
        assert future.status_code == 200  # already paid under AP-1: the same answer, nothing new
