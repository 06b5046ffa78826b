"""The virtual school's termly PEP compliance counts, built from children's PEP obligations.

Seed 002 (PEPs strand): "termly increase in PEPs completed and submitted within time frame";
domain.md section 2 reports PEPs completed within timescale per term, and overdue PEPs. A PEP
counts in the term its due date falls in (the next term when that is a holiday), under the school
the child is on roll at on the due date. Initiation deadlines are not PEPs and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from .deadlines import ObligationKind, ObligationStatus, PepObligation
from .terms import TermRef

PEP_IN_PLACE_KINDS = frozenset(
    {
        ObligationKind.IN_PLACE_AFTER_ENTERING_CARE,
        ObligationKind.IN_PLACE_AFTER_CHANGE_OF_SCHOOL,
        ObligationKind.TERMLY_REVIEW,
    }
)


@dataclass(frozen=True)
class ComplianceCounts:
    due: int = 0
    completed_in_time: int = 0
    late: int = 0
    overdue: int = 0
    not_yet_due: int = 0

    @property
    def in_time_rate(self) -> Fraction | None:
        """Share of the PEPs already decided (in time, late or overdue) that were in time."""
        decided = self.completed_in_time + self.late + self.overdue
        return Fraction(self.completed_in_time, decided) if decided else None

    def counting(self, status: ObligationStatus) -> ComplianceCounts:
        field = {
            ObligationStatus.MET_IN_TIME: "completed_in_time",
            ObligationStatus.MET_LATE: "late",
            ObligationStatus.OVERDUE: "overdue",
            ObligationStatus.NOT_YET_DUE: "not_yet_due",
        }[status]
        return replace(self, due=self.due + 1, **{field: getattr(self, field) + 1})


def status_as_recorded(due_on: date, met_on: date | None, overdue_raised: bool) -> ObligationStatus:
    """An obligation's status as the log records it: met (in time or late) from the day the PEP
    was in place, overdue once the deadline scheduler has appended its overdue event, and not yet
    due until then. The report and the virtual school's overdue list therefore always agree."""
    if met_on is not None:
        return ObligationStatus.MET_IN_TIME if met_on <= due_on else ObligationStatus.MET_LATE
    return ObligationStatus.OVERDUE if overdue_raised else ObligationStatus.NOT_YET_DUE


def tally_by_term_and_school(
    statuses: Iterable[tuple[ObligationKind, TermRef | None, str | None, ObligationStatus]],
) -> dict[tuple[TermRef, str | None], ComplianceCounts]:
    """Counts per (term, school) of the PEPs due, from each obligation's kind, term, school and status."""
    counts: dict[tuple[TermRef, str | None], ComplianceCounts] = {}
    for kind, ref, urn, status in statuses:
        if kind not in PEP_IN_PLACE_KINDS or ref is None:
            continue
        key = (ref, urn)
        counts[key] = counts.get(key, ComplianceCounts()).counting(status)
    return counts


def compliance_by_term_and_school(
    obligations: Iterable[PepObligation], today: date
) -> dict[tuple[TermRef, str | None], ComplianceCounts]:
    return tally_by_term_and_school(
        (item.kind, item.term, item.urn, item.status_on(today)) for item in obligations
    )


def compliance_by_term(obligations: Iterable[PepObligation], today: date) -> dict[TermRef, ComplianceCounts]:
    return totals_by_term(compliance_by_term_and_school(obligations, today))


def totals_by_term(
    by_term_and_school: dict[tuple[TermRef, str | None], ComplianceCounts],
) -> dict[TermRef, ComplianceCounts]:
    totals: dict[TermRef, ComplianceCounts] = {}
    for (ref, _urn), counts in by_term_and_school.items():
        total = totals.get(ref, ComplianceCounts())
        totals[ref] = ComplianceCounts(
            due=total.due + counts.due,
            completed_in_time=total.completed_in_time + counts.completed_in_time,
            late=total.late + counts.late,
            overdue=total.overdue + counts.overdue,
            not_yet_due=total.not_yet_due + counts.not_yet_due,
        )
    return dict(sorted(totals.items(), key=lambda item: item[0].order))


def terms_where_in_time_rate_fell(by_term: dict[TermRef, ComplianceCounts]) -> list[TermRef]:
    """Terms whose in-time rate is lower than the term before: the plan wants it to rise each term."""
    fell: list[TermRef] = []
    previous: Fraction | None = None
    for ref in sorted(by_term, key=lambda r: r.order):
        rate = by_term[ref].in_time_rate
        if rate is None:
            continue
        if previous is not None and rate < previous:
            fell.append(ref)
        previous = rate
    return fell
