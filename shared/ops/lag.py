"""``lag``: how far each subscription of each service is behind the log.

For each subscription (its row in the service's ``subscription_checkpoints``): the last position
it applied, how many events the log has after it, how long the oldest of those has been waiting
(0 when it is at the head), and how many of its events are parked. A subscription held back (by
a rebuild, a slow or failing event, or a stopped service) shows here before readers notice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asyncpg

from shared.services import ServiceSpec


@dataclass(frozen=True)
class Lag:
    service: str
    subscription: str
    position: int
    behind: int  # events in the log after its position
    seconds_behind: float  # how long the oldest of them has been in the log
    parked: int


async def lag(pool: asyncpg.Pool, services: Sequence[ServiceSpec]) -> tuple[int, list[Lag]]:
    """The log's head and every subscription of ``services``."""
    async with pool.acquire() as conn:
        # One snapshot, so the head and the positions are of the same moment.
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            head = await conn.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
            found = []
            for spec in services:
                rows = await conn.fetch(
                    "SELECT c.name, c.position, "
                    f'  (SELECT count(*) FROM "{spec.schema}".dead_letters d '
                    "   WHERE d.subscription = c.name AND d.status = $1) AS parked, "
                    "  (SELECT greatest(0, extract(epoch FROM statement_timestamp() - e.recorded_at)) "
                    "   FROM eventlog.events e WHERE e.position > c.position ORDER BY e.position LIMIT 1) "
                    "   AS waiting "
                    f'FROM "{spec.schema}".subscription_checkpoints c ORDER BY c.name',
                    "parked",
                )
                found += [
                    Lag(spec.name, r["name"], r["position"], head - r["position"], float(r["waiting"] or 0),
                        r["parked"])
                    for r in rows
                ]
    return head, found


def report(head: int, lags: Sequence[Lag], say: Callable[[str], None]) -> None:
    say(f"The log's head is at position {head}.")
    if not lags:
        say("No subscription has started yet.")
        return
    columns = ("service", "subscription", "position", "behind", "seconds behind", "parked")
    rows = [
        (x.service, x.subscription, str(x.position), str(x.behind), f"{x.seconds_behind:.0f}", str(x.parked))
        for x in lags
    ]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    for line in (columns, *rows):
        names, numbers = zip(line[:2], widths[:2]), zip(line[2:], widths[2:])
        cells = [cell.ljust(width) for cell, width in names] + [cell.rjust(width) for cell, width in numbers]
        say("  ".join(cells).rstrip())
    behind = [x for x in lags if x.behind]
    parked = sum(x.parked for x in lags)
    summary = (
        f"{len(behind)} of {len(lags)} subscriptions are behind the head"
        if behind
        else f"All {len(lags)} subscriptions are at the head"
    )
    if not parked:
        summary += "; no event is parked."
    else:
        summary += f"; {parked} event is parked." if parked == 1 else f"; {parked} events are parked."
    say(summary)
