"""The Secretary of State's directions to consider giving a warning notice, and the council's
answers: a response within 10 working days, the notice within 5 if it agrees or is directed to."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Response

from shared.urn import UrnQuery
from shared.web.commands import answered, etag
from shared.web.context import CommandContext, ContextDep
from shared.web.paging import Keyset, Paging, keyset_paging
from notices.access import Decider, Reader, Recorder
from notices.api.schemas.common import RecordId
from notices.api.schemas.directions import (
    DirectionCreate,
    DirectionList,
    DirectionPublic,
    DirectionResponseCreate,
    DirectionToGiveCreate,
)
from notices.domain import direction as sos
from notices.handlers import directions as handlers
from notices.queries import read_models
from notices.queries.records import direction_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/directions", tags=["Secretary of State's directions"])

# Newest first: by the day given, then id.
DirectionsPage = Annotated[Paging[tuple[date, str] | None], keyset_paging(Keyset(date, str), max_limit=500)]


async def _decided(
    notices: Notices, ctx: CommandContext, command: sos.DirectionCommand, response: Response
) -> DirectionPublic:
    """Run the command and answer with the direction as that command left it."""
    outcome = await handlers.handle(notices, ctx, command)
    answered(response, outcome)
    return DirectionPublic.of(outcome.state, outcome.version)


@router.post("", status_code=201, summary="A direction to consider giving a warning notice, received")
async def record_direction(
    body: DirectionCreate, principal: Recorder, ctx: ContextDep, notices: NoticesDep, response: Response
) -> DirectionPublic:
    command = sos.RecordDirectionToConsiderWarningNotice(
        direction_id=await handlers.new_direction_id(notices, ctx), **body.model_dump()
    )
    answer = await _decided(notices, ctx, command, response)
    response.headers["Location"] = f"/directions/{command.direction_id}"
    return answer


@router.get("", summary="Directions, newest first (by the day given)")
async def list_directions(
    principal: Reader, notices: NoticesDep, paging: DirectionsPage, urn: UrnQuery = None
) -> DirectionList:
    rows = await read_models.directions_list(notices.pool, urn=urn, after=paging.after, limit=paging.fetch)
    return DirectionList.model_validate(
        paging.page(rows, key=lambda row: (row["given_on"], row["direction_id"]))
    )


@router.get("/{direction_id}", summary="A direction, its deadlines and the council's answers")
async def get_direction(
    direction_id: RecordId, principal: Reader, notices: NoticesDep, response: Response
) -> DirectionPublic:
    record = await direction_record(notices.log, direction_id)
    response.headers["ETag"] = etag(record.version)
    return DirectionPublic.of(record.state, record.version)


@router.post("/{direction_id}/response", summary="The council's written response")
async def respond_to_direction(
    direction_id: RecordId,
    body: DirectionResponseCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> DirectionPublic:
    command = sos.RespondToDirection(direction_id=direction_id, **body.model_dump())
    return await _decided(notices, ctx, command, response)


@router.post("/{direction_id}/direction-to-give", summary="Directed to give the notice after declining")
async def record_direction_to_give(
    direction_id: RecordId,
    body: DirectionToGiveCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> DirectionPublic:
    command = sos.RecordDirectionToGiveWarningNotice(direction_id=direction_id, directed_on=body.directed_on)
    return await _decided(notices, ctx, command, response)
