"""The schools service's events, as it writes them, decode through the notices service's adapter
into the facts the notices rules need. This is the contract between the two services: if the
schools service renames a field the notices service reads, this fails."""

from datetime import date

from notices.domain.catalogue import read_catalogue
from notices.domain.school_facts import SchoolCategory, SchoolStatus
from notices.domain.schools_events import school_facts_from
from notices.domain.vocabulary import CategoryOfConcern
from schools.domain import inspections as schools_inspections
from schools.domain import register as schools_register


def through_the_log(event):
    """What the notices service reads back: the stored data decoded by its own catalogue."""
    return read_catalogue().decode(event.event_type, event.schema_version, event.to_data())


def registered(**changes):
    fields = {
        "urn": "118230",
        "name": "St Anselm's Catholic Primary School",
        "la_code": "886",
        "establishment_type": "voluntary_aided",
        "phase": "primary",
        "religious_character": "Roman Catholic",
        "diocese": "Archdiocese of Southwark",
        "headteacher": "Mrs B Okafor",
        "status": "open",
        "registered_on": date(2010, 9, 1),
    }
    return schools_register.SchoolRegistered(**{**fields, **changes})


def test_a_registered_voluntary_aided_catholic_school_reads_as_maintained_with_a_diocese_and_foundation():
    facts = school_facts_from([through_the_log(registered())])
    assert facts.urn == "118230" and facts.is_maintained and not facts.is_academy
    assert facts.category is SchoolCategory.VOLUNTARY_AIDED
    assert facts.is_church_of_england_or_roman_catholic and facts.diocese == "Archdiocese of Southwark"
    assert facts.has_foundation_governors and facts.headteacher == "Mrs B Okafor"


def test_an_academy_registered_by_the_schools_service_reads_as_an_academy():
    academy = registered(urn="147001", name="St Anselm's Academy", establishment_type="academy_converter")
    facts = school_facts_from([through_the_log(academy)])
    assert facts.is_academy and not facts.is_maintained


def test_conversion_then_closure_of_the_predecessor_reads_as_an_academy_with_its_new_urn():
    converted = schools_register.SchoolConvertedToAcademy(
        urn="118230",
        academy_urn="147001",
        academy_name="St Anselm's Academy",
        academy_type="academy_converter",
        trust_name="Kent Catholic Schools Partnership",
        converted_on=date(2019, 4, 1),
    )
    closed = schools_register.SchoolClosed(
        urn="118230", previous_status="open", closed_on=date(2019, 3, 31), successor_urn="147001"
    )
    facts = school_facts_from([through_the_log(e) for e in (registered(), converted, closed)])
    assert facts.is_academy and facts.is_closed
    assert facts.academy_urn == "147001" and facts.academy_trust == "Kent Catholic Schools Partnership"


def test_the_academy_that_replaced_a_school_has_the_trust_its_predecessors_conversion_named():
    converted = schools_register.SchoolConvertedToAcademy(
        urn="118230",
        academy_urn="147001",
        academy_name="St Anselm's Academy",
        academy_type="academy_converter",
        trust_name="Kent Catholic Schools Partnership",
        converted_on=date(2019, 4, 1),
    )
    academy = registered(
        urn="147001",
        name="St Anselm's Academy",
        establishment_type="academy_converter",
        predecessor_urn="118230",
    )
    facts = school_facts_from(
        [through_the_log(academy)], [through_the_log(registered()), through_the_log(converted)]
    )
    assert facts.predecessor_urn == "118230" and facts.academy_trust == "Kent Catholic Schools Partnership"
    # A conversion into another academy names another trust, not this one's.
    elsewhere = converted.model_copy(update={"academy_urn": "147999", "trust_name": "Another Trust"})
    assert school_facts_from([through_the_log(academy)], [through_the_log(elsewhere)]).academy_trust is None


def test_a_status_change_and_changed_details_read_through():
    proposed = schools_register.SchoolStatusChanged(
        urn="118230", status="proposed_to_close", previous_status="open", changed_on=date(2024, 1, 10)
    )
    details = registered().model_dump(include=set(schools_register.EDITABLE_DETAILS))
    changed = schools_register.SchoolDetailsChanged(
        urn="118230",
        **{**details, "diocese": "Diocese of Arundel and Brighton"},
        changed_fields=["diocese"],
        changed_on=date(2024, 1, 11),
    )
    facts = school_facts_from([through_the_log(e) for e in (registered(), proposed, changed)])
    assert facts.status is SchoolStatus.PROPOSED_TO_CLOSE
    assert facts.diocese == "Diocese of Arundel and Brighton"


def test_an_inspection_placing_the_school_in_special_measures_reads_as_that_category():
    inspection = schools_inspections.InspectionRecorded(
        urn="118230",
        inspection_id="INS1",
        inspected_on=date(2023, 3, 1),
        inspection_type="graded",
        framework="ofsted_september_2012",
        overall_effectiveness="inadequate",
        category_of_concern="special_measures",
        below_good=True,
    )
    read = through_the_log(inspection)
    assert read.category() is CategoryOfConcern.SPECIAL_MEASURES and read.sets_judgement
    assert (
        school_facts_from([through_the_log(registered()), read]).category_of_concern
        is CategoryOfConcern.SPECIAL_MEASURES
    )
