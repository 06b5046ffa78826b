"""How the event-log service folds this service's streams to answer "the state as of a date".

``ppbudget-<year>`` folds to the year's ``Budget`` (grant, top-slices, requests, projects, payment
runs); ``ppconfig-council`` to the council's ``CouncilSettings`` (rates, devolution policies, term
dates). ``state_to_json`` renders either with the figures a reader wants first: what is left.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.council_config import CONFIG_CATEGORY, NO_SETTINGS, CouncilSettings, evolve_settings
from pupil_premium.domain.events import PUPIL_PREMIUM_EVENTS
from pupil_premium.domain.financial_year import BUDGET_CATEGORY

AGGREGATES = {
    BUDGET_CATEGORY: (NO_BUDGET, evolve, PUPIL_PREMIUM_EVENTS),
    CONFIG_CATEGORY: (NO_SETTINGS, evolve_settings, PUPIL_PREMIUM_EVENTS),
}


def state_to_json(state: Any) -> Any:
    if isinstance(state, Budget):
        return {
            "financial_year": state.financial_year,
            "grant_recorded": state.grant_recorded,
            "grant_pence": state.grant_pence,
            "top_sliced_pence": state.top_sliced_pence,
            "approved_pence": state.approved_pence,
            "committed_pence": state.committed_pence,
            "paid_pence": state.paid_pence,
            "remaining_pence": state.remaining_pence,
            "top_slices": _plain(state.top_slices),
            "requests": _plain(state.requests),
            "projects": _plain(state.projects),
            "payment_runs": _plain(state.runs),
        }
    if isinstance(state, CouncilSettings):
        return {
            "rates_pence": dict(sorted(state.rates.items())),
            "devolution_policies": [
                {
                    "effective_from": v.effective_from.isoformat(),
                    "description": v.description,
                    "policy": v.terms.model_dump(mode="json"),
                }
                for v in sorted(state.policies, key=lambda v: v.effective_from)
            ],
            "term_dates": {
                str(year): [_plain(term) for term in terms]
                for year, terms in sorted(state.term_dates.items())
            },
        }
    return _plain(state)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
