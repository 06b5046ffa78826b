"""Approvals never exceed the budget, even when many are made at the same moment (domain.md
section 3): 30 approvals of 600 pounds race for a balance of 10,000 pounds through the API, on the
real event log. Each is decided against the budget stream at the version it read; a clash is
decided again against the new balance, so exactly 16 fit and the other 14 are refused cleanly."""

import asyncio

from pp_api import FY, PANEL, approve, budget_events, create_app, given_child, grant, make_request, settle
from shared.errors import DomainError
from shared.eventlog.store import EventStore
from shared.eventlog.verify import verify_chain
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.testing.clashes import count_clashes
from shared.web.commands import ServiceLog
from shared.web.context import CommandContext

from pupil_premium.domain.budget_state import fold
from pupil_premium.domain.events import PUPIL_PREMIUM_EVENTS
from pupil_premium.handlers import panel
from pupil_premium.wiring import PupilPremium


async def test_thirty_concurrent_approvals_of_600_pounds_never_spend_more_than_10000(service_client, auth):
    vsh = auth("virtual_school_head")
    teachers = {urn: auth("designated_teacher", urn=urn) for urn in ("118000", "118002", "118003")}
    async with service_client(create_app) as client:
        children = [(f"C{n:02d}", list(teachers)[n % 3]) for n in range(30)]
        for child_id, urn in children:
            await given_child(client, child_id, urn=urn, settled=False)
        await settle(client.app)
        await grant(client, vsh, 1_200_000)
        top_slice = await client.post(
            f"/budgets/{FY}/top-slices",
            json={"name": "Tutoring", "purpose": "Central tutoring contract", "amount_pence": 200_000},
            headers=vsh,
        )
        assert top_slice.status_code == 201
        request_ids = [await make_request(client, teachers[urn], child, 60_000) for child, urn in children]

        answers = await asyncio.gather(*(approve(client, vsh, request_id) for request_id in request_ids))

        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200] * 16 + [422] * 14, statuses
        for answer in answers:
            if answer.status_code == 422:
                assert answer.headers["content-type"] == "application/problem+json"
                assert "would overspend the budget" in answer.json()["detail"]
                assert answer.json()["field"] == "request_id"

        events = [
            PUPIL_PREMIUM_EVENTS.decode(e.event_type, e.schema_version, e.data)
            for e in await budget_events(client)
        ]
        approvals = [e for e in events if e.event_type == "RequestApproved"]
        assert len(approvals) == 16
        assert sum(e.amount_approved_pence for e in approvals) == 960_000 <= 1_000_000
        budget = fold(events)
        assert budget.remaining_pence == 40_000
        assert sum(1 for r in budget.requests.values() if r.is_open) == 14

        position = await client.get(f"/budgets/{FY}", headers=vsh)
        assert position.json()["remaining_pence"] == 40_000
        assert position.json()["committed_pence"] == 960_000
        await settle(client.app)
        ledger = (await client.get(f"/budgets/{FY}/position", headers=vsh)).json()
        assert (ledger["grant_pence"], ledger["top_sliced_pence"], ledger["remaining_pence"]) == (
            1_200_000,
            200_000,
            40_000,
        )
        assert (await verify_chain(client.app.state.pool)).ok


async def given_thirty_requests_against_10000_pounds(client, auth) -> list[str]:
    """Thirty requests of 600 pounds, each for its own child; 10,000 pounds left to approve."""
    vsh = auth("virtual_school_head")
    teacher = auth("designated_teacher", urn="118000")
    children = [f"C{n:02d}" for n in range(30)]
    for child_id in children:
        await given_child(client, child_id, settled=False)
    await settle(client.app)
    await grant(client, vsh, 1_000_000)
    return [await make_request(client, teacher, child_id, 60_000) for child_id in children]


async def test_approvals_at_the_same_moment_in_one_service_take_turns_without_a_clash(service_client, auth):
    """The service queues commands on the year's budget instead of letting them race: none is
    decided twice, and still exactly those that fit are approved."""
    async with service_client(create_app) as client:
        request_ids = await given_thirty_requests_against_10000_pounds(client, auth)
        clashes = count_clashes(client.app.state.store)
        vsh = auth("virtual_school_head")

        answers = await asyncio.gather(*(approve(client, vsh, request_id) for request_id in request_ids))

        assert sorted(a.status_code for a in answers) == [200] * 16 + [422] * 14
        assert clashes == []
        approvals = [e for e in await budget_events(client) if e.event_type == "RequestApproved"]
        assert sum(e.data["amount_approved_pence"] for e in approvals) == 960_000


async def test_approvals_racing_in_two_services_never_overspend(service_client, auth, clock):
    """Two replicas of the service (two event stores, each with its own kept budget) approve at
    once against one budget: a clash between them is decided again against the other's
    approvals, so no more is approved than there is."""
    async with service_client(create_app) as client:
        request_ids = await given_thirty_requests_against_10000_pounds(client, auth)
        state = client.app.state
        other_store = EventStore(state.pool)
        other_store.start()
        try:
            replica = PupilPremium(log=ServiceLog(other_store, state.catalogue), pool=state.pool, clock=clock)
            vsh = auth("virtual_school_head")

            async def by_the_replica(request_id: str) -> int:
                ctx = CommandContext(
                    service="pupil-premium",
                    principal=Principal(subject="vsh-replica", role=Role.VIRTUAL_SCHOOL_HEAD),
                    request_id=f"req-{request_id}",
                    correlation_id=f"corr-{request_id}",
                    now=clock.now(),
                    today=clock.today(),
                )
                try:
                    await panel.approve(replica, ctx, FY, request_id, {"panel_members": PANEL})
                    return 200
                except DomainError:
                    return 422

            async def by_the_service(request_id: str) -> int:
                return (await approve(client, vsh, request_id)).status_code

            answers = await asyncio.gather(
                *(
                    (by_the_replica if n % 2 else by_the_service)(request_id)
                    for n, request_id in enumerate(request_ids)
                )
            )
        finally:
            await other_store.close()

        assert sorted(answers) == [200] * 16 + [422] * 14
        events = [
            PUPIL_PREMIUM_EVENTS.decode(e.event_type, e.schema_version, e.data)
            for e in await budget_events(client)
        ]
        budget = fold(events)
        assert budget.approved_pence == 960_000
        assert budget.remaining_pence == 40_000
        assert (await verify_chain(state.pool)).ok
