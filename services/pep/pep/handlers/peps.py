"""A child's PEPs: decided with the child's own record, the council's term dates and timing policy,
and appended to ``pep-<child id>``."""

from __future__ import annotations

from datetime import date

from shared.errors import NotFound
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import peps
from pep.domain.attendance_reports import attendance_for_review
from pep.domain.reviews import Attendance
from pep.domain.streams import pep_stream
from pep.queries import attendance as attendance_queries
from pep.wiring import Pep

from .scope import child_in_scope


async def record(
    pep: Pep, ctx: CommandContext, command: peps.PepCommand, operation: str, *, per_pep: bool = True
) -> Outcome[peps.PepState]:
    """``per_pep`` scopes a client's Idempotency-Key to the PEP as well as the child; initiation
    is scoped to the child alone, as the id of a new PEP may be made afresh for each request and a
    retry must find the PEP the first request initiated."""
    # A designated teacher works only on PEPs of children on their school's roll today; the
    # check comes before anything else about the child is read.
    child = await child_in_scope(pep, ctx.principal, command.child_id, ctx.today)
    config = await pep.config()
    calendar, policies = config.school_calendar(), config.timing_policies()
    return await pep.log.execute(
        ctx,
        pep_stream(command.child_id),
        initial=peps.NO_PEPS,
        evolve=peps.evolve,
        decide=lambda state: peps.decide(
            command, state, child=child.state, calendar=calendar, policies=policies
        ),
        operation=f"{operation}:{command.child_id}" + (f":{command.pep_id}" if per_pep else ""),
    )


async def attendance_from_marks(pep: Pep, ctx: CommandContext, child_id: str, pep_id: str, meeting_date: date) -> Attendance:
    """The review's attendance worked out from the daily marks of the PEP's term, for a review
    that gives none, so the termly figure and the daily data never disagree silently."""
    await child_in_scope(pep, ctx.principal, child_id, ctx.today)
    record = (await pep.peps(child_id)).state.peps.get(pep_id)
    if record is None:
        raise NotFound(f"no PEP {pep_id!r} for this child", field="pep_id")
    dates = (await pep.config()).school_calendar().term_dates(record.term)
    marks, _ = await attendance_queries.child_attendance(pep.pool, child_id)
    return attendance_for_review(marks, dates.start, dates.end, meeting_date)
