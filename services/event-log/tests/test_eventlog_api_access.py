"""Who may read the event log, and that nothing in it writes but the data protection officer's
records (``/privacy/...``), which they alone keep."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.routing import APIRoute

from shared.security.access import access_rule_of
from shared.security.roles import Role

from eventlog_api_support import event_log_app, raw


def _api_routes(routes):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # a router included in the app
            yield from _api_routes(route.original_router.routes)


def _routes(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://reader@localhost/education")
    app = event_log_app()()
    # The probes, the metrics, and the catalogue of problem types every service publishes, answer
    # anyone (the gateway routes neither the probes nor the metrics).
    public = ("/health", "/ready", "/metrics", "/problems", "/problems/{slug}")
    return [r for r in _api_routes(app.routes) if r.path not in public]


PRIVACY = "/privacy/"


def test_every_route_but_the_privacy_records_reads_and_is_guarded_by_the_event_log_read_rule(monkeypatch):
    routes = [r for r in _routes(monkeypatch) if not r.path.startswith(PRIVACY)]
    assert {"/feed", "/feed/events", "/verification", "/checkpoints/check", "/exports/feed"} <= {
        r.path for r in routes
    }
    for route in routes:
        assert route.methods <= {"GET", "HEAD"}, f"{route.path} writes"
        rules = [access_rule_of(d.call) for d in route.dependant.dependencies]
        rules = [r for r in rules if r is not None]
        assert len(rules) == 1, f"{route.path} has no access rule"
        rule = rules[0]
        assert not rule.writes
        if route.path == "/record-reads":  # who read which child: auditors alone
            assert rule.scope is None
            assert rule.roles == {Role.AUDITOR}
            continue
        if route.path == "/privacy/children/{child_id}/subject-access":  # for a person to check and send
            assert rule.scope is None
            assert rule.roles == {Role.DATA_PROTECTION_OFFICER, Role.VIRTUAL_SCHOOL_HEAD, Role.AUDITOR}
            continue
        assert rule.scope == "event-log:read"
        assert rule.roles == {Role.AUDITOR, Role.PRINCIPAL_ADVISER, Role.VIRTUAL_SCHOOL_HEAD}


SUBJECT_ACCESS = "/privacy/children/{child_id}/subject-access"


def test_the_privacy_records_are_kept_by_the_data_protection_officer_alone_and_read_by_auditors_too(monkeypatch):
    routes = [r for r in _routes(monkeypatch) if r.path.startswith(PRIVACY)]
    writes = set()
    for route in routes:
        [rule] = [r for r in (access_rule_of(d.call) for d in route.dependant.dependencies) if r is not None]
        assert rule.scope is None, f"{route.path}: no service account keeps or reads these records"
        if route.path == SUBJECT_ACCESS:
            # A child's subject access report: the virtual school head answers for the child's
            # education record too.
            readers = {Role.DATA_PROTECTION_OFFICER, Role.VIRTUAL_SCHOOL_HEAD, Role.AUDITOR}
            assert (rule.roles, rule.writes) == (readers, False), route.path
        elif route.methods <= {"GET", "HEAD"}:
            assert (rule.roles, rule.writes) == ({Role.DATA_PROTECTION_OFFICER, Role.AUDITOR}, False), route.path
        else:
            assert (rule.roles, rule.writes) == ({Role.DATA_PROTECTION_OFFICER}, True), route.path
            writes |= {(method, route.path) for method in route.methods}
    assert writes == {
        ("PUT", "/privacy/retention-schedule"),
        ("POST", "/privacy/children/{child_id}/legal-holds"),
        ("POST", "/privacy/children/{child_id}/legal-holds/{hold_id}/lift"),
        ("POST", "/privacy/children/{child_id}/erasure"),
    }


async def test_a_request_without_a_token_is_refused(client):
    response = await client.get("/feed")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "role, kwargs, status",
    [
        ("auditor", {}, 200),
        ("principal_adviser", {}, 200),
        ("virtual_school_head", {}, 200),
        ("service", {"scopes": ["event-log:read"]}, 200),
        ("service", {"scopes": ["schools:read"]}, 403),
        ("designated_teacher", {"urn": "100001"}, 403),
        ("social_worker", {}, 403),
        ("finance_officer", {}, 403),
        ("school_improvement_adviser", {}, 403),
        ("virtual_school_officer", {}, 403),
    ],
)
async def test_only_auditors_advisers_the_head_and_feed_accounts_read(
    client, auth, log, role, kwargs, status
):
    await log.append("school-100001", [raw("SchoolRegistered", {"urn": "100001"}, date(2024, 9, 1))])
    for path in ("/feed", "/streams/school-100001", "/catalogue", "/verification", "/exports/feed"):
        response = await client.get(path, headers=auth(role, **kwargs))
        assert response.status_code == status, (path, response.text)
    if status == 403:
        assert response.json()["field"] == "authorization"


async def test_auditors_see_who_read_a_childs_record_and_nobody_else_may(client, auth, log):
    await log.append(
        "child-C77", [raw("ChildEnteredCare", {"child_id": "C77"}, date(2025, 1, 6), subjects=("child:C77",))]
    )
    head = auth("virtual_school_head", sub="vsh-amina")
    assert (await client.get("/children/C77/timeline", headers=head)).status_code == 200

    reads = await client.get("/record-reads", params={"child_id": "C77"}, headers=auth("auditor"))
    assert reads.status_code == 200
    [read] = [r for r in reads.json()["items"] if r["actor"] == "vsh-amina"]
    assert read["child_id"] == "C77"
    assert read["role"] == "virtual_school_head"
    assert read["service"] == "event-log"
    assert "/children/{child_id}/timeline" in read["route"]

    for role in ("virtual_school_head", "principal_adviser"):
        refused = await client.get("/record-reads", headers=auth(role))
        assert refused.status_code == 403
    naive = await client.get("/record-reads", params={"read_from": "2026-01-01T00:00:00"}, headers=auth("auditor"))
    assert naive.status_code == 422
    assert naive.json()["field"] == "read_from"
