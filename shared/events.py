"""Events and the catalogue that names them.

An event is a fact that has happened, so it is frozen and named in the past tense
(``SchoolRegistered``, ``WarningNoticeGiven``). Each event class declares:

* ``event_type`` - the name stored in the log (stable forever once used);
* ``schema_version`` - bumped when the shape of ``data`` changes; older stored versions are
  read through upcasters registered on the catalogue, so history never has to be rewritten;
* ``subjects()`` - the children and schools it concerns (``child:<id>``, ``school:<urn>``),
  which is how timelines are read across services;
* ``effective_on()`` - the date the fact took effect (an inspection date, the day a notice was
  given), when that is not simply the day it was recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


def child_subject(child_id: str) -> str:
    return f"child:{child_id}"


def school_subject(urn: str | int) -> str:
    return f"school:{urn}"


class Event(BaseModel):
    """Base class of every domain event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1

    def subjects(self) -> list[str]:
        return []

    def effective_on(self) -> date | None:
        return None

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Command(BaseModel):
    """Base class of commands: imperative requests that may be refused. Never stored as events."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventType(LookupError):
    pass


class EventCatalogue:
    """Maps stored ``(event_type, schema_version, data)`` back to event objects.

    Each service has one catalogue listing every event type it writes (its public contract)
    and any event types of other services it reads. Upcasters turn data stored under an older
    schema version into the current shape, one version step at a time.
    """

    def __init__(self, service: str, events: Iterable[type[Event]] = ()) -> None:
        self.service = service
        self._types: dict[str, type[Event]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for cls in events:
            self.register(cls)

    def register(self, cls: type[Event]) -> type[Event]:
        existing = self._types.get(cls.event_type)
        if existing is not None and existing is not cls:
            raise ValueError(f"event type {cls.event_type!r} is registered twice")
        self._types[cls.event_type] = cls
        return cls

    def include(self, other: EventCatalogue) -> None:
        """Read another catalogue's events too (e.g. a service's policies reading schools events)."""
        for cls in other.event_classes():
            self.register(cls)
        self._upcasters.update(other._upcasters)

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def decorator(fn: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = fn
            return fn

        return decorator

    def knows(self, event_type: str) -> bool:
        return event_type in self._types

    def event_classes(self) -> list[type[Event]]:
        return list(self._types.values())

    def upcast(self, event_type: str, schema_version: int, data: dict[str, Any]) -> dict[str, Any]:
        cls = self._types.get(event_type)
        if cls is None:
            raise UnknownEventType(event_type)
        version = schema_version
        while version < cls.schema_version:
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise UnknownEventType(f"{event_type} v{version}: no upcaster to v{version + 1}")
            data = step(data)
            version += 1
        return data

    def decode(self, event_type: str, schema_version: int, data: dict[str, Any]) -> Event:
        cls = self._types.get(event_type)
        if cls is None:
            raise UnknownEventType(event_type)
        return cls.model_validate(self.upcast(event_type, schema_version, data))
