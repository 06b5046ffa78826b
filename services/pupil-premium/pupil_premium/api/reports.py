"""The reports the plan asks for (seed 002, finance strand), as JSON or as CSV downloads:
requests by status, drift and delay, the weekly tracking sheet, the quarterly finance report and
the impact of spend against pupil outcomes. Each is read from the read models and computed by the
same pure functions the domain's tests check."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from shared.security.principal import Principal
from shared.web.context import ContextDep

from pupil_premium import access
from pupil_premium.api.budgets import year_label
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

Format = Annotated[Literal["json", "csv"], Query(description="csv for a spreadsheet download")]
CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV when format=csv"}}


@dataclasses.dataclass(frozen=True)
class FinanceLine:
    """One row of the quarterly report's CSV: the budget's figures, then spend by school and by
    kind of support."""

    section: str
    key: str
    approved_in_quarter_pence: int
    paid_in_quarter_pence: int
    approved_to_date_pence: int
    paid_to_date_pence: int
    children_funded_to_date: int | None = None
    grant_pence: int | None = None
    top_sliced_pence: int | None = None
    committed_at_end_pence: int | None = None
    remaining_at_end_pence: int | None = None


def csv_download(rows, row_type: type, filename: str) -> PlainTextResponse:
    return PlainTextResponse(
        to_csv(list(rows), row_type),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/requests-by-status", responses=CSV_RESPONSE, summary="Requests in each status, on a date")
async def by_status(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    as_of: date | None = None,
    format: Format = "json",
) -> list[StatusGroup]:
    label = year_label(financial_year)
    groups = requests_by_status(await request_queries.request_records(pp.pool, label), as_of=as_of)
    if format == "csv":
        return csv_download(groups, StatusGroup, f"pp-requests-by-status-{label}.csv")
    return groups


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
    week_starting: Annotated[date | None, Query(description="this week's Monday when left out")] = None,
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
    quarter: Annotated[int, Query(ge=1, le=4, description="1 is April to June")],
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
) -> list[ImpactLine]:
    label = year_label(financial_year)
    lines = impact_report_from(await request_queries.request_records(pp.pool, label), by=by)
    if format == "csv":
        return csv_download(lines, ImpactLine, f"pp-impact-by-{by}-{label}.csv")
    return lines


def finance_lines(report: QuarterlyFinanceReport) -> list[FinanceLine]:
    lines = [
        FinanceLine(
            section="budget",
            key=report.financial_year,
            approved_in_quarter_pence=report.approved_in_quarter_pence,
            paid_in_quarter_pence=report.paid_in_quarter_pence,
            approved_to_date_pence=report.approved_to_date_pence,
            paid_to_date_pence=report.paid_to_date_pence,
            grant_pence=report.grant_pence,
            top_sliced_pence=report.top_sliced_pence,
            committed_at_end_pence=report.committed_at_end_pence,
            remaining_at_end_pence=report.remaining_at_end_pence,
        )
    ]
    for section, spend in (("school", report.by_school), ("kind_of_support", report.by_kind_of_support)):
        lines += [
            FinanceLine(
                section=section,
                key=line.key,
                approved_in_quarter_pence=line.approved_in_quarter_pence,
                paid_in_quarter_pence=line.paid_in_quarter_pence,
                approved_to_date_pence=line.approved_to_date_pence,
                paid_to_date_pence=line.paid_to_date_pence,
                children_funded_to_date=line.children_funded_to_date,
            )
            for line in spend
        ]
    return lines
