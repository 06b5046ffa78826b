"""Prometheus metrics: what a running service is doing, scraped from GET /metrics.

Each app has a registry of its own (``ServiceMetrics``, kept as ``app.state.metrics``), so
several apps in one process never share a series. Every series carries the service's name as its
``service`` label, added when the registry is scraped. The values come from three places:

* instruments updated as things happen: every HTTP request (by route template, never the
  concrete path, so no child id or URN ever becomes a label value), every group commit of the
  log's writer, and the event-log service's checkpoint job;
* the process, read when scraped: the writer's queue, the connection pool, the scheduler's runs;
* the database, read when scraped: the head of the log, how far behind each subscription is and
  its parked events, the last published checkpoint. Each is one query under a short statement
  timeout, within a time budget for the whole scrape, so a slow or absent database never hangs
  the scraper: what could not be read is left out, ``metrics_scrape_errors_total`` counts it,
  and the rest is answered as usual.

No bearer token: the gateway does not route /metrics, and Prometheus scrapes each service
directly on the internal network (docs/operations.md, "Metrics and readiness").
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

import asyncpg
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.eventlog.subscriptions import Subscription

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
# The classic text format, which every Prometheus reads (generate_latest writes it).
EXPOSITION_CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# The route label of a request no route answered: a path no route has, or an answer given before
# routing (a CORS preflight, a body declared too large).
UNMATCHED = "unmatched"
# Any other method a client makes up is counted as "other", so it cannot add series.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# What the database may take of one scrape: this long to get a connection, as long again for the
# queries and a second to hand it back, well inside Prometheus's default scrape timeout of 10 s.
SCRAPE_DATABASE_SECONDS = 2.0
SCRAPE_RELEASE_SECONDS = 1.0
# Each scrape query is cancelled by the server after this long (statement_timeout).
SCRAPE_STATEMENT_TIMEOUT_MS = 1000
# The writer takes at most 2000 appends into one group (EventStore's max_group).
GROUP_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)

DatabaseRead = Callable[[asyncpg.Connection, Any], Awaitable[list[Metric]]]


class ServiceMetrics:
    """One app's registry: its instruments, and what is read from the process and the database
    when it is scraped."""

    def __init__(self, service: str, state: Any) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self._database_reads: list[tuple[str, DatabaseRead]] = []
        self.http_requests = Counter(
            "http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.http_request_duration = Histogram(
            "http_request_duration_seconds",
            "Time from receiving a request to the end of its answer, by method and route template.",
            ("method", "route"),
            registry=self.registry,
        )
        self.append_duration = Histogram(
            "eventlog_append_duration_seconds",
            "Time the event log's writer took over one group commit, retries included.",
            registry=self.registry,
        )
        self.append_group_size = Histogram(
            "eventlog_append_group_size",
            "Appends the event log's writer committed together in one group.",
            buckets=GROUP_SIZE_BUCKETS,
            registry=self.registry,
        )
        self.scrape_errors = Counter(
            "metrics_scrape_errors",
            "Scrapes that could not read a collector's values from the database (its series were left out).",
            ("collector",),
            registry=self.registry,
        )
        self.registry.register(_ProcessState(state))
        self.read_from_database("log_head", _log_head)
        self.read_from_database("subscriptions", _subscription_lag)

    def request_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method, route, str(status)).inc()
        self.http_request_duration.labels(method, route).observe(seconds)

    def group_written(self, seconds: float, appends: int) -> None:
        self.append_duration.observe(seconds)
        self.append_group_size.observe(appends)

    def read_from_database(self, collector: str, read: DatabaseRead) -> None:
        """Add a collector whose series are read with one query on each scrape."""
        self._database_reads.append((collector, read))
        self.scrape_errors.labels(collector)  # shown as 0 from the start, so an increase is seen

    async def exposition(self, state: Any) -> bytes:
        """Everything, in the Prometheus text format, each series labelled with the service."""
        from_database = await self._read_database(state)
        return generate_latest(_ServiceLabelled(self.service, [self.registry, _Families(from_database)]))

    async def _read_database(self, state: Any) -> list[Metric]:
        pool: asyncpg.Pool | None = getattr(state, "pool", None)
        if pool is None:  # the lifespan has not started: nothing to read from yet
            return []
        unread = [collector for collector, _ in self._database_reads]
        try:
            conn = await pool.acquire(timeout=SCRAPE_DATABASE_SECONDS)
        except Exception as exc:  # the database away, or every connection busy
            self._scrape_failed(unread, exc)
            return []
        families: list[Metric] = []
        try:
            async with asyncio.timeout(SCRAPE_DATABASE_SECONDS):
                for collector, read in self._database_reads:
                    try:
                        async with _bounded(conn):
                            families += await read(conn, state)
                    except Exception as exc:
                        if conn.is_closed():
                            raise  # nothing more can be read on it
                        self._scrape_failed([collector], exc)
                    unread.remove(collector)
        except Exception as exc:  # the connection lost, or the budget spent
            self._scrape_failed(unread, exc)
        finally:
            try:
                await pool.release(conn, timeout=SCRAPE_RELEASE_SECONDS)
            except Exception:  # the pool drops a connection it could not reset; the scrape is answered
                log.debug("a metrics connection could not be handed back", exc_info=True)
        return families

    def _scrape_failed(self, collectors: list[str], exc: BaseException) -> None:
        for collector in collectors:
            log.warning("metrics could not read %s from the database: %r", collector, exc)
            self.scrape_errors.labels(collector).inc()


@asynccontextmanager
async def _bounded(conn: asyncpg.Connection):
    """A read-only transaction whose statements the server cancels after a short while."""
    async with conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL statement_timeout = {SCRAPE_STATEMENT_TIMEOUT_MS}")
        yield


def install_metrics(app: FastAPI) -> ServiceMetrics:
    """Give an app its registry, count its requests, observe its log writer and serve /metrics.

    Call it after the app's other middleware is added: it then sits outermost and counts every
    answer, the security layer's refusals and the last-resort 500 included."""
    metrics = ServiceMetrics(app.state.service_name, app.state)
    app.state.metrics = metrics
    app.add_middleware(RequestMetricsMiddleware, metrics=metrics)
    app.include_router(_metrics_router())
    _observe_the_writer(app, metrics)
    return metrics


