"""Settings every service reads from its environment (pydantic-settings).

A service refuses to start in production with development keys, a missing identity-provider
address or a placeholder value, rather than running insecurely.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.database import DatabaseTimeouts
from shared.migrations import REPO_ROOT

DEV_KEY_DIR = REPO_ROOT / ".dev" / "keys"
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "placeholder", "todo", "xxx"}


def _in_capitals(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # The least severe log lines written (docs/operations.md, "Logs"); any case: LOG_LEVEL=debug.
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(_in_capitals)
    ] = "INFO"
    database_url: str = Field(
        default="",
        description="postgresql://user:password@host:port/database (asyncpg); required",
    )
    database_pool_min: int = 1
    database_pool_max: int = 10
    # Limits on waiting for the database (seconds); see docs/operations.md.
    database_connect_timeout: float = Field(default=DatabaseTimeouts.connect_seconds, gt=0)
    database_statement_timeout: float = Field(default=DatabaseTimeouts.statement_seconds, gt=0)
    database_lock_timeout: float = Field(default=DatabaseTimeouts.lock_seconds, gt=0)
    database_idle_in_transaction_timeout: float = Field(
        default=DatabaseTimeouts.idle_in_transaction_seconds, gt=0
    )
    # How long the log writer waits for a pooled connection before answering "retry later".
    database_acquire_timeout: float = Field(default=10.0, gt=0)

    # Tokens: the council's identity provider in production, a local key pair in development.
    jwt_issuer: str = "https://identity.council.example/dev"
    jwt_audience: str = "education-services"
    jwks_url: str | None = None
    jwks_cache_seconds: int = Field(default=300, gt=0)
    # A token naming an unknown key id re-fetches the key set at most this often.
    jwks_refresh_cooldown_seconds: float = Field(default=30.0, ge=0)
    dev_public_key_path: Path = DEV_KEY_DIR / "dev-signing-key.pub.pem"

    # Personal data in events is sealed with a key per child, each wrapped by a master key
    # (docs/privacy.md): 32 bytes, base64 (openssl rand -base64 32). Development and test
    # databases use a fixed development key when it is not set; production refuses to start.
    personal_data_master_key: str = Field(default="", repr=False)
    # Or a council's key store: "package.module:factory", called with these settings, returning a
    # shared.privacy.keys.KeyWrapper that wraps and unwraps through the council's KMS.
    personal_data_key_wrapper: str = ""

    # The front end's origin(s), e.g. CORS_ORIGINS=https://education.council.example
    # (comma-separated, or a JSON list). Empty: no browser on another origin may call us.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_request_bytes: int = Field(default=1_048_576, gt=0)
    # Back-pressure (docs/operations.md, "Overload"): past these bounds a request is answered at
    # once with 503 and Retry-After rather than queued without limit.
    max_requests_in_flight: int = Field(default=256, gt=0)
    max_queued_appends: int = Field(default=10_000, gt=0)
    overload_retry_after_seconds: int = Field(default=1, gt=0)
    write_rate_per_minute: int = Field(default=600, gt=0)

    subscription_poll_seconds: float = 1.0
    scheduler_interval_seconds: float = 60.0
    # How long a request sent with Min-Log-Position may be held for the read models to catch up.
    consistency_wait_seconds: float = Field(default=2.0, gt=0)
    # /ready names a subscription as degraded when the oldest event it has not applied was
    # recorded longer ago than this.
    ready_lag_seconds: float = Field(default=60.0, gt=0)

    def database_timeouts(self) -> DatabaseTimeouts:
        return DatabaseTimeouts(
            connect_seconds=self.database_connect_timeout,
            statement_seconds=self.database_statement_timeout,
            lock_seconds=self.database_lock_timeout,
            idle_in_transaction_seconds=self.database_idle_in_transaction_timeout,
        )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins_from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_exact(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin == "*" or "*" in origin:
                raise ValueError("CORS_ORIGINS must name the front end's origin, not a wildcard")
            if not origin.startswith(("https://", "http://")) or origin.endswith("/"):
                raise ValueError(f"CORS_ORIGINS entries are origins like https://host[:port]: {origin!r}")
        return origins

    @model_validator(mode="after")
    def _production_is_configured(self) -> ServiceSettings:
        if self.environment != "production":
            return self
        problems = []
        if not self.database_url or self.database_url.strip().lower() in PLACEHOLDERS:
            problems.append("DATABASE_URL must be set")
        if not self.jwks_url or self.jwks_url.strip().lower() in PLACEHOLDERS:
            problems.append("JWKS_URL must point at the council's identity provider")
        elif not self.jwks_url.startswith("https://"):
            problems.append("JWKS_URL must use https")
        if self.jwt_issuer.endswith("/dev") or self.jwt_issuer.strip().lower() in PLACEHOLDERS:
            problems.append("JWT_ISSUER must be the identity provider's issuer, not the development one")
        if self.jwt_audience.strip().lower() in PLACEHOLDERS:
            problems.append("JWT_AUDIENCE must be set")
        if not self.personal_data_key_wrapper:
            problems.extend(_master_key_problems(self.personal_data_master_key))
        if any(not origin.startswith("https://") for origin in self.cors_origins):
            problems.append("CORS_ORIGINS must use https")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self


def _master_key_problems(text: str) -> list[str]:
    from shared.privacy.keys import DEVELOPMENT_MASTER_KEY, decode_master_key

    if not text.strip() or text.strip().lower() in PLACEHOLDERS:
        return ["PERSONAL_DATA_MASTER_KEY (or PERSONAL_DATA_KEY_WRAPPER) must be set"]
    try:
        key = decode_master_key(text)
    except ValueError as exc:
        return [str(exc)]
    if key == DEVELOPMENT_MASTER_KEY:
        return ["PERSONAL_DATA_MASTER_KEY must not be the development key"]
    return []


@contextmanager
def settings_from(**values: str) -> Iterator[None]:
    """Settings are read from the environment when an app is built, and only then: these
    variables set just while one is built (tests and the synthetic council build apps in-process)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
