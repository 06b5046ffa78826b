"""What kind of establishment a school is: its URN, type, phase and status (domain.md section 1).

The values follow the national register (Get Information About Schools); ``gias.py`` maps the
register's display names onto them. Whether a school is *maintained* by the council decides
which powers apply to it (an academy cannot be given a section 60 warning notice), and whether
it has *foundation governors* decides who is consulted and copied in on notices.
"""

from __future__ import annotations

import re
from enum import StrEnum

from shared.errors import InvalidInput

_LA_CODE = re.compile(r"[0-9]{3}")


def valid_la_code(value: str, *, field: str = "la_code") -> str:
    """A local authority code is three digits (Kent is 886, Medway 887)."""
    if not isinstance(value, str) or _LA_CODE.fullmatch(value) is None:
        raise InvalidInput(
            f"{value!r} is not a local authority code: it is three digits, e.g. 886",
            field=field,
        )
    return value


class EstablishmentType(StrEnum):
    COMMUNITY = "community"
    FOUNDATION = "foundation"
    VOLUNTARY_AIDED = "voluntary_aided"
    VOLUNTARY_CONTROLLED = "voluntary_controlled"
    COMMUNITY_SPECIAL = "community_special"
    FOUNDATION_SPECIAL = "foundation_special"
    LA_NURSERY = "la_nursery"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit"
    ACADEMY_CONVERTER = "academy_converter"
    ACADEMY_SPONSOR_LED = "academy_sponsor_led"
    ACADEMY_SPECIAL_CONVERTER = "academy_special_converter"
    ACADEMY_SPECIAL_SPONSOR_LED = "academy_special_sponsor_led"
    ACADEMY_ALTERNATIVE_PROVISION_CONVERTER = "academy_alternative_provision_converter"
    ACADEMY_ALTERNATIVE_PROVISION_SPONSOR_LED = "academy_alternative_provision_sponsor_led"
    ACADEMY_16_19_CONVERTER = "academy_16_19_converter"
    ACADEMY_16_19_SPONSOR_LED = "academy_16_19_sponsor_led"
    FREE_SCHOOL = "free_school"
    FREE_SCHOOL_SPECIAL = "free_school_special"
    FREE_SCHOOL_ALTERNATIVE_PROVISION = "free_school_alternative_provision"
    FREE_SCHOOL_16_19 = "free_school_16_19"
    STUDIO_SCHOOL = "studio_school"
    UNIVERSITY_TECHNICAL_COLLEGE = "university_technical_college"
    CITY_TECHNOLOGY_COLLEGE = "city_technology_college"
    NON_MAINTAINED_SPECIAL = "non_maintained_special"
    INDEPENDENT = "independent"
    INDEPENDENT_SPECIAL = "independent_special"
    FURTHER_EDUCATION = "further_education"
    OTHER = "other"


#: Schools the council maintains: its powers of intervention (EIA 2006 Part 4) apply to these.
MAINTAINED_TYPES = frozenset(
    {
        EstablishmentType.COMMUNITY,
        EstablishmentType.FOUNDATION,
        EstablishmentType.VOLUNTARY_AIDED,
        EstablishmentType.VOLUNTARY_CONTROLLED,
        EstablishmentType.COMMUNITY_SPECIAL,
        EstablishmentType.FOUNDATION_SPECIAL,
        EstablishmentType.LA_NURSERY,
        EstablishmentType.PUPIL_REFERRAL_UNIT,
    }
)

#: State-funded schools outside the council's maintenance: academies and free schools, funded
#: by the Secretary of State through a trust.
ACADEMY_TYPES = frozenset(
    {
        EstablishmentType.ACADEMY_CONVERTER,
        EstablishmentType.ACADEMY_SPONSOR_LED,
        EstablishmentType.ACADEMY_SPECIAL_CONVERTER,
        EstablishmentType.ACADEMY_SPECIAL_SPONSOR_LED,
        EstablishmentType.ACADEMY_ALTERNATIVE_PROVISION_CONVERTER,
        EstablishmentType.ACADEMY_ALTERNATIVE_PROVISION_SPONSOR_LED,
        EstablishmentType.ACADEMY_16_19_CONVERTER,
        EstablishmentType.ACADEMY_16_19_SPONSOR_LED,
        EstablishmentType.FREE_SCHOOL,
        EstablishmentType.FREE_SCHOOL_SPECIAL,
        EstablishmentType.FREE_SCHOOL_ALTERNATIVE_PROVISION,
        EstablishmentType.FREE_SCHOOL_16_19,
        EstablishmentType.STUDIO_SCHOOL,
        EstablishmentType.UNIVERSITY_TECHNICAL_COLLEGE,
        EstablishmentType.CITY_TECHNOLOGY_COLLEGE,
    }
)

#: Foundation and voluntary schools: someone other than the council appoints foundation
#: governors, and must be consulted and copied in on warning notices (domain.md section 4).
FOUNDATION_GOVERNOR_TYPES = frozenset(
    {
        EstablishmentType.FOUNDATION,
        EstablishmentType.FOUNDATION_SPECIAL,
        EstablishmentType.VOLUNTARY_AIDED,
        EstablishmentType.VOLUNTARY_CONTROLLED,
    }
)


def is_maintained(establishment_type: EstablishmentType) -> bool:
    return establishment_type in MAINTAINED_TYPES


def is_academy(establishment_type: EstablishmentType) -> bool:
    return establishment_type in ACADEMY_TYPES


class Phase(StrEnum):
    NURSERY = "nursery"
    PRIMARY = "primary"
    MIDDLE_DEEMED_PRIMARY = "middle_deemed_primary"
    MIDDLE_DEEMED_SECONDARY = "middle_deemed_secondary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SIXTEEN_PLUS = "sixteen_plus"
    SPECIAL = "special"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit"
    NOT_APPLICABLE = "not_applicable"


class SchoolStatus(StrEnum):
    PROPOSED_TO_OPEN = "proposed_to_open"
    OPEN = "open"
    PROPOSED_TO_CLOSE = "proposed_to_close"
    CLOSED = "closed"
