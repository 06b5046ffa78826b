"""Deadlines that fire on their own: the scheduler's job.

The read model keeps every pending deadline with the day it fires (``notices.deadlines``). Each
run takes the streams with a deadline fired by the clock's today and appends, stream by stream,
each deadline still pending there (``handlers.deadlines``) - compliance period end, end of the
window for representations, eligibility date, direction response and directed-notice deadlines,
consultation close, lapse of powers.
"""

from __future__ import annotations

import logging
from typing import Any

from shared.scheduler import ScheduledJob
from notices.handlers.deadlines import fire_passed_deadlines
from notices.queries.read_models import streams_with_deadlines_fired
from notices.wiring import Notices, from_state

log = logging.getLogger(__name__)


async def fire_due_deadlines(notices: Notices) -> int:
    """Append every deadline fired by today; returns how many events were appended."""
    today = notices.today()
    fired = 0
    for stream_id in await streams_with_deadlines_fired(notices.pool, today):
        try:
            fired += await fire_passed_deadlines(notices, stream_id, today)
        except Exception:  # one stream's trouble must not hold up the others' deadlines
            log.exception("could not fire the deadlines of %s; trying again next run", stream_id)
    return fired


def deadline_jobs() -> list[ScheduledJob]:
    async def run(state: Any) -> int:
        return await fire_due_deadlines(from_state(state))

    return [ScheduledJob("notices-deadlines", run)]
