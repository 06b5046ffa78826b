"""Conversion to an academy (domain.md section 1).

When a school becomes an academy the national register gives the academy a *new* URN linked to
its predecessor, and closes the predecessor. The decision touches two streams, so it returns the
events of each; the caller appends both in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from schools.domain.checks import not_in_future, optional_text, required_text
from schools.domain.establishments import SchoolStatus, is_academy
from schools.domain.refusals import SchoolNotOpen
from schools.domain.register import (
    ConversionFields,
    School,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolDetails,
    SchoolRegistered,
    editable,
    registered,
    school_stream,
)
from shared.errors import Conflict, InvalidInput
from shared.events import Command, Event
from shared.urn import require_urn


class RecordAcademyConversion(Command, ConversionFields):
    """The school at ``urn`` became the academy ``academy_urn``, open from ``converted_on``."""


@dataclass(frozen=True)
class AcademyConversion:
    """The events of a conversion, one list per stream; append both atomically."""

    predecessor_stream: str
    predecessor_events: list[Event]
    academy_stream: str
    academy_events: list[Event]


def decide_conversion(
    command: RecordAcademyConversion, predecessor: School, academy: School, *, today: date
) -> AcademyConversion:
    """Record that ``predecessor`` became an academy under a new URN.

    As the national register does, the predecessor closes the day before the academy opens and
    the academy is registered with a link back to it, inheriting its LA, phase, religious
    character, diocese, headteacher and designated teacher.
    """
    urn = require_urn(command.urn, "urn")
    academy_urn = require_urn(command.academy_urn, "academy_urn")
    if academy_urn == urn:
        raise InvalidInput("an academy is given a new URN, not its predecessor's", field="academy_urn")
    current = registered(predecessor, urn)
    if not current.is_open:
        raise SchoolNotOpen(f"school {urn} is closed and cannot convert", field="urn")
    if not is_academy(command.academy_type):
        raise InvalidInput(
            f"{command.academy_type.value} is not an academy or free school type",
            field="academy_type",
        )
    if academy.exists:
        raise Conflict(f"URN {academy_urn} is already registered", field="academy_urn")
    not_in_future(command.converted_on, today, "converted_on")
    name = required_text(command.academy_name, "academy_name")
    inherited = current.details
    academy_details = SchoolDetails(
        name=name,
        la_code=inherited.la_code,
        la_name=inherited.la_name,
        establishment_type=command.academy_type,
        phase=inherited.phase,
        religious_character=inherited.religious_character,
        diocese=inherited.diocese,
        opened_on=command.converted_on,
        headteacher=inherited.headteacher,
        designated_teacher=inherited.designated_teacher,
    )
    trust = optional_text(command.trust_name)
    return AcademyConversion(
        predecessor_stream=school_stream(urn),
        predecessor_events=[
            SchoolConvertedToAcademy(
                urn=urn,
                academy_urn=academy_urn,
                academy_name=name,
                academy_type=command.academy_type,
                trust_name=trust,
                converted_on=command.converted_on,
            ),
            SchoolClosed(
                urn=urn,
                previous_status=current.status,
                closed_on=command.converted_on - timedelta(days=1),
                reason=f"converted to academy {academy_urn}",
                successor_urn=academy_urn,
            ),
        ],
        academy_stream=school_stream(academy_urn),
        academy_events=[
            SchoolRegistered(
                urn=academy_urn,
                **editable(academy_details),
                status=SchoolStatus.OPEN,
                predecessor_urn=urn,
                registered_on=today,
            )
        ],
    )
