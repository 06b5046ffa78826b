"""A small service built with the shared app factory, for the logging tests: a guarded read of a
child's record whose handler logs at DEBUG and INFO, a write that fails inside, and a read model
of notes (in the schools schema, for its real checkpoints and dead letters) that fails its first
try and logs what it applies."""

from __future__ import annotations

import logging
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends
from pydantic import BaseModel

from shared.eventlog import RecordedEvent
from shared.events import EventCatalogue
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

SERVICE = "observed"
HANDLER_LOGGER = "observed.children"
READ_MODEL_LOGGER = "observed.notes"

READ_CHILD = allow(Role.VIRTUAL_SCHOOL_OFFICER, Role.AUDITOR, scope=f"{SERVICE}:read")
RECORD_NOTE = allow(Role.VIRTUAL_SCHOOL_OFFICER, scope=f"{SERVICE}:write", writes=True)

log = logging.getLogger(HANDLER_LOGGER)
read_model_log = logging.getLogger(READ_MODEL_LOGGER)


class NoteCreate(BaseModel):
    text: str


def children_router() -> APIRouter:
    router = APIRouter(tags=["children"])

    @router.get("/children/{child_id}")
    async def child(child_id: str, principal: Annotated[Principal, Depends(READ_CHILD)]) -> dict:
        log.debug("reading the record of child %s", child_id)
        log.info("read the record of child %s", child_id)
        return {"child_id": child_id}

    @router.post("/children/{child_id}/notes")
    async def note(child_id: str, body: NoteCreate, principal: Annotated[Principal, Depends(RECORD_NOTE)]) -> dict:
        raise RuntimeError("the notes table is missing")

    return router


class NoteCounter:
    """Fails the first event it is given (the subscription tries it again), then counts notes."""

    name = "observed-notes"
    schema = "schools"
    tables: tuple[str, ...] = ()
    event_types = frozenset({"NoteRecorded"})

    def __init__(self) -> None:
        self.failures_to_come = 1

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        if self.failures_to_come:
            self.failures_to_come -= 1
            raise RuntimeError("the note counter is not ready")
        read_model_log.info("counted a note")


def create_observed_app():
    return create_service_app(
        name=SERVICE,
        title="Observed",
        description="A service whose log lines the tests read.",
        settings=ServiceSettings(),
        catalogue=EventCatalogue(SERVICE),
        routers=[children_router()],
        migrations=[service("schools").migrations],
        projections=lambda: [NoteCounter()],
    )
