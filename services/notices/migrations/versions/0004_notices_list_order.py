"""The lists of warning notices and of directions are read a page at a time, newest first: by the
day a notice was drafted (a direction given), then its id. Neither changes once recorded, so a
page's last row is where the next page starts; these indexes serve that order.

Revision ID: notices_0004
"""

from alembic import op

revision = "notices_0004"
down_revision = "notices_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX notices_drafted_idx ON notices.notices (drafted_on, notice_id)")
    op.execute("CREATE INDEX directions_given_idx ON notices.directions (given_on, direction_id)")


def downgrade() -> None:
    op.execute("DROP INDEX notices.directions_given_idx")
    op.execute("DROP INDEX notices.notices_drafted_idx")
