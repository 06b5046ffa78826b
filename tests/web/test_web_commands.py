"""The command path every service shares: load, decide, append - with If-Match, retries on a
concurrent clash, idempotent retries, problem details and the actor taken from the token."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Annotated, ClassVar

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from shared.errors import RuleViolation
from shared.events import Event, EventCatalogue
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.settings import ServiceSettings
from shared.web.app import create_service_app
from shared.web.commands import ServiceLog
from shared.web.context import ContextDep, StoreDep


class Spent(Event):
    event_type: ClassVar[str] = "Spent"
    ledger: str
    amount_pence: int


CATALOGUE = EventCatalogue("ledger", [Spent])


@dataclass(frozen=True)
class Ledger:
    budget_pence: int = 1000
    spent_pence: int = 0


def evolve(state: Ledger, event: Event) -> Ledger:
    assert isinstance(event, Spent)
    return replace(state, spent_pence=state.spent_pence + event.amount_pence)


def decide_spend(state: Ledger, ledger: str, amount: int) -> list[Event]:
    if state.spent_pence + amount > state.budget_pence:
        raise RuleViolation(
            f"{amount} pence is more than the {state.budget_pence - state.spent_pence} pence left",
            field="amount_pence",
        )
    return [Spent(ledger=ledger, amount_pence=amount)]


class SpendCreate(BaseModel):
    amount_pence: int = Field(gt=0)


SPEND = allow(Role.FINANCE_OFFICER, writes=True)


def create_app():
    router = APIRouter()

    @router.post("/ledgers/{ledger}/spend", status_code=201)
    async def spend(
        ledger: str,
        body: SpendCreate,
        principal: Annotated[Principal, Depends(SPEND)],
        ctx: ContextDep,
        store: StoreDep,
        response: Response,
    ) -> dict:
        outcome = await ServiceLog(store, CATALOGUE).execute(
            ctx, f"ledger-{ledger}",
            initial=Ledger(), evolve=evolve,
            decide=lambda state: decide_spend(state, ledger, body.amount_pence),
            operation="spend",
        )
        response.headers["ETag"] = outcome.etag
        return {"spent_pence": outcome.state.spent_pence, "positions": [r.position for r in outcome.recorded]}

    return create_service_app(
        name="ledger", title="Ledger", description="test", settings=ServiceSettings(),
        catalogue=CATALOGUE, routers=[router],
    )


async def test_concurrent_spends_never_exceed_the_budget(service_client, auth, store):
    async with service_client(create_app) as client:
        headers = auth("finance_officer")
        answers = await asyncio.gather(
            *[client.post("/ledgers/L1/spend", json={"amount_pence": 300}, headers=headers) for _ in range(8)]
        )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 201, 201, 422, 422, 422, 422, 422]
    events = await store.read_stream("ledger-L1")
    assert sum(e.data["amount_pence"] for e in events) == 900


async def test_a_stale_if_match_is_refused_with_409_and_nothing_is_written(service_client, auth, store):
    async with service_client(create_app) as client:
        headers = auth("finance_officer")
        first = await client.post("/ledgers/L2/spend", json={"amount_pence": 100}, headers=headers)
        assert first.headers["etag"] == '"1"'
        await client.post("/ledgers/L2/spend", json={"amount_pence": 100}, headers=headers)
        stale = await client.post(
            "/ledgers/L2/spend", json={"amount_pence": 100}, headers={**headers, "If-Match": '"1"'}
        )
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["field"] == "If-Match"
    assert len(await store.read_stream("ledger-L2")) == 2


async def test_a_retried_request_with_the_same_idempotency_key_is_answered_as_the_first(
    service_client, auth, store
):
    async with service_client(create_app) as client:
        headers = {**auth("finance_officer"), "Idempotency-Key": "spend-0001-abc"}
        first = await client.post("/ledgers/L3/spend", json={"amount_pence": 700}, headers=headers)
        again = await client.post("/ledgers/L3/spend", json={"amount_pence": 700}, headers=headers)
    # The second would be refused (700 + 700 > 1000) if it were decided again; it is not.
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len(await store.read_stream("ledger-L3")) == 1


async def test_the_actor_is_taken_from_the_token_and_bad_input_names_the_field(service_client, auth, store):
    async with service_client(create_app) as client:
        headers = auth("finance_officer", sub="fo-jane")
        bad = await client.post("/ledgers/L4/spend", json={"amount_pence": -5}, headers=headers)
        assert bad.status_code == 422
        assert bad.json()["field"] == "amount_pence"
        assert await store.read_stream("ledger-L4") == []

        await client.post("/ledgers/L4/spend", json={"amount_pence": 5}, headers=headers)
    [event] = await store.read_stream("ledger-L4")
    assert event.metadata["actor"] == "fo-jane"
    assert event.metadata["role"] == "finance_officer"
    assert event.metadata["service"] == "ledger"
