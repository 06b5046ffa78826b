"""Known schools: every school in England outside the council's own area, as the national
register (Get Information About Schools) describes it, one stream per URN,
``knownschool-<urn>``.

A looked-after child may attend a school anywhere, so the virtual school must know any school a
child attends: its name, type, phase, local authority, status, trust, religious character,
diocese and headteacher. These schools are not the council's: they are held apart from its
register (``school-<urn>``, ``register.py``) in their own stream category and with their own
event types, so nothing that reads the register - the council's list of schools and dashboard,
the notices service's facts about the schools it may give warning notices to - ever takes one
for a school of the council's. A URN on the council's register is never a known school as well:
the import keeps such a school's row on the register (``gias.py``).

The national register is the authority for these schools, so the import mirrors it: a school
first seen is recorded whole, and afterwards only a change of what the file says appends an
event, carrying every detail as it now stands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import LinkRelation, SchoolLink, SchoolLinked, with_link
from shared.events import Event, school_subject

KNOWN_SCHOOL_CATEGORY = "knownschool"


def known_school_stream(urn: str) -> str:
    return f"{KNOWN_SCHOOL_CATEGORY}-{urn}"


class KnownSchoolDetails(BaseModel):
    """What the national register says of a school outside the council's area."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    la_code: str
    la_name: str | None = None
    establishment_type: EstablishmentType
    phase: Phase
    status: SchoolStatus
    opened_on: date | None = None
    closed_on: date | None = None
    trust_name: str | None = None
    religious_character: str | None = None
    diocese: str | None = None
    headteacher: str | None = None


KNOWN_DETAILS = tuple(KnownSchoolDetails.model_fields)


class _KnownSchoolEvent(Event, KnownSchoolDetails):
    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]

    def details(self) -> KnownSchoolDetails:
        return KnownSchoolDetails.model_validate(self.model_dump(include=set(KNOWN_DETAILS)))


class KnownSchoolRecorded(_KnownSchoolEvent):
    """A school outside the council's area, first seen in the national register, with everything
    the register says of it. Never a school of the council's: not on its register, not subject
    to its warning notices."""

    event_type: ClassVar[str] = "KnownSchoolRecorded"

    recorded_on: date

    def effective_on(self) -> date:
        return self.opened_on or self.recorded_on


class KnownSchoolChanged(_KnownSchoolEvent):
    """What the national register says of a known school changed. Carries every detail as it
    stands after the change (a reader can replace what it holds, including a value cleared to
    null); ``changed_fields`` names those that differ from before."""

    event_type: ClassVar[str] = "KnownSchoolChanged"

    changed_fields: list[str]
    changed_on: date

    def effective_on(self) -> date:
        return self.changed_on


KNOWN_SCHOOL_EVENTS: tuple[type[Event], ...] = (KnownSchoolRecorded, KnownSchoolChanged)


@dataclass(frozen=True)
class KnownSchool:
    urn: str | None = None
    details: KnownSchoolDetails | None = None
    links: tuple[SchoolLink, ...] = ()

    @property
    def exists(self) -> bool:
        return self.details is not None

    def linked_to(self, urn: str, relation: LinkRelation) -> bool:
        return any((link.urn, link.relation) == (urn, relation) for link in self.links)


NO_KNOWN_SCHOOL = KnownSchool()


def evolve(school: KnownSchool, event: Event) -> KnownSchool:
    match event:
        case KnownSchoolRecorded() | KnownSchoolChanged():
            return replace(school, urn=event.urn, details=event.details())
        case SchoolLinked():
            return replace(school, links=with_link(school.links, event))
    return school


def record_known_school(
    urn: str, details: KnownSchoolDetails, school: KnownSchool, *, as_of: date, today: date
) -> list[Event]:
    """The event that brings a known school in line with the national register: recorded when
    first seen, changed when any detail differs, nothing when all agree. ``as_of`` is the day the
    register's file describes, when a change is taken to have happened."""
    if not school.exists:
        return [KnownSchoolRecorded(urn=urn, **details.model_dump(), recorded_on=today)]
    current = school.details
    changed = [name for name in KNOWN_DETAILS if getattr(details, name) != getattr(current, name)]
    if not changed:
        return []
    return [KnownSchoolChanged(urn=urn, **details.model_dump(), changed_fields=changed, changed_on=as_of)]
