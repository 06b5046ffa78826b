"""A school's intervention (stream ``intervention-<urn>``): eligibility, consultations, powers."""

from __future__ import annotations

from datetime import date

from notices.domain import intervention, warning_notice
from notices.domain.eligibility import RecordEligibilityFromWarningNotice
from notices.domain.intervention import (
    NO_INTERVENTION,
    InterventionCase,
    InterventionCommand,
    intervention_stream,
)
from notices.domain.policies import commands_for, eligibility_caused_by, eligibility_under_notice
from notices.domain.refusals import NotEligibleForIntervention
from notices.domain.school_facts import SchoolFacts
from notices.domain.schools_events import InspectionRecorded
from notices.domain.warning_notice import NO_NOTICE, NoticeStage, notice_stream
from notices.handlers.common import new_id, operation_on
from notices.queries.school_facts import school_facts
from notices.wiring import Notices
from shared.errors import NotFound, RuleViolation
from shared.events import Event
from shared.web.commands import Outcome
from shared.web.context import CommandContext


async def new_consultation_id(notices: Notices, ctx: CommandContext, urn: str) -> str:
    return await new_id(
        notices, ctx, f"StartConsultation:{urn}", earlier_id=lambda r: r.data["consultation_id"]
    )


async def handle(
    notices: Notices, ctx: CommandContext, command: InterventionCommand
) -> Outcome[InterventionCase]:
    school = await school_facts(notices.log, command.urn)
    return await decide_on_intervention(
        notices, ctx, command, school, operation=operation_on(command, command.urn)
    )


async def decide_on_intervention(
    notices: Notices,
    ctx: CommandContext,
    command: InterventionCommand,
    school: SchoolFacts,
    *,
    operation: str,
) -> Outcome[InterventionCase]:
    """Decide ``command`` on the school's intervention stream with the school as given (a policy
    passes the school as it stood when the event it reacts to happened)."""
    return await notices.log.execute(
        ctx,
        intervention_stream(command.urn),
        initial=NO_INTERVENTION,
        evolve=intervention.evolve,
        decide=lambda state: intervention.decide(
            command, state, school=school, today=ctx.today, rules=notices.rules
        ),
        operation=operation,
    )


async def eligibility_recorded_with(
    notices: Notices, urn: str, events: list[Event], school: SchoolFacts, today: date
) -> tuple[str, int, list[Event]] | None:
    """The school's intervention stream's part of the append that records ``events`` on one of its
    warning notices: the eligibility they make (a notice of intention, a confirmed notice's
    eligibility date), with the intervention stream's version it was decided on - or ``None``
    when they make none (or it is already recorded). A step that makes the school eligible and
    the eligibility are one decision, so no power is refused while a reaction catches up."""
    if not any(eligibility_under_notice(event, school) for event in events):
        return None
    stream = intervention_stream(urn)
    loaded = await notices.log.load(stream, NO_INTERVENTION, intervention.evolve)
    caused = eligibility_caused_by(events, loaded.state, school=school, today=today)
    return (stream, loaded.version, caused) if caused else None


# Eligibility from a fact already in the log ---------------------------------------------------
# The service records eligibility by itself: with the notice of intention or a confirmed notice's
# eligibility date (``eligibility_recorded_with``), and when an Ofsted category arrives or for
# notice events recorded before it did so (``notices.policies``). These two commands let an
# officer record it again from the same fact - e.g. after a reaction was parked as a dead letter.
# Both are idempotent: a fact already recorded records nothing.


async def eligibility_from_notice(
    notices: Notices, urn: str, notice_id: str
) -> RecordEligibilityFromWarningNotice:
    loaded = await notices.log.load(notice_stream(notice_id), NO_NOTICE, warning_notice.evolve)
    notice = loaded.state
    if notice.stage is NoticeStage.NONE or notice.urn != urn:
        raise NotFound(f"There is no warning notice {notice_id} for URN {urn}.", field="notice_id")
    if notice.stage is not NoticeStage.SCHOOL_ELIGIBLE:
        raise NotEligibleForIntervention(
            f"Warning notice {notice_id} has not made the school eligible for intervention (it is at "
            f"stage {notice.stage.value}).",
            field="notice_id",
        )
    assert notice.eligible_on and notice.compliance_period_ends_on and notice.powers_lapse_on
    return RecordEligibilityFromWarningNotice(
        urn=urn,
        notice_id=notice_id,
        eligible_from=notice.eligible_on,
        compliance_period_ended_on=notice.compliance_period_ends_on,
        powers_lapse_on=notice.powers_lapse_on,
    )


async def eligibility_from_inspection(notices: Notices, urn: str, inspection_id: str) -> InterventionCommand:
    for record in await notices.log.store.read_stream(f"inspections-{urn}"):
        if (
            record.event_type != InspectionRecorded.event_type
            or record.data.get("inspection_id") != inspection_id
        ):
            continue
        event = notices.log.decode(record)
        school = await school_facts(notices.log, urn, up_to_position=record.position)
        commands = commands_for(event, school)
        if not commands:
            raise RuleViolation(
                f"Inspection {inspection_id} changes nothing about URN {urn}'s eligibility for "
                "intervention (the council does not maintain the school, or the inspection made no "
                "judgement).",
                field="inspection_id",
            )
        return commands[0]  # type: ignore[return-value]
    raise NotFound(
        f"The schools service has recorded no inspection {inspection_id} for URN {urn}.",
        field="inspection_id",
    )
