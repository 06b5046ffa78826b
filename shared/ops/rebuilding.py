"""``rebuild``: a service's read models, or some of them, rebuilt from the log while it runs.

Each read model is rebuilt by ``rebuild_in_transaction`` (shared/eventlog/subscriptions.py): in
one transaction holding its subscription's checkpoint lock, so the running service goes on
reading the old rows until the rebuilt ones replace them. The record of the rebuild, in
``eventlog.read_model_rebuilds``, is written in that same transaction: a rebuild that is
committed is always recorded, and one that failed changed nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from shared.eventlog.subscriptions import Projection, rebuild_in_transaction
from shared.ops.errors import Refused
from shared.ops.service_app import ServiceParts
from shared.services import ServiceSpec


@dataclass(frozen=True)
class Rebuilt:
    read_model: str
    up_to_position: int
    events_replayed: int
    events_parked: int

    def describe(self) -> str:
        parked = (
            "none parked"
            if not self.events_parked
            else f"{self.events_parked} parked again, see: python -m shared.ops parked list"
        )
        return (
            f"{self.read_model}: rebuilt from the log up to position {self.up_to_position} "
            f"({self.events_replayed} events replayed, {parked})"
        )


def chosen_read_models(spec: ServiceSpec, parts: ServiceParts, names: Sequence[str]) -> list[Projection]:
    """The read models named (all of the service's when none is), refusing a name that is not one."""
    models = parts.read_models
    if not names:
        return models
    known = ", ".join(m.name for m in models)
    by_name = {p.name: p for p in parts.projections}
    chosen = []
    for name in dict.fromkeys(names):
        projection = by_name.get(name)
        if projection is None:
            raise Refused(f"{spec.name} has no read model called {name!r}: its read models are {known}")
        if not projection.tables:
            raise Refused(
                f"{name} reacts to events and keeps no tables, so there is nothing to rebuild: "
                f"{spec.name}'s read models are {known}"
            )
        chosen.append(projection)
    return chosen


async def rebuild_and_record(
    pool: asyncpg.Pool, spec: ServiceSpec, projection: Projection, *, actor: str, reason: str | None
) -> Rebuilt:
    p = projection
    async with pool.acquire() as conn:
        async with conn.transaction():
            replayed = await rebuild_in_transaction(conn, p)
            position = await conn.fetchval(
                f'SELECT position FROM "{p.schema}".subscription_checkpoints WHERE name = $1', p.name
            )
            parked = await conn.fetchval(
                f'SELECT count(*) FROM "{p.schema}".dead_letters WHERE subscription = $1 AND status = $2',
                p.name,
                "parked",
            )
            # now() is when the transaction, and so the rebuild, began.
            await conn.execute(
                "INSERT INTO eventlog.read_model_rebuilds (service, read_model, actor, reason, started_at, "
                "finished_at, up_to_position, events_replayed, events_parked) "
                "VALUES ($1, $2, $3, $4, now(), clock_timestamp(), $5, $6, $7)",
                spec.name,
                p.name,
                actor,
                reason,
                position,
                replayed,
                parked,
            )
    return Rebuilt(p.name, position, replayed, parked)
