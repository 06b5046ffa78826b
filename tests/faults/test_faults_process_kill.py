"""A real schools service process, killed with SIGKILL while a read model is in the middle of a
batch, then started again: the killed batch leaves nothing behind, the restarted process picks
up where the last commit left off, and every read model ends equal to a rebuild from the log,
with nothing applied twice and nothing parked."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
import time
from pathlib import Path

import httpx
import pytest
from schools.domain.catalogue import schools_catalogue
from schools.projections import read_models

sys.path.insert(0, str(Path(__file__).parent))
from fault_support import (  # noqa: E402
    assert_chain_verifies,
    assert_no_dead_letters,
    assert_no_key_appended_twice,
    assert_read_models_equal_rebuild,
    wait_for,
)

SCHOOLS = 1500  # three batches of the read models' default 500: a kill lands inside one
HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (name)", "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)",
    "OpenDate", "CloseDate", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "ReligiousCharacter (name)", "Diocese (name)", "HeadTitle (name)", "HeadFirstName",
    "HeadLastName", "Postcode",
]


def register_csv(count: int) -> bytes:
    """The national register's CSV for one LA, as GIAS publishes it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for index in range(count):
        writer.writerow([
            str(150000 + index), "886", "Kent", str(2000 + index), f"School Number {index}",
            "Community school", "Local authority maintained schools", "Open",
            f"01-09-{1960 + index % 50}", "", "Primary", "4", "11", "Does not apply",
            "Not applicable", "Mrs", "Ann", f"Head{index}", "ME14 1XX",
        ])
    return out.getvalue().encode("cp1252")


async def locked_mid_batch(pool, names: list[str]) -> str | None:
    """The name of a read model whose batch transaction is open right now, if any.

    A subscription holds its checkpoint row FOR UPDATE for the whole batch; SKIP LOCKED leaves
    out exactly the rows someone holds, without waiting for them."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            free = {
                r["name"]
                for r in await conn.fetch(
                    "SELECT name FROM schools.subscription_checkpoints WHERE name = ANY($1) "
                    "FOR UPDATE SKIP LOCKED",
                    names,
                )
            }
    busy = [n for n in names if n not in free]
    return busy[0] if busy else None


@pytest.mark.slow
async def test_a_service_killed_mid_batch_resumes_and_its_read_models_equal_a_rebuild(
    service_processes, observer, auth
):
    principal = auth("principal_adviser", sub="pa.okafor")
    models = read_models(schools_catalogue())
    names = [m.name for m in models]

    schools = service_processes("schools")
    schools.start()
    await schools.wait_ready()

    async with observer() as obs, httpx.AsyncClient(base_url=schools.base_url, timeout=60) as client:
        imported = await client.post(
            "/schools/imports",
            params={"la_code": "886", "as_of": "2026-10-01"},
            content=register_csv(SCHOOLS),
            headers={**principal, "Content-Type": "text/csv", "Idempotency-Key": "gias-20261001-886"},
        )
        assert imported.status_code == 200, imported.text
        assert imported.json()["registered"] == SCHOOLS
        head = await obs.fetchval("SELECT max(position) FROM eventlog.events")

        # Kill the process the moment one of its read models is inside a batch after its first
        # (so it has committed work to resume from, and uncommitted work to lose).
        deadline = time.monotonic() + 30
        killed_in = None
        while killed_in is None:
            assert time.monotonic() < deadline, "no read-model batch was seen in flight"
            busy = await locked_mid_batch(obs, names)
            if busy is not None and 0 < await obs.fetchval(
                "SELECT position FROM schools.subscription_checkpoints WHERE name = $1", busy
            ) < head:
                schools.kill()
                killed_in = busy
                break
            await asyncio.sleep(0.002)

        # The killed batch left nothing behind: its checkpoint is short of the head, and the
        # profiles hold exactly the schools registered up to their checkpoint.
        checkpoints = dict(await obs.fetch("SELECT name, position FROM schools.subscription_checkpoints"))
        assert 0 < checkpoints[killed_in] < head, (killed_in, checkpoints, head)
        profiles_at = checkpoints.get("schools.profiles", 0)
        registered_by_then = await obs.fetchval(
            "SELECT count(*) FROM eventlog.events WHERE event_type = 'SchoolRegistered' AND position <= $1",
            profiles_at,
        )
        assert await obs.fetchval("SELECT count(*) FROM schools.school_profiles") == registered_by_then

        # Started again, it resumes from its checkpoints and takes new writes.
        schools.start()
        await schools.wait_ready()
        late = await client.post(
            "/schools",
            json={
                "urn": "159999", "name": "Late Primary School", "la_code": "886", "la_name": "Kent",
                "establishment_type": "community", "phase": "primary", "opened_on": "2001-09-01",
            },
            headers={**principal, "Idempotency-Key": "register-159999"},
        )
        assert late.status_code == 201, late.text

        async def all_caught_up() -> bool:
            top = await obs.fetchval("SELECT max(position) FROM eventlog.events")
            at = await obs.fetch(
                "SELECT position FROM schools.subscription_checkpoints WHERE name = ANY($1)", names
            )
            return len(at) == len(names) and all(r["position"] == top for r in at)

        await wait_for(all_caught_up, timeout=60, what="the restarted service to catch up", interval=0.1)
        schools.stop()

        assert await obs.fetchval("SELECT count(*) FROM schools.school_profiles") == SCHOOLS + 1
        doubled = await obs.fetch(
            "SELECT stream_id, count(*) FROM eventlog.events WHERE event_type = 'SchoolRegistered' "
            "GROUP BY 1 HAVING count(*) > 1"
        )
        assert not doubled
        await assert_no_key_appended_twice(obs)
        await assert_chain_verifies(obs)
        await assert_no_dead_letters(obs, "schools")
        # An import feeds the profiles only; the others must still match a rebuild.
        await assert_read_models_equal_rebuild(obs, models, fed={"schools.profiles"})
    print(f"killed while {killed_in} was mid-batch at checkpoint {checkpoints.get(killed_in, 0)} of {head}")
