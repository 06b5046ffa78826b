"""What recording a person's read of a child's record costs the read.

    .venv/bin/python -m pytest -q -s -p no:xdist benchmarks/read_audit_cost.py

Two copies of a small app serve the same child's record, one recording each read in
``eventlog.record_reads`` and one not; they take turns, 100 reads at a time, so whatever else the
machine is doing weighs on both alike. Prints the figures; asserts only that every read was
recorded (timings are for reading, not for failing on a slow machine).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "security"))
from security_test_app import HOME_URN, create_children_table, create_security_test_app  # noqa: E402

pytest_plugins = ["shared.testing.fixtures"]
READS = 1000


async def timed_reads(client, headers, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        answer = await client.get("/children/C1", headers=headers)
        assert answer.status_code == 200
    return time.perf_counter() - started


async def test_what_recording_a_read_costs(service_client, auth, pool):
    await create_children_table(pool, [("C1", "Ada", HOME_URN)])
    headers = auth("virtual_school_officer", sub="timed")
    totals = {"without": 0.0, "with": 0.0}
    async with (
        service_client(lambda: create_security_test_app(audited=False)) as unrecorded,
        service_client(create_security_test_app) as recorded,
    ):
        for client in (unrecorded, recorded):  # warm up connections and caches
            await timed_reads(client, headers, 50)
        for _ in range(READS // 100):
            totals["without"] += await timed_reads(unrecorded, headers, 100)
            totals["with"] += await timed_reads(recorded, headers, 100)
    extra_ms = (totals["with"] - totals["without"]) / READS * 1000
    print(
        f"\n{READS} reads: {totals['without']:.2f}s without recording, {totals['with']:.2f}s with; "
        f"{extra_ms:+.3f} ms a read ({(totals['with'] / totals['without'] - 1) * 100:+.0f}%)"
    )
    assert await pool.fetchval("SELECT count(*) FROM eventlog.record_reads WHERE actor = 'timed'") == READS + 50
