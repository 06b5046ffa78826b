"""What a service writes to its log: one JSON line per record, the request's ids, route template,
status, duration and caller on the lines of a request, a 500's traceback found from the request id
its body quotes, subscriptions' lines naming the event, the level setting, and no personal data.

The lines are read from the process's real output (the handler the app factory installs), as an
operator would read them."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pep.main import create_app as create_pep_app

from shared.eventlog import NewEvent
from shared.observability.logs import ACCESS_LOGGER
from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from observed_app import HANDLER_LOGGER, READ_MODEL_LOGGER, create_observed_app  # noqa: E402

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """Every line written to standard output since the last call; each must be a JSON object."""
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(line, dict) for line in parsed), lines
    return parsed


def of_request(lines: list[dict[str, Any]], request_id: str) -> list[dict[str, Any]]:
    return [line for line in lines if line.get("request_id") == request_id]


def access_line(lines: list[dict[str, Any]], request_id: str) -> dict[str, Any]:
    [line] = [line for line in of_request(lines, request_id) if line["logger"] == ACCESS_LOGGER]
    return line


@pytest.fixture
def root_level_kept():
    """A test that sets LOG_LEVEL leaves the process's level as it found it."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)


async def test_a_client_request_id_is_on_every_line_of_its_request_with_route_template_status_and_caller(
    service_client, auth, capsys
):
    async with service_client(create_observed_app) as client:
        log_lines(capsys)
        answer = await client.get(
            "/children/C100",
            headers={**auth("virtual_school_officer", sub="sam.officer"), "X-Request-Id": "gateway-7f3a",
                     "X-Correlation-Id": "case-review-42"},
        )
        assert answer.status_code == 200
        assert answer.headers["x-request-id"] == "gateway-7f3a"
        lines = of_request(log_lines(capsys), "gateway-7f3a")

    [handler] = [line for line in lines if line["logger"] == HANDLER_LOGGER]
    assert handler["event"] == "read the record of child C100"
    assert handler["level"] == "info"
    access = access_line(lines, "gateway-7f3a")
    assert access["event"] == "request answered"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    for line in (handler, access):
        assert line["service"] == "observed"
        assert line["correlation_id"] == "case-review-42"
        assert line["method"] == "GET"
        assert line["route"] == "/children/{child_id}"
        assert line["subject"] == "sam.officer"
        assert line["role"] == "virtual_school_officer"
        assert ISO_UTC.match(line["time"]), line["time"]
    assert list(access)[:5] == ["time", "level", "service", "event", "logger"]


async def test_a_request_without_an_id_is_given_one_that_its_answer_and_its_lines_carry(
    service_client, auth, capsys
):
    async with service_client(create_observed_app) as client:
        log_lines(capsys)
        # Not a plain id: replaced, as is a correlation id that is not one.
        answer = await client.get(
            "/children/C100", headers={**auth("auditor"), "X-Correlation-Id": "<b>not an id</b>"}
        )
        anonymous = await client.get("/children/C100")
        lines = log_lines(capsys)

    request_id = answer.headers["x-request-id"]
    mine = of_request(lines, request_id)
    assert {line["logger"] for line in mine} == {HANDLER_LOGGER, ACCESS_LOGGER}
    assert all(line["correlation_id"] == request_id for line in mine)
    assert access_line(lines, request_id)["role"] == "auditor"
    # No token, no caller: the refusal is logged without one.
    refused = access_line(lines, anonymous.headers["x-request-id"])
    assert refused["status"] == 401 and "subject" not in refused and "role" not in refused
    assert anonymous.headers["x-request-id"] != request_id


async def test_the_request_id_a_500_quotes_finds_its_error_line_with_the_traceback(service_client, auth, capsys):
    async with service_client(create_observed_app) as client:
        log_lines(capsys)
        answer = await client.post(
            "/children/C100/notes", json={"text": "visit"}, headers=auth("virtual_school_officer")
        )
        lines = log_lines(capsys)

    assert answer.status_code == 500
    quoted = re.search(r"request id (\S+) ", answer.json()["detail"]).group(1)
    assert quoted == answer.headers["x-request-id"]
    [error] = [line for line in of_request(lines, quoted) if line["level"] == "error"]
    assert error["route"] == "/children/{child_id}/notes"
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: the notes table is missing" in error["exception"]
    assert access_line(lines, quoted)["status"] == 500


