"""The budget ledger read model: positions on a date and the quarterly finance report."""

from __future__ import annotations

from datetime import date

import asyncpg

from pupil_premium.domain.ledger import LedgerEntry
from pupil_premium.domain.reports.finance import QuarterlyFinanceReport, quarterly_finance_report_from
from pupil_premium.domain.reports.position import BudgetPosition, position_from_ledger
from pupil_premium.queries.requests import request_records


async def ledger_entries(pool: asyncpg.Pool, financial_year: str) -> list[LedgerEntry]:
    rows = await pool.fetch(
        "SELECT financial_year, day, kind, amount_pence, item, item_id, label, school_urn, category, child_ids"
        " FROM pupil_premium.ledger_entries WHERE financial_year = $1 ORDER BY position, line",
        financial_year,
    )
    return [
        LedgerEntry(
            financial_year=row["financial_year"],
            day=row["day"],
            kind=row["kind"],
            amount_pence=row["amount_pence"],
            item=row["item"],
            item_id=row["item_id"],
            label=row["label"],
            school_urn=row["school_urn"],
            category=row["category"],
            child_ids=tuple(row["child_ids"]),
        )
        for row in rows
    ]


async def position_on(pool: asyncpg.Pool, financial_year: str, as_of: date | None) -> BudgetPosition:
    return position_from_ledger(await ledger_entries(pool, financial_year), financial_year, as_of=as_of)


async def quarterly_finance(pool: asyncpg.Pool, financial_year: str, quarter: int) -> QuarterlyFinanceReport:
    return quarterly_finance_report_from(
        await ledger_entries(pool, financial_year),
        await request_records(pool, financial_year),
        financial_year=financial_year,
        quarter=quarter,
    )
