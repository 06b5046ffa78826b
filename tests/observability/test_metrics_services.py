"""Every service answers GET /metrics without a token, in the Prometheus text format, with the
series that apply to it, each labelled with the service's name."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from shared.eventlog import NewEvent
from shared.services import SERVICES

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from metrics_support import first_run_over, scrape  # noqa: E402
from security_route_table import app_factory  # noqa: E402

EVERY_SERVICE = {
    "http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_count",
    "eventlog_append_duration_seconds_bucket", "eventlog_append_group_size_bucket",
    "eventlog_writer_queue_depth", "eventlog_head_position",
    "db_pool_connections_in_use", "db_pool_connections_max", "metrics_scrape_errors_total",
}
WITH_SUBSCRIPTIONS = {"subscription_events_behind", "subscription_seconds_behind", "subscription_parked_events"}
WITH_JOBS = {"scheduler_last_success_timestamp_seconds", "scheduler_deadlines_due"}
CHECKING_THE_LOG = {
    "eventlog_chain_verification_last_success", "eventlog_chain_verification_last_run_timestamp_seconds",
    "eventlog_checkpoint_last_published_timestamp_seconds", "eventlog_checkpoint_publications_failed_total",
}
EXPECTED = {
    "schools": EVERY_SERVICE | WITH_SUBSCRIPTIONS | WITH_JOBS,
    "pep": EVERY_SERVICE | WITH_SUBSCRIPTIONS | WITH_JOBS,
    "pupil-premium": EVERY_SERVICE | WITH_SUBSCRIPTIONS,
    "notices": EVERY_SERVICE | WITH_SUBSCRIPTIONS | WITH_JOBS,
    "event-log": EVERY_SERVICE | WITH_JOBS | CHECKING_THE_LOG,
}
EVERY_NAME = set().union(*EXPECTED.values())


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_every_service_exposes_the_metrics_that_apply_to_it_labelled_with_its_name(
    spec, service_client, store
):
    # Something in the log, so the event-log service's job verifies it and signs a checkpoint.
    await store.append("count-1", [NewEvent(event_type="Counted", data={"n": 1}, effective_date=date(2026, 11, 2))])
    async with service_client(app_factory(spec)) as client:
        await first_run_over(client.app.state.scheduler)
        assert (await client.get("/health")).status_code == 200

        found = await scrape(client)

    names = set(found.samples)
    assert EXPECTED[spec.name] <= names, f"missing: {sorted(EXPECTED[spec.name] - names)}"
    assert not (EVERY_NAME - EXPECTED[spec.name]) & names, "series of another kind of service"
    unlabelled = [name for name, samples in found.samples.items() for labels, _ in samples
                  if labels.get("service") != spec.name]
    assert not unlabelled, f"not labelled service={spec.name}: {sorted(set(unlabelled))}"
    assert found.value("eventlog_head_position") == 1
    assert found.value("http_requests_total", method="GET", route="/health", status="200") == 1
    assert found.value("db_pool_connections_max") == client.app.state.pool.get_max_size()


async def test_the_scheduler_metrics_say_when_each_job_last_succeeded_and_what_it_found_due(service_client):
    from pep.main import create_app

    async with service_client(create_app) as client:
        scheduler = client.app.state.scheduler
        await first_run_over(scheduler)
        found = await scrape(client)

    assert scheduler.job_names == ["pep-overdue", "pep-missing-education"]
    for job in scheduler.job_names:
        assert found.value("scheduler_last_success_timestamp_seconds", scheduled_job=job) == (
            scheduler.last_successes[job].finished_at
        )
        assert found.value("scheduler_deadlines_due", scheduled_job=job) == 0  # no child in care, nothing due


def test_the_alert_rules_and_the_dashboard_ask_only_for_series_the_services_expose():
    """A renamed metric would leave an alert that can never fire: every series the rules and the
    dashboard query is one of those checked above."""
    deploy = Path(__file__).parents[2] / "deploy"
    rules = yaml.safe_load((deploy / "prometheus" / "alerts.yml").read_text())
    dashboard = json.loads((deploy / "grafana" / "education-services.json").read_text())
    queries = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    queries += [panel["targets"][0]["expr"] for panel in dashboard["panels"]]
    asked = set()
    for query in queries:
        asked |= set(re.findall(r"\b((?:http|eventlog|subscription|scheduler|db_pool)_[a-z_]+)", query))
    exposed = EVERY_NAME | {name.removesuffix("_bucket") + suffix for name in EVERY_NAME for suffix in ("_sum", "_count")}
    assert asked, "no series found in the rules and dashboard"
    assert asked <= exposed, f"not exposed by any service: {sorted(asked - exposed)}"
