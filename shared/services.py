"""The deployment: which services exist, where their apps and migrations are, and their ports.

The development launcher, the test fixtures and the compose-file test all read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.migrations import EVENTLOG_MIGRATIONS, KEY_ERASURE, REPO_ROOT, DatabaseRole, MigrationHistory

# What a service may do to the event log's tables (schema ``eventlog``): read, and append where it
# must. Never UPDATE, DELETE or TRUNCATE (``DatabaseRole`` refuses them). A log table a service
# does not name here it cannot touch at all.
READ = ("SELECT",)
READ_APPEND = ("SELECT", "INSERT")
APPEND = ("INSERT",)  # the read audit: ``INSERT ... SELECT FROM unnest(...)`` reads no row of it
# Every service checks the log's migrations are at head (/ready), and at start-up that the log holds
# no events recorded before personal fields were sealed (shared/privacy/log_sealing.py).
LOG_VERSION = (("alembic_version", READ), ("log_sealing", READ))
# A service that appends events: its streams' history, the retry keys of its writes, and the
# data subjects' keys that seal personal fields as they are written and open them as they are read.
WRITES_EVENTS = (
    *LOG_VERSION, ("events", READ_APPEND), ("idempotency_keys", READ_APPEND), ("subject_keys", READ_APPEND),
)
# ...and shows children's records to people, each read of which is recorded for auditors.
WRITES_EVENTS_AND_READ_AUDIT = (*WRITES_EVENTS, ("record_reads", APPEND))
# A service with read models of its own: rebuilding one (``python -m shared.ops rebuild``, which
# may log in as the service's role) records who did it.
RECORDS_REBUILDS = (("read_model_rebuilds", APPEND),)


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # the folder under services/ and the container name in docker-compose.yml
    app: str  # the app factory, for ``uvicorn --factory``
    port: int  # its port in development
    schema: str | None  # its read-model schema (None: it reads the log only)
    # Its privileges on the log's tables: (table, privileges) pairs.
    log_tables: tuple[tuple[str, tuple[str, ...]], ...] = WRITES_EVENTS
    # The module the event-log service imports for this service's ``CATALOGUE`` (its public
    # contract: the events it writes) and ``AGGREGATES`` (how to fold each stream category it owns);
    # None for a service that writes no streams of its own.
    replay: str | None = None

    @property
    def migrations(self) -> MigrationHistory | None:
        if self.schema is None:
            return None
        return MigrationHistory(self.schema, REPO_ROOT / "services" / self.name / "migrations")

    @property
    def db_role(self) -> str:
        """The PostgreSQL role it logs in as: ``pupil_premium_service`` for pupil-premium."""
        return self.name.replace("-", "_") + "_service"

    @property
    def password_env(self) -> str:
        """The variable the migrate step reads its role's password from: ``PUPIL_PREMIUM_DB_PASSWORD``."""
        return self.name.replace("-", "_").upper() + "_DB_PASSWORD"

    @property
    def database_role(self) -> DatabaseRole:
        log_tables = dict(self.log_tables)
        if self.schema is not None:  # its read models live there
            log_tables.update(RECORDS_REBUILDS)
        return DatabaseRole(self.db_role, self.schema, log_tables, self.password_env)


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("schools", "schools.main:create_app", 8001, "schools", replay="schools.replay"),
    ServiceSpec("pep", "pep.main:create_app", 8002, "pep", WRITES_EVENTS_AND_READ_AUDIT, replay="pep.replay"),
    ServiceSpec(
        "pupil-premium", "pupil_premium.main:create_app", 8003, "pupil_premium", WRITES_EVENTS_AND_READ_AUDIT,
        replay="pupil_premium.replay",
    ),
    ServiceSpec("notices", "notices.main:create_app", 8004, "notices", replay="notices.replay"),
    # The auditors' and the data protection officer's service: it records reads of children's
    # records and answers who read what, publishes the signed checkpoints, and keeps the record of
    # legal holds and erasures (its only events), destroying a data subject's key to erase them.
    ServiceSpec(
        "event-log", "event_log.main:create_app", 8005, None,
        (
            *LOG_VERSION, ("events", READ_APPEND), ("idempotency_keys", READ_APPEND),
            ("subject_keys", ("SELECT", "INSERT", KEY_ERASURE)),
            ("record_reads", READ_APPEND), ("bulk_reads", READ_APPEND), ("checkpoints", READ_APPEND),
            # The bridges that carry checkpoints published before the log was sealed.
            ("log_bridges", READ),
        ),
        replay="event_log.replay",
    ),
)


def all_migrations() -> list[MigrationHistory]:
    """The event log first, then each service's read-model schema."""
    histories = [EVENTLOG_MIGRATIONS]
    histories += [s.migrations for s in SERVICES if s.migrations is not None]
    return histories


def database_roles() -> list[DatabaseRole]:
    """Every service's login role, for the step after the migrations (``upgrade_all``)."""
    return [spec.database_role for spec in SERVICES]


def service(name: str) -> ServiceSpec:
    for spec in SERVICES:
        if spec.name == name:
            return spec
    raise KeyError(name)
