"""What every refusal looks like to a caller, checked the same way by every service's tests."""

from __future__ import annotations


def assert_problem(answer, status: int, field: str) -> None:
    """An RFC 9457 problem with this status, naming ``field``, with a detail a person can act on."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == status
    assert body["field"] == field, body
    assert body["detail"]
