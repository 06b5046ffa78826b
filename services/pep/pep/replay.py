"""How the event-log service folds this service's streams to their state as of a date or position.

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` folds each stream category it
owns with the same ``evolve`` the service decides with. States are rendered as JSON by
``shared.jsonable.state_to_json``.
"""

from __future__ import annotations

from pep.domain import catalogue as contract
from pep.domain import children, council_config, peps, school_concerns
from pep.domain.streams import CHILD, COUNCIL_CONFIG, PEP, SCHOOL_CONCERN

CATALOGUE = contract.pep_event_catalogue()
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {
    CHILD: (children.NO_CHILD, children.evolve, CATALOGUE),
    PEP: (peps.NO_PEPS, peps.evolve, CATALOGUE),
    SCHOOL_CONCERN: (school_concerns.NO_ALERTS, school_concerns.evolve, CATALOGUE),
    COUNCIL_CONFIG: (council_config.NO_CONFIG, council_config.evolve, CATALOGUE),
}
