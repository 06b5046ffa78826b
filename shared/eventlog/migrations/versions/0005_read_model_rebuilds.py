"""Who rebuilt which read model, when and why: the operator command's record of its rebuilds.

A rebuild replaces a read model's rows, so auditors must be able to see that it happened and who
asked for it. Append-only, like the log; each service's role may only add to it (the migrate
step grants INSERT, shared/services.py).

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE eventlog.read_model_rebuilds (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            service          text        NOT NULL,
            read_model       text        NOT NULL,
            actor            text        NOT NULL,
            reason           text,
            database_role    text        NOT NULL DEFAULT current_user,
            started_at       timestamptz NOT NULL,
            finished_at      timestamptz NOT NULL,
            up_to_position   bigint      NOT NULL,
            events_replayed  bigint      NOT NULL,
            events_parked    integer     NOT NULL
        )
        """
    )
    op.execute(
        "CREATE INDEX read_model_rebuilds_read_model_idx ON eventlog.read_model_rebuilds "
        "(service, read_model, started_at)"
    )
    op.execute(
        "CREATE TRIGGER read_model_rebuilds_append_only BEFORE UPDATE OR DELETE "
        "ON eventlog.read_model_rebuilds FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER read_model_rebuilds_no_truncate BEFORE TRUNCATE ON eventlog.read_model_rebuilds "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.read_model_rebuilds")
