"""The service's read models: projections from the log into the ``pupil_premium`` schema."""

from __future__ import annotations

from shared.eventlog.subscriptions import Projection

from pupil_premium.projections.child_facts import ChildFactsProjection
from pupil_premium.projections.ledger import LedgerProjection
from pupil_premium.projections.projects_and_runs import PaymentRunsProjection, SchoolProjectsProjection
from pupil_premium.projections.request_register import RequestRegisterProjection


def read_models() -> list[Projection]:
    """Every read model, each rebuildable from the log."""
    return [
        ChildFactsProjection(),
        RequestRegisterProjection(),
        LedgerProjection(),
        SchoolProjectsProjection(),
        PaymentRunsProjection(),
    ]
