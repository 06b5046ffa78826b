"""The synthetic council: the same seed tells the same story and records the same facts; another
seed tells another; and every read model the services keep of the council it builds is the one a
rebuild from the log makes."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta

import asyncpg
import pytest

from shared.ops.command import main as operator_command
from shared.ops.service_app import service_parts
from shared.services import service as service_spec
from shared.testing.fixtures import fresh_database
from synthetic_council.running import STORY_SERVICES, build
from synthetic_council.sizes import size_named
from synthetic_council.steps import Fingerprint, as_json
from synthetic_council.story import Story

UNTIL = date(2026, 12, 4)
# Ids the services mint as they answer (``PPR-65B1151601``, ``proposal-ef19dc86651f``), and those a
# policy names after the log position of what it reacted to (``review-after-129``): not the story's.
MINTED = re.compile(r"^(?:[A-Za-z]+-[0-9A-Fa-f]{10,32}|[a-z]+-after-[0-9]+)$")
MINTED_IN_STREAM = re.compile(r"-[0-9A-Fa-f]{10,32}$")
# Who and what asked, but not the request's own ids.
METADATA = ("actor", "role", "service")


def fingerprint(seed: int, size: str = "small", until: date = UNTIL) -> tuple[str, int]:
    written = Fingerprint()
    for call in Story(size_named(size), seed, until).calls():
        written.add(call)
    return written.hexdigest(), written.calls


def test_the_same_seed_tells_the_same_story_call_for_call():
    first = [as_json(call) for call in Story(size_named("small"), 1, UNTIL).calls()]
    again = [as_json(call) for call in Story(size_named("small"), 1, UNTIL).calls()]
    assert len(first) > 5_000
    assert first == again


def test_another_seed_another_size_or_another_last_day_tells_another_story():
    one = fingerprint(1)
    assert fingerprint(2) != one
    assert fingerprint(1, "tiny") != one
    assert fingerprint(1, until=UNTIL - timedelta(days=7)) != one


def test_the_story_walks_every_path_the_issue_names():
    calls = list(Story(size_named("small"), 1, UNTIL).calls())
    asked = Counter(f"{call.service} {''.join(p if isinstance(p, str) else '{id}' for p in call.path)}"
                    for call in calls)
    said = " ".join(asked)
    for part in ("/term-dates/", "/inspections", "/categorisation/proposals", "/support/visits",
                 "/children", "/school-placement", "/school-moves", "/awaiting-school-place", "/leaving-care",
                 "/targets", "/review", "/quality-assurance", "/return-for-rework", "/grant/letter",
                 "/requests", "/approval", "/part-approval", "/refusal", "/information-request",
                 "/more-information", "/payment-runs", "/paid", "/notices", "/give", "/compliance-judgement",
                 "/notice-of-intention", "/consultations", "/s63", "/discard"):
        assert part in said, f"the small council never calls {part}"
    frameworks = {call.body["framework"] for call in calls if call.path[-1].endswith("/inspections")}
    assert frameworks == {"ofsted_september_2012", "ofsted_september_2024", "ofsted_report_cards_november_2025"}
    # Years of the council as the small size says: 150 schools, 400 children, three academic years.
    assert sum(1 for c in calls if c.path == ("/schools",)) == 150
    assert sum(1 for c in calls if c.path == ("/children",)) == 400
    assert min(c.on for c in calls) == date(2024, 9, 1) and max(c.on for c in calls) <= UNTIL


async def facts(url: str) -> dict[str, list[str]]:
    """Each stream's events as facts: their type, effective date, data and who recorded them,
    with the ids the services minted and the sealed fields' ciphertext (random by design) left out.
    A policy's reaction may land between two of the story's calls in either build, so each
    stream's events are compared as a sorted list."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT stream_id, event_type, effective_date, data::text AS data, metadata::text AS metadata "
            "FROM eventlog.events"
        )
    finally:
        await conn.close()
    streams: dict[str, list[str]] = {}
    for row in rows:
        metadata = json.loads(row["metadata"])
        fact = [row["event_type"], str(row["effective_date"]), _without_minted(json.loads(row["data"])),
                {key: metadata.get(key) for key in METADATA}]
        # A warning notice's stream is named by its minted id: the notices of a build are compared together.
        stream = MINTED_IN_STREAM.sub("-<minted>", row["stream_id"])
        streams.setdefault(stream, []).append(json.dumps(fact, sort_keys=True))
    return {stream: sorted(found) for stream, found in streams.items()}


def _without_minted(value):
    if isinstance(value, dict):
        if "sealed" in value and "ciphertext" in value:
            return {"sealed": value["sealed"], "subject": value["subject"]}
        return {key: _without_minted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_minted(item) for item in value]
    if isinstance(value, str) and MINTED.match(value):
        return "<minted>"
    return value


@pytest.fixture
async def second_database(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_url, template_database) as url:
        yield url


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_the_same_seed_builds_the_same_council_twice(database_url, second_database, signing_keys):
    tiny = size_named("tiny")
    first = await build(database_url, tiny, 7, UNTIL, keys=signing_keys, say=lambda line: None)
    again = await build(second_database, tiny, 7, UNTIL, keys=signing_keys, say=lambda line: None)

    assert (first.calls, first.fingerprint) == (again.calls, again.fingerprint)
    recorded = await facts(database_url)
    assert sum(len(events) for events in recorded.values()) == first.events > first.calls
    assert {stream.split("-")[0] for stream in recorded} >= {
        "school", "inspections", "categorisation", "child", "pep", "ppbudget"}
    rebuilt = await facts(second_database)
    differing = sorted(stream for stream in recorded.keys() | rebuilt.keys()
                       if recorded.get(stream) != rebuilt.get(stream))
    assert not differing, (
        f"{len(differing)} streams differ, the first {differing[0]}: "
        f"{recorded.get(differing[0])} != {rebuilt.get(differing[0])}"
    )


async def read_model_tables(url: str, service: str) -> dict[str, list[tuple]]:
    """Every row of every table of every read model the service keeps, in an order that does not
    depend on how they were written."""
    spec = service_spec(service)
    async with service_parts(spec, url) as parts:
        names = [(model.schema, table) for model in parts.read_models for table in model.tables]
        found = {}
        for schema, table in names:
            rows = await parts.pool.fetch(f'SELECT * FROM "{schema}"."{table}"')
            found[f"{schema}.{table}"] = sorted((tuple(row.values()) for row in rows), key=repr)
    return found


@pytest.mark.slow
@pytest.mark.timeout(1200)
async def test_every_read_model_of_the_small_council_is_what_a_rebuild_from_the_log_makes(
    database_url, service_database_url, signing_keys
):
    # The small council's first seven weeks: all of its schools, and the children, PEPs and PP+
    # requests of the first weeks (the whole three years take minutes more to build, and the
    # determinism test above walks a whole year of the tiny one).
    first_year = replace(size_named("small"), years=1)
    built = await build(database_url, first_year, 1, date(2024, 10, 18), keys=signing_keys, say=lambda line: None)
    assert built.calls > 1_000
    for service in STORY_SERVICES:
        url = service_database_url(service)
        live = await read_model_tables(url, service)
        assert any(live.values()), f"{service} kept nothing: a rebuild of nothing proves nothing"
        code = await asyncio.to_thread(
            operator_command, ["rebuild", service, "--actor", "the synthetic council test", "--database-url", url]
        )
        assert code == 0
        assert await read_model_tables(url, service) == live, f"{service}'s rebuilt read models differ"
