"""Signed checkpoints: list the published ones, get the public keys, and check the log against a
checkpoint an auditor kept. Publishing is a scheduled job of this service, never a request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput, NotFound
from shared.eventlog.checkpoints import Checkpoint, check_checkpoint, latest_checkpoint, list_checkpoints
from shared.security.principal import Principal
from shared.web.context import PoolDep

from event_log.access import READ
from event_log.api.deps import After

router = APIRouter(prefix="/checkpoints", tags=["checkpoints"])

HEX_64 = r"^[0-9a-fA-F]{64}$"


@router.get("", summary="The published checkpoints, oldest first")
async def published(
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    after: After = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    checkpoints = await list_checkpoints(pool, after=after, limit=limit)
    return {
        "checkpoints": [c.to_json() for c in checkpoints],
        "next_after": checkpoints[-1].position if checkpoints else after,
    }


@router.get("/latest", summary="The most recent published checkpoint")
async def latest(principal: Annotated[Principal, Depends(READ)], pool: PoolDep) -> dict[str, Any]:
    checkpoint = await latest_checkpoint(pool)
    if checkpoint is None:
        raise NotFound("no checkpoint has been published yet")
    return checkpoint.to_json()


@router.get("/keys", summary="The public keys checkpoints are signed with, to check them anywhere")
async def keys(request: Request, principal: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
    return {"keys": request.app.state.checkpoint_keys.to_json()}


@router.get("/check", summary="Check the log against a checkpoint you kept")
async def check(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    position: Annotated[int, Query(ge=1, le=BIGINT_MAX)],
    hash: Annotated[str, Query(pattern=HEX_64, description="the checkpoint's hash, hex")],
    published_at: Annotated[datetime, Query(description="the checkpoint's published_at, as published")],
    key_id: Annotated[str, Query(max_length=100)],
    signature: Annotated[str, Query(pattern=r"^[0-9a-fA-F]{128}$", description="the signature, hex")],
) -> dict[str, Any]:
    if published_at.tzinfo is None:
        raise InvalidInput("published_at needs its time zone, as published", field="published_at")
    presented = Checkpoint(position, bytes.fromhex(hash), published_at, key_id, bytes.fromhex(signature))
    result = await check_checkpoint(pool, presented, request.app.state.checkpoint_keys)
    return result.to_json()
