"""Givens for the pupil-premium unit tests: events as they would be on the stream, and children's facts."""

from __future__ import annotations

from datetime import date

from pupil_premium.domain.budget_state import Budget, fold
from pupil_premium.domain.child_facts import ChildEducationFacts, facts_from
from pupil_premium.domain.devolution import DEFAULT_DEVOLUTION_POLICIES
from pupil_premium.domain.events import (
    CentralProvisionTopSliced,
    FundedTarget,
    GrantLetterRecorded,
    InterventionType,
    Milestone,
    PaymentLine,
    PaymentRunPaid,
    PaymentRunScheduled,
    PupilPremiumPlusRequested,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    SchoolProjectApproved,
    SchoolProjectProposed,
)
from pupil_premium.domain.pep_events import (
    ChildEnteredCare,
    ChildPlacedAtSchool,
    PepCompleted,
    PepQualityAssured,
    PepTargetsSet,
    SmartTarget,
)
from pupil_premium.domain.terms import standard_term_dates

FY = "2024-25"
URN = "123456"
OTHER_URN = "654321"
TODAY = date(2024, 10, 7)
TERMS = standard_term_dates(2023, 2026)
POLICIES = DEFAULT_DEVOLUTION_POLICIES
PANEL = ("Virtual School Head", "Finance officer", "Education psychologist")

TARGETS = {
    "T1": ("Reading", "Read a Year 6 text aloud with fluency by the end of term"),
    "T2": ("Attendance", "Attend 95% of sessions this term"),
}


def described(target_id: str) -> str:
    area, target = TARGETS[target_id]
    return f"{area}: {target}"


def given(*events) -> Budget:
    return fold(events)


def pep_events(
    child_id: str = "C1",
    *,
    urn: str = URN,
    entered_care: date = date(2023, 1, 10),
    placed: date = date(2023, 1, 16),
    pep_id: str | None = None,
    completed: date | None = date(2024, 9, 20),
    rating: str = "green",
    targets: dict[str, tuple[str, str]] = TARGETS,
) -> list:
    """A child in care, on roll at ``urn``, with a PEP setting ``targets``, completed on ``completed``."""
    pep_id = pep_id or f"PEP-{child_id}-1"
    events = [
        ChildEnteredCare(child_id=child_id, entered_care_on=entered_care),
        ChildPlacedAtSchool(child_id=child_id, urn=urn, start_date=placed),
        PepTargetsSet(
            child_id=child_id,
            pep_id=pep_id,
            set_on=completed or placed,
            targets=tuple(
                SmartTarget(target_id=t, subject_or_area=area, target=text)
                for t, (area, text) in targets.items()
            ),
        ),
    ]
    if completed is not None:
        events += [
            PepQualityAssured(child_id=child_id, pep_id=pep_id, quality_assured_on=completed, rating=rating),
            PepCompleted(
                child_id=child_id,
                pep_id=pep_id,
                completed_on=completed,
                rating=rating,
                target_ids=tuple(targets),
            ),
        ]
    return events


def child(child_id: str = "C1", **kwargs) -> ChildEducationFacts:
    return facts_from(child_id, pep_events(child_id, **kwargs))


def grant(pence: int = 1_000_000, *, fy: str = FY, on: date = date(2024, 6, 14)) -> GrantLetterRecorded:
    return GrantLetterRecorded(
        financial_year=fy,
        letter_reference="DfE PP+ 2024-25",
        letter_date=on,
        grant_pence=pence,
        recorded_on=on,
    )


def top_sliced(top_slice_id: str, pence: int, *, name: str = "Tutoring", on: date = date(2024, 6, 20)):
    return CentralProvisionTopSliced(
        financial_year=FY,
        top_slice_id=top_slice_id,
        name=name,
        purpose="Central provision",
        amount_pence=pence,
        decided_on=on,
        decided_by="Virtual School Head",
    )


