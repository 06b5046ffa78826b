"""The register of schools: one stream per URN, ``school-<urn>`` (domain.md section 1).

A school is registered once under its URN, its details change over time, its status moves
between proposed to open, open, proposed to close and closed, and when it becomes an academy
the national register gives the academy a *new* URN linked to its predecessor, and closes the
predecessor. The events here are read by the other services: notices need the establishment
type, religious character and diocese to decide who receives a notice and whether the council
may give one at all; the virtual school needs to know which schools are open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from schools.domain.checks import not_in_future, optional_text, required_text
from schools.domain.establishments import (
    FOUNDATION_GOVERNOR_TYPES,
    EstablishmentType,
    Phase,
    SchoolStatus,
    is_academy,
    is_maintained,
    valid_la_code,
)
from schools.domain.refusals import RegisterChangeNotAllowed, SchoolNotOpen
from schools.domain.school_events import SchoolEvent
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event, school_subject
from shared.urn import require_urn


def school_stream(urn: str) -> str:
    return f"school-{urn}"


class SchoolDetailFields(BaseModel):
    """Everything the register says about a school apart from its status.

    ``maintained`` and ``has_foundation_governors`` follow from the establishment type (they are
    filled in from it, never given) and are carried so that readers of the event feed need not
    know the classification: the council's powers of intervention apply only to maintained
    schools, and foundation governors' appointers are consulted and copied in on notices.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    la_code: str
    la_name: str | None = None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: str | None = None
    diocese: str | None = None
    opened_on: date | None = None
    headteacher: str | None = None
    chair_of_governors: str | None = None
    designated_teacher: str | None = None
    maintained: bool
    has_foundation_governors: bool

    @model_validator(mode="before")
    @classmethod
    def _classify(cls, data: object) -> object:
        if isinstance(data, dict) and "establishment_type" in data:
            kind = EstablishmentType(data["establishment_type"])
            data = {
                **data,
                "maintained": is_maintained(kind),
                "has_foundation_governors": kind in FOUNDATION_GOVERNOR_TYPES,
            }
        return data

    def details(self) -> SchoolDetails:
        return SchoolDetails.model_validate(self.model_dump(include=set(DETAIL_FIELDS)))


class SchoolDetails(SchoolDetailFields):
    """A school's details as the register holds them now."""


#: The fields of ``SchoolDetails`` a person or the import may set.
EDITABLE_DETAILS = (
    "name",
    "la_code",
    "la_name",
    "establishment_type",
    "phase",
    "religious_character",
    "diocese",
    "opened_on",
    "headteacher",
    "chair_of_governors",
    "designated_teacher",
)
DETAIL_FIELDS = (*EDITABLE_DETAILS, "maintained", "has_foundation_governors")


# ---------------------------------------------------------------------------------------------
# Events: the public contract
# ---------------------------------------------------------------------------------------------


class SchoolRegistered(Event, SchoolDetailFields):
    """A school entered the register, with all its details. ``predecessor_urn`` is set for an
    academy that replaced a school (see ``SchoolConvertedToAcademy``); ``closed_on`` only for a
    school registered as already closed (a historic row of the national register)."""

    event_type: ClassVar[str] = "SchoolRegistered"

    urn: str
    status: SchoolStatus
    closed_on: date | None = None
    predecessor_urn: str | None = None
    registered_on: date

    def subjects(self) -> list[str]:
        urns = [self.urn] + ([self.predecessor_urn] if self.predecessor_urn else [])
        return [school_subject(u) for u in urns]

    def effective_on(self) -> date:
        return self.opened_on or self.registered_on


class SchoolDetailsChanged(Event, SchoolDetailFields):
    """Some details changed. The event carries every detail as it stands after the change (a
    reader can replace what it holds, including a value cleared to null); ``changed_fields``
    names those that differ from before."""

    event_type: ClassVar[str] = "SchoolDetailsChanged"

    urn: str
    changed_fields: list[str]
    changed_on: date

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]

    def effective_on(self) -> date:
        return self.changed_on


class SchoolStatusChanged(SchoolEvent):
    """A status change short of closure: proposed to close, a withdrawn proposal, opened."""

    event_type: ClassVar[str] = "SchoolStatusChanged"
    effective_field: ClassVar[str] = "changed_on"

    status: SchoolStatus
    previous_status: SchoolStatus
    changed_on: date
    reason: str | None = None


