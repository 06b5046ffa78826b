"""Replay: the state of a stream, a child's record or a school's record as of a date or position."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from shared.errors import NotFound
from shared.events import child_subject, school_subject
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.audit import record_child_read, record_child_reads
from shared.web.context import PoolDep, StoreDep

from event_log.access import READ
from event_log.api.deps import ChildId, RegistryDep, check_stream_id
from event_log.queries import Selection, children_concerned
from event_log.state_as_of import Cutoff, record_state, stream_state

router = APIRouter(tags=["replay"])


def cutoff(
    position: Annotated[int | None, Query(ge=1, description="fold events up to this log position")] = None,
    as_of: Annotated[
        date | None, Query(description="what was true: fold events that had taken effect by this date")
    ] = None,
    known_on: Annotated[
        date | None,
        Query(description="what was known: fold events recorded by the end of this day (England)"),
    ] = None,
    known_at: Annotated[
        datetime | None, Query(description="what was known: fold events recorded by this instant")
    ] = None,
) -> Cutoff:
    return Cutoff.of(position=position, as_of=as_of, known_on=known_on, known_at=known_at)


CutoffDep = Annotated[Cutoff, Depends(cutoff)]


@router.get(
    "/streams/{stream_id}/state", summary="A stream's state as of a date, a recording time or a position"
)
async def stream(
    stream_id: str,
    request: Request,
    response: Response,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    store: StoreDep,
    registry: RegistryDep,
    cut: CutoffDep,
) -> dict[str, Any]:
    check_stream_id(stream_id)
    if await store.stream_version(stream_id) == 0:
        raise NotFound(f"the log has no stream {stream_id}", field="stream_id")
    await record_child_reads(request, await children_concerned(pool, Selection(stream_id=stream_id)))
    answer = await stream_state(pool, registry, stream_id, cut)
    response.headers["ETag"] = f'"{answer["version"]}"'
    return {"cut_off": cut.to_json(), **answer}


@router.get(
    "/children/{child_id}/state", summary="A child's record as of a date, a recording time or a position"
)
async def child(
    child_id: ChildId,
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    registry: RegistryDep,
    cut: CutoffDep,
) -> dict[str, Any]:
    streams = await record_state(pool, registry, child_subject(child_id), child_id, cut, "child_id")
    await record_child_read(request, child_id)
    return {"child_id": child_id, "cut_off": cut.to_json(), "streams": streams}


@router.get("/schools/{urn}/state", summary="A school's record as of a date, a recording time or a position")
async def school(
    urn: UrnPath,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    registry: RegistryDep,
    cut: CutoffDep,
) -> dict[str, Any]:
    streams = await record_state(pool, registry, school_subject(urn), urn, cut, "urn")
    return {"urn": urn, "cut_off": cut.to_json(), "streams": streams}
