"""Whether the log still holds events recorded before personal fields were sealed.

Migration 0008 recorded, in ``eventlog.log_sealing``, whether the log held any events when it ran:
those were written before sealing existed, so children's names, dates of birth and words may be
in them as plain text. Until an operator has sealed them (``python -m shared.ops
seal-existing-log``, docs/operations.md) no service starts: serving such a log would show data
that an erasure could never reach.
"""

from __future__ import annotations

import asyncpg

from shared.migrations import asyncpg_url

SEAL_COMMAND = "python -m shared.ops seal-existing-log"
RUNBOOK = "docs/operations.md, 'Runbook: sealing events recorded before sealing'"


class LogNotSealed(RuntimeError):
    """The log holds events recorded before personal fields were sealed: nothing may serve it."""

    def __init__(self) -> None:
        super().__init__(
            "the event log holds events recorded before personal fields were sealed, so no service "
            f"may serve it yet: stop the services and run `{SEAL_COMMAND} --actor <who>` as the database "
            f"owner ({RUNBOOK}); this service will start once that is done"
        )


async def sealing_needed(db: asyncpg.Pool | asyncpg.Connection) -> bool:
    """True while the log holds events recorded before sealing that have not been sealed. A log not
    yet migrated that far says nothing here (/ready reports the migrations instead)."""
    if await db.fetchval("SELECT to_regclass('eventlog.log_sealing')") is None:
        return False
    return bool(await db.fetchval("SELECT needed AND sealed_at IS NULL FROM eventlog.log_sealing"))


async def sealing_needed_at(database_url: str) -> bool:
    """``sealing_needed``, over a connection of its own: for the migrate step and the launcher."""
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        return await sealing_needed(conn)
    finally:
        await conn.close()


async def refuse_if_not_sealed(db: asyncpg.Pool | asyncpg.Connection) -> None:
    if await sealing_needed(db):
        raise LogNotSealed()
