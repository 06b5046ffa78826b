"""Letters of concern about an academy: to its trust, then to the Secretary of State (the council
cannot give an academy a warning notice)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import Field

from shared.security.principal import Principal
from shared.text import Name, Narrative
from shared.urn import UrnPath
from shared.web.context import CommandContext, ContextDep
from notices import access
from notices.api.common import Body, Public, set_etag
from notices.domain import academy_concern as letters
from notices.handlers import academy_concerns as handlers
from notices.queries.records import academy_concern_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/academy-concerns/{urn}", tags=["academies"])
Read = Annotated[Principal, Depends(access.READ)]
Decide = Annotated[Principal, Depends(access.DECIDE)]


class LetterToTrustCreate(Body):
    sent_on: date
    concerns: list[Narrative] = Field(max_length=100)
    trust_name: Name | None = Field(default=None, description="When the schools service holds no trust")


class LetterToSecretaryOfStateCreate(Body):
    sent_on: date
    concerns: list[Narrative] = Field(max_length=100)


class AcademyConcernPublic(Public):
    urn: str
    school_name: str
    trust_name: str | None
    letters_to_trust: list[date]
    letters_to_secretary_of_state: list[date]
    version: int

    @classmethod
    def of(cls, urn: str, state: letters.AcademyConcern, version: int) -> AcademyConcernPublic:
        return cls(
            urn=urn,
            school_name=state.school_name,
            trust_name=state.trust_name,
            letters_to_trust=list(state.letters_to_trust),
            letters_to_secretary_of_state=list(state.letters_to_secretary_of_state),
            version=version,
        )


async def _answer(
    notices: Notices, ctx: CommandContext, command: letters.AcademyConcernCommand, response: Response
):
    outcome = await handlers.handle(notices, ctx, command)
    set_etag(response, outcome.version)
    return AcademyConcernPublic.of(command.urn, outcome.state, outcome.version)


@router.get("", summary="Letters of concern written about the academy")
async def get_academy_concern(
    urn: UrnPath, principal: Read, notices: NoticesDep, response: Response
) -> AcademyConcernPublic:
    record = await academy_concern_record(notices, urn)
    set_etag(response, record.version)
    return AcademyConcernPublic.of(urn, record.state, record.version)


@router.post("/letters-to-trust", status_code=201, summary="A letter of concern to the academy trust")
async def write_to_trust(
    urn: UrnPath,
    body: LetterToTrustCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyConcernPublic:
    command = letters.SendLetterOfConcernToTrust(
        urn=urn, sent_on=body.sent_on, concerns=tuple(body.concerns), trust_name=body.trust_name
    )
    return await _answer(notices, ctx, command, response)


@router.post(
    "/letters-to-secretary-of-state", status_code=201, summary="A letter of concern to the Secretary of State"
)
async def write_to_secretary_of_state(
    urn: UrnPath,
    body: LetterToSecretaryOfStateCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyConcernPublic:
    command = letters.SendLetterOfConcernToSecretaryOfState(
        urn=urn, sent_on=body.sent_on, concerns=tuple(body.concerns)
    )
    return await _answer(notices, ctx, command, response)
