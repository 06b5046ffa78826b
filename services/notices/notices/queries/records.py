"""One record, folded from its streams in the log: current, and versioned for ETag / If-Match."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import NotFound
from shared.web.commands import Loaded, ServiceLog
from notices.domain import (
    academy_concern,
    academy_order,
    academy_order_law,
    direction,
    intervention,
    warning_notice,
)
from notices.domain.notice_timeline import NoticeTimeline, notice_timeline
from notices.domain.academy_concern import AcademyConcern, academy_concern_stream
from notices.domain.academy_order import AcademyOrderCase, academy_order_stream
from notices.domain.academy_order_law import ACADEMY_ORDER_LAW_STREAM, AcademyOrderLaw
from notices.domain.direction import Direction, direction_stream
from notices.domain.intervention import InterventionCase, intervention_stream
from notices.domain.warning_notice import WarningNotice, notice_stream
from notices.queries.school_facts import school_facts


@dataclass(frozen=True)
class NoticeRecord:
    state: WarningNotice
    timeline: NoticeTimeline
    version: int


async def notice_record(
    log: ServiceLog, notice_id: str, *, up_to_position: int | None = None
) -> NoticeRecord:
    """The notice with its full timeline: its own events and those of the school's intervention
    and of its direction that name it (eligibility, lapse of powers, the direction answered)."""
    store = log.store
    own = await store.read_stream(notice_stream(notice_id), up_to_position=up_to_position)
    if not own:
        raise NotFound(f"There is no warning notice {notice_id}.", field="notice_id")
    first = own[0].data
    related = await store.read_stream(intervention_stream(first["urn"]), up_to_position=up_to_position)
    if first.get("direction_id"):
        related += await store.read_stream(
            direction_stream(first["direction_id"]), up_to_position=up_to_position
        )
    records = sorted([*own, *related], key=lambda r: r.position)
    events = [log.decode(r) for r in records]
    state = warning_notice.NO_NOTICE
    for record in own:
        state = warning_notice.evolve(state, log.decode(record))
    return NoticeRecord(state, notice_timeline(notice_id, events), own[-1].stream_version)


async def intervention_record(log: ServiceLog, urn: str) -> Loaded[InterventionCase]:
    loaded = await log.load(intervention_stream(urn), intervention.NO_INTERVENTION, intervention.evolve)
    if loaded.version == 0 and not (await school_facts(log, urn)).known:
        raise NotFound(f"No school with URN {urn} is known to the schools service.", field="urn")
    return loaded


async def direction_record(log: ServiceLog, direction_id: str) -> Loaded[Direction]:
    loaded = await log.load(direction_stream(direction_id), direction.NO_DIRECTION, direction.evolve)
    if loaded.version == 0:
        raise NotFound(f"There is no direction {direction_id}.", field="direction_id")
    return loaded


async def academy_concern_record(log: ServiceLog, urn: str) -> Loaded[AcademyConcern]:
    loaded = await log.load(
        academy_concern_stream(urn), academy_concern.NO_ACADEMY_CONCERN, academy_concern.evolve
    )
    if loaded.version == 0:
        raise NotFound(f"No letter of concern about URN {urn} is recorded.", field="urn")
    return loaded


async def academy_order_record(log: ServiceLog, urn: str) -> Loaded[AcademyOrderCase]:
    """The school's academy orders (none recorded is an answer too, for a school the schools
    service knows)."""
    loaded = await log.load(academy_order_stream(urn), academy_order.NO_ACADEMY_ORDER, academy_order.evolve)
    if loaded.version == 0 and not (await school_facts(log, urn)).known:
        raise NotFound(f"No school with URN {urn} is known to the schools service.", field="urn")
    return loaded


async def academy_order_law_record(log: ServiceLog) -> Loaded[AcademyOrderLaw]:
    """The council's settings of the law academy orders are made under (none: not commenced)."""
    return await log.load(ACADEMY_ORDER_LAW_STREAM, academy_order_law.NOT_COMMENCED, academy_order_law.evolve)
