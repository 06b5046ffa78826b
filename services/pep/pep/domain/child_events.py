"""Events of a child's stream (``child-<id>``): care episodes, school places and school notifications.

These are part of the service's public contract: the pupil-premium service reads who is looked
after and on roll where, and auditors read a child's timeline from them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events import Event, child_subject, school_subject


class LegalStatus(StrEnum):
    INTERIM_CARE_ORDER = "interim_care_order"
    FULL_CARE_ORDER = "full_care_order"
    PLACEMENT_ORDER = "placement_order"
    ACCOMMODATED_SECTION_20 = "accommodated_section_20"
    POLICE_PROTECTION = "police_protection"
    EMERGENCY_PROTECTION_ORDER = "emergency_protection_order"
    REMANDED = "remanded"
    OTHER = "other"


class SenStatus(StrEnum):
    EHC_PLAN = "ehc_plan"
    SEN_SUPPORT = "sen_support"
    NONE = "none"


class YearGroup(StrEnum):
    NURSERY = "nursery"
    RECEPTION = "reception"
    YEAR_1 = "year_1"
    YEAR_2 = "year_2"
    YEAR_3 = "year_3"
    YEAR_4 = "year_4"
    YEAR_5 = "year_5"
    YEAR_6 = "year_6"
    YEAR_7 = "year_7"
    YEAR_8 = "year_8"
    YEAR_9 = "year_9"
    YEAR_10 = "year_10"
    YEAR_11 = "year_11"
    YEAR_12 = "year_12"
    YEAR_13 = "year_13"


class LeftCareReason(StrEnum):
    ADOPTED = "adopted"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order"
    RETURNED_HOME = "returned_home"
    AGED_18 = "aged_18"
    TRANSFERRED_TO_ANOTHER_AUTHORITY = "transferred_to_another_authority"
    OTHER = "other"


# Leaving care by these routes makes a child "previously looked after" (the virtual school still
# advises on their education).
PREVIOUSLY_LOOKED_AFTER_ROUTES = frozenset(
    {
        LeftCareReason.ADOPTED,
        LeftCareReason.SPECIAL_GUARDIANSHIP_ORDER,
        LeftCareReason.CHILD_ARRANGEMENTS_ORDER,
    }
)


class PreviouslyLookedAfterRoute(StrEnum):
    ADOPTED = "adopted"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order"
    ADOPTED_FROM_STATE_CARE_ABROAD = "adopted_from_state_care_abroad"


class NotificationReason(StrEnum):
    PLACED_AT_SCHOOL = "placed_at_school"
    MOVED_SCHOOL = "moved_school"
    ENTERED_CARE_WHILE_ON_ROLL = "entered_care_while_on_roll"


class _ChildEvent(Event):
    child_id: str

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)]


class _Recorded(BaseModel):
    # The fields an officer gives in a command and the event that records it, declared once so
    # the two cannot drift apart. Listed first among a class's bases, its fields follow the
    # child's id, in the order the events have always had.
    model_config = ConfigDict(frozen=True, extra="forbid")


class CareEntry(_Recorded):
    name: str
    date_of_birth: date
    entered_care_on: date
    legal_status: LegalStatus
    placing_authority: str
    social_worker: str
    carer: str
    independent_reviewing_officer: str
    sen_status: SenStatus
    year_group: YearGroup


class DetailChanges(_Recorded):
    changed_on: date
    legal_status: LegalStatus | None = None
    social_worker: str | None = None
    carer: str | None = None
    independent_reviewing_officer: str | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = None


class DetailCorrections(_Recorded):
    """The details recorded about a child that were wrong, each given with the value that is right
    (only those being corrected are given)."""

    name: str | None = None
    date_of_birth: date | None = None
    legal_status: LegalStatus | None = None
    social_worker: str | None = None
    carer: str | None = None
    independent_reviewing_officer: str | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = None


class PreviouslyLookedAfterRegistration(_Recorded):
    name: str
    date_of_birth: date
    left_care_on: date
    route: PreviouslyLookedAfterRoute
    previously_looked_after_by: str
    sen_status: SenStatus
    year_group: YearGroup
    registered_on: date


class ChildEnteredCare(CareEntry, _ChildEvent):
    """A child became looked after by the council (the start of a care episode)."""

    event_type: ClassVar[str] = "ChildEnteredCare"
    personal_fields: ClassVar[tuple[str, ...]] = (
        "name", "date_of_birth", "social_worker", "carer", "independent_reviewing_officer",
    )

    def effective_on(self) -> date:
        return self.entered_care_on


class ChildDetailsUpdated(DetailChanges, _ChildEvent):
    """Some of a child's details changed; only the fields that changed are given."""

    event_type: ClassVar[str] = "ChildDetailsUpdated"
    personal_fields: ClassVar[tuple[str, ...]] = ("social_worker", "carer", "independent_reviewing_officer")

    def effective_on(self) -> date:
        return self.changed_on


