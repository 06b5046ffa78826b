"""Parked events an operator can act on: each dead letter's status (parked, retried, skipped)
and who resolved it, and the append-only record of every operator action on them.

Revision ID: notices_0003
"""

from alembic import op

from shared.eventlog.tables import dead_letter_operations_ddl, dead_letter_operations_downgrade_ddl

revision = "notices_0003"
down_revision = "notices_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in dead_letter_operations_ddl("notices"):
        op.execute(statement)


def downgrade() -> None:
    for statement in dead_letter_operations_downgrade_ddl("notices"):
        op.execute(statement)
