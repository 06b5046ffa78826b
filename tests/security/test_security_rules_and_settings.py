"""Rules that cannot be written wrongly, and settings that cannot be set insecurely."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.security.access import WriteRateLimiter, access_rule_of, allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.settings import ServiceSettings

PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql://u:p@db/education",
    "jwks_url": "https://idp.council.example/.well-known/jwks.json",
    "jwt_issuer": "https://idp.council.example",
    "personal_data_master_key": "c2VhbGluZyBrZXkgb2YgdGhlIHRlc3QgY291bmNpbCE=",
}


@pytest.mark.parametrize(
    "roles, options, complaint",
    [
        ((Role.AUDITOR, Role.VIRTUAL_SCHOOL_HEAD), {"writes": True}, "auditors read"),
        ((Role.SERVICE,), {}, "by scope"),
        ((Role.VIRTUAL_SCHOOL_HEAD,), {"scope": "pep:read", "writes": True}, "write rule"),
        ((Role.AUDITOR,), {"scope": "pep:write"}, "read rule"),
        ((Role.AUDITOR,), {"scope": "pep"}, "read rule"),
    ],
)
def test_a_rule_that_could_let_the_wrong_caller_write_cannot_be_declared(roles, options, complaint):
    with pytest.raises(ValueError, match=complaint):
        allow(*roles, **options)


def test_a_service_account_is_admitted_by_its_scope_alone():
    rule = access_rule_of(allow(Role.FINANCE_OFFICER, scope="pupil-premium:write", writes=True))
    feed = Principal(subject="finance-system", role=Role.SERVICE, scopes=frozenset({"pupil-premium:read"}))
    payer = Principal(subject="finance-system", role=Role.SERVICE, scopes=frozenset({"pupil-premium:write"}))
    officer = Principal(subject="fo", role=Role.FINANCE_OFFICER, scopes=frozenset({"pupil-premium:write"}))
    head = Principal(subject="vsh", role=Role.VIRTUAL_SCHOOL_HEAD, scopes=frozenset({"pupil-premium:write"}))
    assert (rule.allows(feed), rule.allows(payer), rule.allows(officer), rule.allows(head)) == (
        False, True, True, False
    )


def test_the_write_rate_limiter_counts_per_caller_in_a_sliding_minute_and_forgets_the_idle():
    now = [0.0]
    limiter = WriteRateLimiter(per_minute=2, clock=lambda: now[0])
    assert [limiter.admit("alice") for _ in range(3)] == [True, True, False]
    assert limiter.admit("bob")
    now[0] = 61.0
    assert limiter.admit("alice")
    for n in range(10_001):
        limiter.admit(f"caller-{n}")
    assert limiter.callers_remembered == 10_002  # alice and the burst; bob, idle a minute, is forgotten
    now[0] = 200.0
    limiter.admit("carol")
    assert limiter.callers_remembered == 1


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({"cors_origins": ["http://education.council.example"]}, "CORS_ORIGINS must use https"),
        ({"jwt_audience": "changeme"}, "JWT_AUDIENCE"),
        ({"jwt_issuer": "placeholder"}, "JWT_ISSUER"),
        ({"database_url": "changeme"}, "DATABASE_URL"),
    ],
)
def test_production_refuses_insecure_or_placeholder_settings(overrides, complaint):
    with pytest.raises(ValidationError, match=complaint):
        ServiceSettings(**{**PRODUCTION, **overrides})


@pytest.mark.parametrize("origins", ["*", "https://*.council.example", "education.council.example", "https://x.example/"])
def test_cors_origins_must_be_exact_origins_anywhere(origins, monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", origins)
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        ServiceSettings()


@pytest.mark.parametrize(
    "text", ["https://a.council.example,https://b.council.example", '["https://a.council.example", "https://b.council.example"]']
)
def test_cors_origins_read_from_the_environment_as_a_list_or_json(text, monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", text)
    assert ServiceSettings().cors_origins == ["https://a.council.example", "https://b.council.example"]


def test_production_starts_with_its_identity_provider_and_front_end_configured():
    settings = ServiceSettings(**PRODUCTION, cors_origins=["https://education.council.example"])
    assert settings.jwks_url.startswith("https://")


@pytest.mark.parametrize("name", ["max_request_bytes", "write_rate_per_minute", "jwks_cache_seconds"])
def test_limits_cannot_be_switched_off_with_zero(name):
    with pytest.raises(ValidationError):
        ServiceSettings(**{name: 0})
