"""The event log: events, idempotency keys, the append-only guard, and the read audit.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE eventlog.events (
            position        bigint      PRIMARY KEY,
            stream_id       text        NOT NULL,
            stream_version  integer     NOT NULL CHECK (stream_version > 0),
            event_type      text        NOT NULL,
            schema_version  integer     NOT NULL CHECK (schema_version > 0),
            data            jsonb       NOT NULL,
            metadata        jsonb       NOT NULL,
            effective_date  date        NOT NULL,
            recorded_at     timestamptz NOT NULL,
            subjects        text[]      NOT NULL DEFAULT '{}',
            prev_hash       bytea       NOT NULL,
            hash            bytea       NOT NULL,
            CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
        )
        """
    )
    op.execute("CREATE INDEX events_subjects_idx ON eventlog.events USING gin (subjects)")
    op.execute("CREATE INDEX events_type_idx ON eventlog.events (event_type, position)")
    op.execute(
        "CREATE INDEX events_category_idx ON eventlog.events "
        "(split_part(stream_id, '-', 1), position)"
    )
    op.execute("CREATE INDEX events_recorded_at_idx ON eventlog.events (recorded_at)")
    op.execute(
        """
        CREATE TABLE eventlog.idempotency_keys (
            key             text        PRIMARY KEY,
            first_position  bigint      NOT NULL REFERENCES eventlog.events (position),
            last_position   bigint      NOT NULL REFERENCES eventlog.events (position)
        )
        """
    )
    # The guard: nobody changes history. Triggers fire for every role, superusers included;
    # only someone who deliberately disables them (ALTER TABLE ... DISABLE TRIGGER, or
    # session_replication_role = replica, both superuser-only) gets past.
    op.execute(
        """
        CREATE FUNCTION eventlog.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the event log is append-only: % on %.% is not allowed',
                TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    for table in ("events", "idempotency_keys"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON eventlog.{table} "
            "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON eventlog.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
        )
    # Every read of a child's record by a person, for auditors. Append-only too.
    op.execute(
        """
        CREATE TABLE eventlog.record_reads (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            read_at     timestamptz NOT NULL,
            actor       text        NOT NULL,
            role        text        NOT NULL,
            service     text        NOT NULL,
            subject     text        NOT NULL,
            route       text        NOT NULL,
            request_id  text
        )
        """
    )
    op.execute("CREATE INDEX record_reads_subject_idx ON eventlog.record_reads (subject, read_at)")
    op.execute("CREATE INDEX record_reads_actor_idx ON eventlog.record_reads (actor, read_at)")
    op.execute(
        "CREATE TRIGGER record_reads_append_only BEFORE UPDATE OR DELETE ON eventlog.record_reads "
        "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER record_reads_no_truncate BEFORE TRUNCATE ON eventlog.record_reads "
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()"
    )
    # The role the services connect as in production: it may read and append, nothing more.
    # (Retired since: each service logs in as a role of its own, see shared/services.py.)
    # Roles are cluster-wide and two databases of one cluster may be migrated at once (test
    # workers): the loser of the race gets duplicate_object, or unique_violation when it waited
    # on the winner's uncommitted row; either way the role exists, which is all this needs.
    op.execute(
        """
        DO $$
        BEGIN
            CREATE ROLE education_service NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END
        $$
        """
    )
    op.execute("GRANT USAGE ON SCHEMA eventlog TO education_service")
    op.execute(
        "GRANT SELECT, INSERT ON eventlog.events, eventlog.idempotency_keys, eventlog.record_reads "
        "TO education_service"
    )
    op.execute(
        "REVOKE UPDATE, DELETE, TRUNCATE ON eventlog.events, eventlog.idempotency_keys, "
        "eventlog.record_reads FROM education_service"
    )


def downgrade() -> None:
    op.execute("DROP TABLE eventlog.record_reads")
    op.execute("DROP TABLE eventlog.idempotency_keys")
    op.execute("DROP TABLE eventlog.events")
    op.execute("DROP FUNCTION eventlog.refuse_change()")
