"""The published contract: docs/events-notices.md matches the event classes, and the event-log
service can fold every stream category the notices service owns."""

from datetime import date

from notices import events_doc, replay
from notices.domain.catalogue import notices_catalogue
from notices.domain.vocabulary import EligibilityBasis


def test_the_events_page_is_generated_from_the_catalogue_and_up_to_date():
    assert events_doc.main(["--check"]) == 0, "run: python -m notices.events_doc --write"
    page = events_doc.render()
    for cls in notices_catalogue().event_classes():
        assert f"### {cls.event_type} (schema version {cls.schema_version})" in page
    assert "reads `WarningNoticeGiven` (`urn`, `notice_id`, `given_on`)" in page


def test_replay_folds_each_category_and_renders_the_state_as_json():
    assert set(replay.AGGREGATES) == {
        "notice",
        "intervention",
        "direction",
        "academyconcern",
        "academyorder",
        "academyorderlaw",
        "sosnotices",
    }
    initial, evolve, catalogue = replay.AGGREGATES["intervention"]
    stored = {
        "urn": "100001",
        "basis": "special_measures",
        "eligible_from": "2024-09-18",
        "inspection_id": "10293847",
    }
    state = evolve(initial, catalogue.decode("SchoolBecameEligibleForIntervention", 1, stored))
    assert (
        state.eligible_on(date(2024, 9, 18))
        and state.eligibility[0].basis is EligibilityBasis.SPECIAL_MEASURES
    )
    rendered = replay.state_to_json(state)
    assert rendered["urn"] == "100001"
    assert rendered["eligibility"][0]["eligible_from"] == "2024-09-18"
    assert rendered["eligibility"][0]["basis"] == "special_measures"
    for initial, _evolve, _catalogue in replay.AGGREGATES.values():
        assert isinstance(replay.state_to_json(initial), dict)
