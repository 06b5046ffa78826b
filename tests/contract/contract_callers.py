"""Who calls each operation of a service while it is fuzzed.

A fuzzed request answered 401 or 403 proves nothing about the handler behind it, so every
operation is called with a token its own declared rule (``allow(...)`` in the service's
``access.py``) admits. The rule is read from the running app, so a route added or re-guarded
tomorrow gets the right caller tomorrow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.security.access import AccessRule, access_rules_of
from shared.security.principal import Principal
from shared.security.roles import Role

# The school a designated teacher of these tests teaches at.
CONTRACT_URN = "118000"

# Callers with the widest view first, so a request reaches the handler rather than a data-scope
# refusal: auditors read everything; a designated teacher sees only one school, so comes last of
# these. Roles not listed here are tried after them.
ROLE_PREFERENCE: tuple[Role, ...] = (
    Role.AUDITOR,
    Role.VIRTUAL_SCHOOL_HEAD,
    Role.PRINCIPAL_ADVISER,
    Role.FINANCE_OFFICER,
    Role.VIRTUAL_SCHOOL_OFFICER,
    Role.SCHOOL_IMPROVEMENT_ADVISER,
    Role.SOCIAL_WORKER,
    Role.DESIGNATED_TEACHER,
)


@dataclass(frozen=True)
class ContractCaller:
    role: Role
    scopes: tuple[str, ...] = ()

    @property
    def urn(self) -> str | None:
        return CONTRACT_URN if self.role is Role.DESIGNATED_TEACHER else None

    @property
    def subject(self) -> str:
        return f"contract-{self.role.value}"

    def describe(self) -> str:
        """The caller as a developer mints it: ``TOKEN=$(./scripts/token --role ...)``."""
        args = [f"--role {self.role.value}"]
        if self.urn:
            args.append(f"--urn {self.urn}")
        args += [f"--scope {scope}" for scope in self.scopes]
        return f"TOKEN=$(./scripts/token {' '.join(args)})"

    def principal(self) -> Principal:
        return Principal(subject=self.subject, role=self.role, urn=self.urn, scopes=frozenset(self.scopes))


def openapi_path(route_path: str) -> str:
    """``/things/{id:path}`` as the OpenAPI document spells it: ``/things/{id}``."""
    return re.sub(r"\{([^}:]+):[^}]*\}", r"{\1}", route_path)


def admitted_caller(rules: list[AccessRule]) -> ContractCaller:
    """The first person every rule admits (ROLE_PREFERENCE first, then any other role), else a
    service account holding the rules' scopes."""
    others = [role for role in Role if role not in ROLE_PREFERENCE and role is not Role.SERVICE]
    for role in [*ROLE_PREFERENCE, *others]:
        caller = ContractCaller(role)
        if all(rule.allows(caller.principal()) for rule in rules):
            return caller
    scopes = tuple(sorted({rule.scope for rule in rules if rule.scope is not None}))
    caller = ContractCaller(Role.SERVICE, scopes)
    if all(rule.allows(caller.principal()) for rule in rules):
        return caller
    raise AssertionError(f"no caller satisfies every access rule of the route: {rules}")


def callers_by_operation(app: FastAPI) -> dict[tuple[str, str], ContractCaller | None]:
    """``{("GET", "/schools/{urn}"): ContractCaller(...)}`` for every API route of the app;
    routes without a rule (the public probes; the security tests fail any other) map to None."""
    callers: dict[tuple[str, str], ContractCaller | None] = {}
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        rules = access_rules_of(route.dependant)
        for method in route.methods or ():
            callers[(method.upper(), openapi_path(route.path))] = admitted_caller(rules) if rules else None
    return callers


def authorization_headers(
    callers: dict[tuple[str, str], ContractCaller | None], mint: Callable[[ContractCaller], str]
) -> dict[tuple[str, str], dict[str, str]]:
    """The Authorization header for each operation, one token per caller. Public operations
    get no header."""
    tokens: dict[ContractCaller, str] = {}
    headers: dict[tuple[str, str], dict[str, str]] = {}
    for key, caller in callers.items():
        if caller is None:
            headers[key] = {}
            continue
        if caller not in tokens:
            tokens[caller] = mint(caller)
        headers[key] = {"Authorization": f"Bearer {tokens[caller]}"}
    return headers
