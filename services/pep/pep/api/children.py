"""Looked-after and previously looked-after children: care, school places and the education record."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from shared.security.principal import Principal
from shared.text import Name, Note
from shared.urn import Urn
from shared.web.audit import record_child_read
from shared.web.context import ContextDep, StoreDep

from pep import access
from pep.domain import children as rules
from pep.domain.child_events import (
    LeftCareReason,
    LegalStatus,
    PreviouslyLookedAfterRoute,
    SenStatus,
    YearGroup,
)
from pep.handlers import children as handlers
from pep.handlers.common import load_peps
from pep.handlers.scope import child_in_scope
from pep.queries.education_record import education_record

from .common import IDENTIFIER, Body, ChildId, CommandResultPublic, TodayDep, answer, catalogue_of, etag_of
from .records import EducationRecordPublic

router = APIRouter(tags=["children"])


class EnterCareCreate(Body):
    child_id: str = Field(pattern=IDENTIFIER, description="The council's identifier of the child")
    name: Name
    date_of_birth: date
    entered_care_on: date
    legal_status: LegalStatus
    placing_authority: Name
    social_worker: Name
    carer: Name
    independent_reviewing_officer: Name
    sen_status: SenStatus
    year_group: YearGroup


class ChildDetailsUpdate(Body):
    changed_on: date
    legal_status: LegalStatus | None = None
    social_worker: Name | None = None
    carer: Name | None = None
    independent_reviewing_officer: Name | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = None


class AwaitingPlaceCreate(Body):
    place_needed_from: date
    reason: Note
    left_school_on: date | None = Field(default=None, description="The last day on the current school's roll")


class PlacementCreate(Body):
    urn: Urn
    start_date: date
    year_group: YearGroup | None = None


class SchoolMoveCreate(Body):
    to_urn: Urn
    start_date: date
    reason: Note
    left_previous_school_on: date | None = Field(default=None, description="The last day on the old roll")
    year_group: YearGroup | None = None


class LeftCareCreate(Body):
    left_care_on: date
    reason: LeftCareReason


class PreviouslyLookedAfterCreate(Body):
    child_id: str = Field(pattern=IDENTIFIER)
    name: Name
    date_of_birth: date
    left_care_on: date
    route: PreviouslyLookedAfterRoute
    previously_looked_after_by: Name
    sen_status: SenStatus
    year_group: YearGroup
    registered_on: date | None = Field(default=None, description="Today when not given")


Recorder = Annotated[Principal, Depends(access.RECORD_CARE)]


@router.post("/children", response_model=CommandResultPublic, status_code=200, summary="A child enters care")
async def enter_care(
    principal: Recorder,
    body: EnterCareCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    result = await handlers.record(
        store, catalogue_of(request), ctx, rules.EnterCare(**body.model_dump()), "enter-care"
    )
    response.headers["Location"] = f"/children/{body.child_id}"
    return answer(result, response, created=True)


@router.post(
    "/previously-looked-after-children",
    response_model=CommandResultPublic,
    summary="Track a previously looked-after child (adopted, special guardianship, ...)",
)
async def register_previously_looked_after(
    principal: Recorder,
    body: PreviouslyLookedAfterCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.RegisterPreviouslyLookedAfterChild(
        **body.model_dump(exclude={"registered_on"}), registered_on=body.registered_on or ctx.today
    )
    result = await handlers.record(
        store, catalogue_of(request), ctx, command, "register-previously-looked-after"
    )
    response.headers["Location"] = f"/children/{body.child_id}"
    return answer(result, response, created=True)


@router.post(
    "/children/{child_id}/details", response_model=CommandResultPublic, summary="Update a child's details"
)
async def update_details(
    principal: Recorder,
    child_id: ChildId,
    body: ChildDetailsUpdate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.UpdateChildDetails(child_id=child_id, **body.model_dump())
    return answer(
        await handlers.record(store, catalogue_of(request), ctx, command, "update-details"), response
    )


@router.post(
    "/children/{child_id}/awaiting-school-place",
    response_model=CommandResultPublic,
    summary="The child needs a school place and has none",
)
async def awaiting_place(
    principal: Recorder,
    child_id: ChildId,
    body: AwaitingPlaceCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordAwaitingSchoolPlace(child_id=child_id, **body.model_dump())
    return answer(
        await handlers.record(store, catalogue_of(request), ctx, command, "awaiting-place"), response
    )


@router.post(
    "/children/{child_id}/school-placement",
    response_model=CommandResultPublic,
    summary="The child joins a school's roll (headteacher and designated teacher are notified)",
)
async def place_at_school(
    principal: Recorder,
    child_id: ChildId,
    body: PlacementCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.PlaceChildAtSchool(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(store, catalogue_of(request), ctx, command, "place"), response)


@router.post(
    "/children/{child_id}/school-moves",
    response_model=CommandResultPublic,
    summary="The child moves from one school's roll to another's",
)
async def move_school(
    principal: Recorder,
    child_id: ChildId,
    body: SchoolMoveCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.MoveChildToSchool(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(store, catalogue_of(request), ctx, command, "move"), response)


@router.post(
    "/children/{child_id}/leaving-care", response_model=CommandResultPublic, summary="The child leaves care"
)
async def leave_care(
    principal: Recorder,
    child_id: ChildId,
    body: LeftCareCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordChildLeftCare(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(store, catalogue_of(request), ctx, command, "leave-care"), response)


@router.get(
    "/children/{child_id}",
    response_model=EducationRecordPublic,
    summary="A child's education record: school, PEP status and history, targets, attendance, exclusions",
)
async def child_record(
    principal: Annotated[Principal, Depends(access.READ_CHILD)],
    child_id: ChildId,
    today: TodayDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> EducationRecordPublic:
    catalogue = catalogue_of(request)
    child = await child_in_scope(store, catalogue, principal, child_id, today)
    peps = await load_peps(store, catalogue, child_id)
    record = education_record(child_id, child.state, child.version, peps.state, peps.version)
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag_of(child)
    return EducationRecordPublic.model_validate(record)
