"""What sealing personal fields costs the log: appending, and reading a page back.

    .venv/bin/python -m pytest -q -s -p no:xdist benchmarks/sealing_cost.py

The same child events are appended one at a time (each a request's append, so each carries the
key lookup a request would) with their personal fields declared, and with none declared; then the
whole log is read back a page of 1,000 at a time through ``read_all`` (which opens every
envelope). The two take turns in rounds, so whatever else the machine is doing weighs on both
alike. Prints the figures; asserts only that what was sealed reads back as written.
"""

from __future__ import annotations

import time
from datetime import date

from shared.eventlog import NewEvent

pytest_plugins = ["shared.testing.fixtures"]
CHILDREN = 200  # per round and kind
ROUNDS = 5
PERSONAL = ("name", "date_of_birth", "social_worker", "carer", "independent_reviewing_officer")


def entered_care(child_id: str, *, sealed: bool) -> NewEvent:
    return NewEvent(
        event_type="ChildEnteredCare",
        data={
            "child_id": child_id, "name": f"Child {child_id} Surname", "date_of_birth": "2014-05-06",
            "social_worker": "A Social Worker", "carer": "A Foster Carer", "independent_reviewing_officer": "An IRO",
            "legal_status": "full_care_order", "sen_status": "none", "year_group": "year_5",
        },
        effective_date=date(2025, 9, 1),
        subjects=(f"child:{child_id}",),
        personal=PERSONAL if sealed else (),
        data_subject=f"child:{child_id}" if sealed else None,
    )


async def timed_appends(store, prefix: str, round_: int, *, sealed: bool) -> float:
    started = time.perf_counter()
    for n in range(CHILDREN):
        child = f"{prefix}{round_}x{n}"
        await store.append(f"child-{child}", [entered_care(child, sealed=sealed)])
    return time.perf_counter() - started


async def timed_read(store, *, category_prefix: str) -> tuple[float, int]:
    started, after, count = time.perf_counter(), 0, 0
    while page := await store.read_all(after=after, limit=1000, categories=["child"]):
        count += sum(1 for r in page if r.data["child_id"].startswith(category_prefix))
        after = page[-1].position
    return time.perf_counter() - started, count


async def test_what_sealing_costs(store, pool):
    totals = {"plain": 0.0, "sealed": 0.0}
    for round_ in range(ROUNDS):
        totals["plain"] += await timed_appends(store, "P", round_, sealed=False)
        totals["sealed"] += await timed_appends(store, "S", round_, sealed=True)
    appends = CHILDREN * ROUNDS
    per_plain, per_sealed = (totals[k] / appends * 1000 for k in ("plain", "sealed"))
    print(
        f"\n{appends} appends each: {per_plain:.2f} ms plain, {per_sealed:.2f} ms with five fields sealed "
        f"({per_sealed - per_plain:+.2f} ms an append; the first write about a child also makes its key)"
    )

    read_seconds, read_count = await timed_read(store, category_prefix="")
    plain_rows = await pool.fetch("SELECT position, data FROM eventlog.events ORDER BY position")
    started = time.perf_counter()
    # The same pages without opening anything: the stored rows as they are.
    from shared.eventlog.store import EVENT_COLUMNS, record_from_row

    after = 0
    while rows := await pool.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 ORDER BY position LIMIT 1000", after
    ):
        [record_from_row(r) for r in rows]
        after = rows[-1]["position"]
    raw_seconds = time.perf_counter() - started
    sealed_share = sum(1 for r in plain_rows if isinstance(r["data"].get("name"), dict)) / len(plain_rows)
    print(
        f"reading {read_count} events ({sealed_share:.0%} sealed) a page of 1,000 at a time: "
        f"{raw_seconds * 1000:.0f} ms as stored, {read_seconds * 1000:.0f} ms opened "
        f"({(read_seconds - raw_seconds) / read_count * 1e6:+.1f} µs an event)"
    )
    [one] = await store.read_stream("child-S0x0")
    assert one.data["name"] == "Child S0x0 Surname" and one.sealed is not None
