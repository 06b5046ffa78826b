"""The school's facts, folded from the schools service's events, and who they make recipients
of a notice and consultees before a power is used (domain.md section 4)."""

from datetime import date

import pytest
from notices.domain.recipients import Recipient, RecipientRole, consultees, warning_notice_recipients
from notices.domain.rules import BEFORE_18_APRIL_2016, FROM_18_APRIL_2016, CopyTo
from notices.domain.school_facts import SchoolCategory, SchoolStatus, classify_establishment_type
from notices.domain.schools_events import (
    InspectionRecorded,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolDetailsChanged,
    SchoolRegistered,
    SchoolStatusChanged,
    school_facts_from,
)
from notices.domain.vocabulary import CategoryOfConcern

from shared.errors import InvalidInput

ST_ANSELMS = SchoolRegistered(
    urn="118230",
    name="St Anselm's Catholic Primary School",
    establishment_type="voluntary_aided",
    religious_character="Roman Catholic",
    diocese="Archdiocese of Southwark",
    status="open",
    headteacher="Mrs B Okafor",
)


def test_a_registered_school_is_known_and_maintained():
    facts = school_facts_from([ST_ANSELMS])
    assert facts.known and facts.is_maintained and not facts.is_academy
    assert facts.category is SchoolCategory.VOLUNTARY_AIDED
    assert facts.is_church_of_england_or_roman_catholic and facts.has_foundation_governors


def test_the_adapter_ignores_fields_the_notices_service_does_not_read():
    event = SchoolRegistered.model_validate(
        {
            "urn": "118230",
            "name": "X",
            "establishment_type": "community",
            "phase": "primary",
            "la_code": "886",
            "registered_on": "2010-09-01",
        }
    )
    assert school_facts_from([event]).category is SchoolCategory.COMMUNITY


def test_changed_details_carry_every_detail_as_it_now_stands_so_a_cleared_value_is_cleared():
    changed = SchoolDetailsChanged(
        urn="118230",
        name="St Anselm's Catholic Primary School",
        establishment_type="voluntary_aided",
        religious_character="Roman Catholic",
        diocese="Diocese of Arundel and Brighton",
        headteacher=None,
    )
    facts = school_facts_from([ST_ANSELMS, changed])
    assert facts.diocese == "Diocese of Arundel and Brighton"
    assert facts.headteacher is None


def test_a_school_proposed_to_close_is_still_open():
    facts = school_facts_from([ST_ANSELMS, SchoolStatusChanged(urn="118230", status="proposed_to_close")])
    assert facts.status is SchoolStatus.PROPOSED_TO_CLOSE and not facts.is_closed


def test_the_registers_own_classification_wins_over_the_establishment_type():
    event = SchoolRegistered(
        urn="118231",
        name="Hilltop",
        establishment_type="other",
        maintained=True,
        has_foundation_governors=False,
    )
    facts = school_facts_from([event])
    assert facts.is_maintained and not facts.has_foundation_governors


def test_a_closed_school_is_closed():
    facts = school_facts_from([ST_ANSELMS, SchoolClosed(urn="118230", closed_on=date(2020, 8, 31))])
    assert facts.is_closed and facts.status is SchoolStatus.CLOSED and facts.closed_on == date(2020, 8, 31)


def test_a_converted_school_is_an_academy_whatever_its_old_type():
    converted = SchoolConvertedToAcademy(
        urn="118230",
        converted_on=date(2019, 4, 1),
        academy_urn="147001",
        trust_name="Kent Catholic Schools Partnership",
    )
    facts = school_facts_from([ST_ANSELMS, converted])
    assert facts.is_academy and not facts.is_maintained
    assert facts.academy_trust == "Kent Catholic Schools Partnership" and facts.academy_urn == "147001"


def test_the_latest_graded_inspection_sets_the_category_of_concern():
    facts = school_facts_from(
        [
            ST_ANSELMS,
            InspectionRecorded(
                urn="118230", inspected_on=date(2023, 3, 1), category_of_concern="special_measures"
            ),
            InspectionRecorded(urn="118230", inspected_on=date(2021, 3, 1), category_of_concern=None),
        ]
    )
    assert facts.category_of_concern is CategoryOfConcern.SPECIAL_MEASURES
    assert facts.last_inspected_on == date(2023, 3, 1)


def test_a_monitoring_inspection_leaves_the_category_of_concern_standing():
    facts = school_facts_from(
        [
            ST_ANSELMS,
            InspectionRecorded(
                urn="118230",
                inspected_on=date(2023, 3, 1),
                inspection_type="graded",
                category_of_concern="special_measures",
            ),
            InspectionRecorded(urn="118230", inspected_on=date(2023, 6, 1), inspection_type="monitoring"),
        ]
    )
    assert facts.category_of_concern is CategoryOfConcern.SPECIAL_MEASURES


