"""Letters of concern about an academy: to its trust, then to the Secretary of State (the council
cannot give an academy a warning notice)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from shared.urn import UrnPath
from shared.web.commands import answered, etag
from shared.web.context import CommandContext, ContextDep
from notices.access import Decider, Reader
from notices.api.schemas.academy_concerns import (
    AcademyConcernPublic,
    LetterToSecretaryOfStateCreate,
    LetterToTrustCreate,
)
from notices.domain import academy_concern as letters
from notices.handlers import academy_concerns as handlers
from notices.queries.records import academy_concern_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/academy-concerns/{urn}", tags=["academies"])


async def _decided(
    notices: Notices, ctx: CommandContext, command: letters.AcademyConcernCommand, response: Response
) -> AcademyConcernPublic:
    """Run the command and answer with the letters as that command left them."""
    outcome = await handlers.handle(notices, ctx, command)
    answered(response, outcome, created=True)
    return AcademyConcernPublic.of(command.urn, outcome.state, outcome.version)


@router.get("", summary="Letters of concern written about the academy")
async def get_academy_concern(
    urn: UrnPath, principal: Reader, notices: NoticesDep, response: Response
) -> AcademyConcernPublic:
    record = await academy_concern_record(notices.log, urn)
    response.headers["ETag"] = etag(record.version)
    return AcademyConcernPublic.of(urn, record.state, record.version)


@router.post("/letters-to-trust", status_code=201, summary="A letter of concern to the academy trust")
async def write_to_trust(
    urn: UrnPath,
    body: LetterToTrustCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyConcernPublic:
    command = letters.SendLetterOfConcernToTrust(
        urn=urn, sent_on=body.sent_on, concerns=tuple(body.concerns), trust_name=body.trust_name
    )
    return await _decided(notices, ctx, command, response)


@router.post(
    "/letters-to-secretary-of-state", status_code=201, summary="A letter of concern to the Secretary of State"
)
async def write_to_secretary_of_state(
    urn: UrnPath,
    body: LetterToSecretaryOfStateCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyConcernPublic:
    command = letters.SendLetterOfConcernToSecretaryOfState(
        urn=urn, sent_on=body.sent_on, concerns=tuple(body.concerns)
    )
    return await _decided(notices, ctx, command, response)
