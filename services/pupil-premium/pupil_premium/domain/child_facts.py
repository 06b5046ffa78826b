"""What PP+ needs to know about a child, folded from the pep service's events.

``ChildEducationFacts`` is a read-side value: the handler builds it from the pep service's events
(or from a read model that folded them) and passes it into ``decide``. It answers the questions
the rules ask (domain.md section 3): is the child looked after on a date, on roll at a school on a
date, with a current PEP ("no PEP, no premium"), and are these targets the child's and in force?

A PEP is *current* on a day when it was completed on or before that day, since the child entered
care and since the child started at their present school (a PEP is needed again after a change of
school), no earlier than the start of the previous term (PEPs are reviewed every term, domain.md
section 2), and the pep service has not since raised an overdue PEP or overdue review for the child.

A target is *in force* from the day the PEP that set it is completed until a completed review
closes it (achieved or not achieved); targets on track or behind are carried to the next review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from shared.events import Event

from .pep_events import (
    PEP_EVENT_TYPES,
    ChildAwaitingSchoolPlace,
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    PepCompleted,
    PepOverdue,
    PepQualityAssured,
    PepReviewOverdue,
    PepReviewRecorded,
    PepTargetsSet,
)
from .terms import TermCalendar

CLOSING_STATUSES = frozenset({"achieved", "not_achieved"})


@dataclass(frozen=True)
class CareEpisode:
    entered_on: date
    left_on: date | None = None  # the first day no longer looked after

    def covers(self, day: date) -> bool:
        return self.entered_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class SchoolSpell:
    """A period on roll at one school; ``left_on`` is the first day no longer on roll there."""

    school_urn: str
    joined_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class TargetRecord:
    target_id: str
    description: str
    pep_id: str
    in_force_from: date | None = None
    closed_on: date | None = None

    def in_force_on(self, day: date) -> bool:
        return (
            self.in_force_from is not None
            and self.in_force_from <= day
            and (self.closed_on is None or day < self.closed_on)
        )


@dataclass(frozen=True)
class ReviewRecord:
    pep_id: str
    meeting_date: date
    progress: tuple[tuple[str, str], ...]  # (target id, status)


@dataclass(frozen=True)
class PepRecord:
    pep_id: str
    completed_on: date | None = None
    rating: str | None = None
    target_ids: tuple[str, ...] = ()
    review: ReviewRecord | None = None


@dataclass(frozen=True)
class ChildEducationFacts:
    child_id: str
    care: tuple[CareEpisode, ...] = ()
    schools: tuple[SchoolSpell, ...] = ()
    peps: tuple[PepRecord, ...] = ()
    targets: tuple[TargetRecord, ...] = ()
    overdue_from: tuple[date, ...] = ()

    def care_episode_on(self, day: date) -> CareEpisode | None:
        return next((episode for episode in self.care if episode.covers(day)), None)

    def looked_after_on(self, day: date) -> bool:
        return self.care_episode_on(day) is not None

    def school_spell_on(self, day: date) -> SchoolSpell | None:
        return next((spell for spell in self.schools if spell.covers(day)), None)

    def school_on(self, day: date) -> str | None:
        spell = self.school_spell_on(day)
        return spell.school_urn if spell else None

    def on_roll_at(self, school_urn: str, day: date) -> bool:
        return self.school_on(day) == school_urn

    def current_pep(self, day: date, terms: TermCalendar) -> PepRecord | None:
        episode = self.care_episode_on(day)
        if episode is None:
            return None
        completed = [pep for pep in self.peps if pep.completed_on is not None and pep.completed_on <= day]
        if not completed:
            return None
        latest = max(completed, key=lambda pep: pep.completed_on)
        not_before = episode.entered_on
        spell = self.school_spell_on(day)
        if spell is not None:
            not_before = max(not_before, spell.joined_on)
        term = terms.term_on(day)
        if term is not None:
            previous = terms.previous(term)
            not_before = max(not_before, previous.starts_on if previous else term.starts_on)
        if latest.completed_on < not_before:
            return None
        if any(latest.completed_on < overdue <= day for overdue in self.overdue_from):
            return None
        return latest

    def target(self, target_id: str) -> TargetRecord | None:
        return next((target for target in self.targets if target.target_id == target_id), None)

    def pep(self, pep_id: str) -> PepRecord | None:
        return next((pep for pep in self.peps if pep.pep_id == pep_id), None)


def no_facts(child_id: str) -> ChildEducationFacts:
    return ChildEducationFacts(child_id=child_id)


def evolve_facts(facts: ChildEducationFacts, event: Event) -> ChildEducationFacts:
    match event:
        case ChildEnteredCare():
            return replace(facts, care=(*facts.care, CareEpisode(event.entered_care_on)))
        case ChildLeftCare():
            care = tuple(
                replace(e, left_on=event.left_care_on) if e.left_on is None else e for e in facts.care
            )
            return replace(facts, care=care)
        case ChildPlacedAtSchool():
            schools = _close_school(facts.schools, event.start_date)
            return replace(facts, schools=(*schools, SchoolSpell(event.urn, event.start_date)))
        case ChildMovedSchool():
            schools = _close_school(facts.schools, event.left_previous_school_on + timedelta(days=1))
            return replace(facts, schools=(*schools, SchoolSpell(event.to_urn, event.start_date)))
        case ChildAwaitingSchoolPlace() if event.left_school_on is not None:
            return replace(
                facts, schools=_close_school(facts.schools, event.left_school_on + timedelta(days=1))
            )
        case PepTargetsSet():
            kept = tuple(t for t in facts.targets if t.pep_id != event.pep_id)
            new = tuple(TargetRecord(t.target_id, t.description, event.pep_id) for t in event.targets)
            facts = replace(facts, targets=kept + new)
            return _update_pep(facts, event.pep_id, target_ids=tuple(t.target_id for t in event.targets))
        case PepReviewRecorded():
            review = ReviewRecord(
                event.pep_id,
                event.meeting_date,
                tuple((p.target_id, p.status) for p in event.target_progress),
            )
            return _update_pep(facts, event.pep_id, review=review)
        case PepQualityAssured():
            return _update_pep(facts, event.pep_id, rating=event.rating)
        case PepCompleted():
            return _complete(facts, event)
        case PepOverdue() | PepReviewOverdue():
            return replace(facts, overdue_from=(*facts.overdue_from, event.effective_on()))
    return facts


def facts_from(child_id: str, events: Iterable[Event]) -> ChildEducationFacts:
    """Fold the pep service's events about one child (events about other children are skipped)."""
    facts = no_facts(child_id)
    for event in events:
        if isinstance(event, PEP_EVENT_TYPES) and event.child_id == child_id:
            facts = evolve_facts(facts, event)
    return facts


