"""Verification: recompute the hash chain and check it against the published signed checkpoints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.errors import InvalidInput
from shared.eventlog.checkpoints import verify_log

from event_log.access import Reader
from event_log.api.schemas import FromPosition, ToPosition
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/verification", tags=["verification"])


@router.get("", summary="Verify the whole log, or a range of it, and name the first broken position")
async def verify(
    principal: Reader, log: EventLogDep, from_position: FromPosition = 1, to_position: ToPosition = None
) -> dict[str, Any]:
    if to_position is not None and to_position < from_position:
        raise InvalidInput("to_position is before from_position", field="to_position")
    verification = await verify_log(
        log.pool, log.checkpoint_keys, from_position=from_position, to_position=to_position
    )
    return verification.to_json()
