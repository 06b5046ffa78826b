"""The budget ledger: every money movement of every year, one dated row each.

The grant (and each revision, as the change), each top-slice and amendment, each approval (and
the release of one withdrawn) and each payment, signed integer pence. Summing rows up to a date
gives the budget position on that date; summing within a quarter gives the quarter's movements.
The rows are the entries the budget's fold adds for each event (``domain.ledger.movements``).
"""

from __future__ import annotations

import asyncpg

from pupil_premium.projections.budget_fold import BudgetReadModel, Step

ENTRY_COLUMNS = (
    "financial_year, day, kind, amount_pence, item, item_id, label, school_urn, category, child_ids"
)


class LedgerProjection(BudgetReadModel):
    name = "pp_ledger"
    tables = ("ledger_entries",)

    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        added = step.after.ledger[len(step.before.ledger) :]
        await conn.executemany(
            f"INSERT INTO pupil_premium.ledger_entries (position, line, {ENTRY_COLUMNS}) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            [
                (
                    position,
                    number,
                    entry.financial_year,
                    entry.day,
                    entry.kind,
                    entry.amount_pence,
                    entry.item,
                    entry.item_id,
                    entry.label,
                    entry.school_urn,
                    entry.category,
                    list(entry.child_ids),
                )
                for number, entry in enumerate(added)
            ],
        )
