"""Each data subject's key, wrapped by the master key: personal fields in events are sealed with
it, and destroying it erases them (shared/privacy/keys.py, docs/privacy.md).

The one change the table allows is an erasure: the wrapped key set to NULL, with when. A trigger
refuses any other UPDATE, every DELETE and TRUNCATE, so the row that says a key was destroyed
outlives it and a destroyed key can never be put back.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE eventlog.subject_keys (
            subject      text        PRIMARY KEY,
            wrapped_key  bytea,
            wrapped_by   text        NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            erased_at    timestamptz,
            CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
        )
        """
    )
    op.execute(
        """
        CREATE FUNCTION eventlog.allow_key_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.wrapped_key IS NOT NULL AND NEW.wrapped_key IS NULL
               AND NEW.subject = OLD.subject AND NEW.wrapped_by = OLD.wrapped_by
               AND NEW.created_at = OLD.created_at THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'a data subject''s key may only be destroyed: % on %.% is not allowed',
                TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER subject_keys_erasure_only BEFORE UPDATE OR DELETE ON eventlog.subject_keys "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.allow_key_erasure_only()"
    )
    op.execute(
        "CREATE TRIGGER subject_keys_no_truncate BEFORE TRUNCATE ON eventlog.subject_keys "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.subject_keys")
    op.execute("DROP FUNCTION eventlog.allow_key_erasure_only()")
