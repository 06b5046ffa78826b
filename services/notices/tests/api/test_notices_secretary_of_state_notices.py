"""The Secretary of State's warning notices over HTTP (s60 as amended by the Education and
Adoption Act 2016): recording one ends the council's earlier notice (s60(4B)), whose deadlines
stop; while it stands the council's own notice is refused (s60(4A)) until the Secretary of
State's permission is recorded; and the copies follow the rule set in force."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice  # noqa: E402

URN = "100041"
SOS_NOTICE = {
    "giver_name": "Regional Director, South East",
    "reference": "RD-SE-2024-003",
    "given_on": "2024-01-19",
    "told_on": "2024-01-22",
    "grounds": ["low_standards"],
    "compliance_period": {"ends_on": "2024-03-01"},
}


async def _given_council_notice(client, adviser, director, given_on: str) -> dict:
    body = low_standards_notice(URN, compliance_period={"working_days": 20})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    return await client.post(f"/notices/{notice_id}/give", json={"given_on": given_on}, headers=director)


async def test_a_secretary_of_state_notice_ends_the_councils_earlier_notice_and_bars_a_new_one_until_permitted(
    client, schools, on, adviser, director, events, count_events
):
    await schools.register(URN, "Riverside Community Primary School")
    on(date(2024, 1, 8))
    council = (await _given_council_notice(client, adviser, director, "2024-01-08")).json()
    assert council["given_by"] == "council"
    # Since 18 April 2016 the council copies its notice to the Secretary of State, not Ofsted.
    assert [r["role"] for r in council["recipients"]] == [
        "governing_body",
        "headteacher",
        "secretary_of_state",
    ]

    on(date(2024, 1, 22))
    recorded = await client.post(f"/secretary-of-state-notices/{URN}", json=SOS_NOTICE, headers=adviser)
    assert recorded.status_code == 201, recorded.text
    record = recorded.json()
    [sos_notice] = record["notices"]
    assert sos_notice["superseded_notice_ids"] == [council["notice_id"]]
    assert sos_notice["compliance_period_ends_on"] == "2024-03-01" and sos_notice["rules"] == "eaa2016"
    assert [c["role"] for c in sos_notice["copies"]] == ["governing_body", "headteacher", "local_authority"]
    assert record["council_barred_today"] is True and record["barred_by"] == sos_notice["notice_id"]
    [ended] = await events(client, "WarningNoticeSuperseded")
    assert (ended["stream_id"], ended["ended_on"], ended["superseded_by"]) == (
        f"notice-{council['notice_id']}",
        "2024-01-19",
        sos_notice["notice_id"],
    )

    shown = (await client.get(f"/notices/{council['notice_id']}", headers=adviser)).json()
    assert shown["stage"] == "superseded" and shown["superseded_by"] == sos_notice["notice_id"]
    assert shown["pending_deadlines"] == []

    # Its compliance period would have ended on 5 February: nothing fires, nothing can be judged.
    on(date(2024, 2, 6))
    await fire_deadlines(client.app)
    assert await events(client, "CompliancePeriodEnded") == []
    judged = await client.post(
        f"/notices/{council['notice_id']}/compliance-judgement",
        json={"judged_on": "2024-02-06", "complied": False, "evidence": "No review commissioned"},
        headers=director,
    )
    assert judged.status_code == 409, judged.text

    # The bar: the council's own notice is refused while the Secretary of State's stands.
    on(date(2024, 2, 7))
    body = low_standards_notice(URN, compliance_period={"working_days": 20})
    second = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    before = await count_events(client)
    refused = await client.post(f"/notices/{second}/give", json={"given_on": "2024-02-07"}, headers=director)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/secretary-of-state-notice-stands")
    assert problem["field"] == "given_on" and "2024-01-22" in problem["detail"]
    assert await count_events(client) == before

    permitted = await client.post(
        f"/secretary-of-state-notices/{URN}/permissions",
        json={"permitted_on": "2024-02-07", "permitted_by": "Regional Director, South East"},
        headers=adviser,
    )
    assert permitted.status_code == 201, permitted.text
    assert permitted.json()["council_barred_today"] is False
    given = await client.post(f"/notices/{second}/give", json={"given_on": "2024-02-07"}, headers=director)
    assert given.status_code == 200, given.text
    assert given.json()["stage"] == "compliance_period"


async def test_a_secretary_of_state_notice_before_18_april_2016_is_refused(
    client, schools, on, adviser, count_events
):
    await schools.register(URN, "Riverside Community Primary School")
    on(date(2016, 5, 3))
    before = await count_events(client)
    refused = await client.post(
        f"/secretary-of-state-notices/{URN}",
        json={**SOS_NOTICE, "given_on": "2016-04-15", "told_on": "2016-04-20"},
        headers=adviser,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "given_on" and "18 April 2016" in refused.json()["detail"]
    assert await count_events(client) == before
    missing = await client.get(f"/secretary-of-state-notices/{URN}", headers=adviser)
    assert missing.status_code == 404
