"""The headers the OpenAPI document declares on an operation are the ones it honours: a write to
one record declares If-Match and refuses a stale one; the register import changes no one record,
reads no If-Match, and does not declare it. (Every answer's ETag and Log-Position are checked
against the document by the test client itself: shared/testing/documented.py.)"""

from __future__ import annotations

from schools.api.imports import EXAMPLE_CSV


def header_names(client, method: str, path: str) -> set[str]:
    operation = client.app.openapi()["paths"][path][method.lower()]
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


async def test_a_write_to_one_record_declares_if_match_and_refuses_a_stale_one(
    client, register, principal_adviser, head
):
    await register()
    before = await head()

    stale = await client.patch(
        "/schools/118234", json={"headteacher": "Mr James Whitfield"}, headers={**principal_adviser, "If-Match": '"7"'}
    )
    current = await client.patch(
        "/schools/118234", json={"headteacher": "Mr James Whitfield"}, headers={**principal_adviser, "If-Match": '"1"'}
    )

    assert {"If-Match", "Idempotency-Key"} <= header_names(client, "PATCH", "/schools/{urn}")
    assert stale.status_code == 409 and stale.json()["type"].endswith("/version-conflict")
    assert current.status_code == 200 and current.headers["etag"] == '"2"'
    assert int(current.headers["log-position"]) == before + 1


async def test_the_register_import_reads_no_if_match_and_does_not_declare_it(client, principal_adviser):
    imported = await client.post(
        "/schools/imports",
        params={"la_code": "886", "as_of": "2026-10-01"},
        content=EXAMPLE_CSV.encode(),
        headers={
            **principal_adviser, "Content-Type": "text/csv", "If-Match": '"999"', "Idempotency-Key": "gias-2026-10-01",
        },
    )

    assert "If-Match" not in header_names(client, "POST", "/schools/imports")
    assert "Idempotency-Key" in header_names(client, "POST", "/schools/imports")
    assert imported.status_code == 200, imported.text
    assert imported.json()["registered"] == 3 and imported.json()["rejected"] == []
    assert "etag" not in imported.headers and "log-position" in imported.headers
