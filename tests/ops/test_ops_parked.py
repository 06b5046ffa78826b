"""``parked``: an event a read model could not apply is listed; retried once its cause is fixed it
is applied, once; skipped, it stays unapplied with the reason kept. The command acts through the
operations routes' own functions, so the service's HTTP view shows what it did."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from schools.main import create_app
from schools.projections.reviews import ProgressReviews

sys.path.insert(0, str(Path(__file__).parent))
from ops_support import Schools  # noqa: E402

ERROR = "RuntimeError: the review writer cannot handle reviews-118235"


@pytest.fixture
def broken() -> set[str]:
    """The streams the progress reviews' writer fails on, until the test fixes it."""
    return {"reviews-118235"}


@pytest.fixture
async def schools(service_client, auth, monkeypatch, broken) -> AsyncIterator[Schools]:
    """The council, with the review scheduled for Beech (118235) parked: the writer failed on it."""
    apply = ProgressReviews.apply

    async def failing(self, conn, record):
        if record.stream_id in broken:
            raise RuntimeError(f"the review writer cannot handle {record.stream_id}")
        return await apply(self, conn, record)

    monkeypatch.setattr(ProgressReviews, "apply", failing)
    async with service_client(create_app, parks_events=True) as client:
        running = Schools(client, auth)
        await running.council()
        yield running


@pytest.fixture
async def letter(pool) -> dict:
    [row] = await pool.fetch("SELECT id, position, event_type FROM schools.dead_letters")
    return dict(row)


async def actions(pool, letter_id: int) -> list[tuple]:
    rows = await pool.fetch(
        "SELECT action, actor, role, reason, error FROM schools.dead_letter_actions WHERE dead_letter_id = $1 "
        "ORDER BY id",
        letter_id,
    )
    return [tuple(r.values()) for r in rows]


async def review_of_beech(pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM schools.progress_reviews WHERE urn = '118235'")


async def test_a_parked_event_is_listed_with_what_failed(schools, letter, ops, as_schools):
    ran = await ops("parked", "list", "schools", *as_schools)

    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "schools: 1 parked event"
    assert lines[1] == (
        f"  {letter['id']}  schools.reviews  position {letter['position']}  ProgressReviewScheduled  "
        "stream reviews-118235"
    )
    assert lines[2].startswith("      parked ") and lines[2].endswith(f"after 5 tries: {ERROR}")
    others = await ops("parked", "list", "schools", "--subscription", "schools.support", *as_schools)
    assert others.out == "schools: no parked events of schools.support\n"


async def test_listing_every_service_needs_the_owner(schools, ops, as_schools, database_url):
    everywhere = await ops("parked", "list", "--database-url", database_url)
    assert everywhere.code == 0, everywhere.err
    assert "schools: 1 parked event" in everywhere.out
    for service in ("pep", "pupil-premium", "notices"):
        assert f"{service}: no parked events" in everywhere.out

    as_the_service = await ops("parked", "list", *as_schools)
    assert as_the_service.code == 1
    assert as_the_service.err.startswith("error: the database refused: permission denied for schema pep")
    assert len(as_the_service.err.splitlines()) == 1


async def test_a_retry_before_the_fix_fails_and_is_recorded_and_after_it_applies_the_event_once(
    schools, letter, ops, as_schools, broken, pool, auth
):
    retry = ("parked", "retry", "schools", str(letter["id"]), "--actor", "anna.smith", *as_schools)
    failed = await ops(*retry, "--reason", "trying before the release")
    assert failed.code == 1
    assert failed.err == (
        f"error: the event of dead letter {letter['id']} failed again and stays parked: {ERROR}; "
        "the attempt is recorded (attempt 6)\n"
    )
    assert await review_of_beech(pool) == 0

    broken.clear()  # the release that fixes the writer
    retried = await ops(*retry, "--reason", "release 2.4.1 fixes the review writer")

    assert retried.code == 0, retried.err
    assert retried.out == (
        f"schools dead letter {letter['id']} (schools.reviews, position {letter['position']}, "
        "ProgressReviewScheduled) retried: the event is applied; recorded in schools.dead_letter_actions "
        "as done by anna.smith\n"
    )
    assert await review_of_beech(pool) == 1
    assert await actions(pool, letter["id"]) == [
        ("retry_failed", "anna.smith", "command-line", "trying before the release", ERROR),
        ("retried", "anna.smith", "command-line", "release 2.4.1 fixes the review writer", None),
    ]
    again = await ops(*retry)
    assert again.code == 1
    assert f"error: dead letter {letter['id']} was already retried by anna.smith at " in again.err
    await schools.settled()
    assert await review_of_beech(pool) == 1  # applied once, by the retry alone

    # The service's own operations routes show the same letter and the same record.
    shown = await schools.client.get(
        f"/operations/dead-letters/{letter['id']}", headers=auth("operator", sub="support-desk")
    )
    assert (shown.json()["status"], shown.json()["resolved_by"]) == ("retried", "anna.smith")
    assert [a["action"] for a in shown.json()["actions"]] == ["retry_failed", "retried"]
    assert (await ops("parked", "list", "schools", *as_schools)).out == "schools: no parked events\n"
    listed = await ops("parked", "list", "schools", "--status", "retried", *as_schools)
    assert listed.out.startswith("schools: 1 retried event\n")
    assert "      retried by anna.smith " in listed.out


async def test_a_skip_leaves_the_event_unapplied_and_keeps_the_reason(schools, letter, ops, as_schools, pool):
    skip = ("parked", "skip", "schools", str(letter["id"]), "--actor", "anna.smith INC-20477")
    skipped = await ops(*skip, "--reason", "Beech's review was scheduled by mistake", *as_schools)

    assert skipped.code == 0, skipped.err
    assert skipped.out.endswith("skipped: the event stays unapplied; recorded in schools.dead_letter_actions "
                                "as done by anna.smith INC-20477\n")
    assert await actions(pool, letter["id"]) == [
        ("skipped", "anna.smith INC-20477", "command-line", "Beech's review was scheduled by mistake", None)
    ]
    assert await review_of_beech(pool) == 0
    again = await ops(*skip, "--reason", "again", *as_schools)
    assert again.code == 1
    assert "was already skipped by anna.smith INC-20477" in again.err


async def test_an_action_needs_who_and_a_skip_needs_why(schools, letter, ops, as_schools, pool):
    no_reason = await ops("parked", "skip", "schools", str(letter["id"]), "--actor", "anna.smith", *as_schools)
    assert no_reason.code == 2
    assert "--reason" in no_reason.err
    no_actor = await ops("parked", "retry", "schools", str(letter["id"]), *as_schools)
    assert no_actor.code == 2
    assert "--actor" in no_actor.err
    blank = await ops("parked", "skip", "schools", str(letter["id"]), "--actor", "  ", "--reason", "x", *as_schools)
    assert blank.code == 2
    assert "the actor must not be empty" in blank.err
    missing = await ops("parked", "skip", "schools", "999", "--actor", "anna.smith", "--reason", "x", *as_schools)
    assert (missing.code, missing.err) == (1, "error: there is no dead letter 999\n")
    assert await actions(pool, letter["id"]) == []


async def test_lag_counts_the_parked_event_against_its_subscription(schools, ops, as_schools):
    ran = await ops("lag", "schools", *as_schools)
    assert ran.code == 0, ran.err
    [reviews] = [line.split() for line in ran.out.splitlines() if " schools.reviews " in line]
    assert reviews[-1] == "1"
    assert ran.out.splitlines()[-1] == "All 4 subscriptions are at the head; 1 event is parked."
