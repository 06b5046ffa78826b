"""A school's intervention: eligibility, consultations and the powers of sections 63 to 66."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.errors import InvalidInput, NotFound
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.context import CommandContext, ContextDep
from notices import access
from notices.api.common import RecordId, set_etag
from notices.api.intervention_schemas import (
    AdditionalGovernorsCreate,
    ArrangementsCreate,
    BudgetSuspensionCreate,
    ConsultationCreate,
    ConsultationPublic,
    ConsultationResponseCreate,
    EligibilityCreate,
    InterimExecutiveBoardApplication,
    InterimExecutiveBoardCreate,
    InterimExecutiveBoardEnd,
    InterventionPublic,
    SecretaryOfStateDecision,
    SecretaryOfStateGovernorsCreate,
)
from notices.domain import powers
from notices.domain.intervention import InterventionCommand
from notices.handlers import interventions as handlers
from notices.queries.records import intervention_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/interventions/{urn}", tags=["intervention"])
Read = Annotated[Principal, Depends(access.READ)]
Record = Annotated[Principal, Depends(access.RECORD)]
Decide = Annotated[Principal, Depends(access.DECIDE)]


async def _answer(
    notices: Notices, ctx: CommandContext, command: InterventionCommand, response: Response
) -> InterventionPublic:
    outcome = await handlers.handle(notices, ctx, command)
    set_etag(response, outcome.version)
    return InterventionPublic.of(command.urn, outcome.state, outcome.version, ctx.today)


@router.get("", summary="The school's eligibility, consultations, powers used and pending deadlines")
async def get_intervention(
    urn: UrnPath, principal: Read, notices: NoticesDep, response: Response
) -> InterventionPublic:
    record = await intervention_record(notices, urn)
    set_etag(response, record.version)
    return InterventionPublic.of(urn, record.state, record.version, notices.today())


@router.post("/eligibility", summary="Record eligibility from a notice or an inspection already in the log")
async def record_eligibility(
    urn: UrnPath,
    body: EligibilityCreate,
    principal: Record,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    if (body.notice_id is None) == (body.inspection_id is None):
        raise InvalidInput(
            "Give either the warning notice or the inspection, not both or neither.", field="notice_id"
        )
    if body.notice_id is not None:
        command = await handlers.eligibility_from_notice(notices, urn, body.notice_id)
    else:
        assert body.inspection_id is not None
        command = await handlers.eligibility_from_inspection(notices, urn, body.inspection_id)
    return await _answer(notices, ctx, command, response)


@router.post("/consultations", status_code=201, summary="Start a consultation before s63 or s65")
async def start_consultation(
    urn: UrnPath,
    body: ConsultationCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.StartConsultation(
        urn=urn,
        consultation_id=await handlers.new_consultation_id(notices, ctx, urn),
        power=body.power,
        proposal=body.proposal,
        started_on=body.started_on,
        days=body.days,
        diocesan_authority=body.diocesan_authority,
        foundation_governors_appointer=body.foundation_governors_appointer,
    )
    answer = await _answer(notices, ctx, command, response)
    response.headers["Location"] = f"/interventions/{urn}/consultations/{command.consultation_id}"
    return answer


@router.get("/consultations/{consultation_id}", summary="One consultation, its consultees and responses")
async def get_consultation(
    urn: UrnPath, consultation_id: RecordId, principal: Read, notices: NoticesDep, response: Response
) -> ConsultationPublic:
    record = await intervention_record(notices, urn)
    found = record.state.consultation(consultation_id)
    if found is None:
        raise NotFound(
            f"No consultation {consultation_id} is recorded for URN {urn}.", field="consultation_id"
        )
    set_etag(response, record.version)
    return ConsultationPublic.of(found)


@router.post("/consultations/{consultation_id}/responses", summary="A consultee's response")
async def record_consultation_response(
    urn: UrnPath,
    consultation_id: RecordId,
    body: ConsultationResponseCreate,
    principal: Record,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.RecordConsultationResponse(
        urn=urn,
        consultation_id=consultation_id,
        consultee=body.consultee,
        received_on=body.received_on,
        summary=body.summary,
    )
    return await _answer(notices, ctx, command, response)


@router.post("/s63", summary="s63: require the governing body to enter into arrangements")
async def require_arrangements(
    urn: UrnPath,
    body: ArrangementsCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.RequireArrangements(urn=urn, **body.model_dump())
    return await _answer(notices, ctx, command, response)


@router.post("/s64", summary="s64: appoint additional governors")
async def appoint_additional_governors(
    urn: UrnPath,
    body: AdditionalGovernorsCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.AppointAdditionalGovernors(
        urn=urn, appointed_on=body.appointed_on, governors=tuple(body.governors)
    )
    return await _answer(notices, ctx, command, response)


@router.post(
    "/s65/application", summary="s65: apply to the Secretary of State for an interim executive board"
)
async def apply_for_interim_executive_board(
    urn: UrnPath,
    body: InterimExecutiveBoardApplication,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.ApplyForInterimExecutiveBoard(urn=urn, **body.model_dump())
    return await _answer(notices, ctx, command, response)


@router.post("/s65/secretary-of-state-decision", summary="s65: the Secretary of State consented, or refused")
async def record_interim_executive_board_decision(
    urn: UrnPath,
    body: SecretaryOfStateDecision,
    principal: Record,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.RecordSecretaryOfStateDecisionOnInterimExecutiveBoard(urn=urn, **body.model_dump())
    return await _answer(notices, ctx, command, response)


@router.post("/s65/establishment", summary="s65: the notice establishing the interim executive board")
async def establish_interim_executive_board(
    urn: UrnPath,
    body: InterimExecutiveBoardCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.EstablishInterimExecutiveBoard(
        urn=urn,
        notice_given_on=body.notice_given_on,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        members=tuple(body.members),
        chair=body.chair,
    )
    return await _answer(notices, ctx, command, response)


@router.post("/s65/end", summary="s65: the interim executive board ended")
async def end_interim_executive_board(
    urn: UrnPath,
    body: InterimExecutiveBoardEnd,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.EndInterimExecutiveBoard(urn=urn, ended_on=body.ended_on)
    return await _answer(notices, ctx, command, response)


@router.post("/s66", summary="s66: suspend the delegated budget")
async def suspend_delegated_budget(
    urn: UrnPath,
    body: BudgetSuspensionCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.SuspendDelegatedBudget(urn=urn, **body.model_dump())
    return await _answer(notices, ctx, command, response)


@router.post(
    "/secretary-of-state-governors", summary="s67: the Secretary of State appointed additional governors"
)
async def record_secretary_of_state_governors(
    urn: UrnPath,
    body: SecretaryOfStateGovernorsCreate,
    principal: Record,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    command = powers.RecordSecretaryOfStateAppointedAdditionalGovernors(
        urn=urn, appointed_on=body.appointed_on, governors=tuple(body.governors)
    )
    return await _answer(notices, ctx, command, response)
