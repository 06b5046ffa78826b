"""docs/events-pep.md is generated from the catalogue and kept current: every event the service
appends is documented, with its fields."""

from __future__ import annotations

from pep.domain.catalogue import pep_event_catalogue
from pep.events_doc import DOCUMENT, main, render


def test_the_events_document_is_current() -> None:
    assert main(["--check"]) == 0, "run python -m pep.events_doc --write"


def test_every_event_the_service_appends_is_documented_with_its_fields() -> None:
    text = render()
    for cls in pep_event_catalogue().event_classes():
        assert f"### {cls.event_type} (schema version {cls.schema_version})" in text
        for field in cls.model_fields:
            assert f"| `{field}` |" in text
    assert DOCUMENT.name == "events-pep.md"


def test_the_personal_data_each_event_holds_is_named() -> None:
    text = render()
    personal = [cls for cls in pep_event_catalogue().event_classes() if cls.personal_fields]
    assert {"ChildEnteredCare", "ChildDetailsCorrected", "PepReviewRecorded"} <= {
        cls.event_type for cls in personal
    }
    for cls in personal:
        named = ", ".join(f"`{name}`" for name in cls.personal_fields)
        assert f"Personal data (sealed with the child's key): {named}." in text, cls.event_type
