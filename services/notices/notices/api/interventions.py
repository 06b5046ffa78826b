"""A school's intervention: eligibility, consultations and the powers of sections 63 to 66.

Every write is the same three steps: the body names the command (``command(urn)`` on each body in
``api.schemas.interventions``), the handler decides it on the school's intervention stream, and
the answer is the intervention as that command left it (``_decided``). The powers and the steps
of s65 that are one command each are declared together (``_one_command_step``).
"""

from typing import Any

from fastapi import APIRouter, Response

from shared.errors import InvalidInput, NotFound
from shared.urn import UrnPath
from shared.web.commands import answered, etag
from shared.web.context import CommandContext, ContextDep
from notices.access import Decider, Reader, Recorder
from notices.api.schemas.common import RecordId
from notices.api.schemas.interventions import (
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
from notices.domain.intervention import InterventionCommand
from notices.handlers import interventions as handlers
from notices.queries.records import intervention_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/interventions/{urn}", tags=["intervention"])


async def _decided(
    notices: Notices, ctx: CommandContext, command: InterventionCommand, response: Response
) -> InterventionPublic:
    """Run the command and answer with the school's intervention as that command left it."""
    outcome = await handlers.handle(notices, ctx, command)
    answered(response, outcome)
    return InterventionPublic.of(command.urn, outcome.state, outcome.version, ctx.today)


@router.get("", summary="The school's eligibility, consultations, powers used and pending deadlines")
async def get_intervention(
    urn: UrnPath, principal: Reader, notices: NoticesDep, response: Response
) -> InterventionPublic:
    record = await intervention_record(notices.log, urn)
    response.headers["ETag"] = etag(record.version)
    return InterventionPublic.of(urn, record.state, record.version, notices.today())


@router.post("/eligibility", summary="Record eligibility from a notice or an inspection already in the log")
async def record_eligibility(
    urn: UrnPath,
    body: EligibilityCreate,
    principal: Recorder,
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
    return await _decided(notices, ctx, command, response)


@router.post("/consultations", status_code=201, summary="Start a consultation before s63 or s65")
async def start_consultation(
    urn: UrnPath,
    body: ConsultationCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    consultation_id = await handlers.new_consultation_id(notices, ctx, urn)
    answer = await _decided(notices, ctx, body.command(urn, consultation_id), response)
    response.headers["Location"] = f"/interventions/{urn}/consultations/{consultation_id}"
    return answer


@router.get("/consultations/{consultation_id}", summary="One consultation, its consultees and responses")
async def get_consultation(
    urn: UrnPath, consultation_id: RecordId, principal: Reader, notices: NoticesDep, response: Response
) -> ConsultationPublic:
    record = await intervention_record(notices.log, urn)
    found = record.state.consultation(consultation_id)
    if found is None:
        raise NotFound(
            f"No consultation {consultation_id} is recorded for URN {urn}.", field="consultation_id"
        )
    response.headers["ETag"] = etag(record.version)
    return ConsultationPublic.of(found)


@router.post("/consultations/{consultation_id}/responses", summary="A consultee's response")
async def record_consultation_response(
    urn: UrnPath,
    consultation_id: RecordId,
    body: ConsultationResponseCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> InterventionPublic:
    return await _decided(notices, ctx, body.command(urn, consultation_id), response)


# The powers and the steps of s65, one command each: the body names the command, the school's
# intervention answers. (Annotations here are evaluated as the routes are declared, so that
# FastAPI reads each step's own body type.)
CommandBody = (
    ArrangementsCreate
    | AdditionalGovernorsCreate
    | InterimExecutiveBoardApplication
    | SecretaryOfStateDecision
    | InterimExecutiveBoardCreate
    | InterimExecutiveBoardEnd
    | BudgetSuspensionCreate
    | SecretaryOfStateGovernorsCreate
)


def _one_command_step(path: str, body_type: type[CommandBody], who: Any, name: str, summary: str) -> None:
    async def step(
        urn: UrnPath,
        body: body_type,  # type: ignore[valid-type]
        principal: who,  # type: ignore[valid-type]
        ctx: ContextDep,
        notices: NoticesDep,
        response: Response,
    ) -> InterventionPublic:
        return await _decided(notices, ctx, body.command(urn), response)

    router.post(path, name=name, summary=summary)(step)


_one_command_step(
    "/s63",
    ArrangementsCreate,
    Decider,
    "require_arrangements",
    "s63: require the governing body to enter into arrangements",
)
_one_command_step(
    "/s64",
    AdditionalGovernorsCreate,
    Decider,
    "appoint_additional_governors",
    "s64: appoint additional governors",
)
_one_command_step(
    "/s65/application",
    InterimExecutiveBoardApplication,
    Decider,
    "apply_for_interim_executive_board",
    "s65: apply to the Secretary of State for an interim executive board",
)
_one_command_step(
    "/s65/secretary-of-state-decision",
    SecretaryOfStateDecision,
    Recorder,
    "record_interim_executive_board_decision",
    "s65: the Secretary of State consented, or refused",
)
_one_command_step(
    "/s65/establishment",
    InterimExecutiveBoardCreate,
    Decider,
    "establish_interim_executive_board",
    "s65: the notice establishing the interim executive board",
)
_one_command_step(
    "/s65/end",
    InterimExecutiveBoardEnd,
    Decider,
    "end_interim_executive_board",
    "s65: the interim executive board ended",
)
_one_command_step(
    "/s66", BudgetSuspensionCreate, Decider, "suspend_delegated_budget", "s66: suspend the delegated budget"
)
_one_command_step(
    "/secretary-of-state-governors",
    SecretaryOfStateGovernorsCreate,
    Recorder,
    "record_secretary_of_state_governors",
    "s67: the Secretary of State appointed additional governors",
)
