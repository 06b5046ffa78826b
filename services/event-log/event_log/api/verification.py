"""Verification: recompute the hash chain and check it against the published signed checkpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput
from shared.eventlog.checkpoints import check_published_checkpoints
from shared.eventlog.verify import verify_chain
from shared.security.principal import Principal
from shared.web.context import PoolDep

from event_log.access import READ

router = APIRouter(prefix="/verification", tags=["verification"])


@router.get("", summary="Verify the whole log, or a range of it, and name the first broken position")
async def verify(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    from_position: Annotated[
        int, Query(ge=1, le=BIGINT_MAX, description="start here, trusting the stored hash of the event before it")
    ] = 1,
    to_position: Annotated[
        int | None, Query(ge=1, le=BIGINT_MAX, description="stop here (default: the head)")
    ] = None,
) -> dict[str, Any]:
    if to_position is not None and to_position < from_position:
        raise InvalidInput("to_position is before from_position", field="to_position")
    chain = await verify_chain(pool, from_position=from_position, to_position=to_position)
    checked, failures = await check_published_checkpoints(
        pool, request.app.state.checkpoint_keys, from_position=from_position, to_position=to_position
    )
    return {
        "ok": chain.ok and not failures,
        "chain": chain.to_json(),
        "checkpoints": {"checked": checked, "failures": failures},
    }
