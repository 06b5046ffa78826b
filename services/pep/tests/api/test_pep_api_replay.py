"""The event-log service folds this service's streams to their state as of a position with
``pep.replay`` (architecture.md, "Replay": any stream can be folded to its state as of a position)."""

from __future__ import annotations

import json

from event_log.registry import discover
from pep.replay import AGGREGATES
from shared.jsonable import state_to_json
from shared.services import service


def fold(category: str, records):
    initial, evolve, catalogue = AGGREGATES[category]
    state = initial
    for record in records:
        state = evolve(state, catalogue.decode(record.event_type, record.schema_version, record.data))
    return state


async def test_a_child_and_their_peps_fold_to_json_as_of_any_position(pep_service, store, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", "118001", entered="2026-09-07", start="2026-09-08")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        await api.complete_pep(
            "C1",
            "P1",
            meeting="2026-09-21",
            submitted="2026-09-22",
            targets=[helpers.target("T1", "2026-12-11")],
        )
        records = await store.read_stream("pep-C1")
        submitted_at = next(r.position for r in records if r.event_type == "PepSubmitted")

        then = state_to_json(fold("pep", await store.read_stream("pep-C1", up_to_position=submitted_at)))
        now = state_to_json(fold("pep", records))
        json.dumps([then, now])  # plain JSON all the way down
        assert then["peps"]["P1"]["status"] == "submitted"
        assert now["peps"]["P1"]["status"] == "quality_assured"
        assert now["targets"]["T1"]["in_force"] is True

        child = state_to_json(fold("child", await store.read_stream("child-C1")))
        assert child["placements"] == [{"urn": "118001", "start_date": "2026-09-08", "end_date": None}]
        assert child["status"] == "looked_after"


def test_the_event_log_finds_the_pep_aggregates_and_contract_without_problems():
    registry = discover([service("pep")])
    assert {"child", "pep", "schoolconcern", "pepconfig"} <= set(registry.aggregates)
    assert registry.problems == []
    [catalogue] = registry.catalogues
    assert catalogue.catalogue.knows("ChildPlacedAtSchool")
    assert not catalogue.catalogue.knows("InspectionRecorded")  # read, not written, by the pep service
