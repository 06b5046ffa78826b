"""Waking feed followers when the log grows, without each of them polling the database.

Every append notifies ``eventlog_appended``. One listening connection per process (the shared
``LogNotifier``) wakes a ``LogWatcher``, which wakes every long-poll and every server-sent-events
follower waiting in this process at once; each then reads its next page. A follower also re-reads
every ``POLL_SECONDS`` whatever happens, so a lost notification or a dropped listening connection
delays it by at most that much.
"""

from __future__ import annotations

import asyncio

POLL_SECONDS = 1.0


class LogWatcher:
    def __init__(self) -> None:
        self._grown = asyncio.Event()

    def wake(self) -> None:
        """Called for each notification: release everyone waiting on the current generation."""
        grown, self._grown = self._grown, asyncio.Event()
        grown.set()

    def generation(self) -> asyncio.Event:
        """Take this *before* reading, then ``wait`` on it: a notification arriving between the
        read and the wait is then not missed."""
        return self._grown

    async def wait(self, generation: asyncio.Event, timeout: float) -> bool:
        """True when the log grew, False when ``timeout`` passed first."""
        try:
            async with asyncio.timeout(timeout):  # not wait_for: it can swallow a cancellation
                await generation.wait()
        except TimeoutError:
            return False
        return True
