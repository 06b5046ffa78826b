"""The schools service's events as a document for the services that read them.

    python -m schools.events_doc --write    # after changing an event
    python -m schools.events_doc --check    # exit 1 if the page and the catalogue disagree

The document is made from the catalogue itself (fields, types, schema versions, docstrings), and
a test fails when ``docs/events-schools.md`` no longer matches it, so it cannot drift.
"""

from __future__ import annotations

import inspect
import types
import typing
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel

from schools.domain.catalogue import schools_catalogue
from schools.domain.categorisation import CATEGORISATION_EVENTS, SchoolCategorised
from schools.domain.configuration import CONFIGURATION_EVENTS, CONFIGURATION_STREAM
from schools.domain.inspections import INSPECTION_EVENTS, InspectionRecorded
from schools.domain.known_schools import KNOWN_SCHOOL_EVENTS, KnownSchoolChanged, KnownSchoolRecorded
from schools.domain.performance import PERFORMANCE_EVENTS, SchoolBelowFloor
from schools.domain.register import (
    REGISTER_EVENTS,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolDetailsChanged,
    SchoolLinked,
    SchoolRegistered,
    SchoolStatusChanged,
)
from schools.domain.reviews import REVIEW_EVENTS
from schools.domain.rise import RISE_EVENTS
from schools.domain.support import SUPPORT_EVENTS
from shared.council_calendar import CALENDAR_EVENTS, CALENDAR_STREAM
from shared.events import Event
from shared.generated_docs import page_command
from shared.migrations import REPO_ROOT

DOC_PATH = REPO_ROOT / "docs" / "events-schools.md"

#: The events other services rely on: the register, inspections, the category, below floor.
RELIED_ON: tuple[type[Event], ...] = (
    SchoolRegistered,
    SchoolDetailsChanged,
    SchoolStatusChanged,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolLinked,
    KnownSchoolRecorded,
    KnownSchoolChanged,
    InspectionRecorded,
    SchoolCategorised,
    SchoolBelowFloor,
)

STREAMS: dict[str, tuple[type[Event], ...]] = {
    "school-<urn>": REGISTER_EVENTS,
    "inspections-<urn>": INSPECTION_EVENTS,
    "categorisation-<urn>": CATEGORISATION_EVENTS,
    "support-<urn>": SUPPORT_EVENTS,
    "performance-<urn>": PERFORMANCE_EVENTS,
    "reviews-<urn>": REVIEW_EVENTS,
    "rise-<urn>": RISE_EVENTS,
    "knownschool-<urn>": KNOWN_SCHOOL_EVENTS,
    CONFIGURATION_STREAM: CONFIGURATION_EVENTS,
    CALENDAR_STREAM: CALENDAR_EVENTS,
}

INTRODUCTION = """\
# Schools service: events

The schools service's public contract: the events it appends to the log, which the other
services and the event feed read. Generated from the service's event catalogue with
`python -m schools.events_doc --write`; a test fails if this file and the catalogue disagree.
Event type names never change once written; a change of shape bumps the schema version and
older events are read through the catalogue's upcasters.

Reading them:

* **Subjects.** Every school event names `school:<urn>` among its subjects (a conversion names
  both URNs), so a school's timeline across services is one subject query.
* **Dates.** Each event is stored with the date it took effect (the *effective date* below) and
  the time it was recorded. Dates are `YYYY-MM-DD`.
* **Numbers.** Days of support and results are decimal strings in the data (`"12"`, `"1.5"`,
  `"58.5"`), so they stay exact.
* **`SchoolDetailsChanged` carries every detail as it stands after the change**, not only the
  changed ones: replace what you hold. A `null` means the value was cleared.
  `changed_fields` names the fields that differ from before.
* `maintained` and `has_foundation_governors` follow from `establishment_type`: the council's
  powers of intervention apply to maintained schools only (no warning notice to an academy), and
  foundation governors' appointers are consulted and copied in on notices.
* A closed URN never reopens. An academy conversion appends `SchoolConvertedToAcademy` and
  `SchoolClosed` (with `successor_urn`) to the old school's stream and `SchoolRegistered` (with
  `predecessor_urn`) to the academy's, in one transaction.
* **The council's register and known schools.** The council's own schools are its register,
  streams `school-<urn>`. Every other school in England the national register import has seen
  is a *known school*, stream `knownschool-<urn>`, with event types of its own
  (`KnownSchoolRecorded`, `KnownSchoolChanged`), so a reader of the register's events never
  takes one for a school of the council's (on its list and dashboard, open to its warning
  notices). Read them to know the name, type, LA and status of any school a child attends; a
  URN is on the register or a known school, never both at once (a known school that comes into
  the council's area is registered, and its known-school stream is no longer appended to).
* **Links.** `SchoolLinked` joins two URNs of one school's history (the national register's
  links file: an academy's predecessor, an amalgamation's schools). It is written to both
  schools' streams, whichever kind each is, each seeing the link from its own side
  (`relation`: what `linked_urn` is to `urn`). A conversion recorded in this service is not
  repeated as a link: read its `predecessor_urn` and `successor_urn` too.
"""


