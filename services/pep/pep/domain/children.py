"""A looked-after (or previously looked-after) child: care episodes and school places.

domain.md section 2: a child has a council identifier, name, date of birth, date entered care,
legal status, placing authority, social worker, carer, IRO, SEN status, current school (URN) and
year group, and a history of placements and school moves; previously looked-after children are
tracked too. The headteacher and designated teacher must be told when a looked-after child is on
roll. Seed 002 monitors "days lost whilst awaiting school placement".

``decide`` needs the council's ``SchoolCalendar`` (days lost are school days) and ``today`` (the
day the school is notified).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum

from shared.errors import InvalidInput, NotFound
from shared.events import Command, Event
from shared.urn import require_urn

from .child_events import (
    CHILD_EVENTS,
    PREVIOUSLY_LOOKED_AFTER_ROUTES,
    CareEntry,
    ChildAwaitingSchoolPlace,
    ChildDetailsCorrected,
    ChildDetailsUpdated,
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    DesignatedTeacherNotified,
    DetailChanges,
    DetailCorrections,
    HeadteacherNotified,
    LeftCareReason,
    LegalStatus,
    NotificationReason,
    PreviouslyLookedAfterChildRegistered,
    PreviouslyLookedAfterRegistration,
    SenStatus,
    YearGroup,
)
from .refusals import CareHistory, ChildStatus
from .terms import SchoolCalendar



# --- commands ---------------------------------------------------------------------------------


class ChildCommand(Command):
    child_id: str


class EnterCare(CareEntry, ChildCommand):
    """A child enters the council's care."""


class UpdateChildDetails(DetailChanges, ChildCommand):
    """Some of a child's details change; the others are left out."""


class CorrectChildDetails(ChildCommand):
    """Details recorded wrongly about a child are put right (UK GDPR Article 16), with the reason."""

    corrections: DetailCorrections
    reason: str
    corrected_on: date


class RecordAwaitingSchoolPlace(ChildCommand):
    place_needed_from: date
    reason: str
    left_school_on: date | None = None


class PlaceChildAtSchool(ChildCommand):
    urn: str
    start_date: date
    year_group: YearGroup | None = None


class MoveChildToSchool(ChildCommand):
    to_urn: str
    start_date: date
    reason: str
    left_previous_school_on: date | None = None
    year_group: YearGroup | None = None


class RecordChildLeftCare(ChildCommand):
    left_care_on: date
    reason: LeftCareReason


class RegisterPreviouslyLookedAfterChild(PreviouslyLookedAfterRegistration, ChildCommand):
    """The virtual school starts tracking a child the council never looked after."""


# --- state ------------------------------------------------------------------------------------


class CareStatus(StrEnum):
    NOT_KNOWN = "not_known"
    LOOKED_AFTER = "looked_after"
    LEFT_CARE = "left_care"
    PREVIOUSLY_LOOKED_AFTER = "previously_looked_after"


@dataclass(frozen=True)
class CareEpisode:
    entered_on: date
    legal_status: LegalStatus
    left_on: date | None = None
    left_reason: LeftCareReason | None = None

    def covers(self, day: date) -> bool:
        return self.entered_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class SchoolPlacement:
    urn: str
    start_date: date
    end_date: date | None = None  # the last day on roll

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class ChildState:
    """The child as the virtual school records them. The personal details (name, date of birth,
    social worker, carer, IRO) are None once the child's personal data is erased."""

    child_id: str | None = None
    name: str | None = ""
    date_of_birth: date | None = None  # the one first recorded, unless it was corrected
    status: CareStatus = CareStatus.NOT_KNOWN
    legal_status: LegalStatus | None = None
    placing_authority: str = ""
    social_worker: str | None = ""
    carer: str | None = ""
    independent_reviewing_officer: str | None = ""
    sen_status: SenStatus = SenStatus.NONE
    year_group: YearGroup | None = None
    episodes: tuple[CareEpisode, ...] = ()
    placements: tuple[SchoolPlacement, ...] = ()
    awaiting_place_since: date | None = None
    school_changes: tuple[date, ...] = ()  # first days at a new school after a change while looked after
    school_days_lost: int = 0  # over completed waits for a place
    previously_looked_after_by: str | None = None  # a child registered as previously looked after
    previously_left_care_on: date | None = None  # and the day that child left the other care

    @property
    def is_known(self) -> bool:
        return self.child_id is not None

    @property
    def is_looked_after(self) -> bool:
        return self.status is CareStatus.LOOKED_AFTER

    @property
    def current_episode(self) -> CareEpisode | None:
        if self.episodes and self.episodes[-1].left_on is None:
            return self.episodes[-1]
        return None

    @property
    def current_placement(self) -> SchoolPlacement | None:
        if self.placements and self.placements[-1].end_date is None:
            return self.placements[-1]
        return None

    @property
    def current_urn(self) -> str | None:
        placement = self.current_placement
        return placement.urn if placement else None

    def looked_after_on(self, day: date) -> bool:
        return any(episode.covers(day) for episode in self.episodes)

    def school_on(self, day: date) -> str | None:
        for placement in reversed(self.placements):
            if placement.covers(day):
                return placement.urn
        return None

    def on_roll_as_looked_after(self, urn: str, day: date) -> bool:
        return self.looked_after_on(day) and any(p.urn == urn and p.covers(day) for p in self.placements)


