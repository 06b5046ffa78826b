"""What the notices service knows about a school: the facts folded from the schools service's
events (see ``schools_events``), passed into ``decide`` as a value.

Only the facts Part 4 turns on are kept: whether the council maintains the school (academies
cannot be given a warning notice), whether it is open, its religious character and diocese
(Church of England and Roman Catholic schools' diocesan authority gets a copy and is consulted)
and whether it is a foundation or voluntary school (whoever appoints the foundation governors
gets a copy and is consulted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.errors import NotFound

from .refusals import SchoolNotMaintained
from .vocabulary import CategoryOfConcern


class SchoolStatus(StrEnum):
    PROPOSED_TO_OPEN = "proposed_to_open"
    OPEN = "open"
    PROPOSED_TO_CLOSE = "proposed_to_close"
    CLOSED = "closed"


class SchoolCategory(StrEnum):
    """The establishment type, grouped as Part 4 sees it."""

    COMMUNITY = "community"
    FOUNDATION = "foundation"
    VOLUNTARY_AIDED = "voluntary_aided"
    VOLUNTARY_CONTROLLED = "voluntary_controlled"
    COMMUNITY_SPECIAL = "community_special"
    FOUNDATION_SPECIAL = "foundation_special"
    MAINTAINED_NURSERY = "maintained_nursery"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit"
    ACADEMY = "academy"
    """Academies of every kind, free schools, UTCs, studio schools, city technology colleges."""
    NOT_MAINTAINED = "not_maintained"
    """Independent schools, non-maintained special schools, colleges and anything unrecognised."""


MAINTAINED_CATEGORIES = frozenset(
    {
        SchoolCategory.COMMUNITY,
        SchoolCategory.FOUNDATION,
        SchoolCategory.VOLUNTARY_AIDED,
        SchoolCategory.VOLUNTARY_CONTROLLED,
        SchoolCategory.COMMUNITY_SPECIAL,
        SchoolCategory.FOUNDATION_SPECIAL,
        SchoolCategory.MAINTAINED_NURSERY,
        SchoolCategory.PUPIL_REFERRAL_UNIT,
    }
)

WITH_FOUNDATION_GOVERNORS = frozenset(
    {
        SchoolCategory.FOUNDATION,
        SchoolCategory.FOUNDATION_SPECIAL,
        SchoolCategory.VOLUNTARY_AIDED,
        SchoolCategory.VOLUNTARY_CONTROLLED,
    }
)
"""Foundation and voluntary schools: someone other than the council appoints foundation governors."""

_EXACT_TYPES: dict[str, SchoolCategory] = {
    "community": SchoolCategory.COMMUNITY,
    "foundation": SchoolCategory.FOUNDATION,
    "voluntary aided": SchoolCategory.VOLUNTARY_AIDED,
    "voluntary controlled": SchoolCategory.VOLUNTARY_CONTROLLED,
    "community special": SchoolCategory.COMMUNITY_SPECIAL,
    "special": SchoolCategory.COMMUNITY_SPECIAL,
    "foundation special": SchoolCategory.FOUNDATION_SPECIAL,
    "local authority nursery": SchoolCategory.MAINTAINED_NURSERY,
    "la nursery": SchoolCategory.MAINTAINED_NURSERY,
    "maintained nursery": SchoolCategory.MAINTAINED_NURSERY,
    "nursery": SchoolCategory.MAINTAINED_NURSERY,
    "pupil referral unit": SchoolCategory.PUPIL_REFERRAL_UNIT,
    "pru": SchoolCategory.PUPIL_REFERRAL_UNIT,
}

_ACADEMY_PREFIXES = (
    "academy",
    "free school",
    "university technical college",
    "studio school",
    "city technology college",
)


def classify_establishment_type(establishment_type: str) -> SchoolCategory:
    """Group an establishment type as written by the schools service or GIAS
    (``TypeOfEstablishment (name)``: "Voluntary aided school", "Academy sponsor led", ...)."""
    words = re.sub(r"[\s_\-]+", " ", establishment_type.strip().lower())
    if words.startswith(_ACADEMY_PREFIXES) or words in {"free", "utc"}:
        return SchoolCategory.ACADEMY
    return _EXACT_TYPES.get(re.sub(r" schools?$", "", words), SchoolCategory.NOT_MAINTAINED)


def is_church_of_england_or_roman_catholic(religious_character: str | None) -> bool:
    """GIAS writes "Church of England", "Roman Catholic", "Roman Catholic/Church of England",
    "Catholic"; the schools service may write codes ("church_of_england", "roman_catholic")."""
    if not religious_character:
        return False
    words = re.sub(r"[\s_\-]+", " ", religious_character.strip().lower())
    return "church of england" in words or "catholic" in words or words in {"ce", "c of e", "rc"}


def parse_school_status(status: str) -> SchoolStatus:
    """GIAS writes "Open", "Closed", "Open, but proposed to close", "Proposed to open"."""
    words = re.sub(r"[\s_\-]+", " ", status.strip().lower())
    if "proposed to close" in words:
        return SchoolStatus.PROPOSED_TO_CLOSE
    if "proposed to open" in words:
        return SchoolStatus.PROPOSED_TO_OPEN
    if words.startswith("closed"):
        return SchoolStatus.CLOSED
    return SchoolStatus.OPEN


@dataclass(frozen=True)
class SchoolFacts:
    """``maintained`` and ``foundation_governors`` are the register's own classification when
    the schools service states it; otherwise they follow from ``establishment_type``."""

    urn: str | None = None
    name: str = ""
    establishment_type: str = ""
    religious_character: str | None = None
    diocese: str | None = None
    status: SchoolStatus = SchoolStatus.OPEN
    headteacher: str | None = None
    closed_on: date | None = None
    maintained: bool | None = None
    foundation_governors: bool | None = None
    converted_to_academy_on: date | None = None
    academy_urn: str | None = None
    academy_trust: str | None = None
    """The trust: of the academy this school became, or, for an academy that replaced a school,
    its own, as the conversion recorded it."""
    predecessor_urn: str | None = None
    category_of_concern: CategoryOfConcern | None = None
    last_inspected_on: date | None = None

    @property
    def known(self) -> bool:
        return self.urn is not None

    @property
    def category(self) -> SchoolCategory:
        if self.converted_to_academy_on is not None:
            return SchoolCategory.ACADEMY
        return classify_establishment_type(self.establishment_type)

    @property
    def is_academy(self) -> bool:
        return self.category is SchoolCategory.ACADEMY

    @property
    def is_maintained(self) -> bool:
        if self.converted_to_academy_on is not None:
            return False
        if self.maintained is not None:
            return self.maintained
        return self.category in MAINTAINED_CATEGORIES

    @property
    def is_closed(self) -> bool:
        return self.status is SchoolStatus.CLOSED

    @property
    def is_church_of_england_or_roman_catholic(self) -> bool:
        return is_church_of_england_or_roman_catholic(self.religious_character)

    @property
    def has_foundation_governors(self) -> bool:
        if self.foundation_governors is not None:
            return self.foundation_governors
        return self.category in WITH_FOUNDATION_GOVERNORS

    @property
    def is_voluntary_aided(self) -> bool:
        return self.category is SchoolCategory.VOLUNTARY_AIDED


UNKNOWN_SCHOOL = SchoolFacts()
"""The facts of a URN the schools service has never registered."""


def require_open_maintained_school(school: SchoolFacts, urn: str, action: str) -> None:
    """Refuse ``action`` (e.g. "give a warning notice") unless the council maintains ``urn`` and
    it is open. Academies are pointed to the letter-of-concern route (domain.md section 1)."""
    if not school.known or school.urn != urn:
        raise NotFound(f"No school with URN {urn} is known to the schools service.", field="urn")
    if school.converted_to_academy_on is not None:
        successor = f" under URN {school.academy_urn}" if school.academy_urn else ""
        raise SchoolNotMaintained(
            f"{school.name} (URN {urn}) became an academy{successor} on "
            f"{school.converted_to_academy_on.isoformat()}, which the council does not maintain: it "
            f"cannot {action}. Write a letter of concern to the academy trust, and then to the "
            "Secretary of State, instead.",
            field="urn",
        )
    if school.status is SchoolStatus.PROPOSED_TO_OPEN:
        raise SchoolNotMaintained(
            f"{school.name} (URN {urn}) has not opened: the council cannot {action}.", field="urn"
        )
    if school.is_closed:
        closed = f" on {school.closed_on.isoformat()}" if school.closed_on else ""
        raise SchoolNotMaintained(
            f"{school.name} (URN {urn}) closed{closed}: the council cannot {action}.", field="urn"
        )
    if school.is_academy:
        raise SchoolNotMaintained(
            f"{school.name} (URN {urn}) is an academy, which the council does not maintain: it "
            f"cannot {action}. Write a letter of concern to the academy trust, and then to the "
            "Secretary of State, instead.",
            field="urn",
        )
    if not school.is_maintained:
        raise SchoolNotMaintained(
            f"{school.name} (URN {urn}) is a {school.establishment_type or 'school of unknown type'}, "
            f"not a school the council maintains: it cannot {action}.",
            field="urn",
        )