def render() -> str:
    catalogue = schools_catalogue()
    known = set(catalogue.event_classes())
    relied_on = [cls for cls in RELIED_ON if cls in known]
    others = [cls for classes in STREAMS.values() for cls in classes if cls not in RELIED_ON and cls in known]
    parts = [INTRODUCTION, "## Events other services rely on\n"]
    parts += [_event(cls) for cls in relied_on]
    parts.append("## The service's other events\n")
    parts += [_event(cls) for cls in others]
    return "\n".join(parts).rstrip("\n") + "\n"


def _stream_of(cls: type[Event]) -> str:
    return next(stream for stream, classes in STREAMS.items() if cls in classes)


def _event(cls: type[Event]) -> str:
    lines = [
        f"### {cls.event_type}",
        "",
        f"Schema version {cls.schema_version}. Stream `{_stream_of(cls)}`. "
        f"Effective date: {_effective_date(cls)}.",
        "",
    ]
    doc = cls.__dict__.get("__doc__")
    if doc:
        lines += [" ".join(inspect.cleandoc(doc).split()), ""]
    lines += ["| field | type | required |", "|---|---|---|"]
    for name, field in cls.model_fields.items():
        lines.append(f"| `{name}` | {_type(field.annotation)} | {'yes' if field.is_required() else 'no'} |")
    lines.append("")
    return "\n".join(lines)


def _effective_date(cls: type[Event]) -> str:
    """Which field the event's effective date comes from, found by asking the event itself."""
    dates = {name: date(2000, 1, 1) + timedelta(days=i) for i, name in enumerate(_date_fields(cls))}
    chain: list[str] = []
    while True:
        effective = cls.model_construct(**dates).effective_on()
        field = next((name for name, day in dates.items() if day == effective), None)
        if field is None:
            break
        chain.append(f"`{field}`")
        if cls.model_fields[field].is_required():
            break
        dates[field] = None
    return " or else ".join(chain) if chain else "the day it was recorded"


def _date_fields(cls: type[Event]) -> list[str]:
    return [name for name, field in cls.model_fields.items() if date in _flatten(field.annotation)]


def _flatten(annotation) -> list:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]


def _type(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        text = " or ".join(_type(a) for a in present)
        return f"{text}, or null" if len(present) < len(args) else text
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a.value if isinstance(a, Enum) else a}`" for a in args)
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"object of {_type(args[0])} → {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{member.value}`" for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (
            "object ("
            + ", ".join(f"`{n}`: {_type(f.annotation)}" for n, f in annotation.model_fields.items())
            + ")"
        )
    simple = {str: "text", int: "integer", bool: "true/false", date: "date", Decimal: "decimal string"}
    return simple.get(annotation, getattr(annotation, "__name__", str(annotation)))


main = page_command("schools.events_doc", DOC_PATH, render, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
