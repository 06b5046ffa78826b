"""The public events page is the code's own description of the events, never out of date."""

from pupil_premium.domain.events import PUPIL_PREMIUM_EVENT_TYPES
from pupil_premium import events_doc
from pupil_premium.events_doc import PAGE, WHEN, render


def test_the_events_page_matches_the_catalogue():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/events-pupil-premium.md is out of date: run `python -m pupil_premium.events_doc --write`"
    )


def test_every_public_event_says_when_it_is_appended():
    assert set(WHEN) == {cls.event_type for cls in PUPIL_PREMIUM_EVENT_TYPES}


def test_the_check_names_the_command_that_brings_the_page_up_to_date(monkeypatch, capsys):
    assert events_doc.main(["--check"]) == 0
    monkeypatch.setattr(events_doc, "render", lambda: render() + "\nan event added since\n")
    assert events_doc.main(["--check"]) == 1
    assert "run python -m pupil_premium.events_doc --write" in capsys.readouterr().err
