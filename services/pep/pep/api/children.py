"""Looked-after and previously looked-after children: care, school places and the education record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from shared.security.principal import Principal
from shared.web.context import ContextDep

from pep import access
from pep.domain import children as rules
from pep.handlers import children as handlers
from pep.handlers.scope import child_and_peps_in_scope
from pep.queries.education_record import education_record
from pep.wiring import PepDep

from .schemas.children import (
    AwaitingPlaceCreate,
    ChildDetailsCorrectionCreate,
    ChildDetailsUpdate,
    EnterCareCreate,
    LeftCareCreate,
    PlacementCreate,
    PreviouslyLookedAfterCreate,
    SchoolMoveCreate,
)
from .answers import answer, answered_read, nothing_new
from .schemas.commands import CommandResultPublic
from .schemas.education_record import EducationRecordPublic
from .schemas.identifiers import ChildId

router = APIRouter(tags=["children"])

Recorder = Annotated[Principal, Depends(access.RECORD_CARE)]


@router.post(
    "/children",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="A child enters care",
)
async def enter_care(
    principal: Recorder, body: EnterCareCreate, pep: PepDep, ctx: ContextDep, response: Response
) -> CommandResultPublic:
    outcome = await handlers.record(pep, ctx, rules.EnterCare(**body.model_dump()), "enter-care")
    response.headers["Location"] = f"/children/{body.child_id}"
    return answer(outcome, response, created=True)


@router.post(
    "/previously-looked-after-children",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="Track a previously looked-after child (adopted, special guardianship, ...)",
)
async def register_previously_looked_after(
    principal: Recorder, body: PreviouslyLookedAfterCreate, pep: PepDep, ctx: ContextDep, response: Response
) -> CommandResultPublic:
    command = rules.RegisterPreviouslyLookedAfterChild(
        **body.model_dump(exclude={"registered_on"}), registered_on=body.registered_on or ctx.today
    )
    outcome = await handlers.record(pep, ctx, command, "register-previously-looked-after")
    response.headers["Location"] = f"/children/{body.child_id}"
    return answer(outcome, response, created=True)


@router.post(
    "/children/{child_id}/details", response_model=CommandResultPublic, summary="Update a child's details"
)
async def update_details(
    principal: Recorder,
    child_id: ChildId,
    body: ChildDetailsUpdate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.UpdateChildDetails(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(pep, ctx, command, "update-details"), response)


@router.post(
    "/children/{child_id}/corrections",
    response_model=CommandResultPublic,
    summary="Correct details recorded wrongly about a child (rectification, UK GDPR Article 16)",
    description="Each detail given replaces the one recorded wrongly as if it had been right from the "
    "start (the child's record and the lists show it at once); the log keeps what was recorded first "
    "and the correction with its reason. A change in the child's circumstances is an update of their "
    "details instead (POST /children/{child_id}/details).",
)
async def correct_details(
    principal: Annotated[Principal, Depends(access.CORRECT_RECORD)],
    child_id: ChildId,
    body: ChildDetailsCorrectionCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.CorrectChildDetails(
        child_id=child_id,
        corrections=rules.DetailCorrections(**body.corrections.model_dump()),
        reason=body.reason,
        corrected_on=ctx.today,
    )
    return answer(await handlers.record(pep, ctx, command, "correct-details"), response)


@router.post(
    "/children/{child_id}/awaiting-school-place",
    response_model=CommandResultPublic,
    summary="The child needs a school place and has none",
)
async def awaiting_place(
    principal: Recorder,
    child_id: ChildId,
    body: AwaitingPlaceCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordAwaitingSchoolPlace(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(pep, ctx, command, "awaiting-place"), response)


@router.post(
    "/children/{child_id}/school-placement",
    response_model=CommandResultPublic,
    summary="The child joins a school's roll (headteacher and designated teacher are notified)",
)
async def place_at_school(
    principal: Recorder,
    child_id: ChildId,
    body: PlacementCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.PlaceChildAtSchool(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(pep, ctx, command, "place"), response)


@router.post(
    "/children/{child_id}/school-moves",
    response_model=CommandResultPublic,
    summary="The child moves from one school's roll to another's",
)
async def move_school(
    principal: Recorder,
    child_id: ChildId,
    body: SchoolMoveCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.MoveChildToSchool(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(pep, ctx, command, "move"), response)


@router.post(
    "/children/{child_id}/leaving-care", response_model=CommandResultPublic, summary="The child leaves care"
)
async def leave_care(
    principal: Recorder,
    child_id: ChildId,
    body: LeftCareCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordChildLeftCare(child_id=child_id, **body.model_dump())
    return answer(await handlers.record(pep, ctx, command, "leave-care"), response)


@router.get(
    "/children/{child_id}",
    response_model=EducationRecordPublic,
    summary="A child's education record: school, PEP status and history, targets, attendance, exclusions",
)
async def child_record(
    principal: Annotated[Principal, Depends(access.READ_CHILD)],
    child_id: ChildId,
    pep: PepDep,
    request: Request,
    response: Response,
) -> EducationRecordPublic:
    shown = await child_and_peps_in_scope(pep, principal, child_id, pep.today())
    child, peps = shown.child, shown.peps
    record = education_record(
        child_id, child.state, child.version, peps.state, peps.version, shown.personal_data_erased_on
    )
    await answered_read(request, response, child_id, child.version)
    return EducationRecordPublic.model_validate(record)
