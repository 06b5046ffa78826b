"""Signed checkpoints of the log, published by the event-log service. Append-only, like the log.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key to the events: a checkpoint is evidence about the log, and must outlive
    # (and expose) any tampering with the rows it describes.
    op.execute(
        """
        CREATE TABLE eventlog.checkpoints (
            position      bigint      PRIMARY KEY CHECK (position > 0),
            hash          bytea       NOT NULL,
            published_at  timestamptz NOT NULL,
            key_id        text        NOT NULL,
            signature     bytea       NOT NULL
        )
        """
    )
    op.execute(
        "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON eventlog.checkpoints "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON eventlog.checkpoints "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute("GRANT SELECT, INSERT ON eventlog.checkpoints TO education_service")
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON eventlog.checkpoints FROM education_service")


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.checkpoints")
