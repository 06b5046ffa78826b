"""The budget position: grant, top-slices, committed, paid and remaining, on any date.

``position_from_ledger`` reads the year's dated ledger, so it answers for a past date too ("what
was the position at the end of June?"); ``position_of`` reads the folded state a decision is made
against. The ledger is kept by the same fold, so both agree on today's figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.events import Event

from ..budget_state import Budget, fold_by_year
from ..ledger import LedgerEntry, total


@dataclass(frozen=True)
class TopSliceLine:
    top_slice_id: str
    name: str
    amount_pence: int


@dataclass(frozen=True)
class BudgetPosition:
    financial_year: str
    grant_pence: int
    top_sliced_pence: int
    committed_pence: int
    paid_pence: int
    remaining_pence: int
    top_slices: tuple[TopSliceLine, ...] = ()
    as_of: date | None = None

    @property
    def approved_pence(self) -> int:
        return self.committed_pence + self.paid_pence


def budget_position(
    events: Iterable[Event], financial_year: str, *, as_of: date | None = None
) -> BudgetPosition:
    budget = fold_by_year(events).get(financial_year)
    return position_from_ledger(list(budget.ledger) if budget else [], financial_year, as_of=as_of)


def position_from_ledger(
    entries: list[LedgerEntry], financial_year: str, *, as_of: date | None = None
) -> BudgetPosition:
    def sum_of(kind):
        return total(entries, kind, financial_year=financial_year, on_or_before=as_of)

    grant, top_sliced, approved, paid = (
        sum_of("grant"),
        sum_of("top_slice"),
        sum_of("approval"),
        sum_of("payment"),
    )
    slices: dict[str, TopSliceLine] = {}
    for entry in entries:
        if (
            entry.kind == "top_slice"
            and entry.financial_year == financial_year
            and (as_of is None or entry.day <= as_of)
        ):
            before = slices.get(entry.item_id)
            amount = (before.amount_pence if before else 0) + entry.amount_pence
            slices[entry.item_id] = TopSliceLine(entry.item_id, entry.label or entry.item_id, amount)
    return BudgetPosition(
        financial_year=financial_year,
        grant_pence=grant,
        top_sliced_pence=top_sliced,
        committed_pence=approved - paid,
        paid_pence=paid,
        remaining_pence=grant - top_sliced - approved,
        top_slices=tuple(slices.values()),
        as_of=as_of,
    )


def position_of(budget: Budget) -> BudgetPosition:
    """Today's position from the state the next decision will be made against."""
    return BudgetPosition(
        financial_year=budget.financial_year or "",
        grant_pence=budget.grant_pence,
        top_sliced_pence=budget.top_sliced_pence,
        committed_pence=budget.committed_pence,
        paid_pence=budget.paid_pence,
        remaining_pence=budget.remaining_pence,
        top_slices=tuple(
            TopSliceLine(t.top_slice_id, t.name, t.amount_pence) for t in budget.top_slices.values()
        ),
    )
