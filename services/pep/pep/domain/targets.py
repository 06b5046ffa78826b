"""SMART targets and the progress recorded against them at the next review.

domain.md section 2: a PEP sets SMART targets for next term; the review records attainment and
progress against them. Seed 002 success criteria: "in year and end of year pupil targets are met
(individual PEP); where they have not been met there is clear evidence as to changes and actions
taken to mitigate any widening of the gap".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput


class SmartTarget(BaseModel):
    """Subject or area, where the child is now (baseline), the measurable outcome to reach
    (target), by when, and who is responsible for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    subject_or_area: str
    baseline: str
    target: str
    by_when: date
    who: str


class TargetStatus(StrEnum):
    ACHIEVED = "achieved"  # met: the target closes
    ON_TRACK = "on_track"  # carried into the next review
    BEHIND = "behind"  # carried into the next review; actions to catch up are required
    NOT_ACHIEVED = "not_achieved"  # closed unmet; the actions taken are required


CLOSING_STATUSES = frozenset({TargetStatus.ACHIEVED, TargetStatus.NOT_ACHIEVED})
NEEDS_ACTIONS = frozenset({TargetStatus.BEHIND, TargetStatus.NOT_ACHIEVED})


class TargetProgress(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    status: TargetStatus
    evidence: str
    actions: str = ""


def check_targets(targets: Sequence[SmartTarget], set_on: date, known_target_ids: set[str]) -> None:
    """Refuse a target that is not SMART, naming the field (``targets[1].target``)."""
    if not targets:
        raise InvalidInput("a PEP sets at least one SMART target", field="targets")
    seen: set[str] = set()
    for index, item in enumerate(targets):
        prefix = f"targets[{index}]"
        if not item.target_id.strip():
            raise InvalidInput("each target needs an id", field=f"{prefix}.target_id")
        if item.target_id in seen or item.target_id in known_target_ids:
            raise InvalidInput(f"target id {item.target_id!r} is already used", field=f"{prefix}.target_id")
        seen.add(item.target_id)
        if not item.subject_or_area.strip():
            raise InvalidInput(
                "say which subject or area the target is for", field=f"{prefix}.subject_or_area"
            )
        if not item.baseline.strip():
            raise InvalidInput("say where the child is now (the baseline)", field=f"{prefix}.baseline")
        if not item.target.strip():
            raise InvalidInput("a target needs a measurable outcome", field=f"{prefix}.target")
        if item.target.strip().casefold() == item.baseline.strip().casefold():
            raise InvalidInput(
                "the outcome is the same as the baseline, so no progress could be measured",
                field=f"{prefix}.target",
            )
        if item.by_when <= set_on:
            raise InvalidInput("a target must be due after the day it is set", field=f"{prefix}.by_when")
        if not item.who.strip():
            raise InvalidInput("say who is responsible for the target", field=f"{prefix}.who")


def check_progress(progress: Sequence[TargetProgress], carried_target_ids: Sequence[str]) -> None:
    """Every carried target has its progress recorded, once, with actions where it fell short."""
    seen: set[str] = set()
    for index, item in enumerate(progress):
        prefix = f"target_progress[{index}]"
        if item.target_id not in carried_target_ids:
            raise InvalidInput(
                f"target {item.target_id!r} is not one carried into this review", field=f"{prefix}.target_id"
            )
        if item.target_id in seen:
            raise InvalidInput(
                f"progress against {item.target_id!r} is given twice", field=f"{prefix}.target_id"
            )
        seen.add(item.target_id)
        if not item.evidence.strip():
            raise InvalidInput("give the evidence of progress", field=f"{prefix}.evidence")
        if item.status in NEEDS_ACTIONS and not item.actions.strip():
            raise InvalidInput(
                "where a target is not met, record the changes and actions taken", field=f"{prefix}.actions"
            )
    missing = [target_id for target_id in carried_target_ids if target_id not in seen]
    if missing:
        raise InvalidInput(
            f"progress against target(s) {', '.join(missing)} carried from the last PEP is missing",
            field="target_progress",
        )
