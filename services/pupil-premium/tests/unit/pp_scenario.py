"""An autumn of PP+ in 2024-25, as events: the history the report tests read.

- grant 10,000 pounds (14 June), 2,000 pounds top-sliced for tutoring (20 June);
- R1, C1 at 123456, tutoring, 500 pounds: requested 23 Sep, approved 1 Oct, run RUN1 4 Oct, paid 11 Oct;
- R2, C2 at 123456, mentoring, 600 pounds: requested 25 Sep, more information asked 1 Oct and given
  3 Oct, part-approved 400 pounds 8 Oct, run RUN2 9 Oct, paid 16 Oct;
- R3, C3 at 654321, literacy, 300 pounds: requested 2 Oct, refused 8 Oct;
- R4, C4 at 654321, tutoring, 650 pounds: requested 9 Oct, still open;
- R5, C5 at 123456, tutoring, 200 pounds: requested 26 Sep, approved 1 Oct, withdrawn 10 Oct;
- P1, a project at 123456 for C1-C3, 3,000 pounds proposed 2 Sep, 2,500 approved 30 Sep, paid in RUN1;
- C1's review of 3 Dec: T1 achieved, T2 behind (linked to R1).
"""

from datetime import date

from pp_builders import (
    FY,
    OTHER_URN,
    URN,
    approved,
    described,
    grant,
    line,
    paid,
    part_approved,
    project_approved,
    project_proposed,
    refused,
    requested,
    scheduled,
    top_sliced,
)
from pupil_premium.domain.events import (
    ImpactRecorded,
    InterventionType,
    MoreInformationProvided,
    MoreInformationRequested,
    PaymentLine,
    RequestWithdrawn,
    ReviewedTarget,
    TargetOutcome,
)

R1 = requested("R1", child_id="C1", amount=50_000, on=date(2024, 9, 23), targets=("T1", "T2"))
R2 = requested(
    "R2", child_id="C2", amount=60_000, on=date(2024, 9, 25), intervention=InterventionType.MENTORING
)
R3 = requested(
    "R3",
    child_id="C3",
    urn=OTHER_URN,
    amount=30_000,
    on=date(2024, 10, 2),
    intervention=InterventionType.LITERACY,
)
R4 = requested("R4", child_id="C4", urn=OTHER_URN, amount=65_000, on=date(2024, 10, 9))
R5 = requested("R5", child_id="C5", amount=20_000, on=date(2024, 9, 26))
A1 = approved(R1, on=date(2024, 10, 1))
A2 = part_approved(R2, 40_000, on=date(2024, 10, 8))
A5 = approved(R5, on=date(2024, 10, 1))
P1 = project_proposed("P1", amount=300_000, on=date(2024, 9, 2))
P1_APPROVED = project_approved(P1, pence=250_000, on=date(2024, 9, 30))
P1_LINE = PaymentLine(
    item="project", item_id="P1", school_urn=URN, child_ids=("C1", "C2", "C3"), amount_pence=250_000
)


def autumn_2024() -> list:
    return [
        grant(1_000_000, on=date(2024, 6, 14)),
        top_sliced("TS1", 200_000, name="Tutoring", on=date(2024, 6, 20)),
        P1,
        R1,
        R2,
        R5,
        P1_APPROVED,
        A1,
        A5,
        MoreInformationRequested(
            financial_year=FY,
            request_id="R2",
            child_id="C2",
            school_urn=URN,
            questions=("Who will mentor?",),
            panel_members=("VSH",),
            decided_on=date(2024, 10, 1),
        ),
        R3,
        MoreInformationProvided(
            financial_year=FY,
            request_id="R2",
            child_id="C2",
            school_urn=URN,
            information="A learning mentor, weekly",
            previous_amount_pence=60_000,
            amount_pence=60_000,
            provided_on=date(2024, 10, 3),
            provided_by="Designated teacher",
        ),
        scheduled("RUN1", line(A1), P1_LINE, on=date(2024, 10, 4)),
        A2,
        refused(R3, on=date(2024, 10, 8)),
        R4,
        scheduled("RUN2", line(A2), on=date(2024, 10, 9)),
        RequestWithdrawn(
            financial_year=FY,
            request_id="R5",
            child_id="C5",
            school_urn=URN,
            reason="Child moved placement",
            withdrawn_on=date(2024, 10, 10),
            withdrawn_by="VSH",
            released_pence=20_000,
        ),
        paid("RUN1", line(A1), P1_LINE, reference="FIN-001", on=date(2024, 10, 11)),
        paid("RUN2", line(A2), reference="FIN-002", on=date(2024, 10, 16)),
        ImpactRecorded(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            term="autumn-2024",
            intervention_type=InterventionType.TUTORING,
            spend_pence=50_000,
            paid=True,
            pep_id="PEP-C1-2",
            reviewed_on=date(2024, 12, 3),
            outcomes=(
                ReviewedTarget(target_id="T1", description=described("T1"), outcome=TargetOutcome.ACHIEVED),
                ReviewedTarget(target_id="T2", description=described("T2"), outcome=TargetOutcome.BEHIND),
            ),
        ),
    ]
