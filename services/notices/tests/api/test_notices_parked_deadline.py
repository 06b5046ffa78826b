"""A parked event can hide a statutory deadline: the scheduler finds deadlines through the read
model, so while the giving of a warning notice is parked its compliance period never ends.
Once the cause is fixed and an operator retries the event, the deadline fires."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice, settled  # noqa: E402

from notices.main import create_app
from notices.projections.case_files import CaseFilesProjection

URN = "100020"


async def test_a_parked_notice_hides_its_deadline_until_an_operator_retries_it(
    service_client, schools, on, adviser, director, auth, events, monkeypatch
):
    operator = auth("operator", sub="support-desk-anna")
    apply_case_files = CaseFilesProjection.apply_batch

    async def case_file_store_failing(self, conn, records):
        if any(record.event_type == "WarningNoticeGiven" for record in records):
            raise RuntimeError("the case file of a given notice could not be written")
        await apply_case_files(self, conn, records)

    monkeypatch.setattr(CaseFilesProjection, "apply_batch", case_file_store_failing)
    await schools.register(URN)
    on(date(2022, 9, 9))
    async with service_client(create_app) as client:
        body = low_standards_notice(URN, compliance_period={"working_days": 15})
        notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
        given = await client.post(
            f"/notices/{notice_id}/give", json={"given_on": "2022-09-09"}, headers=director
        )
        assert given.json()["dates"]["compliance_period_ends_on"] == "2022-10-03"
        await settled(client.app)

        # Parked: the service says so, and operators see which event and why.
        ready = (await client.get("/ready")).json()
        assert (ready["status"], ready["parked_events"]) == ("degraded", {"notices-case-files": 1})
        [letter] = (await client.get("/operations/dead-letters", headers=operator)).json()["items"]
        assert (letter["event_type"], letter["stream_id"]) == ("WarningNoticeGiven", f"notice-{notice_id}")
        assert letter["error"] == "RuntimeError: the case file of a given notice could not be written"

        # The compliance period ends on 3 October; the next day nothing fires, because the read
        # model the scheduler works from never learnt that the notice was given.
        on(date(2022, 10, 4))
        assert await fire_deadlines(client.app) == 0
        assert await events(client, "CompliancePeriodEnded") == []

        # The cause is fixed; an operator retries the parked event.
        monkeypatch.setattr(CaseFilesProjection, "apply_batch", apply_case_files)
        retried = await client.post(
            f"/operations/dead-letters/{letter['id']}/retry",
            json={"reason": "case file store repaired"},
            headers=operator,
        )
        assert retried.status_code == 200, retried.text

        assert await fire_deadlines(client.app) == 1
        [ended] = await events(client, "CompliancePeriodEnded")
        assert (ended["notice_id"], ended["ended_on"]) == (notice_id, "2022-10-03")
        assert await fire_deadlines(client.app) == 0  # and only once
        ready = (await client.get("/ready")).json()
        assert (ready["status"], ready["parked_events"]) == ("ok", {})
        notice = (await client.get(f"/notices/{notice_id}", headers=adviser)).json()
        assert notice["pending_deadlines"] == []
