from __future__ import annotations

from dataclasses import dataclass, field

from shared.security.roles import Role


@dataclass(frozen=True)
class Principal:
    """The verified caller: the token's subject, role, and for designated teachers their URN."""

    subject: str
    role: Role
    name: str | None = None
    urn: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_person(self) -> bool:
        return self.role is not Role.SERVICE
