"""PEP deadlines not yet met, by due date: the list of PEPs coming due reads a few days of them
out of every child's deadlines for every term, so it is indexed rather than scanned.

Revision ID: pep_0005
"""

from alembic import op

revision = "pep_0005"
down_revision = "pep_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX pep_deadlines_open_due_idx ON pep.pep_deadlines (due_on) WHERE met_on IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX pep.pep_deadlines_open_due_idx")
