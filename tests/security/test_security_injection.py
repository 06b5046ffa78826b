"""SQL-injection-shaped input in every string filter of every service: no server error, no SQL
or PostgreSQL error shown, whatever the route."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from shared.security.principal import Principal
from shared.services import SERVICES
from shared.web.context import PoolDep

sys.path.insert(0, str(Path(__file__).parent))
from security_probes import probe_string_inputs  # noqa: E402
from security_route_table import app_factory, routes_of  # noqa: E402
from security_test_app import (  # noqa: E402
    HOME_URN,
    READ_CHILD,
    children_router,
    create_children_table,
    create_security_test_app,
)


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_no_string_filter_of_a_service_errs_or_leaks_on_injection_shaped_input(spec, service_client, token):
    async with service_client(app_factory(spec)) as client:
        problems, probes = await probe_string_inputs(client.app, routes_of(spec.name, client.app), token)
    assert not problems, f"{len(problems)} of {probes} probes:\n" + "\n".join(problems)


async def test_the_security_test_services_safe_filter_passes_the_probe(service_client, token, pool):
    await create_children_table(pool, [("C1", "O'Brien", HOME_URN)])
    async with service_client(create_security_test_app) as client:
        found = routes_of("security-test", client.app)
        problems, probes = await probe_string_inputs(client.app, found, token)
        named = await client.get("/children", params={"name": "o'bri"}, headers={"Authorization": f"Bearer {token('auditor')}"})
    assert [c["name"] for c in named.json()] == ["O'Brien"]  # quotes are data, not syntax
    assert probes == 9 * 3 and not problems, problems  # ?name=, {child_id} and {urn}


def vulnerable_router() -> APIRouter:
    """What the probe exists to catch: SQL built from text, and the database's complaint shown."""
    router = APIRouter()

    @router.get("/careless-search")
    async def careless_search(principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep, name: str = ""):
        try:
            rows = await pool.fetch(f"SELECT child_id FROM security_test.children WHERE name = '{name}'")
        except Exception as exc:  # noqa: BLE001 - deliberately careless
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return [dict(r) for r in rows]

    @router.get("/crashing-search")
    async def crashing_search(principal: Annotated[Principal, Depends(READ_CHILD)], pool: PoolDep, name: str = ""):
        return [dict(r) for r in await pool.fetch(f"SELECT child_id FROM security_test.children WHERE name = '{name}'")]

    return router


async def test_the_probe_catches_sql_built_from_text(service_client, token, pool):
    from shared.settings import ServiceSettings
    from shared.web.app import create_service_app

    from security_test_app import CATALOGUE

    await create_children_table(pool, [("C1", "Ada", HOME_URN)])

    def careless_app():
        return create_service_app(
            name="security-test", title="careless", description="careless", settings=ServiceSettings(),
            catalogue=CATALOGUE, routers=[vulnerable_router(), children_router()],
        )

    async with service_client(careless_app) as client:
        problems, _ = await probe_string_inputs(client.app, routes_of("security-test", client.app), token)
    careless = [p for p in problems if "/careless-search" in p]
    crashing = [p for p in problems if "/crashing-search" in p]
    assert any("syntax error" in p or "unterminated" in p for p in careless), problems
    assert crashing and all("a server error" in p for p in crashing)
