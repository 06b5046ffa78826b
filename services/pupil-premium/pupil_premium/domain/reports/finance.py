"""The quarterly finance monitoring report (seed 002: "Finance monitoring - quarterly").

For one quarter of a financial year: the grant, what is top-sliced, what was approved and paid in
the quarter and to date, what is committed and what remains at the quarter's end, with the spend
by school and by kind of support, and how quickly requests were paid.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from shared.events import Event

from ..budget_state import NO_BUDGET, RequestState, fold_by_year
from ..financial_year import FinancialYear
from ..ledger import LedgerEntry, total
from .position import TopSliceLine, position_from_ledger


@dataclass(frozen=True)
class SpendLine:
    """Spend for one school or one kind of support."""

    key: str
    approved_in_quarter_pence: int
    paid_in_quarter_pence: int
    approved_to_date_pence: int
    paid_to_date_pence: int
    children_funded_to_date: int


@dataclass(frozen=True)
class QuarterlyFinanceReport:
    financial_year: str
    quarter: int
    period_start: date
    period_end: date
    grant_pence: int
    top_sliced_pence: int
    top_slices: tuple[TopSliceLine, ...]
    approved_in_quarter_pence: int
    paid_in_quarter_pence: int
    approved_to_date_pence: int
    paid_to_date_pence: int
    committed_at_end_pence: int
    remaining_at_end_pence: int
    requests_received: int
    requests_decided: int
    requests_paid: int
    median_days_to_payment: float | None
    by_school: tuple[SpendLine, ...]
    by_kind_of_support: tuple[SpendLine, ...]


def quarterly_finance_report(
    events: Iterable[Event], *, financial_year: str, quarter: int
) -> QuarterlyFinanceReport:
    budget = fold_by_year(events).get(financial_year, NO_BUDGET)
    return quarterly_finance_report_from(
        budget.ledger, budget.requests.values(), financial_year=financial_year, quarter=quarter
    )


def quarterly_finance_report_from(
    ledger_entries: Iterable[LedgerEntry],
    requests: Iterable[RequestState],
    *,
    financial_year: str,
    quarter: int,
) -> QuarterlyFinanceReport:
    """The report from the year's ledger and its requests (folded, or as the read models hold
    them)."""
    period = FinancialYear.parse(financial_year).quarter(quarter)
    start, end = period.first_day, period.last_day
    entries = [entry for entry in ledger_entries if entry.financial_year == financial_year]
    position = position_from_ledger(entries, financial_year, as_of=end)
    records = list(requests)
    paid_in_quarter = [r for r in records if r.paid_on and start <= r.paid_on <= end]
    payment_days = [r.days_to_payment for r in paid_in_quarter if r.days_to_payment is not None]
    return QuarterlyFinanceReport(
        financial_year=financial_year,
        quarter=quarter,
        period_start=start,
        period_end=end,
        grant_pence=position.grant_pence,
        top_sliced_pence=position.top_sliced_pence,
        top_slices=position.top_slices,
        approved_in_quarter_pence=total(
            entries, "approval", financial_year=financial_year, between=(start, end)
        ),
        paid_in_quarter_pence=total(entries, "payment", financial_year=financial_year, between=(start, end)),
        approved_to_date_pence=position.approved_pence,
        paid_to_date_pence=position.paid_pence,
        committed_at_end_pence=position.committed_pence,
        remaining_at_end_pence=position.remaining_pence,
        requests_received=sum(1 for r in records if start <= r.requested_on <= end),
        requests_decided=sum(1 for r in records if r.decided_on and start <= r.decided_on <= end),
        requests_paid=len(paid_in_quarter),
        median_days_to_payment=float(statistics.median(payment_days)) if payment_days else None,
        by_school=_spend_by(entries, lambda e: e.school_urn, start, end),
        by_kind_of_support=_spend_by(entries, lambda e: e.category, start, end),
    )


@dataclass
class _Tally:
    approved_in_quarter: int = 0
    paid_in_quarter: int = 0
    approved: int = 0
    paid: int = 0
    children: dict[str, int] = field(default_factory=dict)

    def line(self, key: str) -> SpendLine:
        return SpendLine(
            key=key,
            approved_in_quarter_pence=self.approved_in_quarter,
            paid_in_quarter_pence=self.paid_in_quarter,
            approved_to_date_pence=self.approved,
            paid_to_date_pence=self.paid,
            children_funded_to_date=sum(1 for amount in self.children.values() if amount > 0),
        )


def _spend_by(
    entries: list[LedgerEntry], key_of: Callable[[LedgerEntry], str | None], start: date, end: date
) -> tuple[SpendLine, ...]:
    tallies: dict[str, _Tally] = {}
    for entry in entries:
        if entry.kind not in ("approval", "payment") or entry.day > end:
            continue
        tally = tallies.setdefault(key_of(entry) or "", _Tally())
        in_quarter = start <= entry.day
        if entry.kind == "approval":
            tally.approved += entry.amount_pence
            tally.approved_in_quarter += entry.amount_pence if in_quarter else 0
            for child_id in entry.child_ids:
                tally.children[child_id] = tally.children.get(child_id, 0) + entry.amount_pence
        else:
            tally.paid += entry.amount_pence
            tally.paid_in_quarter += entry.amount_pence if in_quarter else 0
    return tuple(tally.line(key) for key, tally in sorted(tallies.items()))
