"""What follows on its own when a school is categorised: the year's adviser support and the next
progress review. The policy (``schools.policies``) carries it out; the rule is here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schools.domain.categorisation import SchoolCategorised
from schools.domain.support import AllocateSupport, SupportPolicy
from schools.domain.terms import academic_year_of


@dataclass(frozen=True)
class FollowUp:
    """The support to allocate (None: nothing) and whether to schedule the next review."""

    allocate_support: AllocateSupport | None
    schedule_review: bool


NOTHING_FOLLOWS = FollowUp(allocate_support=None, schedule_review=False)


def follow_up(event: SchoolCategorised, *, support_policy: SupportPolicy, today: date) -> FollowUp:
    """What a categorisation sets going, by the academic year it is dated in and ``today`` (the
    service's clock).

    * In the current academic year: the year's support is allocated from the offer in force and
      the next progress review is scheduled, as they always have been.
    * In an academic year that is over (a historic categorisation being loaded): nothing follows.
      Its year's support is not allocated, as nothing is left of the year to deliver it in; and
      no review is scheduled, as it would have fallen due in that year or the term after it, by
      when a later categorisation has superseded it or the review is long past. The current
      year's support and reviews follow from the school's current categorisation (and the
      start-of-year allocation).
    * When no support offer was in force for the year (before the council's first offer),
      nothing is allocated: that is not an error. The review is scheduled as above.
    """
    year = academic_year_of(event.categorised_on)
    if year < academic_year_of(today):
        return NOTHING_FOLLOWS
    allocation = None
    if support_policy.in_force_for(year) is not None:
        allocation = AllocateSupport(urn=event.urn, academic_year=year, allocated_on=event.categorised_on)
    return FollowUp(allocate_support=allocation, schedule_review=True)
