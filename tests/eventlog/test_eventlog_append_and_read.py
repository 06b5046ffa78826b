"""Appending and reading: versions, conflicts, idempotency, cut-offs and subject reads."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

import orjson
import pytest

from shared.eventlog import NO_STREAM, NewEvent, StreamAppend, WrongExpectedVersion
from shared.eventlog.hashing import canonical_json, content_pieces, event_hash


def ev(kind: str = "SomethingHappened", *, n: int = 0, on: date = date(2024, 1, 10), subjects=()):
    return NewEvent(event_type=kind, data={"n": n}, effective_date=on, subjects=tuple(subjects))


async def test_appended_events_are_read_back_in_stream_order_with_both_dates(store):
    recorded = await store.append("school-100001", [ev(n=1), ev(n=2)], expected_version=NO_STREAM,
                                  metadata={"actor": "adviser-1", "role": "school_improvement_adviser"})
    assert [r.stream_version for r in recorded] == [1, 2]
    assert [r.position for r in recorded] == [1, 2]

    events = await store.read_stream("school-100001")
    assert [e.data["n"] for e in events] == [1, 2]
    assert events[0].effective_date == date(2024, 1, 10)
    assert events[0].recorded_at.tzinfo is not None
    assert events[0].metadata["actor"] == "adviser-1"
    assert await store.stream_version("school-100001") == 2


async def test_a_stale_expected_version_is_refused_and_nothing_is_written(store):
    await store.append("child-C1", [ev()], expected_version=NO_STREAM)
    with pytest.raises(WrongExpectedVersion) as refused:
        await store.append("child-C1", [ev(n=9)], expected_version=NO_STREAM)
    assert refused.value.actual == 1
    assert refused.value.status == 409
    assert [e.data["n"] for e in await store.read_stream("child-C1")] == [0]


async def test_a_retried_append_with_the_same_idempotency_key_returns_the_original_events(store):
    first = await store.append("pprequest-R1", [ev(n=1), ev(n=2)], idempotency_key="k-123456789")
    again = await store.append("pprequest-R1", [ev(n=1), ev(n=2)], idempotency_key="k-123456789")
    assert [e.position for e in again] == [e.position for e in first]
    assert [e.hash for e in again] == [e.hash for e in first]
    assert len(await store.read_stream("pprequest-R1")) == 2
    assert await store.head_position() == 2


async def test_concurrent_appends_with_one_idempotency_key_write_once(store):
    import asyncio

    results = await asyncio.gather(
        *[store.append("pprequest-R2", [ev(n=7)], idempotency_key="same-key-0001") for _ in range(10)]
    )
    assert {r[0].position for r in results} == {1}
    assert await store.head_position() == 1


async def test_a_multi_stream_append_is_all_or_nothing(store):
    await store.append("ppbudget-2025", [ev()], expected_version=NO_STREAM)
    with pytest.raises(WrongExpectedVersion):
        await store.append_streams(
            [
                StreamAppend("pprequest-R3", (ev(n=1),), NO_STREAM),
                StreamAppend("ppbudget-2025", (ev(n=2),), NO_STREAM),  # stale: it is at 1
            ]
        )
    assert await store.read_stream("pprequest-R3") == []
    assert await store.head_position() == 1


async def test_a_stream_is_read_as_of_a_version_a_position_or_an_effective_date(store):
    await store.append("school-100002", [ev(n=1, on=date(2020, 1, 1))])
    await store.append("school-100003", [ev(n=99)])
    await store.append("school-100002", [ev(n=2, on=date(2021, 1, 1)), ev(n=3, on=date(2022, 1, 1))])

    assert [e.data["n"] for e in await store.read_stream("school-100002", up_to_version=2)] == [1, 2]
    assert [e.data["n"] for e in await store.read_stream("school-100002", up_to_position=2)] == [1]
    as_of = await store.read_stream("school-100002", effective_on_or_before=date(2021, 6, 1))
    assert [e.data["n"] for e in as_of] == [1, 2]


async def test_events_about_a_subject_are_read_across_streams(store):
    await store.append("child-C9", [ev("ChildPlacedAtSchool", subjects=["child:C9", "school:100009"])])
    await store.append("school-100009", [ev("InspectionRecorded", subjects=["school:100009"])])
    await store.append("child-C8", [ev("ChildPlacedAtSchool", subjects=["child:C8"])])

    about_school = await store.read_subject("school:100009")
    assert [e.event_type for e in about_school] == ["ChildPlacedAtSchool", "InspectionRecorded"]
    about_child = await store.read_subject("child:C9")
    assert [e.stream_id for e in about_child] == ["child-C9"]


async def test_read_all_pages_in_global_order_and_filters_by_type_and_category(store):
    for i in range(5):
        await store.append(f"school-10000{i}", [ev("A", n=i)])
        await store.append(f"child-C{i}", [ev("B", n=i)])
    page1 = await store.read_all(after=0, limit=4)
    page2 = await store.read_all(after=page1[-1].position, limit=4)
    assert [e.position for e in page1 + page2] == list(range(1, 9))
    assert {e.event_type for e in await store.read_all(event_types=["B"])} == {"B"}
    assert {e.category for e in await store.read_all(categories=["school"])} == {"school"}


@pytest.mark.parametrize(
    "stream_id, event_type, data, metadata, subjects",
    [
        ("school-100001", "SchoolOpened", {"n": 1}, {}, ()),
        ("child-C1", "Moved", {"b": [1, {"z": None, "a": True}], "a": "é \" \\ \u2028"}, {"actor": "x"}, ("child:C1",)),
        ("pep-P1", "Reviewed", {}, {"request_id": "r-1", "nested": {"k": -9007199254740991}}, ("child:C2", "school:1")),
    ],
)
def test_the_content_sent_in_pieces_is_the_canonical_content_the_verifier_hashes(
    stream_id, event_type, data, metadata, subjects
):
    recorded_at = datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    head, middle, tail = content_pieces(
        stream_id=stream_id, event_type=event_type, schema_version=2,
        data_json=canonical_json(data), metadata_json=canonical_json(metadata),
        effective_date=date(2026, 3, 28), recorded_at=recorded_at, subjects_json=canonical_json(list(subjects)),
    )
    prev = bytes(range(32))
    assert hashlib.sha256(prev + head + b"12345" + middle + b"7" + tail).digest() == event_hash(
        prev_hash=prev, position=12345, stream_id=stream_id, stream_version=7, event_type=event_type,
        schema_version=2, data=data, metadata=metadata, effective_date=date(2026, 3, 28),
        recorded_at=recorded_at, subjects=subjects,
    )


async def test_the_stored_form_reads_the_same_page_as_stored_with_personal_fields_still_sealed(store):
    await store.append("school-100001", [ev("Opened", n=1, subjects=["school:100001"])])
    await store.append(
        "child-C1",
        [NewEvent(event_type="ChildEnteredCare", data={"child_id": "C1", "name": "Ada"},
                  effective_date=date(2024, 1, 10), subjects=("child:C1",), personal=("name",),
                  data_subject="child:C1")],
        metadata={"actor": "vso-1"},
    )
    await store.append("school-100002", [ev("Opened", n=2, subjects=["school:100002"])])

    stored = await store.read_all_stored(after=0, limit=10)
    opened = await store.read_all(after=0, limit=10)
    assert [r["position"] for r in stored] == [e.position for e in opened] == [1, 2, 3]
    for row, record in zip(stored, opened, strict=True):
        assert isinstance(row["data"], str) and isinstance(row["metadata"], str)
        # Exactly what the log holds: what the hash covers, sealed fields as their envelopes.
        assert orjson.loads(row["data"]) == record.stored_data
        assert orjson.loads(row["metadata"]) == record.metadata
        assert bytes(row["hash"]) == record.hash
    assert opened[1].data["name"] == "Ada"
    assert orjson.loads(stored[1]["data"])["name"]["sealed"] == "aes-256-gcm/v1"

    narrowed = await store.read_all_stored(after=0, limit=10, categories=["school"], up_to_position=2)
    assert [r["position"] for r in narrowed] == [1]
    assert [r["position"] for r in await store.read_all_stored(after=1, limit=1)] == [2]