class ChildDetailsCorrected(DetailCorrections, _ChildEvent):
    """Details recorded about the child were wrong and are corrected (UK GDPR Article 16): each
    value given replaces the wrong one as if it had been recorded right from the start, while the
    event that recorded it stays in the stream. Not a change in the child's circumstances (that is
    ``ChildDetailsUpdated``). ``reason`` says how the error came to light, in the officer's words."""

    event_type: ClassVar[str] = "ChildDetailsCorrected"
    personal_fields: ClassVar[tuple[str, ...]] = (
        "name", "date_of_birth", "social_worker", "carer", "independent_reviewing_officer", "reason",
    )

    corrected_on: date
    reason: str

    def effective_on(self) -> date:
        return self.corrected_on


class ChildAwaitingSchoolPlace(_ChildEvent):
    """The child needs a school place from ``place_needed_from`` and has none.

    When the child was on roll somewhere, ``left_urn`` is that school and ``left_school_on`` the
    last day on its roll.
    """

    event_type: ClassVar[str] = "ChildAwaitingSchoolPlace"
    personal_fields: ClassVar[tuple[str, ...]] = ("reason",)

    place_needed_from: date
    reason: str
    left_urn: str | None = None
    left_school_on: date | None = None

    def subjects(self) -> list[str]:
        return super().subjects() + ([school_subject(self.left_urn)] if self.left_urn else [])

    def effective_on(self) -> date:
        return self.place_needed_from


class ChildPlacedAtSchool(_ChildEvent):
    """The child joined a school's roll while having no current school.

    ``school_days_lost`` counts the school days from ``place_needed_from`` (when the child was
    awaiting a place) up to the day before ``start_date``. ``change_of_school`` is true when the
    child had been at another school earlier in the same care episode, which restarts the PEP clock.
    """

    event_type: ClassVar[str] = "ChildPlacedAtSchool"

    urn: str
    start_date: date
    year_group: YearGroup
    looked_after: bool
    place_needed_from: date | None = None
    school_days_lost: int = 0
    previous_urn: str | None = None
    change_of_school: bool = False

    def subjects(self) -> list[str]:
        return super().subjects() + [school_subject(self.urn)]

    def effective_on(self) -> date:
        return self.start_date


class ChildMovedSchool(_ChildEvent):
    """The child left one school's roll (last day ``left_previous_school_on``) and joined another."""

    event_type: ClassVar[str] = "ChildMovedSchool"
    personal_fields: ClassVar[tuple[str, ...]] = ("reason",)

    from_urn: str
    to_urn: str
    left_previous_school_on: date
    start_date: date
    reason: str
    year_group: YearGroup
    looked_after: bool

    def subjects(self) -> list[str]:
        return super().subjects() + [school_subject(self.from_urn), school_subject(self.to_urn)]

    def effective_on(self) -> date:
        return self.start_date


class ChildLeftCare(_ChildEvent):
    """The care episode ended; ``previously_looked_after`` follows from the route out of care."""

    event_type: ClassVar[str] = "ChildLeftCare"

    left_care_on: date
    reason: LeftCareReason
    previously_looked_after: bool
    urn: str | None = None

    def subjects(self) -> list[str]:
        return super().subjects() + ([school_subject(self.urn)] if self.urn else [])

    def effective_on(self) -> date:
        return self.left_care_on


class PreviouslyLookedAfterChildRegistered(PreviouslyLookedAfterRegistration, _ChildEvent):
    """A child the council never looked after (adopted from another authority's care, or from
    state care abroad, ...) is now tracked by the virtual school as previously looked after."""

    event_type: ClassVar[str] = "PreviouslyLookedAfterChildRegistered"
    personal_fields: ClassVar[tuple[str, ...]] = ("name", "date_of_birth")

    def effective_on(self) -> date:
        return self.registered_on


class _SchoolNotified(_ChildEvent):
    urn: str
    notified_on: date
    reason: NotificationReason

    def subjects(self) -> list[str]:
        return super().subjects() + [school_subject(self.urn)]

    def effective_on(self) -> date:
        return self.notified_on


class HeadteacherNotified(_SchoolNotified):
    """The headteacher of ``urn`` is told that a child looked after by the council is on roll
    (DfE statutory guidance 2018; seed 002). The message is delivered from this event."""

    event_type: ClassVar[str] = "HeadteacherNotified"


class DesignatedTeacherNotified(_SchoolNotified):
    """The designated teacher of ``urn`` is told that a looked-after child is on roll."""

    event_type: ClassVar[str] = "DesignatedTeacherNotified"


CHILD_EVENTS: tuple[type[Event], ...] = (
    ChildEnteredCare,
    ChildDetailsUpdated,
    ChildDetailsCorrected,
    ChildAwaitingSchoolPlace,
    ChildPlacedAtSchool,
    ChildMovedSchool,
    ChildLeftCare,
    PreviouslyLookedAfterChildRegistered,
    HeadteacherNotified,
    DesignatedTeacherNotified,
)
