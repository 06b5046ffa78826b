"""The three ways of keeping an event log the table compares, each doing the same work.

* ``project``: this project's log (shared/eventlog/store.py), exactly as a service uses it: one
  ``EventStore`` per process, its group-committing writer, hash chain and all.
* ``eventsourcing``: the ``eventsourcing`` library's PostgreSQL application recorder (psycopg,
  with its own connection pool), called from threads, as a synchronous library is.
* ``asyncpg``: plain inserts into a table with a sequence and a unique (stream, version) key,
  the least a log can do. With several writers in one process it gathers their appends into one
  transaction (group commit), as the project's writer does; one writer inserts and commits alone.

Every engine appends the same event (an attendance figure for one of 500 children) with the
version it expects the stream at, reads the whole log in order in pages of 5,000, and folds one
stream of 1,000 events. Each engine has its own database on the one server, so their tables and
indexes are the same size when they are read.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import orjson

ENGINES = ("project", "eventsourcing", "asyncpg")
PAGE = 5000
STREAMS_PER_WRITER = 50
EVENT_TYPE = "AttendanceRecorded"


def attendance(i: int) -> dict[str, Any]:
    return {"child_id": f"C{i % 500:05d}", "attendance_percent": "93.5", "term": "2025-autumn", "n": i}


@dataclass(frozen=True)
class Work:
    """What each writer of a run appends: ``appends`` appends of ``batch`` events each, to streams
    named after the run and the writer, so no two writers ever touch one stream."""

    run: str
    writers: int
    appends: int
    batch: int = 1

    @property
    def events(self) -> int:
        return self.writers * self.appends * self.batch

    def stream(self, writer: int, i: int) -> str:
        if self.batch > 1:
            return f"bench-{self.run}w{writer}b{i}"
        return f"bench-{self.run}w{writer}s{i % STREAMS_PER_WRITER}"

    def expected_version(self, i: int) -> int:
        """The stream's version before append ``i`` (0: a new stream)."""
        if self.batch > 1:
            return 0
        return i // STREAMS_PER_WRITER


# -- this project ---------------------------------------------------------------------------------


async def project_append(url: str, work: Work) -> tuple[float, float]:
    from shared.eventlog import NewEvent
    from shared.eventlog.store import EventStore, init_connection

    def event(n: int) -> NewEvent:
        return NewEvent(event_type=EVENT_TYPE, data=attendance(n), effective_date=date(2025, 11, 3),
                        subjects=(f"child:C{n % 500:05d}",))

    pool = await asyncpg.create_pool(url, min_size=2, max_size=max(4, work.writers + 2), init=init_connection)
    store = EventStore(pool)
    store.start()
    try:
        async def writer(w: int) -> None:
            for i in range(work.appends):
                events = [event(i * work.batch + k) for k in range(work.batch)]
                await store.append(work.stream(w, i), events, expected_version=work.expected_version(i))

        started = time.perf_counter()
        await asyncio.gather(*(writer(w) for w in range(work.writers)))
        return started, time.perf_counter()
    finally:
        await store.close()
        await pool.close()


async def project_read_all(url: str) -> tuple[int, float]:
    from shared.eventlog.store import EventStore, init_connection

    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, init=init_connection)
    try:
        store = EventStore(pool)
        started = time.perf_counter()
        after, seen = 0, 0
        while page := await store.read_all(after=after, limit=PAGE):
            seen += len(page)
            after = page[-1].position
        return seen, time.perf_counter() - started
    finally:
        await pool.close()


async def project_fold(url: str, stream_id: str) -> tuple[int, float]:
    from shared.eventlog.store import EventStore, init_connection

    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, init=init_connection)
    try:
        store = EventStore(pool)
        started = time.perf_counter()
        state = fold(event.data for event in await store.read_stream(stream_id))
        return state["events"], time.perf_counter() - started
    finally:
        await pool.close()


def fold(datas) -> dict[str, Any]:
    """The same evolve for every engine: the latest attendance of each child, and a count."""
    state: dict[str, Any] = {"events": 0, "latest": {}}
    for data in datas:
        state["events"] += 1
        state["latest"][data["child_id"]] = data["attendance_percent"]
    return state


# -- plain asyncpg --------------------------------------------------------------------------------

RAW_SCHEMA = """
CREATE TABLE IF NOT EXISTS raw_events (
    position bigserial PRIMARY KEY,
    stream_id text NOT NULL,
    stream_version int NOT NULL,
    event_type text NOT NULL,
    data jsonb NOT NULL,
    UNIQUE (stream_id, stream_version)
)
"""
RAW_INSERT = (
    "INSERT INTO raw_events (stream_id, stream_version, event_type, data) "
    "SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[])"
)


