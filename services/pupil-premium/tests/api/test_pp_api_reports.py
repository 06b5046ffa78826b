"""The reports through the API, as JSON and as CSV downloads, agree with the same reports computed
straight from the events in the log; and every read model, emptied and rebuilt from the log,
holds exactly what it held while following the log live."""

import csv
import io
from datetime import date, datetime, timezone

import pytest

from pp_api import (
    FY,
    PANEL,
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
from pep.domain.targets import TargetStatus
from shared.eventlog.subscriptions import rebuild

from pupil_premium.domain.events import PUPIL_PREMIUM_EVENTS
from pupil_premium.domain.reports.finance import quarterly_finance_report
from pupil_premium.domain.reports.impact import impact_report
from pupil_premium.domain.budget_state import every_request
from pupil_premium.domain.reports.tracking import drift_and_delay, weekly_tracking
from pupil_premium.projections import read_models


async def a_term_of_pp_plus(client, auth, clock) -> dict[str, str]:
    """Five requests over two weeks of autumn 2026 (paid, part-approved, refused, open, withdrawn), a
    school project paid in the same run, and C0's next PEP review linking its outcome to the spend."""
    vsh, finance = auth("virtual_school_head"), auth("finance_officer")
    teacher = auth("designated_teacher", urn=URN)
    other_teacher = auth("designated_teacher", urn="118001")
    for n, urn in enumerate([URN, URN, "118001", "118001", URN]):
        await given_child(client, f"C{n}", urn=urn, settled=False)
    await settle(client.app)
    clock.set(datetime(2026, 10, 19, 9, tzinfo=timezone.utc))
    await grant(client, vsh, 1_000_000)
    await client.post(
        f"/budgets/{FY}/top-slices",
        json={"name": "Tutoring", "purpose": "Central tutoring contract", "amount_pence": 200_000},
        headers=vsh,
    )
    ids = {
        "paid": await make_request(client, teacher, "C0", 50_000),
        "part": await make_request(client, teacher, "C1", 60_000, intervention_type="mentoring"),
        "refused": await make_request(client, other_teacher, "C2", 30_000, intervention_type="literacy"),
        "withdrawn": await make_request(client, teacher, "C4", 20_000),
    }
    project = await client.post(
        f"/budgets/{FY}/projects",
        json={
            "title": "Nurture group",
            "plan": "Twice-weekly nurture group",
            "child_ids": ["C0", "C1", "C4"],
            "milestones": [{"milestone_id": "M1", "description": "Mentor trained", "due_on": "2026-12-01"}],
            "amount_pence": 150_000,
        },
        headers=teacher,
    )
    assert project.status_code == 201, project.text
    ids["project"] = project.json()["project_id"]
    clock.set(datetime(2026, 10, 22, 9, tzinfo=timezone.utc))
    assert (await approve(client, vsh, ids["paid"])).status_code == 200
    assert (
        await client.post(
            f"/budgets/{FY}/projects/{ids['project']}/approval", json={"panel_members": PANEL}, headers=vsh
        )
    ).status_code == 200
    assert (await approve(client, vsh, ids["withdrawn"])).status_code == 200
    await client.post(
        f"/budgets/{FY}/requests/{ids['part']}/part-approval",
        json={"amount_approved_pence": 40_000, "reasons": ["Half a term"], "panel_members": PANEL},
        headers=vsh,
    )
    await client.post(
        f"/budgets/{FY}/requests/{ids['refused']}/refusal",
        json={"reasons": ["Covered by the school's own budget"], "panel_members": PANEL},
        headers=vsh,
    )
    clock.set(datetime(2026, 10, 27, 9, tzinfo=timezone.utc))
    await client.post(
        f"/budgets/{FY}/payment-runs",
        json={"run_id": "RUN-1", "request_ids": [ids["paid"]], "project_ids": [ids["project"]]},
        headers=finance,
    )
    clock.set(datetime(2026, 10, 29, 9, tzinfo=timezone.utc))
    await client.post(
        f"/budgets/{FY}/payment-runs/RUN-1/paid",
        json={"finance_reference": "AP-9", "paid_on": "2026-10-29"},
        headers=finance,
    )
    await client.post(
        f"/budgets/{FY}/requests/{ids['withdrawn']}/withdrawal",
        json={"reason": "Moved away"},
        headers=teacher,
    )
    clock.set(datetime(2026, 11, 2, 10, tzinfo=timezone.utc))
    ids["open"] = await make_request(client, other_teacher, "C3", 65_000)
    await next_review_completed(
        client, "C0", progress={"T1": TargetStatus.ACHIEVED, "T2": TargetStatus.BEHIND}, on=date(2026, 11, 2)
    )
    await settle(client.app)
    return ids


async def logged_events(client):
    return [
        PUPIL_PREMIUM_EVENTS.decode(e.event_type, e.schema_version, e.data)
        for e in await budget_events(client)
    ]


def rows_of(answer) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(answer.text)))


