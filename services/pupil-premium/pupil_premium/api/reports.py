"""The reports the plan asks for (seed 002, finance strand), as JSON or as CSV downloads:
requests by status, drift and delay, the weekly tracking sheet, the quarterly finance report and
the impact of spend against pupil outcomes. Each is read from the read models and computed by the
same pure functions the domain's tests check."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse

from shared.csv_cells import CSV_MEDIA_TYPE
from shared.security.principal import Principal
from shared.web.context import ContextDep
from shared.web.paging import single_page

from pupil_premium import access
from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.reports import (
    CSV_RESPONSE,
    FinanceLine,
    Format,
    ImpactReport,
    Quarter,
    RequestsByStatus,
    WeekStarting,
    finance_lines,
)
from pupil_premium.domain.reports.csv_export import to_csv
from pupil_premium.domain.reports.finance import QuarterlyFinanceReport
from pupil_premium.domain.reports.impact import Grouping, ImpactLine, impact_report_from
from pupil_premium.domain.reports.tracking import (
    DelayLine,
    DriftAndDelay,
    StatusGroup,
    TrackingLine,
    WeeklyTracking,
    drift_and_delay,
    requests_by_status,
    weekly_tracking,
)
from pupil_premium.queries import budgets as budget_queries
from pupil_premium.queries import requests as request_queries
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/reports", tags=["reports"])

def csv_download(rows, row_type: type, filename: str) -> PlainTextResponse:
    return PlainTextResponse(
        to_csv(list(rows), row_type),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/requests-by-status", responses=CSV_RESPONSE, summary="Requests in each status, on a date")
async def by_status(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    as_of: date | None = None,
    format: Format = "json",
) -> RequestsByStatus:
    label = year_label(financial_year)
    groups = requests_by_status(await request_queries.request_records(pp.pool, label), as_of=as_of)
    if format == "csv":
        return csv_download(groups, StatusGroup, f"pp-requests-by-status-{label}.csv")
    return RequestsByStatus(**single_page(groups))


@router.get(
    "/drift-and-delay", responses=CSV_RESPONSE, summary="Days from request to decision and to payment"
)
async def delay(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    as_of: date | None = None,
    format: Format = "json",
) -> DriftAndDelay:
    label = year_label(financial_year)
    day = as_of or ctx.today
    report = drift_and_delay(await request_queries.request_records(pp.pool, label), as_of=day)
    if format == "csv":
        return csv_download(report.lines, DelayLine, f"pp-drift-and-delay-{label}-{day.isoformat()}.csv")
    return report


@router.get("/weekly-tracking", responses=CSV_RESPONSE, summary="The weekly tracking sheet")
async def tracking(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    week_starting: WeekStarting = None,
    format: Format = "json",
) -> WeeklyTracking:
    label = year_label(financial_year)
    monday = week_starting or ctx.today - timedelta(days=ctx.today.weekday())
    sheet = weekly_tracking(await request_queries.request_records(pp.pool, label), week_starting=monday)
    if format == "csv":
        return csv_download(sheet.lines, TrackingLine, f"pp-weekly-tracking-{label}-{monday.isoformat()}.csv")
    return sheet


@router.get("/quarterly-finance", responses=CSV_RESPONSE, summary="The quarterly finance monitoring report")
async def quarterly_finance(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    quarter: Quarter,
    format: Format = "json",
) -> QuarterlyFinanceReport:
    label = year_label(financial_year)
    report = await budget_queries.quarterly_finance(pp.pool, label, quarter)
    if format == "csv":
        return csv_download(finance_lines(report), FinanceLine, f"pp-finance-{label}-q{quarter}.csv")
    return report


@router.get(
    "/impact",
    responses=CSV_RESPONSE,
    summary="Spend against pupil outcomes, by child, school or intervention",
)
async def impact(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    by: Grouping = "school",
    format: Format = "json",
) -> ImpactReport:
    label = year_label(financial_year)
    lines = impact_report_from(await request_queries.request_records(pp.pool, label), by=by)
    if format == "csv":
        return csv_download(lines, ImpactLine, f"pp-impact-by-{by}-{label}.csv")
    return ImpactReport(**single_page(lines))
