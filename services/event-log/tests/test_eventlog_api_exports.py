"""Exports: NDJSON and CSV of the feed, a stream and a timeline, streamed page by page, in
memory that stays flat however many events they hold."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date, datetime

import asyncpg
import httpx

from shared.eventlog.hashing import GENESIS_HASH, event_hash

from eventlog_api_support import raw


def fact(n: int, urn: str = "100001", kind: str = "InspectionRecorded", child: str | None = None):
    subjects = (f"school:{urn}",) + ((f"child:{child}",) if child else ())
    return raw(kind, {"urn": urn, "n": n, "note": 'a, "quoted"\nline'}, date(2025, 3, n % 28 + 1), subjects)


async def test_the_ndjson_export_of_the_feed_is_the_feed_line_by_line_and_hash_checks(client, auth, log):
    for i in range(30):
        await log.append(f"inspections-10000{i % 3}", [fact(i, urn=f"10000{i % 3}")])
    headers = auth("auditor")
    export = await client.get("/exports/feed", headers=headers)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/x-ndjson")
    assert export.headers["x-log-position"] == "30"
    assert 'filename="feed-after-0.ndjson"' in export.headers["content-disposition"]
    lines = [json.loads(line) for line in export.text.splitlines()]
    feed = (await client.get("/feed", params={"limit": 1000}, headers=headers)).json()["items"]
    assert lines == feed

    prev = GENESIS_HASH
    for e in lines:  # what an auditor can do with nothing but the export
        digest = event_hash(
            prev_hash=prev,
            position=e["position"],
            stream_id=e["stream_id"],
            stream_version=e["stream_version"],
            event_type=e["type"],
            schema_version=e["schema_version"],
            data=e["data"],
            metadata=e["metadata"],
            effective_date=date.fromisoformat(e["effective_date"]),
            recorded_at=datetime.fromisoformat(e["recorded_at"]),
            subjects=e["subjects"],
        )
        assert digest.hex() == e["hash"]
        prev = digest

    filtered = await client.get(
        "/exports/feed",
        params={"after": 10, "category": "inspections", "subject": "school:100001"},
        headers=headers,
    )
    assert [json.loads(x)["position"] for x in filtered.text.splitlines()] == list(range(11, 31, 3))


async def test_the_csv_export_has_one_row_per_event_and_defuses_spreadsheet_formulas(client, auth, log):
    await log.append("inspections-100001", [fact(1), fact(2)])
    await log.append("inspections-100001", [fact(3, kind='=HYPERLINK("http://x")')])
    response = await client.get(
        "/exports/streams/inspections-100001", params={"format": "csv"}, headers=auth("auditor")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["position"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["type"] == "InspectionRecorded"
    assert json.loads(rows[0]["data"]) == {"urn": "100001", "n": 1, "note": 'a, "quoted"\nline'}
    assert json.loads(rows[0]["subjects"]) == ["school:100001"]
    assert rows[0]["effective_date"] == "2025-03-02"
    assert rows[2]["type"] == '\'=HYPERLINK("http://x")'


async def test_exporting_a_stream_or_a_school_timeline_records_the_children_a_person_sees(
    client, auth, log, pool
):
    await log.append("inspections-100001", [fact(1)])
    await log.append("pep-C1", [fact(2, child="C1")])
    await log.append("pep-C2", [fact(3, urn="100002", child="C2")])
    headers = auth("principal_adviser", sub="pa-kim")
    school = await client.get("/exports/schools/100001/timeline", headers=headers)
    assert [json.loads(x)["position"] for x in school.text.splitlines()] == [1, 2]
    await client.get("/exports/streams/pep-C2", headers=headers)
    await client.get("/exports/feed", headers=headers)  # the whole log: a bulk read, not child by child
    reads = await pool.fetch("SELECT actor, subject, route FROM eventlog.record_reads ORDER BY id")
    assert [tuple(r) for r in reads] == [
        ("pa-kim", "child:C1", "GET /exports/schools/{urn}/timeline"),
        ("pa-kim", "child:C2", "GET /exports/streams/{stream_id}"),
    ]
    assert (await client.get("/exports/streams/pep-C9", headers=headers)).status_code == 404
    unknown_format = await client.get("/exports/feed", params={"format": "xlsx"}, headers=headers)
    assert unknown_format.status_code == 422 and unknown_format.json()["field"] == "format"


async def bulk_insert(pool: asyncpg.Pool, count: int) -> None:
    """Events written straight into the table (their chain is not computed: this measures export)."""
    await pool.execute(
        """
        INSERT INTO eventlog.events (position, stream_id, stream_version, event_type, schema_version, data,
                                     metadata, effective_date, recorded_at, subjects, prev_hash, hash)
        SELECT g, 'bulk-' || (g % 1000), (g - 1) / 1000 + 1, 'InspectionRecorded', 1,
               jsonb_build_object('urn', (100000 + g % 500)::text, 'n', g,
                                  'note', 'an inspection recorded for the export measurement'),
               '{"actor": "bulk-loader", "service": "schools"}'::jsonb,
               date '2025-01-01' + (g % 365), now(), ARRAY['school:' || (100000 + g % 500)],
               decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex')
        FROM generate_series(1, $1) AS g
        """,
        count,
    )


async def test_an_export_of_50000_events_streams_in_bounded_memory(served, auth, pool):
    count = 50_000
    await bulk_insert(pool, count)
    async with served() as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            tracemalloc.start()
            try:
                received = lines = 0
                async with http.stream("GET", "/exports/feed", headers=auth("auditor")) as response:
                    assert response.status_code == 200
                    async for chunk in response.aiter_raw():
                        received += len(chunk)
                        lines += chunk.count(b"\n")
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    assert lines == count
    # The whole export is over 11 MB; holding it (or its rows) at once would need several times
    # that. Streamed a page at a time, server and client together stay far below it.
    assert received > 11_000_000
    assert peak < received / 2, (peak, received)
