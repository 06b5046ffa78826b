"""Events and the catalogue that names them.

An event is a fact that has happened, so it is frozen and named in the past tense
(``SchoolRegistered``, ``WarningNoticeGiven``). Each event class declares:

* ``event_type`` - the name stored in the log (stable forever once used);
* ``schema_version`` - bumped when the shape of ``data`` changes; older stored versions are
  read through upcasters registered on the catalogue, so history never has to be rewritten;
* ``subjects()`` - the children and schools it concerns (``child:<id>``, ``school:<urn>``),
  which is how timelines are read across services;
* ``effective_on()`` - the date the fact took effect (an inspection date, the day a notice was
  given), when that is not simply the day it was recorded;
* ``personal_fields`` - the fields that are personal data of ``data_subject()`` (a child's name,
  date of birth, the child's own words): the log stores them sealed with that child's key and
  they read as null once the child's record is erased (docs/privacy.md). Dates, URNs, statuses
  and amounts are not listed: reports and auditors need them after an erasure.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

if TYPE_CHECKING:
    from shared.eventlog.records import RecordedEvent


def child_subject(child_id: str) -> str:
    return f"child:{child_id}"


def school_subject(urn: str | int) -> str:
    return f"school:{urn}"


class Event(BaseModel):
    """Base class of every domain event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    personal_fields: ClassVar[tuple[str, ...]] = ()

    def subjects(self) -> list[str]:
        return []

    def data_subject(self) -> str | None:
        """Whose personal data ``personal_fields`` are: the child the event is about."""
        return next((s for s in self.subjects() if s.startswith("child:")), None)

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

    def decode(
        self, event_type: str, schema_version: int, data: dict[str, Any], erased: Collection[str] = ()
    ) -> Event:
        cls = self._types.get(event_type)
        if cls is None:
            raise UnknownEventType(event_type)
        data = self.upcast(event_type, schema_version, data)
        if erased:
            return _with_erased_fields(cls, data, erased)
        return cls.model_validate(data)

    def decode_record(self, record: RecordedEvent) -> Event:
        """The event a record holds, its erased personal fields (if any) as None."""
        return self.decode(record.event_type, record.schema_version, record.data, record.erased)


def _with_erased_fields(cls: type[Event], data: dict[str, Any], erased: Collection[str]) -> Event:
    """An event whose personal fields were erased: every other field validated as usual, the
    erased ones None. A fold or projection sees None where the name or words were."""
    values: dict[str, Any] = {}
    for name in cls.model_fields:
        if name in erased:
            values[name] = None
        elif name in data:
            values[name] = _field_adapter(cls, name).validate_python(data[name])
    return cls.model_construct(_fields_set=set(data) | set(erased), **values)


@cache
def _field_adapter(cls: type[Event], name: str) -> TypeAdapter[Any]:
    field = cls.model_fields[name]
    annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(annotation)
