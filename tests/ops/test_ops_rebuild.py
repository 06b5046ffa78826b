"""``rebuild``: a read model rebuilt from the log while its service runs is the read model the
service keeps live; one named read model is the only one touched; every rebuild is recorded with
who asked for it."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

from schools.domain.catalogue import schools_catalogue
from schools.projections import read_models
from schools.projections.reviews import ProgressReviews

sys.path.insert(0, str(Path(__file__).parent))
from ops_support import tables  # noqa: E402

SCHOOLS_TABLES = {
    "schools.profiles": ("school_profiles", "school_inspections"),
    "schools.support": ("support_years", "adviser_visits"),
    "schools.reviews": ("progress_reviews",),
}
EVERY_TABLE = [t for names in SCHOOLS_TABLES.values() for t in names]


def test_the_tables_above_are_the_schools_read_models():
    assert {m.name: tuple(m.tables) for m in read_models(schools_catalogue())} == SCHOOLS_TABLES


async def damage(pool) -> None:
    """What a faulty release might leave: rows missing and rows wrong, in every read model."""
    await pool.execute("DELETE FROM schools.school_inspections")
    await pool.execute("UPDATE schools.school_profiles SET name = 'wrong' WHERE urn = '118235'")
    await pool.execute("DELETE FROM schools.adviser_visits")
    await pool.execute("DELETE FROM schools.progress_reviews WHERE urn = '118235'")


async def rebuilds(pool) -> list[tuple]:
    """The record of rebuilds, read as the owner (the services may only add to it)."""
    rows = await pool.fetch(
        "SELECT service, read_model, actor, reason, database_role, up_to_position, events_replayed, "
        "events_parked FROM eventlog.read_model_rebuilds ORDER BY id"
    )
    return [tuple(r.values()) for r in rows]


async def test_a_rebuild_gives_exactly_the_tables_the_live_service_kept(schools, ops, as_schools):
    live = await tables(schools.pool, "schools", EVERY_TABLE)
    empty = [table for table, rows in live.items() if not rows]
    assert not empty, f"an empty table would prove little: {empty}"
    await damage(schools.pool)
    assert await tables(schools.pool, "schools", EVERY_TABLE) != live

    ran = await ops("rebuild", "schools", "--actor", "anna.smith INC-20431", *as_schools)

    assert ran.code == 0, ran.err
    assert await tables(schools.pool, "schools", EVERY_TABLE) == live
    head = await schools.head()
    for name in SCHOOLS_TABLES:
        assert f"{name}: rebuilt from the log up to position {head} ({head} events replayed, none parked)" in ran.out
    assert ran.err == ""


async def test_the_service_goes_on_from_where_the_rebuild_left_its_read_models(schools, ops, as_schools):
    assert (await ops("rebuild", "schools", "--actor", "anna.smith", *as_schools)).code == 0

    await schools.register("118237", "Elm Primary School")
    await schools.categorise("118237", "good")
    await schools.settled()

    after = await tables(schools.pool, "schools", EVERY_TABLE)
    assert ("118237", "Elm Primary School") in {(row[0], row[1]) for row in after["school_profiles"]}
    assert "118237" in {row[0] for row in after["progress_reviews"]}
    # And what the service kept since is what a rebuild makes of the log now.
    assert (await ops("rebuild", "schools", "--actor", "anna.smith", *as_schools)).code == 0
    assert await tables(schools.pool, "schools", EVERY_TABLE) == after


async def test_while_a_rebuild_runs_the_service_reads_the_old_rows_not_an_empty_read_model(
    schools, ops, as_schools, monkeypatch
):
    live = await tables(schools.pool, "schools", ["progress_reviews"])
    replaying, carry_on = threading.Event(), threading.Event()
    apply = ProgressReviews.apply

    async def paused_in_the_rebuild(self, conn, record):
        # The command runs in a thread of its own; the service's subscription in this one.
        if threading.current_thread() is not threading.main_thread() and not replaying.is_set():
            replaying.set()
            carry_on.wait(timeout=30)
        return await apply(self, conn, record)

    monkeypatch.setattr(ProgressReviews, "apply", paused_in_the_rebuild)
    rebuilding = asyncio.ensure_future(
        ops("rebuild", "schools", "schools.reviews", "--actor", "anna.smith", *as_schools)
    )
    assert await asyncio.to_thread(replaying.wait, 30), "the rebuild never replayed an event"
    try:
        during = await tables(schools.pool, "schools", ["progress_reviews"])
    finally:
        carry_on.set()
    ran = await rebuilding

    assert ran.code == 0, ran.err
    assert during == live
    assert await tables(schools.pool, "schools", ["progress_reviews"]) == live


async def test_a_rebuild_while_officers_keep_writing_loses_and_doubles_nothing(schools, ops, as_schools):
    async def officers_writing() -> None:
        for n in range(8):
            await schools.register(f"11830{n}", f"School {n}")
            await schools.categorise(f"11830{n}", "good")

    rebuilt, _ = await asyncio.gather(
        ops("rebuild", "schools", "--actor", "anna.smith", *as_schools), officers_writing()
    )
    assert rebuilt.code == 0, rebuilt.err
    await schools.settled()
    kept = await tables(schools.pool, "schools", EVERY_TABLE)
    assert len(kept["school_profiles"]) == 3 + 8
    assert len(kept["progress_reviews"]) == 2 + 8

    assert (await ops("rebuild", "schools", "--actor", "anna.smith", *as_schools)).code == 0
    assert await tables(schools.pool, "schools", EVERY_TABLE) == kept


async def test_rebuilding_one_named_read_model_touches_no_other(schools, ops, as_schools, pool):
    live = await tables(schools.pool, "schools", EVERY_TABLE)
    checkpoints = dict(await schools.pool.fetch("SELECT name, position FROM schools.subscription_checkpoints"))
    await damage(schools.pool)
    damaged = await tables(schools.pool, "schools", EVERY_TABLE)

    ran = await ops("rebuild", "schools", "schools.reviews", "--actor", "anna.smith", *as_schools)

    assert ran.code == 0, ran.err
    now = await tables(schools.pool, "schools", EVERY_TABLE)
    assert now["progress_reviews"] == live["progress_reviews"]
    for table in EVERY_TABLE:
        if table != "progress_reviews":
            assert now[table] == damaged[table], f"{table} was touched"
    assert "schools.reviews: rebuilt" in ran.out
    assert "schools.profiles" not in ran.out and "schools.support" not in ran.out
    assert [r[1] for r in await rebuilds(pool)] == ["schools.reviews"]
    after = dict(await schools.pool.fetch("SELECT name, position FROM schools.subscription_checkpoints"))
    assert {n: p for n, p in after.items() if n != "schools.reviews"} == {
        n: p for n, p in checkpoints.items() if n != "schools.reviews"
    }


async def test_each_rebuild_is_recorded_with_who_asked_for_it_and_why(schools, ops, as_schools, pool):
    head = await schools.head()
    ran = await ops(
        "rebuild", "schools", "schools.support", "schools.profiles",
        "--actor", "anna.smith INC-20431", "--reason", "release 2.4.1 fixes the visit writer", *as_schools,
    )
    assert ran.code == 0, ran.err
    assert "Recorded in eventlog.read_model_rebuilds as done by anna.smith INC-20431." in ran.out
    reason = "release 2.4.1 fixes the visit writer"
    assert await rebuilds(pool) == [
        ("schools", "schools.support", "anna.smith INC-20431", reason, "schools_service", head, head, 0),
        ("schools", "schools.profiles", "anna.smith INC-20431", reason, "schools_service", head, head, 0),
    ]


async def test_a_rebuild_names_only_read_models_and_needs_an_actor(schools, ops, as_schools, pool):
    unknown = await ops("rebuild", "schools", "schools.nothing", "--actor", "anna.smith", *as_schools)
    assert unknown.code == 1
    assert unknown.err.strip() == (
        "error: schools has no read model called 'schools.nothing': its read models are "
        "schools.profiles, schools.support, schools.reviews"
    )
    policy = await ops("rebuild", "schools", "schools.policies", "--actor", "anna.smith", *as_schools)
    assert policy.code == 1
    assert "schools.policies reacts to events and keeps no tables, so there is nothing to rebuild" in policy.err
    assert len(policy.err.strip().splitlines()) == 1
    nobody = await ops("rebuild", "schools", *as_schools)
    assert nobody.code == 2
    assert "--actor" in nobody.err
    no_schema = await ops("rebuild", "event-log", "--actor", "anna.smith", *as_schools)
    assert no_schema.code == 1
    assert "event-log keeps no read models" in no_schema.err
    assert await rebuilds(pool) == []
