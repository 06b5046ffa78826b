"""Development tokens: a local signing key pair and a command that mints a token for a role.

    python -m shared.security.mint --init                      # create the key pair once
    python -m shared.security.mint --role virtual_school_head --sub alice
    python -m shared.security.mint --role designated_teacher --sub dt1 --urn 118000
    python -m shared.security.mint --role service --sub finance-system --scope "pupil-premium:read"

Never used in production: there the services trust only the identity provider's JWKS.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.security.roles import Role
from shared.settings import DEV_KEY_DIR, ServiceSettings
from shared.urn import is_urn

PRIVATE_KEY_NAME = "dev-signing-key.pem"
PUBLIC_KEY_NAME = "dev-signing-key.pub.pem"
KEY_ID = "dev-1"


def ensure_dev_keys(directory: Path = DEV_KEY_DIR) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / PRIVATE_KEY_NAME, directory / PUBLIC_KEY_NAME
    if not private_path.exists() or not public_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private_path.chmod(0o600)
        public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return private_path, public_path


def mint_token(
    *,
    role: Role | str,
    subject: str,
    issuer: str,
    audience: str,
    private_key: bytes,
    urn: str | None = None,
    scopes: list[str] | None = None,
    name: str | None = None,
    lifetime_seconds: int = 3600,
    now: int | None = None,
) -> str:
    issued = int(time.time()) if now is None else now
    claims: dict = {
        "sub": subject,
        "role": str(role),
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + lifetime_seconds,
        "jti": str(uuid.uuid4()),
    }
    if urn is not None:
        claims["urn"] = urn
    if scopes:
        claims["scope"] = " ".join(scopes)
    if name:
        claims["name"] = name
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": KEY_ID})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--init", action="store_true", help="only create the key pair")
    parser.add_argument("--role", choices=[r.value for r in Role])
    parser.add_argument("--sub", default="dev-user", help="the caller's identifier")
    parser.add_argument("--name", help="the caller's display name")
    parser.add_argument("--urn", help="a designated teacher's school URN")
    parser.add_argument("--scope", action="append", default=[], help="a service account's scope")
    parser.add_argument("--hours", type=float, default=8.0, help="lifetime")
    args = parser.parse_args(argv)
    settings = ServiceSettings()
    if settings.environment == "production":
        print("development tokens are not used in production", file=sys.stderr)
        return 2
    private_path, _ = ensure_dev_keys()
    if args.init:
        return 0
    if not args.role:
        parser.error("--role is required")
    # The services refuse these tokens, so refuse to mint them.
    if args.role == Role.DESIGNATED_TEACHER and not is_urn(args.urn):
        parser.error("a designated teacher needs --urn with their school's 6-digit URN")
    if args.role == Role.SERVICE and not args.scope:
        parser.error("a service account needs at least one --scope, e.g. --scope schools:read")
    print(
        mint_token(
            role=args.role,
            subject=args.sub,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            private_key=private_path.read_bytes(),
            urn=args.urn,
            scopes=args.scope,
            name=args.name,
            lifetime_seconds=int(args.hours * 3600),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
