"""The app factory every service uses.

``create_service_app`` builds the FastAPI app; nothing touches the database until the lifespan
starts, which opens the pool, refuses to go on while the log holds events recorded before
personal fields were sealed (shared/privacy/log_sealing.py), reads the migration heads, starts the
event-log writer, the subscriptions and the deadline scheduler, and stops them again on shutdown.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from shared.clock import SystemClock
from shared.database import open_pool
from shared.eventlog.store import EventStore
from shared.eventlog.subscriptions import LogNotifier, Projection, Subscription
from shared.events import EventCatalogue
from shared.migrations import EVENTLOG_MIGRATIONS, MigrationHistory, asyncpg_url, current_revision
from shared.observability.logs import install_logging
from shared.observability.metrics import install_metrics, subscription_positions
from shared.observability.tracing import install_tracing
from shared.privacy.keys import install_wrapper, wrapper_from_settings
from shared.privacy.log_sealing import refuse_if_not_sealed
from shared.scheduler import ScheduledJob, Scheduler
from shared.security.access import WriteRateLimiter
from shared.security.tokens import TokenVerifier
from shared.settings import ServiceSettings
from shared.web.consistency import LOG_POSITION, MIN_LOG_POSITION, LogPositionMiddleware, applied_up_to
from shared.web import problem_types
from shared.web.backpressure import RequestsInFlightMiddleware
from shared.web.dead_letters import dead_letters_router
from shared.web.middleware import (
    BodySizeLimitMiddleware,
    SecurityHeadersMiddleware,
    UnhandledErrorMiddleware,
    UnstorableTextMiddleware,
)
from shared.web.openapi import install_openapi
from shared.web.problems import PROBLEM_JSON, install_problem_handlers

log = logging.getLogger(__name__)


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    settings: ServiceSettings,
    catalogue: EventCatalogue,
    routers: Sequence[APIRouter],
    migrations: Sequence[MigrationHistory] = (),
    projections: Callable[[], Sequence[Projection]] = lambda: (),
    jobs: Sequence[ScheduledJob] = (),
    version: str = "1.0.0",
    on_startup: Callable[[Any], Any] | None = None,
) -> FastAPI:
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state = app.state
        state.pool = await open_pool(
            settings.database_url,
            min_size=settings.database_pool_min,
            max_size=settings.database_pool_max,
            timeouts=settings.database_timeouts(),
        )
        try:
            await refuse_if_not_sealed(state.pool)
        except BaseException:
            await state.pool.close()
            raise
        # Read once: parsing the migration scripts blocks, and /ready is called every few seconds.
        state.migration_heads = await asyncio.to_thread(_migration_heads, state.migrations)
        state.store = EventStore(
            state.pool,
            clock=state.clock.now,
            acquire_timeout=settings.database_acquire_timeout,
            max_queued=settings.max_queued_appends,
        )
        state.store.start()
        state.subscriptions = [
            Subscription(state.pool, p, poll_interval=settings.subscription_poll_seconds)
            for p in projections()
        ]
        state.notifier = LogNotifier(asyncpg_url(settings.database_url), state.subscriptions)
        state.scheduler = Scheduler(state, jobs, settings.scheduler_interval_seconds)
        if on_startup is not None:
            await on_startup(state)
        for subscription in state.subscriptions:
            subscription.start()
        state.notifier.start()
        state.scheduler.start()
        try:
            yield
        finally:
            await state.scheduler.stop()
            await state.notifier.stop()
            for subscription in state.subscriptions:
                await subscription.stop()
            await state.store.close()
            try:
                async with asyncio.timeout(10):
                    await state.pool.close()
            except TimeoutError:
                log.error("database connections were still in use at shutdown; closing them")
                state.pool.terminate()

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.state.service_name = name
    app.state.settings = settings
    app.state.catalogue = catalogue
    # The operator command (shared/ops) builds the same read models and policies, to rebuild or retry.
    app.state.projections = projections
    app.state.clock = SystemClock()
    app.state.migrations = [EVENTLOG_MIGRATIONS, *migrations]
    app.state.token_verifier = _verifier(settings)
    # The master key (or the council's key store) the service's own settings name, installed as
    # the app is built: a misconfigured key store fails start-up, not a child's first read.
    install_wrapper(wrapper_from_settings(settings))
    app.state.write_rate_limiter = WriteRateLimiter(settings.write_rate_per_minute)

    install_problem_handlers(app)
    install_openapi(app, name)
    install_tracing(app, name)
    # Added innermost first: the security headers end up outermost, so every answer carries
    # them, including CORS preflights, 413s and the last-resort 500.
    app.add_middleware(LogPositionMiddleware)
    app.add_middleware(UnstorableTextMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(
        RequestsInFlightMiddleware,
        limit=settings.max_requests_in_flight,
        retry_after_seconds=settings.overload_retry_after_seconds,
    )
    if settings.cors_origins:
        # Only the configured front end; no credentials (tokens travel in a header, not cookies).
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Request-Id",
                "X-Correlation-Id", MIN_LOG_POSITION,
            ],
            expose_headers=["ETag", "X-Request-Id", "Location", LOG_POSITION],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    install_metrics(app)
    install_logging(app)

    app.include_router(_operations_router())
    app.include_router(problem_types.problems_router())
    if migrations:
        # A service with a schema of its own has subscriptions, and parks their failures there.
        app.state.dead_letter_schema = migrations[0].schema
        app.include_router(dead_letters_router())
    for router in routers:
        # Any route may be asked to wait until the service has applied a given log position.
        app.include_router(router, dependencies=[Depends(applied_up_to)])
    return app


def _verifier(settings: ServiceSettings) -> TokenVerifier:
    if settings.jwks_url:
        return TokenVerifier(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            jwks_url=settings.jwks_url,
            jwks_cache_seconds=settings.jwks_cache_seconds,
            jwks_refresh_cooldown_seconds=settings.jwks_refresh_cooldown_seconds,
        )
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        public_key_path=settings.dev_public_key_path,
    )


def _migration_heads(histories: Sequence[MigrationHistory]) -> dict[str, str | None]:
    return {history.schema: history.head() for history in histories}


def _background_tasks(state: Any) -> dict[str, bool]:
    """Every task the service needs, by name, and whether it is still running. A task that
    crashed is as missing as one that was never started."""
    tasks = {"event_writer": state.store.running}
    for subscription in state.subscriptions:
        tasks[f"subscription:{subscription.name}"] = subscription.running
    tasks["log_notifier"] = state.notifier.running
    tasks["scheduler"] = state.scheduler.running
    # Tasks a service starts for itself (the event-log service's feed listener, say).
    for name, task in getattr(state, "own_background_tasks", {}).items():
        tasks[name] = task.running
    return tasks


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/health",
        summary="The process is alive: every background task it needs is running",
        description="503 naming the stopped tasks when one has died, so the process is restarted. "
        "The database being away does not fail it (that is /ready's business).",
        responses={503: {"description": "A background task has stopped (`stopped` names them): "
                         "restart the process. No Retry-After: waiting will not mend it."}},
    )
    async def health(request: Request) -> JSONResponse:
        stopped = [name for name, running in _background_tasks(request.app.state).items() if not running]
        if not stopped:
            return JSONResponse({"status": "ok"})
        log.error("health check failing: background tasks stopped: %s", ", ".join(stopped))
        body = {
            "type": problem_types.entry("service-unavailable").uri,
            "title": "Service unavailable",
            "status": 503,
            "detail": "background tasks stopped: " + ", ".join(stopped) + "; restart the service",
            "stopped": stopped,
            "instance": request.url.path,
        }
        return JSONResponse(body, status_code=503, media_type=PROBLEM_JSON)

    @router.get(
        "/ready",
        summary="Database reachable, migrations at head, background tasks running; lag and parked events",
        description="503 when the service cannot serve. 200 with status \"degraded\" when it serves "
        "but `degraded` names a subscription more than READY_LAG_SECONDS behind the log "
        "(`behind:<name>`) or with parked events (`parked:<name>`, counted in parked_events: see "
        "/operations/dead-letters).",
        responses={503: {
            "description": "The service cannot serve: the same body as 200, `ready` false and "
            "`status` \"unavailable\", with the failing `checks`.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }},
    )
    async def ready(request: Request) -> JSONResponse:
        state = request.app.state
        checks: dict[str, bool] = {"database": False, "migrations": False}
        positions = None
        try:
            async with state.pool.acquire() as conn:
                await conn.fetchval("SELECT 1")
                checks["database"] = True
                heads = state.migration_heads
                revisions = [await current_revision(conn, h.schema) for h in state.migrations]
                checks["migrations"] = all(r == heads[h.schema] for r, h in zip(revisions, state.migrations))
                if checks["migrations"]:  # before that the dead letters may not have their status
                    try:
                        positions = await subscription_positions(conn, state.subscriptions, state.clock.now())
                    except Exception as exc:  # serving does not depend on it: shown as unknown
                        log.warning("readiness check could not read how the subscriptions stand: %r", exc)
        except Exception as exc:
            log.warning("readiness check could not reach the database: %r", exc)
        tasks = _background_tasks(state)
        checks["event_writer"] = tasks.pop("event_writer")
        checks["subscriptions"] = all(running for name, running in tasks.items() if name.startswith("subscription:"))
        checks["log_notifier"] = tasks["log_notifier"]
        checks["scheduler"] = tasks["scheduler"]
        ok = all(checks.values())
        # None: the database could not say (the service is then unavailable anyway, or degraded).
        parked = behind = None
        degraded = ["subscriptions:unknown"]
        if positions is not None:
            parked = {p.name: p.parked for p in positions if p.parked}
            behind = {p.name: p.seconds_behind for p in positions}
            lag = state.settings.ready_lag_seconds
            degraded = [f"parked:{p.name}" for p in positions if p.parked]
            degraded += [f"behind:{p.name}" for p in positions if p.seconds_behind > lag]
        status = "unavailable" if not ok else "degraded" if degraded else "ok"
        body = {
            "ready": ok, "status": status, "checks": checks, "degraded": degraded,
            "parked_events": parked, "seconds_behind": behind,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    return router
