"""The budget ledger: every money movement of a year, one dated entry each, in signed pence.

The grant (and each revision, as the change), each top-slice and amendment, each approval (and
the release of one withdrawn) and each payment. Summing entries up to a date gives the budget
position on that date; summing within a quarter gives the quarter's movements.

The entries are worked out in one place, ``movements``, which the budget's fold
(``budget_state.evolve``) calls for every event and keeps in ``Budget.ledger``; the ledger read
model and the reports read them from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from shared.events import Event

from .events import (
    CentralProvisionTopSliced,
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    PaymentRunPaid,
    RequestApproved,
    RequestPartApproved,
    RequestWithdrawn,
    SchoolProjectApproved,
    TopSliceAmended,
)

if TYPE_CHECKING:  # the fold imports this module; the budget is only read here
    from .budget_state import Budget

EntryKind = Literal["grant", "top_slice", "approval", "payment"]

SCHOOL_PROJECT = "school_project"
"""The spending category of pooled school projects, beside the request intervention types."""


@dataclass(frozen=True)
class LedgerEntry:
    financial_year: str
    day: date
    kind: EntryKind
    amount_pence: int
    item_id: str | None = None
    label: str | None = None
    school_urn: str | None = None
    category: str | None = None  # the intervention type, or "school_project"
    child_ids: tuple[str, ...] = ()
    item: str | None = None  # what ``item_id`` names: "top_slice", "request" or "project"


def movements(before: Budget, event: Event) -> tuple[LedgerEntry, ...]:
    """The ledger entries one event adds to a year whose budget stood at ``before``."""
    match event:
        case GrantCalculatedFromCensus() | GrantLetterRecorded():
            change = event.grant_pence - before.grant_pence
            return (LedgerEntry(event.financial_year, event.effective_on(), "grant", change),)
        case CentralProvisionTopSliced():
            return (_top_slice(event, event.decided_on, event.amount_pence),)
        case TopSliceAmended():
            return (_top_slice(event, event.amended_on, event.amount_pence - event.previous_amount_pence),)
        case RequestApproved() | RequestPartApproved():
            return (_request_approval(before, event, event.decided_on, event.amount_approved_pence),)
        case RequestWithdrawn() if event.released_pence:
            # Releasing a withdrawn approval is a negative approval, so "approved to date" falls.
            return (_request_approval(before, event, event.withdrawn_on, -event.released_pence),)
        case SchoolProjectApproved():
            project = before.project(event.project_id)
            return (
                LedgerEntry(
                    event.financial_year,
                    event.decided_on,
                    "approval",
                    event.amount_approved_pence,
                    item_id=event.project_id,
                    school_urn=event.school_urn,
                    category=SCHOOL_PROJECT,
                    child_ids=project.child_ids,
                    item="project",
                ),
            )
        case PaymentRunPaid():
            return tuple(
                LedgerEntry(
                    event.financial_year,
                    event.paid_on,
                    "payment",
                    line.amount_pence,
                    item_id=line.item_id,
                    label=event.finance_reference,
                    school_urn=line.school_urn,
                    category=_category(before, line.item, line.item_id),
                    child_ids=line.child_ids,
                    item=line.item,
                )
                for line in event.payments
            )
    return ()


def total(
    entries: Iterable[LedgerEntry],
    kind: EntryKind,
    *,
    financial_year: str,
    on_or_before: date | None = None,
    between: tuple[date, date] | None = None,
) -> int:
    """The sum of one kind of entry for a year, up to a date or within a period (inclusive)."""
    result = 0
    for entry in entries:
        if entry.kind != kind or entry.financial_year != financial_year:
            continue
        if on_or_before is not None and entry.day > on_or_before:
            continue
        if between is not None and not between[0] <= entry.day <= between[1]:
            continue
        result += entry.amount_pence
    return result


def _top_slice(event: CentralProvisionTopSliced | TopSliceAmended, day: date, amount: int) -> LedgerEntry:
    return LedgerEntry(
        event.financial_year,
        day,
        "top_slice",
        amount,
        item_id=event.top_slice_id,
        label=event.name,
        item="top_slice",
    )


def _request_approval(
    before: Budget, event: RequestApproved | RequestPartApproved | RequestWithdrawn, day: date, amount: int
) -> LedgerEntry:
    return LedgerEntry(
        event.financial_year,
        day,
        "approval",
        amount,
        item_id=event.request_id,
        school_urn=event.school_urn,
        category=_category(before, "request", event.request_id),
        child_ids=(event.child_id,),
        item="request",
    )


def _category(before: Budget, item: str, item_id: str) -> str:
    """A payment is spent on what was approved: the request's kind of support, or a project."""
    return before.request(item_id).intervention_type.value if item == "request" else SCHOOL_PROJECT