@pytest.fixture
def finance(auth):
    return auth("finance_officer")


async def test_drift_and_delay_and_requests_by_status(service_client, auth, clock, finance):
    async with service_client(create_app) as client:
        ids = await a_term_of_pp_plus(client, auth, clock)
        events = await logged_events(client)
        base = f"/budgets/{FY}/reports"

        delay = (await client.get(f"{base}/drift-and-delay", headers=finance)).json()
        expected = drift_and_delay(every_request(events), as_of=date(2026, 11, 2))
        assert delay["to_decision"] == {"count": 4, "median_days": 3.0, "mean_days": 3.0, "longest_days": 3}
        assert delay["to_payment"]["count"] == 1 and delay["to_payment"]["longest_days"] == 10
        assert delay["awaiting_decision"] == expected.awaiting_decision == 1
        assert delay["longest_wait_days"] == expected.longest_wait_days
        [paid_line] = [line for line in delay["lines"] if line["request_id"] == ids["paid"]]
        assert (paid_line["days_to_payment"], paid_line["working_days_to_payment"]) == (10, 8)

        delay_csv = rows_of(await client.get(f"{base}/drift-and-delay?format=csv", headers=finance))
        assert [row["request_id"] for row in delay_csv] == [line.request_id for line in expected.lines]
        assert {row["request_id"]: row["days_to_payment"] for row in delay_csv}[ids["paid"]] == "10"

        statuses = (await client.get(f"{base}/requests-by-status", headers=finance)).json()
        assert statuses["next"] is None
        counts = {group["status"]: group["count"] for group in statuses["items"]}
        assert counts == {
            "submitted": 1,
            "awaiting_information": 0,
            "approved": 0,
            "part_approved": 1,
            "refused": 1,
            "withdrawn": 1,
            "scheduled": 0,
            "paid": 1,
        }
        before = (await client.get(f"{base}/requests-by-status?as_of=2026-10-20", headers=finance)).json()
        assert {g["status"]: g["count"] for g in before["items"]}["submitted"] == 4
        status_csv = rows_of(await client.get(f"{base}/requests-by-status?format=csv", headers=finance))
        assert {row["status"]: row["approved_pounds"] for row in status_csv}["part_approved"] == "400.00"


async def test_the_weekly_tracking_sheet_and_the_quarterly_finance_report(
    service_client, auth, clock, finance
):
    async with service_client(create_app) as client:
        ids = await a_term_of_pp_plus(client, auth, clock)
        events = await logged_events(client)
        base = f"/budgets/{FY}/reports"

        week = (await client.get(f"{base}/weekly-tracking?week_starting=2026-10-19", headers=finance)).json()
        expected = weekly_tracking(every_request(events), week_starting=date(2026, 10, 19))
        assert (week["received"], week["received_pence"], week["approved"], week["refused"]) == (
            4,
            160_000,
            3,
            1,
        )
        assert week["awaiting_payment_at_week_end"] == expected.awaiting_payment_at_week_end == 3
        assert [line["request_id"] for line in week["lines"]] == [line.request_id for line in expected.lines]
        this_week = (await client.get(f"{base}/weekly-tracking", headers=finance)).json()
        assert this_week["week_starting"] == "2026-11-02" and this_week["received"] == 1
        sheet = rows_of(
            await client.get(f"{base}/weekly-tracking?week_starting=2026-10-26&format=csv", headers=finance)
        )
        assert {row["request_id"]: row["status"] for row in sheet}[ids["paid"]] == "paid"
        assert {row["request_id"]: row["amount_approved_pounds"] for row in sheet}[ids["paid"]] == "500.00"

        q3 = (await client.get(f"{base}/quarterly-finance?quarter=3", headers=finance)).json()
        expected_q3 = quarterly_finance_report(events, financial_year=FY, quarter=3)
        # 500 + 400 + 200 (withdrawn again) pounds of requests and a 1,500-pound project approved;
        # the 500-pound request and the project paid.
        assert q3["approved_in_quarter_pence"] == expected_q3.approved_in_quarter_pence == 240_000
        assert q3["paid_in_quarter_pence"] == 200_000 and q3["remaining_at_end_pence"] == 560_000
        assert q3["by_school"] == [
            {
                "key": line.key,
                "approved_in_quarter_pence": line.approved_in_quarter_pence,
                "paid_in_quarter_pence": line.paid_in_quarter_pence,
                "approved_to_date_pence": line.approved_to_date_pence,
                "paid_to_date_pence": line.paid_to_date_pence,
                "children_funded_to_date": line.children_funded_to_date,
            }
            for line in expected_q3.by_school
        ]
        q1 = (await client.get(f"{base}/quarterly-finance?quarter=1", headers=finance)).json()
        assert (q1["grant_pence"], q1["approved_to_date_pence"]) == (1_000_000, 0)
        report = rows_of(await client.get(f"{base}/quarterly-finance?quarter=3&format=csv", headers=finance))
        assert report[0]["section"] == "budget" and report[0]["grant_pounds"] == "10000.00"
        assert {(r["section"], r["key"]): r["paid_in_quarter_pounds"] for r in report}[
            ("school", URN)
        ] == "2000.00"
        assert {(r["section"], r["key"]): r["paid_in_quarter_pounds"] for r in report}[
            ("kind_of_support", "school_project")
        ] == "1500.00"
        assert (await client.get(f"{base}/quarterly-finance?quarter=5", headers=finance)).status_code == 422
        assert (await client.get(f"{base}/quarterly-finance", headers=finance)).json()["field"] == "quarter"


