"""The money movements of PP+ budgets, each dated, folded from events.

Every change to a year's figures becomes one dated entry: the grant (and any revision), a
top-slice (and any amendment), an approval (and the release of one withdrawn), a payment. Sums of
entries up to a date give the position on that date; sums within a quarter give the quarter's
movements. Amounts are signed integer pence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from shared.events import Event

from ..events import (
    CentralProvisionTopSliced,
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    PaymentRunPaid,
    RequestApproved,
    RequestPartApproved,
    RequestWithdrawn,
    SchoolProjectApproved,
    SchoolProjectProposed,
    TopSliceAmended,
)

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


def ledger(events: Iterable[Event]) -> list[LedgerEntry]:
    entries: list[LedgerEntry] = []
    grants: dict[str, int] = {}
    approved: dict[tuple[str, str, str], LedgerEntry] = {}
    cohorts: dict[tuple[str, str], tuple[str, ...]] = {}
    for event in events:
        match event:
            case SchoolProjectProposed():
                cohorts[(event.financial_year, event.project_id)] = event.child_ids
            case GrantCalculatedFromCensus() | GrantLetterRecorded():
                change = event.grant_pence - grants.get(event.financial_year, 0)
                grants[event.financial_year] = event.grant_pence
                entries.append(LedgerEntry(event.financial_year, event.effective_on(), "grant", change))
            case CentralProvisionTopSliced():
                entries.append(
                    LedgerEntry(
                        event.financial_year,
                        event.decided_on,
                        "top_slice",
                        event.amount_pence,
                        item_id=event.top_slice_id,
                        label=event.name,
                    )
                )
            case TopSliceAmended():
                entries.append(
                    LedgerEntry(
                        event.financial_year,
                        event.amended_on,
                        "top_slice",
                        event.amount_pence - event.previous_amount_pence,
                        item_id=event.top_slice_id,
                        label=event.name,
                    )
                )
            case RequestApproved() | RequestPartApproved():
                entry = LedgerEntry(
                    event.financial_year,
                    event.decided_on,
                    "approval",
                    event.amount_approved_pence,
                    item_id=event.request_id,
                    school_urn=event.school_urn,
                    category=event.intervention_type.value,
                    child_ids=(event.child_id,),
                )
                approved[(event.financial_year, "request", event.request_id)] = entry
                entries.append(entry)
            case SchoolProjectApproved():
                entry = LedgerEntry(
                    event.financial_year,
                    event.decided_on,
                    "approval",
                    event.amount_approved_pence,
                    item_id=event.project_id,
                    school_urn=event.school_urn,
                    category=SCHOOL_PROJECT,
                    child_ids=cohorts.get((event.financial_year, event.project_id), ()),
                )
                approved[(event.financial_year, "project", event.project_id)] = entry
                entries.append(entry)
            case RequestWithdrawn() if event.released_pence:
                original = approved[(event.financial_year, "request", event.request_id)]
                entries.append(
                    LedgerEntry(
                        event.financial_year,
                        event.withdrawn_on,
                        "approval",
                        -event.released_pence,
                        item_id=event.request_id,
                        school_urn=event.school_urn,
                        category=original.category,
                        child_ids=original.child_ids,
                    )
                )
            case PaymentRunPaid():
                for line in event.payments:
                    original = approved[(event.financial_year, line.item, line.item_id)]
                    entries.append(
                        LedgerEntry(
                            event.financial_year,
                            event.paid_on,
                            "payment",
                            line.amount_pence,
                            item_id=line.item_id,
                            label=event.finance_reference,
                            school_urn=line.school_urn,
                            category=original.category,
                            child_ids=line.child_ids,
                        )
                    )
    return entries


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
