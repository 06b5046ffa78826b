"""A list asked to start from a cursor it never gave - garbled, cut short, or holding values no
row could have (a NUL in an id, a day that does not exist, a number where a day belongs) - is
refused with 422 naming ``after``, never a server error."""

from __future__ import annotations

import base64
import json

import pytest


def cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


NOT_CURSORS = {
    "not base64": "this is not a cursor!",
    "not JSON": cursor_of("2024-01-08,abc"),
    "one value short": cursor_of(json.dumps(["2024-01-08"])),
    "a NUL in the id": cursor_of(json.dumps(["2024-01-08", "abc\u0000"])),
    "no such day": cursor_of(json.dumps(["2024-02-30", "abc"])),
    "a number for a day": cursor_of(json.dumps([20240108, "abc"])),
    "empty": "",
}


@pytest.mark.parametrize("path", ["/notices", "/directions"])
@pytest.mark.parametrize("after", NOT_CURSORS.values(), ids=NOT_CURSORS.keys())
async def test_a_cursor_the_list_never_gave_is_refused_naming_after(client, auth, path, after):
    response = await client.get(path, params={"after": after}, headers=auth("auditor"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "after"
    assert "next_cursor" in problem["detail"]
