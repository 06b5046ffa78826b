"""Counting the version clashes a store answers: how a test shows commands were decided again, or
that commands of one process took turns and never clashed."""

from __future__ import annotations

import asyncio

from shared.eventlog.store import EventStore, QueuedAppend, WrongExpectedVersion


def count_clashes(store: EventStore) -> list[WrongExpectedVersion]:
    """Every clash the store answers from now on, as it answers it (every append is queued
    through ``submit_streams``, and answered by awaiting what it returns)."""
    clashes: list[WrongExpectedVersion] = []
    submit_streams = store.submit_streams

    async def counted(*args, **kwargs):
        queued = await submit_streams(*args, **kwargs)

        async def answer():
            try:
                return await queued
            except WrongExpectedVersion as clash:
                clashes.append(clash)
                raise

        return QueuedAppend(asyncio.ensure_future(answer()), queued.pending)

    store.submit_streams = counted  # type: ignore[method-assign]
    return clashes
