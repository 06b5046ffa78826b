"""Importing the national register's CSV: every good row of the council's LA in one append.

The rows that change something are appended together, each to its school's stream at the
version it was read at, so a school changed by someone else meanwhile makes the whole import
decide again rather than overwrite. Rows that cannot be read or that the rules refuse are
reported with their line numbers; they never stop the good rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from schools.domain.gias import ImportPlan, RejectedRow, decode_register, parse_register, plan_import
from schools.domain.register import (
    NO_SCHOOL,
    SchoolClosed,
    SchoolDetailsChanged,
    SchoolRegistered,
    SchoolStatusChanged,
    school_stream,
)
from schools.wiring import Schools
from shared.errors import InvalidInput
from shared.web.context import CommandContext


@dataclass(frozen=True)
class ImportReport:
    la_code: str
    as_of: date
    rows_read: int
    registered: int
    details_changed: int
    status_changed: int
    unchanged: int
    rejected: list[RejectedRow]
    other_la_rows: int
    events_appended: int


async def import_register(
    schools: Schools, ctx: CommandContext, *, data: bytes, la_code: str, as_of: date
) -> ImportReport:
    if as_of > ctx.today:
        raise InvalidInput(
            f"the file cannot describe a day after today ({ctx.today.isoformat()})", field="as_of"
        )
    try:
        text = decode_register(data)
    except UnicodeDecodeError:
        # Bytes that are neither UTF-8 nor Windows-1252 (which leaves 0x81, 0x8D, 0x8F, 0x90
        # and 0x9D undefined) are not a register file: the caller sent the wrong file.
        raise InvalidInput("the file is neither UTF-8 nor Windows-1252 text", field="file") from None
    parsed = parse_register(text, la_code)
    decided: list[ImportPlan] = []

    async def decide():
        on_register = await schools.all_schools()
        plan = plan_import(
            parsed,
            lambda urn: on_register[urn].state if urn in on_register else NO_SCHOOL,
            today=ctx.today,
            as_of=as_of,
        )
        decided.append(plan)
        versions = {school_stream(urn): loaded.version for urn, loaded in on_register.items()}
        return [(a.stream_id, versions.get(a.stream_id, 0), a.events) for a in plan.appends]

    recorded = await schools.log.execute_many(ctx, decide, operation=f"import-register:{la_code}")
    plan = decided[-1]
    kinds = Counter(type(event) for event in plan.events)
    return ImportReport(
        la_code=la_code,
        as_of=as_of,
        rows_read=len(parsed.rows) + len(parsed.rejected),
        registered=kinds[SchoolRegistered],
        details_changed=kinds[SchoolDetailsChanged],
        status_changed=kinds[SchoolStatusChanged] + kinds[SchoolClosed],
        unchanged=plan.unchanged,
        rejected=plan.rejected,
        other_la_rows=plan.other_la_rows,
        events_appended=len(recorded),
    )
