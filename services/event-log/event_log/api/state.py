"""Replay: the state of a stream, a child's record or a school's record as of a date or position."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from shared.events import child_subject, school_subject
from shared.urn import UrnPath
from shared.web.audit import record_child_read, record_child_reads

from event_log.access import LogAccess, Reader
from event_log.api.answers import known_stream
from event_log.api.schemas import ChildId, CutoffDep
from event_log.queries.pages import Selection, children_concerned
from event_log.queries.state_as_of import record_state, stream_state
from event_log.wiring import EventLogDep

router = APIRouter(tags=["replay"])


@router.get(
    "/streams/{stream_id}/state", summary="A stream's state as of a date, a recording time or a position"
)
async def stream(
    stream_id: str, request: Request, response: Response, principal: Reader, log: EventLogDep, cut: CutoffDep
) -> dict[str, Any]:
    await known_stream(log, stream_id)
    await record_child_reads(request, await children_concerned(log.pool, Selection(stream_id=stream_id)))
    personal = LogAccess.of(principal).personal_data
    answer = await stream_state(log.pool, log.registry, stream_id, cut, personal_data=personal)
    response.headers["ETag"] = f'"{answer["version"]}"'
    return {"cut_off": cut.to_json(), **answer, **_withheld(personal)}


@router.get(
    "/children/{child_id}/state", summary="A child's record as of a date, a recording time or a position"
)
async def child(
    child_id: ChildId, request: Request, principal: Reader, log: EventLogDep, cut: CutoffDep
) -> dict[str, Any]:
    personal = LogAccess.of(principal).personal_data
    streams = await record_state(
        log.pool, log.registry, child_subject(child_id), child_id, cut, "child_id", personal_data=personal
    )
    await record_child_read(request, child_id)
    return {"child_id": child_id, "cut_off": cut.to_json(), "streams": streams, **_withheld(personal)}


@router.get("/schools/{urn}/state", summary="A school's record as of a date, a recording time or a position")
async def school(urn: UrnPath, principal: Reader, log: EventLogDep, cut: CutoffDep) -> dict[str, Any]:
    personal = LogAccess.of(principal).personal_data
    streams = await record_state(log.pool, log.registry, school_subject(urn), urn, cut, "urn", personal_data=personal)
    return {"urn": urn, "cut_off": cut.to_json(), "streams": streams, **_withheld(personal)}


def _withheld(personal_data: bool) -> dict[str, bool]:
    # A reader with no need of children's personal fields gets the record folded without them
    # (null where they would be), as the feed withholds them (access.py LogAccess).
    return {} if personal_data else {"personal_data_withheld": True}
