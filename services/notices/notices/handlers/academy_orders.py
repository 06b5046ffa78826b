"""Academy orders (stream ``academyorder-<urn>``) and the council's record of the law they are
made under (stream ``academyorderlaw-council``)."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext
from notices.domain import academy_order, academy_order_law
from notices.domain.academy_order import (
    NO_ACADEMY_ORDER,
    AcademyOrderCase,
    AcademyOrderCommand,
    academy_order_stream,
)
from notices.domain.academy_order_law import (
    ACADEMY_ORDER_LAW_STREAM,
    NOT_COMMENCED,
    AcademyOrderLaw,
    SetAcademyOrderCommencement,
)
from notices.handlers.common import operation_on
from notices.queries.records import academy_order_law_record, intervention_record
from notices.queries.school_facts import school_facts
from notices.wiring import Notices


async def handle(
    notices: Notices, ctx: CommandContext, command: AcademyOrderCommand
) -> Outcome[AcademyOrderCase]:
    """Decided with the school's facts, its intervention and the law as the council records them
    now; the event records the rule applied, so the stream replays the same whatever changes later."""
    school = await school_facts(notices.log, command.urn)
    intervention = (await intervention_record(notices.log, command.urn)).state
    law = (await academy_order_law_record(notices.log)).state
    return await notices.log.execute(
        ctx,
        academy_order_stream(command.urn),
        initial=NO_ACADEMY_ORDER,
        evolve=academy_order.evolve,
        decide=lambda state: academy_order.decide(
            command, state, school=school, intervention=intervention, law=law, today=ctx.today
        ),
        operation=operation_on(command, command.urn),
    )


async def set_commencement(
    notices: Notices, ctx: CommandContext, command: SetAcademyOrderCommencement
) -> Outcome[AcademyOrderLaw]:
    return await notices.log.execute(
        ctx,
        ACADEMY_ORDER_LAW_STREAM,
        initial=NOT_COMMENCED,
        evolve=academy_order_law.evolve,
        decide=lambda state: academy_order_law.decide(command, state),
        operation=operation_on(command, "council"),
    )
