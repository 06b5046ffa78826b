"""Each route declares who may call it, with ``allow(...)``.

    READ = allow(Role.AUDITOR, Role.PRINCIPAL_ADVISER, scope="schools:read")
    WRITE = allow(Role.SCHOOL_IMPROVEMENT_ADVISER, scope="schools:write", writes=True)

    @router.get("/schools/{urn}")
    async def school(urn: str, principal: Annotated[Principal, Depends(READ)]): ...

The dependency authenticates the bearer token (401 when missing or untrustworthy), then checks
the rule (403 when the role, or a service account's scopes, do not allow it). Write rules also
apply a per-caller rate limit (429). Declare the principal before any other dependency of the
route (``ContextDep`` reads it). The security tests walk every route of every app and fail for
any route that has no rule, so a new route cannot be published unguarded by accident.

What a role may see within a route (a designated teacher's own school only) is the route's
business: see ``shared.security.data_scope``.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from shared.errors import Forbidden
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.security.tokens import InvalidToken, SigningKeysUnavailable, TokenVerifier

# Declared on every guarded route so the OpenAPI document (and /docs) shows the bearer scheme;
# the token itself is read and verified by ``authenticate``.
BEARER = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="JWT",
    description="A token from the council's identity provider (in development: scripts/token).",
    auto_error=False,
)


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[Role]
    scope: str | None
    writes: bool

    def allows(self, principal: Principal) -> bool:
        if principal.role is Role.SERVICE:
            return self.scope is not None and self.scope in principal.scopes
        return principal.role in self.roles


Guard = Callable[..., Awaitable[Principal]]


def allow(*roles: Role, scope: str | None = None, writes: bool = False) -> Guard:
    """A dependency admitting the given roles, and service accounts holding ``scope``.

    A write rule may not admit auditors, and service scopes say what they grant: a write rule
    takes a ``"<service>:write"`` scope, a read rule a ``"<service>:read"`` one, so a read-only
    feed credential can never be admitted to a write by mistake.
    """
    if writes and Role.AUDITOR in roles:
        raise ValueError("auditors read; a write route cannot admit them")
    if Role.SERVICE in roles:
        raise ValueError("service accounts are admitted by scope, not by role")
    if scope is not None:
        service, _, access = scope.partition(":")
        wanted = "write" if writes else "read"
        if not service or access != wanted:
            raise ValueError(f"a {'write' if writes else 'read'} rule takes a '<service>:{wanted}' scope")
    rule = AccessRule(frozenset(roles), scope, writes)

    async def guard(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Security(BEARER)
    ) -> Principal:
        principal = await _authenticated(request)
        if not rule.allows(principal):
            raise Forbidden(f"the {principal.role.value} role may not do this", field="authorization")
        if rule.writes:
            _rate_limit(request, principal)
        return principal

    guard.access_rule = rule  # type: ignore[attr-defined]
    return guard


async def _authenticated(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    verifier: TokenVerifier = request.app.state.token_verifier
    if verifier.fetches_keys:
        # Fetching the identity provider's key set is blocking network I/O: keep it off the loop.
        return await run_in_threadpool(authenticate, request)
    return authenticate(request)


def authenticate(request: Request) -> Principal:
    """The verified caller of this request (401 without a trustworthy bearer token)."""
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
    except SigningKeysUnavailable as exc:
        raise HTTPException(
            503, "tokens cannot be checked just now; try again shortly", headers={"Retry-After": "30"}
        ) from exc
    request.state.principal = principal
    return principal


class WriteRateLimiter:
    """A sliding one-minute window of write calls per caller, kept in this process."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._calls: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, caller: str) -> bool:
        now = self._clock()
        calls = self._calls[caller]
        while calls and now - calls[0] > 60:
            calls.popleft()
        if len(calls) >= self.per_minute:
            return False
        calls.append(now)
        if len(self._calls) > 10_000:
            self._forget_idle(now)
        return True

    @property
    def callers_remembered(self) -> int:
        return len(self._calls)

    def _forget_idle(self, now: float) -> None:
        # Callers with no write in the last minute hold no state worth keeping.
        idle = [caller for caller, calls in self._calls.items() if not calls or now - calls[-1] > 60]
        for caller in idle:
            del self._calls[caller]


def _rate_limit(request: Request, principal: Principal) -> None:
    limiter: WriteRateLimiter | None = getattr(request.app.state, "write_rate_limiter", None)
    if limiter is not None and not limiter.admit(principal.subject):
        raise HTTPException(429, "too many writes from this caller: wait a minute", headers={"Retry-After": "60"})


@dataclass(frozen=True)
class Admitted:
    """Who a route's rules admit, together: every rule must allow the caller."""

    roles: frozenset[Role]
    scopes: frozenset[str]
    """The scopes a service account must hold, every one of them; empty when none is admitted."""


def admitted_by(rules: list[AccessRule]) -> Admitted:
    """The roles, and the scopes for service accounts, that every one of ``rules`` allows
    (what ``AccessRule.allows`` admits for all of them; the API description shows it)."""
    if not rules:
        return Admitted(frozenset(), frozenset())
    roles = frozenset.intersection(*(rule.roles for rule in rules))
    scopes = {rule.scope for rule in rules}
    return Admitted(roles, frozenset() if None in scopes else frozenset(s for s in scopes if s))


def access_rule_of(dependency: object) -> AccessRule | None:
    return getattr(dependency, "access_rule", None)


def access_rules_of(dependant) -> list[AccessRule]:
    """Every rule in a route's dependency tree (``route.dependant``), however deeply declared."""
    return list(_walk_rules(dependant))


def _walk_rules(dependant) -> Iterator[AccessRule]:
    for dependency in dependant.dependencies:
        rule = access_rule_of(dependency.call)
        if rule is not None:
            yield rule
        yield from _walk_rules(dependency)
