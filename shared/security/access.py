"""Each route declares who may call it, with ``allow(...)``.

    READ = allow(Role.AUDITOR, Role.PRINCIPAL_ADVISER, scope="schools:read")
    WRITE = allow(Role.SCHOOL_IMPROVEMENT_ADVISER, scope="schools:write", writes=True)

    @router.get("/schools/{urn}")
    async def school(urn: str, principal: Annotated[Principal, Depends(READ)]): ...

The dependency authenticates the bearer token (401 when missing or untrustworthy), then checks
the rule (403 when the role, or a service account's scopes, do not allow it). Write rules also
apply a per-caller rate limit (429). The security tests walk every route of every app and fail
for any route that has no rule, so a new route cannot be published unguarded by accident.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from shared.errors import Forbidden
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.security.tokens import InvalidToken, TokenVerifier


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[Role]
    scope: str | None
    writes: bool

    def allows(self, principal: Principal) -> bool:
        if principal.role is Role.SERVICE:
            return self.scope is not None and self.scope in principal.scopes
        return principal.role in self.roles


Guard = Callable[[Request], Awaitable[Principal]]


def allow(*roles: Role, scope: str | None = None, writes: bool = False) -> Guard:
    """A dependency admitting the given roles, and service accounts holding ``scope``."""
    if writes and Role.AUDITOR in roles:
        raise ValueError("auditors read; a write route cannot admit them")
    if Role.SERVICE in roles:
        raise ValueError("service accounts are admitted by scope, not by role")
    rule = AccessRule(frozenset(roles), scope, writes)

    async def guard(request: Request) -> Principal:
        principal = authenticate(request)
        if not rule.allows(principal):
            raise Forbidden(f"the {principal.role.value} role may not do this", field="authorization")
        if rule.writes:
            _rate_limit(request, principal)
        return principal

    guard.access_rule = rule  # type: ignore[attr-defined]
    return guard


def authenticate(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401, "a bearer token is required", headers={"WWW-Authenticate": 'Bearer realm="education"'}
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        principal = verifier.verify(token.strip())
    except InvalidToken as exc:
        raise HTTPException(
            401, str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from exc
    request.state.principal = principal
    return principal


class WriteRateLimiter:
    """A sliding one-minute window of write calls per caller, kept in this process."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._calls: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, caller: str) -> bool:
        now = time.monotonic()
        calls = self._calls[caller]
        while calls and now - calls[0] > 60:
            calls.popleft()
        if len(calls) >= self.per_minute:
            return False
        calls.append(now)
        return True


def _rate_limit(request: Request, principal: Principal) -> None:
    limiter: WriteRateLimiter | None = getattr(request.app.state, "write_rate_limiter", None)
    if limiter is not None and not limiter.admit(principal.subject):
        raise HTTPException(429, "too many writes from this caller: wait a minute", headers={"Retry-After": "60"})


def access_rule_of(dependency: object) -> AccessRule | None:
    return getattr(dependency, "access_rule", None)
