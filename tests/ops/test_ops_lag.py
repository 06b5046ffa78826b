"""``lag``: a subscription held back shows behind the head while the others are at it; parked
events are counted against their subscription."""

from __future__ import annotations


def rows_of(out: str) -> dict[str, list[str]]:
    """The table's rows by subscription: [service, subscription, position, behind, seconds, parked]."""
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("service")))
    return {cells[1]: cells for cells in (line.split() for line in lines[header + 1:-1])}


async def test_a_held_back_subscription_shows_behind_the_head(schools, ops, as_schools, pool):
    async with pool.acquire() as conn:
        async with conn.transaction():
            # What a long rebuild does to the live subscription: its checkpoint is locked.
            await conn.execute(
                "SELECT 1 FROM schools.subscription_checkpoints WHERE name = 'schools.reviews' FOR UPDATE"
            )
            reviews_at = await conn.fetchval(
                "SELECT position FROM schools.subscription_checkpoints WHERE name = 'schools.reviews'"
            )
            await schools.register("118237", "Elm Primary School")
            await schools.categorise("118237", "good")  # a review is scheduled, which reviews would show
            await schools.settled(except_for="schools.reviews")
            head = await schools.head()

            ran = await ops("lag", "schools", *as_schools)

    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[0] == f"The log's head is at position {head}."
    rows = rows_of(ran.out)
    assert set(rows) == {"schools.policies", "schools.profiles", "schools.support", "schools.reviews"}
    service, _, position, behind, seconds, parked = rows["schools.reviews"]
    assert (service, int(position), int(behind), int(parked)) == ("schools", reviews_at, head - reviews_at, 0)
    assert head > reviews_at
    for name in ("schools.policies", "schools.profiles", "schools.support"):
        assert rows[name][2:] == [str(head), "0", "0", "0"], name
    assert ran.out.splitlines()[-1] == "1 of 4 subscriptions are behind the head; no event is parked."

    await schools.settled()
    caught_up = await ops("lag", "schools", *as_schools)
    assert rows_of(caught_up.out)["schools.reviews"][2:] == [str(head), "0", "0", "0"]
    assert caught_up.out.splitlines()[-1] == "All 4 subscriptions are at the head; no event is parked."


async def test_every_service_needs_the_owner_and_one_service_its_own_role(
    schools, ops, as_schools, database_url
):
    everywhere = await ops("lag", "--database-url", database_url)
    assert everywhere.code == 0, everywhere.err
    assert len(rows_of(everywhere.out)) == 4  # only the schools service has run on this database

    as_the_service = await ops("lag", *as_schools)
    assert as_the_service.code == 1
    assert as_the_service.err.startswith("error: the database refused: permission denied for schema ")
