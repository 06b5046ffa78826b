"""A log recorded before personal fields were sealed, as councils may hold one: children's names,
dates of birth and words in plain JSON, hash-chained as the store always chained them, with signed
checkpoints published over it; and a search of every table of the database for any of it."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, datetime, timezone
from decimal import Decimal

import asyncpg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pep.domain.child_events import ChildDetailsUpdated, ChildEnteredCare
from pep.domain.pep_events import PepDraftSaved, PepInitiated, PepReviewRecorded
from pep.domain.reviews import Attendance, Attendee
from pep.domain.terms import TermRef

from shared.eventlog import EventStore, NewEvent, StreamAppend
from shared.eventlog.checkpoints import CheckpointSigner, publish_checkpoint
from shared.events import Event
from shared.services import SERVICES

NAME, DATE_OF_BIRTH = "Ottoline Brackenbury-Voss", "2013-02-17"
SOCIAL_WORKER, CARER, REVIEWING_OFFICER = "Priya Ramanathan-Hale", "Desmond Okonkwo", "Marguerite Lindqvist"
SECOND_NAME, SECOND_DATE_OF_BIRTH = "Tobias Featherstonehaugh", "2014-07-09"
STRENGTHS = "Loves drawing; finds phonics hard since the move"
CHILD_VOICE = "I want to stay at Kestrel Primary with Mr Abernethy"
ATTENDEE = "Fenella Quarrington"
NEW_CARER = "Bartholomew Ashdown"
# Every personal value the log held in plain text.
PLAIN = (
    NAME, DATE_OF_BIRTH, SOCIAL_WORKER, CARER, REVIEWING_OFFICER, SECOND_NAME, SECOND_DATE_OF_BIRTH,
    STRENGTHS, CHILD_VOICE, ATTENDEE, NEW_CARER,
)
AUTUMN_2024 = TermRef(academic_year=2024, season="autumn")


def entered_care(child_id: str, name: str, date_of_birth: str) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name=name,
        date_of_birth=date.fromisoformat(date_of_birth),
        entered_care_on=date(2024, 9, 2),
        legal_status="full_care_order",
        placing_authority="Kent",
        social_worker=SOCIAL_WORKER,
        carer=CARER,
        independent_reviewing_officer=REVIEWING_OFFICER,
        sen_status="sen_support",
        year_group="year_6",
    )


def as_the_old_store_wrote_it(event: Event) -> NewEvent:
    """The event as appended before sealing existed: no field declared personal, so none sealed."""
    new = NewEvent.from_event(event, default_effective_date=date(2024, 9, 2))
    return dataclasses.replace(new, personal=(), data_subject=None)


def counted(n: int) -> NewEvent:
    """An event of a type no service declares: nothing in it is personal."""
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2024, 9, 1))


# The checkpoints published over the log: at position 1 (before any personal data), 3 and 7.
CHECKPOINTED = (1, 3, 7)


async def record_before_sealing(store: EventStore, pool: asyncpg.Pool, signer: CheckpointSigner) -> None:
    """Eight events and three checkpoints:

    1 Counted | 2 C1 entered care | 3 C2 entered care | 4 C1's PEP initiated | 5 its draft |
    6 its review (the child's words) and 7 C1's new carer, in one append | 8 Counted
    """
    old = as_the_old_store_wrote_it
    await store.append("tally-1", [counted(1)])
    await publish(pool, signer, 1)
    await store.append("child-C1", [old(entered_care("C1", NAME, DATE_OF_BIRTH))], idempotency_key="enter-C1")
    await store.append(
        "child-C2", [old(entered_care("C2", SECOND_NAME, SECOND_DATE_OF_BIRTH))], idempotency_key="enter-C2"
    )
    await publish(pool, signer, 2)
    pep = {"child_id": "C1", "pep_id": "P1", "term": AUTUMN_2024}
    await store.append(
        "pep-C1",
        [
            old(PepInitiated(**pep, occasion="initial", initiated_on=date(2024, 9, 9))),
            old(PepDraftSaved(**pep, saved_on=date(2024, 9, 16), strengths_and_needs=STRENGTHS)),
        ],
    )
    review = PepReviewRecorded(
        **pep,
        meeting_date=date(2024, 9, 23),
        attendance=Attendance(
            percentage=Decimal("96.5"), period_start=date(2024, 9, 4), period_end=date(2024, 9, 20)
        ),
        persistent_absence=False,
        child_voice=CHILD_VOICE,
        attendees=(Attendee(name=ATTENDEE, role="carer"),),
    )
    new_carer = ChildDetailsUpdated(child_id="C1", changed_on=date(2024, 9, 23), carer=NEW_CARER)
    await store.append_streams(
        [StreamAppend("pep-C1", (old(review),)), StreamAppend("child-C1", (old(new_carer),))],
        idempotency_key="review-C1",
    )
    await publish(pool, signer, 3)
    await store.append("tally-1", [counted(2)])


async def publish(pool: asyncpg.Pool, signer: CheckpointSigner, hour: int) -> None:
    await publish_checkpoint(pool, signer, datetime(2024, 10, 1, hour, tzinfo=timezone.utc))


def pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


async def tables_holding(pool: asyncpg.Pool, texts: tuple[str, ...]) -> list[str]:
    """Every table of the database with a row holding any of ``texts`` anywhere in it, and the
    planner's statistics, which keep sample values of every column (the log's data among them)."""
    patterns = [f"%{text}%" for text in texts]
    tables = await pool.fetch(
        "SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1"
    )
    found = []
    for table in tables:
        if await pool.fetchval(
            f"SELECT count(*) FROM {table['name']} AS t WHERE t::text LIKE ANY($1::text[])", patterns
        ):
            found.append(table["name"])
    statistics = "SELECT count(*) FROM pg_statistic AS s WHERE s::text LIKE ANY($1::text[])"
    if await pool.fetchval(statistics, patterns):
        found.append("pg_catalog.pg_statistic")
    return found


async def services_disconnected(pool: asyncpg.Pool, timeout: float = 10.0) -> None:
    """Wait (bounded) until no service role holds a connection to the database: a closed pool's
    server processes end a moment after the pool does."""
    roles = [spec.db_role for spec in SERVICES]
    async with asyncio.timeout(timeout):
        while await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename = ANY($1)",
            roles,
        ):
            await asyncio.sleep(0.02)