async def test_no_line_carries_a_childs_name_or_date_of_birth_from_a_body_or_a_query(
    service_client, auth, capsys, pool
):
    name, born = "Evangeline Thistlewood", "2014-05-01"
    child = {
        "child_id": "C100", "name": name, "date_of_birth": born, "entered_care_on": "2026-09-07",
        "legal_status": "interim_care_order", "placing_authority": "Medway", "social_worker": "Sam Jones",
        "carer": "Pat Brown", "independent_reviewing_officer": "Jo Green", "sen_status": "ehc_plan",
        "year_group": "year_7",
    }
    async with service_client(create_pep_app) as client:
        log_lines(capsys)
        social_worker = auth("social_worker")
        entered = await client.post("/children", json=child, headers=social_worker)
        assert entered.status_code == 201, entered.text
        refused = await client.post("/children", json={**child, "year_group": "year 7"}, headers=social_worker)
        assert refused.status_code == 422
        read = await client.get("/children/C100", params={"name": name, "born": born}, headers=social_worker)
        assert read.status_code == 200
        await settle(client.app)
        lines = log_lines(capsys)

    requests = [entered, refused, read]
    assert [access_line(lines, r.headers["x-request-id"])["status"] for r in requests] == [201, 422, 200]
    for line in lines:
        text = json.dumps(line)
        assert name not in text and "Thistlewood" not in text and born not in text, line


async def test_a_subscription_names_itself_and_the_event_it_applies_but_not_the_events_data(
    service_client, store, pool, capsys
):
    async with service_client(create_observed_app) as client:
        log_lines(capsys)
        [recorded] = await store.append(
            "note-C100",
            [NewEvent(event_type="NoteRecorded", data={"child_id": "C100", "name": "Rosalind Quarrington"},
                      effective_date=date(2026, 11, 2))],
        )
        # Applied by the service's own running subscription, after one failed try.
        async with asyncio.timeout(30):
            while await pool.fetchval(
                "SELECT position FROM schools.subscription_checkpoints WHERE name = 'observed-notes'"
            ) != recorded.position:
                await asyncio.sleep(0.05)
        lines = log_lines(capsys)
        assert client.app.state.subscriptions[0].name == "observed-notes"

    [retrying] = [line for line in lines if line["logger"] == "shared.eventlog.subscriptions"]
    assert retrying["level"] == "warning" and "trying again" in retrying["event"]
    [applied] = [line for line in lines if line["logger"] == READ_MODEL_LOGGER]
    assert applied["event"] == "counted a note"
    for line in (retrying, applied):
        assert line["service"] == "observed"
        assert line["subscription"] == "observed-notes"
        assert line["position"] == recorded.position
        assert line["event_type"] == "NoteRecorded"
        assert "request_id" not in line  # applied by the subscription, not in a request
    assert not any("Rosalind" in json.dumps(line) for line in lines)


async def test_the_log_level_setting_hides_the_lines_below_it(
    service_client, auth, capsys, monkeypatch, root_level_kept
):
    officer = auth("virtual_school_officer")

    async def lines_at(level: str | None) -> list[dict[str, Any]]:
        if level is None:
            monkeypatch.delenv("LOG_LEVEL", raising=False)
        else:
            monkeypatch.setenv("LOG_LEVEL", level)
        async with service_client(create_observed_app) as client:
            log_lines(capsys)
            await client.get("/children/C100", headers=officer)
            await client.post("/children/C100/notes", json={"text": "visit"}, headers=officer)
            return log_lines(capsys)

    def levels(lines: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(line["logger"], line["level"]) for line in lines}

    by_default = levels(await lines_at(None))
    assert (HANDLER_LOGGER, "info") in by_default and (ACCESS_LOGGER, "info") in by_default
    assert (HANDLER_LOGGER, "debug") not in by_default

    assert (HANDLER_LOGGER, "debug") in levels(await lines_at("debug"))

    warnings_and_worse = await lines_at("WARNING")
    assert {line["level"] for line in warnings_and_worse} == {"error"}
    assert [line["logger"] for line in warnings_and_worse] == ["shared.web.problems"]
