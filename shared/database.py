"""Connections to PostgreSQL, with the timeouts every service runs under.

A service must never wait for ever on its database: a connection attempt, a statement, a lock
and a transaction left open by a stuck request each have a limit (settings, documented in
docs/operations.md). When the database goes away, calls fail within those limits with an error
the web layer answers as 503 "retry later", and the pool reconnects on its own once it is back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import asyncpg

import orjson

from shared.migrations import asyncpg_url


async def init_connection(conn: asyncpg.Connection) -> None:
    """Decode jsonb to Python values on every connection of every pool that reads the log."""
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=orjson.loads, schema="pg_catalog")


@dataclass(frozen=True)
class DatabaseTimeouts:
    connect_seconds: float = 5.0
    # A statement running longer than this is cancelled by the server (statement_timeout).
    statement_seconds: float = 30.0
    # Waiting for a row, table or advisory lock longer than this fails the statement (lock_timeout).
    lock_seconds: float = 10.0
    # A transaction left idle this long (a request stuck between statements) is ended by the server.
    idle_in_transaction_seconds: float = 60.0

    def server_settings(self) -> dict[str, str]:
        return {
            "statement_timeout": f"{int(self.statement_seconds * 1000)}",
            "lock_timeout": f"{int(self.lock_seconds * 1000)}",
            "idle_in_transaction_session_timeout": f"{int(self.idle_in_transaction_seconds * 1000)}",
        }


async def open_pool(
    database_url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    timeouts: DatabaseTimeouts = DatabaseTimeouts(),
) -> asyncpg.Pool:
    """A pool whose connections decode jsonb and carry the service's timeouts."""
    return await asyncpg.create_pool(
        asyncpg_url(database_url),
        min_size=min_size,
        max_size=max_size,
        init=init_connection,
        timeout=timeouts.connect_seconds,
        # The client-side limit is a little longer than the server's, so the server's clearer
        # error normally wins; the client's catches a server that stopped answering at all.
        command_timeout=timeouts.statement_seconds + 5,
        server_settings=timeouts.server_settings(),
    )


# The largest value of a PostgreSQL bigint (log positions, ids, offsets). A caller asking for more
# than this is asking past the end of anything stored: clamp, or refuse it as out of range.
BIGINT_MAX = 2**63 - 1


# The connection itself is gone or unusable (refused, reset, the server shutting down or starting
# up, a connection whose server end was cut mid-conversation and is stuck in a protocol state it
# cannot leave: "cannot switch to state ...; another operation is in progress").
CONNECTION_LOST = (
    OSError,  # refused, reset, unreachable (ConnectionError and TimeoutError are OSErrors)
    asyncpg.PostgresConnectionError,  # ConnectionDoesNotExistError among them
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.IdleSessionTimeoutError,
    asyncpg.exceptions.DatabaseDroppedError,
    asyncpg.exceptions.InternalClientError,
)
# The database is there but cannot serve this now: a statement or lock wait ran past its limit, too
# many connections, a full disk. The connection lives on and its transaction was rolled back.
OVER_A_LIMIT = (
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.IdleInTransactionSessionTimeoutError,
)


def connection_lost(exc: BaseException) -> bool:
    """The connection itself is gone, so whether its last transaction committed is not known
    from it (asyncpg reports use of a connection closed under it as an InterfaceError)."""
    return isinstance(exc, CONNECTION_LOST) or (
        isinstance(exc, asyncpg.InterfaceError) and "closed" in str(exc)
    )


def database_unavailable(exc: BaseException) -> bool:
    """The database is away or over a limit for now, not "this request is wrong": callers get a
    503 with Retry-After, and their retry (with the same Idempotency-Key for writes) is safe. A
    database closed to new connections (maintenance, a failover) answers 55000."""
    return (
        connection_lost(exc)
        or isinstance(exc, OVER_A_LIMIT)
        or (
            isinstance(exc, asyncpg.exceptions.ObjectNotInPrerequisiteStateError)
            and "not currently accepting connections" in str(exc)
        )
    )
