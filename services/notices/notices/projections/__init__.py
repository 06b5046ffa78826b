"""The notices service's read models, kept from the log (its reactions are ``notices.policies``)."""

from __future__ import annotations

from typing import Any

from shared.eventlog.subscriptions import Projection
from notices.projections.case_files import CaseFilesProjection
from notices.projections.school_facts import SchoolFactsProjection


def read_models(state: Any) -> list[Projection]:
    """Built once the app's lifespan has opened the pool and the store; they decode with the
    catalogue the service reads with (its own events and the schools service's)."""
    return [SchoolFactsProjection(state.read_catalogue), CaseFilesProjection(state.read_catalogue)]