async def raw_prepare(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(RAW_SCHEMA)
    finally:
        await conn.close()


class _GroupCommit:
    """Every append queued while the last transaction was committing goes into the next one."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.queue: asyncio.Queue[tuple[list[tuple], asyncio.Future]] = asyncio.Queue()
        self.task = asyncio.create_task(self._write_forever())

    async def append(self, rows: list[tuple]) -> None:
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((rows, done))
        await done

    async def _write_forever(self) -> None:
        while True:
            group = [await self.queue.get()]
            while not self.queue.empty():
                group.append(self.queue.get_nowait())
            rows = [row for rows, _ in group for row in rows]
            try:
                await self.conn.execute(RAW_INSERT, *map(list, zip(*rows, strict=True)))
            except Exception as exc:  # each caller learns of the failure of its own group
                for _, done in group:
                    done.set_exception(exc)
            else:
                for _, done in group:
                    done.set_result(None)

    async def close(self) -> None:
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


async def raw_append(url: str, work: Work) -> tuple[float, float]:
    conn = await asyncpg.connect(url)
    group = _GroupCommit(conn) if work.writers > 1 else None
    try:
        async def writer(w: int) -> None:
            for i in range(work.appends):
                base = work.expected_version(i)
                rows = [
                    (work.stream(w, i), base + k + 1, EVENT_TYPE,
                     orjson.dumps(attendance(i * work.batch + k)).decode())
                    for k in range(work.batch)
                ]
                if group is not None:
                    await group.append(rows)
                else:
                    await conn.execute(RAW_INSERT, *map(list, zip(*rows, strict=True)))

        started = time.perf_counter()
        await asyncio.gather(*(writer(w) for w in range(work.writers)))
        return started, time.perf_counter()
    finally:
        if group is not None:
            await group.close()
        await conn.close()


async def raw_read_all(url: str) -> tuple[int, float]:
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        after, seen = 0, 0
        while rows := await conn.fetch(
            "SELECT position, stream_id, stream_version, event_type, data FROM raw_events "
            "WHERE position > $1 ORDER BY position LIMIT $2", after, PAGE,
        ):
            decoded = [orjson.loads(r["data"]) for r in rows]
            seen += len(decoded)
            after = rows[-1]["position"]
        return seen, time.perf_counter() - started
    finally:
        await conn.close()


async def raw_fold(url: str, stream_id: str) -> tuple[int, float]:
    """Decode only: the rows of one stream and their JSON, with the same evolve."""
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        rows = await conn.fetch(
            "SELECT data FROM raw_events WHERE stream_id = $1 ORDER BY stream_version", stream_id
        )
        state = fold(orjson.loads(r["data"]) for r in rows)
        return state["events"], time.perf_counter() - started
    finally:
        await conn.close()


# -- the eventsourcing library --------------------------------------------------------------------


def _libpq_parts(url: str) -> dict[str, str]:
    """Database, host (the embedded server's socket folder), port, user and password of a URL."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "dbname": parts.path.lstrip("/") or "postgres",
        "host": query.get("host") or parts.hostname or "127.0.0.1",
        "port": str(query.get("port") or parts.port or 5432),
        "user": parts.username or query.get("user", "postgres"),
        "password": parts.password or "",
    }


def es_recorder(url: str, pool_size: int, *, create: bool = False):
    """The recorder on its own pool. Only ``prepare`` creates the table: processes starting at
    once would race to create it."""
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    p = _libpq_parts(url)
    datastore = PostgresDatastore(p["dbname"], p["host"], p["port"], p["user"], p["password"],
                                  pool_size=pool_size, max_overflow=0, max_waiting=1000)
    recorder = PostgresApplicationRecorder(datastore, events_table_name="stored_events")
    if create:
        recorder.create_table()
    return recorder


def es_stream_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, name)


def es_append(url: str, work: Work) -> tuple[float, float]:
    from eventsourcing.persistence import StoredEvent

    recorder = es_recorder(url, pool_size=work.writers)
    try:
        def writer(w: int) -> None:
            for i in range(work.appends):
                originator = es_stream_id(work.stream(w, i))
                base = work.expected_version(i)
                recorder.insert_events([
                    StoredEvent(originator, base + k + 1, "bench:AttendanceRecorded",
                                orjson.dumps(attendance(i * work.batch + k)))
                    for k in range(work.batch)
                ])

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=work.writers) as threads:
            list(threads.map(writer, range(work.writers)))
        return started, time.perf_counter()
    finally:
        recorder.datastore.close()


