"""The read models are projections of the log: rebuilt from it, they are the same as the live
ones, and each row's state is the fold of its stream."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import fire_deadlines, low_standards_notice  # noqa: E402

from shared.eventlog.subscriptions import rebuild
from shared.jsonable import state_to_json
from shared.web.commands import ServiceLog
from notices.domain import intervention, warning_notice
from notices.projections import read_models

URN, ACADEMY = "100040", "140041"


async def snapshot(pool, projection) -> dict[str, list]:
    tables = {}
    async with pool.acquire() as conn:
        for table in projection.tables:
            rows = await conn.fetch(f"SELECT * FROM notices.{table} ORDER BY 1, 2")
            tables[table] = [dict(r) for r in rows]
    return tables


async def test_rebuilt_read_models_equal_the_live_ones(client, schools, on, adviser, director):
    await schools.register(URN, "Riverside Community Primary School")
    await schools.register(ACADEMY, "Oakfield Academy", establishment_type="academy_converter")
    on(date(2024, 1, 8))
    body = low_standards_notice(URN, compliance_period={"working_days": 20})
    notice_id = (await client.post("/notices", json=body, headers=adviser)).json()["notice_id"]
    await client.post(f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director)
    await client.post("/notices", json=low_standards_notice(URN), headers=adviser)  # a second, still a draft
    await client.post(
        f"/academy-concerns/{ACADEMY}/letters-to-trust",
        json={"sent_on": "2024-01-08", "concerns": ["Governance"], "trust_name": "Coastal Learning Trust"},
        headers=director,
    )
    await schools.inspect(URN, "I-1", date(2024, 1, 5), "special_measures")
    on(date(2024, 2, 6))
    await fire_deadlines(client.app)  # the compliance period's end
    await client.post(
        "/directions",
        json={"urn": URN, "given_on": "2024-02-06", "specified_terms": "Safety"},
        headers=adviser,
    )
    await fire_deadlines(client.app)

    pool = client.app.state.pool
    live = {p.name: await snapshot(pool, p) for p in read_models(client.app.state)}
    assert len(live["notices-case-files"]["notices"]) == 2
    assert {d["kind"] for d in live["notices-case-files"]["deadlines"]} == {"direction_response"}
    assert live["notices-school-facts"]["school_facts"][1]["academy"] is True

    for projection in read_models(client.app.state):
        await rebuild(pool, projection)
        assert await snapshot(pool, projection) == live[projection.name], projection.name

    # Each row holds what folding its stream gives.
    log = ServiceLog(client.app.state.store, client.app.state.read_catalogue)
    folded = await log.load(f"notice-{notice_id}", warning_notice.NO_NOTICE, warning_notice.evolve)
    [row] = [r for r in live["notices-case-files"]["notices"] if r["notice_id"] == notice_id]
    assert row["state"] == state_to_json(folded.state) and row["version"] == folded.version
    case = await log.load(f"intervention-{URN}", intervention.NO_INTERVENTION, intervention.evolve)
    [case_row] = live["notices-case-files"]["interventions"]
    assert case_row["state"] == state_to_json(case.state)
