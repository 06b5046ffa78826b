"""An append queued after another one it was decided after (``EventStore.submit_streams(after=)``)
is written only if that one was, leaving the stream exactly where this one expects it.

A stream's version alone cannot tell: another process can bring the stream to the very version
the second append expects, with other events, after the first append was refused. Then the second
was decided on a state that never existed, and must be refused, not written.
"""

from __future__ import annotations

from datetime import date

import pytest

from shared.eventlog import NewEvent
from shared.eventlog.records import StreamAppend
from shared.eventlog.store import EventStore, WrongExpectedVersion


def ev(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2025, 5, 1))


async def queue(store: EventStore, stream_id: str, n: int, expected: int, after=None, key=None):
    return await store.submit_streams(
        [StreamAppend(stream_id, (ev(n),), expected)], idempotency_key=key, after=after
    )


async def test_appends_queued_one_after_another_are_all_written_in_order(store):
    await store.append("purse-A", [ev(0)])
    first = await queue(store, "purse-A", 1, expected=1)
    second = await queue(store, "purse-A", 2, expected=2, after=first)
    third = await queue(store, "purse-A", 3, expected=3, after=second)

    assert [r.stream_version for r in await third] == [4]
    assert [(await first)[0].stream_version, (await second)[0].stream_version] == [2, 3]
    assert [r.data["n"] for r in await store.read_stream("purse-A")] == [0, 1, 2, 3]


async def test_an_append_after_one_refused_is_refused_even_where_another_process_left_the_version_it_expects(
    store, pool
):
    await store.append("purse-B", [ev(0)])
    other = EventStore(pool)  # another process
    other.start()
    try:
        await other.append("purse-B", [ev(100)])  # the stream is at version 2 now
    finally:
        await other.close()

    first = await queue(store, "purse-B", 1, expected=1)  # decided on version 1: refused
    second = await queue(store, "purse-B", 2, expected=2, after=first)  # 2 is the version *first* would leave

    with pytest.raises(WrongExpectedVersion):
        await first
    with pytest.raises(WrongExpectedVersion):
        await second
    assert [r.data["n"] for r in await store.read_stream("purse-B")] == [0, 100]


async def test_an_append_after_one_answered_with_an_earlier_attempts_events_is_refused(store):
    """The first append's key was already used by an attempt that recorded other events at the
    version the first expected: it is answered with those, so it wrote nothing itself."""
    await store.append("purse-C", [ev(0)])
    await store.append("purse-C", [ev(10)], expected_version=1, idempotency_key="spend-once")
    first = await queue(store, "purse-C", 1, expected=2, key="spend-once")
    second = await queue(store, "purse-C", 2, expected=2, after=first)

    assert [r.data["n"] for r in await first] == [10]  # the earlier attempt's answer
    with pytest.raises(WrongExpectedVersion):
        await second
    assert [r.data["n"] for r in await store.read_stream("purse-C")] == [0, 10]
