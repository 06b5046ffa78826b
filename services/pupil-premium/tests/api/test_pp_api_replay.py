"""What the event-log service needs to answer "the budget as it stood": ``replay.AGGREGATES`` folds
a budget stream or the settings stream read back from the log, and ``state_to_json`` renders it."""

import json

from pp_api import FY, URN, approve, create_app, given_child, grant, make_request

from pupil_premium.domain.council_config import config_stream_id
from pupil_premium.replay import AGGREGATES, state_to_json


async def folded(store, stream_id: str, **cutoffs):
    initial, evolve, catalogue = AGGREGATES[stream_id.split("-", 1)[0]]
    state = initial
    for record in await store.read_stream(stream_id, **cutoffs):
        state = evolve(state, catalogue.decode(record.event_type, record.schema_version, record.data))
    return json.loads(json.dumps(state_to_json(state)))


async def test_a_budget_and_the_settings_fold_from_the_log_as_they_stood(service_client, auth):
    vsh = auth("virtual_school_head")
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, vsh, 200_000)
        request_id = await make_request(client, auth("designated_teacher", urn=URN), "C1", 50_000)
        store = client.app.state.store
        before_approval = await store.head_position()
        assert (await approve(client, vsh, request_id)).status_code == 200
        await client.post("/settings/rates", json={"financial_year": FY, "rate_pence": 270_000}, headers=vsh)

        now = await folded(store, f"ppbudget-{FY}")
        api = (await client.get(f"/budgets/{FY}", headers=vsh)).json()
        assert {k: now[k] for k in ("grant_pence", "committed_pence", "remaining_pence")} == {
            k: api[k] for k in ("grant_pence", "committed_pence", "remaining_pence")
        }
        assert now["requests"][request_id]["status"] == "approved"
        then = await folded(store, f"ppbudget-{FY}", up_to_position=before_approval)
        assert (then["remaining_pence"], then["requests"][request_id]["status"]) == (200_000, "submitted")

        settings = await folded(store, config_stream_id())
        assert settings["rates_pence"] == {FY: 270_000}
