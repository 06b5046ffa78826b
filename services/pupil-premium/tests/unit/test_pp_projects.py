"""School projects: pooled PP+ where many looked-after children attend one school
(seed 002, projects strand)."""

from datetime import date

import pytest

from pp_builders import (
    FY,
    OTHER_URN,
    PANEL,
    POLICIES,
    TODAY,
    URN,
    child,
    given,
    grant,
    project_approved,
    project_proposed,
    top_sliced,
)
from pupil_premium.domain.budget_state import ProjectStatus
from pupil_premium.domain.devolution import DEFAULT_DEVOLUTION_POLICIES, CappedTermlyRequests
from pupil_premium.domain.events import (
    Milestone,
    ProjectMilestoneMet,
    SchoolProjectApproved,
    SchoolProjectProposed,
    SchoolProjectRefused,
)
from pupil_premium.domain.projects import (
    ApproveSchoolProject,
    ProposeSchoolProject,
    RecordMilestoneMet,
    RefuseSchoolProject,
    approve_school_project,
    propose_school_project,
    record_milestone_met,
    refuse_school_project,
)
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation

CHILDREN = {"C1": child("C1"), "C2": child("C2"), "C3": child("C3"), "C4": child("C4", urn=OTHER_URN)}
MILESTONES = (
    Milestone(milestone_id="M1", description="Mentor trained", due_on=date(2024, 11, 1)),
    Milestone(milestone_id="M2", description="First cohort review", due_on=date(2025, 2, 14)),
)


def proposal(**changes):
    fields = {
        "financial_year": FY,
        "project_id": "P1",
        "school_urn": URN,
        "title": "Nurture group",
        "plan": "A nurture group run twice weekly by a trained mentor",
        "child_ids": ("C1", "C2", "C3"),
        "milestones": MILESTONES,
        "amount_pence": 300_000,
        "proposed_by": "Headteacher",
    }
    return ProposeSchoolProject(**{**fields, **changes})


def propose(command, budget=None, policies=POLICIES):
    return propose_school_project(
        command,
        budget if budget is not None else given(grant()),
        children=CHILDREN,
        policies=policies,
        today=TODAY,
    )


def test_a_school_proposes_a_project_with_a_plan_milestones_and_its_cohort():
    assert propose(proposal()) == [
        SchoolProjectProposed(
            financial_year=FY,
            project_id="P1",
            school_urn=URN,
            title="Nurture group",
            plan="A nurture group run twice weekly by a trained mentor",
            child_ids=("C1", "C2", "C3"),
            milestones=MILESTONES,
            amount_pence=300_000,
            proposed_on=TODAY,
            proposed_by="Headteacher",
        )
    ]


def test_a_project_needs_the_policys_minimum_number_of_looked_after_children():
    policies = DEFAULT_DEVOLUTION_POLICIES.adopt(
        date(2024, 4, 1), CappedTermlyRequests(minimum_children_per_project=4)
    )
    with pytest.raises(RuleViolation) as refusal:
        propose(proposal(), policies=policies)
    assert refusal.value.field == "child_ids"
    with pytest.raises(RuleViolation):
        propose(proposal(child_ids=("C1",)))


def test_every_child_in_the_cohort_must_be_on_roll_at_the_school():
    with pytest.raises(RuleViolation, match="not on roll") as refusal:
        propose(proposal(child_ids=("C1", "C4")))
    assert refusal.value.field == "child_ids[1]"
    with pytest.raises(NotFound) as refusal:
        propose(proposal(child_ids=("C1", "C9")))
    assert refusal.value.field == "child_ids[1]"


def test_a_child_named_twice_in_the_cohort_is_refused():
    with pytest.raises(InvalidInput) as refusal:
        propose(proposal(child_ids=("C1", "C2", "C1")))
    assert refusal.value.field == "child_ids[2]"


def test_milestones_are_named_once_and_due_in_the_future():
    repeated = (MILESTONES[0], MILESTONES[0])
    with pytest.raises(InvalidInput) as refusal:
        propose(proposal(milestones=repeated))
    assert refusal.value.field == "milestones[1].milestone_id"
    past = (MILESTONES[0], Milestone(milestone_id="M0", description="Late", due_on=date(2024, 10, 6)))
    with pytest.raises(InvalidInput) as refusal:
        propose(proposal(milestones=past))
    assert refusal.value.field == "milestones[1].due_on"


def test_a_project_id_is_used_once():
    with pytest.raises(Conflict) as refusal:
        propose(proposal(), given(grant(), project_proposed("P1")))
    assert refusal.value.field == "project_id"


