"""The notices service's subscriptions: its read models and its reactions."""

from __future__ import annotations

from typing import Any

from shared.eventlog.subscriptions import Projection
from notices.policies import Reactions
from notices.projections.case_files import CaseFilesProjection
from notices.projections.school_facts import SchoolFactsProjection
from notices.wiring import from_state


def read_models(state: Any) -> list[Projection]:
    return [SchoolFactsProjection(state.read_catalogue), CaseFilesProjection(state.read_catalogue)]


def subscriptions(state: Any) -> list[Projection]:
    """Built once the app's lifespan has opened the pool and the store."""
    return [*read_models(state), Reactions(from_state(state))]