def es_read_all(url: str) -> tuple[int, float]:
    recorder = es_recorder(url, pool_size=1)
    try:
        started = time.perf_counter()
        start, seen = 1, 0
        while notifications := recorder.select_notifications(start, PAGE):
            decoded = [orjson.loads(n.state) for n in notifications]
            seen += len(decoded)
            start = notifications[-1].id + 1
        return seen, time.perf_counter() - started
    finally:
        recorder.datastore.close()


def es_fold(url: str, stream_id: str) -> tuple[int, float]:
    recorder = es_recorder(url, pool_size=1)
    try:
        started = time.perf_counter()
        stored = recorder.select_events(es_stream_id(stream_id))
        state = fold(orjson.loads(e.state) for e in stored)
        return state["events"], time.perf_counter() - started
    finally:
        recorder.datastore.close()


# -- one call for each engine ---------------------------------------------------------------------


def append(engine: str, url: str, work: Work) -> float:
    """Seconds the engine took to do ``work`` in this process (connecting not counted)."""
    started, finished = append_span(engine, url, work)
    return finished - started


def append_span(engine: str, url: str, work: Work) -> tuple[float, float]:
    """When the appends began and ended, on the machine's monotonic clock (``perf_counter`` is
    CLOCK_MONOTONIC on Linux, so spans from several processes compare)."""
    if engine == "project":
        return asyncio.run(project_append(url, work))
    if engine == "asyncpg":
        return asyncio.run(raw_append(url, work))
    if engine == "eventsourcing":
        return es_append(url, work)
    raise ValueError(engine)


def read_all(engine: str, url: str) -> tuple[int, float]:
    if engine == "project":
        return asyncio.run(project_read_all(url))
    if engine == "asyncpg":
        return asyncio.run(raw_read_all(url))
    if engine == "eventsourcing":
        return es_read_all(url)
    raise ValueError(engine)


def fold_stream(engine: str, url: str, stream_id: str) -> tuple[int, float]:
    if engine == "project":
        return asyncio.run(project_fold(url, stream_id))
    if engine == "asyncpg":
        return asyncio.run(raw_fold(url, stream_id))
    if engine == "eventsourcing":
        return es_fold(url, stream_id)
    raise ValueError(engine)


def prepare(engine: str, url: str) -> None:
    if engine == "asyncpg":
        asyncio.run(raw_prepare(url))
    elif engine == "eventsourcing":
        es_recorder(url, pool_size=1, create=True).datastore.close()


def _process_writer(engine: str, url: str, work: Work, ready: Any, go: Any, results: Any) -> None:
    """One OS process of a multi-process run: set up, wait for the others, then append."""
    ready.wait()
    go.wait()
    try:
        results.put(append_span(engine, url, work))
    except Exception as exc:  # told to the parent, which would otherwise wait for this process's span
        results.put(f"{type(exc).__name__}: {exc}")
        raise


def append_in_processes(engine: str, url: str, processes: int, work: Work) -> float:
    """Seconds from the first process's first append to the last one's last, for ``processes``
    real OS processes each doing ``work`` (on streams of their own), released together."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(processes + 1)
    go = context.Event()
    results = context.Queue()
    # Daemons, and ended below whatever happens: a run stopped part-way leaves none behind.
    children = [
        context.Process(target=_process_writer, daemon=True,
                        args=(engine, url, Work(f"{work.run}p{p}", work.writers, work.appends, work.batch),
                              ready, go, results))
        for p in range(processes)
    ]
    try:
        for child in children:
            child.start()
        ready.wait(timeout=300)  # every process has started its interpreter and imported what it needs
        go.set()
        spans = [results.get(timeout=1800) for _ in children]
        failures = [span for span in spans if isinstance(span, str)]
        if failures:
            raise RuntimeError(f"a writer process of {engine} failed: {failures[0]}")
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join(timeout=10)
    return max(end for _, end in spans) - min(start for start, _ in spans)


def run_id() -> str:
    return uuid.uuid4().hex[:8]


def sequence_of(items: Sequence[str], round_number: int) -> list[str]:
    """The engines in a different order each round, so none always runs first on a warm cache."""
    shift = round_number % len(items)
    return list(items[shift:]) + list(items[:shift])

