"""The reports' query parameters, the two reports that are lists (requests by status, impact) as
pages of the domain's own rows, and the quarterly finance report laid out as CSV rows (the other
reports are the domain's own shapes, in ``domain.reports``)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Literal

from fastapi import Query

from shared.web.paging import Page

from pupil_premium.domain.reports.finance import QuarterlyFinanceReport
from pupil_premium.domain.reports.impact import ImpactLine
from pupil_premium.domain.reports.tracking import StatusGroup

Format = Annotated[Literal["json", "csv"], Query(description="csv for a spreadsheet download")]
CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV when format=csv"}}
WeekStarting = Annotated[date | None, Query(description="this week's Monday when left out")]
Quarter = Annotated[int, Query(ge=1, le=4, description="1 is April to June")]


class RequestsByStatus(Page[StatusGroup]):
    """One row per status, every status in one page."""


class ImpactReport(Page[ImpactLine]):
    """One row per child, school or intervention, all in one page."""


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
