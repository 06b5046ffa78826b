"""Idempotency keys remember which request used them.

A key reused with a different request (another amount, another child) must be refused rather
than answered with the first request's result. Keys recorded before this have no fingerprint
and are taken as matching any request.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE eventlog.idempotency_keys ADD COLUMN request_fingerprint bytea")


def downgrade() -> None:
    op.execute("ALTER TABLE eventlog.idempotency_keys DROP COLUMN request_fingerprint")
