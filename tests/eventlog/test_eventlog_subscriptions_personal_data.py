"""A read model that writes nothing personal says so (``personal_data = False``): its subscription
gives it the events with their sealed fields left sealed and read as unknown, as after an erasure,
so nothing is decrypted for it; any other read model is given them opened."""

from __future__ import annotations

from datetime import date

from shared.eventlog import NewEvent, RecordedEvent, Subscription, rebuild
from shared.eventlog.tables import subscription_tables_ddl

NAME = "Ottoline Brackenbury-Voss"


def entered_care(child_id: str) -> NewEvent:
    return NewEvent(
        event_type="ChildEnteredCare",
        data={"child_id": child_id, "name": NAME, "date_of_birth": "2013-02-17", "legal_status": "full_care_order"},
        effective_date=date(2024, 9, 2),
        subjects=(f"child:{child_id}",),
        personal=("name", "date_of_birth"),
        data_subject=f"child:{child_id}",
    )


class Seen:
    """Notes what each event it is given holds; it keeps its checkpoint in schema ``seen``."""

    schema = "seen"
    tables = ("nothing",)
    event_types = frozenset({"ChildEnteredCare"})

    def __init__(self, name: str, personal_data: bool | None) -> None:
        self.name = name
        if personal_data is not None:
            self.personal_data = personal_data
        self.given: list[tuple] = []

    async def apply(self, conn, record: RecordedEvent) -> None:
        self.given.append((record.data["child_id"], record.data["name"], record.data["legal_status"], record.erased))


async def create_schema(pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute("CREATE SCHEMA IF NOT EXISTS seen")
        for statement in subscription_tables_ddl("seen"):
            await conn.execute(statement)
        await conn.execute("CREATE TABLE IF NOT EXISTS seen.nothing (id int)")


async def test_a_read_model_that_writes_nothing_personal_is_given_its_events_unopened(store, pool):
    await create_schema(pool)
    await store.append("child-C1", [entered_care("C1")])
    unopened, opened, unsaid = Seen("unopened", False), Seen("opened", True), Seen("unsaid", None)
    for projection in (unopened, opened, unsaid):
        await Subscription(pool, projection).catch_up()

    assert unopened.given == [("C1", None, "full_care_order", ("name", "date_of_birth"))]
    assert opened.given == unsaid.given == [("C1", NAME, "full_care_order", ())]

    # A rebuild replays through the same subscription, so it is given them the same way.
    unopened.given.clear()
    await rebuild(pool, unopened)
    assert unopened.given == [("C1", None, "full_care_order", ("name", "date_of_birth"))]