def _metrics_router() -> APIRouter:
    router = APIRouter()

    # Not in the OpenAPI document: it is for Prometheus on the internal network, not integrators.
    @router.get(METRICS_PATH, include_in_schema=False)
    async def metrics(request: Request) -> Response:
        state = request.app.state
        return Response(await state.metrics.exposition(state), media_type=EXPOSITION_CONTENT_TYPE)

    return router


def _observe_the_writer(app: FastAPI, metrics: ServiceMetrics) -> None:
    """The log's writer is made by the lifespan, so it is observed from there on."""
    shared_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI):
        async with shared_lifespan(app_) as started:
            # Nothing the lifespan started has run yet (no await since): no group is missed.
            app_.state.store.group_observer = metrics.group_written
            yield started

    app.router.lifespan_context = lifespan


# -- requests ---------------------------------------------------------------------------------


class RequestMetricsMiddleware:
    """Counts and times every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when an error escapes everything below

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            method = scope["method"] if scope["method"] in HTTP_METHODS else "other"
            self.metrics.request_answered(method, route_template(scope), status, time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (``/children/{child_id}``), never the path itself."""
    path = getattr(scope.get("route"), "path", None)
    if path:
        return path
    # FastAPI's own pages (/docs, /openapi.json) are plain routes that do not put themselves in
    # the scope; each is a fixed path, so it is its own template.
    for route in getattr(scope.get("app"), "routes", ()):
        if isinstance(route, Route) and route.matches(scope)[0] is Match.FULL:
            return route.path
    return UNMATCHED


