"""DDL every service schema needs for its subscriptions, used from the services' migrations."""

from __future__ import annotations


def subscription_tables_ddl(schema: str) -> list[str]:
    """Checkpoints (one row per subscription) and dead letters (events parked after retries)."""
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
