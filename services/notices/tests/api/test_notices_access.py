"""Who may do what: advisers draft and record, principal advisers give and decide, school
improvement staff, auditors and service accounts with notices:read read; auditors never write;
designated teachers, social workers and the virtual school have no part in notices."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import low_standards_notice  # noqa: E402

URN = "100030"


async def test_each_role_may_do_only_its_part(client, schools, on, auth, count_events):
    await schools.register(URN)
    on(date(2024, 5, 1))
    draft = low_standards_notice(URN, compliance_period={"working_days": 20})
    outsiders = [
        auth("designated_teacher", urn=URN),
        auth("social_worker"),
        auth("virtual_school_head"),
        auth("finance_officer"),
        auth("auditor"),
        auth("service", scopes=["notices:read", "schools:write"]),
    ]
    before = await count_events(client)
    for headers in outsiders:
        assert (await client.post("/notices", json=draft, headers=headers)).status_code == 403
    assert (await client.post("/notices", json=draft)).status_code == 401
    assert await count_events(client) == before

    by_adviser = await client.post("/notices", json=draft, headers=auth("school_improvement_adviser"))
    by_system = await client.post("/notices", json=draft, headers=auth("service", scopes=["notices:write"]))
    assert (by_adviser.status_code, by_system.status_code) == (201, 201)
    notice_id = by_adviser.json()["notice_id"]

    give = {"given_on": "2024-05-01"}
    for role in ("school_improvement_adviser", "auditor", "designated_teacher"):
        answer = await client.post(f"/notices/{notice_id}/give", json=give, headers=auth(role, urn=URN))
        assert answer.status_code == 403, role
    assert (
        await client.post(f"/notices/{notice_id}/give", json=give, headers=auth("principal_adviser"))
    ).status_code == 200

    for headers in (
        auth("auditor"),
        auth("school_improvement_adviser"),
        auth("service", scopes=["notices:read"]),
    ):
        for path in (
            f"/notices/{notice_id}",
            "/notices",
            "/schools-causing-concern",
            "/deadlines",
            f"/interventions/{URN}",
        ):
            assert (await client.get(path, headers=headers)).status_code == 200, path
    for headers in (
        auth("designated_teacher", urn=URN),
        auth("social_worker"),
        auth("service", scopes=["pep:read"]),
    ):
        assert (await client.get(f"/notices/{notice_id}", headers=headers)).status_code == 403

    powers = {"appointed_on": "2024-05-01", "governors": ["Mr C Obi"]}
    assert (
        await client.post(
            f"/interventions/{URN}/s64", json=powers, headers=auth("school_improvement_adviser")
        )
    ).status_code == 403