class SchoolClosed(SchoolEvent):
    """The school closed; a closed URN never reopens. ``successor_urn`` names the academy that
    replaced it, when it closed because it converted."""

    event_type: ClassVar[str] = "SchoolClosed"
    effective_field: ClassVar[str] = "closed_on"

    status: Literal[SchoolStatus.CLOSED] = SchoolStatus.CLOSED
    previous_status: SchoolStatus
    closed_on: date
    reason: str | None = None
    successor_urn: str | None = None


class ConversionFields(BaseModel):
    """A conversion to an academy, as an officer records it and as the log keeps it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    urn: str
    academy_urn: str
    academy_name: str
    academy_type: EstablishmentType
    trust_name: str | None = None
    converted_on: date


class SchoolConvertedToAcademy(Event, ConversionFields):
    """The school became an academy under a new URN. Written to the predecessor's stream,
    followed there by ``SchoolClosed``; the academy's own stream begins with a
    ``SchoolRegistered`` whose ``predecessor_urn`` is this school."""

    event_type: ClassVar[str] = "SchoolConvertedToAcademy"

    def subjects(self) -> list[str]:
        return [school_subject(self.urn), school_subject(self.academy_urn)]

    def effective_on(self) -> date:
        return self.converted_on


class LinkRelation(StrEnum):
    """What the linked school is to this one, as the national register's links file says."""

    PREDECESSOR = "predecessor"
    SUCCESSOR = "successor"
    OTHER = "other"


class SchoolLinked(SchoolEvent):
    """The national register links this school to another URN (its links file): an academy to
    the school it replaced, an amalgamated school to those it was formed from, a sixth-form
    centre to its schools. Written to each school's own stream (the council's register,
    ``school-<urn>``, or a known school, ``knownschool-<urn>``), so a URN change keeps the
    school's history together. ``relation`` says what ``linked_urn`` is to this school;
    ``link_type`` is the register's own words ("Successor - merged"); ``linked_on`` the date the
    register gives the link, when it gives one."""

    event_type: ClassVar[str] = "SchoolLinked"
    effective_field: ClassVar[str] = "recorded_on"

    linked_urn: str
    relation: LinkRelation
    link_type: str
    linked_name: str | None = None
    linked_on: date | None = None
    recorded_on: date

    def subjects(self) -> list[str]:
        return [school_subject(self.urn), school_subject(self.linked_urn)]

    def effective_on(self) -> date:
        return self.linked_on or self.recorded_on


@dataclass(frozen=True)
class SchoolLink:
    """One link of a school's history: the other URN and what it is to this school."""

    urn: str
    relation: LinkRelation
    link_type: str
    name: str | None = None
    linked_on: date | None = None


def with_link(links: tuple[SchoolLink, ...], event: SchoolLinked) -> tuple[SchoolLink, ...]:
    """The links after ``event``: one link per URN and relation, the latest words kept."""
    kept = tuple(link for link in links if (link.urn, link.relation) != (event.linked_urn, event.relation))
    return (*kept, SchoolLink(event.linked_urn, event.relation, event.link_type, event.linked_name, event.linked_on))


