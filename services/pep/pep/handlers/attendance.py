"""Taking in attendance: a file or feed of marks, a correction of one session, a child's UPN.

An intake is read and written in batches (``BATCH_LINES`` lines at a time), so a big file is never
held whole: each batch's lines are matched to children (by their id, or their UPN through the read
model), checked (a designated teacher sends only their own school's children, on roll there
today), and each child's marks at each school are appended as one event on the child's attendance
stream. Lines that cannot be taken are reported with their line number, field and reason.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from shared.errors import DomainError
from shared.security.data_scope import OutsideDataScope
from shared.security.roles import Role
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import attendance
from pep.domain.attendance import ATTENDANCE_ALERTS, AttendanceRecorded, AttendanceSource, GivenMark
from pep.domain.attendance_intake import CHILD_ID, UPN, URN, IntakeLine, LineProblem
from pep.domain.council_config import CouncilConfig
from pep.domain.streams import attendance_stream
from pep.queries import attendance as queries
from pep.wiring import Pep

from .scope import child_in_scope

ALERT_TYPES = frozenset(cls.event_type for cls in ATTENDANCE_ALERTS)
BATCH_LINES = 5_000
# Children's streams written at once within a batch: enough to keep the log's group commit busy,
# few enough not to hold a batch's worth of connections.
CONCURRENT_CHILDREN = 8
# A file of nothing but bad lines is still answered in a bounded size: the first problems are
# listed, and all are counted.
PROBLEMS_LISTED = 1_000


@dataclass
class IntakeReport:
    lines_read: int = 0
    marks_recorded: int = 0
    marks_unchanged: int = 0
    children: set[str] = field(default_factory=set)
    events_recorded: int = 0
    alerts_raised: int = 0
    problems_found: int = 0
    problems: list[LineProblem] = field(default_factory=list)

    def reject(self, problem: LineProblem) -> None:
        self.problems_found += 1
        if len(self.problems) < PROBLEMS_LISTED:
            self.problems.append(problem)


async def import_marks(
    pep: Pep,
    ctx: CommandContext,
    lines: AsyncIterator[IntakeLine | LineProblem],
    source: AttendanceSource,
) -> IntakeReport:
    config = await pep.config()
    report = IntakeReport()
    batch: list[IntakeLine] = []
    number = 0
    async for line in lines:
        report.lines_read += 1
        if isinstance(line, LineProblem):
            report.reject(line)
            continue
        batch.append(line)
        if len(batch) >= BATCH_LINES:
            number += 1
            await _import_batch(pep, ctx, config, batch, source, number, report)
            batch = []
    if batch:
        await _import_batch(pep, ctx, config, batch, source, number + 1, report)
    report.problems.sort(key=lambda problem: problem.line)
    return report


async def _import_batch(
    pep: Pep,
    ctx: CommandContext,
    config: CouncilConfig,
    batch: list[IntakeLine],
    source: AttendanceSource,
    number: int,
    report: IntakeReport,
) -> None:
    by_upn = await queries.children_by_upn(pep.pool, {line.upn for line in batch if line.upn})
    named = {line.child_id for line in batch if line.child_id}
    known = await queries.known_children(pep.pool, named | {ids[0] for ids in by_upn.values() if len(ids) == 1})
    allowed = await _children_in_scope(pep, ctx, known)
    groups: dict[tuple[str, str], list[IntakeLine]] = defaultdict(list)
    for line in batch:
        child_id = _child_of(line, by_upn, report)
        if child_id is None:
            continue
        if child_id not in allowed:
            field_name = CHILD_ID if line.child_id else UPN
            reason = "not a child on roll at your school" if _teacher(ctx) else "no child known by this id"
            report.reject(LineProblem(line.line, field_name, reason))
            continue
        if _teacher(ctx) and line.urn != ctx.principal.urn:
            report.reject(LineProblem(line.line, URN, "a designated teacher sends their own school's marks"))
            continue
        try:
            attendance.check_mark(line.mark, ctx.today)
        except DomainError as problem:
            report.reject(LineProblem(line.line, problem.field or "code", problem.detail))
            continue
        groups[(child_id, line.urn)].append(line)
    gate = asyncio.Semaphore(CONCURRENT_CHILDREN)

    async def record(child_id: str, urn: str, given: list[IntakeLine]) -> None:
        command = attendance.RecordAttendance(
            child_id=child_id,
            urn=urn,
            source=source,
            received_on=ctx.today,
            marks=tuple(line.mark for line in given),
        )
        async with gate:
            try:
                outcome = await _record(pep, ctx, command, config, f"attendance:{child_id}:{urn}:{number}")
            except DomainError as refused:
                # One child's marks refused (their personal data erased, say) leave the other
                # children's taken in: each of that child's lines is reported with the reason.
                for line in given:
                    report.reject(LineProblem(line.line, refused.field or CHILD_ID, refused.detail))
                return
        report.children.add(child_id)
        report.events_recorded += len(outcome.recorded)
        recorded = sum(len(r.data["marks"]) for r in outcome.recorded if r.event_type == AttendanceRecorded.event_type)
        report.marks_recorded += recorded
        report.marks_unchanged += len({(m.on, m.session) for m in command.marks}) - recorded
        report.alerts_raised += sum(1 for r in outcome.recorded if r.event_type in ALERT_TYPES)

    await asyncio.gather(*(record(child_id, urn, given) for (child_id, urn), given in groups.items()))


def _teacher(ctx: CommandContext) -> bool:
    return ctx.principal.role is Role.DESIGNATED_TEACHER


def _child_of(line: IntakeLine, by_upn: dict[str, list[str]], report: IntakeReport) -> str | None:
    if line.child_id is not None:
        return line.child_id
    assert line.upn is not None
    children = by_upn.get(line.upn, [])
    if len(children) == 1:
        return children[0]
    reason = "no child is recorded with this UPN" if not children else "more than one child is recorded with this UPN"
    report.reject(LineProblem(line.line, UPN, reason))
    return None


async def _children_in_scope(pep: Pep, ctx: CommandContext, known: set[str]) -> set[str]:
    """The known children the caller may send marks for: all of them, or for a designated
    teacher those on roll at their school today (checked from each child's own stream)."""
    if not _teacher(ctx):
        return known
    allowed = set()
    for child_id in known:
        try:
            await child_in_scope(pep, ctx.principal, child_id, ctx.today)
        except OutsideDataScope:
            continue
        allowed.add(child_id)
    return allowed


async def correct_mark(
    pep: Pep, ctx: CommandContext, child_id: str, urn: str, mark: GivenMark, reason: str
) -> Outcome[attendance.ChildAttendance]:
    command = attendance.CorrectAttendanceMark(
        child_id=child_id, urn=urn, mark=mark, reason=reason, corrected_on=ctx.today
    )
    operation = f"attendance-correction:{child_id}:{urn}:{mark.on}:{mark.session.value}"
    return await _record(pep, ctx, command, await pep.config(), operation)


async def record_upn(pep: Pep, ctx: CommandContext, child_id: str, upn: str) -> Outcome[attendance.ChildAttendance]:
    command = attendance.RecordUniquePupilNumber(child_id=child_id, upn=upn, recorded_on=ctx.today)
    return await _record(pep, ctx, command, await pep.config(), f"upn:{child_id}")


async def _record(
    pep: Pep,
    ctx: CommandContext,
    command: attendance.RecordUniquePupilNumber | attendance.RecordAttendance | attendance.CorrectAttendanceMark,
    config: CouncilConfig,
    operation: str,
) -> Outcome[attendance.ChildAttendance]:
    policies, calendar = config.attendance_policies(), config.school_calendar()
    return await pep.log.execute(
        ctx,
        attendance_stream(command.child_id),
        initial=attendance.NO_ATTENDANCE,
        evolve=attendance.evolve,
        decide=lambda state: attendance.decide(command, state, policies=policies, calendar=calendar),
        operation=operation,
    )
