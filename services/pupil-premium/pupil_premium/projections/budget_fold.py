"""A year's budget as the domain folds it, just before and just after the event being applied.

The request register, the ledger, the school projects and the payment runs write their rows from
the budget the decisions are made against (``domain.budget_state.evolve``), never from a fold of
their own. Each projection keeps the last budget it folded for each year, so applying the log in
order costs one ``evolve`` per event; when the event is not the next one after the budget it holds (the first
event after a start, a retry, a rebuild), the year's stream is read and folded again up to just
before the event.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.events import Event

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.events import BUDGET_EVENT_TYPES, PUPIL_PREMIUM_EVENTS

BUDGET_EVENTS = frozenset(cls.event_type for cls in BUDGET_EVENT_TYPES)
"""A projection written from the fold reads every event of the budget streams."""


Item = TypeVar("Item")


@dataclass(frozen=True)
class Step:
    """One event and the year's budget either side of it."""

    before: Budget
    event: Event
    after: Budget

    @property
    def financial_year(self) -> str:
        return self.after.financial_year or ""

    def changed(self, items: Callable[[Budget], Mapping[str, Item]]) -> Iterator[tuple[Item, Item | None]]:
        """Each item (request, run) the event changed or added, with what it was before (None
        when new). The fold shares what an event leaves alone, so an unchanged item is the same
        object either side."""
        earlier = items(self.before)
        for item_id, item in items(self.after).items():
            if item is not earlier.get(item_id):
                yield item, earlier.get(item_id)


class BudgetFolds:
    """The last budget folded for each year, so the next event costs one ``evolve``."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[int, Budget]] = {}

    async def step(self, conn: asyncpg.Connection, record: RecordedEvent) -> Step:
        version, budget = self._last.get(record.stream_id, (0, NO_BUDGET))
        if version != record.stream_version - 1:
            budget = await _fold_before(conn, record)
        event = _decode(record)
        after = evolve(budget, event)
        self._last[record.stream_id] = (record.stream_version, after)
        return Step(budget, event, after)


class BudgetReadModel(ABC):
    """A read model written from the folded budget: each budget event is folded once, and the
    model writes its rows from the budget either side of it."""

    schema = "pupil_premium"
    event_types = BUDGET_EVENTS

    def __init__(self) -> None:
        self._folds = BudgetFolds()

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        await self.write(conn, await self._folds.step(conn, event), event.position)

    @abstractmethod
    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        """Write the rows the event changed; ``position`` is the event's place in the log."""


async def _fold_before(conn: asyncpg.Connection, record: RecordedEvent) -> Budget:
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1 AND stream_version < $2"
        " ORDER BY stream_version",
        record.stream_id,
        record.stream_version,
    )
    budget = NO_BUDGET
    for row in rows:
        budget = evolve(budget, _decode(record_from_row(row)))
    return budget


def _decode(record: RecordedEvent) -> Event:
    return PUPIL_PREMIUM_EVENTS.decode(record.event_type, record.schema_version, record.data)


async def write_row(
    conn: asyncpg.Connection,
    table: str,
    row: Mapping[str, Any],
    *,
    key: tuple[str, ...],
    kept: tuple[str, ...] = (),
) -> None:
    """Write an item's row as the fold now has it: inserted the first time, every other column
    replaced after that, except the key and the ``kept`` columns (where the item first appeared
    in the log, which orders the lists)."""
    names = list(row)
    changed = [n for n in names if n not in key and n not in kept]
    await conn.execute(
        f"INSERT INTO pupil_premium.{table} ({', '.join(names)}) "
        f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
        + ", ".join(f"{n} = EXCLUDED.{n}" for n in changed),
        *row.values(),
    )
