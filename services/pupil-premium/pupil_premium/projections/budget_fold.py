"""A year's budget as the domain folds it, just before and just after the event being applied.

The request register, the ledger, the school projects and the payment runs write their rows from
the budget the decisions are made against (``domain.budget_state.evolve``), never from a fold of
their own (``shared.eventlog.folds``: one ``evolve`` per event applied in order; the year's stream
folded again when an event is not the next one).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import asyncpg

from shared.eventlog.folds import FoldStep, StreamFolds
from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.events import BUDGET_EVENT_TYPES, PUPIL_PREMIUM_EVENTS
from pupil_premium.domain.financial_year import BUDGET_CATEGORY

BUDGET_EVENTS = frozenset(cls.event_type for cls in BUDGET_EVENT_TYPES)
"""A projection written from the fold reads every event of the budget streams."""

Step = FoldStep[Budget]


def year_of(step: Step) -> str:
    """The financial year whose budget the event changed."""
    return step.after.financial_year or ""


class BudgetReadModel(ABC):
    """A read model written from the folded budget: each budget event is folded once, and the
    model writes its rows from the budget either side of it."""

    schema = "pupil_premium"
    event_types = BUDGET_EVENTS

    def __init__(self) -> None:
        self._folds = StreamFolds(PUPIL_PREMIUM_EVENTS, {BUDGET_CATEGORY: (NO_BUDGET, evolve)})

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        await self.write(conn, await self._folds.step(conn, event), event.position)

    @abstractmethod
    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        """Write the rows the event changed; ``position`` is the event's place in the log."""
