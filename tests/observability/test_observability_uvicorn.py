"""Run as production runs it (uvicorn loading the app factory, with uvicorn's own logging options
left as they are), a service writes nothing but JSON lines: uvicorn's lines too, at the service's
level, and one access line per request, the service's own, never uvicorn's."""

from __future__ import annotations

import json
import signal

import httpx

from shared.observability.logs import ACCESS_LOGGER
from shared.testing.served import served


async def test_the_production_command_writes_json_lines_only_and_one_access_line_per_request(
    service_database_url, signing_keys
):
    environment = {
        "DATABASE_URL": service_database_url("schools"),
        "ENVIRONMENT": "test",
        "DEV_PUBLIC_KEY_PATH": str(signing_keys[1]),
    }
    async with served("schools", environment) as schools:
        async with httpx.AsyncClient(base_url=schools.base_url, timeout=10) as client:
            answer = await client.get("/health", headers={"X-Request-Id": "probe-7f3a"})
            assert answer.status_code == 200
        schools.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then ends itself with the signal it was sent.
        assert await schools.stopped(timeout=30) == -signal.SIGTERM
        lines = [json.loads(line) for line in schools.lines()]

    assert all(line["service"] == "schools" for line in lines)
    uvicorn_lines = [line["event"] for line in lines if line["logger"].startswith("uvicorn")]
    assert "Application startup complete." in uvicorn_lines
    assert "Application shutdown complete." in uvicorn_lines
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]
    [probe] = [line for line in lines if line.get("request_id") == "probe-7f3a"]
    assert probe["logger"] == ACCESS_LOGGER
    assert (probe["method"], probe["route"], probe["status"]) == ("GET", "/health", 200)
