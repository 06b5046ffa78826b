"""What every handler, policy and deadline job of the notices service works with, in one value.

Built from the app's state once the lifespan has opened the pool and the event store, so nothing
here exists at import time. The rule book and the calendar are data passed into ``decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from shared import calendar as england
from shared.events import EventCatalogue
from shared.eventlog.store import EventStore
from notices.domain.rules import RuleBook
from notices.domain.working_days import WorkingDayCalendar


@dataclass(frozen=True)
class Notices:
    store: EventStore
    pool: asyncpg.Pool
    catalogue: EventCatalogue
    """Reads the notices service's own events and the schools service's it folds."""
    rules: RuleBook
    calendar: WorkingDayCalendar
    clock: Any

    def today(self) -> date:
        return self.clock.today()


ENGLAND_WORKING_DAYS: WorkingDayCalendar = england  # the module has is_working_day / add_working_days


def from_state(state: Any) -> Notices:
    return Notices(
        store=state.store,
        pool=state.pool,
        catalogue=state.read_catalogue,
        rules=state.rule_book,
        calendar=state.working_days,
        clock=state.clock,
    )


def _notices(request: Request) -> Notices:
    return from_state(request.app.state)


NoticesDep = Annotated[Notices, Depends(_notices)]