def requested(
    request_id: str = "R1",
    *,
    child_id: str = "C1",
    urn: str = URN,
    term: str = "autumn-2024",
    amount: int = 50_000,
    on: date = date(2024, 9, 23),
    intervention: InterventionType = InterventionType.TUTORING,
    targets: tuple[str, ...] = ("T1",),
) -> PupilPremiumPlusRequested:
    season_term = TERMS.get(term)
    return PupilPremiumPlusRequested(
        financial_year=FY,
        request_id=request_id,
        child_id=child_id,
        school_urn=urn,
        term=term,
        term_starts_on=season_term.starts_on,
        term_ends_on=season_term.ends_on,
        amount_pence=amount,
        pep_id=f"PEP-{child_id}-1",
        targets=tuple(FundedTarget(target_id=t, description=described(t)) for t in targets),
        intervention_type=intervention,
        intervention="Weekly one-to-one reading tuition",
        requested_on=on,
        requested_by="Designated teacher",
        policy="requests against PEP targets of up to 650.00 pounds a term",
    )


def _decision(request: PupilPremiumPlusRequested, on: date) -> dict:
    return {
        "financial_year": request.financial_year,
        "request_id": request.request_id,
        "child_id": request.child_id,
        "school_urn": request.school_urn,
        "term": request.term,
        "intervention_type": request.intervention_type,
        "amount_requested_pence": request.amount_pence,
        "panel_members": PANEL,
        "decided_on": on,
    }


def approved(request: PupilPremiumPlusRequested, *, on: date = date(2024, 10, 1)) -> RequestApproved:
    return RequestApproved(**_decision(request, on), reasons=(), amount_approved_pence=request.amount_pence)


def part_approved(request: PupilPremiumPlusRequested, pence: int, *, on: date = date(2024, 10, 1)):
    return RequestPartApproved(
        **_decision(request, on), reasons=("Tuition for half the term",), amount_approved_pence=pence
    )


def refused(request: PupilPremiumPlusRequested, *, on: date = date(2024, 10, 1)) -> RequestRefused:
    return RequestRefused(**_decision(request, on), reasons=("Already funded by the school",))


def line(decision: RequestApproved | RequestPartApproved) -> PaymentLine:
    return PaymentLine(
        item="request",
        item_id=decision.request_id,
        school_urn=decision.school_urn,
        child_ids=(decision.child_id,),
        amount_pence=decision.amount_approved_pence,
    )


def scheduled(run_id: str, *lines: PaymentLine, on: date = date(2024, 10, 4)) -> PaymentRunScheduled:
    return PaymentRunScheduled(
        financial_year=FY,
        run_id=run_id,
        payments=lines,
        total_pence=sum(item.amount_pence for item in lines),
        scheduled_on=on,
    )


def paid(
    run_id: str, *lines: PaymentLine, reference: str = "FIN-001", on: date = date(2024, 10, 11)
) -> PaymentRunPaid:
    return PaymentRunPaid(
        financial_year=FY,
        run_id=run_id,
        payments=lines,
        total_pence=sum(item.amount_pence for item in lines),
        finance_reference=reference,
        paid_on=on,
    )


def project_proposed(
    project_id: str = "P1",
    *,
    amount: int = 300_000,
    child_ids=("C1", "C2", "C3"),
    on: date = date(2024, 9, 2),
) -> SchoolProjectProposed:
    return SchoolProjectProposed(
        financial_year=FY,
        project_id=project_id,
        school_urn=URN,
        title="Nurture group",
        plan="A nurture group run twice weekly by a trained mentor",
        child_ids=child_ids,
        milestones=(
            Milestone(milestone_id="M1", description="Mentor trained", due_on=date(2024, 11, 1)),
            Milestone(milestone_id="M2", description="First cohort review", due_on=date(2025, 2, 14)),
        ),
        amount_pence=amount,
        proposed_on=on,
        proposed_by="Headteacher",
    )


def project_approved(
    project: SchoolProjectProposed, *, pence: int | None = None, on: date = date(2024, 9, 30)
):
    return SchoolProjectApproved(
        financial_year=FY,
        project_id=project.project_id,
        school_urn=project.school_urn,
        amount_requested_pence=project.amount_pence,
        amount_approved_pence=pence or project.amount_pence,
        reasons=(),
        panel_members=PANEL,
        decided_on=on,
    )
