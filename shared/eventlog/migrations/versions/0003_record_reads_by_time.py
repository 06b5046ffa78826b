"""Auditors ask "who read children's records between these instants" without naming a child.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX record_reads_read_at_idx ON eventlog.record_reads (read_at)")


def downgrade() -> None:
    op.execute("DROP INDEX eventlog.record_reads_read_at_idx")
