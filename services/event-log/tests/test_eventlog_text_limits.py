"""Every text, list and map the event-log service's request bodies carry (the data protection
officer's records) has a limit in its OpenAPI document (docs/limits.md)."""

from __future__ import annotations

from shared.text import NOTE_MAX, TITLE_MAX, unlimited_request_fields

from event_log.main import create_app


def test_every_text_a_request_body_carries_is_bounded(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    document = create_app().openapi()
    assert unlimited_request_fields(document) == []
    schemas = document["components"]["schemas"]
    assert schemas["ErasureBody"]["properties"]["reason"]["maxLength"] == NOTE_MAX
    assert schemas["RetentionRuleBody"]["properties"]["source"]["maxLength"] == TITLE_MAX
