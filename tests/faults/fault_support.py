"""What the fault tests share: callers that retry as a real client would, a projection that
notices a double apply, and the checks that nothing acknowledged was lost or doubled."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from shared.eventlog import RecordedEvent, rebuild, verify_chain
from shared.eventlog.store import StoreUnavailable
from shared.eventlog.tables import subscription_tables_ddl

# A service must answer within this after a fault; longer counts as a hang.
REQUEST_LIMIT_SECONDS = 30.0
# How long a caller keeps retrying a retryable answer before giving up: far longer than a
# restart takes here (about half a second), so only a service that does not recover runs out.
RETRY_WINDOW_SECONDS = 20.0


def is_retryable(exc: BaseException) -> bool:
    """The store's "the database is away for now, try again" error (answered 503 with
    Retry-After). Anything else reaching a caller of the store during a database fault (a raw
    driver error, a RuntimeError from a dead writer) is a defect: the caller cannot tell whether
    it may retry."""
    return isinstance(exc, StoreUnavailable)


def retry_pause(retry_after: float | None) -> float:
    # A real client waits Retry-After; the tests honour it up to a quarter second so they stay
    # short, with jitter so retries do not arrive in lock-step.
    base = min(retry_after if retry_after is not None else 0.1, 0.25)
    return base * (0.5 + random.random())


@dataclass
class Tally:
    """What the callers saw: successes, retryable refusals and everything else."""

    acknowledged: dict[str, Any] = field(default_factory=dict)  # idempotency key -> answer
    retried: Counter = field(default_factory=Counter)  # kind -> count
    failures: list[str] = field(default_factory=list)  # anything a client could not act on

    def summary(self) -> str:
        return f"{len(self.acknowledged)} acknowledged, retried {dict(self.retried)}, failures {self.failures[:5]}"


async def append_until_acknowledged(store, tally: Tally, key: str, stream_id: str, events, **kwargs):
    """Append as a client of the store would: on the retryable error, again with the same key."""
    deadline = time.monotonic() + RETRY_WINDOW_SECONDS
    while True:
        try:
            async with asyncio.timeout(REQUEST_LIMIT_SECONDS):
                recorded = await store.append(stream_id, events, idempotency_key=key, **kwargs)
        except TimeoutError:
            tally.failures.append(f"{key}: the append did not return within {REQUEST_LIMIT_SECONDS}s")
            return None
        except Exception as exc:  # noqa: BLE001 - sorted into retryable and defects below
            if not is_retryable(exc):
                tally.failures.append(f"{key}: {type(exc).__name__}: {exc}")
                return None
            tally.retried[type(exc).__name__] += 1
            if time.monotonic() > deadline:
                tally.failures.append(f"{key}: still unavailable after {RETRY_WINDOW_SECONDS}s")
                return None
            await asyncio.sleep(retry_pause(getattr(exc, "retry_after", None)))
            continue
        tally.acknowledged[key] = recorded
        return recorded


async def request_until_answered(
    client: httpx.AsyncClient,
    tally: Tally | None,
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    json: Any = None,
    key: str | None = None,
) -> httpx.Response | None:
    """One HTTP call as a client would make it: a 503 with Retry-After is retried (a write with
    the same Idempotency-Key); any 5xx without it, a 500 above all, or no answer in time, is a
    failure. Returns the final answer (None if there was none)."""
    sent = {**headers, **({"Idempotency-Key": key} if key else {})}
    deadline = time.monotonic() + RETRY_WINDOW_SECONDS
    label = f"{method} {url}" + (f" [{key}]" if key else "")
    while True:
        try:
            async with asyncio.timeout(REQUEST_LIMIT_SECONDS):
                answer = await client.request(method, url, headers=sent, json=json)
        except TimeoutError:
            if tally is not None:
                tally.failures.append(f"{label}: no answer within {REQUEST_LIMIT_SECONDS}s")
            return None
        except httpx.TransportError as exc:
            # A real server dropping the connection is as bad as a 500: the client cannot know
            # whether its write happened (it may retry with its key, but we count it).
            if tally is not None:
                tally.failures.append(f"{label}: connection dropped ({type(exc).__name__})")
            return None
        if answer.status_code == 503 and "retry-after" in answer.headers:
            if tally is not None:
                tally.retried[f"503 {answer.json().get('title', '')}"] += 1
            if time.monotonic() > deadline:
                if tally is not None:
                    tally.failures.append(f"{label}: still 503 after {RETRY_WINDOW_SECONDS}s")
                return answer
            await asyncio.sleep(retry_pause(float(answer.headers["retry-after"])))
            continue
        refused = answer.status_code >= 400 if key is not None else answer.status_code >= 500
        if refused and tally is not None:
            # The writes are valid and retried with their keys: any refusal (a 409 for a retry
            # decided again, a 500) is a defect, as is a 5xx without Retry-After. A read may
            # find nothing yet (read models follow the log), but must never fail.
            tally.failures.append(f"{label}: {answer.status_code} {answer.text[:300]}")
        elif answer.status_code < 300 and tally is not None and key is not None:
            tally.acknowledged[key] = answer.json()
        return answer


async def wait_ready(client: httpx.AsyncClient, timeout: float = 30.0) -> dict:
    """Poll /ready until it answers 200 on its own; fails the test with the last checks if not."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            async with asyncio.timeout(5):
                answer = await client.get("/ready")
            last = (answer.status_code, answer.text)
            if answer.status_code == 200:
                return answer.json()
        except (TimeoutError, httpx.HTTPError) as exc:
            last = repr(exc)
        await asyncio.sleep(0.1)
    raise AssertionError(f"/ready did not return to 200 within {timeout}s: {last}")


