"""Setting a financial year's budget: the grant and the top-slices for central provision.

The grant is either the rate per child (from the rates table) times the looked-after children at
the census date, or the amount in the DfE's grant letter (domain.md section 3). It may be revised
when a later figure arrives, but never below what is already top-sliced and approved. Top-slices
hold back named amounts for central provision (tutoring, arts awards, training); they come out of
the same balance as approvals, so neither can overspend the grant.
"""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command

from .budget_state import Budget, check_financial_year
from .events import CentralProvisionTopSliced, GrantCalculatedFromCensus, GrantLetterRecorded, TopSliceAmended
from .financial_year import FinancialYear, FinancialYearLabel
from .money import Count, Identifier, Pence, PositivePence, Text, pounds
from .rates import RatesTable
from .refusals import BudgetExceeded


class SetGrantFromCensus(Command):
    financial_year: FinancialYearLabel
    census_date: date
    looked_after_children: Count


class RecordGrantLetter(Command):
    financial_year: FinancialYearLabel
    letter_reference: Text
    letter_date: date
    grant_pence: Pence


class TopSliceForCentralProvision(Command):
    financial_year: FinancialYearLabel
    top_slice_id: Identifier
    name: Text
    purpose: Text
    amount_pence: PositivePence
    decided_by: Text


class AmendTopSlice(Command):
    financial_year: FinancialYearLabel
    top_slice_id: Identifier
    amount_pence: Pence
    reason: Text
    decided_by: Text


def set_grant_from_census(
    command: SetGrantFromCensus, budget: Budget, *, rates: RatesTable, today: date
) -> list[GrantCalculatedFromCensus]:
    check_financial_year(budget, command.financial_year)
    year = FinancialYear.parse(command.financial_year)
    if command.census_date > year.last_day:
        raise InvalidInput(
            f"the census date {command.census_date.isoformat()} is after the end of {year.label}",
            field="census_date",
        )
    rate = rates.rate_for(year)
    grant = rate * command.looked_after_children
    _check_grant_covers_allocations(budget, grant, field="looked_after_children")
    return [
        GrantCalculatedFromCensus(
            financial_year=command.financial_year,
            census_date=command.census_date,
            looked_after_children=command.looked_after_children,
            rate_pence=rate,
            grant_pence=grant,
            recorded_on=today,
        )
    ]


def record_grant_letter(
    command: RecordGrantLetter, budget: Budget, *, today: date
) -> list[GrantLetterRecorded]:
    check_financial_year(budget, command.financial_year)
    if command.letter_date > today:
        raise InvalidInput("the grant letter cannot be dated in the future", field="letter_date")
    _check_grant_covers_allocations(budget, command.grant_pence, field="grant_pence")
    return [
        GrantLetterRecorded(
            financial_year=command.financial_year,
            letter_reference=command.letter_reference,
            letter_date=command.letter_date,
            grant_pence=command.grant_pence,
            recorded_on=today,
        )
    ]


def top_slice(
    command: TopSliceForCentralProvision, budget: Budget, *, today: date
) -> list[CentralProvisionTopSliced]:
    check_financial_year(budget, command.financial_year)
    if command.top_slice_id in budget.top_slices:
        raise Conflict(f"top-slice {command.top_slice_id} already exists", field="top_slice_id")
    _check_within_remaining(budget, command.amount_pence, field="amount_pence")
    return [
        CentralProvisionTopSliced(
            financial_year=command.financial_year,
            top_slice_id=command.top_slice_id,
            name=command.name,
            purpose=command.purpose,
            amount_pence=command.amount_pence,
            decided_on=today,
            decided_by=command.decided_by,
        )
    ]


def amend_top_slice(command: AmendTopSlice, budget: Budget, *, today: date) -> list[TopSliceAmended]:
    check_financial_year(budget, command.financial_year)
    current = budget.top_slices.get(command.top_slice_id)
    if current is None:
        raise NotFound(f"there is no top-slice {command.top_slice_id}", field="top_slice_id")
    if command.amount_pence == current.amount_pence:
        raise InvalidInput("the top-slice is already that amount", field="amount_pence")
    _check_within_remaining(budget, command.amount_pence - current.amount_pence, field="amount_pence")
    return [
        TopSliceAmended(
            financial_year=command.financial_year,
            top_slice_id=command.top_slice_id,
            name=current.name,
            previous_amount_pence=current.amount_pence,
            amount_pence=command.amount_pence,
            reason=command.reason,
            amended_on=today,
            decided_by=command.decided_by,
        )
    ]


def _check_grant_covers_allocations(budget: Budget, grant_pence: int, *, field: str) -> None:
    allocated = budget.top_sliced_pence + budget.approved_pence
    if grant_pence < allocated:
        raise BudgetExceeded(
            f"a grant of {pounds(grant_pence)} pounds is less than the {pounds(allocated)} pounds already "
            "top-sliced and approved; withdraw approvals or reduce top-slices first",
            field=field,
        )


def _check_within_remaining(budget: Budget, extra_pence: int, *, field: str) -> None:
    if extra_pence > budget.remaining_pence:
        raise BudgetExceeded(
            f"only {pounds(budget.remaining_pence)} pounds of the budget remains; "
            f"{pounds(extra_pence)} pounds more cannot be allocated",
            field=field,
        )
