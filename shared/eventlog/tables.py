"""DDL every service schema needs for its subscriptions, used from the services' migrations.

Each function is the DDL of one migration step and never changes once released: a migration
that has run must create the same tables when it runs again on a new database. A later change
gets a function of its own, applied by a later migration.
"""

from __future__ import annotations

# What an operator has done about a parked event: it is still parked, it was applied after a
# fix, or it was deliberately not applied.
DEAD_LETTER_STATUSES = ("parked", "retried", "skipped")


def subscription_tables_ddl(schema: str) -> list[str]:
    """Checkpoints (one row per subscription) and dead letters (events parked after retries).

    The shape of each service's first migration; ``dead_letter_operations_ddl`` adds to it.
    """
    return [
        f"""
        CREATE TABLE "{schema}".subscription_checkpoints (
            name        text        PRIMARY KEY,
            position    bigint      NOT NULL DEFAULT 0,
            updated_at  timestamptz NOT NULL DEFAULT now()
        )
        """,
        f"""
        CREATE TABLE "{schema}".dead_letters (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subscription  text        NOT NULL,
            position      bigint      NOT NULL,
            event_type    text        NOT NULL,
            stream_id     text        NOT NULL,
            error         text        NOT NULL,
            attempts      integer     NOT NULL,
            parked_at     timestamptz NOT NULL DEFAULT now()
        )
        """,
        f'CREATE INDEX ON "{schema}".dead_letters (subscription, position)',
    ]


def dead_letter_operations_ddl(schema: str) -> list[str]:
    """What operators need to act on parked events: each letter's status and who resolved it,
    and ``dead_letter_actions``, the append-only record of every retry, failed retry and skip.

    Actions copy the letter's subscription and position rather than referencing the letter, so
    the record of what was done outlives a rebuild that clears the read model's letters.
    """
    statuses = ", ".join(f"'{s}'" for s in DEAD_LETTER_STATUSES)
    return [
        f"""
        ALTER TABLE "{schema}".dead_letters
            ADD COLUMN status      text NOT NULL DEFAULT 'parked' CHECK (status IN ({statuses})),
            ADD COLUMN resolved_at timestamptz,
            ADD COLUMN resolved_by text
        """,
        # /ready counts the parked letters of each subscription on every call.
        f'CREATE INDEX dead_letters_parked_idx ON "{schema}".dead_letters (subscription) '
        "WHERE status = 'parked'",
        f"""
        CREATE TABLE "{schema}".dead_letter_actions (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            dead_letter_id   bigint      NOT NULL,
            subscription     text        NOT NULL,
            position         bigint      NOT NULL,
            action           text        NOT NULL CHECK (action IN ('retried', 'retry_failed', 'skipped')),
            actor            text        NOT NULL,
            role             text        NOT NULL,
            reason           text,
            error            text,
            acted_at         timestamptz NOT NULL DEFAULT now(),
            request_id       text,
            idempotency_key  text
        )
        """,
        f'CREATE INDEX ON "{schema}".dead_letter_actions (dead_letter_id, id)',
        f'CREATE UNIQUE INDEX ON "{schema}".dead_letter_actions (idempotency_key) '
        "WHERE idempotency_key IS NOT NULL",
        # Append-only, with the log's own guard: what an operator did is never rewritten. The
        # migrate step sees the guard and grants the service's role only SELECT and INSERT here
        # (shared.migrations.grant_service_roles).
        f'CREATE TRIGGER dead_letter_actions_append_only BEFORE UPDATE OR DELETE ON "{schema}".dead_letter_actions '
        "FOR EACH ROW EXECUTE FUNCTION eventlog.refuse_change()",
        f'CREATE TRIGGER dead_letter_actions_no_truncate BEFORE TRUNCATE ON "{schema}".dead_letter_actions '
        "FOR EACH STATEMENT EXECUTE FUNCTION eventlog.refuse_change()",
    ]


def dead_letter_operations_downgrade_ddl(schema: str) -> list[str]:
    return [
        f'DROP TABLE "{schema}".dead_letter_actions',
        f'DROP INDEX "{schema}".dead_letters_parked_idx',
        f'ALTER TABLE "{schema}".dead_letters DROP COLUMN status, DROP COLUMN resolved_at, '
        "DROP COLUMN resolved_by",
    ]


def current_subscription_tables_ddl(schema: str) -> list[str]:
    """Every step above in order: the tables as the services' migrations leave them today, for
    schemas made outside Alembic (tests, tools)."""
    return [*subscription_tables_ddl(schema), *dead_letter_operations_ddl(schema)]
