"""A financial year's budget: the grant, the top-slices for central provision, and the budget as
it stands after a command."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from pupil_premium.domain.budget_state import Budget, TopSlice
from pupil_premium.domain.money import Count, Pence, PositivePence

from .common import Body, Label, Note, Title

EndOfDay = Annotated[date | None, Query(description="the end of this day")]


class CensusGrantCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"census_date": "2026-03-31", "looked_after_children": 412},
                {"census_date": "2026-03-31"},
            ]
        }
    )

    census_date: date
    looked_after_children: Count | None = Field(
        default=None,
        description="leave out to count the children the pep service's events say were looked after then",
    )


class GrantLetterCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "letter_reference": "DfE PP+ allocation 2026-27 LA 886",
                    "letter_date": "2026-06-24",
                    "grant_pence": 105884000,
                },
            ]
        }
    )

    letter_reference: Label
    letter_date: date
    grant_pence: Pence


class TopSliceCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Virtual school tutoring programme",
                    "purpose": (
                        "Small-group maths and English tutoring for looked-after children in Years 10 "
                        "and 11, commissioned centrally from an approved provider."
                    ),
                    "amount_pence": 15000000,
                },
            ]
        }
    )

    name: Title
    purpose: Note
    amount_pence: PositivePence


class TopSliceAmendmentCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount_pence": 12000000,
                    "reason": (
                        "The provider's contract came in lower than budgeted; the difference goes back "
                        "to schools."
                    ),
                },
            ]
        }
    )

    amount_pence: Pence
    reason: Note


class TopSlicePublic(BaseModel):
    top_slice_id: str
    name: str
    amount_pence: int


class BudgetPublic(BaseModel):
    financial_year: str
    grant_recorded: bool
    grant_pence: int
    top_sliced_pence: int
    approved_pence: int
    committed_pence: int
    paid_pence: int
    remaining_pence: int
    top_slices: list[TopSlicePublic]
    open_requests: int
    version: int


def top_slice_public(top_slice: TopSlice) -> TopSlicePublic:
    return TopSlicePublic(
        top_slice_id=top_slice.top_slice_id, name=top_slice.name, amount_pence=top_slice.amount_pence
    )


def budget_public(budget: Budget, financial_year: str, version: int) -> BudgetPublic:
    return BudgetPublic(
        financial_year=financial_year,
        grant_recorded=budget.grant_recorded,
        grant_pence=budget.grant_pence,
        top_sliced_pence=budget.top_sliced_pence,
        approved_pence=budget.approved_pence,
        committed_pence=budget.committed_pence,
        paid_pence=budget.paid_pence,
        remaining_pence=budget.remaining_pence,
        top_slices=[top_slice_public(t) for t in budget.top_slices.values()],
        open_requests=sum(1 for r in budget.requests.values() if r.is_open),
        version=version,
    )
