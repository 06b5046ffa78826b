"""Academy orders for a school eligible for intervention, and the law they are made under.

The Secretary of State decides; the council records what was decided and, while an order has
effect, the steps the council and the governing body take to facilitate conversion. Each answer
says where the school stands today ("academy order expected (duty)", "order made on ...",
"declined under the power").
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from shared.urn import UrnPath
from shared.web.commands import answered, etag
from shared.web.context import CommandContext, ContextDep
from notices.access import Decider, Reader, Recorder
from notices.api.schemas.academy_orders import (
    AcademyOrderLawPublic,
    AcademyOrderMadeCreate,
    AcademyOrderNotMadeCreate,
    AcademyOrderRevocationCreate,
    AcademyOrdersPublic,
    CommencementCreate,
    ConversionStepCreate,
)
from notices.domain import academy_order
from notices.domain.academy_order_law import SetAcademyOrderCommencement
from notices.handlers import academy_orders as handlers
from notices.queries.records import academy_order_law_record, academy_order_record, intervention_record
from notices.wiring import Notices, NoticesDep

router = APIRouter(prefix="/academy-orders/{urn}", tags=["academy orders"])
law_router = APIRouter(prefix="/academy-order-law", tags=["academy orders"])


async def _answer(
    notices: Notices, urn: str, state: academy_order.AcademyOrderCase, version: int
) -> AcademyOrdersPublic:
    intervention = (await intervention_record(notices.log, urn)).state
    law = (await academy_order_law_record(notices.log)).state
    today = notices.today()
    position = academy_order.academy_order_position(state, intervention, law, today)
    return AcademyOrdersPublic.of(urn, state, position, version)


async def _decided(
    notices: Notices,
    ctx: CommandContext,
    command: academy_order.AcademyOrderCommand,
    response: Response,
    *,
    created: bool,
) -> AcademyOrdersPublic:
    """Run the command and answer with the school's academy orders as that command left them."""
    outcome = await handlers.handle(notices, ctx, command)
    answered(response, outcome, created=created)
    return await _answer(notices, command.urn, outcome.state, outcome.version)


@router.get("", summary="The school's academy orders, and where it stands today")
async def get_academy_orders(
    urn: UrnPath, principal: Reader, notices: NoticesDep, response: Response
) -> AcademyOrdersPublic:
    record = await academy_order_record(notices.log, urn)
    response.headers["ETag"] = etag(record.version)
    return await _answer(notices, urn, record.state, record.version)


@router.post("/order", status_code=201, summary="The Secretary of State made an academy order")
async def record_order_made(
    urn: UrnPath,
    body: AcademyOrderMadeCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyOrdersPublic:
    return await _decided(notices, ctx, body.command(urn), response, created=True)


@router.post(
    "/decision-not-to-make",
    status_code=201,
    summary="The Secretary of State decided not to make an academy order (only where it is a power)",
)
async def record_order_not_made(
    urn: UrnPath,
    body: AcademyOrderNotMadeCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyOrdersPublic:
    return await _decided(notices, ctx, body.command(urn), response, created=True)


@router.post("/revocation", summary="The Secretary of State revoked the academy order")
async def record_revocation(
    urn: UrnPath,
    body: AcademyOrderRevocationCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyOrdersPublic:
    return await _decided(notices, ctx, body.command(urn), response, created=False)


@router.post(
    "/conversion-steps",
    status_code=201,
    summary="A step the council or the governing body took to facilitate conversion",
)
async def record_conversion_step(
    urn: UrnPath,
    body: ConversionStepCreate,
    principal: Recorder,
    ctx: ContextDep,
    notices: NoticesDep,
    response: Response,
) -> AcademyOrdersPublic:
    return await _decided(notices, ctx, body.command(urn), response, created=True)


@law_router.get("", summary="When the Children's Wellbeing and Schools Act 2026 makes academy orders a power")
async def get_academy_order_law(
    principal: Reader, notices: NoticesDep, response: Response
) -> AcademyOrderLawPublic:
    record = await academy_order_law_record(notices.log)
    response.headers["ETag"] = etag(record.version)
    return AcademyOrderLawPublic.of(record.state, record.version)


@law_router.post(
    "", summary="Record the commencement of the Children's Wellbeing and Schools Act 2026 (or none)"
)
async def set_academy_order_commencement(
    body: CommencementCreate, principal: Decider, ctx: ContextDep, notices: NoticesDep, response: Response
) -> AcademyOrderLawPublic:
    command = SetAcademyOrderCommencement(
        commences_on=body.commences_on, decided_by=body.decided_by, source=body.source, set_on=ctx.today
    )
    outcome = await handlers.set_commencement(notices, ctx, command)
    answered(response, outcome)
    return AcademyOrderLawPublic.of(outcome.state, outcome.version)
