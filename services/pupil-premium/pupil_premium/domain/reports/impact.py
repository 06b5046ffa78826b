"""The impact report: PP+ spend evaluated against outcomes, by child, school or kind of support.

Seed 002's success criterion: "Evaluation of PP+ spend identifies impact of spend against outcomes
for pupils". Each funded request counts its spend; once the next PEP review has been linked to it
(``ImpactRecorded``) its targets count as achieved, on track, behind, not achieved or not reported
(the pep service's words for progress). Requests funded
but not yet reviewed are shown as awaiting review, so gaps in evaluation are visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from shared.events import Event

from ..budget_state import RequestState, every_request
from ..events import TargetOutcome

Grouping = Literal["child", "school", "intervention_type"]

_KEYS: dict[Grouping, Callable[[RequestState], str]] = {
    "child": lambda record: record.child_id,
    "school": lambda record: record.school_urn,
    "intervention_type": lambda record: record.intervention_type.value,
}


@dataclass(frozen=True)
class ImpactLine:
    key: str
    requests_funded: int
    spend_pence: int
    requests_evaluated: int
    spend_evaluated_pence: int
    awaiting_review: int
    targets_achieved: int
    targets_on_track: int
    targets_behind: int
    targets_not_achieved: int
    targets_not_reported: int
    achieved_percent: int | None  # of targets with reported progress, rounded down
    on_track_or_achieved_percent: int | None
    spend_per_target_achieved_pence: int | None  # evaluated spend per target achieved, rounded down


@dataclass
class _Tally:
    requests_funded: int = 0
    spend: int = 0
    requests_evaluated: int = 0
    spend_evaluated: int = 0
    outcomes: dict[TargetOutcome, int] = field(
        default_factory=lambda: {outcome: 0 for outcome in TargetOutcome}
    )

    def line(self, key: str) -> ImpactLine:
        achieved = self.outcomes[TargetOutcome.ACHIEVED]
        on_track = self.outcomes[TargetOutcome.ON_TRACK]
        reported = sum(n for outcome, n in self.outcomes.items() if outcome is not TargetOutcome.NOT_REPORTED)
        return ImpactLine(
            key=key,
            requests_funded=self.requests_funded,
            spend_pence=self.spend,
            requests_evaluated=self.requests_evaluated,
            spend_evaluated_pence=self.spend_evaluated,
            awaiting_review=self.requests_funded - self.requests_evaluated,
            targets_achieved=achieved,
            targets_on_track=on_track,
            targets_behind=self.outcomes[TargetOutcome.BEHIND],
            targets_not_achieved=self.outcomes[TargetOutcome.NOT_ACHIEVED],
            targets_not_reported=self.outcomes[TargetOutcome.NOT_REPORTED],
            achieved_percent=achieved * 100 // reported if reported else None,
            on_track_or_achieved_percent=(achieved + on_track) * 100 // reported if reported else None,
            spend_per_target_achieved_pence=self.spend_evaluated // achieved if achieved else None,
        )


def impact_report(events: Iterable[Event], *, by: Grouping) -> list[ImpactLine]:
    return impact_report_from(every_request(events), by=by)


def impact_report_from(records: Iterable[RequestState], *, by: Grouping) -> list[ImpactLine]:
    """The report from requests (folded, or as the read models hold them), each with the review
    linked to its spend, if there has been one yet."""
    if by not in _KEYS:
        raise ValueError(f"impact is reported by child, school or intervention_type, not {by!r}")
    key_of = _KEYS[by]
    tallies: dict[str, _Tally] = {}
    for record in records:
        if not record.is_funded:
            continue
        tally = tallies.setdefault(key_of(record), _Tally())
        tally.requests_funded += 1
        tally.spend += record.amount_approved_pence
        if record.impact is None:
            continue
        tally.requests_evaluated += 1
        tally.spend_evaluated += record.amount_approved_pence
        for target in record.impact.outcomes:
            tally.outcomes[target.outcome] += 1
    return [tally.line(key) for key, tally in sorted(tallies.items())]
