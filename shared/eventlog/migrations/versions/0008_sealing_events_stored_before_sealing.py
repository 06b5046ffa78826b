"""Events stored before personal fields were sealed: whether the log holds any, and the signed
bridges that carry published checkpoints across the one rewrite that seals them.

``log_sealing`` has one row, written here: ``needed`` is true when the log already held events
when this migration ran (they were recorded before sealing existed, so their personal fields may
be plain text), false for an empty log, which never needs sealing. Until ``sealed_at`` is set by
``python -m shared.ops seal-existing-log`` no service starts (shared/privacy/log_sealing.py).
A trigger lets the row change only that once: from needed to sealed, with who did it.

``log_bridges`` records each rewrite of the log: when, why, who, the head before and after, and
for every position a checkpoint was published at, the hash the checkpoint signed and the hash
the log holds there now; signed with the checkpoint signing key (shared/eventlog/checkpoints.py).
Append-only, like the log.

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE eventlog.log_sealing (
            only_row            boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
            needed              boolean     NOT NULL,
            head_when_migrated  bigint      NOT NULL,
            migrated_at         timestamptz NOT NULL DEFAULT now(),
            sealed_at           timestamptz,
            sealed_by           text,
            CHECK (sealed_at IS NULL OR needed),
            CHECK ((sealed_at IS NULL) = (sealed_by IS NULL))
        )
        """
    )
    op.execute(
        "INSERT INTO eventlog.log_sealing (needed, head_when_migrated) "
        "SELECT count(*) > 0, coalesce(max(position), 0) "
        "FROM (SELECT position FROM eventlog.events ORDER BY position DESC LIMIT 1) AS head"
    )
    op.execute(
        """
        CREATE FUNCTION eventlog.allow_recording_the_sealing_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.needed AND OLD.sealed_at IS NULL AND NEW.sealed_at IS NOT NULL
               AND NEW.only_row = OLD.only_row AND NEW.needed = OLD.needed
               AND NEW.head_when_migrated = OLD.head_when_migrated
               AND NEW.migrated_at = OLD.migrated_at THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the log''s sealing may only be recorded as done, once: % on %.% is not allowed',
                TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER log_sealing_recorded_once BEFORE UPDATE OR DELETE ON eventlog.log_sealing "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.allow_recording_the_sealing_only()"
    )
    op.execute(
        "CREATE TRIGGER log_sealing_no_truncate BEFORE TRUNCATE ON eventlog.log_sealing "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        """
        CREATE TABLE eventlog.log_bridges (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            rewritten_at    timestamptz NOT NULL,
            reason          text        NOT NULL,
            actor           text        NOT NULL,
            head_position   bigint      NOT NULL,
            old_head_hash   bytea       NOT NULL,
            new_head_hash   bytea       NOT NULL,
            checkpoints     jsonb       NOT NULL,
            key_id          text        NOT NULL,
            signature       bytea       NOT NULL
        )
        """
    )
    op.execute(
        "CREATE TRIGGER log_bridges_append_only BEFORE UPDATE OR DELETE ON eventlog.log_bridges "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER log_bridges_no_truncate BEFORE TRUNCATE ON eventlog.log_bridges "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.log_bridges")
    op.execute("DROP TABLE eventlog.log_sealing")
    op.execute("DROP FUNCTION eventlog.allow_recording_the_sealing_only()")
