"""A register import whose bytes are no text GIAS could have written is refused as bad input
naming the file, never answered with a server error. (Windows-1252 files themselves import: see
test_schools_import_api.py.)"""

from __future__ import annotations

import pytest

# A register header, then a row holding 0x8D: not UTF-8, and undefined in Windows-1252.
NOT_TEXT = b"URN,LA (code)\r\n118234\x8d,886\r\n"


@pytest.mark.parametrize(
    "send",
    [
        {"content": NOT_TEXT, "headers": {"Content-Type": "text/csv"}},
        {"files": {"file": ("edubasealldata.csv", NOT_TEXT, "text/csv")}},
    ],
    ids=["csv body", "multipart file"],
)
async def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused_naming_the_file(
    client, principal_adviser, send
):
    headers = {**principal_adviser, **send.pop("headers", {})}
    response = await client.post("/schools/imports", params={"la_code": "886"}, headers=headers, **send)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["field"] == "file"
    assert "UTF-8" in problem["detail"] and "Windows-1252" in problem["detail"]

