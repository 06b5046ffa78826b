"""What every route, handler, policy and deadline job of the pep service works with, in one value.

Built from the app's state once the lifespan has opened the pool and the event store, so nothing
here exists at import time. It also names the service's streams, so "the child's record", "the
child's PEPs" and "the council's settings" are folded the same way wherever they are needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from shared.council_calendar import CALENDAR_STREAM
from shared.events import child_subject
from shared.privacy.events import privacy_stream
from shared.web.commands import Loaded, ServiceLog

from pep.domain import children, council_config, peps, personal_data
from pep.domain.streams import child_stream, council_config_stream, pep_stream


@dataclass(frozen=True)
class Pep:
    log: ServiceLog
    """The event store and the catalogue the service reads with (its own events and the schools
    and notices events its school-concern policy reacts to)."""
    pool: asyncpg.Pool
    """For the read models."""
    clock: Any
    """The app's clock (``now()``, ``today()``), fixed in tests."""

    def today(self) -> date:
        """Today in England by the service's clock."""
        return self.clock.today()

    async def config(self) -> council_config.CouncilConfig:
        """The council's term dates (its calendar, read from the log) and PEP timing policy
        versions, as they are now."""
        own = await self.log.load(council_config_stream(), council_config.NO_CONFIG, council_config.evolve)
        return (await self.log.load(CALENDAR_STREAM, own.state, council_config.evolve)).state

    async def child(self, child_id: str) -> Loaded[children.ChildState]:
        """A child's care episodes and school places (``child-<id>``)."""
        return await self.log.load(child_stream(child_id), children.NO_CHILD, children.evolve)

    async def peps(self, child_id: str) -> Loaded[peps.PepState]:
        """All of a child's PEPs (``pep-<id>``)."""
        return await self.log.load(pep_stream(child_id), peps.NO_PEPS, peps.evolve)

    async def personal_data_erased_on(self, child_id: str) -> date | None:
        """The day the child's personal data was erased, from their data protection record
        (``privacy-child:<id>``); None while it is not."""
        loaded = await self.log.load(privacy_stream(child_subject(child_id)), None, personal_data.erased_on)
        return loaded.state


def from_state(state: Any) -> Pep:
    return Pep(log=ServiceLog(state.store, state.catalogue), pool=state.pool, clock=state.clock)


def _root(request: Request) -> Pep:
    return from_state(request.app.state)


PepDep = Annotated[Pep, Depends(_root)]
