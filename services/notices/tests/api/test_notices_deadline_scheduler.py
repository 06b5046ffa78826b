"""Deadlines fire exactly once at the right date: not before, once however often the scheduler
runs, and still once after the service restarts."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import low_standards_notice, settled  # noqa: E402

from notices.main import create_app

URN = "100010"


async def test_a_compliance_period_end_fires_once_on_its_day_and_never_again_after_a_restart(
    service_client, schools, on, adviser, director, events
):
    await schools.register(URN)
    on(date(2022, 9, 9))
    async with service_client(create_app) as client:
        body = low_standards_notice(URN, compliance_period={"working_days": 15})
        notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
        given = await client.post(
            f"/notices/{notice_id}/give", json={"given_on": "2022-09-09"}, headers=director
        )
        # 15 working days after 9 September 2022, not counting the Queen's funeral (19 September).
        assert given.json()["dates"]["compliance_period_ends_on"] == "2022-10-03"
        await settled(client.app)

        on(date(2022, 10, 3))  # its last day: not yet
        assert await client.app.state.scheduler.run_once() == 0
        on(date(2022, 10, 4))
        assert await client.app.state.scheduler.run_once() == 1
        assert await client.app.state.scheduler.run_once() == 0
        assert len(await events(client, "CompliancePeriodEnded")) == 1

    async with service_client(create_app) as restarted:
        await settled(restarted.app)
        assert await restarted.app.state.scheduler.run_once() == 0
        [ended] = await events(restarted, "CompliancePeriodEnded")
        assert (ended["notice_id"], ended["ended_on"]) == (notice_id, "2022-10-03")
        async with restarted.app.state.pool.acquire() as conn:
            actor = await conn.fetchval(
                "SELECT metadata->>'actor' FROM eventlog.events WHERE event_type = 'CompliancePeriodEnded'"
            )
        assert actor == "notices-deadline-scheduler"
        notice = (await restarted.get(f"/notices/{notice_id}", headers=adviser)).json()
        assert notice["pending_deadlines"] == []
        assert notice["stage"] == "compliance_period"  # the judgement is the council's to record
