"""A small service built with the shared app factory, exercising what every real service uses:
guarded reads of a child's record (with the designated teacher's data scope and the read audit),
a string filter, a command appended through ``ServiceLog.execute``, and two ways of failing inside.

Its children live in a real table (``security_test.children``) that ``create_children_table``
makes in the test's database.
"""

from __future__ import annotations

import uuid
from typing import Annotated, ClassVar

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict

from shared.errors import NotFound
from shared.events import Event, EventCatalogue, child_subject
from shared.security.access import allow
from shared.security.data_scope import designated_teacher_urn, ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.settings import ServiceSettings
from shared.web.app import create_service_app
from shared.web.audit import record_child_read, record_child_reads
from shared.web.commands import ServiceLog
from shared.web.context import ContextDep, PoolDep, StoreDep

SERVICE = "security-test"
HOME_URN = "118000"
OTHER_URN = "120000"

READ_CHILD = allow(
    Role.VIRTUAL_SCHOOL_HEAD,
    Role.VIRTUAL_SCHOOL_OFFICER,
    Role.SOCIAL_WORKER,
    Role.DESIGNATED_TEACHER,
    Role.AUDITOR,
    scope=f"{SERVICE}:read",
)
RECORD_NOTE = allow(
    Role.VIRTUAL_SCHOOL_HEAD,
    Role.VIRTUAL_SCHOOL_OFFICER,
    Role.SOCIAL_WORKER,
    scope=f"{SERVICE}:write",
    writes=True,
)


class NoteRecorded(Event):
    event_type: ClassVar[str] = "NoteRecorded"
    child_id: str
    text: str

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)]


CATALOGUE = EventCatalogue(SERVICE, [NoteRecorded])


class NoteCreate(BaseModel):
    # Clients send all sorts; whatever they say about who they are is not ours to record.
    model_config = ConfigDict(extra="ignore")
    child_id: str
    text: str


class NotePublic(BaseModel):
    stream_id: str
    position: int


async def create_children_table(pool: asyncpg.Pool, children: list[tuple[str, str, str | None]]) -> None:
    async with pool.acquire() as conn:
        await conn.execute(
            "CREATE SCHEMA IF NOT EXISTS security_test; "
            "CREATE TABLE IF NOT EXISTS security_test.children "
            "(child_id text PRIMARY KEY, name text NOT NULL, urn_on_roll text)"
        )
        await conn.executemany("INSERT INTO security_test.children VALUES ($1, $2, $3)", children)


def children_router(*, audited: bool = True) -> APIRouter:
    router = APIRouter(tags=["children"])

    @router.get("/children")
    async def children(
        principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep, name: str | None = None
    ) -> list[dict]:
        rows = await pool.fetch(
            "SELECT child_id, name FROM security_test.children "
            "WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%') "
            "AND ($2::text IS NULL OR urn_on_roll = $2) ORDER BY child_id",
            name,
            designated_teacher_urn(principal),
        )
        return [dict(row) for row in rows]

    @router.get("/children/{child_id}")
    async def child(
        child_id: str, principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep, request: Request
    ) -> dict:
        row = await pool.fetchrow(
            "SELECT child_id, name, urn_on_roll FROM security_test.children WHERE child_id = $1", child_id
        )
        ensure_designated_teacher_scope(principal, row["urn_on_roll"] if row else None)
        if row is None:
            raise NotFound("no such child", field="child_id")
        if audited:
            await record_child_read(request, child_id)
        return dict(row)

    @router.get("/schools/{urn}/children")
    async def school_children(
        urn: str, principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep, request: Request
    ) -> list[dict]:
        ensure_designated_teacher_scope(principal, urn)
        rows = await pool.fetch(
            "SELECT child_id, name FROM security_test.children WHERE urn_on_roll = $1 ORDER BY child_id", urn
        )
        if audited:
            await record_child_reads(request, [row["child_id"] for row in rows])
        return [dict(row) for row in rows]

    @router.post("/notes", status_code=201)
    async def record_note(
        body: NoteCreate,
        principal: Annotated[Principal, Depends(RECORD_NOTE)],
        ctx: ContextDep,
        store: StoreDep,
    ) -> NotePublic:
        stream_id = f"note-{uuid.uuid4()}"
        outcome = await ServiceLog(store, CATALOGUE).execute(
            ctx,
            stream_id,
            initial=None,
            evolve=lambda state, event: event,
            decide=lambda state: [NoteRecorded(child_id=body.child_id, text=body.text)],
            operation="record-note",
        )
        return NotePublic(stream_id=stream_id, position=outcome.recorded[-1].position)

    @router.get("/failures/exception")
    async def exception(principal: Annotated[Principal, Depends(READ_CHILD)]) -> dict:
        raise RuntimeError(
            "SELECT name FROM security_test.children WHERE child_id = 'C1' failed in /srv/app/handlers.py"
        )

    @router.get("/failures/sql")
    async def broken_sql(principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep) -> dict:
        await pool.fetch("SELECT secret FROM security_test.no_such_table WHERE child_id = $1", "C1")
        return {}

    return router


def create_security_test_app(settings: ServiceSettings | None = None, *, audited: bool = True) -> FastAPI:
    return create_service_app(
        name=SERVICE,
        title="Security test service",
        description="A service that exists only for the security tests.",
        settings=settings or ServiceSettings(),
        catalogue=CATALOGUE,
        routers=[children_router(audited=audited)],
    )
