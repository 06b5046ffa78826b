"""Impact through the API: when the pep service completes the child's next PEP, the outcome its
review gave each funded target is linked to the spend - once, however often the completion is
read again - and the impact report evaluates spend against outcomes by child, school and kind of
intervention."""

import csv
import io
from datetime import date, datetime, timezone

from pep.domain.targets import TargetStatus
from pp_api import (
    FY,
    URN,
    approve,
    budget_events,
    create_app,
    given_child,
    grant,
    make_request,
    next_review_completed,
    settle,
)
from shared.eventlog.subscriptions import Subscription

from pupil_premium.policies import ImpactAtNextReview


async def funded(
    client, auth, child_id: str, amount: int, *, intervention_type: str = "tutoring", urn: str = URN
) -> str:
    request_id = await make_request(
        client,
        auth("designated_teacher", urn=urn),
        child_id,
        amount,
        target_ids=[f"{child_id}-T1", f"{child_id}-T2"],
        intervention_type=intervention_type,
    )
    assert (await approve(client, auth("virtual_school_head"), request_id)).status_code == 200
    return request_id


PANEL_DAY = datetime(2026, 10, 26, 10, tzinfo=timezone.utc)
REVIEW_DAY = datetime(2026, 11, 2, 10, tzinfo=timezone.utc)


async def test_the_next_review_links_the_funded_targets_outcomes_to_the_spend_once(
    service_client, auth, clock
):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, auth("virtual_school_head"), 1_000_000)
        clock.set(PANEL_DAY)
        request_id = await funded(client, auth, "C1", 40_000)
        clock.set(REVIEW_DAY)

        await next_review_completed(
            client,
            "C1",
            progress={"T1": TargetStatus.ACHIEVED, "T2": TargetStatus.BEHIND},
            on=date(2026, 11, 2),
        )
        impacts = [e for e in await budget_events(client) if e.event_type == "ImpactRecorded"]
        assert len(impacts) == 1
        impact = impacts[0]
        assert impact.data["request_id"] == request_id
        assert impact.data["spend_pence"] == 40_000
        assert impact.data["paid"] is False
        assert [(o["target_id"], o["outcome"]) for o in impact.data["outcomes"]] == [
            ("C1-T1", "achieved"),
            ("C1-T2", "behind"),
        ]
        assert impact.metadata["actor"] == "pupil-premium impact policy"
        completion = (await client.app.state.store.read_stream("pep-C1"))[-1]
        assert impact.metadata["causation_id"] == str(completion.position)
        assert impact.effective_date == date(2026, 11, 2)

        # The completion read again (a subscription replaying after a crash) adds nothing.
        policy = next(
            s.projection for s in client.app.state.subscriptions if s.name == ImpactAtNextReview.name
        )
        await policy.apply(None, completion)
        pool = client.app.state.pool
        await pool.execute(
            "UPDATE pupil_premium.subscription_checkpoints SET position = 0 WHERE name = $1", policy.name
        )
        await Subscription(pool, policy).catch_up()
        assert len([e for e in await budget_events(client) if e.event_type == "ImpactRecorded"]) == 1

        await settle(client.app)
        record = (await client.get(f"/budgets/{FY}/requests/{request_id}", headers=auth("auditor"))).json()
        assert record["impact_recorded_on"] == "2026-11-02"


async def test_a_request_decided_after_the_review_waits_for_the_next_one(service_client, auth):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await grant(client, auth("virtual_school_head"), 1_000_000)
        await next_review_completed(
            client, "C1", progress={"T1": TargetStatus.ON_TRACK}, on=date(2026, 10, 30)
        )
        await funded(client, auth, "C1", 40_000)
        await settle(client.app)
        assert not [e for e in await budget_events(client) if e.event_type == "ImpactRecorded"]


async def test_the_impact_report_by_child_school_and_intervention_type(service_client, auth, clock):
    async with service_client(create_app) as client:
        await given_child(client, "C1")
        await given_child(client, "C2")
        await given_child(client, "C3", urn="118001")
        await grant(client, auth("virtual_school_head"), 1_000_000)
        clock.set(PANEL_DAY)
        await funded(client, auth, "C1", 40_000)
        await funded(client, auth, "C2", 60_000, intervention_type="mentoring")
        await funded(client, auth, "C3", 30_000, urn="118001")
        clock.set(REVIEW_DAY)
        await next_review_completed(
            client,
            "C1",
            progress={"T1": TargetStatus.ACHIEVED, "T2": TargetStatus.ACHIEVED},
            on=date(2026, 11, 2),
        )
        await next_review_completed(
            client, "C2", progress={"T1": TargetStatus.NOT_ACHIEVED}, on=date(2026, 11, 2)
        )
        await settle(client.app)
        base = f"/budgets/{FY}/reports/impact"
        finance = auth("finance_officer")

        by_school = {
            line["key"]: line for line in (await client.get(f"{base}?by=school", headers=finance)).json()["items"]
        }
        assert by_school[URN]["spend_pence"] == 100_000
        assert by_school[URN]["requests_evaluated"] == 2
        assert (
            by_school[URN]["targets_achieved"],
            by_school[URN]["targets_not_achieved"],
            by_school[URN]["targets_not_reported"],
        ) == (2, 1, 1)
        assert by_school[URN]["spend_per_target_achieved_pence"] == 50_000
        assert by_school["118001"]["awaiting_review"] == 1

        by_child = {
            line["key"]: line for line in (await client.get(f"{base}?by=child", headers=finance)).json()["items"]
        }
        assert by_child["C1"]["achieved_percent"] == 100 and by_child["C2"]["achieved_percent"] == 0
        by_type = await client.get(f"{base}?by=intervention_type&format=csv", headers=finance)
        assert by_type.headers["content-type"].startswith("text/csv")
        rows = {row["key"]: row for row in csv.DictReader(io.StringIO(by_type.text))}
        assert rows["tutoring"]["spend_pounds"] == "700.00"
        assert rows["mentoring"]["targets_not_achieved"] == "1"
        assert (await client.get(f"{base}?by=carer", headers=finance)).json()["field"] == "by"
        assert (await client.get(base, headers=auth("designated_teacher", urn=URN))).status_code == 403
