"""Each child's statutory PEP deadlines (``pep.pep_deadlines``): when each PEP was due, when it was
in place, and when the deadline scheduler recorded it overdue. The termly compliance report and
the virtual school's overdue list read this table.

The deadlines of a child follow from the child's record, their PEPs and the council's settings,
so on any event of the child's two streams they are worked out again from those streams as they
stood at that event (``pep_obligations``); when the council's term dates or timing policy change,
every child's are. Without term dates for a date, the deadlines needing them are left out until
the term dates are set.

The two streams of the children last worked out are kept folded, each at a stream version, so an
event costs one ``evolve`` rather than a read of the child's whole history. Before they are used,
the versions kept are checked against the log as of the event being applied, and a child whose
kept streams are not exactly those (never seen or forgotten, a batch rolled back and tried again,
events applied by another instance of the service) is read from the log again. A state at a
stream's version is a function of the log, which never changes, so what was kept can be behind or
ahead of the read model's checkpoint but never wrong. No deadline depends on a personal field, so
none is opened (``personal_data = False``): the events are folded with them unknown, as after an
erasure, and the kept streams hold none; those of a child whose personal data is erased are
forgotten all the same.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import Event, EventCatalogue
from shared.privacy.events import PersonalDataErased

from pep.domain import children, peps
from pep.domain.child_events import CHILD_EVENTS
from pep.domain.council_config import SETTINGS_EVENTS, CouncilConfig
from pep.domain.deadlines import PepObligation, pep_obligations
from pep.domain.pep_events import PEP_EVENTS, PepInitiationOverdue, PepOverdue, PepReviewOverdue
from pep.domain.personal_data import erased_child
from pep.domain.streams import child_stream, pep_stream
from pep.domain.terms import SEASONS, SchoolCalendar, TermDatesMissing
from pep.domain.timing import PepTimingPolicies

from .log_reads import children_and_peps, children_ever_in_care, council_settings, stream_versions

log = logging.getLogger(__name__)

SETTINGS_TYPES = frozenset(cls.event_type for cls in SETTINGS_EVENTS)
CHILD_TYPES = frozenset(cls.event_type for cls in CHILD_EVENTS)
PEP_TYPES = frozenset(cls.event_type for cls in PEP_EVENTS)

# Children whose streams are kept folded between batches. A council looks after some thousands
# of children at a time; beyond this the least recently worked out are read from the log again
# when next needed.
KEEP_CHILDREN = 10_000


@dataclass(frozen=True)
class _Folded:
    """A child's two streams as folded up to a version of each, with the day each overdue
    obligation was noticed by the deadline scheduler."""

    child_version: int
    child: children.ChildState
    pep_version: int
    peps: peps.PepState
    overdue_noticed: Mapping[str, date]

    def then(self, record: RecordedEvent, event: Event) -> _Folded | None:
        """Folded on by the event, or None when the event is not the next of its stream."""
        if record.event_type in CHILD_TYPES:
            if record.stream_version != self.child_version + 1:
                return None
            return _Folded(
                record.stream_version,
                children.evolve(self.child, event),
                self.pep_version,
                self.peps,
                self.overdue_noticed,
            )
        if record.stream_version != self.pep_version + 1:
            return None
        return _Folded(
            self.child_version,
            self.child,
            record.stream_version,
            peps.evolve(self.peps, event),
            _noticed(self.overdue_noticed, event),
        )


NOTHING_YET = _Folded(0, children.NO_CHILD, 0, peps.NO_PEPS, {})


def _noticed(noticed: Mapping[str, date], event: Event) -> Mapping[str, date]:
    """When each overdue obligation was noticed: the last overdue event raised for it says."""
    if isinstance(event, PepInitiationOverdue | PepOverdue | PepReviewOverdue):
        return {**noticed, peps.overdue_key(event): event.noticed_on}
    return noticed


class PepDeadlinesProjection:
    name = "pep-deadlines"
    schema = "pep"
    tables = ("pep_deadlines",)
    # An erasure changes no deadline: it is followed only to forget the child's kept streams.
    event_types = CHILD_TYPES | PEP_TYPES | SETTINGS_TYPES | {PersonalDataErased.event_type}
    personal_data = False

    def __init__(self, catalogue: EventCatalogue, *, keep: int = KEEP_CHILDREN) -> None:
        self._catalogue = catalogue
        self._keep = keep
        self._kept: OrderedDict[str, _Folded] = OrderedDict()
        self._rules: tuple[CouncilConfig, PepTimingPolicies, SchoolCalendar] | None = None

    def holds(self, child_id: str) -> bool:
        """Whether the child's streams are kept folded in this process (never once the child's
        personal data is erased, until their streams are next read from the log)."""
        return child_id in self._kept

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """A batch of events in order: each child they concern is worked out once, as of the last
        of them. That is what applying them one by one leaves: a child's deadlines follow only
        from the child's two streams and the council's settings, each of whose events is one of
        this read model's, so a child none of the later events concerns stands as it did."""
        last = records[-1].position
        concerned: dict[str, None] = {}
        folded: dict[str, _Folded | None] = {}  # None: to be read from the log again
        settings_changed = False
        for record in records:
            if record.event_type in SETTINGS_TYPES:
                settings_changed = True
                continue
            event = self._catalogue.decode_record(record)
            if record.event_type == PersonalDataErased.event_type:
                erased = erased_child(event)
                if erased is not None:
                    self._kept.pop(erased, None)
                    folded[erased] = None
                continue
            child_id = record.data["child_id"]
            concerned[child_id] = None
            state = folded[child_id] if child_id in folded else self._kept.get(child_id, NOTHING_YET)
            folded[child_id] = state.then(record, event) if state is not None else None
        child_ids = await children_ever_in_care(conn, last) if settings_changed else list(concerned)
        if not child_ids:
            return
        states = await self._as_of(conn, dict.fromkeys([*concerned, *child_ids]), folded, last)
        await self._work_out(conn, child_ids, states, await self._settings(conn, last))

    async def _as_of(
        self,
        conn: asyncpg.Connection,
        child_ids: Mapping[str, None],
        folded: Mapping[str, _Folded | None],
        position: int,
    ) -> dict[str, _Folded]:
        """Each child's two streams as of ``position``: as folded, when the folded versions are
        the log's; otherwise read from the log. All are kept for the next batch."""
        versions = await stream_versions(
            conn, [stream for c in child_ids for stream in (child_stream(c), pep_stream(c))], position
        )
        states: dict[str, _Folded] = {}
        stale: list[str] = []
        for child_id in child_ids:
            state = folded[child_id] if child_id in folded else self._kept.get(child_id)
            if (
                state is not None
                and state.child_version == versions.get(child_stream(child_id), 0)
                and state.pep_version == versions.get(pep_stream(child_id), 0)
            ):
                states[child_id] = state
            else:
                stale.append(child_id)
        if stale:
            for child_id, (child, kept_peps, pep_events) in (
                await children_and_peps(conn, self._catalogue, stale, position, personal_data=False)
            ).items():
                states[child_id] = _Folded(
                    versions.get(child_stream(child_id), 0),
                    child,
                    versions.get(pep_stream(child_id), 0),
                    kept_peps,
                    reduce(_noticed, pep_events, {}),
                )
        for child_id, state in states.items():
            self._kept[child_id] = state
            self._kept.move_to_end(child_id)
        while len(self._kept) > self._keep:
            self._kept.popitem(last=False)
        return states

    async def _settings(
        self, conn: asyncpg.Connection, position: int
    ) -> tuple[PepTimingPolicies, SchoolCalendar]:
        """The council's timing policies and calendar as of ``position``; the same objects while
        the settings stay the same, so the answers the calendar keeps are asked once."""
        settings = await council_settings(conn, self._catalogue, position)
        if self._rules is None or self._rules[0] != settings:
            self._rules = (settings, settings.timing_policies(), settings.school_calendar())
        return self._rules[1], self._rules[2]

    async def _work_out(
        self,
        conn: asyncpg.Connection,
        child_ids: Sequence[str],
        states: Mapping[str, _Folded],
        rules: tuple[PepTimingPolicies, SchoolCalendar],
    ) -> None:
        """The children's deadlines worked out again, their rows deleted and copied in afresh."""
        policies, calendar = rules
        rows: list[tuple] = []
        for child_id in child_ids:
            state = states[child_id]
            try:
                obligations = pep_obligations(state.child, state.peps, policies, calendar)
            except TermDatesMissing as missing:
                log.info("PEP deadlines of child %s wait for term dates: %s", child_id, missing.detail)
                obligations = []
            rows += {
                item.key: _row(item, state.overdue_noticed.get(item.key)) for item in obligations
            }.values()
        await conn.execute("DELETE FROM pep.pep_deadlines WHERE child_id = ANY($1::text[])", list(child_ids))
        # Copied in rather than inserted row by row: a rebuild writes every child's deadlines.
        await conn.copy_records_to_table("pep_deadlines", schema_name="pep", columns=COLUMNS, records=rows)


COLUMNS = (
    "child_id",
    "obligation_key",
    "kind",
    "clock_started_on",
    "due_on",
    "term_year",
    "term_season",
    "term_order",
    "urn",
    "met_on",
    "entered_care_on",
    "overdue_noticed_on",
)


def _row(item: PepObligation, overdue_noticed_on: date | None) -> tuple:
    ref = item.term
    return (
        item.child_id,
        item.key,
        item.kind.value,
        item.clock_started_on,
        item.due_on,
        ref.academic_year if ref else None,
        ref.season.value if ref else None,
        SEASONS.index(ref.season) if ref else None,
        item.urn,
        item.met_on,
        item.entered_care_on,
        overdue_noticed_on,
    )
