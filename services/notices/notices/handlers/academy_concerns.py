"""Letters of concern about an academy (stream ``academyconcern-<urn>``): the council's route
where it cannot give a warning notice."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext
from notices.domain import academy_concern
from notices.domain.academy_concern import (
    NO_ACADEMY_CONCERN,
    AcademyConcern,
    AcademyConcernCommand,
    academy_concern_stream,
)
from notices.handlers.common import operation_on
from notices.queries.school_facts import school_facts
from notices.wiring import Notices


async def handle(
    notices: Notices, ctx: CommandContext, command: AcademyConcernCommand
) -> Outcome[AcademyConcern]:
    school = await school_facts(notices.log, command.urn)
    return await notices.log.execute(
        ctx,
        academy_concern_stream(command.urn),
        initial=NO_ACADEMY_CONCERN,
        evolve=academy_concern.evolve,
        decide=lambda state: academy_concern.decide(command, state, school=school, today=ctx.today),
        operation=operation_on(command, command.urn),
    )
