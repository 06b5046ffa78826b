"""PostgreSQL down for a while, not just restarted: a service keeps answering. Writes and reads
get a prompt 503 with Retry-After (never a 500, never a wait without end), /ready says 503 and
/health stays 200; once the database is back, the same writes retried with their keys are
recorded once each, and /ready returns to 200 without the service being restarted."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from pep.main import create_app as create_pep
from pep.projections import read_models
from schools.main import create_app as create_schools

from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from fault_support import (  # noqa: E402
    REQUEST_LIMIT_SECONDS,
    Tally,
    assert_chain_verifies,
    assert_no_dead_letters,
    assert_no_key_appended_twice,
    assert_read_models_equal_rebuild,
    request_until_answered,
    wait_ready,
)
from test_faults_services import TERM_DATES, child_body  # noqa: E402


async def answer_within_limit(client, method, url, **kwargs):
    async with asyncio.timeout(REQUEST_LIMIT_SECONDS):
        return await client.request(method, url, **kwargs)


@pytest.mark.slow
async def test_while_the_database_is_down_a_service_answers_503_and_recovers_by_itself(
    fault_pg, fault_db, fault_service, observer, auth
):
    tally = Tally()
    sw = auth("social_worker", sub="sw.jones")
    children = [f"D{i}" for i in range(4)]
    async with fault_service(create_pep) as pep, fault_service(create_schools) as schools:
        # The council calendar (kept by the schools service) that PEP deadlines are counted on.
        terms = await request_until_answered(
            schools, tally, "PUT", "/council/term-dates/2026", headers=auth("virtual_school_head"),
            json=TERM_DATES, key="terms-2026",
        )
        assert terms is not None and terms.status_code == 200, terms and terms.text
        first = await request_until_answered(
            pep, tally, "POST", "/children", headers=sw, json=child_body("D-before"), key="enter-D-before"
        )
        assert first is not None and first.status_code == 201

        await asyncio.to_thread(fault_pg.stop, "fast")
        try:
            for child in children:
                answer = await answer_within_limit(
                    pep, "POST", "/children", json=child_body(child),
                    headers={**sw, "Idempotency-Key": f"enter-{child}"},
                )
                assert answer.status_code == 503, answer.text
                assert int(answer.headers["retry-after"]) >= 1
                assert answer.headers["content-type"].startswith("application/problem+json")
            read = await answer_within_limit(pep, "GET", "/children/D-before", headers=sw)
            assert read.status_code == 503, read.text
            assert "retry-after" in read.headers
            ready = await answer_within_limit(pep, "GET", "/ready")
            assert ready.status_code == 503, ready.text
            health = await answer_within_limit(pep, "GET", "/health")
            assert health.status_code == 200, health.text
        finally:
            await asyncio.to_thread(fault_pg.start)

        # The same requests again, as the client retries them: each recorded once.
        for child in children:
            answer = await request_until_answered(
                pep, tally, "POST", "/children", headers=sw, json=child_body(child), key=f"enter-{child}"
            )
            assert answer is not None and answer.status_code == 201, answer and answer.text
        assert not tally.failures, tally.summary()
        await wait_ready(pep)
        async with asyncio.timeout(30):
            await settle(pep.app)
        models = read_models(pep.app.state.catalogue)

    async with observer() as obs:
        for child in ["D-before", *children]:
            logged = await obs.fetch(
                "SELECT position, event_type FROM eventlog.events WHERE stream_id = $1 ORDER BY position",
                f"child-{child}",
            )
            told = [(e["position"], e["type"]) for e in tally.acknowledged[f"enter-{child}"]["events"]]
            assert [(r["position"], r["event_type"]) for r in logged] == told, child
        await assert_no_key_appended_twice(obs)
        await assert_chain_verifies(obs)
        await assert_read_models_equal_rebuild(obs, models, fed={"pep-children"})
        await assert_no_dead_letters(obs, "pep")
