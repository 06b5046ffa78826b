"""The questions asked across schools, answered from folded states with the domain's own rules:
every school causing concern at its most serious stage with the powers open to the council
(``schools_causing_concern``), and every deadline pending across streams
(``all_pending_deadlines``; ``deadlines.upcoming_deadlines`` narrows it to the next N working
days)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from . import direction as direction_stream
from . import intervention_state
from . import warning_notice as notice_stream
from .academy_concern import AcademyConcern
from .dates import first_day_compliance_can_be_judged
from .deadlines import Deadline
from .intervention_state import InterventionCase, powers_available
from .school_facts import SchoolFacts
from .vocabulary import EligibilityBasis, Power
from .warning_notice import NoticeStage, WarningNotice


class ConcernStage(StrEnum):
    """Stages, least serious first: a school is shown at its most serious."""

    LETTER_OF_CONCERN_TO_TRUST = "letter_of_concern_to_trust"
    LETTER_OF_CONCERN_TO_SECRETARY_OF_STATE = "letter_of_concern_to_secretary_of_state"
    WARNING_NOTICE_DRAFTED = "warning_notice_drafted"
    COMPLIANCE_PERIOD_RUNNING = "compliance_period_running"
    REPRESENTATIONS_WITH_OFSTED = "representations_with_ofsted"
    COMPLIANCE_JUDGEMENT_DUE = "compliance_judgement_due"
    CONFIRMED_BY_OFSTED = "confirmed_by_ofsted"
    NOT_COMPLIED = "not_complied"
    ELIGIBLE_WARNING_NOTICE = "eligible_for_intervention_warning_notice"
    SERIOUS_WEAKNESSES = "eligible_for_intervention_serious_weaknesses"
    SPECIAL_MEASURES = "eligible_for_intervention_special_measures"
    INTERIM_EXECUTIVE_BOARD = "interim_executive_board"

    @property
    def rank(self) -> int:
        return list(ConcernStage).index(self)


@dataclass(frozen=True)
class SchoolCausingConcern:
    urn: str
    stage: ConcernStage
    since: date
    notice_id: str | None = None
    powers_available: tuple[Power, ...] = ()


def _notice_stage(notice: WarningNotice, today: date) -> tuple[ConcernStage, date] | None:
    match notice.stage:
        case NoticeStage.DRAFT if notice.drafted_on:
            return ConcernStage.WARNING_NOTICE_DRAFTED, notice.drafted_on
        case NoticeStage.COMPLIANCE_PERIOD if notice.given_on and notice.compliance_period_ends_on:
            judged_from = first_day_compliance_can_be_judged(notice.compliance_period_ends_on)
            if today >= judged_from:
                return ConcernStage.COMPLIANCE_JUDGEMENT_DUE, judged_from
            return ConcernStage.COMPLIANCE_PERIOD_RUNNING, notice.given_on
        case NoticeStage.REPRESENTATIONS_WITH_OFSTED if notice.representations_made_on:
            return ConcernStage.REPRESENTATIONS_WITH_OFSTED, notice.representations_made_on
        case NoticeStage.CONFIRMED_BY_OFSTED if notice.ofsted_decided_on:
            return ConcernStage.CONFIRMED_BY_OFSTED, notice.ofsted_decided_on
        case NoticeStage.NOT_COMPLIED if notice.judged_on:
            return ConcernStage.NOT_COMPLIED, notice.judged_on
        case NoticeStage.SCHOOL_ELIGIBLE if notice.eligible_on:
            return ConcernStage.ELIGIBLE_WARNING_NOTICE, notice.eligible_on
    return None


_BASIS_STAGE = {
    EligibilityBasis.WARNING_NOTICE: ConcernStage.ELIGIBLE_WARNING_NOTICE,
    EligibilityBasis.SERIOUS_WEAKNESSES: ConcernStage.SERIOUS_WEAKNESSES,
    EligibilityBasis.SPECIAL_MEASURES: ConcernStage.SPECIAL_MEASURES,
}


def schools_causing_concern(
    *,
    notices: Iterable[WarningNotice] = (),
    cases: Iterable[InterventionCase] = (),
    academy_concerns: Iterable[AcademyConcern] = (),
    today: date,
    schools: Mapping[str, SchoolFacts] | None = None,
) -> list[SchoolCausingConcern]:
    """Each school at its most serious stage, most serious first. With ``schools`` (facts by
    URN), closed schools are left out."""
    found: dict[str, SchoolCausingConcern] = {}
    cases_by_urn = {c.urn: c for c in cases if c.urn is not None}

    def offer(candidate: SchoolCausingConcern) -> None:
        current = found.get(candidate.urn)
        if current is None or candidate.stage.rank > current.stage.rank:
            found[candidate.urn] = candidate

    for notice in notices:
        stage = _notice_stage(notice, today)
        if stage is not None and notice.urn is not None:
            offer(
                SchoolCausingConcern(
                    urn=notice.urn, stage=stage[0], since=stage[1], notice_id=notice.notice_id
                )
            )
    for urn, case in cases_by_urn.items():
        available = powers_available(case, today)
        for record in case.active_eligibility(today):
            offer(
                SchoolCausingConcern(
                    urn=urn,
                    stage=_BASIS_STAGE[record.basis],
                    since=record.eligible_from,
                    notice_id=record.notice_id,
                    powers_available=available,
                )
            )
        board = case.interim_executive_board
        if board is not None and board.in_place_on(today) and board.starts_on is not None:
            offer(
                SchoolCausingConcern(
                    urn=urn,
                    stage=ConcernStage.INTERIM_EXECUTIVE_BOARD,
                    since=board.starts_on,
                    powers_available=available,
                )
            )
    for concern in academy_concerns:
        if concern.urn is None:
            continue
        if concern.letters_to_secretary_of_state:
            offer(
                SchoolCausingConcern(
                    urn=concern.urn,
                    stage=ConcernStage.LETTER_OF_CONCERN_TO_SECRETARY_OF_STATE,
                    since=concern.letters_to_secretary_of_state[-1],
                )
            )
        elif concern.letters_to_trust:
            offer(
                SchoolCausingConcern(
                    urn=concern.urn,
                    stage=ConcernStage.LETTER_OF_CONCERN_TO_TRUST,
                    since=concern.letters_to_trust[-1],
                )
            )
    # The powers open to the council are the school's, whichever fact set its stage (a notice
    # at "eligible" and the eligibility it caused rank the same; the notice is offered first).
    for urn, concern in found.items():
        if urn in cases_by_urn:
            found[urn] = replace(concern, powers_available=powers_available(cases_by_urn[urn], today))
    listed = [
        s for s in found.values() if schools is None or s.urn not in schools or not schools[s.urn].is_closed
    ]
    return sorted(listed, key=lambda s: (-s.stage.rank, s.since, s.urn))


def all_pending_deadlines(
    *,
    notices: Iterable[WarningNotice] = (),
    cases: Iterable[InterventionCase] = (),
    directions: Iterable[direction_stream.Direction] = (),
) -> list[Deadline]:
    pending: list[Deadline] = []
    for notice in notices:
        pending += notice_stream.pending_deadlines(notice)
    for case in cases:
        pending += intervention_state.pending_deadlines(case)
    for direction in directions:
        pending += direction_stream.pending_deadlines(direction)
    return pending
