"""What every route, handler and policy of the pupil-premium service works with, in one value.

Built from the app's state once the lifespan has opened the pool and the event store, so nothing
here exists at import time. It also names the service's streams, so "the year's budget" and "the
council's settings" are folded the same way wherever they are needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from shared.council_calendar import CALENDAR_STREAM
from shared.web.commands import Loaded, ServiceLog

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.council_config import (
    NO_SETTINGS,
    CouncilSettings,
    config_stream_id,
    evolve_settings,
)
from pupil_premium.domain.financial_year import budget_stream_id


@dataclass(frozen=True)
class PupilPremium:
    log: ServiceLog
    """The event store and the catalogue the service reads with (its own events and the pep
    service's events its impact policy reacts to)."""
    pool: asyncpg.Pool
    """For the read models."""
    clock: Any
    """The app's clock (``now()``, ``today()``), fixed in tests."""

    async def budget(self, financial_year: str) -> Loaded[Budget]:
        """A financial year's PP+ budget (``ppbudget-<year>``); a year written wrongly is refused
        naming ``financial_year``."""
        return await self.log.load(budget_stream_id(financial_year), NO_BUDGET, evolve)

    async def settings(self) -> CouncilSettings:
        """The council's rates and devolution policies (``ppconfig-council``) and its term dates
        (the council calendar, ``calendar-council``), as they are now."""
        own = await self.log.load(config_stream_id(), NO_SETTINGS, evolve_settings)
        return (await self.log.load(CALENDAR_STREAM, own.state, evolve_settings)).state


def from_state(state: Any) -> PupilPremium:
    return PupilPremium(log=ServiceLog(state.store, state.catalogue), pool=state.pool, clock=state.clock)


def _root(request: Request) -> PupilPremium:
    return from_state(request.app.state)


PupilPremiumDep = Annotated[PupilPremium, Depends(_root)]
