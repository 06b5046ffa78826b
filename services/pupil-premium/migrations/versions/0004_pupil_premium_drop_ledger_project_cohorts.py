"""The ledger no longer keeps its own copy of each school project's children: the ledger entries
are written from the folded budget, which knows every project's cohort, so no projection writes
``ledger_project_cohorts`` and nothing reads it.

Revision ID: pupil_premium_0004
"""

from alembic import op

revision = "pupil_premium_0004"
down_revision = "pupil_premium_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE pupil_premium.ledger_project_cohorts")


def downgrade() -> None:
    # As 0002 made it: empty, since only the retired ledger projection ever filled it.
    op.execute(
        """
        CREATE TABLE pupil_premium.ledger_project_cohorts (
            financial_year  text   NOT NULL,
            project_id      text   NOT NULL,
            child_ids       text[] NOT NULL,
            PRIMARY KEY (financial_year, project_id)
        )
        """
    )
