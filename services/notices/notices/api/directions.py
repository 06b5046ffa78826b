"""The Secretary of State's directions to consider giving a warning notice, and the council's
answers: a response within 10 working days, the notice within 5 if it agrees or is directed to."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field

from shared.security.principal import Principal
from shared.text import Narrative, NarrativeOrEmpty
from shared.urn import Urn, UrnQuery
from shared.web.context import CommandContext, ContextDep
from notices import access
from notices.api.common import (
    Body,
    DeadlinePublic,
    Public,
    RecordId,
    deadlines_public,
    set_etag,
)
from notices.domain import direction as sos
from notices.handlers import directions as handlers
from notices.queries import read_models
from notices.queries.records import direction_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/directions", tags=["Secretary of State's directions"])
Read = Annotated[Principal, Depends(access.READ)]
Record = Annotated[Principal, Depends(access.RECORD)]
Decide = Annotated[Principal, Depends(access.DECIDE)]


class DirectionCreate(Body):
    urn: Urn
    given_on: date
    specified_terms: Narrative = Field(description="The terms the direction specifies for the notice")


class DirectionResponseCreate(Body):
    responded_on: date
    will_give_notice: bool
    reasons: NarrativeOrEmpty = Field(
        default="", description="Required when the council will not give the notice"
    )


class DirectionToGiveCreate(Body):
    directed_on: date


class DirectionPublic(Public):
    direction_id: str
    urn: str
    given_on: date
    specified_terms: str
    response_due_on: date | None
    responded_on: date | None
    will_give_notice: bool | None
    reasons: str
    directed_to_give_on: date | None
    notice_due_on: date | None
    notice_id: str | None
    notice_given_on: date | None
    response_overdue: bool
    notice_overdue: bool
    pending_deadlines: list[DeadlinePublic]
    version: int

    @classmethod
    def of(cls, state: sos.Direction, version: int) -> DirectionPublic:
        return cls(
            **{
                k: getattr(state, k)
                for k in (
                    "direction_id",
                    "urn",
                    "given_on",
                    "specified_terms",
                    "response_due_on",
                    "responded_on",
                    "will_give_notice",
                    "reasons",
                    "directed_to_give_on",
                    "notice_due_on",
                    "notice_id",
                    "notice_given_on",
                )
            },
            response_overdue=state.response_overdue_recorded,
            notice_overdue=state.notice_overdue_recorded,
            pending_deadlines=deadlines_public(sos.pending_deadlines(state)),
            version=version,
        )


class DirectionSummaryPublic(Public):
    direction_id: str
    urn: str | None
    given_on: date | None
    response_due_on: date | None


async def _answer(notices: Notices, ctx: CommandContext, command: sos.DirectionCommand, response: Response):
    outcome = await handlers.handle(notices, ctx, command)
    set_etag(response, outcome.version)
    return DirectionPublic.of(outcome.state, outcome.version)


@router.post("", status_code=201, summary="A direction to consider giving a warning notice, received")
async def record_direction(
    body: DirectionCreate, principal: Record, ctx: ContextDep, notices: NoticesDep, response: Response
) -> DirectionPublic:
    command = sos.RecordDirectionToConsiderWarningNotice(
        direction_id=await handlers.new_direction_id(notices, ctx), **body.model_dump()
    )
    answer = await _answer(notices, ctx, command, response)
    response.headers["Location"] = f"/directions/{command.direction_id}"
    return answer


@router.get("", summary="Directions, newest first")
async def list_directions(
    principal: Read,
    notices: NoticesDep,
    urn: UrnQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[DirectionSummaryPublic]:
    rows = await read_models.directions_list(notices.pool, urn=urn, limit=limit, offset=offset)
    return [DirectionSummaryPublic.model_validate(r) for r in rows]


@router.get("/{direction_id}", summary="A direction, its deadlines and the council's answers")
async def get_direction(
    direction_id: RecordId, principal: Read, notices: NoticesDep, response: Response
) -> DirectionPublic:
    record = await direction_record(notices, direction_id)
    set_etag(response, record.version)
    return DirectionPublic.of(record.state, record.version)


@router.post("/{direction_id}/response", summary="The council's written response")
async def respond_to_direction(
    direction_id: RecordId,
    body: DirectionResponseCreate,
    principal: Decide,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> DirectionPublic:
    command = sos.RespondToDirection(direction_id=direction_id, **body.model_dump())
    return await _answer(notices, ctx, command, response)


@router.post("/{direction_id}/direction-to-give", summary="Directed to give the notice after declining")
async def record_direction_to_give(
    direction_id: RecordId,
    body: DirectionToGiveCreate,
    principal: Record,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> DirectionPublic:
    command = sos.RecordDirectionToGiveWarningNotice(direction_id=direction_id, directed_on=body.directed_on)
    return await _answer(notices, ctx, command, response)
