"""Each child's statutory PEP deadlines (``pep.pep_deadlines``): when each PEP was due, when it was
in place, and when the deadline scheduler recorded it overdue. The termly compliance report and
the virtual school's overdue list read this table.

The deadlines of a child follow from the child's record, their PEPs and the council's settings,
so on any event of the child's two streams they are worked out again from those streams as they
stood at that event (``pep_obligations``); when the council's term dates or timing policy change,
every child's are. Without term dates for a date, the deadlines needing them are left out until
the term dates are set.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

from pep.domain.child_events import CHILD_EVENTS
from pep.domain.council_config import SETTINGS_EVENTS, CouncilConfig
from pep.domain.deadlines import PepObligation, pep_obligations
from pep.domain.pep_events import PEP_EVENTS, PepInitiationOverdue, PepOverdue, PepReviewOverdue
from pep.domain.peps import overdue_key
from pep.domain.terms import SEASONS, TermDatesMissing

from .log_reads import children_and_peps, children_ever_in_care, council_settings

log = logging.getLogger(__name__)

SETTINGS_TYPES = frozenset(cls.event_type for cls in SETTINGS_EVENTS)


class PepDeadlinesProjection:
    name = "pep-deadlines"
    schema = "pep"
    tables = ("pep_deadlines",)
    event_types = frozenset(cls.event_type for cls in CHILD_EVENTS + PEP_EVENTS + SETTINGS_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        settings = await council_settings(conn, self._catalogue, record.position)
        if record.event_type in SETTINGS_TYPES:
            child_ids = await children_ever_in_care(conn, record.position)
        else:
            child_ids = [record.data["child_id"]]
        await self._work_out(conn, child_ids, settings, record.position)

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """A batch of events in order: each child they concern is worked out once, as of the last
        of them. That is what applying them one by one leaves: a child's deadlines follow only
        from the child's two streams and the council's settings, each of whose events is one of
        this read model's, so a child none of the later events concerns stands as it did."""
        last = records[-1].position
        settings = await council_settings(conn, self._catalogue, last)
        if any(record.event_type in SETTINGS_TYPES for record in records):
            child_ids = await children_ever_in_care(conn, last)
        else:
            child_ids = list(dict.fromkeys(record.data["child_id"] for record in records))
        await self._work_out(conn, child_ids, settings, last)

    async def _work_out(
        self, conn: asyncpg.Connection, child_ids: Sequence[str], settings: CouncilConfig, position: int
    ) -> None:
        """The children's deadlines worked out again from their streams as of ``position``; their
        streams read in one query, their rows replaced in two statements."""
        histories = await children_and_peps(conn, self._catalogue, child_ids, position)
        policies, calendar = settings.timing_policies(), settings.school_calendar()
        rows: list[tuple] = []
        for child_id in child_ids:
            child, peps, pep_events = histories[child_id]
            try:
                obligations = pep_obligations(child, peps, policies, calendar)
            except TermDatesMissing as missing:
                log.info("PEP deadlines of child %s wait for term dates: %s", child_id, missing.detail)
                obligations = []
            noticed: dict[str, date] = {
                overdue_key(event): event.noticed_on
                for event in pep_events
                if isinstance(event, PepInitiationOverdue | PepOverdue | PepReviewOverdue)
            }
            rows += {item.key: _row(item, noticed.get(item.key)) for item in obligations}.values()
        await conn.execute("DELETE FROM pep.pep_deadlines WHERE child_id = ANY($1::text[])", list(child_ids))
        await conn.executemany(
            """
            INSERT INTO pep.pep_deadlines (child_id, obligation_key, kind, clock_started_on, due_on,
                term_year, term_season, term_order, urn, met_on, entered_care_on, overdue_noticed_on)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            rows,
        )


def _row(item: PepObligation, overdue_noticed_on: date | None) -> tuple:
    ref = item.term
    return (
        item.child_id,
        item.key,
        item.kind.value,
        item.clock_started_on,
        item.due_on,
        ref.academic_year if ref else None,
        ref.season.value if ref else None,
        SEASONS.index(ref.season) if ref else None,
        item.urn,
        item.met_on,
        item.entered_care_on,
        overdue_noticed_on,
    )
