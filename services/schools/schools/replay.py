"""How to fold each stream the schools service owns, for the event log's "state as of".

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` answers "what did the
register, the Ofsted history, the category, the support, the results, the reviews or the
council's configuration look like at this position / on this date", with the same ``evolve``
the service itself decides with. States are rendered as JSON by ``shared.jsonable.state_to_json``
(dates in ISO form, days and measures as exact decimal strings as in the events, and keys made of
several parts, a year and a key stage, as ``"2011:ks2"``).
"""

from __future__ import annotations

from schools.domain import catalogue as contract
from schools.domain import categorisation, configuration, inspections, performance, register, reviews, support

CATALOGUE = contract.schools_catalogue()
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {
    "school": (register.NO_SCHOOL, register.evolve, CATALOGUE),
    "inspections": (inspections.NO_INSPECTIONS, inspections.evolve, CATALOGUE),
    "categorisation": (categorisation.NOT_CATEGORISED, categorisation.evolve, CATALOGUE),
    "support": (support.NO_SUPPORT, support.evolve, CATALOGUE),
    "performance": (performance.NO_RESULTS, performance.evolve, CATALOGUE),
    "reviews": (reviews.NO_REVIEWS, reviews.evolve, CATALOGUE),
    configuration.CONFIGURATION_CATEGORY: (
        configuration.DEFAULT_CONFIGURATION,
        configuration.evolve,
        CATALOGUE,
    ),
}
