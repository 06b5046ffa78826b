"""Run the counting subscription in its own process, printing each event as it is applied
(inside the uncommitted batch), so a test can kill it mid-batch with SIGKILL."""

from __future__ import annotations

import asyncio
import sys

import asyncpg

from shared.eventlog import Subscription
from shared.eventlog.store import init_connection

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from counting_projection import CountingProjection  # noqa: E402


async def main(dsn: str) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2, init=init_connection)

    async def slow_report(event) -> None:
        print(f"applied {event.position}", flush=True)
        await asyncio.sleep(0.002)

    await Subscription(pool, CountingProjection(on_apply=slow_report), batch_size=100).catch_up()
    print("finished", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
