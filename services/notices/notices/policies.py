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

from shared.events import Command
from shared.eventlog.records import RecordedEvent
from shared.web.commands import execute
from shared.web.context import CommandContext
from notices.domain import direction, intervention
from notices.domain.direction import NO_DIRECTION, RecordDirectedNoticeGiven, direction_stream
from notices.domain.intervention import NO_INTERVENTION, intervention_stream
from notices.domain.policies import commands_for
from notices.domain.schools_events import InspectionRecorded
from notices.domain.warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
)
from notices.handlers.common import service_context
from notices.school_facts import school_facts
from notices.wiring import Notices

ACTOR = "notices-policy"


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
        event = notices.catalogue.decode(record.event_type, record.schema_version, record.data)
        school = await school_facts(notices, event.urn, up_to_position=record.position)  # type: ignore[attr-defined]
        for index, command in enumerate(commands_for(event, school)):
            ctx = service_context(
                notices,
                ACTOR,
                f"{record.position}:{index}",
                causation=f"position:{record.position}",
                correlation_id=record.metadata.get("correlation_id"),
            )
            await self._run(ctx, command, school)

    async def _run(self, ctx: CommandContext, command: Command, school) -> None:
        notices = self._notices
        if isinstance(command, RecordDirectedNoticeGiven):
            await execute(
                notices.store,
                notices.catalogue,
                ctx,
                direction_stream(command.direction_id),
                initial=NO_DIRECTION,
                evolve=direction.evolve,
                decide=lambda state: direction.decide(
                    command,
                    state,
                    school=school,
                    today=ctx.today,
                    rules=notices.rules,
                    calendar=notices.calendar,
                ),
                operation="reaction",
            )
            return
        await execute(
            notices.store,
            notices.catalogue,
            ctx,
            intervention_stream(command.urn),  # type: ignore[attr-defined]
            initial=NO_INTERVENTION,
            evolve=intervention.evolve,
            decide=lambda state: intervention.decide(
                command,
                state,
                school=school,
                today=ctx.today,
                rules=notices.rules,  # type: ignore[arg-type]
            ),
            operation="reaction",
        )
