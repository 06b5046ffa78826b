"""The PEP deadlines read model keeps each child's two streams folded between batches; what it
writes is still exactly what a reading of the log as of each event gives. Its kept streams may be
ahead of what was committed (a batch that failed and is tried again), behind it (another instance
of the service applied the child's events meanwhile), or hold personal data since erased: none
of these may show in the table, nor stay in memory after an erasure."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pep.domain.council_config import PepTimingPolicySet
from pep.projections.deadlines import PepDeadlinesProjection

from shared.eventlog.records import NewEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.events import PersonalDataErased, privacy_stream
from shared.privacy.sealing import reveal

HOME = "118001"


class BatchFailed(Exception):
    """Stands for anything that fails a batch after the read model applied it."""


async def council_with_two_settings_changes(api, helpers) -> None:
    """Two children; the council's timing policy changes after C1's PEP is initiated and again
    after it is in place, so each change works out C1's deadlines from streams that have moved."""
    await api.set_term_dates()
    await api.looked_after_at("C1", HOME, entered="2026-09-07", start="2026-09-08")
    await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
    await api.looked_after_at("C2", HOME, entered="2026-09-14", start="2026-09-14")
    await api.ok(
        "POST",
        "/council/pep-timing-policies",
        api.vsh,
        {"effective_from": "2026-09-01", "count_school_days": True},
    )
    await api.complete_pep(
        "C1", "P1", meeting="2026-09-21", submitted="2026-09-22", targets=[helpers.target("T1", "2026-12-11")]
    )
    await api.ok(
        "POST",
        "/council/pep-timing-policies",
        api.vsh,
        {"effective_from": "2026-09-01", "initiation_days": 15},
    )
    await api.settle()


async def handled(conn, projection: PepDeadlinesProjection):
    """The events the read model follows, in log order, as the subscription gives them."""
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE event_type = ANY($1::text[]) ORDER BY position",
        sorted(projection.event_types),
    )
    return await reveal(conn, [record_from_row(row) for row in rows])


async def deadlines(conn) -> list[tuple]:
    rows = await conn.fetch("SELECT * FROM pep.pep_deadlines ORDER BY child_id, obligation_key")
    return [tuple(row.values()) for row in rows]


async def read_afresh(conn, catalogue, events) -> list[tuple]:
    """The table as events applied one at a time leave it, each by a read model that keeps
    nothing (every child read from the log as of the event)."""
    await conn.execute("DELETE FROM pep.pep_deadlines")
    for event in events:
        await PepDeadlinesProjection(catalogue).apply(conn, event)
    return await deadlines(conn)


def settings_changes(events) -> list[int]:
    return [i for i, event in enumerate(events) if event.event_type == PepTimingPolicySet.event_type]


async def test_a_batch_tried_again_after_failing_does_not_use_streams_folded_past_it(
    pep_service, clock, helpers
):
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    async with pep_service() as api:
        await council_with_two_settings_changes(api, helpers)
        catalogue = api.app.state.catalogue
        async with api.app.state.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            events = await handled(conn, PepDeadlinesProjection(catalogue))
            first_change = settings_changes(events)[0]
            expected = await read_afresh(conn, catalogue, events[: first_change + 1])
            # C1's PEP comes in place after the change: a table showing it would be ahead of the log.
            assert expected != await read_afresh(conn, catalogue, events)

            projection = PepDeadlinesProjection(catalogue)
            await conn.execute("DELETE FROM pep.pep_deadlines")
            await projection.apply_batch(conn, events[:first_change])
            try:
                async with conn.transaction():
                    await projection.apply_batch(conn, events[first_change:])
                    raise BatchFailed
            except BatchFailed:
                pass
            # The subscription tries the batch again one event at a time from its checkpoint.
            await projection.apply(conn, events[first_change])
            assert await deadlines(conn) == expected
            await transaction.rollback()


async def test_a_child_whose_events_another_instance_applied_is_read_again(pep_service, clock, helpers):
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    async with pep_service() as api:
        await council_with_two_settings_changes(api, helpers)
        catalogue = api.app.state.catalogue
        async with api.app.state.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            events = await handled(conn, PepDeadlinesProjection(catalogue))
            first_change, last_change = settings_changes(events)
            assert last_change == len(events) - 1
            expected = await read_afresh(conn, catalogue, events)

            # Two instances of the service take turns: this one last saw C1 before the PEP was in place.
            this, other = PepDeadlinesProjection(catalogue), PepDeadlinesProjection(catalogue)
            await conn.execute("DELETE FROM pep.pep_deadlines")
            await this.apply_batch(conn, events[:first_change])
            await other.apply_batch(conn, events[first_change:last_change])
            await this.apply(conn, events[last_change])
            assert await deadlines(conn) == expected
            await transaction.rollback()


async def test_an_erasure_forgets_the_childs_kept_streams_and_changes_no_deadline(
    pep_service, store, clock, helpers
):
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    async with pep_service() as api:
        await council_with_two_settings_changes(api, helpers)
        catalogue = api.app.state.catalogue
        erasure = PersonalDataErased(
            subject="child:C1",
            erased_on=date(2026, 11, 2),
            rule="erasure_request",
            reason="Article 17 request",
        )
        await store.append(
            privacy_stream("child:C1"),
            [NewEvent.from_event(erasure, default_effective_date=date(2026, 11, 2))],
            metadata={"actor": "dpo-tester", "role": "data_protection_officer"},
        )
        await api.settle()
        async with api.app.state.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            events = await handled(conn, PepDeadlinesProjection(catalogue))
            assert events[-1].event_type == PersonalDataErased.event_type
            projection = PepDeadlinesProjection(catalogue)
            await conn.execute("DELETE FROM pep.pep_deadlines")
            await projection.apply_batch(conn, events[:-1])
            before = await deadlines(conn)
            assert before and projection.holds("C1") and projection.holds("C2")

            await projection.apply(conn, events[-1])
            assert not projection.holds("C1")
            assert projection.holds("C2")
            assert await deadlines(conn) == before
            await transaction.rollback()
