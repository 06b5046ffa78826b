"""The published description of the schools events is the catalogue's, and every stream the
service owns can be folded by the event log's replay."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import reduce
from pathlib import Path

from schools.domain.catalogue import SCHOOLS_STREAM_CATEGORIES, schools_catalogue
from schools.domain.categorisation import CouncilCategory
from schools.domain.configuration import CONFIGURATION_CATEGORY, SupportOfferSet
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.floor_standards import KeyStage
from schools.domain.performance import ResultsRecorded, SchoolBelowFloor
from schools.domain.register import SchoolDetailsChanged, SchoolRegistered
from schools.events_doc import RELIED_ON, main, render
from schools.replay import AGGREGATES

from shared.council_calendar import CALENDAR_CATEGORY
from shared.jsonable import state_to_json

DOCUMENT = Path(__file__).resolve().parents[4] / "docs" / "events-schools.md"


def test_the_events_document_is_generated_from_the_catalogue_and_up_to_date() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "docs/events-schools.md is out of date: run `python -m schools.events_doc --write`"
    )
    assert main(["--check"]) == 0


def test_the_document_lists_every_event_and_says_how_a_details_change_reads() -> None:
    text = render()

    assert all(f"### {cls.event_type}\n" in text for cls in schools_catalogue().event_classes())
    relied_on = text.split("## The service's other events")[0]
    assert all(f"### {cls.event_type}\n" in relied_on for cls in RELIED_ON)
    assert "A `null` means the value was cleared" in text


def test_every_stream_category_the_service_owns_can_be_replayed() -> None:
    assert set(AGGREGATES) == {*SCHOOLS_STREAM_CATEGORIES, CONFIGURATION_CATEGORY, CALENDAR_CATEGORY}


def test_a_school_folded_for_replay_reads_as_plain_json() -> None:
    initial, evolve, catalogue = AGGREGATES["school"]
    events = [
        SchoolRegistered(
            urn="118234",
            name="Oak Tree Primary School",
            la_code="886",
            establishment_type=EstablishmentType.COMMUNITY,
            phase=Phase.PRIMARY,
            headteacher="Mrs A Patel",
            status=SchoolStatus.OPEN,
            registered_on=date(2013, 1, 7),
        ),
        SchoolDetailsChanged(
            urn="118234",
            name="Oak Tree Primary School",
            la_code="886",
            establishment_type=EstablishmentType.COMMUNITY,
            phase=Phase.PRIMARY,
            headteacher=None,
            changed_fields=["headteacher"],
            changed_on=date(2014, 2, 3),
        ),
    ]
    stored = [
        catalogue.decode(e.event_type, e.schema_version, json.loads(json.dumps(e.to_data()))) for e in events
    ]

    state = state_to_json(reduce(evolve, stored, initial))

    assert json.loads(json.dumps(state)) == state
    assert state["urn"] == "118234" and state["status"] == "open"
    assert state["details"]["headteacher"] is None and state["details"]["maintained"] is True


def test_results_and_a_configured_offer_fold_with_their_keys_readable() -> None:
    initial, evolve, _ = AGGREGATES["performance"]
    measures = {"pct_level4_english_and_maths": Decimal("55.5")}
    state = reduce(
        evolve,
        [
            ResultsRecorded(
                urn="118234",
                year=2011,
                key_stage=KeyStage.KS2,
                measures=measures,
                published_on=date(2011, 12, 10),
            ),
            SchoolBelowFloor(
                urn="118234",
                year=2011,
                key_stage=KeyStage.KS2,
                results=measures,
                floor={"pct_level4_english_and_maths": Decimal(60)},
                published_on=date(2011, 12, 10),
            ),
        ],
        initial,
    )
    config_initial, config_evolve, _ = AGGREGATES[CONFIGURATION_CATEGORY]
    config = config_evolve(
        config_initial,
        SupportOfferSet(
            effective_from=date(2026, 9, 1),
            days_by_category={c: Decimal(5) for c in CouncilCategory},
            academy_days=Decimal(2),
            source="cabinet",
            set_by="pa.okafor",
            set_on=date(2026, 7, 1),
        ),
    )

    assert state_to_json(state)["results"] == {"2011:ks2": {"pct_level4_english_and_maths": "55.5"}}
    assert state_to_json(state)["below_floor"] == {"2011:ks2": True}
    assert state_to_json(config)["support_offers"]["2026-09-01"]["days_by_category"]["good"] == "5"
