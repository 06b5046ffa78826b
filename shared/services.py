"""The deployment: which services exist, where their apps and migrations are, and their ports.

The development launcher, the test fixtures and the compose-file test all read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.migrations import EVENTLOG_MIGRATIONS, REPO_ROOT, MigrationHistory


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # the folder under services/ and the container name in docker-compose.yml
    app: str  # the app factory, for ``uvicorn --factory``
    port: int  # its port in development
    schema: str | None  # its read-model schema (None: it reads the log only)

    @property
    def migrations(self) -> MigrationHistory | None:
        if self.schema is None:
            return None
        return MigrationHistory(self.schema, REPO_ROOT / "services" / self.name / "migrations")


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("schools", "schools.main:create_app", 8001, "schools"),
    ServiceSpec("pep", "pep.main:create_app", 8002, "pep"),
    ServiceSpec("pupil-premium", "pupil_premium.main:create_app", 8003, "pupil_premium"),
    ServiceSpec("notices", "notices.main:create_app", 8004, "notices"),
    ServiceSpec("event-log", "event_log.main:create_app", 8005, None),
)


def all_migrations() -> list[MigrationHistory]:
    """The event log first, then each service's read-model schema."""
    histories = [EVENTLOG_MIGRATIONS]
    histories += [s.migrations for s in SERVICES if s.migrations is not None]
    return histories


def service(name: str) -> ServiceSpec:
    for spec in SERVICES:
        if spec.name == name:
            return spec
    raise KeyError(name)
