"""Every event records who did it from the verified token, whatever the request body claims."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import create_security_test_app  # noqa: E402


async def test_an_event_records_the_tokens_subject_and_role_not_what_the_body_claims(service_client, auth):
    async with service_client(create_security_test_app) as client:
        answer = await client.post(
            "/notes",
            json={
                "child_id": "C1",
                "text": "attended the PEP meeting",
                "actor": "virtual-school-head-smith",
                "role": "virtual_school_head",
                "metadata": {"actor": "virtual-school-head-smith", "role": "virtual_school_head"},
            },
            headers={**auth("social_worker", sub="sw-jones"), "X-Request-Id": "req-note-1"},
        )
        assert answer.status_code == 201, answer.text
        async with client.app.state.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT data, metadata FROM eventlog.events WHERE stream_id = $1", answer.json()["stream_id"]
            )
    assert row["metadata"]["actor"] == "sw-jones"
    assert row["metadata"]["role"] == "social_worker"
    assert row["metadata"]["service"] == "security-test"
    assert row["metadata"]["request_id"] == "req-note-1"
    assert row["data"] == {"child_id": "C1", "text": "attended the PEP meeting"}


async def test_a_service_accounts_event_records_the_account_not_what_the_body_claims(service_client, auth):
    async with service_client(create_security_test_app) as client:
        answer = await client.post(
            "/notes",
            json={"child_id": "C2", "text": "fed from the case system", "actor": "someone-else"},
            headers=auth("service", sub="case-system", scopes=["security-test:write"]),
        )
        assert answer.status_code == 201, answer.text
        async with client.app.state.pool.acquire() as conn:
            metadata = await conn.fetchval(
                "SELECT metadata FROM eventlog.events WHERE stream_id = $1", answer.json()["stream_id"]
            )
    assert metadata["actor"] == "case-system"
    assert metadata["role"] == "service"


async def test_an_auditor_attempting_a_write_is_refused_and_nothing_is_appended(service_client, auth):
    async with service_client(create_security_test_app) as client:
        answer = await client.post(
            "/notes", json={"child_id": "C1", "text": "audit finding"}, headers=auth("auditor")
        )
        assert answer.status_code == 403
        assert answer.json()["detail"] == "the auditor role may not do this"
        async with client.app.state.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM eventlog.events") == 0