REGISTER_EVENTS: tuple[type[Event], ...] = (
    SchoolRegistered,
    SchoolDetailsChanged,
    SchoolStatusChanged,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolLinked,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class RegisterSchool(Command):
    urn: str
    name: str
    la_code: str
    la_name: str | None = None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: str | None = None
    diocese: str | None = None
    status: SchoolStatus = SchoolStatus.OPEN
    opened_on: date | None = None
    closed_on: date | None = None
    headteacher: str | None = None
    chair_of_governors: str | None = None
    designated_teacher: str | None = None


class UpdateSchoolDetails(Command):
    """Set the details named; a field left out is unchanged, a field given as null is cleared."""

    urn: str
    changed_on: date
    name: str | None = None
    la_code: str | None = None
    la_name: str | None = None
    establishment_type: EstablishmentType | None = None
    phase: Phase | None = None
    religious_character: str | None = None
    diocese: str | None = None
    opened_on: date | None = None
    headteacher: str | None = None
    chair_of_governors: str | None = None
    designated_teacher: str | None = None

    def requested_changes(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EDITABLE_DETAILS if name in self.model_fields_set}


class ChangeSchoolStatus(Command):
    urn: str
    status: SchoolStatus
    changed_on: date
    reason: str | None = None


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class School:
    urn: str | None = None
    details: SchoolDetails | None = None
    status: SchoolStatus | None = None
    closed_on: date | None = None
    predecessor_urn: str | None = None
    successor_urn: str | None = None
    links: tuple[SchoolLink, ...] = ()

    @property
    def exists(self) -> bool:
        return self.details is not None

    def history(self) -> tuple[SchoolLink, ...]:
        """Every link of the school's history: the conversion to an academy recorded here (the
        academy's predecessor, the closed school's successor), then the national register's
        links file's (a link the conversion already gives is not repeated)."""
        converted = tuple(
            SchoolLink(urn, relation, words)
            for urn, relation, words in (
                (self.predecessor_urn, LinkRelation.PREDECESSOR, "Predecessor"),
                (self.successor_urn, LinkRelation.SUCCESSOR, "Successor"),
            )
            if urn is not None
        )
        given = {(link.urn, link.relation) for link in converted}
        return converted + tuple(link for link in self.links if (link.urn, link.relation) not in given)

    def linked_to(self, urn: str, relation: LinkRelation) -> bool:
        """Whether the school's history already joins ``urn`` this way."""
        return any((link.urn, link.relation) == (urn, relation) for link in self.history())

    @property
    def is_open(self) -> bool:
        return self.exists and self.status != SchoolStatus.CLOSED


NO_SCHOOL = School()


def evolve(school: School, event: Event) -> School:
    match event:
        case SchoolRegistered():
            return School(
                urn=event.urn,
                details=event.details(),
                status=event.status,
                closed_on=event.closed_on,
                predecessor_urn=event.predecessor_urn,
                links=school.links,
            )
        case SchoolDetailsChanged():
            return replace(school, details=event.details())
        case SchoolStatusChanged():
            return replace(school, status=event.status)
        case SchoolClosed():
            return replace(school, status=SchoolStatus.CLOSED, closed_on=event.closed_on)
        case SchoolConvertedToAcademy():
            return replace(school, successor_urn=event.academy_urn)
        case SchoolLinked():
            return replace(school, links=with_link(school.links, event))
    return school


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------

#: Status moves the register allows; a closed URN is never reopened (a new school gets a new URN).
ALLOWED_STATUS_CHANGES: dict[SchoolStatus, frozenset[SchoolStatus]] = {
    SchoolStatus.PROPOSED_TO_OPEN: frozenset({SchoolStatus.OPEN, SchoolStatus.CLOSED}),
    SchoolStatus.OPEN: frozenset({SchoolStatus.PROPOSED_TO_CLOSE, SchoolStatus.CLOSED}),
    SchoolStatus.PROPOSED_TO_CLOSE: frozenset({SchoolStatus.OPEN, SchoolStatus.CLOSED}),
    SchoolStatus.CLOSED: frozenset(),
}


def decide(
    command: RegisterSchool | UpdateSchoolDetails | ChangeSchoolStatus,
    school: School,
    *,
    today: date,
) -> list[Event]:
    """Decide a register command against the school's stream. ``today`` bounds the dates given."""
    match command:
        case RegisterSchool():
            return _register(command, school, today)
        case UpdateSchoolDetails():
            return _update_details(command, school, today)
        case ChangeSchoolStatus():
            return _change_status(command, school, today)
    raise TypeError(f"not a register command: {type(command).__name__}")


def _register(command: RegisterSchool, school: School, today: date) -> list[Event]:
    urn = require_urn(command.urn, "urn")
    if school.exists:
        raise Conflict(f"URN {urn} is already registered", field="urn")
    status = command.status
    details = _details(
        {name: getattr(command, name) for name in EDITABLE_DETAILS}, today=today, status=status
    )
    if status == SchoolStatus.CLOSED and command.closed_on is None:
        raise InvalidInput("a school registered as closed needs the date it closed", field="closed_on")
    if status != SchoolStatus.CLOSED and command.closed_on is not None:
        raise InvalidInput(f"a school whose status is {status.value} has no closing date", field="closed_on")
    if command.closed_on is not None:
        not_in_future(command.closed_on, today, "closed_on")
        if details.opened_on is not None and command.closed_on < details.opened_on:
            raise InvalidInput("a school cannot close before it opened", field="closed_on")
    return [
        SchoolRegistered(
            urn=urn,
            **editable(details),
            status=status,
            closed_on=command.closed_on,
            registered_on=today,
        )
    ]


def _update_details(command: UpdateSchoolDetails, school: School, today: date) -> list[Event]:
    current = registered(school, command.urn)
    not_in_future(command.changed_on, today, "changed_on")
    requested = command.requested_changes()
    for required in ("name", "la_code", "establishment_type", "phase"):
        if required in requested and requested[required] is None:
            raise InvalidInput(f"{required} cannot be cleared", field=required)
    merged = {**current.details.model_dump(include=set(EDITABLE_DETAILS)), **requested}
    details = _details(merged, today=today, status=current.status)
    old_type = current.details.establishment_type
    if is_academy(details.establishment_type) != is_academy(old_type):
        raise RegisterChangeNotAllowed(
            f"a {old_type.value} school cannot become a {details.establishment_type.value} "
            "under the same URN: record an academy conversion, which gives a new URN",
            field="establishment_type",
        )
    changed = sorted(
        name for name in EDITABLE_DETAILS if getattr(details, name) != getattr(current.details, name)
    )
    if not changed:
        return []
    return [
        SchoolDetailsChanged(
            urn=current.urn,
            **editable(details),
            changed_fields=changed,
            changed_on=command.changed_on,
        )
    ]


def _change_status(command: ChangeSchoolStatus, school: School, today: date) -> list[Event]:
    current = registered(school, command.urn)
    not_in_future(command.changed_on, today, "changed_on")
    if command.status == current.status:
        return []
    if command.status not in ALLOWED_STATUS_CHANGES[current.status]:
        raise RegisterChangeNotAllowed(
            f"a school that is {current.status.value} cannot become {command.status.value}"
            + (" (a closed URN never reopens)" if current.status == SchoolStatus.CLOSED else ""),
            field="status",
        )
    reason = optional_text(command.reason)
    if command.status == SchoolStatus.CLOSED:
        opened_on = current.details.opened_on
        if opened_on is not None and command.changed_on < opened_on:
            raise InvalidInput("a school cannot close before it opened", field="changed_on")
        return [
            SchoolClosed(
                urn=current.urn,
                previous_status=current.status,
                closed_on=command.changed_on,
                reason=reason,
            )
        ]
    return [
        SchoolStatusChanged(
            urn=current.urn,
            status=command.status,
            previous_status=current.status,
            changed_on=command.changed_on,
            reason=reason,
        )
    ]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def editable(details: SchoolDetailFields) -> dict[str, object]:
    """The details a person or the import sets, as keyword arguments for an event or command."""
    return details.model_dump(include=set(EDITABLE_DETAILS))


def registered(school: School, urn: str) -> School:
    """The school if it is on the register, else NotFound on ``urn``."""
    require_urn(urn, "urn")
    if not school.exists or school.urn != urn:
        raise NotFound(f"no school with URN {urn} is registered", field="urn")
    return school


def open_on(school: School, day: date, field: str) -> date:
    """``day``, if the school was open then (on or after it opened, on or before it closed);
    else SchoolNotOpen on ``field``."""
    opened_on = school.details.opened_on if school.details else None
    if opened_on is not None and day < opened_on:
        raise SchoolNotOpen("the school was not open on that date", field=field)
    if school.closed_on is not None and day > school.closed_on:
        raise SchoolNotOpen("the school had closed by that date", field=field)
    return day


def _details(values: dict[str, object], *, today: date, status: SchoolStatus | None) -> SchoolDetails:
    """Check and tidy the details; only a school proposed to open has an opening date to come."""
    opened_on = values.get("opened_on")
    if isinstance(opened_on, date) and opened_on > today and status != SchoolStatus.PROPOSED_TO_OPEN:
        raise InvalidInput(
            "only a school proposed to open can have an opening date in the future", field="opened_on"
        )
    return SchoolDetails(
        name=required_text(values["name"], "name"),
        la_code=valid_la_code(values["la_code"]),
        la_name=optional_text(values.get("la_name")),
        establishment_type=values["establishment_type"],
        phase=values["phase"],
        religious_character=optional_text(values.get("religious_character")),
        diocese=optional_text(values.get("diocese")),
        opened_on=opened_on,
        headteacher=optional_text(values.get("headteacher")),
        chair_of_governors=optional_text(values.get("chair_of_governors")),
        designated_teacher=optional_text(values.get("designated_teacher")),
    )
