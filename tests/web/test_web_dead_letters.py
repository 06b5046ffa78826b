"""Parked events as an operator sees them: listed with what failed, retried once the cause is
fixed (applied exactly once, a second retry refused), skipped with a reason, every action
recorded where nobody can rewrite it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
import pytest

from shared.testing.fixtures import settle
from shared.testing.paging import every_page, items_of, query_of

sys.path.insert(0, str(Path(__file__).parent))
from tally_service import Tally, append_tallies, create_tally_table, tally_app, tally_of  # noqa: E402

LETTERS = "/operations/dead-letters"
NO_LETTERS = {"items": [], "next_cursor": None, "next": None}


@pytest.fixture
def tally() -> Tally:
    return Tally()


@pytest.fixture
def operator(auth):
    return auth("operator", sub="support-desk-anna")


@pytest.fixture
async def running(service_client, pool, tally):
    """The tally service with the event of n=2 parked (its handler broken), 1 and 3 applied."""
    await create_tally_table(pool)
    tally.broken = {2}
    async with service_client(tally_app(tally), parks_events=True) as client:
        client.positions = await append_tallies(client.app.state.store, 1, 2, 3)
        await settle(client.app)
        yield client


async def the_letter(client, operator) -> dict:
    [letter] = (await client.get(LETTERS, headers=operator)).json()["items"]
    return letter


async def test_a_parked_event_makes_the_service_degraded_and_is_listed_for_operators(running, operator, pool):
    ready = await running.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert ready.json()["status"] == "degraded"
    assert ready.json()["parked_events"] == {"tally": 1}

    listed = await running.get(LETTERS, headers=operator)
    assert listed.status_code == 200
    [letter] = listed.json()["items"]
    assert letter["position"] == running.positions[1]
    assert (letter["subscription"], letter["event_type"], letter["stream_id"]) == ("tally", "Tallied", "tally-2")
    assert letter["error"] == "RuntimeError: the tally of 2 cannot be written"
    assert letter["attempts"] == 5
    assert letter["status"] == "parked"
    assert letter["parked_at"]
    assert letter["later_events_in_stream"] == 0
    # The subscription went on: the events either side of it are applied, it is not.
    assert [await tally_of(pool, n) for n in (1, 2, 3)] == [(1, 1), None, (1, 3)]
    # Nothing else is listed as retried or skipped yet.
    assert (await running.get(LETTERS, params={"status": "retried"}, headers=operator)).json() == NO_LETTERS


async def test_a_retry_after_the_fix_applies_the_event_once_and_records_who_did_it(running, operator, tally, pool):
    letter = await the_letter(running, operator)
    tally.broken.clear()  # the cause is fixed

    retried = await running.post(
        f"{LETTERS}/{letter['id']}/retry", json={"reason": "tally table repaired"}, headers=operator
    )
    assert retried.status_code == 200, retried.text
    body = retried.json()
    assert (body["status"], body["resolved_by"]) == ("retried", "support-desk-anna")
    assert [(a["action"], a["actor"], a["role"], a["reason"]) for a in body["actions"]] == [
        ("retried", "support-desk-anna", "operator", "tally table repaired")
    ]
    assert await tally_of(pool, 2) == (1, 2)

    again = await running.post(f"{LETTERS}/{letter['id']}/retry", headers=operator)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert "already retried by support-desk-anna" in again.json()["detail"]
    await settle(running.app)
    assert await tally_of(pool, 2) == (1, 2)  # applied once, by the retry alone

    ready = (await running.get("/ready")).json()
    assert (ready["status"], ready["parked_events"]) == ("ok", {})
    assert (await running.get(LETTERS, headers=operator)).json() == NO_LETTERS


async def test_two_retries_at_once_apply_the_event_once(running, operator, tally, pool):
    letter = await the_letter(running, operator)
    tally.broken.clear()
    answers = await asyncio.gather(
        *[running.post(f"{LETTERS}/{letter['id']}/retry", headers=operator) for _ in range(2)]
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await tally_of(pool, 2) == (1, 2)


async def test_a_retry_that_fails_again_keeps_the_letter_parked_and_records_the_attempt(running, operator, pool):
    letter = await the_letter(running, operator)

    failed = await running.post(f"{LETTERS}/{letter['id']}/retry", headers=operator)

    assert failed.status_code == 409
    assert failed.headers["content-type"] == "application/problem+json"
    problem = failed.json()
    assert problem["error"] == "RuntimeError: the tally of 2 cannot be written"
    assert "stays parked" in problem["detail"]
    assert problem["attempts"] == 6
    detail = (await running.get(f"{LETTERS}/{letter['id']}", headers=operator)).json()
    assert (detail["status"], detail["attempts"]) == ("parked", 6)
    assert [(a["action"], a["error"]) for a in detail["actions"]] == [
        ("retry_failed", "RuntimeError: the tally of 2 cannot be written")
    ]
    assert await tally_of(pool, 2) is None  # the failed try left nothing behind
    assert (await running.get("/ready")).json()["parked_events"] == {"tally": 1}


async def test_a_skip_needs_a_reason_and_leaves_the_event_unapplied(running, operator, pool):
    letter = await the_letter(running, operator)
    skip = f"{LETTERS}/{letter['id']}/skip"

    for body in ({}, {"reason": "   "}, None):
        refused = await running.post(skip, json=body, headers=operator)
        assert refused.status_code == 422, body
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == ("reason" if body is not None else "body")

    skipped = await running.post(skip, json={"reason": "recorded twice by the import; the other stands"}, headers=operator)
    assert skipped.status_code == 200, skipped.text
    assert skipped.json()["status"] == "skipped"
    assert [(a["action"], a["reason"]) for a in skipped.json()["actions"]] == [
        ("skipped", "recorded twice by the import; the other stands")
    ]
    assert await tally_of(pool, 2) is None
    assert (await running.post(f"{LETTERS}/{letter['id']}/retry", headers=operator)).status_code == 409
    assert (await running.get("/ready")).json()["status"] == "ok"
    listed = (await running.get(LETTERS, params={"status": "skipped"}, headers=operator)).json()["items"]
    assert [entry["id"] for entry in listed] == [letter["id"]]


async def test_the_same_retry_sent_again_with_its_idempotency_key_gets_the_first_answer(running, operator, tally, pool):
    letter = await the_letter(running, operator)
    tally.broken.clear()
    headers = {**operator, "Idempotency-Key": "retry-letter-after-fix-1"}

    first = await running.post(f"{LETTERS}/{letter['id']}/retry", headers=headers)
    second = await running.post(f"{LETTERS}/{letter['id']}/retry", headers=headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json()
    assert await tally_of(pool, 2) == (1, 2)
    other_key = {**operator, "Idempotency-Key": "retry-letter-after-fix-2"}
    assert (await running.post(f"{LETTERS}/{letter['id']}/retry", headers=other_key)).status_code == 409
    bad_key = {**operator, "Idempotency-Key": "no"}
    refused = await running.post(f"{LETTERS}/{letter['id']}/retry", headers=bad_key)
    assert (refused.status_code, refused.json()["field"]) == (422, "Idempotency-Key")


async def test_operator_actions_cannot_be_changed_or_removed(running, operator, pool):
    letter = await the_letter(running, operator)
    await running.post(f"{LETTERS}/{letter['id']}/skip", json={"reason": "not needed"}, headers=operator)
    for statement in (
        "UPDATE schools.dead_letter_actions SET reason = 'something else'",
        "DELETE FROM schools.dead_letter_actions",
        "TRUNCATE schools.dead_letter_actions",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await pool.execute(statement)
    assert await pool.fetchval("SELECT reason FROM schools.dead_letter_actions") == "not needed"


async def test_unknown_letters_and_letters_of_a_retired_subscription(running, operator, pool):
    missing = await running.post(f"{LETTERS}/999999/retry", headers=operator)
    assert (missing.status_code, missing.json()["field"]) == (404, "id")
    not_a_number = await running.get(f"{LETTERS}/first", headers=operator)
    assert (not_a_number.status_code, not_a_number.json()["field"]) == (422, "letter_id")

    retired = await pool.fetchval(
        "INSERT INTO schools.dead_letters (subscription, position, event_type, stream_id, error, attempts) "
        "VALUES ('a-retired-read-model', $1, 'Tallied', 'tally-1', 'gone', 5) RETURNING id",
        running.positions[0],
    )
    refused = await running.post(f"{LETTERS}/{retired}/retry", headers=operator)
    assert refused.status_code == 409
    assert "skip it with a reason" in refused.json()["detail"]


async def test_auditors_see_parked_events_but_only_operators_act_on_them(running, auth, operator):
    letter = await the_letter(running, operator)
    auditor = auth("auditor")
    assert (await running.get(LETTERS, headers=auditor)).status_code == 200
    for role in ("auditor", "principal_adviser", "virtual_school_head"):
        answer = await running.post(f"{LETTERS}/{letter['id']}/skip", json={"reason": "x"}, headers=auth(role))
        assert answer.status_code == 403, role
    assert (await running.get(LETTERS, headers=auth("social_worker"))).status_code == 403


async def test_the_letters_come_a_page_at_a_time_in_the_order_parked_with_the_filter_kept(
    running, operator, pool
):
    # Four letters parked by a second read model, and one more by the tally, in between.
    subscriptions = ["second", "tally", "second", "second", "second"]
    parked = [
        await pool.fetchval(
            "INSERT INTO schools.dead_letters "
            "(subscription, position, event_type, stream_id, error, attempts) "
            "VALUES ($1, $2, 'Tallied', 'tally-1', 'failed', 5) RETURNING id",
            subscription,
            running.positions[0],
        )
        for subscription in subscriptions
    ]
    wanted = [letter for letter, subscription in zip(parked, subscriptions, strict=True) if subscription == "second"]

    pages = await every_page(running, f"{LETTERS}?subscription=second&limit=3", operator)

    assert [letter["id"] for letter in items_of(pages)] == wanted
    assert [len(p["items"]) for p in pages] == [3, 1]
    assert query_of(pages[0]["next"])["subscription"] == ["second"]
