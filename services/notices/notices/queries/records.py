"""One record, folded from its streams in the log: current, and versioned for ETag / If-Match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import NotFound
from shared.web.commands import load
from notices.domain import academy_concern, direction, intervention, queries, warning_notice
from notices.domain.academy_concern import AcademyConcern, academy_concern_stream
from notices.domain.direction import Direction, direction_stream
from notices.domain.intervention import InterventionCase, intervention_stream
from notices.domain.warning_notice import WarningNotice, notice_stream
from notices.school_facts import school_facts
from notices.wiring import Notices


@dataclass(frozen=True)
class NoticeRecord:
    state: WarningNotice
    timeline: queries.NoticeTimeline
    version: int


async def notice_record(
    notices: Notices, notice_id: str, *, up_to_position: int | None = None
) -> NoticeRecord:
    """The notice with its full timeline: its own events and those of the school's intervention
    and of its direction that name it (eligibility, lapse of powers, the direction answered)."""
    store, catalogue = notices.store, notices.catalogue
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
    events = [catalogue.decode(r.event_type, r.schema_version, r.data) for r in records]
    state = warning_notice.NO_NOTICE
    for record in own:
        state = warning_notice.evolve(
            state, catalogue.decode(record.event_type, record.schema_version, record.data)
        )
    return NoticeRecord(state, queries.notice_timeline(notice_id, events), own[-1].stream_version)


@dataclass(frozen=True)
class Versioned:
    state: Any
    version: int


async def intervention_record(notices: Notices, urn: str) -> Versioned:
    loaded = await load(
        notices.store,
        notices.catalogue,
        intervention_stream(urn),
        intervention.NO_INTERVENTION,
        intervention.evolve,
    )
    if loaded.version == 0 and not (await school_facts(notices, urn)).known:
        raise NotFound(f"No school with URN {urn} is known to the schools service.", field="urn")
    state: InterventionCase = loaded.state
    return Versioned(state, loaded.version)


async def direction_record(notices: Notices, direction_id: str) -> Versioned:
    loaded = await load(
        notices.store,
        notices.catalogue,
        direction_stream(direction_id),
        direction.NO_DIRECTION,
        direction.evolve,
    )
    if loaded.version == 0:
        raise NotFound(f"There is no direction {direction_id}.", field="direction_id")
    state: Direction = loaded.state
    return Versioned(state, loaded.version)


async def academy_concern_record(notices: Notices, urn: str) -> Versioned:
    loaded = await load(
        notices.store,
        notices.catalogue,
        academy_concern_stream(urn),
        academy_concern.NO_ACADEMY_CONCERN,
        academy_concern.evolve,
    )
    if loaded.version == 0:
        raise NotFound(f"No letter of concern about URN {urn} is recorded.", field="urn")
    state: AcademyConcern = loaded.state
    return Versioned(state, loaded.version)
