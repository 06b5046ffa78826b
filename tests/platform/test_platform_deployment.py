"""docker-compose.yml and deploy/ describe the same services as the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from shared.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
INFRASTRUCTURE = {"postgres", "migrate", "gateway", "prometheus", "otel-collector"}


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


def test_docs_load_their_openapi_document_through_the_gateway():
    """Each service knows its prefix at the gateway (uvicorn --root-path), so /docs asks for
    /<prefix>/openapi.json, which the gateway routes back to it."""
    services = compose()["services"]
    assert '--root-path \\"${ROOT_PATH:-}\\"' in (ROOT / "deploy" / "Dockerfile").read_text()
    for spec in SERVICES:
        assert services[spec.name]["environment"]["ROOT_PATH"] == f"/{spec.name}"


def test_the_gateway_keeps_a_clients_request_id_and_never_serves_metrics():
    conf = (ROOT / "deploy" / "gateway.conf").read_text()
    assert "default $http_x_request_id;" in conf
    assert "proxy_set_header X-Request-Id      $forwarded_request_id;" in conf
    metrics_block = re.search(r"location ~ \^/\[\^/\]\+/metrics\$ \{ return 404; \}", conf)
    assert metrics_block is not None
    # The regular-expression location is listed before the prefixes it must win over.
    assert metrics_block.start() < conf.index("location /schools/")


def test_forwarded_headers_are_trusted_from_the_gateway_only():
    services = compose()["services"]
    gateway_address = services["gateway"]["networks"]["internal"]["ipv4_address"]
    for spec in SERVICES:
        assert services[spec.name]["environment"]["FORWARDED_ALLOW_IPS"] == gateway_address


def test_a_stopping_service_has_time_to_finish_what_it_is_doing():
    grace = int(re.search(r"--timeout-graceful-shutdown (\d+)", (ROOT / "deploy" / "Dockerfile").read_text())[1])
    for spec in SERVICES:
        stop = compose()["services"][spec.name]["stop_grace_period"]
        assert int(stop.rstrip("s")) > grace


def test_prometheus_scrapes_every_service_directly():
    config = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    [job] = config["scrape_configs"]
    targets = {target for group in job["static_configs"] for target in group["targets"]}
    assert targets == {f"{spec.name}:8000" for spec in SERVICES}
    assert job["metrics_path"] == "/metrics"
    assert compose()["services"]["prometheus"]["ports"] == ["127.0.0.1:9090:9090"]


def test_every_alert_names_a_runbook_that_exists():
    rules = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
    operations = (ROOT / "docs" / "operations.md").read_text()
    anchors = {_anchor(line[2:].strip()) for line in operations.splitlines() if line.startswith("#")}
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert {rule["alert"] for rule in alerts} >= {
        "ServiceDown", "ServerErrors", "SlowRequests", "SubscriptionLagging", "ParkedEvents",
        "SchedulerNotRun", "ChainVerificationFailed",
    }
    for rule in alerts:
        anchor = rule["annotations"]["runbook"].split("#", 1)[1]
        assert anchor in anchors, (rule["alert"], anchor)


def test_the_dashboard_is_grafana_json_with_a_query_on_every_panel():
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "education-services.json").read_text())
    assert dashboard["panels"]
    assert all(panel["targets"][0]["expr"] for panel in dashboard["panels"])


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    heading = heading.lstrip("#").strip().lower()
    return re.sub(r"[^a-z0-9 -]", "", heading).replace(" ", "-")