NO_CHILD = ChildState()


# --- decide -----------------------------------------------------------------------------------


def decide(command: ChildCommand, state: ChildState, *, calendar: SchoolCalendar, today: date) -> list[Event]:
    if isinstance(command, EnterCare):
        return _enter_care(command, state, today)
    if isinstance(command, RegisterPreviouslyLookedAfterChild):
        return _register_previously_looked_after(command, state)
    if isinstance(command, CorrectChildDetails):
        return _correct_details(command, state, today)
    if not state.is_known:
        raise NotFound(f"no child with id {command.child_id!r}", field="child_id")
    if isinstance(command, UpdateChildDetails):
        return _update_details(command, state)
    if isinstance(command, RecordAwaitingSchoolPlace):
        return _await_place(command, state)
    if isinstance(command, PlaceChildAtSchool):
        return _place(command, state, calendar, today)
    if isinstance(command, MoveChildToSchool):
        return _move(command, state, today)
    if isinstance(command, RecordChildLeftCare):
        return _leave_care(command, state)
    raise TypeError(f"not a child command: {type(command).__name__}")


def _require_text(value: str, field: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{field.replace('_', ' ')} is required", field=field)


def _notifications(child_id: str, urn: str, today: date, reason: NotificationReason) -> list[Event]:
    return [
        HeadteacherNotified(child_id=child_id, urn=urn, notified_on=today, reason=reason),
        DesignatedTeacherNotified(child_id=child_id, urn=urn, notified_on=today, reason=reason),
    ]


def _enter_care(command: EnterCare, state: ChildState, today: date) -> list[Event]:
    if state.is_looked_after:
        episode = state.current_episode
        assert episode is not None
        raise ChildStatus(
            f"child {command.child_id} has been looked after since {episode.entered_on}", field="child_id"
        )
    for field in ("name", "placing_authority", "social_worker", "carer", "independent_reviewing_officer"):
        _require_text(getattr(command, field), field)
    if command.entered_care_on < command.date_of_birth:
        raise InvalidInput("a child cannot enter care before being born", field="entered_care_on")
    if state.episodes and state.episodes[-1].left_on and command.entered_care_on < state.episodes[-1].left_on:
        raise InvalidInput(
            f"the previous care episode ended on {state.episodes[-1].left_on}", field="entered_care_on"
        )
    events: list[Event] = [
        ChildEnteredCare(
            child_id=command.child_id,
            name=command.name,
            date_of_birth=command.date_of_birth,
            entered_care_on=command.entered_care_on,
            legal_status=command.legal_status,
            placing_authority=command.placing_authority,
            social_worker=command.social_worker,
            carer=command.carer,
            independent_reviewing_officer=command.independent_reviewing_officer,
            sen_status=command.sen_status,
            year_group=command.year_group,
        )
    ]
    if state.current_urn is not None:
        events += _notifications(
            command.child_id, state.current_urn, today, NotificationReason.ENTERED_CARE_WHILE_ON_ROLL
        )
    return events


def _register_previously_looked_after(
    command: RegisterPreviouslyLookedAfterChild, state: ChildState
) -> list[Event]:
    if state.is_known:
        raise ChildStatus(
            f"child {command.child_id} is already known to the virtual school", field="child_id"
        )
    _require_text(command.name, "name")
    _require_text(command.previously_looked_after_by, "previously_looked_after_by")
    if command.left_care_on < command.date_of_birth:
        raise InvalidInput("a child cannot leave care before being born", field="left_care_on")
    if command.left_care_on > command.registered_on:
        raise InvalidInput("the child must have left care before being registered", field="left_care_on")
    return [PreviouslyLookedAfterChildRegistered(**command.model_dump())]


def _update_details(command: UpdateChildDetails, state: ChildState) -> list[Event]:
    changes: dict[str, object] = {}
    for field in (
        "legal_status",
        "social_worker",
        "carer",
        "independent_reviewing_officer",
        "sen_status",
        "year_group",
    ):
        value = getattr(command, field)
        if value is None:
            continue
        if isinstance(value, str) and not isinstance(value, StrEnum):
            _require_text(value, field)
        if value != getattr(state, field):
            changes[field] = value
    if "legal_status" in changes and not state.is_looked_after:
        raise CareHistory("only a looked-after child has a legal status", field="legal_status")
    if not changes:
        return []
    return [
        ChildDetailsUpdated.model_validate(
            {"child_id": command.child_id, "changed_on": command.changed_on, **changes}
        )
    ]


def _correct_details(command: CorrectChildDetails, state: ChildState, today: date) -> list[Event]:
    if not state.is_known:
        # Nothing is recorded about the child, so nothing can be wrong: record them first.
        raise ChildStatus(
            f"the virtual school has no record of child {command.child_id} to correct", field="child_id"
        )
    _require_text(command.reason, "reason")
    corrections = {
        name: value for name, value in command.corrections.model_dump().items() if value is not None
    }
    if not corrections:
        raise InvalidInput(
            "name at least one detail that was recorded wrongly, with the right value", field="corrections"
        )
    for name, value in corrections.items():
        field = f"corrections.{name}"
        label = name.replace("_", " ")
        if isinstance(value, str) and not isinstance(value, StrEnum) and not value.strip():
            raise InvalidInput(f"the right {label} is required", field=field)
        if value == getattr(state, name):
            raise InvalidInput(
                f"the {label} recorded is already the one given: nothing to correct", field=field
            )
    if "legal_status" in corrections and state.current_episode is None:
        raise CareHistory("only a looked-after child has a legal status", field="corrections.legal_status")
    born = command.corrections.date_of_birth
    if born is not None:
        _check_born_before_care(born, state, today)
    return [
        ChildDetailsCorrected(
            child_id=command.child_id, corrected_on=command.corrected_on, reason=command.reason, **corrections
        )
    ]


def _check_born_before_care(born: date, state: ChildState, today: date) -> None:
    field = "corrections.date_of_birth"
    if born > today:
        raise InvalidInput("a date of birth cannot be in the future", field=field)
    if state.episodes and born > state.episodes[0].entered_on:
        raise InvalidInput(
            f"the child entered care on {state.episodes[0].entered_on}, so was born by then", field=field
        )
    if state.previously_left_care_on is not None and born > state.previously_left_care_on:
        raise InvalidInput(
            f"the child left care on {state.previously_left_care_on}, so was born by then", field=field
        )


def _await_place(command: RecordAwaitingSchoolPlace, state: ChildState) -> list[Event]:
    _require_text(command.reason, "reason")
    if state.awaiting_place_since is not None:
        raise ChildStatus(
            f"child {command.child_id} has been awaiting a place since {state.awaiting_place_since}",
            field="place_needed_from",
        )
    placement = state.current_placement
    if placement is None:
        if command.left_school_on is not None:
            raise InvalidInput("the child is not on any school's roll", field="left_school_on")
        _check_after_history(state, command.place_needed_from, "place_needed_from")
        return [
            ChildAwaitingSchoolPlace(
                child_id=command.child_id, place_needed_from=command.place_needed_from, reason=command.reason
            )
        ]
    left_on = command.left_school_on or command.place_needed_from - timedelta(days=1)
    if left_on < placement.start_date:
        raise InvalidInput(
            f"the place at {placement.urn} would end before it starts ({placement.start_date})",
            field="left_school_on" if command.left_school_on else "place_needed_from",
        )
    return [
        ChildAwaitingSchoolPlace(
            child_id=command.child_id,
            place_needed_from=command.place_needed_from,
            reason=command.reason,
            left_urn=placement.urn,
            left_school_on=left_on,
        )
    ]


def _check_after_history(state: ChildState, day: date, field: str) -> None:
    if (
        state.placements
        and state.placements[-1].end_date is not None
        and day <= state.placements[-1].end_date
    ):
        last = state.placements[-1]
        raise InvalidInput(f"the child was on roll at {last.urn} until {last.end_date}", field=field)


def _previous_school_in_episode(state: ChildState) -> str | None:
    episode = state.current_episode
    if episode is None or not state.placements:
        return None
    last = state.placements[-1]
    if last.end_date is not None and last.end_date >= episode.entered_on:
        return last.urn
    return None


def _place(
    command: PlaceChildAtSchool, state: ChildState, calendar: SchoolCalendar, today: date
) -> list[Event]:
    require_urn(command.urn, "urn")
    if state.current_urn is not None:
        raise ChildStatus(
            f"child {command.child_id} is on roll at {state.current_urn}; record a move instead", field="urn"
        )
    _check_after_history(state, command.start_date, "start_date")
    year_group = command.year_group or state.year_group
    if year_group is None:
        raise InvalidInput("year group is required", field="year_group")
    days_lost = 0
    if state.awaiting_place_since is not None:
        if command.start_date < state.awaiting_place_since:
            raise InvalidInput(f"the place was needed from {state.awaiting_place_since}", field="start_date")
        days_lost = calendar.school_days_from(state.awaiting_place_since, command.start_date)
    previous_in_episode = _previous_school_in_episode(state)
    change_of_school = previous_in_episode is not None and previous_in_episode != command.urn
    events: list[Event] = [
        ChildPlacedAtSchool(
            child_id=command.child_id,
            urn=command.urn,
            start_date=command.start_date,
            year_group=year_group,
            looked_after=state.is_looked_after,
            place_needed_from=state.awaiting_place_since,
            school_days_lost=days_lost,
            previous_urn=state.placements[-1].urn if state.placements else None,
            change_of_school=state.is_looked_after and change_of_school,
        )
    ]
    if state.is_looked_after:
        events += _notifications(command.child_id, command.urn, today, NotificationReason.PLACED_AT_SCHOOL)
    return events


def _move(command: MoveChildToSchool, state: ChildState, today: date) -> list[Event]:
    require_urn(command.to_urn, "to_urn")
    _require_text(command.reason, "reason")
    placement = state.current_placement
    if placement is None:
        raise ChildStatus(
            f"child {command.child_id} is not on any school's roll; record a placement instead",
            field="to_urn",
        )
    if placement.urn == command.to_urn:
        raise InvalidInput(f"the child is already on roll at {command.to_urn}", field="to_urn")
    left_on = command.left_previous_school_on or command.start_date - timedelta(days=1)
    if left_on < placement.start_date:
        raise InvalidInput(
            f"the place at {placement.urn} would end before it starts ({placement.start_date})",
            field="left_previous_school_on" if command.left_previous_school_on else "start_date",
        )
    if command.start_date <= left_on:
        raise InvalidInput(f"the child is on roll at {placement.urn} until {left_on}", field="start_date")
    year_group = command.year_group or state.year_group
    assert year_group is not None
    events: list[Event] = [
        ChildMovedSchool(
            child_id=command.child_id,
            from_urn=placement.urn,
            to_urn=command.to_urn,
            left_previous_school_on=left_on,
            start_date=command.start_date,
            reason=command.reason,
            year_group=year_group,
            looked_after=state.is_looked_after,
        )
    ]
    if state.is_looked_after:
        events += _notifications(command.child_id, command.to_urn, today, NotificationReason.MOVED_SCHOOL)
    return events


def _leave_care(command: RecordChildLeftCare, state: ChildState) -> list[Event]:
    episode = state.current_episode
    if episode is None:
        raise ChildStatus(f"child {command.child_id} is not looked after", field="child_id")
    if command.left_care_on < episode.entered_on:
        raise InvalidInput(
            f"the child entered care on {episode.entered_on}; a care episode cannot end before it starts",
            field="left_care_on",
        )
    return [
        ChildLeftCare(
            child_id=command.child_id,
            left_care_on=command.left_care_on,
            reason=command.reason,
            previously_looked_after=command.reason in PREVIOUSLY_LOOKED_AFTER_ROUTES,
            urn=state.current_urn,
        )
    ]


# --- evolve -----------------------------------------------------------------------------------


def evolve(state: ChildState, event: Event) -> ChildState:
    if isinstance(event, ChildEnteredCare):
        return replace(
            state,
            child_id=event.child_id,
            name=event.name,
            # A child's date of birth is the one first recorded: coming back into care does not
            # change it, and one recorded wrongly is put right by a correction.
            date_of_birth=state.date_of_birth or event.date_of_birth,
            status=CareStatus.LOOKED_AFTER,
            legal_status=event.legal_status,
            placing_authority=event.placing_authority,
            social_worker=event.social_worker,
            carer=event.carer,
            independent_reviewing_officer=event.independent_reviewing_officer,
            sen_status=event.sen_status,
            year_group=event.year_group,
            episodes=state.episodes
            + (CareEpisode(entered_on=event.entered_care_on, legal_status=event.legal_status),),
        )
    if isinstance(event, PreviouslyLookedAfterChildRegistered):
        return replace(
            state,
            child_id=event.child_id,
            name=event.name,
            date_of_birth=event.date_of_birth,
            status=CareStatus.PREVIOUSLY_LOOKED_AFTER,
            sen_status=event.sen_status,
            year_group=event.year_group,
            previously_looked_after_by=event.previously_looked_after_by,
            previously_left_care_on=event.left_care_on,
        )
    if isinstance(event, ChildDetailsUpdated):
        return _with_details(state, event.model_dump(exclude={"child_id", "changed_on"}, exclude_none=True))
    if isinstance(event, ChildDetailsCorrected):
        # The right value replaces the wrong one as if it had been recorded from the start
        # (the first-recorded date of birth included): a correction is not a change.
        return _with_details(
            state, event.model_dump(include=set(DetailCorrections.model_fields), exclude_none=True)
        )
    if isinstance(event, ChildAwaitingSchoolPlace):
        placements = state.placements
        if event.left_urn is not None:
            placements = placements[:-1] + (replace(placements[-1], end_date=event.left_school_on),)
        return replace(state, placements=placements, awaiting_place_since=event.place_needed_from)
    if isinstance(event, ChildPlacedAtSchool):
        return replace(
            state,
            placements=state.placements + (SchoolPlacement(urn=event.urn, start_date=event.start_date),),
            awaiting_place_since=None,
            year_group=event.year_group,
            school_days_lost=state.school_days_lost + event.school_days_lost,
            school_changes=state.school_changes + ((event.start_date,) if event.change_of_school else ()),
        )
    if isinstance(event, ChildMovedSchool):
        placements = state.placements[:-1] + (
            replace(state.placements[-1], end_date=event.left_previous_school_on),
            SchoolPlacement(urn=event.to_urn, start_date=event.start_date),
        )
        return replace(
            state,
            placements=placements,
            year_group=event.year_group,
            school_changes=state.school_changes + ((event.start_date,) if event.looked_after else ()),
        )
    if isinstance(event, ChildLeftCare):
        episodes = state.episodes[:-1] + (
            replace(state.episodes[-1], left_on=event.left_care_on, left_reason=event.reason),
        )
        status = CareStatus.PREVIOUSLY_LOOKED_AFTER if event.previously_looked_after else CareStatus.LEFT_CARE
        return replace(state, episodes=episodes, status=status, legal_status=None)
    if isinstance(event, HeadteacherNotified | DesignatedTeacherNotified):
        return state
    raise TypeError(f"not a child event: {type(event).__name__}")


def _with_details(state: ChildState, details: dict[str, object]) -> ChildState:
    """The details an update or a correction gives (those left out, or erased, stay as they were);
    a legal status is the current care episode's."""
    episodes = state.episodes
    if "legal_status" in details and state.current_episode is not None:
        episodes = episodes[:-1] + (replace(episodes[-1], legal_status=details["legal_status"]),)
    return replace(state, episodes=episodes, **details)


def fold(events: list[Event], state: ChildState = NO_CHILD) -> ChildState:
    for event in events:
        state = evolve(state, event)
    return state


# The details of a child the log holds sealed with the child's key: every personal field of the
# child's events that the state keeps.
PERSONAL_DETAILS = tuple(
    name
    for name in (field.name for field in fields(ChildState))
    if any(name in cls.personal_fields for cls in CHILD_EVENTS)
)


def without_personal_details(state: ChildState) -> ChildState:
    """The child as the virtual school shows them once their personal data is erased: the personal
    details blank, the care episodes, school places and statuses the reports count as they were.
    (Once the key is destroyed the fold gives this by itself; this holds from the moment the
    erasure is recorded.)"""
    return replace(state, **dict.fromkeys(PERSONAL_DETAILS))


# --- questions the virtual school asks of a child ---------------------------------------------


def school_days_lost_awaiting_place(state: ChildState, calendar: SchoolCalendar, today: date) -> int:
    """Days lost over completed waits, plus the current wait up to (not including) ``today``."""
    current = 0
    if state.awaiting_place_since is not None and today > state.awaiting_place_since:
        current = calendar.school_days_from(state.awaiting_place_since, today)
    return state.school_days_lost + current


def children_on_roll(children: list[ChildState], urn: str, day: date) -> tuple[str, ...]:
    """Ids of the children looked after on ``day`` and on roll at ``urn`` that day."""
    return tuple(
        sorted(
            child.child_id for child in children if child.child_id and child.on_roll_as_looked_after(urn, day)
        )
    )
