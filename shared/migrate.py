"""Apply every migration (the event log's, then each service's), then give each service's role its
privileges: ``python -m shared.migrate``.

Production runs this once before the services start (the ``migrate`` step in
docker-compose.yml); the services themselves never migrate, and report not-ready until the
schema is at head.

It connects as the database's owner: ``MIGRATION_DATABASE_URL`` (or ``DATABASE_URL`` if that is
not set). After the schema migrations it carries the term dates each service used to keep for
itself into the council calendar (``shared.calendar_adoption``; a no-op once done). The services
never get that URL; each logs in as its own role (``schools_service``,
...; see docs/operations.md, "Database roles"). A role's password is set from the environment
variable the service list names (``SCHOOLS_DB_PASSWORD``, ...), when it is set; a role whose
variable is not set keeps the password it has.

It never seals a log recorded before personal fields were sealed: that rewrites history and
changes the hashes auditors hold, so an operator runs ``python -m shared.ops seal-existing-log``
deliberately, having told them. It says when that is needed (no service starts until then).
"""

from __future__ import annotations

import asyncio
import os
import sys

from shared import calendar_adoption
from shared.migrations import DatabaseRole, role_passwords, scram_sha_256_verifier, upgrade_all
from shared.privacy.log_sealing import RUNBOOK, SEAL_COMMAND, sealing_needed_at
from shared.services import all_migrations, database_roles


def bring_to_head(
    database_url: str, roles: list[DatabaseRole], passwords: dict[str, str]
) -> list[calendar_adoption.Adoption]:
    """Every schema migration, then the log's data step: the term dates each service kept for
    itself before the council calendar, carried into it (nothing, once done)."""
    upgrade_all(all_migrations(), database_url, roles=roles, passwords=passwords)
    return calendar_adoption.adopt(database_url)


def main() -> int:
    database_url = os.environ.get("MIGRATION_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not database_url:
        print("MIGRATION_DATABASE_URL (the owner's) is not set", file=sys.stderr)
        return 2
    roles = database_roles()
    passwords = role_passwords(roles)
    for role in roles:
        if role.name in passwords:
            try:
                scram_sha_256_verifier(passwords[role.name])
            except ValueError as refused:
                print(f"nothing migrated: {role.password_env}: {refused}", file=sys.stderr)
                return 2
    adopted = bring_to_head(database_url, roles, passwords)
    print("migrations at head:", ", ".join(h.schema for h in all_migrations()))
    for adoption in adopted:
        print("council calendar:", adoption.describe())
    for role in roles:
        if role.name in passwords:
            how = "password set"
        else:
            how = f"password unchanged ({role.password_env} not set)"
        print(f"role {role.name}: privileges granted, {how}")
    if asyncio.run(sealing_needed_at(database_url)):
        print(
            "the event log holds events recorded before personal fields were sealed: no service will "
            f"start until an operator runs {SEAL_COMMAND} ({RUNBOOK})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
