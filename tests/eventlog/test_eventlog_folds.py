"""A read model written from the domain's fold sees exactly the state the stream's events give,
whether it applies them in order, after a restart, after a failed transaction, or in a rebuild."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from shared.eventlog import NewEvent
from shared.eventlog.folds import FoldStep, StreamFolds, write_row
from shared.events import Event, EventCatalogue


class Deposited(Event):
    event_type: ClassVar[str] = "Deposited"
    item: str
    pence: int


@dataclass(frozen=True)
class Account:
    items: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.items.values())


EMPTY = Account({})


def evolve(account: Account, event: Event) -> Account:
    assert isinstance(event, Deposited)
    return replace(account, items={**account.items, event.item: account.items.get(event.item, 0) + event.pence})


CATALOGUE = EventCatalogue("test", [Deposited])
FOLDS = {"account": (EMPTY, evolve)}


def deposit(item: str, pence: int) -> NewEvent:
    return NewEvent.from_event(Deposited(item=item, pence=pence), default_effective_date=date(2026, 1, 5))


async def test_each_event_is_folded_onto_the_state_before_it(store, pool):
    recorded = await store.append("account-A", [deposit("books", 100), deposit("trip", 250), deposit("books", 5)])
    folds = StreamFolds(CATALOGUE, FOLDS)
    totals = []
    async with pool.acquire() as conn:
        for record in recorded:
            step = await folds.step(conn, record)
            totals.append((step.before.total, step.after.total))
    assert totals == [(0, 100), (100, 350), (350, 355)]


async def test_a_fold_that_starts_mid_stream_reads_the_stream_up_to_the_event(store, pool):
    recorded = await store.append("account-B", [deposit("books", 100), deposit("trip", 250), deposit("fees", 7)])
    async with pool.acquire() as conn:
        # A new process (or a rebuild starting over) meets the third event first.
        step = await StreamFolds(CATALOGUE, FOLDS).step(conn, recorded[2])
        assert (step.before.total, step.after.total) == (350, 357)
        # A retry of an event whose transaction failed is folded onto the state before it again,
        # not onto the state it produced the first time.
        folds = StreamFolds(CATALOGUE, FOLDS)
        for record in recorded[:2]:
            await folds.step(conn, record)
        await folds.step(conn, recorded[1])
        assert (await folds.step(conn, recorded[2])).after.total == 357


async def test_only_the_items_an_event_changed_are_reported(store, pool):
    recorded = await store.append("account-C", [deposit("books", 100), deposit("trip", 250), deposit("books", 5)])
    folds = StreamFolds(CATALOGUE, FOLDS, keep=1)
    async with pool.acquire() as conn:
        steps: list[FoldStep] = [await folds.step(conn, r) for r in recorded]
    assert list(steps[1].changed(lambda a: a.items)) == [(250, None)]
    assert list(steps[2].changed(lambda a: a.items)) == [(105, 100)]


async def test_a_state_dropped_from_memory_is_folded_again_when_next_needed(store, pool):
    a = await store.append("account-D", [deposit("books", 1), deposit("books", 2)])
    b = await store.append("account-E", [deposit("trip", 10)])
    folds = StreamFolds(CATALOGUE, FOLDS, keep=1)
    async with pool.acquire() as conn:
        await folds.step(conn, a[0])
        await folds.step(conn, b[0])  # keeps one stream: account-D's state is dropped
        assert (await folds.step(conn, a[1])).after.total == 3


async def test_a_row_is_inserted_then_replaced_keeping_its_key_and_kept_columns(pool):
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE public.fold_rows (id text PRIMARY KEY, first_seen int, total int)")
        await write_row(conn, "public.fold_rows", {"id": "A", "first_seen": 1, "total": 100},
                        key=("id",), kept=("first_seen",))
        await write_row(conn, "public.fold_rows", {"id": "A", "first_seen": 9, "total": 350},
                        key=("id",), kept=("first_seen",))
        rows = await conn.fetch("SELECT id, first_seen, total FROM public.fold_rows")
    assert [tuple(r) for r in rows] == [("A", 1, 350)]


class Named(Event):
    event_type: ClassVar[str] = "Named"
    personal_fields: ClassVar[tuple[str, ...]] = ("name",)
    child_id: str
    name: str | None

    def subjects(self) -> list[str]:
        return [f"child:{self.child_id}"]


def named(state: str | None, event: Event) -> str | None:
    return event.name if isinstance(event, Named) else state


async def test_a_state_forgotten_is_folded_again_from_the_log_as_it_now_reads(store, pool):
    """A state holding personal data since erased is forgotten: folded again, it reads as erased."""
    named_on = date(2026, 1, 5)
    first = NewEvent.from_event(Named(child_id="C1", name="Ottoline"), default_effective_date=named_on)
    recorded = await store.append("named-C1", [first])
    folds = StreamFolds(EventCatalogue("test", [Named, Deposited]), {"named": (None, named)})
    async with pool.acquire() as conn:
        assert (await folds.step(conn, recorded[0])).after == "Ottoline"
        await conn.execute(
            "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() "
            "WHERE subject = 'child:C1'"
        )
        [later] = await store.append("named-C1", [deposit("books", 1)])
        folds.forget("named-C1")
        assert (await folds.step(conn, later)).before is None
