"""Bearer-token verification with PyJWT.

Only asymmetric algorithms are accepted (RS256, ES256), so ``alg: none`` and HMAC tokens signed
with a public key are refused whatever they claim. Signature, issuer, audience and expiry are
always checked. Keys come from the identity provider's JWKS address or, in development, from
the local key pair that ``python -m shared.security.mint`` uses.

JWKS keys are cached as a whole key set for ``jwks_cache_seconds``: a key the identity provider
withdraws stops being trusted when the cache expires (keys are never cached one by one, which
would keep a withdrawn key forever). A token naming a key id not in the cached set makes us
fetch the set again, which is how a rotated key reaches us, but at most once per
``jwks_refresh_cooldown_seconds`` so that tokens with made-up key ids cannot flood the
identity provider.

Every failure becomes ``InvalidToken`` with a short message that is safe to show the caller:
never the library's own message, a key, or a claim value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import PyJWKClient

from shared.security.principal import Principal
from shared.security.roles import Role
from shared.urn import is_urn

ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
JWKS_FETCH_TIMEOUT_SECONDS = 5.0


class InvalidToken(Exception):
    """The token cannot be trusted; the message is safe to show the caller."""


class SigningKeysUnavailable(Exception):
    """The identity provider's key set cannot be fetched: nobody can be verified just now."""


@dataclass
class TokenVerifier:
    issuer: str
    audience: str
    jwks_url: str | None = None
    public_key_path: Path | None = None
    jwks_cache_seconds: int = 300
    jwks_refresh_cooldown_seconds: float = 30.0
    leeway_seconds: int = 30

    def __post_init__(self) -> None:
        self._jwks: PyJWKClient | None = None
        self._static_key: Any = None
        self._static_algorithm: str | None = None
        if self.jwks_url:
            self._jwks = PyJWKClient(
                self.jwks_url,
                cache_keys=False,
                cache_jwk_set=True,
                lifespan=self.jwks_cache_seconds,
                timeout=JWKS_FETCH_TIMEOUT_SECONDS,
                cooldown_duration=self.jwks_refresh_cooldown_seconds,
            )
        elif self.public_key_path is not None:
            if not self.public_key_path.exists():
                raise RuntimeError(
                    f"no token signing key at {self.public_key_path}: run "
                    "`python -m shared.security.mint --init` (the run command does this)"
                )
            self._static_key = serialization.load_pem_public_key(self.public_key_path.read_bytes())
            self._static_algorithm = _algorithm_of(self._static_key)
        else:
            raise RuntimeError("either a JWKS address or a development public key is required")

    @property
    def fetches_keys(self) -> bool:
        """True when verifying may wait on the identity provider (callers run it off the loop)."""
        return self._jwks is not None

    def _key_for(self, token: str, algorithm: str) -> Any:
        """The key that must have signed this token; its type must match the claimed algorithm
        (an RS256 token naming an EC key is refused here, not half-way through the library)."""
        if self._jwks is None:
            key, key_algorithm = self._static_key, self._static_algorithm
        else:
            try:
                jwk = self._jwks.get_signing_key_from_jwt(token)
            except jwt.PyJWKClientConnectionError as exc:
                raise SigningKeysUnavailable("the identity provider's keys cannot be fetched") from exc
            except jwt.PyJWTError as exc:
                raise InvalidToken("the token's signing key is not known") from exc
            key, key_algorithm = jwk.key, jwk.algorithm_name
        if key_algorithm != algorithm:
            raise InvalidToken("the token's algorithm is not accepted")
        return key

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("the token is malformed") from exc
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise InvalidToken("the token's algorithm is not accepted")
        key = self._key_for(token, algorithm)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
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
        except (jwt.PyJWTError, TypeError, ValueError) as exc:
            raise InvalidToken("the token is not valid") from exc
        return principal_from_claims(claims)


def _algorithm_of(key: Any) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise RuntimeError("the development public key must be an RSA or P-256 key")


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("the token's subject is empty")
    try:
        role = Role(claims.get("role", ""))
    except ValueError as exc:
        raise InvalidToken("the token carries no recognised role") from exc
    urn = claims.get("urn")
    if role is Role.DESIGNATED_TEACHER:
        if not is_urn(urn):
            raise InvalidToken("a designated teacher's token must carry their school's 6-digit urn")
    scopes = claims.get("scope", "")
    if isinstance(scopes, str):
        scope_set = frozenset(scopes.split())
    elif isinstance(scopes, list) and all(isinstance(s, str) for s in scopes):
        scope_set = frozenset(scopes)
    else:
        raise InvalidToken("the token's scope claim is malformed")
    name = claims.get("name")
    return Principal(
        subject=subject,
        role=role,
        name=name if isinstance(name, str) else None,
        urn=urn if role is Role.DESIGNATED_TEACHER else None,
        # Scopes are what a service account may do; a person's role says what they may do.
        scopes=scope_set if role is Role.SERVICE else frozenset(),
    )