# -- subscriptions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionPosition:
    """How a subscription stands against the log."""

    name: str
    events_behind: int
    """Events recorded after its checkpoint (0 when it has applied everything)."""
    seconds_behind: float
    """How long ago the oldest event it has not applied was recorded (0 when caught up)."""
    parked: int
    """Its events parked as dead letters, not yet retried or skipped."""


async def subscription_positions(
    conn: asyncpg.Connection, subscriptions: Sequence[Subscription], now: datetime
) -> list[SubscriptionPosition]:
    """Where each subscription stands, by the service's clock: one query per schema (a service
    keeps all its subscriptions in one). A subscription that has not yet written its checkpoint
    has applied nothing."""
    positions: list[SubscriptionPosition] = []
    by_schema = sorted((s.projection.schema, s.name) for s in subscriptions)
    for schema, names in groupby(by_schema, key=lambda pair: pair[0]):
        rows = await conn.fetch(_SUBSCRIPTION_POSITIONS.format(schema=schema), [name for _, name in names])
        for row in rows:
            oldest = row["oldest_unapplied"]
            behind = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
            positions.append(SubscriptionPosition(row["name"], row["events_behind"], behind, row["parked"]))
    return positions


# Every part is an index probe: the head and the oldest unapplied event by position, the
# checkpoint by name, the parked letters through their partial index.
_SUBSCRIPTION_POSITIONS = """
SELECT s.name,
       head.position - coalesce(c.position, 0) AS events_behind,
       (SELECT e.recorded_at FROM eventlog.events e
         WHERE e.position > coalesce(c.position, 0) ORDER BY e.position LIMIT 1) AS oldest_unapplied,
       (SELECT count(*) FROM "{schema}".dead_letters d
         WHERE d.subscription = s.name AND d.status = 'parked') AS parked
FROM unnest($1::text[]) AS s(name)
CROSS JOIN (SELECT coalesce(max(position), 0) AS position FROM eventlog.events) AS head
LEFT JOIN "{schema}".subscription_checkpoints c ON c.name = s.name
ORDER BY s.name
"""


async def _subscription_lag(conn: asyncpg.Connection, state: Any) -> list[Metric]:
    subscriptions = getattr(state, "subscriptions", [])
    if not subscriptions:
        return []
    events = GaugeMetricFamily(
        "subscription_events_behind", "Events in the log the subscription has not yet passed.",
        labels=["subscription"],
    )
    seconds = GaugeMetricFamily(
        "subscription_seconds_behind",
        "How long ago the oldest event the subscription has not applied was recorded; 0 when caught up.",
        labels=["subscription"],
    )
    parked = GaugeMetricFamily(
        "subscription_parked_events", "The subscription's events parked as dead letters, awaiting an operator.",
        labels=["subscription"],
    )
    for position in await subscription_positions(conn, subscriptions, state.clock.now()):
        events.add_metric([position.name], position.events_behind)
        seconds.add_metric([position.name], position.seconds_behind)
        parked.add_metric([position.name], position.parked)
    return [events, seconds, parked]


async def _log_head(conn: asyncpg.Connection, state: Any) -> list[Metric]:
    head = await conn.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
    return [GaugeMetricFamily("eventlog_head_position", "The position of the last event in the log.", value=head)]


# -- the process --------------------------------------------------------------------------------


