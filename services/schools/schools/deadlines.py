"""Jobs that run on their own.

**The academic year's support.** A school's allocation is made when it is categorised, but a
new academic year starts on 1 September whether or not anyone has re-categorised it. Once the
year has begun, every open school with a category (and every academy, which has its own offer)
and no allocation for the year is allocated its days from the category it holds and the offer in
force. Each allocation carries an idempotency key naming the school and the year, so it happens
once however often the job runs and however many instances run it.
"""

from __future__ import annotations

import logging
from typing import Any

from schools import queries
from schools.domain.establishments import ACADEMY_TYPES
from schools.domain.support import AllocateSupport, support_stream
from schools.domain.terms import academic_year_of
from schools.handlers.support import support_decision
from schools.wiring import from_state
from shared.errors import DomainError
from shared.scheduler import ScheduledJob

JOB_ACTOR = "schools-scheduler"
log = logging.getLogger(__name__)


async def allocate_support_for_the_year(state: Any) -> int:
    schools = from_state(state)
    today = schools.today()
    year = academic_year_of(today)
    appended = 0
    for urn in await queries.schools_without_allocation(schools.pool, year, [t.value for t in ACADEMY_TYPES]):
        decision = await support_decision(schools, urn, today=today)
        current = await schools.support(urn)
        try:
            decided = decision.decide(
                AllocateSupport(urn=urn, academic_year=year, allocated_on=today), current.state
            )
        except DomainError as refused:
            # e.g. no offer in force that year: a principal adviser allocates by hand
            log.warning("no %s allocation for school %s: %s", year, urn, refused.detail)
            continue
        if not decided:
            continue
        await schools.record(
            support_stream(urn),
            decided,
            expected_version=current.version,
            today=today,
            metadata={
                "actor": JOB_ACTOR,
                "role": "scheduler",
                "service": "schools",
                "job": ANNUAL_SUPPORT.name,
            },
            idempotency_key=f"schools:support-for-the-year:{urn}:{year}",
        )
        appended += len(decided)
    return appended


ANNUAL_SUPPORT = ScheduledJob("allocate-support-for-the-academic-year", allocate_support_for_the_year)
JOBS = (ANNUAL_SUPPORT,)
