"""What the story of a council is made of: calls to the services, in the order an officer would
make them, each on the day it is made.

A call names its service, the role and officer who make it, and the request. A value the service
mints as it answers (a PP+ request's id, a warning notice's id, a categorisation proposal's id) is
not known when the story is written: the call that answers it says what to ``keep`` under a name,
and a later call refers to it by that name (``Minted``). So the story is a plain value, the same
for the same seed and size, and its fingerprint says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Minted:
    """A value a service minted in answer to an earlier call, kept under ``name``."""

    name: str


@dataclass(frozen=True)
class Officer:
    role: str
    sub: str
    urn: str | None = None  # a designated teacher's school


@dataclass(frozen=True)
class Call:
    on: date
    service: str
    officer: Officer
    method: str
    path: tuple[str | Minted, ...]
    body: Any = None
    # (name, what to keep): a later call's Minted(name) is the answer's value (see running.KEEPERS).
    keep: tuple[str, str] | None = None
    # The answers the call expects: anything else stops the build, naming the call.
    expect: tuple[int, ...] = (200, 201)
    order: int = field(default=0, compare=False)  # the order it was written in, for calls of one day

    def describe(self) -> str:
        path = "".join(part if isinstance(part, str) else f"<{part.name}>" for part in self.path)
        return f"{self.on.isoformat()} {self.officer.role} {self.method} {self.service}{path}"


def _plain(value: Any) -> Any:
    if isinstance(value, Minted):
        return f"<{value.name}>"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not part of a story: {type(value).__name__}")


def as_json(call: Call) -> str:
    """One line: what the call asks, in a form that compares equal only for the same call."""
    return json.dumps(
        [call.on, call.service, call.officer.role, call.officer.sub, call.officer.urn, call.method,
         list(call.path), call.body, call.keep],
        default=_plain,
        sort_keys=True,
        separators=(",", ":"),
    )


class Fingerprint:
    """A running digest of a story's calls, in order."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self.calls = 0

    def add(self, call: Call) -> None:
        self._digest.update(as_json(call).encode())
        self._digest.update(b"\n")
        self.calls += 1

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