# -- a projection that notices a double apply ------------------------------------------------

SCHEMA = "faults"


async def create_applied_schema(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        for statement in subscription_tables_ddl(SCHEMA):
            await conn.execute(statement)
        await conn.execute(
            "CREATE TABLE faults.applied (position bigint PRIMARY KEY, stream_id text NOT NULL, "
            "marker text NOT NULL)"
        )


class AppliedPositions:
    """Records every position it applies under a primary key. Applying one twice is an error,
    which the subscription retries and then parks: a double apply shows as a dead letter, and a
    skipped event as a position of the log missing from the table."""

    name = "faults.applied"
    schema = SCHEMA
    tables = ("applied",)
    event_types = frozenset({"FaultMarked"})

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        await conn.execute(
            "INSERT INTO faults.applied (position, stream_id, marker) VALUES ($1, $2, $3)",
            event.position,
            event.stream_id,
            event.data["marker"],
        )


# -- the checks ------------------------------------------------------------------------------


async def assert_chain_verifies(pool: asyncpg.Pool) -> int:
    result = await verify_chain(pool)
    head = await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
    assert result.ok, f"the hash chain is broken: {result}"
    assert result.checked == head, f"verified {result.checked} of {head} events"
    return head


async def assert_no_key_appended_twice(pool: asyncpg.Pool) -> None:
    """Each idempotency key's events are exactly the one span its first append recorded: a
    retry never appended again, under the key or beside it."""
    doubled = await pool.fetch(
        "SELECT e.metadata->>'idempotency_key' AS key, count(*) AS events, "
        "       min(k.last_position - k.first_position + 1) AS span "
        "FROM eventlog.events e "
        "LEFT JOIN eventlog.idempotency_keys k ON k.key = e.metadata->>'idempotency_key' "
        "WHERE e.metadata ? 'idempotency_key' "
        "GROUP BY 1 "
        "HAVING count(*) <> coalesce(min(k.last_position - k.first_position + 1), -1) "
        "    OR bool_or(e.position NOT BETWEEN k.first_position AND k.last_position)"
    )
    assert not doubled, f"appended more than once: {[tuple(r) for r in doubled][:10]}"


async def projection_tables(pool: asyncpg.Pool, projection) -> dict[str, list[tuple]]:
    found = {}
    for table in projection.tables:
        rows = await pool.fetch(f'SELECT * FROM "{projection.schema}"."{table}"')
        found[table] = sorted((tuple(row.values()) for row in rows), key=repr)
    return found


async def assert_read_models_equal_rebuild(pool: asyncpg.Pool, projections, *, fed: set[str]) -> None:
    """Each read model, as the live subscriptions left it, equals a rebuild from the log.

    ``fed`` names the read models the test's traffic writes to: those must hold rows, or the
    comparison would prove nothing. Call with the service's subscriptions stopped, so nothing
    changes the tables meanwhile."""
    names = {p.name for p in projections}
    assert fed <= names, f"no such read models: {fed - names}"
    for projection in projections:
        live = await projection_tables(pool, projection)
        if projection.name in fed:
            assert any(live.values()), f"{projection.name} is empty: the comparison would prove nothing"
        await rebuild(pool, projection)
        rebuilt = await projection_tables(pool, projection)
        for table in projection.tables:
            assert rebuilt[table] == live[table], (
                f"{projection.name}.{table} differs from its rebuild: "
                f"{len(live[table])} live rows, {len(rebuilt[table])} rebuilt"
            )


async def assert_no_dead_letters(pool: asyncpg.Pool, schema: str) -> None:
    parked = await pool.fetch(f'SELECT subscription, position, error FROM "{schema}".dead_letters')
    assert not parked, f"events parked in {schema}.dead_letters: {[tuple(r) for r in parked][:5]}"


async def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.05):
    """Poll an async predicate until it is truthy; the test fails (never hangs) if it is not."""
    deadline = time.monotonic() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s")
        await asyncio.sleep(interval)
