"""Reactions, followed from the log: events of the schools service and of the notices service's
own streams, turned into commands on other streams (the rules are ``domain.policies``).

* an Ofsted inspection placing a maintained school in serious weaknesses or special measures
  makes it eligible for intervention at once, with or without a notice in progress (and a later
  graded inspection without a category ends that basis);
* a notice of intention to use powers, or a confirmed notice's eligibility date, makes the school
  eligible on its intervention stream;
* a notice given under a Secretary of State's direction is recorded against the direction.

Each reaction is appended with an idempotency key made of the source event's log position, so it
happens exactly once however often the event is delivered (a crash between the append and the
checkpoint, a rebuild of the checkpoint). The school is judged as it stood at that position.
"""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent
from notices.domain.direction import RecordDirectedNoticeGiven
from notices.domain.policies import commands_for
from notices.domain.schools_events import InspectionRecorded
from notices.domain.warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
)
from notices.handlers.common import service_context
from notices.handlers.directions import decide_on_direction
from notices.handlers.interventions import decide_on_intervention
from notices.queries.school_facts import school_facts
from notices.wiring import Notices

ACTOR = "notices-policy"
OPERATION = "reaction"


class Reactions:
    """A projection with no tables: it appends events instead of writing a read model."""

    name = "notices-reactions"
    schema = "notices"
    tables: tuple[str, ...] = ()
    event_types = frozenset(
        cls.event_type
        for cls in (
            InspectionRecorded,
            NoticeOfIntentionToUsePowersGiven,
            WarningNoticeEligibilityDateReached,
            WarningNoticeGiven,
        )
    )

    def __init__(self, notices: Notices) -> None:
        self._notices = notices

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        notices = self._notices
        event = notices.log.decode(record)
        school = await school_facts(notices.log, event.urn, up_to_position=record.position)  # type: ignore[attr-defined]
        for index, command in enumerate(commands_for(event, school)):
            ctx = service_context(
                notices,
                ACTOR,
                f"{record.position}:{index}",
                causation=f"position:{record.position}",
                correlation_id=record.metadata.get("correlation_id"),
            )
            if isinstance(command, RecordDirectedNoticeGiven):
                await decide_on_direction(notices, ctx, command, school, operation=OPERATION)
            else:
                await decide_on_intervention(notices, ctx, command, school, operation=OPERATION)  # type: ignore[arg-type]
