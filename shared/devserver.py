"""Run everything on one machine: PostgreSQL, migrations, and every service on its own port.

    python -m shared.devserver            (what ``scripts/run`` calls)

Without ``DATABASE_URL`` it starts an embedded PostgreSQL 16 (the ``pgserver`` package) with its
data in ``.dev/pgdata``, so data survives restarts. It applies every migration as the database's
owner (the embedded server's superuser, or whoever ``DATABASE_URL`` names), creates the
development token-signing key pair, starts each service with uvicorn logged in as that service's
own role (``schools_service``, ...), waits until each one's ``/ready`` answers, prints where they
are, and stops them all on Ctrl-C.

On first start - a log with no events in it - it builds the small synthetic council into it
(``python -m synthetic_council``, docs/synthetic-council.md) through the services' own commands,
so there is something to look at and the README's example call returns children; ``--empty``
starts with nothing instead.

A development database that holds events recorded before personal fields were sealed has them
sealed here, before any service starts (``python -m shared.ops seal-existing-log``, signed with
the development checkpoint key): it holds no real data and no auditor keeps its checkpoints, so
nothing is gained by leaving every service refusing to start. Production never does this on its
own (docs/operations.md).

The embedded server trusts local connections over its unix socket, so the roles need no
password there. Against a server that wants one, set ``SCHOOLS_DB_PASSWORD`` and the rest (see
docs/operations.md, "Database roles"): the migration step sets them and each service uses its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx

from shared.clock import SystemClock
from shared.migrate import bring_to_head
from shared.migrations import REPO_ROOT, DatabaseRole, asyncpg_url, role_passwords, url_for_role
from shared.ops.seal_existing import seal_as_configured
from shared.privacy.log_sealing import sealing_needed_at
from shared.security.mint import ensure_dev_keys
from shared.services import SERVICES, database_roles

DATABASE_NAME = "education"
# Who the record of sealing a development log names.
DEVELOPMENT_ACTOR = "the development launcher"
# The seed of the council a first start builds: every newcomer sees the same one.
FIRST_COUNCIL_SEED = 1


def start_embedded_postgres(data_dir: Path) -> str:
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    admin_url = server.get_uri()

    async def create_database() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE_NAME)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        finally:
            await conn.close()

    asyncio.run(create_database())
    # Keep a reference so the server lives as long as this process.
    start_embedded_postgres.server = server  # type: ignore[attr-defined]
    return admin_url.replace("/postgres?", f"/{DATABASE_NAME}?", 1)


def python_path() -> str:
    paths = [str(REPO_ROOT)] + [str(REPO_ROOT / "services" / s.name) for s in SERVICES]
    existing = os.environ.get("PYTHONPATH")
    return os.pathsep.join(paths + ([existing] if existing else []))


def wait_until_ready(base_port_offset: int, timeout: float = 60.0) -> dict[str, bool]:
    deadline = time.monotonic() + timeout
    ready = {s.name: False for s in SERVICES}
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline and not all(ready.values()):
            for spec in SERVICES:
                if ready[spec.name]:
                    continue
                try:
                    answer = client.get(f"http://127.0.0.1:{spec.port + base_port_offset}/ready")
                    ready[spec.name] = answer.status_code == 200 and answer.json().get("ready") is True
                except httpx.HTTPError:
                    pass
            time.sleep(0.3)
    return ready


def prepare_database(owner_url: str, roles: list[DatabaseRole], passwords: dict[str, str]) -> None:
    """Every migration, the council calendar's adoption, and the sealing of a log recorded before
    sealing, if it holds one."""
    for adoption in bring_to_head(owner_url, roles, passwords):
        print("council calendar:", adoption.describe(), flush=True)
    if asyncio.run(sealing_needed_at(owner_url)):
        asyncio.run(seal_as_configured(owner_url, actor=DEVELOPMENT_ACTOR, say=_say))


def load_first_council(
    owner_url: str, passwords: dict[str, str], size: str = "small", keys: tuple[Path, Path] | None = None
) -> bool:
    """The small council, up to today, into a log with no events; a log that has any is left as
    it is. False when it could not be built (the reason printed)."""
    from synthetic_council.running import BuildStopped, build, events_in
    from synthetic_council.sizes import size_named

    if asyncio.run(events_in(owner_url)):
        return True
    print(f"first start: building the {size} council (seed {FIRST_COUNCIL_SEED}; --empty skips this) ...",
          flush=True)
    try:
        built = asyncio.run(
            build(owner_url, size_named(size), FIRST_COUNCIL_SEED, SystemClock().today(), passwords=passwords,
                  keys=keys, say=_say)
        )
    except BuildStopped as exc:
        print(f"the {size} council could not be built: {exc}", file=sys.stderr)
        return False
    print(f"the {size} council is built: {built.calls:,} calls, {built.events:,} events, "
          f"in {built.seconds:,.0f} s", flush=True)
    return True


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every service locally.")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / ".dev" / "pgdata")
    parser.add_argument("--port-offset", type=int, default=0, help="added to every service's port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--empty", action="store_true",
                        help="on first start, leave the database empty instead of building the small council")
    args = parser.parse_args(argv)

    owner_url = os.environ.get("DATABASE_URL") or start_embedded_postgres(args.data_dir)
    owner_url = asyncpg_url(owner_url)
    roles = database_roles()
    passwords = role_passwords(roles)
    print("applying migrations ...", flush=True)
    prepare_database(owner_url, roles, passwords)
    ensure_dev_keys()
    if not args.empty and not load_first_council(owner_url, passwords):
        return 1

    children: list[subprocess.Popen] = []
    for spec in SERVICES:
        port = spec.port + args.port_offset
        # Each service as its own role, never as the owner that migrated.
        own_url = url_for_role(owner_url, spec.db_role, passwords.get(spec.db_role))
        env = {**os.environ, "DATABASE_URL": own_url, "PYTHONPATH": python_path()}
        # No logging options: whatever command starts it, each app writes JSON lines at
        # LOG_LEVEL, uvicorn's included (shared/observability/logs.py), as in production.
        children.append(
            subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", spec.app, "--host", args.host,
                 "--port", str(port)],
                env=env,
                cwd=REPO_ROOT,
            )
        )

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        raise SystemExit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    ready = wait_until_ready(args.port_offset)
    for spec in SERVICES:
        port = spec.port + args.port_offset
        state = "ready" if ready[spec.name] else "NOT READY"
        print(f"{spec.name:<14} http://{args.host}:{port}   (docs: /docs)   {state}", flush=True)
    if not all(ready.values()):
        print("some services did not become ready; see their output above", file=sys.stderr)
        stop()
    print("all services ready; Ctrl-C stops them", flush=True)
    while True:
        for child in children:
            if child.poll() is not None:
                print(f"a service exited with code {child.returncode}; stopping", file=sys.stderr)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    raise SystemExit(main())
