"""Money is never moved silently under a reused Idempotency-Key: the same key with another amount
is refused, while a true retry gets the first answer and moves nothing twice."""

from pp_api import FY, budget_events, create_app, given_child, grant


async def test_a_top_slice_retried_under_its_key_with_another_amount_is_refused(service_client, auth):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 100_000)
        headers = {**vsh, "Idempotency-Key": "top-slice-arts-0001"}
        body = {"name": "Arts awards", "purpose": "Arts Award for every child in Year 7", "amount_pence": 30_000}
        first = await client.post(f"/budgets/{FY}/top-slices", json=body, headers=headers)
        assert first.status_code == 201, first.text

        retried = await client.post(f"/budgets/{FY}/top-slices", json=body, headers=headers)
        assert retried.status_code == 201 and retried.json() == first.json()

        changed = await client.post(
            f"/budgets/{FY}/top-slices", json={**body, "amount_pence": 45_000}, headers=headers
        )
        assert changed.status_code == 422, changed.text
        assert changed.headers["content-type"].startswith("application/problem+json")
        assert changed.json()["field"] == "Idempotency-Key"

        slices = [e for e in await budget_events(client) if "top_slice_id" in e.data]
        assert [e.data["amount_pence"] for e in slices] == [30_000]
