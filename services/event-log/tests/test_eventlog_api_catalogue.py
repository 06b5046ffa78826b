"""The event catalogue is generated from the services' code: served by the API, rendered in the
docs (which must match the code), and found by importing each service's own modules."""

from __future__ import annotations

import textwrap

from shared.services import SERVICES, ServiceSpec

from event_log.catalogue_doc import DOC_PATH, render
from event_log.registry import discover


async def test_the_catalogue_lists_every_services_events_with_version_and_json_schema(client, auth):
    body = (await client.get("/catalogue", headers=auth("service", scopes=["event-log:read"]))).json()
    services = {s["service"]: s for s in body["services"]}
    assert {"schools", "pep", "pupil-premium", "notices"} <= set(services)
    for service in services.values():
        assert service["events"], service["service"]
        for event in service["events"]:
            assert event["schema_version"] >= 1
            assert event["json_schema"]["type"] == "object"
    pep_types = {e["type"]: e for e in services["pep"]["events"]}
    moved = pep_types["ChildMovedSchool"]["json_schema"]
    assert {"from_urn", "to_urn", "left_previous_school_on", "start_date"} <= set(moved["properties"])
    ledger = {e["type"]: e for e in services["ledger"]["events"]}
    assert ledger["AmountAdded"]["schema_version"] == 2
    assert services["ledger"]["stream_categories"] == ["ledger"]


async def test_one_event_type_is_served_with_its_owner_and_an_unknown_one_is_not_found(client, auth):
    headers = auth("auditor")
    one = (await client.get("/catalogue/ChildPlacedAtSchool", headers=headers)).json()
    assert (one["service"], one["type"]) == ("pep", "ChildPlacedAtSchool")
    assert "urn" in one["json_schema"]["required"]
    missing = await client.get("/catalogue/NoSuchEvent", headers=headers)
    assert missing.status_code == 404 and missing.json()["field"] == "event_type"


def test_no_two_services_write_an_event_type_of_the_same_name():
    """A type name is global in the log: a consumer filtering the feed by it, or reading its
    schema, must get one service's events in one shape."""
    owners: dict[str, list[str]] = {}
    for entry in discover().catalogues:
        for cls in entry.catalogue.event_classes():
            owners.setdefault(cls.event_type, []).append(entry.service)
    assert {t: s for t, s in owners.items() if len(s) > 1} == {}


def test_the_committed_catalogue_page_is_what_the_code_generates():
    generated = render(discover())
    assert DOC_PATH.read_text(encoding="utf-8") == generated, (
        "docs/event-catalogue.md is out of date: run "
        "`.venv/bin/python -m event_log.catalogue_doc --write` from the repository root"
    )
    for spec in SERVICES:
        if spec.name != "event-log":
            assert f"## {spec.name}\n" in generated


def _write(root, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text))


def test_catalogues_and_aggregates_are_found_by_importing_each_services_modules(tmp_path, monkeypatch):
    _write(tmp_path, "fakesvc/__init__.py", "")
    _write(tmp_path, "fakesvc/domain/__init__.py", "")
    _write(
        tmp_path,
        "fakesvc/domain/catalogue.py",
        """
        from typing import ClassVar
        from shared.events import Event, EventCatalogue

        class Noted(Event):
            event_type: ClassVar[str] = "Noted"
            text: str

        class ForeignThing(Event):
            event_type: ClassVar[str] = "ForeignThing"

        def fake_catalogue() -> EventCatalogue:
            return EventCatalogue("fake", [Noted])

        def reading_catalogue() -> EventCatalogue:
            return EventCatalogue("fake", [Noted, ForeignThing])
        """,
    )
    _write(
        tmp_path,
        "fakesvc/replay.py",
        """
        from types import SimpleNamespace
        from fakesvc.domain.catalogue import fake_catalogue

        def evolve(state, event):
            return state + [event.text]

        def state_to_json(state):
            return {"notes": state}

        CATALOGUE = fake_catalogue()
        CATALOGUE_MODULE = "fakesvc.domain.catalogue"
        AGGREGATES = {
            "note": ([], evolve, fake_catalogue()),
            "memo": SimpleNamespace(initial=[], evolve=evolve, catalogue=fake_catalogue()),
        }
        """,
    )
    _write(tmp_path, "brokensvc/__init__.py", "")
    _write(tmp_path, "brokensvc/events.py", "raise ImportError('half-finished')\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    registry = discover(
        [
            ServiceSpec("fake", "fakesvc.main:create_app", 9001, None, replay="fakesvc.replay"),
            ServiceSpec("broken", "brokensvc.main:create_app", 9002, None, replay="brokensvc.events"),
            ServiceSpec("absent", "absentsvc.main:create_app", 9003, None),
        ]
    )
    (fake,) = registry.catalogues
    assert (fake.service, fake.module) == ("fake", "fakesvc.domain.catalogue")
    assert [c.event_type for c in fake.catalogue.event_classes()] == ["Noted"]  # what it writes
    assert set(registry.aggregates) == {"note", "memo"}
    note = registry.aggregates["note"]
    assert note.state_to_json(
        note.evolve(note.initial, note.catalogue.decode("Noted", 1, {"text": "hi"}))
    ) == {"notes": ["hi"]}
    assert registry.problems == [
        {"service": "broken", "module": "brokensvc.events", "error": "ImportError: half-finished"}
    ]
