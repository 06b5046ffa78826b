"""A child's PEPs: initiate, draft, SMART targets, review, submit, quality-assure or return.

Every step is the same: the route turns the body into the domain's command and
``handlers.peps.record`` checks the caller's scope over the child, decides and appends."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from shared.errors import NotFound
from shared.security.principal import Principal
from shared.web.context import ContextDep
from shared.web.paging import single_page

from pep import access
from pep.domain import peps as rules
from pep.handlers import peps as handlers
from pep.handlers.scope import child_and_peps_in_scope
from pep.queries.education_record import pep_detail, pep_summary, peps_in_order
from pep.wiring import PepDep

from .answers import answer, answered_read, nothing_new
from .schemas.commands import CommandResultPublic, PepInitiatedPublic
from .schemas.education_record import PepDetailPublic, PepListPublic
from .schemas.identifiers import ChildId, PepId
from .schemas.peps import (
    DraftCreate,
    PepCreate,
    QualityAssuranceCreate,
    ReturnCreate,
    ReviewCreate,
    SubmissionCreate,
    TargetsCreate,
)

router = APIRouter(prefix="/children/{child_id}/peps", tags=["PEPs"])

Reader = Annotated[Principal, Depends(access.READ_CHILD)]
Worker = Annotated[Principal, Depends(access.WORK_ON_PEP)]
QualityAssurer = Annotated[Principal, Depends(access.QUALITY_ASSURE)]


@router.post(
    "",
    response_model=PepInitiatedPublic,
    status_code=201,
    responses=nothing_new(PepInitiatedPublic),
    summary="Initiate a PEP for a term or a change of school",
)
async def initiate(
    principal: Annotated[Principal, Depends(access.INITIATE_PEP)],
    child_id: ChildId,
    body: PepCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> PepInitiatedPublic:
    pep_id = body.pep_id or f"PEP-{uuid.uuid4().hex[:12]}"
    command = rules.InitiatePep(
        child_id=child_id,
        pep_id=pep_id,
        term=body.term,
        occasion=body.occasion,
        initiated_on=body.initiated_on or ctx.today,
    )
    outcome = await handlers.record(pep, ctx, command, "initiate", per_pep=False)
    created = next((r.data["pep_id"] for r in outcome.recorded if r.event_type == "PepInitiated"), pep_id)
    response.headers["Location"] = f"/children/{child_id}/peps/{created}"
    return PepInitiatedPublic(**answer(outcome, response, created=True).model_dump(), pep_id=created)


@router.get("", response_model=PepListPublic, summary="A child's PEPs, oldest term first")
async def list_peps(
    principal: Reader, child_id: ChildId, pep: PepDep, request: Request, response: Response
) -> PepListPublic:
    shown = await child_and_peps_in_scope(pep, principal, child_id, pep.today())
    peps = shown.peps
    await answered_read(request, response, child_id, peps.version)
    return PepListPublic.model_validate(
        {
            "child_id": child_id,
            "version": peps.version,
            "personal_data_erased_on": shown.personal_data_erased_on,
            **single_page(pep_summary(r) for r in peps_in_order(peps.state)),
        }
    )


@router.get("/{pep_id}", response_model=PepDetailPublic, summary="One PEP with its review and targets")
async def get_pep(
    principal: Reader, child_id: ChildId, pep_id: PepId, pep: PepDep, request: Request, response: Response
) -> PepDetailPublic:
    shown = await child_and_peps_in_scope(pep, principal, child_id, pep.today())
    peps = shown.peps
    record = peps.state.peps.get(pep_id)
    if record is None:
        raise NotFound(f"no PEP {pep_id!r} for child {child_id}", field="pep_id")
    await answered_read(request, response, child_id, peps.version)
    return PepDetailPublic.model_validate(
        {**pep_detail(record, peps.state), "personal_data_erased_on": shown.personal_data_erased_on}
    )


@router.post("/{pep_id}/draft", response_model=CommandResultPublic, summary="Save the PEP's draft")
async def save_draft(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: DraftCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.SavePepDraft(
        child_id=child_id,
        pep_id=pep_id,
        strengths_and_needs=body.strengths_and_needs,
        meeting_date=body.meeting_date,
        saved_on=body.saved_on or ctx.today,
    )
    return answer(await handlers.record(pep, ctx, command, "draft"), response)


@router.post("/{pep_id}/targets", response_model=CommandResultPublic, summary="Set the PEP's SMART targets")
async def set_targets(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: TargetsCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.SetPepTargets(
        child_id=child_id,
        pep_id=pep_id,
        targets=tuple(target.to_domain() for target in body.targets),
        set_on=body.set_on or ctx.today,
    )
    return answer(await handlers.record(pep, ctx, command, "targets"), response)


@router.post(
    "/{pep_id}/review",
    response_model=CommandResultPublic,
    summary="Record the PEP meeting: attendance, exclusions, attainment, progress, voice, support",
)
async def record_review(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: ReviewCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordPepReview(
        child_id=child_id,
        pep_id=pep_id,
        meeting_date=body.meeting_date,
        attendance=(
            body.attendance.to_domain()
            if body.attendance is not None
            else await handlers.attendance_from_marks(pep, ctx, child_id, pep_id, body.meeting_date)
        ),
        exclusions=tuple(item.to_domain() for item in body.exclusions),
        attainment=tuple(item.to_domain() for item in body.attainment),
        target_progress=tuple(item.to_domain() for item in body.target_progress),
        child_voice=body.child_voice,
        attendees=tuple(item.to_domain() for item in body.attendees),
        support_funded=tuple(item.to_domain() for item in body.support_funded),
    )
    return answer(await handlers.record(pep, ctx, command, "review"), response)


@router.post(
    "/{pep_id}/submission", response_model=CommandResultPublic, summary="Submit the PEP for quality assurance"
)
async def submit(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: SubmissionCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.SubmitPep(child_id=child_id, pep_id=pep_id, submitted_on=body.submitted_on or ctx.today)
    return answer(await handlers.record(pep, ctx, command, "submit"), response)


@router.post(
    "/{pep_id}/return-for-rework",
    response_model=CommandResultPublic,
    summary="Send the PEP back with a reason",
)
async def return_for_rework(
    principal: QualityAssurer,
    child_id: ChildId,
    pep_id: PepId,
    body: ReturnCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.ReturnPepForRework(
        child_id=child_id, pep_id=pep_id, reason=body.reason, returned_on=body.returned_on or ctx.today
    )
    return answer(await handlers.record(pep, ctx, command, "return"), response)


@router.post(
    "/{pep_id}/quality-assurance",
    response_model=CommandResultPublic,
    summary="Grade the PEP red, amber or green; it is then complete",
)
async def quality_assure(
    principal: QualityAssurer,
    child_id: ChildId,
    pep_id: PepId,
    body: QualityAssuranceCreate,
    pep: PepDep,
    ctx: ContextDep,
    response: Response,
) -> CommandResultPublic:
    command = rules.QualityAssurePep(
        child_id=child_id,
        pep_id=pep_id,
        rating=body.rating,
        comments=body.comments,
        quality_assured_on=body.quality_assured_on or ctx.today,
    )
    return answer(await handlers.record(pep, ctx, command, "quality-assure"), response)
