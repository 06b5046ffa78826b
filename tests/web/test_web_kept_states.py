"""The command path keeps each stream's folded state and queues one process's commands on a
stream (shared/web/aggregates.py): a command reads only the events after the state kept, a clash
with another process is decided again on only what that process appended, a state folded by
other code is never used, a stream holding personal data is never kept, and commands racing in
one process or in two never spend more than there is."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import ClassVar

from shared.errors import RuleViolation
from shared.eventlog.records import NewEvent
from shared.eventlog.store import APPEND_LOCK_KEY, EventStore
from shared.events import Event, EventCatalogue
from shared.privacy.keys import destroy_key
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.testing.clashes import count_clashes
from shared.web.aggregates import folded_streams
from shared.web.commands import ServiceLog
from shared.web.context import CommandContext

TODAY = date(2026, 11, 2)


class Spent(Event):
    event_type: ClassVar[str] = "Spent"
    amount_pence: int


class Refunded(Event):
    event_type: ClassVar[str] = "Refunded"
    amount_pence: int


class Named(Event):
    event_type: ClassVar[str] = "Named"
    personal_fields: ClassVar[tuple[str, ...]] = ("name",)
    child_id: str
    name: str | None

    def subjects(self) -> list[str]:
        return [f"child:{self.child_id}"]


CATALOGUE = EventCatalogue("kept", [Spent, Refunded, Named])


@dataclass(frozen=True)
class Purse:
    budget_pence: int = 1000
    spent_pence: int = 0
    name: str | None = None


EMPTY = Purse()


class Counted:
    """An ``evolve`` that counts the events it folds."""

    def __init__(self, times: int = 1) -> None:
        self.times = times
        self.folded = 0

    def __call__(self, purse: Purse, event: Event) -> Purse:
        self.folded += 1
        if isinstance(event, Named):
            return replace(purse, name=event.name)
        if isinstance(event, Refunded):
            return replace(purse, spent_pence=purse.spent_pence - event.amount_pence)
        return replace(purse, spent_pence=purse.spent_pence + self.times * event.amount_pence)


def spend(amount: int):
    def decide(purse: Purse) -> list[Event]:
        if purse.spent_pence + amount > purse.budget_pence:
            raise RuleViolation(f"{amount} pence would overspend the purse", field="amount_pence")
        return [Spent(amount_pence=amount)]

    return decide


def context() -> CommandContext:
    return CommandContext(
        service="kept",
        principal=Principal(subject="fo-1", role=Role.FINANCE_OFFICER),
        request_id="req-1",
        correlation_id="corr-1",
        now=datetime(2026, 11, 2, 9, tzinfo=timezone.utc),
        today=TODAY,
    )


def spent(amount: int) -> NewEvent:
    return NewEvent.from_event(Spent(amount_pence=amount), default_effective_date=TODAY)


async def test_a_command_decided_again_after_a_clash_folds_only_what_the_other_process_appended(store, pool):
    await store.append("purse-P1", [spent(1) for _ in range(40)])
    evolve = Counted()
    log = ServiceLog(store, CATALOGUE)
    assert (await log.load("purse-P1", EMPTY, evolve)).version == 40
    evolve.folded = 0

    other = EventStore(pool)  # another process, with its own memory
    other.start()
    try:
        submit_streams = store.submit_streams
        clashed = []

        async def the_other_process_first(*args, **kwargs):
            if not clashed:
                clashed.append(True)
                await other.append("purse-P1", [spent(7)])
            return await submit_streams(*args, **kwargs)

        store.submit_streams = the_other_process_first  # type: ignore[method-assign]
        decided = []

        def decide(purse: Purse) -> list[Event]:
            decided.append(purse.spent_pence)
            return spend(100)(purse)

        outcome = await log.execute(
            context(), "purse-P1", initial=EMPTY, evolve=evolve, decide=decide, operation="spend"
        )
    finally:
        await other.close()

    # Decided on the state kept, clashed, then decided again on it plus the other's one event.
    assert decided == [40, 47]
    assert evolve.folded == 2  # the other process's event, then its own: nothing read twice
    assert (outcome.version, outcome.state.spent_pence) == (42, 147)
    assert sum(r.data["amount_pence"] for r in await store.read_stream("purse-P1")) == 147


async def test_the_next_command_reads_nothing_it_already_holds(store):
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()
    for _ in range(5):
        await log.execute(context(), "purse-P2", initial=EMPTY, evolve=evolve, decide=spend(10), operation="spend")
    # Each command folded only the event it recorded.
    assert evolve.folded == 5
    loaded = await log.load("purse-P2", EMPTY, evolve)
    assert (loaded.version, loaded.state.spent_pence, evolve.folded) == (5, 50, 5)


async def test_a_state_folded_by_other_code_is_never_used(store):
    await store.append("purse-P3", [spent(10) for _ in range(5)])
    log = ServiceLog(store, CATALOGUE)
    first = Counted()
    assert (await log.load("purse-P3", EMPTY, first)).state.spent_pence == 50

    # A changed fold (another evolve): folded from the first event, never from the state kept.
    changed = Counted(times=2)
    loaded = await log.load("purse-P3", EMPTY, changed)
    assert (loaded.state.spent_pence, changed.folded) == (100, 5)
    # Each is kept for the fold that made it: the first, asked again, reads nothing again.
    first.folded = 0
    assert (await log.load("purse-P3", EMPTY, first)).state.spent_pence == 50
    assert first.folded == 0

    # Another initial state, or another catalogue: the same.
    first.folded = 0
    richer = await log.load("purse-P3", Purse(budget_pence=5000), first)
    assert (richer.state.budget_pence, richer.state.spent_pence, first.folded) == (5000, 50, 5)
    first.folded = 0
    upcasting = ServiceLog(store, EventCatalogue("kept", [Spent, Refunded, Named]))
    assert (await upcasting.load("purse-P3", EMPTY, first)).state.spent_pence == 50
    assert first.folded == 5


async def test_a_read_with_a_cut_off_is_folded_from_the_log_and_kept_apart(store):
    await store.append("purse-P4", [spent(10) for _ in range(5)])
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()
    assert (await log.load("purse-P4", EMPTY, evolve, up_to_version=2)).state.spent_pence == 20
    assert (await log.load("purse-P4", EMPTY, evolve)).state.spent_pence == 50
    assert (await log.load("purse-P4", EMPTY, evolve, up_to_version=3)).state.spent_pence == 30


async def test_a_stream_holding_personal_data_is_never_kept_so_an_erasure_shows_at_once(store, pool):
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()
    await store.append(
        "purse-C1", [NewEvent.from_event(Named(child_id="C1", name="Ottoline"), default_effective_date=TODAY)]
    )
    await store.append("purse-C1", [spent(10)])
    assert (await log.load("purse-C1", EMPTY, evolve)).state.name == "Ottoline"

    await destroy_key(pool, "child:C1")  # the data protection officer erases the child

    loaded = await log.load("purse-C1", EMPTY, evolve)
    assert (loaded.state.name, loaded.state.spent_pence) == (None, 10)
    outcome = await log.execute(context(), "purse-C1", initial=EMPTY, evolve=evolve, decide=spend(5), operation="s")
    assert outcome.state.name is None
    assert (await log.load("purse-C1", EMPTY, evolve)).state.name is None


async def test_commands_of_one_process_on_one_stream_take_turns_and_never_clash(store):
    clashes = count_clashes(store)
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()

    async def one() -> bool:
        try:
            await log.execute(context(), "purse-P5", initial=EMPTY, evolve=evolve, decide=spend(100), operation="s")
            return True
        except RuleViolation:
            return False

    results = await asyncio.gather(*(one() for _ in range(25)))

    assert sorted(results) == [False] * 15 + [True] * 10
    assert clashes == []
    assert sum(r.data["amount_pence"] for r in await store.read_stream("purse-P5")) == 1000


async def test_the_next_command_on_a_stream_decides_while_the_one_before_it_is_being_written(store, pool):
    """A command's turn ends once its append is queued: the commands after it decide on the state
    it will leave, without waiting for the disk. Held here by another transaction holding the
    append lock: three commands are decided and queued while none is yet written."""
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()
    await log.execute(context(), "purse-P9", initial=EMPTY, evolve=evolve, decide=spend(100), operation="s")
    queued = []
    submit_streams = store.submit_streams

    async def noted(*args, **kwargs):
        queued.append(await submit_streams(*args, **kwargs))
        return queued[-1]

    store.submit_streams = noted  # type: ignore[method-assign]
    clashes = count_clashes(store)
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK_KEY)
            commands = [
                asyncio.create_task(
                    log.execute(context(), "purse-P9", initial=EMPTY, evolve=evolve, decide=spend(n), operation="s")
                )
                for n in (10, 20, 30)
            ]
            async with asyncio.timeout(10):
                while len(queued) < 3:
                    await asyncio.sleep(0.01)
            assert not any(q.answer.done() for q in queued)  # decided and queued, none written
    outcomes = await asyncio.gather(*commands)

    assert [(o.version, o.state.spent_pence) for o in outcomes] == [(2, 110), (3, 130), (4, 160)]
    assert clashes == []
    assert [r.data["amount_pence"] for r in await store.read_stream("purse-P9")] == [100, 10, 20, 30]
    assert (await ServiceLog(store, CATALOGUE).load("purse-P9", EMPTY, Counted())).state.spent_pence == 160


async def test_two_processes_racing_on_one_stream_never_overspend(store, pool):
    other = EventStore(pool)
    other.start()
    try:
        logs = [ServiceLog(store, CATALOGUE), ServiceLog(other, CATALOGUE)]
        evolve = Counted()

        async def one(log: ServiceLog) -> bool:
            try:
                await log.execute(context(), "purse-P6", initial=EMPTY, evolve=evolve, decide=spend(100), operation="s")
                return True
            except RuleViolation:
                return False

        results = await asyncio.gather(*(one(logs[n % 2]) for n in range(30)))
        # Each process's kept state caught up with the other's appends when it clashed.
        for log in logs:
            assert (await log.load("purse-P6", EMPTY, evolve)).state.spent_pence == 1000
    finally:
        await other.close()

    assert sorted(results) == [False] * 20 + [True] * 10
    assert sum(r.data["amount_pence"] for r in await store.read_stream("purse-P6")) == 1000
    assert len(folded_streams(store)) >= 1


async def test_a_refusal_is_only_given_on_the_stream_as_the_log_has_it_now(store, pool):
    """A command decides first on the state its process kept; had another process since made
    room (a refund), refusing on the kept state would be wrong: it reads the log and decides again."""
    log = ServiceLog(store, CATALOGUE)
    evolve = Counted()
    for _ in range(2):
        await log.execute(context(), "purse-P7", initial=EMPTY, evolve=evolve, decide=spend(500), operation="s")
    other = EventStore(pool)
    other.start()
    try:
        await other.append(
            "purse-P7", [NewEvent.from_event(Refunded(amount_pence=300), default_effective_date=TODAY)]
        )
    finally:
        await other.close()

    outcome = await log.execute(context(), "purse-P7", initial=EMPTY, evolve=evolve, decide=spend(200), operation="s")

    assert (outcome.version, outcome.state.spent_pence) == (4, 900)
    try:
        await log.execute(context(), "purse-P7", initial=EMPTY, evolve=evolve, decide=spend(200), operation="s")
        raise AssertionError("200 more would overspend: it must be refused")
    except RuleViolation:
        pass
