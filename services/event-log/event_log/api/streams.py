"""A stream's history: every event of one stream in version order, with both of its dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from shared.errors import NotFound
from shared.eventlog.records import stream_category
from shared.security.principal import Principal
from shared.web.audit import record_child_reads
from shared.web.context import PoolDep, StoreDep

from event_log.access import READ
from event_log.api.deps import (
    Limit,
    RegistryDep,
    Upcast,
    check_stream_id,
    children_in,
    event_json,
)
from event_log.api.schemas import StreamHistory
from event_log.queries import Selection, read_page

router = APIRouter(prefix="/streams", tags=["streams"])


@router.get(
    "/{stream_id}",
    response_model=StreamHistory,
    response_model_exclude_unset=True,
    summary="Every event of one stream",
)
async def stream_history(
    stream_id: str,
    request: Request,
    response: Response,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    store: StoreDep,
    registry: RegistryDep,
    after_version: Annotated[int, Query(ge=0, description="return events after this stream version")] = 0,
    limit: Limit = 100,
    upcast: Upcast = False,
) -> dict:
    check_stream_id(stream_id)
    version = await store.stream_version(stream_id)
    if version == 0:
        raise NotFound(f"the log has no stream {stream_id}", field="stream_id")
    events = await read_page(pool, Selection(stream_id=stream_id), after=after_version, limit=limit)
    await record_child_reads(request, children_in(events))
    response.headers["ETag"] = f'"{version}"'
    return {
        "stream_id": stream_id,
        "category": stream_category(stream_id),
        "version": version,
        "events": [event_json(e, registry, upcast=upcast) for e in events],
        "next_after_version": events[-1].stream_version if events else after_version,
    }
