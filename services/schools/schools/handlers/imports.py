"""Importing the national register's CSV.

``import_register`` takes one LA's rows from a file sent in the request: every good row in one
append, each to its school's stream at the version it was read at, so a school changed by
someone else meanwhile makes the whole import decide again rather than overwrite.

``import_national_register`` takes the whole country's extract (about 50,000 rows, 60 MB) from
the file the operator put at ``NATIONAL_REGISTER_FILE``, and ``import_register_links`` its links
file: each is read a row at a time and decided and appended a batch of rows at a time, so
memory holds one batch, never the file. Each batch is one append (all its streams or none), at
the versions it read; a clash with another writer decides that batch again. A file stopped
halfway leaves the batches already appended, and importing it again appends only the rest,
since an unchanged row appends nothing.

Rows that cannot be read or that the rules refuse are reported with their line numbers; they
never stop the good rows.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from schools.domain.gias import (
    ImportPlan,
    RegisterReader,
    RegisterRow,
    RejectedRow,
    decode_register,
    decoded_lines,
    parse_register,
    plan_import,
    plan_national_batch,
)
from schools.domain.known_schools import (
    NO_KNOWN_SCHOOL,
    KnownSchoolChanged,
    KnownSchoolRecorded,
    known_school_stream,
)
from schools.domain.links import LinkRow, LinksReader, plan_links
from schools.domain.refusals import RegisterFileMissing
from schools.domain.register import (
    NO_SCHOOL,
    SchoolClosed,
    SchoolDetailsChanged,
    SchoolLinked,
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
    _check_as_of(ctx, as_of)
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


#: Rows decided and appended together: large enough that the log's writer takes few, big
#: appends; small enough that a batch's rows and states stay a few megabytes.
BATCH_ROWS = 1000
#: Rejected rows listed in the answer; past this only counted (a wrong file would otherwise
#: answer with every one of its 50,000 rows).
REJECTED_LISTED = 1000


@dataclass
class NationalImportReport:
    council_la_code: str
    as_of: date
    rows_read: int = 0
    registered: int = 0
    details_changed: int = 0
    status_changed: int = 0
    known_recorded: int = 0
    known_changed: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    events_appended: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    def add(self, plan: ImportPlan, recorded: int, rows: int) -> None:
        kinds = Counter(type(event) for event in plan.events)
        self.rows_read += rows
        self.registered += kinds[SchoolRegistered]
        self.details_changed += kinds[SchoolDetailsChanged]
        self.status_changed += kinds[SchoolStatusChanged] + kinds[SchoolClosed]
        self.known_recorded += kinds[KnownSchoolRecorded]
        self.known_changed += kinds[KnownSchoolChanged]
        self.unchanged += plan.unchanged
        self.events_appended += recorded
        _note_rejected(self, plan.rejected)


@dataclass
class LinksImportReport:
    as_of: date
    rows_read: int = 0
    links_recorded: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    events_appended: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def _note_rejected(report: NationalImportReport | LinksImportReport, rejected: list[RejectedRow]) -> None:
    report.rejected.extend(rejected[: max(0, REJECTED_LISTED - len(report.rejected))])
    report.rejected_count += len(rejected)


def _check_as_of(ctx: CommandContext, as_of: date) -> None:
    if as_of > ctx.today:
        raise InvalidInput(
            f"the file cannot describe a day after today ({ctx.today.isoformat()})", field="as_of"
        )


async def _batches(rows: Iterator, size: int = BATCH_ROWS) -> AsyncIterator[list]:
    """The rows a batch at a time, each read in a worker thread so that reading and decoding the
    file never holds up the requests this process is answering meanwhile."""
    while batch := await asyncio.to_thread(lambda: list(islice(rows, size))):
        yield batch


def _without_key(ctx: CommandContext) -> CommandContext:
    """The import appends only what differs from the log, so a repeated request decides again and
    appends nothing; each batch is its own append, and one key cannot name them all."""
    return replace(ctx, idempotency_key=None, request_fingerprint=None)


async def import_national_register(
    schools: Schools, ctx: CommandContext, *, file: BinaryIO, council_la_code: str, as_of: date
) -> NationalImportReport:
    """The whole national extract: the council's own schools onto its register, by the
    register's rules; every other school as a known school."""
    _check_as_of(ctx, as_of)
    rows = iter(RegisterReader(decoded_lines(file)))
    report = NationalImportReport(council_la_code=council_la_code, as_of=as_of)
    ctx = _without_key(ctx)
    async for batch in _batches(rows):
        decided: list[ImportPlan] = []

        async def decide(batch=batch, decided=decided):
            urns = [row.urn for row in batch if isinstance(row, RegisterRow)]
            on_register, known = await schools.register_entries(urns)
            plan = plan_national_batch(
                batch,
                council_la_code=council_la_code,
                on_register=lambda urn: on_register[urn].state if urn in on_register else NO_SCHOOL,
                known=lambda urn: known[urn].state if urn in known else NO_KNOWN_SCHOOL,
                today=ctx.today,
                as_of=as_of,
            )
            decided.append(plan)
            versions = {school_stream(u): loaded.version for u, loaded in on_register.items()} | {
                known_school_stream(u): loaded.version for u, loaded in known.items()
            }
            return [(a.stream_id, versions.get(a.stream_id, 0), a.events) for a in plan.appends]

        recorded = await schools.log.execute_many(ctx, decide, operation="import-national-register")
        report.add(decided[-1], len(recorded), len(batch))
    return report


async def import_register_links(
    schools: Schools, ctx: CommandContext, *, file: BinaryIO, as_of: date
) -> LinksImportReport:
    """The links file: each link on both schools it joins (``domain/links.py``)."""
    _check_as_of(ctx, as_of)
    rows = iter(LinksReader(decoded_lines(file)))
    report = LinksImportReport(as_of=as_of)
    ctx = _without_key(ctx)
    async for batch in _batches(rows):
        decided = []

        async def decide(batch=batch, decided=decided):
            urns = list({urn for row in batch if isinstance(row, LinkRow) for urn in (row.urn, row.linked_urn)})
            on_register, known = await schools.register_entries(urns)
            found = {u: (known_school_stream(u), loaded) for u, loaded in known.items() if loaded.state.exists}
            found |= {u: (school_stream(u), loaded) for u, loaded in on_register.items() if loaded.state.exists}
            plan = plan_links(batch, {u: (sid, loaded.state) for u, (sid, loaded) in found.items()}, today=ctx.today)
            decided.append(plan)
            versions = {sid: loaded.version for sid, loaded in found.values()}
            return [(sid, versions[sid], a.events) for sid, a in plan.appends.items()]

        recorded = await schools.log.execute_many(ctx, decide, operation="import-register-links")
        plan = decided[-1]
        report.rows_read += len(batch)
        report.links_recorded += sum(isinstance(e, SchoolLinked) for e in plan.events)
        report.unchanged += plan.unchanged
        report.events_appended += len(recorded)
        _note_rejected(report, plan.rejected)
    return report


def open_register_file(path: Path | None, setting: str) -> BinaryIO:
    """The file the operator put where the setting says, opened to be read a line at a time."""
    if path is None:
        raise RegisterFileMissing(f"{setting} is not set: the service does not know where the file is", field="file")
    try:
        return path.open("rb")
    except OSError:
        raise RegisterFileMissing(
            f"there is no readable file at {setting}: put the month's download there first", field="file"
        ) from None
