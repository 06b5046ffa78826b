"""Across schools: every school causing concern with its stage, and the deadlines coming up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shared.urn import UrnQuery
from shared.web.paging import single_page
from notices.access import Reader
from notices.domain.dates import working_days_ahead
from notices.api.schemas.overview import (
    SchoolCausingConcernPublic,
    SchoolsCausingConcern,
    UpcomingDeadlinePublic,
    UpcomingDeadlinesPublic,
)
from notices.queries import read_models
from notices.wiring import NoticesDep

router = APIRouter(tags=["overview"])


@router.get("/schools-causing-concern", summary="Every school causing concern today, most serious first")
async def schools_causing_concern(principal: Reader, notices: NoticesDep) -> SchoolsCausingConcern:
    rows = await read_models.causing_concern(notices.pool, notices.today())
    return SchoolsCausingConcern(
        **single_page(
            SchoolCausingConcernPublic(
                urn=r.concern.urn,
                school_name=r.school_name,
                stage=r.concern.stage,
                since=r.concern.since,
                notice_id=r.concern.notice_id,
                powers_available=list(r.concern.powers_available),
            )
            for r in rows
        )
    )


@router.get("/deadlines", summary="Deadlines due in the next N working days (today included)")
async def upcoming_deadlines(
    principal: Reader,
    notices: NoticesDep,
    working_days: Annotated[int, Query(ge=0, le=260)] = 10,
    urn: UrnQuery = None,
) -> UpcomingDeadlinesPublic:
    today = notices.today()
    until = working_days_ahead(today, working_days, notices.calendar)
    rows = await read_models.upcoming_deadlines(notices.pool, today, until, urn=urn)
    return UpcomingDeadlinesPublic(
        today=today,
        until=until,
        working_days=working_days,
        **single_page(UpcomingDeadlinePublic.model_validate(r) for r in rows),
    )