def register_from(events: Iterable[Event]) -> dict[str, ChildEducationFacts]:
    """Fold the pep service's events about every child into facts per child."""
    register: dict[str, ChildEducationFacts] = {}
    for event in events:
        if isinstance(event, PEP_EVENT_TYPES):
            register[event.child_id] = evolve_facts(
                register.get(event.child_id) or no_facts(event.child_id), event
            )
    return register


def looked_after_children_on(register: Mapping[str, ChildEducationFacts], census_date: date) -> int:
    """How many children were looked after on the census date (the grant's multiplier)."""
    return sum(1 for facts in register.values() if facts.looked_after_on(census_date))


def _complete(facts: ChildEducationFacts, event: PepCompleted) -> ChildEducationFacts:
    pep = facts.pep(event.pep_id) or PepRecord(event.pep_id)
    target_ids = event.target_ids or pep.target_ids
    closing = {
        target_id
        for target_id, status in (pep.review.progress if pep.review else ())
        if status in CLOSING_STATUSES
    }
    targets = []
    for target in facts.targets:
        if target.target_id in target_ids and target.in_force_from is None:
            target = replace(target, in_force_from=event.completed_on)
        if target.target_id in closing and target.closed_on is None:
            target = replace(target, closed_on=event.completed_on)
        targets.append(target)
    facts = replace(facts, targets=tuple(targets))
    return _update_pep(
        facts,
        event.pep_id,
        completed_on=event.completed_on,
        rating=event.rating or pep.rating,
        target_ids=target_ids,
    )


def _close_school(schools: tuple[SchoolSpell, ...], left_on: date) -> tuple[SchoolSpell, ...]:
    return tuple(replace(s, left_on=left_on) if s.left_on is None else s for s in schools)


def _update_pep(facts: ChildEducationFacts, pep_id: str, **changes) -> ChildEducationFacts:
    peps = list(facts.peps)
    for index, pep in enumerate(peps):
        if pep.pep_id == pep_id:
            peps[index] = replace(pep, **changes)
            return replace(facts, peps=tuple(peps))
    return replace(facts, peps=(*peps, replace(PepRecord(pep_id), **changes)))
