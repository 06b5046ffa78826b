"""How the event-log service folds this service's streams to their state as of a date or position.

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` folds each stream category it
owns with the same ``evolve`` the service decides with. States are rendered as JSON by
``shared.jsonable.state_to_json``, a child's and a PEP's with the fields the auditors' view
shows.
"""

from __future__ import annotations

from typing import Any

from shared.jsonable import state_to_json as _to_json

from pep.domain import catalogue as contract
from pep.domain import attendance, children, council_config, peps, school_concerns
from pep.domain.streams import ATTENDANCE, CHILD, COUNCIL_CONFIG, PEP, SCHOOL_CONCERN

CATALOGUE = contract.pep_event_catalogue()
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {
    CHILD: (children.NO_CHILD, children.evolve, CATALOGUE),
    PEP: (peps.NO_PEPS, peps.evolve, CATALOGUE),
    SCHOOL_CONCERN: (school_concerns.NO_ALERTS, school_concerns.evolve, CATALOGUE),
    COUNCIL_CONFIG: (council_config.NO_CONFIG, council_config.evolve, CATALOGUE),
    ATTENDANCE: (attendance.NO_ATTENDANCE, attendance.evolve, CATALOGUE),
}


# What the auditors' view leaves out of a child: the fold also keeps, for a child registered as
# previously looked after, who looked after them and the day they left that care, for the read
# models; the view shows neither.
UNAUDITED_CHILD_FIELDS = ("previously_looked_after_by", "previously_left_care_on")

# What the auditors' view leaves out of a PEP: the fold also keeps the day it was last returned for
# rework and whether it was completed in time, for the read models; the view shows neither.
UNAUDITED_PEP_FIELDS = ("returned_on", "completed_in_time")


def state_to_json(state: Any) -> Any:
    rendered = _to_json(state)
    if isinstance(state, children.ChildState):
        for name in UNAUDITED_CHILD_FIELDS:
            del rendered[name]
    if isinstance(state, peps.PepState):
        for record in rendered["peps"].values():
            for name in UNAUDITED_PEP_FIELDS:
                del record[name]
    return rendered
