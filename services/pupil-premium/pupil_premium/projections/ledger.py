"""The budget ledger: every money movement of every year, one dated row each.

The grant (and each revision, as the change), each top-slice and amendment, each approval (and
the release of one withdrawn) and each payment, signed integer pence. Summing rows up to a date
gives the budget position on that date; summing within a quarter gives the quarter's movements.
The rows are the entries the budget's fold adds for each event (``domain.ledger.movements``).
"""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent

from pupil_premium.projections.budget_fold import BUDGET_EVENTS, BudgetFolds

ENTRY_COLUMNS = (
    "financial_year, day, kind, amount_pence, item, item_id, label, school_urn, category, child_ids"
)


class LedgerProjection:
    name = "pp_ledger"
    schema = "pupil_premium"
    tables = ("ledger_entries",)
    event_types = BUDGET_EVENTS

    def __init__(self) -> None:
        self._folds = BudgetFolds()

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        step = await self._folds.step(conn, event)
        added = step.after.ledger[len(step.before.ledger) :]
        await conn.executemany(
            f"INSERT INTO pupil_premium.ledger_entries (position, line, {ENTRY_COLUMNS}) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            [
                (
                    event.position,
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
