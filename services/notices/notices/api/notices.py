"""Warning notices (s60): draft, amend, discard, give, representations, Ofsted's decision,
compliance, notice of intention; and a notice with its full timeline and every computed date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Response

from shared.urn import UrnQuery
from shared.web.commands import etag
from shared.web.context import CommandContext, ContextDep
from shared.web.paging import Keyset, Paging, keyset_paging
from notices.access import Decider, Reader, Recorder
from notices.api.schemas.common import RecordId
from notices.api.schemas.notices import (
    ComplianceJudgementCreate,
    NoticeList,
    NoticeOfIntentionCreate,
    NoticePublic,
    OfstedDecisionCreate,
    RepresentationsCreate,
    WarningNoticeCreate,
    WarningNoticeDiscard,
    WarningNoticeDraftAmend,
    WarningNoticeGive,
)
from notices.domain import warning_notice as wn
from notices.domain.warning_notice_state import NoticeStage
from notices.handlers import notices as handlers
from notices.queries import read_models
from notices.queries.records import NoticeRecord, notice_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/notices", tags=["warning notices"])

# Newest first: by the day drafted, then id.
NoticesPage = Annotated[Paging[tuple[date, str] | None], keyset_paging(Keyset(date, str), max_limit=500)]


async def _decided(
    notices: Notices, ctx: CommandContext, command: wn.WarningNoticeCommand, response: Response
) -> NoticePublic:
    """Run the command and answer with the notice as that command left it, with its timeline
    (which reads the school's intervention and direction streams too, as far as that command -
    including the eligibility a notice of intention recorded with it)."""
    outcome = await handlers.handle(notices, ctx, command)
    cut = max(r.position for r in outcome.recorded) if outcome.recorded else None
    return _shown(await notice_record(notices.log, command.notice_id, up_to_position=cut), response)


def _shown(record: NoticeRecord, response: Response) -> NoticePublic:
    response.headers["ETag"] = etag(record.version)
    return NoticePublic.of(record)


@router.post("", status_code=201, summary="Draft a warning notice")
async def draft_notice(
    body: WarningNoticeCreate, principal: Recorder, ctx: ContextDep, notices: NoticesDep, response: Response
) -> NoticePublic:
    notice_id = await handlers.new_notice_id(notices, ctx)
    command = wn.DraftWarningNotice(
        notice_id=notice_id,
        urn=body.urn,
        drafted_on=body.drafted_on or ctx.today,
        content=body.content(),
        direction_id=body.direction_id,
    )
    answer = await _decided(notices, ctx, command, response)
    response.headers["Location"] = f"/notices/{notice_id}"
    return answer


@router.get("", summary="Warning notices, newest first (by the day drafted)")
async def list_notices(
    principal: Reader,
    notices: NoticesDep,
    paging: NoticesPage,
    urn: UrnQuery = None,
    stage: NoticeStage | None = None,
) -> NoticeList:
    rows = await read_models.notices_list(
        notices.pool, urn=urn, stage=stage.value if stage else None, after=paging.after, limit=paging.fetch
    )
    return NoticeList.model_validate(paging.page(rows, key=lambda row: (row["drafted_on"], row["notice_id"])))


@router.get("/{notice_id}", summary="A notice with its full timeline and every computed date")
async def get_notice(
    notice_id: RecordId, principal: Reader, notices: NoticesDep, response: Response
) -> NoticePublic:
    return _shown(await notice_record(notices.log, notice_id), response)


@router.post("/{notice_id}/amend", summary="Amend a draft (its content is replaced)")
async def amend_draft(
    notice_id: RecordId,
    body: WarningNoticeDraftAmend,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.AmendWarningNoticeDraft(
        notice_id=notice_id, amended_on=body.amended_on or ctx.today, content=body.content()
    )
    return await _decided(notices, ctx, command, response)


@router.post("/{notice_id}/discard", summary="Discard a draft")
async def discard_draft(
    notice_id: RecordId,
    body: WarningNoticeDiscard,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.DiscardWarningNoticeDraft(
        notice_id=notice_id, discarded_on=body.discarded_on or ctx.today, reason=body.reason
    )
    return await _decided(notices, ctx, command, response)


@router.post("/{notice_id}/give", summary="Give the notice to the governing body, with its copies")
async def give_notice(
    notice_id: RecordId,
    body: WarningNoticeGive,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.GiveWarningNotice(
        notice_id=notice_id,
        given_on=body.given_on,
        compliance_period=body.compliance_period.to_domain() if body.compliance_period else None,
        diocesan_authority=body.diocesan_authority,
        foundation_governors_appointer=body.foundation_governors_appointer,
    )
    return await _decided(notices, ctx, command, response)


@router.post(
    "/{notice_id}/representations",
    summary="The governing body's representations to Ofsted (before 18 April 2016)",
)
async def record_representations(
    notice_id: RecordId,
    body: RepresentationsCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.RecordRepresentationsToOfsted(
        notice_id=notice_id, made_on=body.made_on, summary=body.summary
    )
    return await _decided(notices, ctx, command, response)


@router.post("/{notice_id}/ofsted-decision", summary="Ofsted confirmed the notice, or did not")
async def record_ofsted_decision(
    notice_id: RecordId,
    body: OfstedDecisionCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.RecordOfstedDecision(
        notice_id=notice_id, decided_on=body.decided_on, confirmed=body.confirmed
    )
    return await _decided(notices, ctx, command, response)


@router.post("/{notice_id}/compliance-judgement", summary="Complied with, or not, at the end of the period")
async def judge_compliance(
    notice_id: RecordId,
    body: ComplianceJudgementCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.RecordComplianceJudgement(
        notice_id=notice_id, judged_on=body.judged_on, complied=body.complied, evidence=body.evidence
    )
    return await _decided(notices, ctx, command, response)


@router.post(
    "/{notice_id}/notice-of-intention", summary="Written notice that the council proposes to use its powers"
)
async def give_notice_of_intention(
    notice_id: RecordId,
    body: NoticeOfIntentionCreate,
    principal: Decider,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> NoticePublic:
    command = wn.GiveNoticeOfIntentionToUsePowers(
        notice_id=notice_id, given_on=body.given_on, powers=tuple(body.powers)
    )
    return await _decided(notices, ctx, command, response)
