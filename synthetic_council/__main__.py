"""``python -m synthetic_council --size small --seed 1 [--database-url ...]``: build a council.

Without ``--database-url`` (or ``DATABASE_URL``) it builds into the development database the run
command uses (``.dev/pgdata``), starting its embedded PostgreSQL. The database is brought to the
head of every migration first; its log must be empty.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date

from shared.clock import SystemClock
from shared.migrations import REPO_ROOT, asyncpg_url, role_passwords
from shared.services import database_roles

from .running import BuildStopped, build
from .sizes import SIZES, size_named


def _day(text: str) -> date:
    return date.fromisoformat(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic_council", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--scale", type=int, default=1, help="times the size's schools and children (10, 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until", type=_day, default=None,
                        help="the story's last day, YYYY-MM-DD (default today; the same seed, size and "
                             "last day give the same council)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the database's owner (default: the development database in .dev/pgdata)")
    args = parser.parse_args(argv)
    try:
        size = size_named(args.size, args.scale)
    except ValueError as exc:
        parser.error(str(exc))
    until = args.until or SystemClock().today()

    from shared.devserver import prepare_database, start_embedded_postgres

    owner_url = asyncpg_url(args.database_url or start_embedded_postgres(REPO_ROOT / ".dev" / "pgdata"))
    roles = database_roles()
    passwords = role_passwords(roles)
    prepare_database(owner_url, roles, passwords)
    try:
        built = asyncio.run(build(owner_url, size, args.seed, until, passwords=passwords, say=_say))
    except BuildStopped as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary(built), flush=True)
    return 0


def summary(built) -> str:
    services = ", ".join(f"{name} {count:,}" for name, count in sorted(built.by_service.items()))
    return (
        f"built in {built.seconds:,.1f} s: {built.calls:,} calls ({services}), "
        f"{built.deadlines_fired:,} deadline events fired, {built.events:,} events in the log; "
        f"story fingerprint {built.fingerprint[:16]}"
    )


def _say(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
