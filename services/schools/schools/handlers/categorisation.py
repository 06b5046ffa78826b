"""The council's category: proposals by advisers, approval or rejection by a principal adviser."""

from __future__ import annotations

from schools.domain import categorisation
from schools.domain.categorisation import (
    NOT_CATEGORISED,
    ApproveCategory,
    Categorisation,
    ProposeCategory,
    RejectCategoryProposal,
    categorisation_stream,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    ProposeCategory: "propose-category",
    ApproveCategory: "approve-category",
    RejectCategoryProposal: "reject-category-proposal",
}


async def decide_category(
    schools: Schools,
    ctx: CommandContext,
    command: ProposeCategory | ApproveCategory | RejectCategoryProposal,
) -> Outcome[Categorisation]:
    school = await schools.school(command.urn)
    history = await schools.inspections(command.urn)
    config = await schools.configuration()
    terms = config.state.term_calendar()
    return await schools.log.execute(
        ctx,
        categorisation_stream(command.urn),
        initial=NOT_CATEGORISED,
        evolve=categorisation.evolve,
        decide=lambda state: categorisation.decide(
            command, state, school=school.state, inspections=history.state, terms=terms, today=ctx.today
        ),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
