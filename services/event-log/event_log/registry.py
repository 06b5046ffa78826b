"""What the event log knows of each service's events, read from the services' own code.

Each service names one module in its ``ServiceSpec`` (``shared/services.py``: ``replay``, e.g.
``schools.replay``), and the registry imports exactly that module and reads two names from it:

* ``CATALOGUE`` - the service's public contract, the ``EventCatalogue`` of the events it writes
  (not the bigger one it reads with). ``CATALOGUE_MODULE``, if given, names the module the
  contract is written in, which the catalogue (``/catalogue`` and docs/event-catalogue.md) cites;
  otherwise the declared module is cited.
* ``AGGREGATES`` - each stream category the service owns, mapped to ``(initial state, evolve,
  catalogue)``. States are rendered as JSON by the module's ``state_to_json`` if it has one (to lay
  a state out for readers), otherwise by ``shared.jsonable.state_to_json``.

Why the event log imports the services' code rather than keeping its own description of their
events: the catalogue it publishes, the upcasting of old events and the "state as of a date or a
position" it answers are then the services' own classes and folds, with the same ``evolve`` each
service decides with, so they cannot drift from them. What that costs at deployment: the
event-log service runs a copy of every service's domain code, so it must be redeployed whenever
any service adds or changes an event type, an upcaster or a fold (its ``evolve`` or initial
state); until it is, it publishes the old catalogue and answers "state as of" with the old fold.

A service whose declared module fails to import, or lacks either name, is reported
(``problems``), not hidden, and the rest of the log is still served. The event-log service
declares its own (``event_log.replay``: the data protection officer's records), read the same way.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from shared.events import Event, EventCatalogue, UnknownEventType
from shared.jsonable import state_to_json as default_state_to_json
from shared.services import SERVICES, ServiceSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceCatalogue:
    service: str
    module: str
    catalogue: EventCatalogue


@dataclass(frozen=True)
class Aggregate:
    """How to fold one stream category: where each stream starts and how each event changes it."""

    category: str
    service: str
    initial: Any
    evolve: Callable[[Any, Event], Any]
    catalogue: EventCatalogue
    state_to_json: Callable[[Any], Any] = default_state_to_json


@dataclass
class Registry:
    catalogues: list[ServiceCatalogue] = field(default_factory=list)
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.memo: dict[str, Any] = {}  # what is derived from the code once, e.g. the JSON Schemas
        self._owners: dict[str, ServiceCatalogue] = {}
        self._classes: dict[str, type[Event]] = {}
        for entry in self.catalogues:
            for cls in entry.catalogue.event_classes():
                # The first service to declare a type owns it; a second declaration is reported.
                owner = self._owners.setdefault(cls.event_type, entry)
                self._classes.setdefault(cls.event_type, cls)
                if owner is not entry:
                    self.problems.append(
                        {
                            "service": entry.service,
                            "module": entry.module,
                            "error": f"{cls.event_type} is also declared by {owner.service}",
                        }
                    )

    def owner_of(self, event_type: str) -> ServiceCatalogue | None:
        return self._owners.get(event_type)

    def current_version(self, event_type: str) -> int | None:
        cls = self._classes.get(event_type)
        return cls.schema_version if cls is not None else None

    def upcast(
        self, event_type: str, schema_version: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """The data in the current schema of its type, read through the owner's upcasters
        (unchanged for types no catalogue knows, or with no upcaster from that version)."""
        current = self.current_version(event_type)
        if current is None or schema_version >= current:
            return schema_version, data
        owner = self._owners[event_type]
        try:
            return current, owner.catalogue.upcast(event_type, schema_version, data)
        except UnknownEventType:  # a missing upcaster: the reader gets the data as stored
            log.warning("no upcaster from %s v%s to v%s", event_type, schema_version, current)
            return schema_version, data


def discover(
    services: Sequence[ServiceSpec] = SERVICES,
    *,
    extra_catalogues: Iterable[ServiceCatalogue] = (),
    extra_aggregates: Iterable[Aggregate] = (),
) -> Registry:
    catalogues: list[ServiceCatalogue] = []
    aggregates: dict[str, Aggregate] = {}
    problems: list[dict[str, str]] = []
    for spec in services:
        if spec.replay is None:
            continue
        module = _import(spec.replay, problems, spec.name)
        if module is None:
            continue
        found = _service_catalogue(spec.name, module, problems)
        if found is not None:
            catalogues.append(found)
        for aggregate in _service_aggregates(spec.name, module, problems):
            aggregates[aggregate.category] = aggregate
    catalogues.extend(extra_catalogues)
    for aggregate in extra_aggregates:
        aggregates[aggregate.category] = aggregate
    return Registry(catalogues, aggregates, problems)


def _import(name: str, problems: list[dict[str, str]], service: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a colleague's module mid-change must not take the log down
        log.exception("could not import %s", name)
        problems.append({"service": service, "module": name, "error": f"{type(exc).__name__}: {exc}"})
        return None


def _service_catalogue(
    service: str, module: ModuleType, problems: list[dict[str, str]]
) -> ServiceCatalogue | None:
    catalogue = getattr(module, "CATALOGUE", None)
    if not isinstance(catalogue, EventCatalogue):
        error = "CATALOGUE is not an EventCatalogue" if catalogue is not None else "no CATALOGUE"
        problems.append({"service": service, "module": module.__name__, "error": error})
        return None
    if catalogue.service != service:
        problems.append(
            {
                "service": service,
                "module": module.__name__,
                "error": f"CATALOGUE is the {catalogue.service!r} service's, not this one's",
            }
        )
        return None
    return ServiceCatalogue(service, getattr(module, "CATALOGUE_MODULE", module.__name__), catalogue)


def _service_aggregates(service: str, module: ModuleType, problems: list[dict[str, str]]) -> list[Aggregate]:
    name = module.__name__
    table = getattr(module, "AGGREGATES", None)
    if not isinstance(table, Mapping):
        problems.append({"service": service, "module": name, "error": "AGGREGATES is not a mapping"})
        return []
    to_json = getattr(module, "state_to_json", default_state_to_json)
    aggregates = []
    for category, entry in table.items():
        try:
            aggregates.append(aggregate_from(service, str(category), entry, to_json))
        except (TypeError, ValueError) as exc:
            problems.append({"service": service, "module": name, "error": f"{category}: {exc}"})
    return aggregates


def aggregate_from(
    service: str, category: str, entry: Any, state_to_json: Callable[[Any], Any] = default_state_to_json
) -> Aggregate:
    """An ``AGGREGATES`` value: a tuple ``(initial, evolve, catalogue[, state_to_json])`` or an
    object with those attributes."""
    if isinstance(entry, tuple | list):
        if len(entry) not in (3, 4):
            raise ValueError("expected (initial state, evolve, catalogue[, state_to_json])")
        initial, evolve, catalogue = entry[:3]
        to_json = entry[3] if len(entry) == 4 else state_to_json
    else:
        initial = entry.initial
        evolve = entry.evolve
        catalogue = entry.catalogue
        to_json = getattr(entry, "state_to_json", state_to_json)
    if not callable(evolve) or not isinstance(catalogue, EventCatalogue):
        raise TypeError("evolve must be callable and catalogue an EventCatalogue")
    return Aggregate(category, service, initial, evolve, catalogue, to_json)
