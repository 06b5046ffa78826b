"""Who is given a warning notice and who is consulted before a power is used, from the school's
facts (domain.md section 4; seed 003, appendix 3: "Giving a performance standards and safety
warning notice", and the consultation paragraphs of s63 and s65)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput

from .rules import CopyTo
from .school_facts import SchoolFacts


class RecipientRole(StrEnum):
    GOVERNING_BODY = "governing_body"
    HEADTEACHER = "headteacher"
    OFSTED = "ofsted"
    DIOCESAN_AUTHORITY = "diocesan_authority"
    FOUNDATION_GOVERNORS_APPOINTER = "foundation_governors_appointer"
    SECRETARY_OF_STATE = "secretary_of_state"
    LOCAL_AUTHORITY = "local_authority"
    """The council that maintains the school, given a copy of a Secretary of State's notice."""


class Recipient(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    role: RecipientRole
    name: str


def _diocesan_authority(school: SchoolFacts, named: str | None) -> Recipient:
    name = (named or "").strip() or (school.diocese or "").strip()
    if not name:
        raise InvalidInput(
            f"{school.name} has a {school.religious_character} religious character but the schools "
            "service holds no diocese for it: name the diocesan authority.",
            field="diocesan_authority",
        )
    return Recipient(role=RecipientRole.DIOCESAN_AUTHORITY, name=name)


def _foundation_governors_appointer(school: SchoolFacts, named: str | None) -> Recipient:
    name = (named or "").strip()
    if not name:
        raise InvalidInput(
            f"{school.name} is a foundation or voluntary school: name whoever appoints its "
            "foundation governors.",
            field="foundation_governors_appointer",
        )
    return Recipient(role=RecipientRole.FOUNDATION_GOVERNORS_APPOINTER, name=name)


def _church_and_foundation(
    school: SchoolFacts, diocesan_authority: str | None, foundation_governors_appointer: str | None
) -> list[Recipient]:
    parties: list[Recipient] = []
    if school.is_church_of_england_or_roman_catholic:
        parties.append(_diocesan_authority(school, diocesan_authority))
    if school.has_foundation_governors:
        parties.append(_foundation_governors_appointer(school, foundation_governors_appointer))
    return parties


def governing_body(school: SchoolFacts) -> Recipient:
    return Recipient(role=RecipientRole.GOVERNING_BODY, name=f"The governing body of {school.name}")


def headteacher(school: SchoolFacts) -> Recipient:
    name = (school.headteacher or "").strip() or f"The headteacher of {school.name}"
    return Recipient(role=RecipientRole.HEADTEACHER, name=name)


def warning_notice_recipients(
    school: SchoolFacts,
    copies: tuple[CopyTo, ...],
    *,
    diocesan_authority: str | None = None,
    foundation_governors_appointer: str | None = None,
    directed_by_secretary_of_state: bool = False,
) -> tuple[Recipient, ...]:
    """The governing body, then the copies given at the same time, as the rule set in force
    says (``rules.InterventionRules.copies_of_council_notice`` or
    ``copies_of_secretary_of_state_notice``): the headteacher; the diocesan authority of a Church
    of England or Roman Catholic school; whoever appoints the foundation governors of a
    foundation or voluntary school; Ofsted; the Secretary of State (always, or for a notice given
    on the Secretary of State's direction); the council."""
    recipients = [governing_body(school)]
    for copy in copies:
        match copy:
            case CopyTo.HEADTEACHER:
                recipients.append(headteacher(school))
            case CopyTo.DIOCESAN_AUTHORITY if school.is_church_of_england_or_roman_catholic:
                recipients.append(_diocesan_authority(school, diocesan_authority))
            case CopyTo.FOUNDATION_GOVERNORS_APPOINTER if school.has_foundation_governors:
                recipients.append(_foundation_governors_appointer(school, foundation_governors_appointer))
            case CopyTo.OFSTED:
                recipients.append(Recipient(role=RecipientRole.OFSTED, name="Ofsted"))
            case CopyTo.SECRETARY_OF_STATE:
                recipients.append(SECRETARY_OF_STATE)
            case CopyTo.SECRETARY_OF_STATE_WHEN_DIRECTED if directed_by_secretary_of_state:
                recipients.append(SECRETARY_OF_STATE)
            case CopyTo.LOCAL_AUTHORITY:
                recipients.append(Recipient(role=RecipientRole.LOCAL_AUTHORITY, name="The council"))
    return tuple(recipients)


SECRETARY_OF_STATE = Recipient(role=RecipientRole.SECRETARY_OF_STATE, name="The Secretary of State")


def consultees(
    school: SchoolFacts,
    *,
    diocesan_authority: str | None = None,
    foundation_governors_appointer: str | None = None,
) -> tuple[Recipient, ...]:
    """Who is consulted before s63 or s65 is used: the governing body; the diocesan authority of
    a Church of England or Roman Catholic school; whoever appoints the foundation governors of a
    foundation or voluntary school."""
    parties = [governing_body(school)]
    parties += _church_and_foundation(school, diocesan_authority, foundation_governors_appointer)
    return tuple(parties)
