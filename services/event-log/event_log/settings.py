"""The event-log service's settings: the shared ones plus the checkpoint signing key and how often
the retention review runs.

In production the signing key comes from the environment (``CHECKPOINT_SIGNING_KEY``, an Ed25519
private key in PEM) and the service refuses to start without it: an unsigned or dev-signed
checkpoint would be worthless to an auditor. In development a key is created once in
``.dev/keys`` beside the development token key; under test, unless one is given, each app signs
with a fresh key of its own and never touches the developer's keys.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import Field, SecretStr, model_validator

from shared.eventlog.checkpoints import (
    CheckpointKeys,
    CheckpointSigner,
    ensure_dev_checkpoint_key,
    load_public_key,
)
from shared.settings import DEV_KEY_DIR, PLACEHOLDERS, ServiceSettings


class EventLogSettings(ServiceSettings):
    checkpoint_signing_key: SecretStr | None = Field(
        default=None, description="Ed25519 private key (PEM) that signs checkpoints; required in production"
    )
    checkpoint_retired_public_keys: list[str] = Field(
        default_factory=list,
        description="public keys (PEM) of earlier signing keys, so checkpoints they signed still verify",
    )
    checkpoint_every_seconds: float = Field(
        default=3600.0, ge=0, description="the least time between two published checkpoints"
    )
    retention_review_every_seconds: float = Field(
        default=86400.0,
        ge=0,
        description="the least time between two retention reviews (due erasures counted, interrupted "
        "ones finished)",
    )

    @model_validator(mode="after")
    def _production_has_a_signing_key(self) -> EventLogSettings:
        if self.environment != "production":
            return self
        key = self.checkpoint_signing_key.get_secret_value() if self.checkpoint_signing_key else ""
        if key.strip().lower() in PLACEHOLDERS:
            raise ValueError("refusing to start in production: CHECKPOINT_SIGNING_KEY must be set")
        return self

    def checkpoint_signer(self) -> CheckpointSigner:
        if self.checkpoint_signing_key is not None:
            return CheckpointSigner.from_pem(self.checkpoint_signing_key.get_secret_value())
        if self.environment == "production":  # unreachable through validation; never fall back to a file
            raise RuntimeError("CHECKPOINT_SIGNING_KEY must be set in production")
        if self.environment == "test":
            return CheckpointSigner(Ed25519PrivateKey.generate())
        return CheckpointSigner.from_pem(ensure_dev_checkpoint_key(DEV_KEY_DIR).read_bytes())

    def checkpoint_keys(self, signer: CheckpointSigner) -> CheckpointKeys:
        retired = [load_public_key(pem) for pem in self.checkpoint_retired_public_keys]
        return CheckpointKeys([signer.public_key, *retired])
