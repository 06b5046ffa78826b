"""Bearer-token verification with PyJWT.

Only asymmetric algorithms are accepted (RS256, ES256), so ``alg: none`` and HMAC tokens signed
with a public key are refused whatever they claim. Signature, issuer, audience and expiry are
always checked. Keys come from the identity provider's JWKS address (cached, and re-fetched
when a token names a key id not yet seen, which is how rotation reaches us) or, in development,
from the local key pair that ``python -m shared.security.mint`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from jwt import PyJWKClient

from shared.security.principal import Principal
from shared.security.roles import Role

ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


class InvalidToken(Exception):
    """The token cannot be trusted; the message is safe to show the caller."""


@dataclass
class TokenVerifier:
    issuer: str
    audience: str
    jwks_url: str | None = None
    public_key_path: Path | None = None
    jwks_cache_seconds: int = 300
    leeway_seconds: int = 30

    def __post_init__(self) -> None:
        self._jwks: PyJWKClient | None = None
        self._static_key: Any = None
        if self.jwks_url:
            self._jwks = PyJWKClient(
                self.jwks_url, cache_keys=True, lifespan=self.jwks_cache_seconds
            )
        elif self.public_key_path is not None:
            if not self.public_key_path.exists():
                raise RuntimeError(
                    f"no token signing key at {self.public_key_path}: run "
                    "`python -m shared.security.mint --init` (the run command does this)"
                )
            self._static_key = self.public_key_path.read_bytes()
        else:
            raise RuntimeError("either a JWKS address or a development public key is required")

    def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            try:
                return self._jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientError as exc:
                raise InvalidToken("the token's signing key is not known") from exc
        return self._static_key

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("the token is malformed") from exc
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken("the token's algorithm is not accepted")
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("the token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("the token is not for this service") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("the token was not issued by the trusted identity provider") from exc
        except jwt.InvalidSignatureError as exc:
            raise InvalidToken("the token's signature is not valid") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"the token lacks the {exc.claim!r} claim") from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("the token is not valid") from exc
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims.get("role", ""))
    except ValueError as exc:
        raise InvalidToken("the token carries no recognised role") from exc
    urn = claims.get("urn")
    if role is Role.DESIGNATED_TEACHER:
        if not isinstance(urn, str) or not (len(urn) == 6 and urn.isdigit()):
            raise InvalidToken("a designated teacher's token must carry their school's 6-digit urn")
    scopes = claims.get("scope", "")
    if isinstance(scopes, str):
        scope_set = frozenset(scopes.split())
    elif isinstance(scopes, list):
        scope_set = frozenset(str(s) for s in scopes)
    else:
        raise InvalidToken("the token's scope claim is malformed")
    return Principal(
        subject=str(claims["sub"]),
        role=role,
        name=claims.get("name"),
        urn=urn if role is Role.DESIGNATED_TEACHER else None,
        scopes=scope_set,
    )
