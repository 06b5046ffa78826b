"""Alerts to the virtual school about its children at schools that give cause for concern."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from shared.security.principal import Principal
from shared.urn import UrnQuery
from shared.web.context import ContextDep
from shared.web.paging import Keyset, Paging, keyset_paging

from pep import access
from pep.domain import school_concerns as rules
from pep.domain.school_concerns import AlertStatus
from pep.handlers import alerts as handlers
from pep.queries import alerts as queries
from pep.wiring import PepDep

from .schemas.alerts import AcknowledgementCreate, ActionCreate, AlertsPublic
from .answers import answer
from .schemas.commands import CommandResultPublic
from .schemas.identifiers import IDENTIFIER, AlertId

router = APIRouter(prefix="/alerts", tags=["alerts"])

# Newest first by the day an alert was raised, then the day of its concern, then its id: none of
# them changes once raised, so acknowledging or actioning an alert never moves it between pages.
AlertsPage = Annotated[
    Paging[tuple[date, date, str] | None],
    keyset_paging(Keyset(date, date, str), default_limit=200, max_limit=1000),
]


@router.get("", response_model=AlertsPublic, summary="Alerts, newest first")
async def list_alerts(
    principal: Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)],
    pep: PepDep,
    paging: AlertsPage,
    status: AlertStatus | None = None,
    urn: UrnQuery = None,
    child_id: Annotated[str | None, Query(pattern=IDENTIFIER)] = None,
) -> AlertsPublic:
    rows = await queries.alerts(
        pep.pool, status.value if status else None, urn, child_id, after=paging.after, limit=paging.fetch
    )
    return AlertsPublic.model_validate(
        paging.page(rows, key=lambda row: (row["raised_on"], row["concern_on"], row["alert_id"]))
    )


@router.post(
    "/{alert_id}/acknowledgement", response_model=CommandResultPublic, summary="Acknowledge an alert"
)
async def acknowledge(
    principal: Annotated[Principal, Depends(access.ACT_ON_ALERTS)],
    alert_id: AlertId,
    body: AcknowledgementCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.AcknowledgeSchoolConcernAlert(
        alert_id=alert_id, acknowledged_on=body.acknowledged_on or ctx.today
    )
    return answer(await handlers.record(pep, ctx, command, "acknowledge"), response)


@router.post(
    "/{alert_id}/action", response_model=CommandResultPublic, summary="Record what was done for the child"
)
async def action(
    principal: Annotated[Principal, Depends(access.ACT_ON_ALERTS)],
    alert_id: AlertId,
    body: ActionCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordSchoolConcernAlertActioned(
        alert_id=alert_id, action=body.action, notes=body.notes, actioned_on=body.actioned_on or ctx.today
    )
    return answer(await handlers.record(pep, ctx, command, "action"), response)
