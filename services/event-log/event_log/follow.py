"""Waking feed followers when the log grows, without each of them polling the database.

Every append notifies ``eventlog_appended``. One listening connection per process (the shared
``LogNotifier``) wakes a ``LogWatcher``, which wakes every long-poll and every server-sent-events
follower waiting in this process at once; each then reads its next page. A follower also re-reads
every ``POLL_SECONDS`` whatever happens, so a lost notification or a dropped listening connection
delays it by at most that much.

When the service is told to stop, the watcher is closed: every follower finishes the page it is
sending and ends, so open feeds do not hold the process until it is killed (``closed_on_exit``).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

POLL_SECONDS = 1.0
# What a server is stopped with: SIGTERM from the orchestrator, SIGINT from Ctrl-C.
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class LogWatcher:
    def __init__(self) -> None:
        self._grown = asyncio.Event()
        self._closed = False

    @property
    def closed(self) -> bool:
        """The service is stopping: followers end once they have sent what they were sending."""
        return self._closed

    def close(self) -> None:
        self._closed = True
        self.wake()

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


@contextmanager
def closed_on_exit(watcher: LogWatcher) -> Iterator[None]:
    """Close the watcher as soon as the process is told to stop, and in any case on leaving.

    uvicorn, on SIGTERM, waits for every open request to end before it runs the app's lifespan
    shutdown: a feed told to stop only then would hold the process until uvicorn's graceful
    shutdown timeout cut it off mid-event (or, without one, until it was killed). So the signal
    handler the server installed is wrapped to close the watcher first, then do what it did.
    """
    wrapped: dict[signal.Signals, tuple[Callable[[int, FrameType | None], None], Any]] = {}
    # Signal handlers belong to the main thread; a server run in another has its own ways.
    if threading.current_thread() is threading.main_thread():
        loop = asyncio.get_running_loop()
        for sig in EXIT_SIGNALS:
            previous = signal.getsignal(sig)

            def closing_then(signum: int, frame: FrameType | None, previous=previous) -> None:
                loop.call_soon_threadsafe(watcher.close)
                if callable(previous):
                    previous(signum, frame)
                elif previous == signal.SIG_DFL:
                    signal.signal(signum, signal.SIG_DFL)
                    signal.raise_signal(signum)

            signal.signal(sig, closing_then)
            wrapped[sig] = (closing_then, previous)
    try:
        yield
    finally:
        watcher.close()
        for sig, (ours, previous) in wrapped.items():
            if signal.getsignal(sig) is ours:  # not if someone has wrapped ours in turn since
                signal.signal(sig, previous)
