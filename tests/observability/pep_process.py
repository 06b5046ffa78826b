"""The pep service in a process of its own, configured by its environment alone, as deployed: it
records the child given as JSON entering care, stops, exits, and prints as JSON the answer's
status, the metadata the log stored with the event, and whether the process traced anything.
Run by test_observability_export.py; the token is in TEST_TOKEN."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

from opentelemetry import trace
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from pep.main import create_app

from shared.clock import FixedClock
from shared.testing.fixtures import in_process


async def main(child: dict, token: str) -> dict:
    app = create_app()
    clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    async with in_process(app, clock) as client:
        answer = await client.post("/children", json=child, headers={"Authorization": f"Bearer {token}"})
        entered = await app.state.store.read_all(event_types=["ChildEnteredCare"])
    return {
        "status": answer.status_code,
        "metadata": [event.metadata for event in entered],
        "tracer_provider_installed": isinstance(trace.get_tracer_provider(), TracerProvider),
        "database_calls_traced": AsyncPGInstrumentor().is_instrumented_by_opentelemetry,
    }


if __name__ == "__main__":
    # Printed before the process exits; spans still queued are sent to the collector at exit.
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1]), os.environ["TEST_TOKEN"]))))
