"""A letter of concern about an academy that replaced a maintained school goes to the trust the
conversion recorded: the schools service names the trust on the predecessor's
``SchoolConvertedToAcademy`` and registers the academy under its new URN with a link back, and
the notices service follows that link rather than asking the officer to type the trust again."""

from __future__ import annotations

from datetime import date

from shared.eventlog.records import NewEvent
from schools.domain import conversion as schools_conversion
from schools.domain import register as schools_register
from schools.domain.establishments import EstablishmentType

PREDECESSOR, ACADEMY = "100061", "148061"
TRUST = "Weald Learning Trust"


async def _convert(store, *, trust_name: str | None, converted_on: date) -> None:
    """What the schools service records when the school converts: its own decision, both streams."""
    records = await store.read_stream(f"school-{PREDECESSOR}")
    predecessor = schools_register.NO_SCHOOL
    for record in records:
        predecessor = schools_register.evolve(
            predecessor, schools_register.SchoolRegistered.model_validate(record.data)
        )
    command = schools_conversion.RecordAcademyConversion(
        urn=PREDECESSOR,
        academy_urn=ACADEMY,
        academy_name="Riverside Academy",
        academy_type=EstablishmentType.ACADEMY_SPONSOR_LED,
        trust_name=trust_name,
        converted_on=converted_on,
    )
    conversion = schools_conversion.decide_conversion(
        command, predecessor, schools_register.NO_SCHOOL, today=converted_on
    )
    for stream_id, events in (
        (conversion.predecessor_stream, conversion.predecessor_events),
        (conversion.academy_stream, conversion.academy_events),
    ):
        await store.append(
            stream_id,
            [NewEvent.from_event(e, default_effective_date=converted_on) for e in events],
            metadata={"service": "schools", "actor": "schools-tester"},
        )


async def test_a_letter_to_the_trust_needs_no_trust_name_when_the_conversion_recorded_it(
    client, schools, store, on, director, count_events
):
    await schools.register(PREDECESSOR, "Riverside Community Primary School")
    await _convert(store, trust_name=TRUST, converted_on=date(2023, 9, 1))
    on(date(2024, 3, 4))

    sent = await client.post(
        f"/academy-concerns/{ACADEMY}/letters-to-trust",
        json={"sent_on": "2024-03-04", "concerns": ["Safeguarding records incomplete"]},
        headers=director,
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["trust_name"] == TRUST


async def test_without_a_recorded_trust_the_letter_still_asks_for_one_and_records_nothing(
    client, schools, store, on, director, count_events
):
    await schools.register(PREDECESSOR, "Riverside Community Primary School")
    await _convert(store, trust_name=None, converted_on=date(2023, 9, 1))
    on(date(2024, 3, 4))
    before = await count_events(client)
    refused = await client.post(
        f"/academy-concerns/{ACADEMY}/letters-to-trust",
        json={"sent_on": "2024-03-04", "concerns": ["Safeguarding records incomplete"]},
        headers=director,
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "trust_name"), refused.text
    assert await count_events(client) == before
