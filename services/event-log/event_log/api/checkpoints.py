"""Signed checkpoints: list the published ones, get the public keys, check the log against a
checkpoint an auditor kept, and read the signed bridges that carry checkpoints published before
the log was rewritten to seal personal fields. Publishing is a scheduled job of this service,
never a request."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.errors import InvalidInput, NotFound
from shared.eventlog.checkpoints import (
    Checkpoint,
    check_checkpoint,
    latest_checkpoint,
    list_bridges,
    list_checkpoints,
)

from event_log.access import Reader
from event_log.api.schemas import (
    Bridges,
    BridgesPage,
    CheckpointHash,
    CheckpointPosition,
    Checkpoints,
    CheckpointsPage,
    KeyId,
    PublishedAt,
    Signature,
)
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/checkpoints", tags=["checkpoints"])


@router.get("", summary="The published checkpoints, oldest first")
async def published(principal: Reader, log: EventLogDep, paging: CheckpointsPage) -> Checkpoints:
    checkpoints = await list_checkpoints(log.pool, after=paging.after, limit=paging.fetch)
    page = paging.page(checkpoints, key=lambda checkpoint: checkpoint.position)
    return Checkpoints.model_validate({**page, "items": [c.to_json() for c in page["items"]]})


@router.get(
    "/latest",
    summary="The most recent published checkpoint",
    responses={404: {"description": "No checkpoint has been published yet."}},
)
async def latest(principal: Reader, log: EventLogDep) -> dict[str, Any]:
    checkpoint = await latest_checkpoint(log.pool)
    if checkpoint is None:
        raise NotFound("no checkpoint has been published yet")
    return checkpoint.to_json()


@router.get("/keys", summary="The public keys checkpoints are signed with, to check them anywhere")
async def keys(principal: Reader, log: EventLogDep) -> dict[str, Any]:
    return {"keys": log.checkpoint_keys.to_json()}


@router.get("/check", summary="Check the log against a checkpoint you kept")
async def check(
    principal: Reader,
    log: EventLogDep,
    position: CheckpointPosition,
    hash: CheckpointHash,
    published_at: PublishedAt,
    key_id: KeyId,
    signature: Signature,
) -> dict[str, Any]:
    if published_at.tzinfo is None:
        raise InvalidInput("published_at needs its time zone, as published", field="published_at")
    presented = Checkpoint(position, bytes.fromhex(hash), published_at, key_id, bytes.fromhex(signature))
    result = await check_checkpoint(log.pool, presented, log.checkpoint_keys)
    return result.to_json()


@router.get(
    "/bridges",
    summary="The signed bridges: each rewrite of the log, and the hashes it carries old checkpoints to",
    description="The log was rewritten once on purpose: personal fields of events recorded before sealing "
    "were sealed in place, which changed those events' hashes and every hash after them. A bridge, "
    "signed with the checkpoint key, gives for each checkpoint published before then the hash it "
    "signed and the hash the log holds there since: keep it beside your checkpoints, and check it "
    "with the public key like one (docs/event-log.md).",
)
async def bridges(principal: Reader, log: EventLogDep, paging: BridgesPage) -> Bridges:
    found = await list_bridges(log.pool, after=paging.after, limit=paging.fetch)
    page = paging.page(found, key=lambda bridge: bridge.id)
    items = [{**b.to_json(), "genuine": log.checkpoint_keys.is_genuine(b)} for b in page["items"]]
    return Bridges.model_validate({**page, "items": items})
