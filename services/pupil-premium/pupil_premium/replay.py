"""How the event-log service folds this service's streams to answer "the state as of a date".

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` folds each stream category it
owns. ``ppbudget-<year>`` folds to the year's ``Budget`` (grant, top-slices, requests, projects,
payment runs); ``ppconfig-council`` to the council's ``CouncilSettings`` (rates, devolution
policies, term dates). ``state_to_json`` lays either out with the figures a reader wants first:
what is left. Every value in it is rendered by ``shared.jsonable.state_to_json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.jsonable import state_to_json as _to_json

from pupil_premium.domain import events as contract
from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.council_config import CONFIG_CATEGORY, NO_SETTINGS, CouncilSettings, evolve_settings
from pupil_premium.domain.financial_year import BUDGET_CATEGORY

CATALOGUE = contract.PUPIL_PREMIUM_EVENTS
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {
    BUDGET_CATEGORY: (NO_BUDGET, evolve, CATALOGUE),
    CONFIG_CATEGORY: (NO_SETTINGS, evolve_settings, CATALOGUE),
}


# What the auditors' view shows of a request: its decision and payment. The fold also keeps each
# request's dated steps and the panel's wording for the register; the register shows those.
AUDITED_REQUEST_FIELDS = (
    "request_id",
    "child_id",
    "school_urn",
    "term",
    "amount_requested_pence",
    "pep_id",
    "targets",
    "intervention_type",
    "requested_on",
    "status",
    "decision",
    "amount_approved_pence",
    "decided_on",
    "run_id",
    "paid_on",
    "impact_recorded",
)


# What it shows of a school project: its amounts, status, run and which milestones are met. The
# fold also keeps the plan, the panel's wording and each milestone's date and evidence for the
# projects list; that list shows those.
AUDITED_PROJECT_FIELDS = (
    "project_id",
    "school_urn",
    "child_ids",
    "milestones",
    "amount_requested_pence",
    "status",
    "amount_approved_pence",
    "milestones_met",
    "run_id",
)


def _audited(items: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Each item (request, project) by its id, with the fields the auditors' view shows."""
    return {
        item_id: {name: _to_json(getattr(item, name)) for name in fields} for item_id, item in items.items()
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
            "top_slices": _to_json(state.top_slices),
            "requests": _audited(state.requests, AUDITED_REQUEST_FIELDS),
            "projects": _audited(state.projects, AUDITED_PROJECT_FIELDS),
            "payment_runs": _to_json(state.runs),
        }
    if isinstance(state, CouncilSettings):
        return {
            "rates_pence": dict(sorted(state.rates.items())),
            "devolution_policies": [
                {
                    "effective_from": _to_json(v.effective_from),
                    "description": v.description,
                    "policy": _to_json(v.terms),
                }
                for v in sorted(state.policies, key=lambda v: v.effective_from)
            ],
            "term_dates": {
                str(year): [_to_json(term) for term in terms]
                for year, terms in sorted(state.term_dates.items())
            },
        }
    return _to_json(state)
