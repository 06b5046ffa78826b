"""The event-log service's feed listener is one of the tasks /health watches."""

from __future__ import annotations


async def test_health_fails_naming_the_feed_listener_when_it_has_stopped(client):
    assert (await client.get("/health")).status_code == 200
    await client.app.state.own_background_tasks["feed_listener"].stop()
    answer = await client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["stopped"] == ["feed_listener"]
