"""Payment runs: scheduling, payment and cancellation as a client sends them, and a run as the
budget (or the read model) has it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.web.paging import Page

from pupil_premium.domain.budget_state import PaymentRun, RunStatus
from pupil_premium.domain.events import PaymentLine

from .common import Body, Label, Note


class PaymentRunCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "run_id": "RUN-2026-27-AUTUMN-1",
                    "request_ids": ["PPR-3F2A9C71B0", "PPR-8D04E6A215"],
                    "project_ids": ["PRJ-7D1E04A9C2"],
                },
            ]
        }
    )

    run_id: Label | None = Field(
        default=None, description="name the run to make a retry safe (given one when left out)"
    )
    request_ids: list[Label] = Field(default_factory=list, max_length=1000)
    project_ids: list[Label] = Field(default_factory=list, max_length=1000)


class PaymentMadeCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"finance_reference": "BACS 2026-10-30 0147", "paid_on": "2026-10-30"}]
        }
    )

    finance_reference: Label
    paid_on: date


class CancellationCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": (
                        "Run scheduled with the wrong financial year; the payments will be made in a new "
                        "run."
                    ),
                },
            ]
        }
    )

    reason: Note


class PaymentRunPublic(BaseModel):
    financial_year: str
    run_id: str
    status: RunStatus
    payments: list[PaymentLine]
    total_pence: int
    scheduled_on: date
    paid_on: date | None = None
    finance_reference: str | None = None
    cancelled_on: date | None = None
    cancellation_reason: str | None = None


class PaymentRunList(Page[PaymentRunPublic]):
    """The year's payment runs, all in one page."""


def payment_run_public(run: PaymentRun, financial_year: str) -> PaymentRunPublic:
    return PaymentRunPublic(
        financial_year=financial_year,
        run_id=run.run_id,
        status=run.status,
        payments=list(run.lines),
        total_pence=run.total_pence,
        scheduled_on=run.scheduled_on,
        paid_on=run.paid_on,
        finance_reference=run.finance_reference,
        cancelled_on=run.cancelled_on,
        cancellation_reason=run.cancellation_reason,
    )


def run_record(row: dict[str, Any]) -> PaymentRunPublic:
    return PaymentRunPublic(
        financial_year=row["financial_year"],
        run_id=row["run_id"],
        status=row["status"],
        payments=[PaymentLine.model_validate(line) for line in row["lines"]],
        total_pence=row["total_pence"],
        scheduled_on=row["scheduled_on"],
        paid_on=row["paid_on"],
        finance_reference=row["finance_reference"],
        cancelled_on=row["cancelled_on"],
        cancellation_reason=row["cancellation_reason"],
    )
