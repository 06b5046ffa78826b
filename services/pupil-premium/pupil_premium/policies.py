"""Reactions to the pep service's events.

**Impact at the next PEP review.** When the pep service completes a child's PEP, the outcome its
final review gave each funded target is linked to the spend: every funded request for the child
decided before the review meeting, in any year's budget, gets an ``ImpactRecorded`` on that
year's stream. The review is read from the child's PEP stream as it stood at the completion (so
replaying the log gives the same answer), and each append carries an idempotency key made from
the completion's position in the log and the budget stream, so the reaction happens exactly once
even if the subscription is interrupted and the event is applied again.
"""

from __future__ import annotations

import asyncio
import random

import asyncpg

from shared.events import child_subject
from shared.eventlog.records import NewEvent, RecordedEvent
from shared.eventlog.store import WrongExpectedVersion
from shared.web.commands import MAX_ATTEMPTS

from pupil_premium.domain.child_facts import facts_from
from pupil_premium.domain.events import RequestApproved, RequestPartApproved
from pupil_premium.domain.financial_year import BUDGET_CATEGORY
from pupil_premium.domain.impact import LinkReviewToSpend, link_review_to_spend
from pupil_premium.domain.pep_events import PEP_EVENTS_READ, PepCompleted
from pupil_premium.wiring import PupilPremium

POLICY_ACTOR = "pupil-premium impact policy"


class ImpactAtNextReview:
    name = "pp_impact_at_next_review"
    schema = "pupil_premium"
    tables = ()
    event_types = frozenset({PepCompleted.event_type})

    def __init__(self, pp: PupilPremium) -> None:
        self._pp = pp

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.category != "pep":
            return
        completed = PEP_EVENTS_READ.decode_record(event)
        facts = facts_from(completed.child_id, await self._pep_history(event))
        for stream_id in await self._budgets_funding(completed.child_id):
            financial_year = stream_id.removeprefix(f"{BUDGET_CATEGORY}-")
            command = LinkReviewToSpend.for_completed_pep(facts, completed.pep_id, financial_year)
            # None when the PEP had no review to report (a child's first PEP reviews nothing).
            if command is not None:
                await self._link(stream_id, financial_year, command, event)

    async def _pep_history(self, event: RecordedEvent) -> list:
        records = await self._pp.log.store.read_stream(event.stream_id, up_to_position=event.position)
        return [
            PEP_EVENTS_READ.decode_record(r)
            for r in records
            if PEP_EVENTS_READ.knows(r.event_type)
        ]

    async def _budgets_funding(self, child_id: str) -> list[str]:
        """The budget streams that ever funded the child."""
        funded = await self._pp.log.store.read_all(
            categories=[BUDGET_CATEGORY],
            subject=child_subject(child_id),
            event_types=[RequestApproved.event_type, RequestPartApproved.event_type],
            limit=100_000,
        )
        return sorted({record.stream_id for record in funded})

    async def _link(
        self, stream_id: str, financial_year: str, command: LinkReviewToSpend, source: RecordedEvent
    ) -> None:
        key = f"pupil-premium:impact:{source.position}:{stream_id}"
        metadata = {
            "actor": POLICY_ACTOR,
            "role": "service",
            "service": "pupil-premium",
            "causation_id": str(source.position),
            "correlation_id": source.metadata.get("correlation_id") or str(source.position),
        }
        for attempt in range(MAX_ATTEMPTS):
            loaded = await self._pp.budget(financial_year)
            events = link_review_to_spend(command, loaded.state)
            if not events:
                return
            try:
                await self._pp.log.append(
                    stream_id,
                    [NewEvent.from_event(e, default_effective_date=command.reviewed_on) for e in events],
                    expected_version=loaded.version,
                    metadata=metadata,
                    idempotency_key=key,
                )
                return
            except WrongExpectedVersion:
                if attempt == MAX_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(random.uniform(0, 0.002 * min(attempt + 1, 10)))