class _ProcessState:
    """What the process knows of itself, read when scraped: nothing before the lifespan starts."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def collect(self) -> Iterator[Metric]:
        store = getattr(self._state, "store", None)
        if store is not None:
            yield GaugeMetricFamily(
                "eventlog_writer_queue_depth", "Appends waiting for the event log's writer to take them.",
                value=store.queue_depth,
            )
        pool = getattr(self._state, "pool", None)
        if pool is not None:
            yield GaugeMetricFamily(
                "db_pool_connections_in_use", "Database connections of the pool in use (the log's writer keeps one once it has written).",
                value=pool.get_size() - pool.get_idle_size(),
            )
            yield GaugeMetricFamily(
                "db_pool_connections_max", "The most database connections the pool opens.",
                value=pool.get_max_size(),
            )
        scheduler = getattr(self._state, "scheduler", None)
        if scheduler is not None and scheduler.job_names:
            yield from _scheduler_families(scheduler)


def _scheduler_families(scheduler: Any) -> Iterator[Metric]:
    # The label is not "job": Prometheus gives every scraped series its own "job" label (the
    # scrape job's), and would rename ours to "exported_job".
    succeeded = GaugeMetricFamily(
        "scheduler_last_success_timestamp_seconds",
        "When the job last ran without an error, in seconds since the epoch; 0 if it has not since the process started.",
        labels=["scheduled_job"],
    )
    due = GaugeMetricFamily(
        "scheduler_deadlines_due",
        "What the job's last successful run found due and appended (deadline events; checkpoints published).",
        labels=["scheduled_job"],
    )
    for job in scheduler.job_names:
        run = scheduler.last_successes.get(job)
        succeeded.add_metric([job], run.finished_at if run is not None else 0)
        if run is not None:
            due.add_metric([job], run.appended)
    yield succeeded
    yield due


# -- the event-log service's checks on the log ---------------------------------------------------


class CheckpointMetrics:
    """The checkpoint job's outcomes: verifying the chain before signing, and publishing.

    The verification series appear once the job has verified something since the process
    started; the time of the last published checkpoint is read from the database, so every
    instance shows the one whichever instance published."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self._last_verification: tuple[float, bool] | None = None
        self._publications_failed = Counter(
            "eventlog_checkpoint_publications_failed",
            "Runs of the checkpoint job that failed: a broken chain, or the database away.",
            registry=metrics.registry,
        )
        metrics.registry.register(self)
        metrics.read_from_database("checkpoints", _last_checkpoint)

    def chain_verified(self, ok: bool) -> None:
        self._last_verification = (time.time(), ok)

    def publication_failed(self) -> None:
        self._publications_failed.inc()

    def collect(self) -> Iterator[Metric]:
        if self._last_verification is None:
            return
        ran_at, ok = self._last_verification
        yield GaugeMetricFamily(
            "eventlog_chain_verification_last_success",
            "1 if the hash chain verified when the checkpoint job last checked it, 0 if it was broken.",
            value=1 if ok else 0,
        )
        yield GaugeMetricFamily(
            "eventlog_chain_verification_last_run_timestamp_seconds",
            "When the checkpoint job last verified the hash chain, in seconds since the epoch.",
            value=ran_at,
        )


async def _last_checkpoint(conn: asyncpg.Connection, state: Any) -> list[Metric]:
    published = await conn.fetchval(
        "SELECT published_at FROM eventlog.checkpoints ORDER BY position DESC LIMIT 1"
    )
    if published is None:
        return []
    return [GaugeMetricFamily(
        "eventlog_checkpoint_last_published_timestamp_seconds",
        "When the last signed checkpoint was published, in seconds since the epoch.",
        value=published.timestamp(),
    )]


# -- exposition ---------------------------------------------------------------------------------


class _Families:
    """Families read for one scrape, as a collector."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


class _ServiceLabelled:
    """Every series of the collectors, with the service's name as its ``service`` label."""

    def __init__(self, service: str, collectors: Iterable[Any]) -> None:
        self._service = service
        self._collectors = list(collectors)

    def collect(self) -> Iterator[Metric]:
        for collector in self._collectors:
            for family in collector.collect():
                labelled = Metric(family.name, family.documentation, family.type, family.unit)
                labelled.samples = [
                    sample._replace(labels={**sample.labels, "service": self._service})
                    for sample in family.samples
                    if not _creation_time(family, sample.name)
                ]
                yield labelled


def _creation_time(family: Metric, sample_name: str) -> bool:
    # The text format shows when each counter and histogram was created as a series of its own;
    # Prometheus does not need it, and it would double the series.
    return family.type in ("counter", "histogram") and sample_name == f"{family.name}_created"
