"""The budget ledger: every money movement of every year, one dated row each.

The grant (and each revision, as the change), each top-slice and amendment, each approval (and
the release of one withdrawn) and each payment, signed integer pence. Summing rows up to a date
gives the budget position on that date; summing within a quarter gives the quarter's movements.
The rows are exactly those of ``domain.reports.ledger``, which the reports are computed with.
"""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.events import (
    PUPIL_PREMIUM_EVENTS,
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
from pupil_premium.domain.reports.ledger import SCHOOL_PROJECT, LedgerEntry

HANDLED = (
    SchoolProjectProposed,
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    CentralProvisionTopSliced,
    TopSliceAmended,
    RequestApproved,
    RequestPartApproved,
    SchoolProjectApproved,
    RequestWithdrawn,
    PaymentRunPaid,
)
ENTRY_COLUMNS = (
    "financial_year, day, kind, amount_pence, item, item_id, label, school_urn, category, child_ids"
)


class LedgerProjection:
    name = "pp_ledger"
    schema = "pupil_premium"
    tables = ("ledger_entries", "ledger_project_cohorts")
    event_types = frozenset(cls.event_type for cls in HANDLED)

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        decoded = PUPIL_PREMIUM_EVENTS.decode(event.event_type, event.schema_version, event.data)
        fy = decoded.financial_year
        entries: list[tuple[str | None, LedgerEntry]] = []
        match decoded:
            case SchoolProjectProposed():
                await conn.execute(
                    "INSERT INTO pupil_premium.ledger_project_cohorts "
                    "(financial_year, project_id, child_ids) VALUES ($1, $2, $3)",
                    fy,
                    decoded.project_id,
                    list(decoded.child_ids),
                )
            case GrantCalculatedFromCensus() | GrantLetterRecorded():
                before = await conn.fetchval(
                    "SELECT coalesce(sum(amount_pence), 0) FROM pupil_premium.ledger_entries "
                    "WHERE financial_year = $1 AND kind = 'grant'",
                    fy,
                )
                change = decoded.grant_pence - int(before)
                entries.append((None, LedgerEntry(fy, decoded.effective_on(), "grant", change)))
            case CentralProvisionTopSliced():
                entries.append(
                    (
                        "top_slice",
                        LedgerEntry(
                            fy,
                            decoded.decided_on,
                            "top_slice",
                            decoded.amount_pence,
                            item_id=decoded.top_slice_id,
                            label=decoded.name,
                        ),
                    )
                )
            case TopSliceAmended():
                entries.append(
                    (
                        "top_slice",
                        LedgerEntry(
                            fy,
                            decoded.amended_on,
                            "top_slice",
                            decoded.amount_pence - decoded.previous_amount_pence,
                            item_id=decoded.top_slice_id,
                            label=decoded.name,
                        ),
                    )
                )
            case RequestApproved() | RequestPartApproved():
                entries.append(
                    (
                        "request",
                        LedgerEntry(
                            fy,
                            decoded.decided_on,
                            "approval",
                            decoded.amount_approved_pence,
                            item_id=decoded.request_id,
                            school_urn=decoded.school_urn,
                            category=decoded.intervention_type.value,
                            child_ids=(decoded.child_id,),
                        ),
                    )
                )
            case SchoolProjectApproved():
                cohort = await conn.fetchval(
                    "SELECT child_ids FROM pupil_premium.ledger_project_cohorts "
                    "WHERE financial_year = $1 AND project_id = $2",
                    fy,
                    decoded.project_id,
                )
                entries.append(
                    (
                        "project",
                        LedgerEntry(
                            fy,
                            decoded.decided_on,
                            "approval",
                            decoded.amount_approved_pence,
                            item_id=decoded.project_id,
                            school_urn=decoded.school_urn,
                            category=SCHOOL_PROJECT,
                            child_ids=tuple(cohort or ()),
                        ),
                    )
                )
            case RequestWithdrawn() if decoded.released_pence:
                original = await _approval(conn, fy, "request", decoded.request_id)
                entries.append(
                    (
                        "request",
                        LedgerEntry(
                            fy,
                            decoded.withdrawn_on,
                            "approval",
                            -decoded.released_pence,
                            item_id=decoded.request_id,
                            school_urn=decoded.school_urn,
                            category=original["category"],
                            child_ids=tuple(original["child_ids"]),
                        ),
                    )
                )
            case PaymentRunPaid():
                for line in decoded.payments:
                    original = await _approval(conn, fy, line.item, line.item_id)
                    entries.append(
                        (
                            line.item,
                            LedgerEntry(
                                fy,
                                decoded.paid_on,
                                "payment",
                                line.amount_pence,
                                item_id=line.item_id,
                                label=decoded.finance_reference,
                                school_urn=line.school_urn,
                                category=original["category"],
                                child_ids=line.child_ids,
                            ),
                        )
                    )
        for number, (item, entry) in enumerate(entries):
            await conn.execute(
                f"INSERT INTO pupil_premium.ledger_entries (position, line, {ENTRY_COLUMNS}) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                event.position,
                number,
                entry.financial_year,
                entry.day,
                entry.kind,
                entry.amount_pence,
                item,
                entry.item_id,
                entry.label,
                entry.school_urn,
                entry.category,
                list(entry.child_ids),
            )


async def _approval(conn: asyncpg.Connection, financial_year: str, item: str, item_id: str) -> asyncpg.Record:
    """The first approval of a request or project: where its category and children come from."""
    row = await conn.fetchrow(
        "SELECT category, child_ids FROM pupil_premium.ledger_entries WHERE financial_year = $1 "
        "AND kind = 'approval' AND item = $2 AND item_id = $3 ORDER BY position, line LIMIT 1",
        financial_year,
        item,
        item_id,
    )
    if row is None:
        raise LookupError(f"no approval of {item} {item_id} in {financial_year} is in the ledger")
    return row
