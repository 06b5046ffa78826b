"""The council calendar: one academic year's term dates, set once for every service."""

from __future__ import annotations

from schools.wiring import Schools
from shared import council_calendar
from shared.council_calendar import CALENDAR_STREAM, NO_CALENDAR, AcademicYearTerms, CouncilCalendar
from shared.web.commands import Outcome
from shared.web.context import CommandContext


async def set_term_dates(
    schools: Schools, ctx: CommandContext, council: str, terms: AcademicYearTerms
) -> Outcome[CouncilCalendar]:
    command = council_calendar.SetCouncilTermDates(
        council=council, terms=terms, set_by=ctx.principal.subject, set_on=ctx.today
    )
    return await schools.log.execute(
        ctx,
        CALENDAR_STREAM,
        initial=NO_CALENDAR,
        evolve=council_calendar.evolve,
        decide=lambda calendar: council_calendar.decide(command, calendar),
        operation=f"term-dates:{terms.academic_year}",
    )
