"""Every bulk read of the log (a feed page, a followed stream, an export), by anyone, service
accounts included: who, when, which route, the range of positions returned and every child among
them. With ``record_reads`` (one row per child record shown to a person) it answers "who read
this child's record" completely (docs/privacy.md).

Append-only, like the log.

Revision ID: 0007
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE eventlog.bulk_reads (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            read_at         timestamptz NOT NULL,
            actor           text        NOT NULL,
            role            text        NOT NULL,
            service         text        NOT NULL,
            route           text        NOT NULL,
            request_id      text,
            first_position  bigint,
            last_position   bigint,
            events          integer     NOT NULL,
            subjects        text[]      NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX bulk_reads_subjects_idx ON eventlog.bulk_reads USING gin (subjects)")
    op.execute("CREATE INDEX bulk_reads_read_at_idx ON eventlog.bulk_reads (read_at)")
    op.execute("CREATE INDEX bulk_reads_actor_idx ON eventlog.bulk_reads (actor, read_at)")
    op.execute(
        "CREATE TRIGGER bulk_reads_append_only BEFORE UPDATE OR DELETE ON eventlog.bulk_reads "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER bulk_reads_no_truncate BEFORE TRUNCATE ON eventlog.bulk_reads "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.bulk_reads")