async def test_report_csvs_give_a_child_id_that_would_run_as_a_formula_as_text(
    service_client, auth, clock, finance
):
    """A child's id is text a client chose: in the finance officer's CSVs it is prefixed with an
    apostrophe, so the spreadsheet shows it and runs nothing, while the money beside it stays a
    number."""
    hyperlink, total = '=HYPERLINK("http://x","y")', "@SUM(1)"
    async with service_client(create_app) as client:
        vsh, teacher = auth("virtual_school_head"), auth("designated_teacher", urn=URN)
        for child_id in (hyperlink, total):
            await given_child(client, child_id, settled=False)
        await settle(client.app)
        clock.set(datetime(2026, 10, 19, 9, tzinfo=timezone.utc))
        await grant(client, vsh, 1_000_000)
        funded = await make_request(client, teacher, hyperlink, 50_000)
        waiting = await make_request(client, teacher, total, 30_000)
        assert (await approve(client, vsh, funded)).status_code == 200
        await settle(client.app)
        base = f"/budgets/{FY}/reports"

        sheet = await client.get(f"{base}/weekly-tracking?week_starting=2026-10-19&format=csv", headers=finance)
        assert '"\'=HYPERLINK(""http://x"",""y"")"' in sheet.text
        rows = rows_of(sheet)
        assert {row["request_id"]: row["child_id"] for row in rows} == {
            funded: "'" + hyperlink,
            waiting: "'@SUM(1)",
        }
        assert {row["request_id"]: row["amount_requested_pounds"] for row in rows} == {
            funded: "500.00",
            waiting: "300.00",
        }
        delay = rows_of(await client.get(f"{base}/drift-and-delay?format=csv", headers=finance))
        assert {row["child_id"] for row in delay} == {"'" + hyperlink, "'@SUM(1)"}
        impact = rows_of(await client.get(f"{base}/impact?by=child&format=csv", headers=finance))
        assert [(row["key"], row["spend_pounds"]) for row in impact] == [("'" + hyperlink, "500.00")]
        # The JSON answer carries the id exactly as it was written.
        week = (await client.get(f"{base}/weekly-tracking?week_starting=2026-10-19", headers=finance)).json()
        assert {line["child_id"] for line in week["lines"]} == {hyperlink, total}


async def test_every_read_model_rebuilt_from_the_log_is_what_it_was_live(service_client, auth, clock):
    async with service_client(create_app) as client:
        await a_term_of_pp_plus(client, auth, clock)
        pool = client.app.state.pool
        for projection in read_models():
            live = {table: await snapshot(pool, table) for table in projection.tables}
            assert any(live.values()), projection.name
            await rebuild(pool, projection)
            for table in projection.tables:
                assert await snapshot(pool, table) == live[table], (projection.name, table)
        impact = impact_report(await logged_events(client), by="school")
        answer = (await client.get(f"/budgets/{FY}/reports/impact?by=school", headers=auth("auditor"))).json()
        assert [line["spend_pence"] for line in answer["items"]] == [line.spend_pence for line in impact]


async def snapshot(pool, table: str) -> list[tuple]:
    rows = await pool.fetch(f"SELECT * FROM pupil_premium.{table} ORDER BY 1, 2")
    return [tuple(row.values()) for row in rows]
