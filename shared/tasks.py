"""Stopping the background tasks a service runs (the log writer, subscriptions, the scheduler)."""

from __future__ import annotations

import asyncio


async def cancel_and_wait(task: asyncio.Task | None) -> None:
    """Cancel a background task and wait until it has finished its clean-up.

    The cancellation is repeated until the task is done: a task that swallowed one (library
    code may) must still not hold up a service's shutdown for ever.
    """
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=1.0)
    if not task.cancelled():
        task.exception()  # retrieved so asyncio does not warn; it was logged where it happened
