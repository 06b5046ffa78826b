"""The public contract: every event the notices service writes is in its catalogue under a
unique, stable name, concerns its school, and survives the log (stored as JSON, read back equal)."""

import inspect
from datetime import date

from notices.domain import (
    academy_concern,
    academy_order,
    academy_order_law,
    direction_events,
    intervention_events,
    secretary_of_state_notices,
    warning_notice_events,
)
from notices.domain.catalogue import NOTICES_EVENTS, notices_catalogue
from notices.domain.intervention_events import (
    ArrangementsRequired,
    ConsultationStarted,
    InterimExecutiveBoardEstablished,
    PowersLapsed,
    SchoolBecameEligibleForIntervention,
)
from notices.domain.notice_content import NoticeContent
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.vocabulary import (
    POWERS_THAT_LAPSE,
    ArrangementForm,
    CompliancePeriod,
    EligibilityBasis,
    Ground,
    LowStandardsBasis,
    Power,
)
from notices.domain.warning_notice_events import WarningNoticeDrafted, WarningNoticeGiven

from shared.events import Event

URN = "118001"
CONTENT = NoticeContent(
    grounds=(Ground.LOW_STANDARDS,),
    low_standards_basis=(LowStandardsBasis.EXPECTED_ATTAINMENT, LowStandardsBasis.COMPARABLE_SCHOOLS),
    concerns=("Below the floor standard for three years.",),
    required_actions=("Adopt the council's improvement plan.",),
    compliance_period=CompliancePeriod(working_days=15),
    powers_minded_to_use=(Power.S63_REQUIRE_ARRANGEMENTS,),
)
GOVERNORS = Recipient(role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School")

SAMPLES: list[Event] = [
    WarningNoticeDrafted(
        urn=URN, notice_id="WN1", school_name="Harbour", drafted_on=date(2022, 9, 1), content=CONTENT
    ),
    WarningNoticeGiven(
        urn=URN,
        notice_id="WN1",
        school_name="Harbour",
        given_on=date(2022, 9, 9),
        rules="eaa2016",
        content=CONTENT,
        compliance_period_ends_on=date(2022, 10, 3),
        representations_allowed=False,
        representation_window_ends_on=None,
        powers_lapse_on=date(2022, 12, 4),
        recipients=(GOVERNORS, Recipient(role=RecipientRole.OFSTED, name="Ofsted")),
        direction_id="D1",
    ),
    SchoolBecameEligibleForIntervention(
        urn=URN,
        basis=EligibilityBasis.WARNING_NOTICE,
        eligible_from=date(2022, 10, 5),
        notice_id="WN1",
        compliance_period_ended_on=date(2022, 10, 3),
        powers_lapse_on=date(2022, 12, 4),
    ),
    ConsultationStarted(
        urn=URN,
        consultation_id="C1",
        power=Power.S63_REQUIRE_ARRANGEMENTS,
        proposal="Advisory contract.",
        consultees=(GOVERNORS,),
        started_on=date(2022, 10, 6),
        closes_on=date(2022, 10, 20),
    ),
    ArrangementsRequired(
        urn=URN,
        required_on=date(2022, 10, 21),
        form=ArrangementForm.ADVISORY_SERVICES,
        with_whom="Seaview Teaching School",
        details="Leadership of maths.",
        consultation_id="C1",
    ),
    InterimExecutiveBoardEstablished(
        urn=URN,
        notice_given_on=date(2023, 4, 5),
        starts_on=date(2023, 4, 17),
        ends_on=None,
        members=("A", "B"),
        chair="A",
    ),
    PowersLapsed(urn=URN, notice_id="WN1", lapsed_on=date(2022, 12, 4), powers=POWERS_THAT_LAPSE),
    secretary_of_state_notices.SecretaryOfStateWarningNoticeRecorded(
        urn=URN,
        notice_id="SN1",
        school_name="Harbour",
        giver_name="Regional Director, South East",
        given_on=date(2022, 11, 1),
        told_on=date(2022, 11, 2),
        rules="eaa2016",
        grounds=(Ground.LOW_STANDARDS,),
        compliance_period=CompliancePeriod(ends_on=date(2022, 12, 16)),
        compliance_period_ends_on=date(2022, 12, 16),
        copies=(GOVERNORS, Recipient(role=RecipientRole.LOCAL_AUTHORITY, name="The council")),
        superseded_notice_ids=("WN1",),
    ),
    warning_notice_events.WarningNoticeSuperseded(
        urn=URN,
        notice_id="WN1",
        ended_on=date(2022, 11, 1),
        superseded_by="SN1",
        superseded_by_giver="Regional Director, South East",
        reason="The Secretary of State gave the school a warning notice.",
    ),
    secretary_of_state_notices.CouncilPermittedToGiveWarningNotice(
        urn=URN, permitted_on=date(2023, 1, 9), permitted_by="Regional Director, South East"
    ),
]


def defined_events(module):
    return {
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Event) and cls.__module__ == module.__name__ and "event_type" in cls.__dict__
    }


def test_every_event_class_the_service_defines_is_in_its_catalogue():
    defined = set().union(
        *(
            defined_events(m)
            for m in (
                warning_notice_events,
                intervention_events,
                direction_events,
                academy_concern,
                secretary_of_state_notices,
                academy_order,
                academy_order_law,
            )
        )
    )
    assert defined == set(NOTICES_EVENTS)
    assert len({cls.event_type for cls in NOTICES_EVENTS}) == len(NOTICES_EVENTS)


def test_events_read_back_from_their_stored_json_equal_what_was_written():
    catalogue = notices_catalogue()
    for event in SAMPLES:
        assert catalogue.decode(event.event_type, event.schema_version, event.to_data()) == event


def test_every_event_concerns_its_school_and_has_the_date_it_took_effect():
    for event in SAMPLES:
        assert event.subjects() == [f"school:{URN}"]
        assert event.effective_on() is not None
