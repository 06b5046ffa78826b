"""The Secretary of State's warning notices to a maintained school (since 18 April 2016), recorded
by the council as it is told of them, and the Secretary of State's permission for the council to
give its own."""

from __future__ import annotations

from fastapi import APIRouter, Response

from shared.errors import NotFound
from shared.urn import UrnPath
from shared.web.commands import answered, etag
from shared.web.context import CommandContext, ContextDep
from notices.access import Reader, Recorder
from notices.api.schemas.secretary_of_state_notices import (
    PermissionCreate,
    SecretaryOfStateNoticeCreate,
    SecretaryOfStateNoticesPublic,
)
from notices.domain import secretary_of_state_notices as sos
from notices.handlers import secretary_of_state_notices as handlers
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/secretary-of-state-notices/{urn}", tags=["warning notices"])


async def _decided(
    notices: Notices, ctx: CommandContext, command: sos.SecretaryOfStateNoticeCommand, response: Response
) -> SecretaryOfStateNoticesPublic:
    outcome = await handlers.handle(notices, ctx, command)
    answered(response, outcome, created=True)
    return SecretaryOfStateNoticesPublic.of(command.urn, outcome.state, outcome.version, ctx.today)


@router.get(
    "", summary="The Secretary of State's warning notices to the school, and whether they bar the council's"
)
async def get_secretary_of_state_notices(
    urn: UrnPath, principal: Reader, notices: NoticesDep, response: Response
) -> SecretaryOfStateNoticesPublic:
    loaded = await handlers.secretary_of_state_notices(notices, urn)
    if loaded.version == 0:
        raise NotFound(f"No Secretary of State's warning notice to URN {urn} is recorded.", field="urn")
    response.headers["ETag"] = etag(loaded.version)
    return SecretaryOfStateNoticesPublic.of(urn, loaded.state, loaded.version, notices.today())


@router.post(
    "",
    status_code=201,
    summary="Record a warning notice the Secretary of State gave the school, as the council was told of it",
)
async def record_secretary_of_state_notice(
    urn: UrnPath,
    body: SecretaryOfStateNoticeCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> SecretaryOfStateNoticesPublic:
    command = sos.RecordSecretaryOfStateWarningNotice(
        urn=urn,
        notice_id=await handlers.new_notice_id(notices, ctx, urn),
        giver_name=body.giver_name,
        reference=body.reference,
        given_on=body.given_on,
        told_on=body.told_on,
        grounds=tuple(body.grounds),
        compliance_period=body.compliance_period.to_domain(),
        diocesan_authority=body.diocesan_authority,
        foundation_governors_appointer=body.foundation_governors_appointer,
    )
    return await _decided(notices, ctx, command, response)


@router.post(
    "/permissions",
    status_code=201,
    summary="The Secretary of State informed the council it may give its own warning notice",
)
async def record_permission(
    urn: UrnPath,
    body: PermissionCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> SecretaryOfStateNoticesPublic:
    command = sos.RecordCouncilPermittedToGiveWarningNotice(
        urn=urn, permitted_on=body.permitted_on, permitted_by=body.permitted_by
    )
    return await _decided(notices, ctx, command, response)
