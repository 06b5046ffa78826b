"""A child's education record: care, school places, PEPs, targets, attendance and exclusions.

Folded from the child's two streams rather than read from the read models, so the answer is the
current record exactly and its ETag is the version a write must name in If-Match.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.errors import NotFound

from pep.domain.children import ChildState
from pep.domain.peps import PepRecord, PepState, TargetRecord
from pep.domain.terms import TermRef

NOT_STARTED = "not_started"


def term_json(ref: TermRef) -> dict[str, Any]:
    return {"academic_year": ref.academic_year, "season": ref.season.value, "name": str(ref)}


def peps_in_order(state: PepState) -> list[PepRecord]:
    return sorted(state.peps.values(), key=lambda record: (record.term.order, record.initiated_on))


def pep_summary(record: PepRecord) -> dict[str, Any]:
    return {
        "pep_id": record.pep_id,
        "term": term_json(record.term),
        "occasion": record.occasion.value,
        "status": record.status.value,
        "urn": record.urn,
        "initiated_on": record.initiated_on,
        "school_changed_on": record.school_changed_on,
        "submitted_on": record.submitted_on,
        "returned_reason": record.returned_reason,
        "rating": record.rating.value if record.rating else None,
        "comments": record.comments,
        "quality_assured_on": record.quality_assured_on,
        "completed_on": record.completed_on,
        "due_on": record.due_on,
        "completed_in_time": (
            record.completed_on <= record.due_on if record.completed_on and record.due_on else None
        ),
        "target_ids": list(record.target_ids),
    }


def pep_detail(record: PepRecord, state: PepState) -> dict[str, Any]:
    review = record.review
    return {
        **pep_summary(record),
        "strengths_and_needs": record.strengths_and_needs,
        "review": review.model_dump(mode="json", exclude={"child_id", "pep_id", "term", "urn"})
        if review
        else None,
        "targets": [target_json(t) for t in state.targets.values() if t.pep_id == record.pep_id],
        "carried_targets": [target_json(state.targets[t]) for t in state.carried_target_ids()],
        "unofficial_exclusions_flagged": [e.model_dump(mode="json") for e in record.flagged_exclusions],
    }


def target_json(record: TargetRecord) -> dict[str, Any]:
    return {
        **record.target.model_dump(mode="json"),
        "pep_id": record.pep_id,
        "in_force": record.in_force,
        "closed": record.closed,
        "progress": [p.model_dump(mode="json") for p in record.progress],
    }


def education_record(
    child_id: str,
    child: ChildState,
    child_version: int,
    peps: PepState,
    peps_version: int,
    personal_data_erased_on: date | None = None,
) -> dict[str, Any]:
    if not child.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    ordered = peps_in_order(peps)
    reviewed = [record for record in ordered if record.review is not None]
    placement = child.current_placement
    return {
        "child_id": child_id,
        "name": child.name,
        "date_of_birth": child.date_of_birth,
        "care_status": child.status.value,
        "legal_status": child.legal_status.value if child.legal_status else None,
        "placing_authority": child.placing_authority,
        "social_worker": child.social_worker,
        "carer": child.carer,
        "independent_reviewing_officer": child.independent_reviewing_officer,
        "sen_status": child.sen_status.value,
        "year_group": child.year_group.value if child.year_group else None,
        "care_episodes": [
            {
                "entered_on": episode.entered_on,
                "left_on": episode.left_on,
                "legal_status": episode.legal_status.value,
                "left_reason": episode.left_reason.value if episode.left_reason else None,
            }
            for episode in child.episodes
        ],
        "current_school": {"urn": placement.urn, "since": placement.start_date} if placement else None,
        "awaiting_school_place_since": child.awaiting_place_since,
        "school_history": [
            {"urn": p.urn, "start_date": p.start_date, "end_date": p.end_date} for p in child.placements
        ],
        "school_days_lost_awaiting_place": child.school_days_lost,
        "pep_status": ordered[-1].status.value if ordered else NOT_STARTED,
        "current_pep_id": ordered[-1].pep_id if ordered else None,
        "peps": [pep_summary(record) for record in ordered],
        "targets": [target_json(record) for record in peps.targets.values()],
        "attendance": [
            {
                "pep_id": record.pep_id,
                "term": term_json(record.term),
                "meeting_date": record.review.meeting_date,
                "percentage": record.review.attendance.percentage,
                "period_start": record.review.attendance.period_start,
                "period_end": record.review.attendance.period_end,
                "from_daily_marks": record.review.attendance.from_daily_marks,
                "persistent_absence": record.review.persistent_absence,
            }
            for record in reviewed
            if record.review is not None
        ],
        "exclusions": [
            {
                "pep_id": record.pep_id,
                "term": term_json(record.term),
                "urn": record.urn,
                **exclusion.model_dump(mode="json"),
            }
            for record in reviewed
            if record.review is not None
            for exclusion in record.review.exclusions
        ],
        "versions": {"child": child_version, "peps": peps_version},
        "personal_data_erased_on": personal_data_erased_on,
    }
