"""Counting the version clashes a store answers: how a test shows commands were decided again, or
that commands of one process took turns and never clashed."""

from __future__ import annotations

from shared.eventlog.store import EventStore, WrongExpectedVersion


def count_clashes(store: EventStore) -> list[WrongExpectedVersion]:
    """Every clash the store answers from now on, as it answers it."""
    clashes: list[WrongExpectedVersion] = []
    append_streams = store.append_streams

    async def counted(*args, **kwargs):
        try:
            return await append_streams(*args, **kwargs)
        except WrongExpectedVersion as clash:
            clashes.append(clash)
            raise

    store.append_streams = counted  # type: ignore[method-assign]
    return clashes
