"""Each service's app starts on a migrated database and reports itself ready; settings refuse
to run production insecurely."""

from __future__ import annotations

import importlib

import pytest
from pydantic import ValidationError

from shared.services import SERVICES
from shared.settings import ServiceSettings


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_a_service_is_healthy_and_ready_with_its_openapi_document(service_client, spec):
    module_name, factory = spec.app.split(":")
    create_app = getattr(importlib.import_module(module_name), factory)
    async with service_client(create_app) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}
        ready = await client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["migrations"] is True
        openapi = (await client.get("/openapi.json")).json()
        assert openapi["openapi"].startswith("3.")
        assert ready.headers["x-content-type-options"] == "nosniff"
        # Logged in as its own role, as in production: never the owner that migrated.
        assert await client.app.state.pool.fetchval("SELECT current_user") == spec.db_role


async def test_a_service_is_not_ready_when_its_migrations_are_behind(service_client, pool):
    from schools.main import create_app

    async with service_client(create_app) as client:
        async with pool.acquire() as conn:
            await conn.execute("UPDATE schools.alembic_version SET version_num = 'older'")
        ready = await client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["migrations"] is False


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({"jwks_url": None}, "JWKS_URL"),
        ({"jwks_url": "changeme"}, "JWKS_URL"),
        ({"jwks_url": "http://idp.example/jwks"}, "https"),
        ({"database_url": ""}, "DATABASE_URL"),
        ({"jwt_issuer": "https://identity.council.example/dev"}, "JWT_ISSUER"),
    ],
)
def test_production_refuses_to_start_with_missing_or_placeholder_secrets(overrides, complaint):
    good = {
        "environment": "production",
        "database_url": "postgresql://u:p@db/education",
        "jwks_url": "https://idp.council.example/.well-known/jwks.json",
        "jwt_issuer": "https://idp.council.example",
        "personal_data_master_key": "c2VhbGluZyBrZXkgb2YgdGhlIHRlc3QgY291bmNpbCE=",
    }
    with pytest.raises(ValidationError) as refused:
        ServiceSettings(**{**good, **overrides})
    assert complaint in str(refused.value)
