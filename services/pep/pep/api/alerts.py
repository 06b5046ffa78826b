"""Alerts to the virtual school about its children at schools that give cause for concern."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from shared.security.principal import Principal
from shared.text import Note
from shared.urn import UrnQuery
from shared.web.context import ContextDep, PoolDep, StoreDep

from pep import access
from pep.domain import school_concerns as rules
from pep.domain.school_concerns import AlertAction, AlertStatus
from pep.handlers import alerts as handlers
from pep.queries import alerts as queries

from .common import IDENTIFIER, Body, CommandResultPublic, answer, catalogue_of

router = APIRouter(prefix="/alerts", tags=["alerts"])

AlertId = Annotated[
    str, Path(pattern=r"^\d{1,19}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="<source event>:<child>")
]


class AlertPublic(BaseModel):
    alert_id: str
    child_id: str
    name: str | None
    urn: str
    concern: str
    concern_on: date
    detail: str
    source_event_type: str
    source_event_id: str
    children_on_roll: list[str]
    raised_on: date
    status: str
    acknowledged_on: date | None
    actioned_on: date | None
    action: str | None
    notes: str | None


class AlertsPublic(BaseModel):
    alerts: list[AlertPublic]


class AcknowledgementCreate(Body):
    acknowledged_on: date | None = None


class ActionCreate(Body):
    action: AlertAction
    notes: Note
    actioned_on: date | None = None


@router.get("", response_model=AlertsPublic, summary="Alerts, newest first")
async def list_alerts(
    principal: Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)],
    pool: PoolDep,
    status: AlertStatus | None = None,
    urn: UrnQuery = None,
    child_id: Annotated[str | None, Query(pattern=IDENTIFIER)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AlertsPublic:
    items = await queries.alerts(pool, status.value if status else None, urn, child_id, limit)
    return AlertsPublic.model_validate({"alerts": items})


@router.post(
    "/{alert_id}/acknowledgement", response_model=CommandResultPublic, summary="Acknowledge an alert"
)
async def acknowledge(
    principal: Annotated[Principal, Depends(access.ACT_ON_ALERTS)],
    alert_id: AlertId,
    body: AcknowledgementCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.AcknowledgeSchoolConcernAlert(
        alert_id=alert_id, acknowledged_on=body.acknowledged_on or ctx.today
    )
    return answer(await handlers.record(store, catalogue_of(request), ctx, command, "acknowledge"), response)


@router.post(
    "/{alert_id}/action", response_model=CommandResultPublic, summary="Record what was done for the child"
)
async def action(
    principal: Annotated[Principal, Depends(access.ACT_ON_ALERTS)],
    alert_id: AlertId,
    body: ActionCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordSchoolConcernAlertActioned(
        alert_id=alert_id, action=body.action, notes=body.notes, actioned_on=body.actioned_on or ctx.today
    )
    return answer(await handlers.record(store, catalogue_of(request), ctx, command, "action"), response)
