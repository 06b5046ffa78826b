"""What every route, handler, policy and deadline job of the notices service works with, in one
value: the composition root.

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
from shared.web.commands import ServiceLog
from notices.domain.rules import RuleBook
from notices.domain.working_days import WorkingDayCalendar


@dataclass(frozen=True)
class Notices:
    log: ServiceLog
    """Reads with the notices service's own events and the schools service's it folds."""
    pool: asyncpg.Pool
    clock: Any
    rules: RuleBook
    calendar: WorkingDayCalendar

    def today(self) -> date:
        return self.clock.today()


ENGLAND_WORKING_DAYS: WorkingDayCalendar = england  # the module has is_working_day / add_working_days


def from_state(state: Any) -> Notices:
    return Notices(
        log=ServiceLog(state.store, state.read_catalogue),
        pool=state.pool,
        clock=state.clock,
        rules=state.rule_book,
        calendar=state.working_days,
    )


def _root(request: Request) -> Notices:
    return from_state(request.app.state)


NoticesDep = Annotated[Notices, Depends(_root)]
