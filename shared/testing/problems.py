"""What every refusal looks like to a caller, checked the same way by every service's tests."""

from __future__ import annotations

from shared.testing.fixtures import settle
from shared.web.problem_types import entry


def assert_problem(answer, status: int, field: str) -> None:
    """An RFC 9457 problem with this status, naming ``field``, with a detail a person can act on."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == status
    assert body["field"] == field, body
    assert body["detail"]


async def refused(
    client, method: str, path: str, *, headers: dict[str, str], json=None, status: int, problem_type: str,
    field: str,
) -> dict:
    """Make a request the rules refuse: a problem with this status, catalogued ``problem_type``
    and ``field``, and nothing recorded (the log's head is where it was). Returns the problem."""
    store = client.app.state.store
    before = await store.head_position()
    while True:  # what earlier requests set off (a policy's reaction) is recorded before this one
        await settle(client.app)
        if (head := await store.head_position()) == before:
            break
        before = head
    answer = await client.request(method, path, headers=headers, json=json)
    assert_problem(answer, status, field)
    problem = answer.json()
    assert problem["type"] == entry(problem_type).uri, problem
    assert await store.head_position() == before, f"{method} {path} was refused but recorded events"
    return problem