def approve(amount=None, reasons=()):
    return ApproveSchoolProject(
        financial_year=FY, project_id="P1", amount_approved_pence=amount, reasons=reasons, panel_members=PANEL
    )


def test_the_panel_approves_a_project_against_the_budget():
    history = [grant(1_000_000), project_proposed("P1", amount=300_000)]
    events = approve_school_project(approve(), given(*history), policies=POLICIES, today=TODAY)
    assert events == [
        SchoolProjectApproved(
            financial_year=FY,
            project_id="P1",
            school_urn=URN,
            amount_requested_pence=300_000,
            amount_approved_pence=300_000,
            reasons=(),
            panel_members=PANEL,
            decided_on=TODAY,
        )
    ]
    budget = given(*history, *events)
    assert budget.projects["P1"].status is ProjectStatus.APPROVED
    assert budget.remaining_pence == 700_000


def test_a_project_can_be_approved_in_part_with_reasons():
    history = [grant(1_000_000), project_proposed("P1", amount=300_000)]
    with pytest.raises(InvalidInput) as refusal:
        approve_school_project(approve(200_000), given(*history), policies=POLICIES, today=TODAY)
    assert refusal.value.field == "reasons"
    events = approve_school_project(
        approve(200_000, ("Pilot for one term",)), given(*history), policies=POLICIES, today=TODAY
    )
    assert events[0].amount_approved_pence == 200_000
    with pytest.raises(InvalidInput) as refusal:
        approve_school_project(approve(300_001), given(*history), policies=POLICIES, today=TODAY)
    assert refusal.value.field == "amount_approved_pence"


def test_a_project_cannot_overspend_the_budget():
    history = [grant(1_000_000), top_sliced("TS1", 800_000), project_proposed("P1", amount=300_000)]
    with pytest.raises(RuleViolation, match="overspend"):
        approve_school_project(approve(), given(*history), policies=POLICIES, today=TODAY)


def test_a_project_is_decided_once():
    project = project_proposed("P1")
    budget = given(grant(), project, project_approved(project))
    with pytest.raises(Conflict) as refusal:
        approve_school_project(approve(), budget, policies=POLICIES, today=TODAY)
    assert refusal.value.field == "project_id"
    with pytest.raises(Conflict):
        refuse_school_project(
            RefuseSchoolProject(financial_year=FY, project_id="P1", reasons=("r",), panel_members=PANEL),
            budget,
            today=TODAY,
        )


def test_the_panel_can_refuse_a_project_with_reasons():
    command = RefuseSchoolProject(
        financial_year=FY, project_id="P1", reasons=("Too few children",), panel_members=PANEL
    )
    assert refuse_school_project(command, given(grant(), project_proposed("P1")), today=TODAY) == [
        SchoolProjectRefused(
            financial_year=FY,
            project_id="P1",
            school_urn=URN,
            reasons=("Too few children",),
            panel_members=PANEL,
            decided_on=TODAY,
        )
    ]


def milestone_met(milestone_id="M1", met_on=date(2024, 10, 4)):
    return RecordMilestoneMet(
        financial_year=FY,
        project_id="P1",
        milestone_id=milestone_id,
        met_on=met_on,
        evidence="Training certificate",
    )


def test_a_milestone_of_an_approved_project_is_recorded_as_met():
    project = project_proposed("P1")
    budget = given(grant(), project, project_approved(project))
    events = record_milestone_met(milestone_met(), budget, today=TODAY)
    assert events == [
        ProjectMilestoneMet(
            financial_year=FY,
            project_id="P1",
            school_urn=URN,
            milestone_id="M1",
            description="Mentor trained",
            due_on=date(2024, 11, 1),
            met_on=date(2024, 10, 4),
            evidence="Training certificate",
        )
    ]
    after = given(grant(), project, project_approved(project), *events)
    assert after.projects["P1"].milestones_met == {"M1"}
    with pytest.raises(Conflict) as refusal:
        record_milestone_met(milestone_met(), after, today=TODAY)
    assert refusal.value.field == "milestone_id"


def test_milestones_are_recorded_only_for_approved_projects_and_known_milestones():
    project = project_proposed("P1")
    with pytest.raises(Conflict):
        record_milestone_met(milestone_met(), given(grant(), project), today=TODAY)
    budget = given(grant(), project, project_approved(project))
    with pytest.raises(NotFound) as refusal:
        record_milestone_met(milestone_met("M9"), budget, today=TODAY)
    assert refusal.value.field == "milestone_id"
    with pytest.raises(InvalidInput) as refusal:
        record_milestone_met(milestone_met(met_on=date(2024, 10, 8)), budget, today=TODAY)
    assert refusal.value.field == "met_on"
