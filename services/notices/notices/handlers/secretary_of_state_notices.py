"""The Secretary of State's warning notices to a school and the permission for the council to give
its own (stream ``sosnotices-<urn>``). Recording a Secretary of State's notice ends, in the same
append, every earlier council notice to the school still in effect."""

from __future__ import annotations

from shared.eventlog.store import WrongExpectedVersion
from shared.events import Event
from shared.web.commands import Loaded, Outcome
from shared.web.context import CommandContext
from notices.domain import secretary_of_state_notices as sos
from notices.domain import warning_notice
from notices.domain.secretary_of_state_notices import (
    NO_SECRETARY_OF_STATE_NOTICES,
    SecretaryOfStateNoticeCommand,
    SecretaryOfStateNotices,
    secretary_of_state_notices_stream,
)
from notices.domain.warning_notice import NO_NOTICE, WarningNotice, notice_stream
from notices.handlers.common import new_id, operation_on
from notices.queries.school_facts import school_facts
from notices.wiring import Notices

RECORD = "RecordSecretaryOfStateWarningNotice"


async def new_notice_id(notices: Notices, ctx: CommandContext, urn: str) -> str:
    return await new_id(notices, ctx, f"{RECORD}:{urn}", earlier_id=lambda r: r.data["notice_id"])


async def secretary_of_state_notices(notices: Notices, urn: str) -> Loaded[SecretaryOfStateNotices]:
    return await notices.log.load(
        secretary_of_state_notices_stream(urn), NO_SECRETARY_OF_STATE_NOTICES, sos.evolve
    )


async def _council_notices(notices: Notices, urn: str) -> list[tuple[str, Loaded[WarningNotice]]]:
    """Every council warning notice to the school, folded from the log, with its stream's version."""
    found: dict[str, None] = {}
    for record in await notices.log.store.read_subject(f"school:{urn}"):
        if record.category == "notice":
            found.setdefault(record.stream_id)
    return [(stream, await notices.log.load(stream, NO_NOTICE, warning_notice.evolve)) for stream in found]


async def handle(
    notices: Notices, ctx: CommandContext, command: SecretaryOfStateNoticeCommand
) -> Outcome[SecretaryOfStateNotices]:
    """Decide ``command`` on the school's stream, and append with it the end of each council
    notice it supersedes: all of them recorded, or none."""
    stream = secretary_of_state_notices_stream(command.urn)
    school = await school_facts(notices.log, command.urn)

    async def decide() -> list[tuple[str, int, list[Event]]]:
        loaded = await secretary_of_state_notices(notices, command.urn)
        if ctx.if_match is not None and ctx.if_match != loaded.version:
            raise WrongExpectedVersion(stream, ctx.if_match, loaded.version)
        council = (
            await _council_notices(notices, command.urn)
            if isinstance(command, sos.RecordSecretaryOfStateWarningNotice)
            else []
        )
        decided = sos.decide(
            command,
            loaded.state,
            school=school,
            today=ctx.today,
            rules=notices.rules,
            calendar=notices.calendar,
            council_notices=[notice.state for _, notice in council],
        )
        versions = {s: notice.version for s, notice in council}
        plan = [(stream, loaded.version, decided.recorded)]
        for ended in decided.superseded:
            ended_stream = notice_stream(ended.notice_id)
            plan.append((ended_stream, versions[ended_stream], [ended]))
        return plan

    recorded = await notices.log.execute_many(ctx, decide, operation=operation_on(command, command.urn))
    mine = [r for r in recorded if r.stream_id == stream]
    cutoff = {"up_to_version": mine[-1].stream_version} if mine else {}
    loaded = await notices.log.load(stream, NO_SECRETARY_OF_STATE_NOTICES, sos.evolve, **cutoff)
    return Outcome(stream, loaded.state, loaded.version, recorded)
