"""Settings every service reads from its environment (pydantic-settings).

A service refuses to start in production with development keys, a missing identity-provider
address or a placeholder value, rather than running insecurely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.migrations import REPO_ROOT

DEV_KEY_DIR = REPO_ROOT / ".dev" / "keys"
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "placeholder", "todo", "xxx"}


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="",
        description="postgresql://user:password@host:port/database (asyncpg); required",
    )
    database_pool_min: int = 1
    database_pool_max: int = 10

    # Tokens: the council's identity provider in production, a local key pair in development.
    jwt_issuer: str = "https://identity.council.example/dev"
    jwt_audience: str = "education-services"
    jwks_url: str | None = None
    jwks_cache_seconds: int = 300
    dev_public_key_path: Path = DEV_KEY_DIR / "dev-signing-key.pub.pem"

    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = 1_048_576
    write_rate_per_minute: int = 600

    subscription_poll_seconds: float = 1.0
    scheduler_interval_seconds: float = 60.0

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
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self