@pytest.mark.parametrize(
    ("establishment_type", "category"),
    [
        ("Community school", SchoolCategory.COMMUNITY),
        ("foundation", SchoolCategory.FOUNDATION),
        ("Voluntary controlled school", SchoolCategory.VOLUNTARY_CONTROLLED),
        ("voluntary_aided", SchoolCategory.VOLUNTARY_AIDED),
        ("Foundation special school", SchoolCategory.FOUNDATION_SPECIAL),
        ("Pupil referral unit", SchoolCategory.PUPIL_REFERRAL_UNIT),
        ("la_nursery", SchoolCategory.MAINTAINED_NURSERY),
        ("Academy converter", SchoolCategory.ACADEMY),
        ("academy_sponsor_led", SchoolCategory.ACADEMY),
        ("Free schools", SchoolCategory.ACADEMY),
        ("studio_school", SchoolCategory.ACADEMY),
        ("Studio schools", SchoolCategory.ACADEMY),
        ("non_maintained_special", SchoolCategory.NOT_MAINTAINED),
        ("Other independent school", SchoolCategory.NOT_MAINTAINED),
    ],
)
def test_gias_and_schools_service_establishment_types_are_grouped_as_part_4_sees_them(
    establishment_type, category
):
    assert classify_establishment_type(establishment_type) is category


def test_a_community_school_notice_goes_to_the_governing_body_headteacher_and_ofsted():
    facts = school_facts_from(
        [
            SchoolRegistered(
                urn="118001",
                name="Harbour Primary School",
                establishment_type="community",
                headteacher="Ms A Patel",
            )
        ]
    )
    assert warning_notice_recipients(facts, BEFORE_18_APRIL_2016.copies_of_council_notice) == (
        Recipient(role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School"),
        Recipient(role=RecipientRole.HEADTEACHER, name="Ms A Patel"),
        Recipient(role=RecipientRole.OFSTED, name="Ofsted"),
    )


def test_since_18_april_2016_a_council_notice_is_copied_to_the_secretary_of_state_not_ofsted():
    facts = school_facts_from(
        [SchoolRegistered(urn="118001", name="Harbour Primary School", establishment_type="community")]
    )
    assert [
        r.role for r in warning_notice_recipients(facts, FROM_18_APRIL_2016.copies_of_council_notice)
    ] == [
        RecipientRole.GOVERNING_BODY,
        RecipientRole.HEADTEACHER,
        RecipientRole.SECRETARY_OF_STATE,
    ]
    # A council reading s60 otherwise keeps Ofsted's copy as rule data, not code.
    with_ofsted = (*FROM_18_APRIL_2016.copies_of_council_notice, CopyTo.OFSTED)
    assert [r.role for r in warning_notice_recipients(facts, with_ofsted)][-1] is RecipientRole.OFSTED


def test_a_secretary_of_state_notice_is_copied_to_the_council_and_the_church_and_foundation_parties():
    recipients = warning_notice_recipients(
        school_facts_from([ST_ANSELMS]),
        FROM_18_APRIL_2016.copies_of_secretary_of_state_notice,
        foundation_governors_appointer="Archdiocese of Southwark Trustees",
    )
    assert [r.role for r in recipients] == [
        RecipientRole.GOVERNING_BODY,
        RecipientRole.HEADTEACHER,
        RecipientRole.DIOCESAN_AUTHORITY,
        RecipientRole.FOUNDATION_GOVERNORS_APPOINTER,
        RecipientRole.LOCAL_AUTHORITY,
    ]
    assert BEFORE_18_APRIL_2016.copies_of_secretary_of_state_notice == ()


def test_a_catholic_voluntary_aided_school_adds_the_diocese_and_the_foundation_governors_appointer():
    facts = school_facts_from([ST_ANSELMS])
    recipients = warning_notice_recipients(
        facts,
        BEFORE_18_APRIL_2016.copies_of_council_notice,
        foundation_governors_appointer="Archdiocese of Southwark Trustees",
    )
    assert [r.role for r in recipients] == [
        RecipientRole.GOVERNING_BODY,
        RecipientRole.HEADTEACHER,
        RecipientRole.DIOCESAN_AUTHORITY,
        RecipientRole.FOUNDATION_GOVERNORS_APPOINTER,
        RecipientRole.OFSTED,
    ]


def test_a_foundation_or_voluntary_school_needs_its_foundation_governors_appointer_named():
    with pytest.raises(InvalidInput) as refused:
        warning_notice_recipients(
            school_facts_from([ST_ANSELMS]), BEFORE_18_APRIL_2016.copies_of_council_notice
        )
    assert refused.value.field == "foundation_governors_appointer"


def test_a_church_school_with_no_diocese_on_record_needs_the_diocesan_authority_named():
    registered = SchoolRegistered(
        urn="118500",
        name="St Mary's CE Primary",
        establishment_type="community",
        religious_character="Church of England",
    )
    facts = school_facts_from([registered])
    with pytest.raises(InvalidInput) as refused:
        consultees(facts)
    assert refused.value.field == "diocesan_authority"
    assert consultees(facts, diocesan_authority="Diocese of Canterbury")[1] == Recipient(
        role=RecipientRole.DIOCESAN_AUTHORITY, name="Diocese of Canterbury"
    )


def test_a_school_of_another_religious_character_has_no_diocesan_copy():
    registered = SchoolRegistered(
        urn="118600", name="Beth Shalom Primary", establishment_type="community", religious_character="Jewish"
    )
    assert [r.role for r in consultees(school_facts_from([registered]))] == [RecipientRole.GOVERNING_BODY]
