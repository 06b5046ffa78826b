"""PEPs, their latest review, exclusions and targets (``pep.peps``, ``pep.pep_reviews``,
``pep.exclusions``, ``pep.targets``): the roll's PEP status, attendance and exclusion reports.

Every row is written from the child's PEPs as the domain folds them (``peps.evolve``): a PEP's
status and dates, its latest review with that review's exclusions, and each target with whether
it is in force, closed, and the progress recorded on it. Each event of a PEP stream rewrites the
rows of what it changed in the fold, and removes the targets the fold no longer has.

Once the child's personal data is erased (``PersonalDataErased`` in ``privacy-child:<id>``) no
row keeps any of it: the erasure rewrites the child's PEPs without the rework reason and the
quality assurance's comments, and so does every later event of the child's PEPs, whether or not
the child's key is destroyed yet.
"""

from __future__ import annotations


import asyncpg

from shared.eventlog.folds import StreamFolds, write_row
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue
from shared.privacy.events import PersonalDataErased

from pep.domain import peps
from pep.domain.pep_events import PEP_EVENTS, PepReviewRecorded
from pep.domain.peps import PepRecord, PepState, PepStatus, TargetRecord
from pep.domain.personal_data import erased_child
from pep.domain.streams import PEP, pep_stream
from pep.domain.terms import SEASONS

from .log_reads import child_and_peps, personal_data_erased_on


class PepsProjection:
    name = "pep-peps"
    schema = "pep"
    tables = ("peps", "pep_reviews", "exclusions", "targets")
    event_types = frozenset(cls.event_type for cls in PEP_EVENTS) | {PersonalDataErased.event_type}

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue
        self._folds = StreamFolds(catalogue, {PEP: (peps.NO_PEPS, peps.evolve)})

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        if not self._folds.folds(record):
            await self._erase(conn, record)
            return
        step = await self._folds.step(conn, record)
        before: PepState = step.before
        after: PepState = step.after
        child_id = after.child_id
        if child_id is None:
            # A PEP stream can open with an overdue notice for a child no PEP was initiated for
            # yet (initiation overdue): there is no PEP to show until one is.
            return
        erased_on = await personal_data_erased_on(conn, self._catalogue, child_id, record.position)
        # What changed is the fold's to say; what is written is what may be shown.
        shown = peps.without_personal_details(after) if erased_on is not None else after
        for pep, earlier in step.changed(lambda state: state.peps):
            await _write_pep(conn, child_id, shown.peps[pep.pep_id])
            if pep.review is not None and (earlier is None or pep.review is not earlier.review):
                await _write_review(conn, child_id, pep.review)
        for target_id in before.targets.keys() - after.targets.keys():
            await conn.execute(
                "DELETE FROM pep.targets WHERE child_id = $1 AND target_id = $2", child_id, target_id
            )
        for target, _earlier in step.changed(lambda state: state.targets):
            await _write_target(conn, child_id, target)

    async def _erase(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        """Every PEP of the child rewritten without their personal details, and the state kept of
        the child's PEP stream (which holds them) forgotten."""
        child_id = erased_child(self._catalogue.decode_record(record))
        if child_id is None:
            return
        self._folds.forget(pep_stream(child_id))
        _child, state, _events = await child_and_peps(conn, self._catalogue, child_id, record.position)
        for pep in peps.without_personal_details(state).peps.values():
            await _write_pep(conn, child_id, pep)



async def _write_pep(conn: asyncpg.Connection, child_id: str, pep: PepRecord) -> None:
    assured = pep.status is PepStatus.QUALITY_ASSURED
    row = {
        "child_id": child_id,
        "pep_id": pep.pep_id,
        "term_year": pep.term.academic_year,
        "term_season": pep.term.season.value,
        "term_order": SEASONS.index(pep.term.season),
        "occasion": pep.occasion.value,
        "status": pep.status.value,
        "urn": pep.urn,
        "initiated_on": pep.initiated_on,
        "submitted_on": pep.submitted_on,
        "returned_on": pep.returned_on,
        "returned_reason": pep.returned_reason,
        "quality_assured_on": pep.quality_assured_on,
        "rating": pep.rating.value if pep.rating else None,
        "comments": pep.comments if assured else None,  # the quality assurance's comments
        "completed_on": pep.completed_on,
        "due_on": pep.due_on,
        "completed_in_time": pep.completed_in_time,
    }
    await write_row(conn, "pep.peps", row, key=("child_id", "pep_id"))


async def _write_review(conn: asyncpg.Connection, child_id: str, review: PepReviewRecorded) -> None:
    """The PEP's latest review, replacing an earlier one, and that review's exclusions."""
    row = {
        "child_id": child_id,
        "pep_id": review.pep_id,
        "term_year": review.term.academic_year,
        "term_season": review.term.season.value,
        "urn": review.urn,
        "meeting_date": review.meeting_date,
        "attendance_percentage": review.attendance.percentage,
        "attendance_from": review.attendance.period_start,
        "attendance_to": review.attendance.period_end,
        "persistent_absence": review.persistent_absence,
        # jsonb travels as Python values: the pool's codec encodes it.
        "target_progress": [p.model_dump(mode="json") for p in review.target_progress],
    }
    await write_row(conn, "pep.pep_reviews", row, key=("child_id", "pep_id"))
    await conn.execute(
        "DELETE FROM pep.exclusions WHERE child_id = $1 AND pep_id = $2", child_id, review.pep_id
    )
    await conn.executemany(
        """
        INSERT INTO pep.exclusions (child_id, pep_id, ordinal, urn, kind, first_day, school_days, reason,
            unofficial, reported_on)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """,
        [
            (
                child_id,
                review.pep_id,
                index,
                review.urn,
                e.kind.value,
                e.first_day,
                e.school_days,
                e.reason,
                e.unofficial,
                review.meeting_date,
            )
            for index, e in enumerate(review.exclusions)
        ],
    )


async def _write_target(conn: asyncpg.Connection, child_id: str, record: TargetRecord) -> None:
    target = record.target
    row = {
        "child_id": child_id,
        "target_id": target.target_id,
        "pep_id": record.pep_id,
        "subject_or_area": target.subject_or_area,
        "baseline": target.baseline,
        "target": target.target,
        "by_when": target.by_when,
        "who": target.who,
        "in_force": record.in_force,
        "closed": record.closed,
        "latest_status": record.latest_status.value if record.latest_status else None,
        "progress": [p.model_dump(mode="json") for p in record.progress],
    }
    await write_row(conn, "pep.targets", row, key=("child_id", "target_id"))
