"""Apply every migration (the event log's, then each service's): ``python -m shared.migrate``.

Production runs this once before the services start (the ``migrate`` step in
docker-compose.yml); the services themselves never migrate, and report not-ready until the
schema is at head.
"""

from __future__ import annotations

import sys

from shared.migrations import upgrade_all
from shared.services import all_migrations
from shared.settings import ServiceSettings


def main() -> int:
    settings = ServiceSettings()
    if not settings.database_url:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    upgrade_all(all_migrations(), settings.database_url)
    print("migrations at head:", ", ".join(h.schema for h in all_migrations()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
