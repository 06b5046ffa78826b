"""A child's PEPs: initiate, draft, SMART targets, review, submit, quality-assure or return."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from shared.errors import NotFound
from shared.security.principal import Principal
from shared.web.audit import record_child_read
from shared.web.context import CommandContext, ContextDep, StoreDep

from pep import access
from pep.domain import peps as rules
from pep.handlers import peps as handlers
from pep.handlers.common import CommandResult, load_peps
from pep.handlers.scope import child_in_scope
from pep.queries.education_record import pep_detail, pep_summary, peps_in_order

from .common import ChildId, CommandResultPublic, PepId, TodayDep, answer, catalogue_of, etag_of
from .pep_schemas import (
    DraftCreate,
    PepCreate,
    QualityAssuranceCreate,
    ReturnCreate,
    ReviewCreate,
    SubmissionCreate,
    TargetsCreate,
)
from .records import PepDetailPublic, PepListPublic

router = APIRouter(prefix="/children/{child_id}/peps", tags=["PEPs"])


async def _record(
    request: Request,
    principal: Principal,
    ctx: CommandContext,
    store,
    child_id: str,
    command: rules.PepCommand,
    operation: str,
) -> CommandResult:
    catalogue = catalogue_of(request)
    child = await child_in_scope(store, catalogue, principal, child_id, ctx.today)
    return await handlers.record(store, catalogue, ctx, command, child.state, operation)


@router.post(
    "", response_model=CommandResultPublic, summary="Initiate a PEP for a term or a change of school"
)
async def initiate(
    principal: Annotated[Principal, Depends(access.INITIATE_PEP)],
    child_id: ChildId,
    body: PepCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    pep_id = body.pep_id or f"PEP-{uuid.uuid4().hex[:12]}"
    command = rules.InitiatePep(
        child_id=child_id,
        pep_id=pep_id,
        term=body.term,
        occasion=body.occasion,
        initiated_on=body.initiated_on or ctx.today,
    )
    result = await _record(request, principal, ctx, store, child_id, command, "initiate")
    created = next((r.data["pep_id"] for r in result.recorded if r.event_type == "PepInitiated"), pep_id)
    response.headers["Location"] = f"/children/{child_id}/peps/{created}"
    return answer(result, response, created=True)


@router.get("", response_model=PepListPublic, summary="A child's PEPs, oldest term first")
async def list_peps(
    principal: Annotated[Principal, Depends(access.READ_CHILD)],
    child_id: ChildId,
    today: TodayDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> PepListPublic:
    catalogue = catalogue_of(request)
    child = await child_in_scope(store, catalogue, principal, child_id, today)
    if not child.state.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    loaded = await load_peps(store, catalogue, child_id)
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag_of(loaded)
    return PepListPublic.model_validate(
        {
            "child_id": child_id,
            "version": loaded.version,
            "peps": [pep_summary(r) for r in peps_in_order(loaded.state)],
        }
    )


@router.get("/{pep_id}", response_model=PepDetailPublic, summary="One PEP with its review and targets")
async def get_pep(
    principal: Annotated[Principal, Depends(access.READ_CHILD)],
    child_id: ChildId,
    pep_id: PepId,
    today: TodayDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> PepDetailPublic:
    catalogue = catalogue_of(request)
    child = await child_in_scope(store, catalogue, principal, child_id, today)
    if not child.state.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    loaded = await load_peps(store, catalogue, child_id)
    record = loaded.state.peps.get(pep_id)
    if record is None:
        raise NotFound(f"no PEP {pep_id!r} for child {child_id}", field="pep_id")
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag_of(loaded)
    return PepDetailPublic.model_validate(pep_detail(record, loaded.state))


Worker = Annotated[Principal, Depends(access.WORK_ON_PEP)]
QualityAssurer = Annotated[Principal, Depends(access.QUALITY_ASSURE)]


@router.post("/{pep_id}/draft", response_model=CommandResultPublic, summary="Save the PEP's draft")
async def save_draft(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: DraftCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.SavePepDraft(
        child_id=child_id,
        pep_id=pep_id,
        strengths_and_needs=body.strengths_and_needs,
        meeting_date=body.meeting_date,
        saved_on=body.saved_on or ctx.today,
    )
    return answer(await _record(request, principal, ctx, store, child_id, command, "draft"), response)


@router.post("/{pep_id}/targets", response_model=CommandResultPublic, summary="Set the PEP's SMART targets")
async def set_targets(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: TargetsCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.SetPepTargets(
        child_id=child_id,
        pep_id=pep_id,
        targets=tuple(target.to_domain() for target in body.targets),
        set_on=body.set_on or ctx.today,
    )
    return answer(await _record(request, principal, ctx, store, child_id, command, "targets"), response)


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
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.RecordPepReview(
        child_id=child_id,
        pep_id=pep_id,
        meeting_date=body.meeting_date,
        attendance=body.attendance.to_domain(),
        exclusions=tuple(item.to_domain() for item in body.exclusions),
        attainment=tuple(item.to_domain() for item in body.attainment),
        target_progress=tuple(item.to_domain() for item in body.target_progress),
        child_voice=body.child_voice,
        attendees=tuple(item.to_domain() for item in body.attendees),
        support_funded=tuple(item.to_domain() for item in body.support_funded),
    )
    return answer(await _record(request, principal, ctx, store, child_id, command, "review"), response)


@router.post(
    "/{pep_id}/submission", response_model=CommandResultPublic, summary="Submit the PEP for quality assurance"
)
async def submit(
    principal: Worker,
    child_id: ChildId,
    pep_id: PepId,
    body: SubmissionCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.SubmitPep(child_id=child_id, pep_id=pep_id, submitted_on=body.submitted_on or ctx.today)
    return answer(await _record(request, principal, ctx, store, child_id, command, "submit"), response)


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
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.ReturnPepForRework(
        child_id=child_id, pep_id=pep_id, reason=body.reason, returned_on=body.returned_on or ctx.today
    )
    return answer(await _record(request, principal, ctx, store, child_id, command, "return"), response)


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
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    command = rules.QualityAssurePep(
        child_id=child_id,
        pep_id=pep_id,
        rating=body.rating,
        comments=body.comments,
        quality_assured_on=body.quality_assured_on or ctx.today,
    )
    return answer(
        await _record(request, principal, ctx, store, child_id, command, "quality-assure"), response
    )
