"""docker-compose.yml and deploy/ describe the same services as the repository."""

from __future__ import annotations

from pathlib import Path

import yaml

from shared.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
INFRASTRUCTURE = {"postgres", "migrate", "gateway"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_in_the_repository_has_a_container_and_vice_versa():
    in_compose = set(compose()["services"]) - INFRASTRUCTURE
    in_repo = {p.name for p in (ROOT / "services").iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert in_compose == in_repo
    assert {s.name for s in SERVICES} == in_repo


def test_each_container_runs_its_own_services_app():
    services = compose()["services"]
    for spec in SERVICES:
        assert services[spec.name]["environment"]["SERVICE_APP"] == spec.app
        module = spec.app.split(":")[0].replace(".", "/") + ".py"
        assert (ROOT / "services" / spec.name / module).is_file(), module


def test_services_start_only_after_migrations_and_run_in_production_mode():
    services = compose()["services"]
    for spec in SERVICES:
        entry = services[spec.name]
        assert entry["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert entry["environment"]["ENVIRONMENT"] == "production"
        assert "JWKS_URL" in entry["environment"]
    assert services["migrate"]["command"] == ["python", "-m", "shared.migrate"]


def test_the_gateway_routes_a_prefix_to_every_service():
    conf = (ROOT / "deploy" / "gateway.conf").read_text()
    for spec in SERVICES:
        assert f"location /{spec.name}/" in conf
        assert f"server {spec.name}:8000;" in conf
    gateway_deps = set(compose()["services"]["gateway"]["depends_on"])
    assert gateway_deps == {s.name for s in SERVICES}


def test_the_image_installs_the_pinned_requirements_and_copies_every_service():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for spec in SERVICES:
        assert f"/app/services/{spec.name}" in dockerfile


def test_each_service_logs_in_as_its_own_role_and_only_the_migrate_step_as_the_owner():
    services = compose()["services"]
    owner = services["postgres"]["environment"]["POSTGRES_USER"]
    for spec in SERVICES:
        environment = services[spec.name]["environment"]
        url = environment["DATABASE_URL"]
        assert url.startswith(f"postgresql://{spec.db_role}:${{{spec.password_env}:?"), url
        assert url.endswith("@postgres:5432/education")
        # Nothing of the owner's: not its user, not its password.
        assert not any("POSTGRES_PASSWORD" in str(value) for value in environment.values()), spec.name
        assert f"//{owner}:" not in url
    migrate = services["migrate"]["environment"]
    assert migrate["MIGRATION_DATABASE_URL"].startswith(f"postgresql://{owner}:${{POSTGRES_PASSWORD:?")
    # The migrate step sets every service role's password, from the same variable the service uses.
    assert {name for name in migrate if name.endswith("_DB_PASSWORD")} == {s.password_env for s in SERVICES}
    for spec in SERVICES:
        assert migrate[spec.password_env] == f"${{{spec.password_env}:?set {spec.password_env}}}"
    # Every role's password is a secret the operator gives; none is written down here.
    text = (ROOT / "docker-compose.yml").read_text()
    assert "DB_PASSWORD:-" not in text and "POSTGRES_PASSWORD:-" not in text
