"""The web layer's defences: CORS for the front end only, security headers on every answer,
the request size limit, the write rate limit, and errors that never show internals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import HOME_URN, create_children_table, create_security_test_app  # noqa: E402

FRONT_END = "https://education.council.example"
LEAKS = ("Traceback", "File \"", "SELECT", "security_test", "no_such_table", "asyncpg", "handlers.py", "/srv/")


@pytest.fixture
async def children(pool):
    await create_children_table(pool, [("C1", "Ada", HOME_URN)])


def assert_security_headers(response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert response.headers["x-request-id"]


async def test_a_preflight_from_the_front_end_is_allowed_and_from_another_origin_is_not(
    service_client, monkeypatch
):
    monkeypatch.setenv("CORS_ORIGINS", FRONT_END)
    async with service_client(create_security_test_app) as client:
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        allowed = await client.options("/notes", headers={"Origin": FRONT_END, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == FRONT_END
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in allowed.headers
        assert_security_headers(allowed)

        refused = await client.options("/notes", headers={"Origin": "https://evil.example", **preflight})
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
        assert_security_headers(refused)

        # A plain cross-origin read from elsewhere gets no CORS grant, so a browser hides it.
        elsewhere = await client.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in elsewhere.headers


async def test_without_a_configured_origin_no_browser_origin_is_granted(service_client):
    async with service_client(create_security_test_app) as client:
        answer = await client.options(
            "/notes", headers={"Origin": FRONT_END, "Access-Control-Request-Method": "POST"}
        )
        assert "access-control-allow-origin" not in answer.headers
        assert_security_headers(answer)


async def test_every_kind_of_answer_carries_the_security_headers(service_client, auth, children, monkeypatch):
    monkeypatch.setenv("MAX_REQUEST_BYTES", "2000")
    monkeypatch.setenv("WRITE_RATE_PER_MINUTE", "1")
    async with service_client(create_security_test_app) as client:
        vsh, auditor = auth("virtual_school_head"), auth("auditor")
        answers = {
            200: await client.get("/children/C1", headers=vsh),
            201: await client.post("/notes", json={"child_id": "C1", "text": "met"}, headers=vsh),
            401: await client.get("/children/C1"),
            403: await client.post("/notes", json={}, headers=auditor),
            404: await client.get("/no-such-route", headers=vsh),
            405: await client.delete("/children/C1", headers=vsh),
            413: await client.post("/notes", content=b"x" * 5000, headers=vsh),
            422: await client.post("/notes", json={}, headers=auth("social_worker")),
            429: await client.post("/notes", json={"child_id": "C1", "text": "again"}, headers=vsh),
            500: await client.get("/failures/exception", headers=vsh),
        }
        for status, answer in answers.items():
            assert answer.status_code == status, (status, answer.text)
            assert_security_headers(answer)
            if status >= 400:
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.json()["status"] == status


async def test_a_body_over_the_limit_is_refused_with_413_whether_declared_or_streamed(
    service_client, auth, monkeypatch
):
    monkeypatch.setenv("MAX_REQUEST_BYTES", "1000")
    async with service_client(create_security_test_app) as client:
        headers = {**auth("virtual_school_head"), "Content-Type": "application/json"}
        declared = await client.post("/notes", content=b"{" + b" " * 2000 + b"}", headers=headers)
        assert declared.status_code == 413
        assert declared.json()["title"] == "Request too large"

        async def streamed():  # chunked: no Content-Length to refuse it by
            yield b'{"child_id": "C1", "text": "'
            for _ in range(20):
                yield b"a" * 100
            yield b'"}'

        chunked = await client.post("/notes", content=streamed(), headers=headers)
        assert chunked.status_code == 413, chunked.text
        assert chunked.headers["content-type"] == "application/problem+json"
        assert chunked.json()["detail"] == "the request body is larger than 1000 bytes"
        assert_security_headers(chunked)

        small = await client.post("/notes", json={"child_id": "C1", "text": "fine"}, headers=headers)
        assert small.status_code == 201
        async with client.app.state.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM eventlog.events") == 1


async def test_writes_beyond_the_rate_are_refused_per_caller_and_reads_are_not_limited(
    service_client, auth, children, monkeypatch
):
    monkeypatch.setenv("WRITE_RATE_PER_MINUTE", "3")
    async with service_client(create_security_test_app) as client:
        alice = auth("virtual_school_officer", sub="alice")
        note = {"child_id": "C1", "text": "visit"}
        for _ in range(3):
            assert (await client.post("/notes", json=note, headers=alice)).status_code == 201
        limited = await client.post("/notes", json=note, headers=alice)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "60"
        assert limited.json()["title"] == "Too many requests"

        bob = auth("virtual_school_officer", sub="bob")
        assert (await client.post("/notes", json=note, headers=bob)).status_code == 201
        for _ in range(10):
            assert (await client.get("/children/C1", headers=alice)).status_code == 200
        async with client.app.state.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM eventlog.events") == 4


@pytest.mark.parametrize("path", ["/failures/exception", "/failures/sql"])
async def test_an_internal_error_answers_500_without_a_stack_trace_or_sql(service_client, auth, path, caplog):
    async with service_client(create_security_test_app) as client:
        answer = await client.get(path, headers={**auth("auditor"), "X-Request-Id": "req-12345678"})
        assert answer.status_code == 500
        assert answer.headers["content-type"] == "application/problem+json"
        body = answer.json()
        assert set(body) == {"type", "title", "status", "detail", "instance"}
        assert "req-12345678" in body["detail"]
        for leak in LEAKS:
            assert leak not in answer.text, leak
        assert_security_headers(answer)
    # The details are for the council's operators, in the log.
    assert any("req-12345678" in record.getMessage() for record in caplog.records)


async def test_a_request_id_that_is_not_a_plain_id_is_replaced(service_client):
    async with service_client(create_security_test_app) as client:
        answer = await client.get("/health", headers={"X-Request-Id": "<script>alert(1)</script>"})
        assert "<" not in answer.headers["x-request-id"]
        kept = await client.get("/health", headers={"X-Request-Id": "gateway-7f3a"})
        assert kept.headers["x-request-id"] == "gateway-7f3a"
